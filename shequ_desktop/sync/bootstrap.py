"""First sync of an empty workstation from the hub's bootstrap snapshot.

Replaying a community's whole change log page by page costs the hub a query and a JSON page per
5,000 changes and costs the workstation a decoded dictionary per change. A new workstation instead
downloads the community's current state once (``GET /api/v1/sync/snapshot``: gzip NDJSON, one
chunk of at most 5,000 rows per line, columns listed once per chunk — about 10 MB for 200,000
residents instead of 124 MB of change pages) and then pulls only the changes after the
snapshot's cursor, the normal way.

All or nothing: the rows, the residents' indexes and search index, and the cursor commit in ONE
transaction. A network failure, a truncated download or a crash before the commit leaves the
store exactly as it was (the next sync starts the snapshot again). While the rows go in, a
second thread builds the residents' search index into a scratch database file (SQLite releases
the interpreter lock while it tokenizes, so the two really run side by side); the finished
index is copied in before the commit.

When the snapshot cannot be used — the hub is older and has no snapshot endpoint (404), or the
store is not empty — the caller falls back to the ordinary pull.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from shequ_desktop.domain.clock import Clock
from shequ_desktop.persistence import search_build, search_index
from shequ_desktop.persistence.db import Database
from shequ_desktop.persistence.journal import remote_bulk_apply
from shequ_desktop.persistence.models import Resident
from shequ_desktop.sync import engine as E
from shequ_desktop.sync import protocol as P
from shequ_desktop.sync.client import HubClient, HubError, HubRejected, HubUnavailable

SNAPSHOT_MIN_HEAD = 5_000     # below this many changes the ordinary pull is as fast
QUEUE_DEPTH = 4               # decoded chunks waiting while earlier ones are written
CACHE_KIB = 131072            # page cache of the loading connection: the load's pages stay in memory


class SnapshotUnusable(Exception):
    """The snapshot cannot be applied here (not an empty store, or no snapshot on this hub)."""


@dataclass
class BootstrapReport:
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


def store_is_empty(db: Database) -> bool:
    """No cursor yet and no synced record of the community's data (a store that worked offline
    before its first sync uses the ordinary pull: its own rows must be merged, not overwritten)."""
    with db.session_factory() as s:
        if int(E.get_value(s, E.CURSOR_KEY, "0") or 0) != 0:
            return False
        for name in E.synced_models():
            if name == P.CONFLICT_ENTITY:
                continue
            if s.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first() is not None:
                return False
    return True


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


# -- the side-index builder ------------------------------------------------------------------

# -- the bootstrap ---------------------------------------------------------------------------

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
    # the index builder process starts while the hub answers (a process start costs ~0.1–0.3 s)
    builder: search_build.ParallelBuilder | None = search_build.ParallelBuilder(db.path.parent)
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
        raw.execute("ATTACH DATABASE ? AS boot", (str(builder.path),))
        seen = 0
        with db.session_factory(bind=conn) as s, s.begin():
            cur = s.connection().connection.driver_connection.cursor()
            search_index.drop_resident_indexes(cur.connection)
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
                if info.model is Resident:
                    builder.put_chunk(raw_line["bytes"])
                if progress is not None:
                    progress(seen, report.rows)
            if not ended:
                raise HubUnavailable("The hub's snapshot ended early; it will be fetched again.")
            t_index = time.perf_counter()
            search_index.restore_resident_indexes(cur)    # this thread's share while the builder ends
            builder.finish()
            search_build.install(cur, "boot")
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
        if builder is not None:
            builder.remove()
        fetcher.join(timeout=30)
        report.nbytes = client.nbytes
        report.download_seconds = timing["download"]
        report.seconds = time.perf_counter() - t_start
    return report


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
    if use_snapshot(db, client):
        try:
            boot = bootstrap(db, client, clock, progress=progress)
        except SnapshotUnusable:
            boot = None
        except HubRejected as e:
            if e.status not in (404, 405):     # a hub older than the snapshot endpoint
                raise
            boot = None
    return boot, E.pull(db, client, clock, **pull_kw)
