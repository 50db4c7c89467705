"""First sync of an empty workstation: start from the community's current state, not its history.

Replaying a community's whole change log page by page costs the hub a query and a JSON page per
5,000 changes and the workstation a decoded dictionary per change (≈27,000 records/s for 200,000
residents). A new workstation instead starts from the community's current state, in this order:

1. **The seed** (``seed_load``): a ready-made store of this program's schema revision holding the
   community's records and their search index, built by the hub with this very module and cached
   there. Downloaded (gzip), checked, and copied in table by table — no JSON, no tokenizing here.
2. **The snapshot** (``bootstrap``), when the hub cannot build this schema revision (it runs
   another program version) or has no seeds: ``GET /api/v1/sync/snapshot``, gzip NDJSON, one chunk
   of at most 5,000 rows per line, the columns listed once per chunk (10 MB for 200,000 residents
   instead of 124 MB of change pages), inserted here while a spawned process builds the search
   index alongside.
3. **The change log** (``engine.pull``) — for a hub without either, and in every case for the
   changes after the seed's or snapshot's cursor.

All or nothing: the rows, the residents' indexes and search index, and the cursor commit in ONE
transaction. A network failure, a truncated download, a seed that does not fit or a crash before
the commit leaves the store exactly as it was (the next sync starts again). Only an empty store
(no cursor, no synced records) starts this way: a store with records of its own merges through
the ordinary pull.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import queue
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import text

from shequ_desktop.domain.clock import Clock
from shequ_desktop.persistence import search_build, search_index
from shequ_desktop.persistence.db import Database
from shequ_desktop.persistence.journal import remote_bulk_apply
from shequ_desktop.persistence.models import Resident
from shequ_desktop.persistence.sync_models import PulledChangeQuarantine
from shequ_desktop.sync import engine as E
from shequ_desktop.sync.client import HubClient, HubError, HubRejected, HubUnavailable

log = logging.getLogger(__name__)
SNAPSHOT_MIN_HEAD = 5_000     # below this many changes the ordinary pull is as fast
QUEUE_DEPTH = 4               # decoded chunks waiting while earlier ones are written
CACHE_KIB = 131072            # page cache of the loading connection: the load's pages stay in memory


class SnapshotUnusable(Exception):
    """The snapshot cannot be applied here (not an empty store, or no snapshot on this hub)."""


@dataclass
class BootstrapReport:
    source: str = "snapshot"      # "seed" (ready-made store) or "snapshot" (NDJSON rows)
    rows: int = 0
    applied: int = 0
    existing: int = 0
    unknown: int = 0
    orphans: int = 0
    cursor: int = 0
    nbytes: int = 0
    seconds: float = 0.0
    download_seconds: float = 0.0
    index_seconds: float = 0.0
    set_aside: int = 0            # records whose values this store cannot hold (sync_pull_quarantine)


def store_is_empty(db: Database) -> bool:
    """No cursor yet, nothing waiting to be sent, and no record of the community's data — apart from
    the default service catalogue a first start seeds on its own (fixed keys, ``counter.
    default_service_id``): the first sync replaces it by the community's catalogue on the hub (this
    station's copy was pushed just before, and every station's defaults have the same keys). A store
    that worked offline before its first sync uses the ordinary pull: its own rows must be merged."""
    from shequ_desktop.domain.service_catalogue import default_service_ids
    with db.session_factory() as s:
        if int(E.get_value(s, E.CURSOR_KEY, "0") or 0) != 0:
            return False
        if s.execute(text(E._ANY_PENDING_SQL)).first() is not None:
            return False
        community_id = E.get_value(s, "community_id")
        defaults = set(default_service_ids(community_id))
        for name in E.synced_models():
            if name == "service_item":
                ids = {r[0] for r in s.execute(text("SELECT id FROM service_item WHERE community_id = :c"),
                                               {"c": community_id})}
                if ids - defaults:
                    return False
                continue
            if s.execute(text(f'SELECT 1 FROM "{name}" WHERE community_id = :c LIMIT 1'),
                         {"c": community_id}).first() is not None:
                return False
    return True


def _drop_default_catalogue(cur: Any, community_id: str) -> None:
    """Inside the load's transaction: the station's own default catalogue makes way for the hub's."""
    from shequ_desktop.domain.service_catalogue import default_service_ids
    with remote_bulk_apply():
        cur.executemany("DELETE FROM service_item WHERE id = ? AND community_id = ?",
                        [(i, community_id) for i in default_service_ids(community_id)])


