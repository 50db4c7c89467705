"""hub restored audit histories + re-checked first-sync data: a branch number on station_audit, audit_branch (where a station's
accepted restored history departs from the one the hub held) and audit_ack (the admin's acknowledgements)

The entries a restore supersedes stay in station_audit (append-only) under their branch; the current
history of a station is its newest branch back to its fork point, then the parent branch.

Revision ID: h0008_trust
Revises: h0006_verify
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa

revision = 'h0008_trust'
down_revision = 'h0006_verify'
branch_labels = None
depends_on = None

_COLUMNS = ("station_id, seq, community_id, entry_station, at, user_login, action, entity, entity_id, detail, "
            "prev_hash, hash, received_at")


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    if pg:
        # A new column with a constant default is a catalogue change: no row is rewritten (the trigger keeps quiet).
        op.add_column('station_audit', sa.Column('branch', sa.Integer(), nullable=False, server_default='0'))
        op.drop_constraint('pk_station_audit', 'station_audit', type_='primary')
        op.create_primary_key('pk_station_audit', 'station_audit', ['station_id', 'branch', 'seq'])
    else:
        # SQLite cannot change a primary key: copy into a new table, keep the append-only triggers.
        op.execute("""CREATE TABLE station_audit_new (
            station_id VARCHAR(36) NOT NULL, branch INTEGER DEFAULT '0' NOT NULL, seq BIGINT NOT NULL,
            community_id VARCHAR(36) NOT NULL, entry_station VARCHAR(64) NOT NULL, at VARCHAR(40) NOT NULL,
            user_login VARCHAR(64) NOT NULL, action VARCHAR(32) NOT NULL, entity VARCHAR(64) NOT NULL,
            entity_id VARCHAR(64) NOT NULL, detail TEXT NOT NULL, prev_hash VARCHAR(64) NOT NULL,
            hash VARCHAR(64) NOT NULL, received_at DATETIME NOT NULL,
            CONSTRAINT pk_station_audit PRIMARY KEY (station_id, branch, seq))""")
        op.execute(f"INSERT INTO station_audit_new ({_COLUMNS}) SELECT {_COLUMNS} FROM station_audit")
        for kind in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS station_audit_no_{kind}")
        op.execute("DROP TABLE station_audit")
        op.execute("ALTER TABLE station_audit_new RENAME TO station_audit")
        for kind in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER station_audit_no_{kind.lower()} BEFORE {kind} ON station_audit "
                       "BEGIN SELECT RAISE(ABORT, 'station_audit is append-only'); END")
    op.create_table('audit_branch',
        sa.Column('station_id', sa.String(36), nullable=False),
        sa.Column('branch', sa.Integer(), nullable=False),
        sa.Column('parent', sa.Integer(), nullable=False),
        sa.Column('fork_seq', sa.BigInteger(), nullable=False),
        sa.Column('superseded_to', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('how', sa.String(16), nullable=False),
        sa.Column('flag_id', sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint('station_id', 'branch', name='pk_audit_branch'))
    op.create_table('audit_ack',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('flag_id', sa.BigInteger(), nullable=False),
        sa.Column('station_id', sa.String(36), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('by_name', sa.String(100), nullable=False),
        sa.Column('os_user', sa.String(100), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_audit_ack'))
    # Stored first-sync snapshots and seeds were built without checking values: build them again (a record a
    # workstation cannot store is now sent apart and set aside there, not loaded).
    op.execute("DELETE FROM hub_seed")
    op.execute("DELETE FROM hub_snapshot")
    for table in ("audit_branch", "audit_ack"):
        if pg:
            op.execute(f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION station_audit_append_only()")
        else:
            for kind in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{kind.lower()} BEFORE {kind} ON {table} "
                           f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")


def downgrade() -> None:
    op.drop_table('audit_ack')
    op.drop_table('audit_branch')
