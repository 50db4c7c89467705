"""hub initial schema: stations, change log, entity state

Revision ID: h0001
Revises:
Create Date: 2026-11-25
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = 'h0001'
down_revision = None
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table('hub_station',
        sa.Column('id', sa.String(36), nullable=False),
        sa.Column('name', sa.String(100), nullable=False),
        sa.Column('kind', sa.String(16), nullable=False),
        sa.Column('community_id', sa.String(36), nullable=True),
        sa.Column('secret_hash', sa.String(200), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name='pk_hub_station'))
    op.create_table('change_log',
        sa.Column('seq', BigId, autoincrement=True, nullable=False),
        sa.Column('change_id', sa.String(36), nullable=False),
        sa.Column('community_id', sa.String(36), nullable=False),
        sa.Column('entity', sa.String(64), nullable=False),
        sa.Column('entity_id', sa.String(36), nullable=False),
        sa.Column('op', sa.String(8), nullable=False),
        sa.Column('fields', Json, nullable=False),
        sa.Column('base_version', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('station_id', sa.String(64), nullable=False),
        sa.Column('user_login', sa.String(64), nullable=False),
        sa.Column('at', sa.String(40), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('seq', name='pk_change_log'),
        sa.UniqueConstraint('change_id', name='uq_change_log_change_id'))
    op.create_index('ix_change_log_community_seq', 'change_log', ['community_id', 'seq'])
    op.create_index('ix_change_log_entity_id', 'change_log', ['entity_id'])
    op.create_table('entity_state',
        sa.Column('entity', sa.String(64), nullable=False),
        sa.Column('entity_id', sa.String(36), nullable=False),
        sa.Column('community_id', sa.String(36), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('doc', Json, nullable=False),
        sa.Column('field_meta', Json, nullable=False),
        sa.Column('ref_id', sa.String(36), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by', sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint('entity', 'entity_id', name='pk_entity_state'))
    op.create_index('ix_entity_state_community_id', 'entity_state', ['community_id'])
    op.create_index('ix_entity_state_ref_id', 'entity_state', ['ref_id'])


def downgrade() -> None:
    op.drop_table('entity_state')
    op.drop_table('change_log')
    op.drop_table('hub_station')