# -- wire row → storage row ---------------------------------------------------------------

def _iso_to_storage(v: Any) -> Any:
    """ISO 8601 with offset → the UTC text SQLAlchemy stores ("YYYY-MM-DD HH:MM:SS.ffffff")."""
    if v is None:
        return None
    s = str(v)
    if s.endswith("+00:00") and len(s) >= 25 and s[10] == "T":
        base = s[:-6]
        if len(base) == 19:
            return f"{base[:10]} {base[11:]}.000000"
        if len(base) == 26:
            return f"{base[:10]} {base[11:]}"
    when = E._parse_dt(s)
    assert when is not None
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


_PLANS: dict[tuple[str, tuple[str, ...]], tuple[str, Callable[[list[Any]], tuple[Any, ...]], list[str]] | None] = {}


def _plan(info: E._ModelInfo, cols: list[str], community_id: str) -> (
        tuple[str, Callable[[list[Any]], tuple[Any, ...]], list[str]] | None):
    """(INSERT statement, row builder, column names) for a chunk with these columns; None when a
    required column is missing (rows this program cannot store)."""
    key = (info.table.name + "\0" + community_id, tuple(cols))
    if key in _PLANS:
        return _PLANS[key]
    sql, plan = E._raw_plan(info)
    where = {c: i for i, c in enumerate(cols)}
    env: dict[str, Any] = {"community_id": community_id, "iso": _iso_to_storage}
    parts = []
    names = []
    result: tuple[str, Callable[[list[Any]], tuple[Any, ...]], list[str]] | None = None
    for i, (k, conv, default) in enumerate(plan):
        names.append(k)
        if k == "community_id":
            parts.append("community_id")
        elif k in ("created_at", "updated_at") and k in where:
            parts.append(f"iso(r[{where[k]}])")
        elif k in where:
            j = where[k]
            if conv is E._identity:
                parts.append(f"r[{j}]")
            else:
                env[f"c{i}"] = conv
                parts.append(f"(None if r[{j}] is None else c{i}(r[{j}]))")
        elif k in info.required or k in ("id", "created_at", "updated_at", "updated_by", "version"):
            break
        else:
            env[f"d{i}"] = default
            parts.append(f"d{i}")
    else:
        src = f"def build(r):\n    return ({', '.join(parts)},)\n"
        exec(compile(src, f"<snapshot row builder {info.table.name}>", "exec"), env)  # noqa: S102
        result = (sql, env["build"], names)
    _PLANS[key] = result
    return result


# -- the bootstrap ---------------------------------------------------------------------------

def _set_aside(s: Any, entity: str, records: list[dict[str, Any]], report: BootstrapReport, clock: Clock) -> int:
    """Records of the snapshot whose values this store cannot hold (a hub accepted them before it checked
    values): kept apart with the reason, like a pulled change that cannot be applied — ``sync status``
    says so; the rest of the snapshot is loaded."""
    for r in records:
        report.set_aside += 1
        item = {"entity": entity, "entity_id": r["entity_id"], "op": "insert", "fields": r["doc"],
                "version": r.get("version"), "source": "snapshot"}
        s.add(PulledChangeQuarantine(seq=-report.set_aside, change_id=f"snapshot:{r['entity_id']}"[:36],
                                     entity=entity[:64], entity_id=str(r["entity_id"])[:36], item=item,
                                     reason=str(r.get("reason") or "")[:1000], at=clock.now()))
    s.flush()
    return len(records)


