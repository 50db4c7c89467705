"""hub audit anchor: station_audit (every station's audit chain, append-only) and audit_flag (refused rewrites)

Revision ID: h0004_audit
Revises: h0005_sync
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa

revision = 'h0004_audit'
down_revision = 'h0005_sync'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('station_audit',
        sa.Column('station_id', sa.String(36), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('community_id', sa.String(36), nullable=False),
        sa.Column('entry_station', sa.String(64), nullable=False),
        sa.Column('at', sa.String(40), nullable=False),
        sa.Column('user_login', sa.String(64), nullable=False),
        sa.Column('action', sa.String(32), nullable=False),
        sa.Column('entity', sa.String(64), nullable=False),
        sa.Column('entity_id', sa.String(64), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('prev_hash', sa.String(64), nullable=False),
        sa.Column('hash', sa.String(64), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('station_id', 'seq', name='pk_station_audit'))
    op.create_table('audit_flag',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('station_id', sa.String(36), nullable=False),
        sa.Column('community_id', sa.String(36), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason', sa.String(32), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_audit_flag'))
    op.create_index('ix_audit_flag_station', 'audit_flag', ['station_id'])
    # Append-only on PostgreSQL: no UPDATE or DELETE of a held entry, whoever connects.
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION station_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'station_audit is append-only'; END $$")
        op.execute("CREATE TRIGGER station_audit_no_change BEFORE UPDATE OR DELETE ON station_audit "
                   "FOR EACH ROW EXECUTE FUNCTION station_audit_append_only()")
    else:
        for kind in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER station_audit_no_{kind.lower()} BEFORE {kind} ON station_audit "
                       "BEGIN SELECT RAISE(ABORT, 'station_audit is append-only'); END")


def downgrade() -> None:
    op.drop_index('ix_audit_flag_station', table_name='audit_flag')
    op.drop_table('audit_flag')
    op.drop_table('station_audit')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS station_audit_append_only()")
