"""sync merge: a conflict's ref_id is the record it is about (open conflicts are found per record)

Revision ID: h0005_sync
Revises: h0003
Create Date: 2026-12-02
"""
from alembic import op

revision = 'h0005_sync'
down_revision = 'h0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE entity_state SET ref_id = doc->>'entity_id' "
                   "WHERE entity = 'sync_conflict' AND ref_id IS NULL")
    else:
        op.execute("UPDATE entity_state SET ref_id = json_extract(doc, '$.entity_id') "
                   "WHERE entity = 'sync_conflict' AND ref_id IS NULL")


def downgrade() -> None:
    pass
