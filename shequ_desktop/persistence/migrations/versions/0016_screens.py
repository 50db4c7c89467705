"""pinyin order: resident_fts_key.name_key holds each live resident's pinyin sort key, indexed

Resident lists and search results (within the same match rank) are ordered by it instead of the
names' code points (domain.pinyin.sort_key: 李 before 王, 曾 read as the surname zēng). The key
table is a local side table of the search index, never synced; the keys are computed here for the
residents already indexed.

Revision ID: 0016_screens
Revises: 0013_kpi
Create Date: 2026-12-03
"""
from alembic import op

from shequ_desktop.domain.pinyin import sort_key

revision = '0016_screens'
down_revision = '0013_kpi'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE resident_fts_key ADD COLUMN name_key TEXT NOT NULL DEFAULT ''")
    conn = op.get_bind()
    rows = conn.exec_driver_sql("SELECT k.resident_id, r.name FROM resident_fts_key k "
                                "JOIN resident r ON r.id = k.resident_id").all()
    if rows:
        conn.exec_driver_sql("UPDATE resident_fts_key SET name_key = ? WHERE resident_id = ?",
                             [(sort_key(name), rid) for rid, name in rows])
    op.execute("CREATE INDEX IF NOT EXISTS ix_resident_fts_key_name_key ON resident_fts_key (name_key)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_resident_fts_key_name_key")
    op.execute("ALTER TABLE resident_fts_key DROP COLUMN name_key")
