"""hub seeds: hub_seed (ready-made desktop stores per community and desktop schema revision)

Revision ID: h0003
Revises: h0002
Create Date: 2026-12-09
"""
from alembic import op
import sqlalchemy as sa

revision = 'h0003'
down_revision = 'h0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hub_seed',
        sa.Column('community_id', sa.String(36), nullable=False),
        sa.Column('revision', sa.String(32), nullable=False),
        sa.Column('cursor', sa.BigInteger(), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('community_id', 'revision', name='pk_hub_seed'))


def downgrade() -> None:
    op.drop_table('hub_seed')
