"""Build the residents' search index in a process of its own while a bulk load writes the rows.

SQLite lets one connection write a database file at a time, so the search index of a bulk load
(the first sync of a workstation) would otherwise be built after the rows, on the same thread:
about as long again as loading them. ``ParallelBuilder`` fills the same side tables (FTS5 over ID
number / phone / address, FTS5 over the name grams, the resident → FTS rowid key) in a scratch
database file, from batches the loader hands over, in a separate process. A thread would not do:
both sides insert row by row with ``executemany``, which gives up the interpreter lock around every
row, and two threads doing that hand the lock to each other a million times — measured, the rows
and the index then took longer side by side (7.3 s) than one after the other (4.6 s). The process
starts with ``spawn`` (the only method on Windows; no fork of a threaded Qt program) and imports
only ``search_schema`` and sqlite3. ``install`` then copies the finished tables into the store
inside the loader's transaction: a copy of sorted B-trees, a fraction of building them.

The copy writes the FTS5 shadow tables (``resident_fts_data``, ``…_idx``, ``…_content``, …) of
virtual tables that already exist in the store with the same definition. FTS5 keeps a cached copy
of its structure record per connection, so the connection that ran ``install`` must be closed
for good after its commit (the caller invalidates it); other connections notice the commit
(``PRAGMA data_version``) and re-read.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import tempfile
import traceback
import uuid
from pathlib import Path
from typing import Any

from shequ_desktop.persistence import search_schema

try:
    from orjson import loads as _loads
except ImportError:  # pragma: no cover
    from json import loads as _loads

def _live_residents(chunk: bytes, first_rowid: int) -> list[tuple[Any, ...]]:
    """A snapshot chunk line (JSON: {"entity", "cols", "rows"}) → (rowid, id, id_number, phone,
    address, name) of its live residents, numbered from ``first_rowid``."""
    data = _loads(chunk)
    at = {c: i for i, c in enumerate(data["cols"])}
    i_id, i_num, i_name = at["id"], at["id_number"], at["name"]
    i_phone, i_addr, i_del = at.get("phone"), at.get("address"), at.get("deleted_at")
    out = []
    n = first_rowid
    for r in data["rows"]:
        if i_del is not None and r[i_del] is not None:
            continue
        out.append((n, r[i_id], r[i_num], r[i_phone] if i_phone is not None else "",
                    r[i_addr] if i_addr is not None else "", r[i_name]))
        n += 1
    return out


def _child_main(path: str, inbox: Any, outbox: Any) -> None:
    """The builder process: index every batch from ``inbox`` until None, commit, report "ok"."""
    try:
        c = sqlite3.connect(path, isolation_level=None)
        c.execute("PRAGMA journal_mode=OFF")      # scratch data: built again from scratch if anything fails
        c.execute("PRAGMA synchronous=OFF")
        c.execute("PRAGMA cache_size=-131072")
        for ddl in search_schema.SIDE_DDL:
            c.execute(ddl)
        c.execute("BEGIN")
        for table in search_schema.FTS_TABLES:
            c.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', {search_schema.BUILD_HASH_BYTES})")
        rowid = 1
        while True:
            chunk = inbox.get()
            if chunk is None:
                break
            batch = _live_residents(chunk, rowid)
            rowid += len(batch)
            search_schema.index_fresh_rows(c, batch)
        for table in search_schema.FTS_TABLES:   # the default again: the copy keeps this setting
            c.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('hashsize', {search_schema.DEFAULT_HASH_BYTES})")
        c.execute("COMMIT")
        c.close()
        outbox.put("ok")
    except BaseException:  # noqa: BLE001  (reported to the loader)
        outbox.put(traceback.format_exc())


class ParallelBuilder:
    """Receives the resident chunks of a snapshot as the JSON bytes of their lines (``put_chunk``;
    decoding them is the builder's work, not the loader's) and indexes their live residents into a
    scratch file under rowids 1, 2, … in load order, in a process of its own."""

    def __init__(self, directory: Path | None = None) -> None:
        d = Path(directory) if directory is not None else Path(tempfile.gettempdir())
        self.path = d / f".search-build-{uuid.uuid4().hex}.db"
        mp = multiprocessing.get_context("spawn")
        self._inbox: Any = mp.Queue()
        self._outbox: Any = mp.Queue()
        self._proc = mp.Process(target=_child_main, args=(str(self.path), self._inbox, self._outbox),
                                name="shequ-search-build", daemon=True)
        self._proc.start()
        self._done = False

    def put_chunk(self, line: bytes) -> None:
        if not self._proc.is_alive():
            raise RuntimeError("the search-index builder stopped: " + self._result(0.0))
        self._inbox.put(bytes(line))

    def _result(self, timeout: float) -> str:
        try:
            return str(self._outbox.get(timeout=timeout))
        except Exception:  # noqa: BLE001  (queue.Empty, or the process died without a word)
            return f"no answer (exit code {self._proc.exitcode})"

    def finish(self, timeout: float = 600.0) -> None:
        """Wait until every batch is indexed and committed to the scratch file."""
        self._done = True
        self._inbox.put(None)
        result = self._result(timeout)
        self._proc.join(timeout=30)
        if result != "ok":
            raise RuntimeError(f"building the search index failed: {result}")

    def close(self) -> None:
        """Stop the process if it still runs (the load failed) and release the queues."""
        if self._proc.is_alive():
            if not self._done:
                self._proc.terminate()
            self._proc.join(timeout=30)
        for q in (self._inbox, self._outbox):
            q.close()
            q.cancel_join_thread()      # batches nobody will read must not hold up this process's exit

    def remove(self) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.remove(str(self.path) + suffix)
            except OSError:
                pass


def install(cur: Any, schema: str) -> None:
    """Replace the store's search side tables by the ones built in the attached database ``schema``
    (inside the caller's transaction; the side tables must exist in both with the same columns)."""
    tables = [r[0] for r in cur.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name LIKE 'resident_fts%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name").fetchall()]
    have = {r[0] for r in cur.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")}
    missing = [t for t in tables if t not in have]
    if missing:
        raise RuntimeError(f"the store lacks search tables {missing}")
    for t in tables:
        cols = [r[1] for r in cur.execute(f'PRAGMA {schema}.table_info("{t}")')]
        mine = [r[1] for r in cur.execute(f'PRAGMA main.table_info("{t}")')]
        if cols != mine:
            raise RuntimeError(f"search table {t} differs between the store and the build")
        cur.execute(f'DELETE FROM main."{t}"')
        cur.execute(f'INSERT INTO main."{t}" SELECT * FROM {schema}."{t}"')


def self_test(directory: Path | None = None) -> float:
    """Start the builder process, index three sample residents, check the result; returns the
    seconds taken. For installers and support: an antivirus or a frozen program without
    ``freeze_support`` shows up here, not in a station's first sync."""
    import json
    import time
    t0 = time.perf_counter()
    builder = ParallelBuilder(directory)
    try:
        cols = ["id", "id_number", "name", "phone", "address", "deleted_at"]
        rows = [["00000000-0000-7000-8000-000000000001", "110105194001010018", "王伟", "13800000001", "幸福里1栋", None],
                ["00000000-0000-7000-8000-000000000002", "110105194001020014", "李秀英", "", "幸福里2栋", None],
                ["00000000-0000-7000-8000-000000000003", "110105194001030010", "张三", "", "", "2026-01-01"]]
        builder.put_chunk(json.dumps({"entity": "resident", "cols": cols, "rows": rows},
                                     ensure_ascii=False).encode())
        builder.finish(timeout=60)
        c = sqlite3.connect(str(builder.path))
        try:
            hits = c.execute("SELECT count(*) FROM resident_fts_name WHERE resident_fts_name MATCH '\"秀英\"'").fetchone()[0]
            keys = c.execute("SELECT count(*) FROM resident_fts_key").fetchone()[0]
        finally:
            c.close()
        if (hits, keys) != (1, 2):
            raise RuntimeError(f"the search-index builder produced a wrong index ({hits} hits, {keys} keys)")
    finally:
        builder.close()
        builder.remove()
    return time.perf_counter() - t0
