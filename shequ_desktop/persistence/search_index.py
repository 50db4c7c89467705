"""Search side tables for residents, kept in step with every flush.

- ``resident_fts``: FTS5 trigram over ID number, phone and address for fragments of 3+ characters.
- ``resident_fts_name``: FTS5 over the name grams — one document per live resident, its rowid the
  same as the resident's ``resident_fts`` row. The document is every 1- and 2-character gram of the
  name (whitespace removed), sorted, separated by spaces (``name_doc``): most Chinese names are 2–3
  characters and FTS5 trigram cannot answer queries shorter than 3 characters. The tokenizer
  (``NAME_TOKENIZER``) counts every character except whitespace (Unicode Z*) as a token character —
  CJK ideographs of every extension, letters, digits, combining marks, punctuation (``·``, ``•``,
  ``・``, ``.``, ``-``, ``'``, ``"`` …), symbols and format characters — so each gram is exactly one
  token and a query gram is one phrase (``gram_phrase``). unicode61 folds case (``remove_diacritics
  0`` keeps accents): a 1–2 letter Latin query finds the name whatever its case; a longer query
  is still checked against the name exactly (``instr``), as before. ``detail=none, columnsize=0``:
  only "which documents hold this gram" is stored, which is all a gram lookup needs.
- ``resident_fts_key``: resident id → the rowid of its row in both FTS tables, so that re-indexing
  one resident deletes by rowid (``resident_id`` is UNINDEXED in ``resident_fts``: deleting by it is
  a full scan of the whole index per changed resident). The resident table's own implicit rowid is
  not used: VACUUM may renumber it.

Re-indexing a resident deletes its rows in both FTS tables by rowid and inserts them again under
the same rowid: no scan, whatever the store size. Both FTS tables hold live residents only.

After a bulk load (initial pull) the side tables are rebuilt in one pass (``rebuild``); the setting
``search.rebuild_needed`` = "1" marks a store whose rows were committed but whose index is not built
yet, and ``ensure_built`` rebuilds it at the next opportunity (e.g. when the program starts). A bulk
load also drops the resident table's secondary indexes (``drop_resident_indexes``); the rebuild
recreates them from the DDL saved in ``search.dropped_indexes``.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from shequ_desktop.persistence.journal import JournaledSession
from shequ_desktop.persistence.models import Resident
from shequ_desktop.persistence.search_schema import (  # noqa: F401  (re-exported)
    _FTS_INSERT, _KEY_INSERT, _KEY_RENAME, _NAME_INSERT, _NAME_REPLACE, BUILD_HASH_BYTES, DEFAULT_HASH_BYTES, FTS_DDL,
    FTS_TABLES, KEY_DDL, NAME_FTS_DDL, NAME_TOKENIZER, SIDE_DDL, index_fresh_rows, name_doc, name_grams, sort_key)

REBUILD_FLAG = "search.rebuild_needed"
DEFER_KEY = "search.defer"      # session.info key: a bulk load rebuilds the index at its end
_INDEXED = ("name", "id_number", "phone", "address", "deleted_at")


def gram_phrase(gram: str) -> str:
    """An FTS5 query string matching the one token ``gram`` (a double quote is doubled)."""
    return '"' + gram.replace('"', '""') + '"'


def _index(conn: Connection, rows: list[Any]) -> None:
    """Re-index ``rows`` (objects or rows with id, name, id_number, phone, address, deleted_at):
    their old rows go by rowid, live ones come back under the same rowid (new ones get a new one)."""
    if not rows:
        return
    ids = [r.id for r in rows]
    keys: dict[str, int] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        keys.update(conn.exec_driver_sql(
            f"SELECT resident_id, fts_rowid FROM resident_fts_key WHERE resident_id IN "
            f"({','.join('?' * len(chunk))})", tuple(chunk)).all())
    if keys:
        old = [(k,) for k in keys.values()]
        conn.exec_driver_sql("DELETE FROM resident_fts WHERE rowid = ?", old)
        conn.exec_driver_sql("DELETE FROM resident_fts_name WHERE rowid = ?", old)

    live = [r for r in rows if r.deleted_at is None]
    again = [(keys[r.id], r.id, r.id_number, r.phone or "", r.address or "") for r in live if r.id in keys]
    names = [(keys[r.id], name_doc(r.name)) for r in live if r.id in keys]
    if again:      # keep the resident's FTS rowid: its key row stays valid
        conn.exec_driver_sql(_FTS_INSERT, again)
        conn.exec_driver_sql(_KEY_RENAME, [(sort_key(r.name), r.id) for r in live if r.id in keys])
    new_keys = []
    for r in live:
        if r.id not in keys:
            rowid = conn.exec_driver_sql(
                "INSERT INTO resident_fts (resident_id, id_number, phone, address) VALUES (?, ?, ?, ?)",
                (r.id, r.id_number, r.phone or "", r.address or "")).lastrowid
            new_keys.append((r.id, rowid, sort_key(r.name)))
            names.append((rowid, name_doc(r.name)))
    if names:      # REPLACE: a name row left behind under a reused rowid must not stop the flush
        conn.exec_driver_sql(_NAME_REPLACE, names)
    if new_keys:
        conn.exec_driver_sql(_KEY_INSERT, new_keys)
    gone = [(r.id,) for r in rows if r.deleted_at is not None and r.id in keys]
    if gone:
        conn.exec_driver_sql("DELETE FROM resident_fts_key WHERE resident_id = ?", gone)


def _after_flush(session: Session, _ctx: Any) -> None:
    if session.info.get(DEFER_KEY):
        return
    changed: list[Any] = [o for o in session.new if isinstance(o, Resident)]
    for o in session.dirty:
        if isinstance(o, Resident):
            state = o.__dict__.get("_sa_instance_state")
            if state is not None and any(state.attrs[k].history.has_changes() for k in _INDEXED):
                changed.append(o)
    if changed:
        _index(session.connection(), changed)


event.listen(JournaledSession, "after_flush", _after_flush)


def _next_rowid(cur: Any) -> int:
    top = 0
    for table in FTS_TABLES:    # a full-table FTS5 scan in rowid order: reads one row
        row = cur.execute(f"SELECT rowid FROM {table} ORDER BY rowid DESC LIMIT 1").fetchone()
        if row is not None:
            top = max(top, int(row[0]))
    return top + 1


def add_fresh(raw: Any, rows: list[dict[str, Any]]) -> None:
    """Index residents this store never had (no stale entries to delete) through a DB-API connection."""
    live = [r for r in rows if r.get("deleted_at") is None]
    if not live:
        return
    cur = raw.cursor()
    n = _next_rowid(cur)
    index_fresh_rows(cur, [(n + i, r["id"], r["id_number"], r.get("phone"), r.get("address"), r["name"])
                           for i, r in enumerate(live)])
    cur.close()


DROPPED_INDEXES = "search.dropped_indexes"   # setting: the resident indexes a bulk load dropped (JSON)


def drop_resident_indexes(raw: Any) -> None:
    """Bulk load: drop the resident table's secondary indexes (inserting in random key order into them
    is most of the cost of a row); their DDL is kept in the setting ``search.dropped_indexes`` and
    ``rebuild`` recreates them. Run in the transaction that sets ``search.rebuild_needed``."""
    import json
    cur = raw.cursor()
    have = cur.execute("SELECT value FROM setting WHERE key = ?", (DROPPED_INDEXES,)).fetchone()
    saved = dict(json.loads(have[0])) if have else {}
    for name, sql in cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                 "AND tbl_name = 'resident' AND sql IS NOT NULL").fetchall():
        saved[name] = sql
        cur.execute(f'DROP INDEX "{name}"')
    cur.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (DROPPED_INDEXES, json.dumps(saved)))
    cur.close()


def restore_resident_indexes(cur: Any) -> None:
    """Recreate the resident indexes ``drop_resident_indexes`` dropped (DB-API cursor)."""
    import json
    have = cur.execute("SELECT value FROM setting WHERE key = ?", (DROPPED_INDEXES,)).fetchone()
    if not have:
        return
    exists = {r[0] for r in cur.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    for name, sql in json.loads(have[0]).items():
        if name not in exists:
            cur.execute(sql)
    cur.execute("DELETE FROM setting WHERE key = ?", (DROPPED_INDEXES,))


def _fresh_fts(cur: Any, table: str, ddl: str) -> None:
    cur.execute(f"DROP TABLE IF EXISTS {table}")
    cur.execute(ddl)
    cur.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', {BUILD_HASH_BYTES})")


def rebuild_raw(raw: Any) -> int:
    """Rebuild all three side tables from the resident table in one pass (DB-API connection, inside
    the caller's transaction), and recreate resident indexes a bulk load dropped. Both FTS tables
    are recreated and filled with a 64 MiB FTS5 hash (one segment instead of dozens to merge): the
    trigram one by one INSERT … SELECT numbering the live residents 1..n in id order, the name one
    with the documents of the names in the same order, built on a thread meanwhile (SQLite releases
    the interpreter lock while it tokenizes)."""
    cur = raw.cursor()
    restore_resident_indexes(cur)
    cur.execute("DELETE FROM resident_fts_key")
    people = cur.execute("SELECT id, name FROM resident WHERE deleted_at IS NULL ORDER BY id").fetchall()
    names = [r[1] for r in people]
    docs: list[list[tuple[int, str]]] = []
    keys: list[list[tuple[str, int, str]]] = []

    def build_documents() -> None:
        docs.append([(i, name_doc(n)) for i, n in enumerate(names, 1)])
        keys.append([(rid, i, sort_key(n)) for i, (rid, n) in enumerate(people, 1)])

    worker = threading.Thread(target=build_documents, name="search-name-docs")
    worker.start()
    try:
        _fresh_fts(cur, "resident_fts", FTS_DDL)
        cur.execute("INSERT INTO resident_fts (rowid, resident_id, id_number, phone, address) "
                    "SELECT row_number() OVER (ORDER BY id), id, id_number, coalesce(phone, ''), "
                    "coalesce(address, '') FROM resident WHERE deleted_at IS NULL")
    finally:
        worker.join()
    if not docs or not keys:
        raise RuntimeError("building the name documents failed")
    # the same numbering as resident_fts above (row_number over the live residents in id order); a store
    # rebuilt before its upgrade (schema < 0016, no name_key yet) gets its keys from that migration
    if "name_key" in {r[1] for r in cur.execute("PRAGMA table_info(resident_fts_key)")}:
        cur.executemany("INSERT INTO resident_fts_key (resident_id, fts_rowid, name_key) VALUES (?, ?, ?)", keys[0])
    else:
        cur.executemany("INSERT INTO resident_fts_key (resident_id, fts_rowid) VALUES (?, ?)",
                        [k[:2] for k in keys[0]])
    _fresh_fts(cur, "resident_fts_name", NAME_FTS_DDL)
    cur.executemany("INSERT INTO resident_fts_name (rowid, grams) VALUES (?, ?)", docs[0])
    for table in FTS_TABLES:
        cur.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', {DEFAULT_HASH_BYTES})")
    n = cur.execute("SELECT count(*) FROM resident_fts_key").fetchone()[0]
    cur.close()
    if n != len(names):
        raise RuntimeError("the search index does not match the residents")
    return int(n)


def rebuild(conn: Connection) -> int:
    """Rebuild the side tables from the resident table (after restore or a bulk pull); returns the
    number of live residents indexed."""
    return rebuild_raw(conn.connection.driver_connection)


def ensure_built(engine: Any) -> bool:
    """Finish an interrupted bulk load: if ``search.rebuild_needed`` is set, rebuild and clear it in
    one transaction. Returns whether a rebuild ran."""
    with engine.connect() as conn:
        flag = conn.exec_driver_sql("SELECT value FROM setting WHERE key = ?", (REBUILD_FLAG,)).scalar()
    if flag != "1":
        return False
    with engine.begin() as conn:
        flag = conn.exec_driver_sql("SELECT value FROM setting WHERE key = ?", (REBUILD_FLAG,)).scalar()
        if flag != "1":
            return False
        rebuild(conn)
        conn.exec_driver_sql("DELETE FROM setting WHERE key = ?", (REBUILD_FLAG,))
    return True
