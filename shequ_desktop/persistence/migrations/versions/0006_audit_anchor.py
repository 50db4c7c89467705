"""audit anchor: a keyed MAC per audit entry (the key lives outside the database file)

Added with a plain ADD COLUMN (no batch copy), so the append-only triggers stay in place.
Entries written before this revision keep an empty MAC; every later one carries it.

Revision ID: 0006_audit_anchor
Revises: 0011_sync
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = '0006_audit_anchor'
down_revision = '0011_sync'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('audit_log', sa.Column('mac', sa.String(length=64), nullable=False, server_default=''))


def downgrade() -> None:
    for kind in ("update", "delete"):   # the batch copy drops the table's triggers: recreate both
        op.execute(f"DROP TRIGGER IF EXISTS audit_log_no_{kind}")
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('mac')
    for kind in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_log_no_{kind.lower()} BEFORE {kind} ON audit_log "
                   "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END")
