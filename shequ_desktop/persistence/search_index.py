"""Search side tables for residents, kept in step with every flush.

- ``resident_gram``: each 1- and 2-character gram of the name (most Chinese names are 2–3
  characters and FTS5 trigram cannot answer queries shorter than 3 characters).
- ``resident_fts``: FTS5 trigram over ID number, phone and address for fragments of 3+ characters.
- ``resident_fts_key``: resident id → rowid of its ``resident_fts`` row, so that re-indexing one
  resident deletes by rowid (``resident_id`` is UNINDEXED in the FTS table: deleting by it is a
  full scan of the whole index per changed resident). The resident table's own implicit rowid is
  not used: VACUUM may renumber it.

Re-indexing a resident deletes its old grams by primary key (the grams of the name before the
flush, known from the attribute history) and its FTS row by rowid: no scan, whatever the store size.

After a bulk load (initial pull) the side tables are rebuilt in one pass (``rebuild``); the setting
``search.rebuild_needed`` = "1" marks a store whose rows were committed but whose index is not built
yet, and ``ensure_built`` rebuilds it at the next opportunity (e.g. when the program starts). A bulk
load also drops the resident table's secondary indexes (``drop_resident_indexes``); the rebuild
recreates them from the DDL saved in ``search.dropped_indexes``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from shequ_desktop.persistence.journal import JournaledSession
from shequ_desktop.persistence.models import Resident

FTS_DDL = ("CREATE VIRTUAL TABLE IF NOT EXISTS resident_fts USING fts5("
           "resident_id UNINDEXED, id_number, phone, address, tokenize='trigram')")
KEY_DDL = ("CREATE TABLE IF NOT EXISTS resident_fts_key (resident_id TEXT PRIMARY KEY NOT NULL, "
           "fts_rowid INTEGER NOT NULL) WITHOUT ROWID")
REBUILD_FLAG = "search.rebuild_needed"
DEFER_KEY = "search.defer"      # session.info key: a bulk load rebuilds the index at its end
_INDEXED = ("name", "id_number", "phone", "address", "deleted_at")


def name_grams(name: str) -> set[str]:
    chars = "".join(name.split())
    grams = set(chars)
    grams.update(chars[i:i + 2] for i in range(len(chars) - 1))
    return grams


_UNKNOWN = object()


def _index(conn: Connection, rows: list[Any], old_names: dict[str, Any] | None = None) -> None:
    """Re-index ``rows`` (objects or rows with id, name, id_number, phone, address, deleted_at).

    ``old_names`` maps a resident id to its name before this change (``None``: it had no grams, a
    new resident; missing or ``_UNKNOWN``: not known, its grams are deleted by a scan instead).
    """
    if not rows:
        return
    old_names = old_names or {}
    gram_del: list[tuple[str, str]] = []
    scan_del: list[tuple[str]] = []
    for r in rows:
        old = old_names.get(r.id, _UNKNOWN)
        if old is _UNKNOWN:
            scan_del.append((r.id,))
            continue
        grams = name_grams(r.name or "")
        if old:
            grams |= name_grams(old)
        gram_del.extend((g, r.id) for g in grams)
    if gram_del:
        conn.exec_driver_sql("DELETE FROM resident_gram WHERE gram = ? AND resident_id = ?", gram_del)
    if scan_del:
        conn.exec_driver_sql("DELETE FROM resident_gram WHERE resident_id = ?", scan_del)

    ids = [r.id for r in rows]
    keys: dict[str, int] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        keys.update(conn.exec_driver_sql(
            f"SELECT resident_id, fts_rowid FROM resident_fts_key WHERE resident_id IN "
            f"({','.join('?' * len(chunk))})", tuple(chunk)).all())
    if keys:
        conn.exec_driver_sql("DELETE FROM resident_fts WHERE rowid = ?", [(k,) for k in keys.values()])

    live = [r for r in rows if r.deleted_at is None]
    grams = [(g, r.id) for r in live for g in name_grams(r.name)]
    if grams:
        conn.exec_driver_sql("INSERT OR IGNORE INTO resident_gram (gram, resident_id) VALUES (?, ?)", grams)
    again = [(keys[r.id], r.id, r.id_number, r.phone or "", r.address or "") for r in live if r.id in keys]
    if again:      # keep the resident's FTS rowid: its key row stays valid
        conn.exec_driver_sql("INSERT INTO resident_fts (rowid, resident_id, id_number, phone, address) "
                             "VALUES (?, ?, ?, ?, ?)", again)
    new_keys = []
    for r in live:
        if r.id not in keys:
            rowid = conn.exec_driver_sql(
                "INSERT INTO resident_fts (resident_id, id_number, phone, address) VALUES (?, ?, ?, ?)",
                (r.id, r.id_number, r.phone or "", r.address or "")).lastrowid
            new_keys.append((r.id, rowid))
    if new_keys:
        conn.exec_driver_sql("INSERT OR REPLACE INTO resident_fts_key (resident_id, fts_rowid) VALUES (?, ?)",
                             new_keys)
    gone = [(r.id,) for r in rows if r.deleted_at is not None and r.id in keys]
    if gone:
        conn.exec_driver_sql("DELETE FROM resident_fts_key WHERE resident_id = ?", gone)


def _old_name(o: Any) -> Any:
    state = o.__dict__.get("_sa_instance_state")
    if state is None:
        return _UNKNOWN
    hist = state.attrs["name"].history
    if not hist.has_changes():
        return o.name
    if hist.deleted:
        return hist.deleted[0]
    return _UNKNOWN


def _after_flush(session: Session, _ctx: Any) -> None:
    if session.info.get(DEFER_KEY):
        return
    changed: list[Any] = []
    old: dict[str, Any] = {}
    for o in session.new:
        if isinstance(o, Resident):
            changed.append(o)
            old[o.id] = None
    for o in session.dirty:
        if isinstance(o, Resident):
            state = o.__dict__.get("_sa_instance_state")
            if state is not None and any(state.attrs[k].history.has_changes() for k in _INDEXED):
                changed.append(o)
                old[o.id] = _old_name(o)
    if changed:
        _index(session.connection(), changed, old)


event.listen(JournaledSession, "after_flush", _after_flush)


def add_fresh(raw: Any, rows: list[dict[str, Any]]) -> None:
    """Index residents this store never had (no stale entries to delete) through a DB-API connection."""
    live = [r for r in rows if r.get("deleted_at") is None]
    if not live:
        return
    cur = raw.cursor()
    cur.executemany("INSERT OR IGNORE INTO resident_gram (gram, resident_id) VALUES (?, ?)",
                    [(g, r["id"]) for r in live for g in name_grams(r["name"])])
    keys = []
    for r in live:
        cur.execute("INSERT INTO resident_fts (resident_id, id_number, phone, address) VALUES (?, ?, ?, ?)",
                    (r["id"], r["id_number"], r.get("phone") or "", r.get("address") or ""))
        keys.append((r["id"], cur.lastrowid))
    cur.executemany("INSERT OR REPLACE INTO resident_fts_key (resident_id, fts_rowid) VALUES (?, ?)", keys)
    cur.close()


def grams_by_gram(rows: Any) -> list[tuple[str, list[str]]]:
    """(gram, sorted resident ids) for ``rows`` of (id, name), grams sorted: primary-key order."""
    by: dict[str, list[str]] = {}
    for rid, name in rows:
        for g in name_grams(name):
            lst = by.get(g)
            if lst is None:
                by[g] = [rid]
            else:
                lst.append(rid)
    out = []
    for g in sorted(by):
        ids = by[g]
        ids.sort()
        out.append((g, ids))
    return out


def _insert_grams(cur: Any, grouped: list[tuple[str, list[str]]]) -> None:
    """Append the grams in key order: one statement per gram, its ids passed as one JSON array
    (binding a million pairs one by one costs twice as much)."""
    import json
    try:
        for g, ids in grouped:
            cur.execute("INSERT INTO resident_gram (gram, resident_id) SELECT ?, value FROM json_each(?)",
                        (g, json.dumps(ids)))
    except Exception as e:  # noqa: BLE001  (an SQLite built without JSON1)
        if "json_each" not in str(e):
            raise
        cur.execute("DELETE FROM resident_gram")
        cur.executemany("INSERT INTO resident_gram (gram, resident_id) VALUES (?, ?)",
                        [(g, r) for g, ids in grouped for r in ids])


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


def _restore_indexes(cur: Any) -> None:
    import json
    have = cur.execute("SELECT value FROM setting WHERE key = ?", (DROPPED_INDEXES,)).fetchone()
    if not have:
        return
    exists = {r[0] for r in cur.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    for name, sql in json.loads(have[0]).items():
        if name not in exists:
            cur.execute(sql)
    cur.execute("DELETE FROM setting WHERE key = ?", (DROPPED_INDEXES,))


def rebuild_raw(raw: Any) -> int:
    """Rebuild all three side tables from the resident table in one pass (DB-API connection, inside
    the caller's transaction), and recreate resident indexes a bulk load dropped. The FTS table is
    recreated and filled by one INSERT … SELECT with a 64 MiB FTS5 hash (one segment instead of dozens
    to merge); grams are appended in key order, grouped on a thread meanwhile."""
    import threading
    cur = raw.cursor()
    _restore_indexes(cur)
    cur.execute("DELETE FROM resident_gram")
    cur.execute("DELETE FROM resident_fts_key")
    # The grams are grouped in Python on a thread while SQLite (which releases the GIL) builds the FTS.
    names = cur.execute("SELECT id, name FROM resident WHERE deleted_at IS NULL").fetchall()
    grouped: list[list[tuple[str, list[str]]]] = []
    worker = threading.Thread(target=lambda: grouped.append(grams_by_gram(names)), name="search-grams")
    worker.start()
    try:
        cur.execute("DROP TABLE IF EXISTS resident_fts")
        cur.execute(FTS_DDL)
        cur.execute("INSERT INTO resident_fts (resident_fts, rank) VALUES ('hashsize', 67108864)")
        cur.execute("INSERT INTO resident_fts (rowid, resident_id, id_number, phone, address) "
                    "SELECT row_number() OVER (ORDER BY id), id, id_number, coalesce(phone, ''), "
                    "coalesce(address, '') FROM resident WHERE deleted_at IS NULL")
        cur.execute("INSERT INTO resident_fts (resident_fts, rank) VALUES ('hashsize', 1048576)")  # the default
        cur.execute("INSERT INTO resident_fts_key (resident_id, fts_rowid) SELECT resident_id, rowid FROM resident_fts")
    finally:
        worker.join()
    if not grouped:
        raise RuntimeError("grouping the name grams failed")
    _insert_grams(cur, grouped[0])
    n = cur.execute("SELECT count(*) FROM resident_fts_key").fetchone()[0]
    cur.close()
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
