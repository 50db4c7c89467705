"""hub verify: an index for ``GET /api/v1/verify/{code}`` (the register's and the voids' code)

On PostgreSQL an expression index on ``doc ->> 'verification_code'`` of the two entities, so a
check does not scan every record of every community; SQLite (the one-machine demo) scans.

Revision ID: h0006_verify
Revises: h0004_audit
Create Date: 2026-12-02
"""
from alembic import op

revision = 'h0006_verify'
down_revision = 'h0004_audit'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_entity_state_verification_code ON entity_state "
                   "((doc ->> 'verification_code')) WHERE entity IN ('printed_document', 'document_void')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_entity_state_verification_code")
