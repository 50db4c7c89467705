"""sync merge: each change carries its base (the values the station saw); pulled changes that cannot be applied

- ``change_journal.base``: for an update, the value every changed field had before the change (and the
  record's ``deleted_at``); for a removal, the whole record as the station saw it. The hub merges a field
  only when its value is still that base; otherwise both values become a conflict. NULL for changes
  journaled before this revision (the hub falls back to comparing versions for them).
- ``sync_pull_quarantine``: a change from the hub that this store could not apply (kept, shown by
  ``sync status``; the rest of the pull goes on).

Revision ID: 0011_sync
Revises: 0008_special_groups
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import shequ_desktop.persistence.base

revision = '0011_sync'
down_revision = '0008_special_groups'
branch_labels = None
depends_on = None

UTC = shequ_desktop.persistence.base.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table('change_journal', schema=None) as b:
        b.add_column(sa.Column('base', sa.JSON(), nullable=True))
    op.create_table('sync_pull_quarantine',
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('change_id', sa.String(length=36), nullable=False),
        sa.Column('entity', sa.String(length=64), nullable=False),
        sa.Column('entity_id', sa.String(length=36), nullable=False),
        sa.Column('item', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('at', UTC(), nullable=False),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_sync_pull_quarantine')))


def downgrade() -> None:
    op.drop_table('sync_pull_quarantine')
    with op.batch_alter_table('change_journal', schema=None) as b:
        b.drop_column('base')
