"""hub bootstrap snapshots: hub_snapshot, entity_state.first_at / last_at

Revision ID: h0002
Revises: h0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = 'h0002'
down_revision = 'h0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('hub_snapshot',
        sa.Column('community_id', sa.String(36), nullable=False),
        sa.Column('cursor', sa.BigInteger(), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('body', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('community_id', name='pk_hub_snapshot'))
    # Nullable columns: a plain ALTER TABLE ... ADD COLUMN on both PostgreSQL (no table rewrite) and
    # SQLite (no batch copy needed). Existing records keep NULL; snapshots then fall back to the
    # hub's created_at / updated_at.
    op.add_column('entity_state', sa.Column('first_at', sa.String(40), nullable=True))
    op.add_column('entity_state', sa.Column('last_at', sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('entity_state') as batch:
        batch.drop_column('last_at')
        batch.drop_column('first_at')
    op.drop_table('hub_snapshot')