def bootstrap(db: Database, client: HubClient, clock: Clock, *,
              progress: Callable[[int, int], None] | None = None) -> BootstrapReport:
    """Load the hub's snapshot into this empty store (see the module docstring). Raises
    SnapshotUnusable when it cannot be used here (caller: pull normally), HubError on network or
    hub trouble (nothing applied)."""
    if not store_is_empty(db):
        raise SnapshotUnusable("the store already holds records")
    report = BootstrapReport()
    t_start = time.perf_counter()
    lines: queue.Queue[Any] = queue.Queue(maxsize=QUEUE_DEPTH)
    stop = threading.Event()
    timing = {"download": 0.0}

    def fetch() -> None:
        t0 = time.perf_counter()
        try:
            for obj in client.snapshot(with_raw=True):
                while not stop.is_set():
                    try:
                        lines.put(obj, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            item: Any = None
        except BaseException as e:  # noqa: BLE001  (handed to the consumer)
            item = e
        timing["download"] = time.perf_counter() - t0
        while not stop.is_set():
            try:
                lines.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    raw_line = {"bytes": b""}

    def next_line() -> Any:
        item = lines.get()
        if isinstance(item, BaseException):
            raise item
        if item is None:
            return None
        raw_line["bytes"] = item[1]
        return item[0]

    conn: Any = None
    # the index builder process starts while the hub answers (a process start costs ~0.1–0.3 s);
    # when it cannot start (or fails later) the index is built here after the rows, just slower
    builder: search_build.ParallelBuilder | None = None
    dead: list[search_build.ParallelBuilder] = []
    try:
        builder = search_build.ParallelBuilder(db.path.parent)
    except Exception as e:  # noqa: BLE001
        log.warning("search-index builder process did not start (%s); building the index in-line", e)
    fetcher = threading.Thread(target=fetch, daemon=True, name="sync-snapshot")
    fetcher.start()
    try:
        header = next_line()
        if header is None or not isinstance(header, dict) or header.get("snapshot") != 1:
            raise HubUnavailable("The hub's snapshot is not in a format this program knows.")
        community_id = str(header["community_id"])
        report.cursor = int(header["cursor"])
        report.rows = int(header["rows"])
        conn = E._bulk_connection(db)
        raw = conn.connection.driver_connection
        raw.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        if builder is not None:
            raw.execute("ATTACH DATABASE ? AS boot", (str(builder.path),))
        seen = 0
        with db.session_factory(bind=conn) as s, s.begin():
            cur = s.connection().connection.driver_connection.cursor()
            search_index.drop_resident_indexes(cur.connection)
            _drop_default_catalogue(cur, community_id)
            ended = False
            while True:
                obj = next_line()
                if obj is None:
                    break
                if obj.get("end"):
                    if int(obj.get("rows", -1)) != report.rows or seen != report.rows:
                        raise HubUnavailable("The hub's snapshot was incomplete; it will be fetched again.")
                    ended = True
                    continue
                if obj.get("set_aside"):
                    seen += _set_aside(s, str(obj["entity"]), obj["set_aside"], report, clock)
                    continue
                rows = obj["rows"]
                seen += len(rows)
                info = E.model_info(str(obj["entity"]))
                if info is None:
                    report.unknown += len(rows)
                    continue
                plan = _plan(info, list(obj["cols"]), community_id)
                if plan is None:
                    report.orphans += len(rows)
                    continue
                sql, build, names = plan
                built = [build(r) for r in rows]
                with remote_bulk_apply():
                    cur.executemany(sql, built)
                report.applied += len(built)
                if info.model is Resident and builder is not None:
                    try:
                        builder.put_chunk(raw_line["bytes"])
                    except Exception as e:  # noqa: BLE001
                        log.warning("search-index builder failed (%s); building the index in-line", e)
                        builder.close()
                        dead.append(builder)
                        builder = None
                if progress is not None:
                    progress(seen, report.rows)
            if not ended:
                raise HubUnavailable("The hub's snapshot ended early; it will be fetched again.")
            t_index = time.perf_counter()
            search_index.restore_resident_indexes(cur)    # this thread's share while the builder ends
            if builder is not None:
                try:
                    builder.finish()
                    search_build.install(cur, "boot")
                except Exception as e:  # noqa: BLE001
                    log.warning("search-index builder failed (%s); building the index in-line", e)
                    search_index.rebuild_raw(cur.connection)
            else:
                search_index.rebuild_raw(cur.connection)
            cur.execute("DELETE FROM setting WHERE key = ?", (search_index.REBUILD_FLAG,))
            E.put_value(s, E.CURSOR_KEY, str(report.cursor))
            report.index_seconds = time.perf_counter() - t_index
            cur.close()
    except BaseException:
        stop.set()
        raise
    finally:
        stop.set()
        if builder is not None:
            builder.close()
        if conn is not None:
            # FTS5 caches its structure per connection and install() wrote its tables directly:
            # this connection is closed for good, never handed out again by the pool.
            conn.invalidate()
            conn.close()
        for b in [builder, *dead]:
            if b is not None:
                b.remove()
        fetcher.join(timeout=30)
        report.nbytes = client.nbytes
        report.download_seconds = timing["download"]
        report.seconds = time.perf_counter() - t_start
    return report


class SeedUnusable(Exception):
    """The downloaded seed does not fit this store (schema, tables or community); not applied."""


def synced_tables_in_fk_order() -> list[str]:
    from shequ_desktop.persistence.base import Base
    synced = set(E.synced_models())
    return [t.name for t in Base.metadata.sorted_tables if t.name in synced]


def _check_seed(path: Path, revision: str, community_id: str, tables: list[str],
                main_columns: dict[str, list[str]]) -> None:
    """The seed must be a store of exactly this schema revision, holding only this community."""
    c = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            have = c.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as e:
            raise SeedUnusable(f"not a store: {e}") from None
        if have is None or have[0] != revision:
            raise SeedUnusable(f"schema {have[0] if have else '?'} instead of {revision}")
        for t in tables:
            cols = [r[1] for r in c.execute(f'PRAGMA table_info("{t}")')]
            if cols != main_columns[t]:
                raise SeedUnusable(f"table {t} differs")
            if c.execute(f'SELECT 1 FROM "{t}" WHERE community_id != ? LIMIT 1', (community_id,)).fetchone():
                raise SeedUnusable(f"table {t} holds records of another community")
    finally:
        c.close()


def seed_load(db: Database, client: HubClient, clock: Clock, community_id: str, *,
              progress: Callable[[int, int], None] | None = None) -> BootstrapReport:
    """Start an empty store from the hub's seed: a ready-made store of this schema revision with the
    community's records and their search index, built by the hub with this same code
    (``bootstrap``) and cached there. Here it is downloaded to a scratch file, checked (schema
    revision, table columns, community), and copied in — ``INSERT … SELECT`` per table in
    foreign-key order, the search tables copied as they are — in ONE transaction with the cursor.
    No JSON to decode and no index to tokenize on this PC: B-trees are copied.

    Raises HubRejected 404/409 when the hub has no seed for this revision (the caller then loads
    the NDJSON snapshot), SeedUnusable when the file does not fit, HubError on network trouble;
    in every case nothing is applied."""
    from shequ_desktop.persistence.db import head_revision
    if not store_is_empty(db):
        raise SnapshotUnusable("the store already holds records")
    report = BootstrapReport(source="seed")
    t0 = time.perf_counter()
    path = db.path.parent / f".seed-{uuid.uuid4().hex}.db"
    conn: Any = None
    try:
        info = client.seed(head_revision(), path, progress=progress)
        report.download_seconds = time.perf_counter() - t0
        report.nbytes, report.cursor, report.rows = info.nbytes, info.cursor, info.rows
        tables = synced_tables_in_fk_order()
        conn = E._bulk_connection(db)
        raw = conn.connection.driver_connection
        main_columns = {t: [r[1] for r in raw.execute(f'PRAGMA main.table_info("{t}")')] for t in tables}
        try:
            _check_seed(path, head_revision(), community_id, tables, main_columns)
            _copy_seed(db, conn, path, tables, main_columns, report, community_id)
        except sqlite3.DatabaseError as e:
            if "locked" in str(e) or "busy" in str(e):
                raise
            raise SeedUnusable(f"the seed store cannot be read: {e}") from None
        if progress is not None:
            progress(report.rows, report.rows)
    finally:
        if conn is not None:
            conn.invalidate()          # FTS5 structure cached on this connection: never reuse it
            conn.close()
        for suffix in ("", "-journal", "-wal", "-shm"):
            try:
                os.remove(str(path) + suffix)
            except OSError:
                pass
        report.seconds = time.perf_counter() - t0
    return report


def _copy_seed(db: Database, conn: Any, path: Path, tables: list[str], main_columns: dict[str, list[str]],
               report: BootstrapReport, community_id: str) -> None:
    """Copy the attached seed's synced tables and search tables into the store, with the cursor, in
    one transaction (the resident indexes dropped meanwhile and recreated)."""
    raw = conn.connection.driver_connection
    raw.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    raw.execute("ATTACH DATABASE ? AS seed", (str(path),))
    t_copy = time.perf_counter()
    with db.session_factory(bind=conn) as s, s.begin():
        cur = s.connection().connection.driver_connection.cursor()
        search_index.drop_resident_indexes(cur.connection)
        _drop_default_catalogue(cur, community_id)
        with remote_bulk_apply():
            for t in tables:
                cols = ", ".join(f'"{c}"' for c in main_columns[t])
                cur.execute(f'INSERT INTO main."{t}" ({cols}) SELECT {cols} FROM seed."{t}"')
                report.applied += max(cur.rowcount, 0)
        search_build.install(cur, "seed")
        search_index.restore_resident_indexes(cur)
        cur.execute("DELETE FROM setting WHERE key = ?", (search_index.REBUILD_FLAG,))
        E.put_value(s, E.CURSOR_KEY, str(report.cursor))
        cur.close()
    report.index_seconds = time.perf_counter() - t_copy


def use_snapshot(db: Database, client: HubClient) -> bool:
    """Whether the first sync should start from the snapshot: an empty store and a community with
    enough history for it to pay."""
    if not store_is_empty(db):
        return False
    try:
        head = client.whoami().head
    except HubError:
        return False
    return head >= SNAPSHOT_MIN_HEAD


def pull_all(db: Database, client: HubClient, clock: Clock, *,
             progress: Callable[[int, int], None] | None = None,
             **pull_kw: Any) -> tuple[BootstrapReport | None, E.PullReport]:
    """Everything the hub has for this station: the snapshot first when the store is empty and the
    community big enough (falls back silently when the hub has none), then the ordinary pull of the
    changes after it."""
    boot: BootstrapReport | None = None
    _remove_stale_scratch(db.path.parent)
    if use_snapshot(db, client):
        with db.session_factory() as s:
            community_id = E.get_value(s, "community_id")
        for load in (_seed_load_or_none, _snapshot_load_or_none):
            boot = load(db, client, clock, community_id, progress)
            if boot is not None:
                break
    return boot, E.pull(db, client, clock, **pull_kw)


def _remove_stale_scratch(folder: Path, older_than_s: float = 3600.0) -> None:
    """Scratch files of a first sync that was killed (power cut, task manager) are removed later."""
    cutoff = time.time() - older_than_s
    for pattern in (".seed-*.db*", ".search-build-*.db*"):
        for f in folder.glob(pattern):
            try:
                if f.stat().st_mtime < cutoff:
                    f.unlink()
            except OSError:
                pass


def _seed_load_or_none(db: Database, client: HubClient, clock: Clock, community_id: str,
                       progress: Callable[[int, int], None] | None) -> BootstrapReport | None:
    try:
        return seed_load(db, client, clock, community_id, progress=progress)
    except SeedUnusable as e:
        log.warning("the hub's seed store was not used: %s", e)
    except SnapshotUnusable:
        pass
    except HubRejected as e:
        if e.status not in (404, 405, 409):      # an older hub, or one of another schema revision
            raise
    return None


def _snapshot_load_or_none(db: Database, client: HubClient, clock: Clock, community_id: str,
                           progress: Callable[[int, int], None] | None) -> BootstrapReport | None:
    try:
        return bootstrap(db, client, clock, progress=progress)
    except SnapshotUnusable:
        pass
    except HubRejected as e:
        if e.status not in (404, 405):     # a hub older than the snapshot endpoint
            raise
    return None
