"""search keys: resident_fts_key (resident id -> FTS rowid) so re-indexing deletes by rowid

``resident_fts.resident_id`` is UNINDEXED: deleting a resident's FTS row by it scanned the whole
index on every edit. The key table maps each live resident to its FTS rowid (the resident table's
implicit rowid is not used: VACUUM may renumber it). The FTS table and the key table are rebuilt
here from the residents, so an upgraded store keeps finding everyone it found before.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

FTS_DDL = ("CREATE VIRTUAL TABLE resident_fts USING fts5("
           "resident_id UNINDEXED, id_number, phone, address, tokenize='trigram')")


def upgrade() -> None:
    op.create_table('resident_fts_key',
        sa.Column('resident_id', sa.Text(), nullable=False),
        sa.Column('fts_rowid', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('resident_id', name=op.f('pk_resident_fts_key')),
        sqlite_with_rowid=False)
    # Rebuild the FTS table from the residents (fresh rowids 1..n), then the keys from it.
    op.execute("DROP TABLE IF EXISTS resident_fts")
    op.execute(FTS_DDL)
    op.execute("INSERT INTO resident_fts (rowid, resident_id, id_number, phone, address) "
               "SELECT row_number() OVER (ORDER BY id), id, id_number, coalesce(phone, ''), coalesce(address, '') "
               "FROM resident WHERE deleted_at IS NULL")
    op.execute("INSERT INTO resident_fts_key (resident_id, fts_rowid) SELECT resident_id, rowid FROM resident_fts")


def downgrade() -> None:
    op.drop_table('resident_fts_key')
