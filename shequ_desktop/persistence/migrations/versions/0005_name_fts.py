"""name search: FTS5 over the name grams (resident_fts_name) replaces the resident_gram table

``resident_gram`` (gram, resident_id) held a row per 1- and 2-character gram of every name — about
five rows per resident, the slowest part of rebuilding the index after a bulk load. The name grams
now go into ``resident_fts_name``: one FTS5 document per live resident (its grams, space separated,
one token each), under the rowid of the resident's ``resident_fts`` row (``resident_fts_key``).
It is filled here from the residents, so an upgraded store finds everyone it found before.

The gram rule and the table definition are copied here on purpose (a migration must not change
when the program's code does); they match ``search_index.name_grams`` / ``NAME_FTS_DDL`` of 0005.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

NAME_FTS_DDL = ("CREATE VIRTUAL TABLE resident_fts_name USING fts5(grams, "
                "tokenize=\"unicode61 remove_diacritics 0 categories 'L* N* M* P* S* C*'\", "
                "detail=none, columnsize=0)")


def _grams(name: str) -> set[str]:
    chars = "".join(name.split())
    grams = set(chars)
    grams.update(chars[i:i + 2] for i in range(len(chars) - 1))
    return grams


def upgrade() -> None:
    op.drop_table('resident_gram')
    # A rebuild by a newer program before this migration ran (ensure_built) may have created it.
    op.execute("DROP TABLE IF EXISTS resident_fts_name")
    op.execute(NAME_FTS_DDL)
    conn = op.get_bind()
    rows = conn.exec_driver_sql(
        "SELECT k.fts_rowid, r.name FROM resident_fts_key k JOIN resident r ON r.id = k.resident_id "
        "WHERE r.deleted_at IS NULL ORDER BY k.fts_rowid").all()
    if rows:
        conn.exec_driver_sql("INSERT INTO resident_fts_name (resident_fts_name, rank) VALUES ('hashsize', 67108864)")
        conn.exec_driver_sql("INSERT INTO resident_fts_name (rowid, grams) VALUES (?, ?)",
                             [(rowid, " ".join(sorted(_grams(name or "")))) for rowid, name in rows])
        conn.exec_driver_sql("INSERT INTO resident_fts_name (resident_fts_name, rank) VALUES ('hashsize', 1048576)")


def downgrade() -> None:
    op.create_table('resident_gram',
        sa.Column('gram', sa.String(length=2), nullable=False),
        sa.Column('resident_id', sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint('gram', 'resident_id', name=op.f('pk_resident_gram')),
        sqlite_with_rowid=False)
    conn = op.get_bind()
    names = conn.exec_driver_sql("SELECT id, name FROM resident WHERE deleted_at IS NULL").all()
    pairs = sorted({(g, rid) for rid, name in names for g in _grams(name or "")})
    if pairs:
        conn.exec_driver_sql("INSERT INTO resident_gram (gram, resident_id) VALUES (?, ?)", pairs)
    op.execute("DROP TABLE IF EXISTS resident_fts_name")
