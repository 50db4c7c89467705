"""The residents' search side tables: their definitions, documents and bulk insert.

Kept free of SQLAlchemy and the models so that the search-index builder process
(``search_build``) starts in milliseconds; ``search_index`` re-exports everything here.
"""

from __future__ import annotations

from typing import Any

from shequ_desktop.domain.pinyin import sort_key

FTS_DDL = ("CREATE VIRTUAL TABLE IF NOT EXISTS resident_fts USING fts5("
           "resident_id UNINDEXED, id_number, phone, address, tokenize='trigram')")
# Everything but separators (Z*: spaces, which never occur in a gram) is a token character. The
# plain ``tokenchars`` list would leave '"', '(', '*', zero-width characters … as separators, and
# split or drop the grams holding them. Migration 0005 creates the table with this same text.
NAME_TOKENIZER = "unicode61 remove_diacritics 0 categories 'L* N* M* P* S* C*'"
NAME_FTS_DDL = ("CREATE VIRTUAL TABLE IF NOT EXISTS resident_fts_name USING fts5("
                f"grams, tokenize=\"{NAME_TOKENIZER}\", detail=none, columnsize=0)")
# name_key: the pinyin sort key of the name (domain.pinyin.sort_key); lists order by it (migration 0016).
KEY_DDL = ("CREATE TABLE IF NOT EXISTS resident_fts_key (resident_id TEXT PRIMARY KEY NOT NULL, "
           "fts_rowid INTEGER NOT NULL, name_key TEXT NOT NULL DEFAULT '') WITHOUT ROWID")
KEY_INDEX_DDL = "CREATE INDEX IF NOT EXISTS ix_resident_fts_key_name_key ON resident_fts_key (name_key)"
SIDE_DDL = (FTS_DDL, NAME_FTS_DDL, KEY_DDL, KEY_INDEX_DDL)
FTS_TABLES = ("resident_fts", "resident_fts_name")
BUILD_HASH_BYTES = 64 * 1024 * 1024   # FTS5 in-memory hash while rebuilding: one segment, no merges
DEFAULT_HASH_BYTES = 1024 * 1024      # FTS5's default, set again afterwards (the setting is stored)

_FTS_INSERT = "INSERT INTO resident_fts (rowid, resident_id, id_number, phone, address) VALUES (?, ?, ?, ?, ?)"
_NAME_INSERT = "INSERT INTO resident_fts_name (rowid, grams) VALUES (?, ?)"
_NAME_REPLACE = "INSERT OR REPLACE INTO resident_fts_name (rowid, grams) VALUES (?, ?)"
_KEY_INSERT = "INSERT OR REPLACE INTO resident_fts_key (resident_id, fts_rowid, name_key) VALUES (?, ?, ?)"
_KEY_RENAME = "UPDATE resident_fts_key SET name_key = ? WHERE resident_id = ?"


def name_grams(name: str) -> set[str]:
    chars = "".join(name.split())
    grams = set(chars)
    grams.update(chars[i:i + 2] for i in range(len(chars) - 1))
    return grams


def name_doc(name: str | None) -> str:
    """The ``resident_fts_name`` document of ``name``: its grams, sorted, one token each."""
    return " ".join(sorted(name_grams(name or "")))


def index_fresh_rows(conn: Any, batch: list[tuple[Any, ...]]) -> None:
    """Index ``(rowid, resident_id, id_number, phone, address, name)`` of live residents not in the
    index yet, under the given rowids (DB-API connection or cursor, inside the caller's transaction)."""
    if not batch:
        return
    conn.executemany(_FTS_INSERT, [(rowid, rid, idn, phone or "", addr or "")
                                   for rowid, rid, idn, phone, addr, _name in batch])
    conn.executemany(_NAME_INSERT, [(b[0], name_doc(b[5])) for b in batch])
    conn.executemany(_KEY_INSERT, [(b[1], b[0], sort_key(b[5])) for b in batch])
