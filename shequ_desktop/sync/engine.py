"""Push the outbox, pull the community's stream, apply it — the workstation side of sync.

Guarantees (lessons of CommCare/ODK/Anki/CHT, see ARCHITECTURE.md §Sync):
- push is idempotent (each change carries its id); a change the hub rejects is quarantined
  (``push_error`` set, never deleted) and the rest of the queue goes on;
- each pulled batch is applied in ONE transaction together with the cursor (``sync.cursor``):
  an interrupted pull resumes from the last committed cursor and never half-applies;
- local changes not yet pushed are never overwritten by a pull: the hub merges them field by
  field when they arrive and sends any same-field clash back as a ``sync_conflict`` record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import JSON, Boolean, Date, LargeBinary, cast, func, select, text, update
from sqlalchemy.orm import Session

from shequ_desktop.domain import staff as staff_ids
from shequ_desktop.domain.clock import Clock
from shequ_desktop.persistence import search_index
from shequ_desktop.persistence import sync_models  # noqa: F401  (registers the sync tables)
from shequ_desktop.persistence.base import Base, Synced, UTCDateTime, is_synced
from shequ_desktop.persistence.db import Database
from shequ_desktop.persistence.journal import Actor, remote_bulk_apply, to_json_value
from shequ_desktop.persistence.models import ChangeJournal, Resident, Setting
from shequ_desktop.persistence import value_rules
from shequ_desktop.persistence.sync_models import PulledChangeQuarantine, SyncConflict
from shequ_desktop.sync import protocol as P
from shequ_desktop.sync.client import HubClient, HubRejected

CURSOR_KEY = "sync.cursor"
LAST_SUCCESS_KEY = "sync.last_success_at"
LAST_ERROR_KEY = "sync.last_error"
PROBLEM_KEY = "sync.problem"
HUB_STATION_KEY = "sync.hub_station_id"


@dataclass
class PushReport:
    sent: int = 0
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    conflicts: int = 0
    rejected_reasons: list[str] = field(default_factory=list)


@dataclass
class PullReport:
    pages: int = 0
    items: int = 0
    applied: int = 0
    own: int = 0
    conflicts: int = 0
    unknown: int = 0
    orphans: int = 0
    cursor: int = 0
    bytes: int = 0
    transfer_seconds: float = 0.0
    set_aside: int = 0          # changes this store could not apply (sync_pull_quarantine)


# -- models and value conversion -------------------------------------------------------------

def synced_models() -> dict[str, type[Base]]:
    return {m.class_.__tablename__: m.class_ for m in Base.registry.mappers if is_synced(m.class_)}


def _parse_dt(v: Any) -> dt.datetime | None:
    if v is None or isinstance(v, dt.datetime):
        return v
    when = dt.datetime.fromisoformat(str(v).replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def _parse_date(v: Any) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    return dt.date.fromisoformat(str(v)[:10])


class _ModelInfo:
    def __init__(self, model: type[Base]) -> None:
        self.model = model
        self.table = model.__table__
        self.conv: dict[str, Callable[[Any], Any]] = {}
        self.defaults: dict[str, Any] = {}
        self.required: set[str] = set()
        for col in self.table.columns:
            if isinstance(col.type, UTCDateTime):
                self.conv[col.key] = _parse_dt
            elif isinstance(col.type, Date):
                self.conv[col.key] = _parse_date
            if col.default is not None and getattr(col.default, "is_scalar", False):
                self.defaults[col.key] = col.default.arg
            elif col.nullable:
                self.defaults[col.key] = None
            elif col.key not in ("id", "community_id", *Synced.BOOKKEEPING):
                self.required.add(col.key)
        self.columns = {c.key for c in self.table.columns}

    def convert(self, fields: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in fields.items():
            if k in self.columns:
                f = self.conv.get(k)
                out[k] = f(v) if f is not None and v is not None else v
        return out


_INFO: dict[str, _ModelInfo] = {}


def model_info(entity: str) -> _ModelInfo | None:
    if entity not in _INFO:
        model = synced_models().get(entity)
        if model is None:
            return None
        _INFO[entity] = _ModelInfo(model)
    return _INFO[entity]


# -- settings --------------------------------------------------------------------------------

def get_value(s: Session, key: str, default: str = "") -> str:
    row = s.get(Setting, key)
    return row.value if row else default


def put_value(s: Session, key: str, value: str) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value


# -- push ------------------------------------------------------------------------------------

def to_wire(j: ChangeJournal) -> dict[str, Any]:
    wire = {"change_id": j.change_id, "entity": j.entity, "entity_id": j.entity_id,
            "community_id": j.community_id, "op": j.op, "fields": j.fields, "base_version": j.base_version,
            "new_version": j.new_version, "station_id": j.station_id, "user_login": j.user_login,
            "at": to_json_value(j.at)}
    if j.base is not None:
        wire["base"] = j.base
    return wire


def pending_query(limit: int) -> Any:
    return (select(ChangeJournal).where(ChangeJournal.origin == "local", ChangeJournal.pushed_at.is_(None),
                                        ChangeJournal.push_error.is_(None))
            .order_by(ChangeJournal.seq).limit(limit))


PUSH_BYTES = 6 * 1024 * 1024     # one push body stays well under the hub's limit (a file part is ≈ 350 KB)


def _pending_batch(s: Session, batch: int, budget: int | None = None) -> list[ChangeJournal]:
    """The next pending changes: at most ``batch`` and about ``budget`` bytes of values (at least one)."""
    budget = PUSH_BYTES if budget is None else budget
    size = func.length(cast(ChangeJournal.fields, LargeBinary)) + func.coalesce(
        func.length(cast(ChangeJournal.base, LargeBinary)), 0)
    last, total = None, 0
    for seq, n in s.execute(pending_query(batch).with_only_columns(ChangeJournal.seq, size)):
        if last is not None and total + (n or 0) > budget:
            break
        last, total = seq, total + (n or 0)
    if last is None:
        return []
    return list(s.execute(pending_query(batch).where(ChangeJournal.seq <= last)).scalars())


def push_pending(db: Database, client: HubClient, clock: Clock, *, batch: int = P.MAX_PUSH,
                 max_batches: int | None = None) -> PushReport:
    """Send pending local changes in creation order; mark each pushed or quarantined per the hub's answer.

    Network failures raise (HubUnavailable) with nothing marked: the same changes go again next time,
    and the hub answers "duplicate" for any it already stored.
    """
    report = PushReport()
    done = 0
    while max_batches is None or done < max_batches:
        with db.session_factory() as s:
            rows = _pending_batch(s, batch)
            changes = [to_wire(j) for j in rows]
        if not changes:
            break
        results = _push_batch(client, changes)
        now = clock.now()
        pushed = [r["change_id"] for r in results if r["status"] in ("accepted", "duplicate")]
        with db.session_factory() as s, s.begin():
            for i in range(0, len(pushed), 500):
                s.execute(update(ChangeJournal).where(ChangeJournal.change_id.in_(pushed[i:i + 500]))
                          .values(pushed_at=now, push_error=None))
            for r in results:
                if r["status"] == "rejected":
                    reason = str(r.get("reason") or "rejected by the hub")[:1000]
                    s.execute(update(ChangeJournal).where(ChangeJournal.change_id == r["change_id"])
                              .values(push_error=reason))
        report.sent += len(changes)
        for r in results:
            if r["status"] == "accepted":
                report.accepted += 1
                report.conflicts += len(r.get("conflicts") or ())
            elif r["status"] == "duplicate":
                report.duplicates += 1
            else:
                report.rejected += 1
                report.rejected_reasons.append(str(r.get("reason")))
        done += 1
    return report


def _push_batch(client: HubClient, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One batch; a malformed change (422 for the whole request) is isolated and quarantined alone."""
    try:
        return client.push(changes)
    except HubRejected as e:
        if e.status not in (400, 413, 422):
            raise
        if len(changes) == 1:
            return [{"change_id": changes[0]["change_id"], "status": "rejected",
                     "reason": f"malformed change refused by the hub: {e.message}"}]
        mid = len(changes) // 2       # bisect: good changes still go, the bad one ends up alone
        return _push_batch(client, changes[:mid]) + _push_batch(client, changes[mid:])


def retry_quarantined(db: Database, change_ids: Iterable[str] | None = None) -> int:
    """Put quarantined changes back in the queue (all, or the given ones). Returns how many."""
    with db.session_factory() as s, s.begin():
        q = update(ChangeJournal).where(ChangeJournal.origin == "local", ChangeJournal.pushed_at.is_(None),
                                        ChangeJournal.push_error.is_not(None))
        if change_ids is not None:
            q = q.where(ChangeJournal.change_id.in_(list(change_ids)))
        return int(s.execute(q.values(push_error=None)).rowcount or 0)


# -- pull ------------------------------------------------------------------------------------

BULK_CACHE_KIB = 65536      # page cache of the bulk-pull connection (PERF-BASELINES §5: 64 MiB)
BULK_ROWS_PER_TXN = 50_000
BULK_MIN_FIRST_PAGE = 1000  # bulk only when the first page is this big and more follow: a real load


def pull(db: Database, client: HubClient, clock: Clock, *, page_size: int = P.DEFAULT_PULL,
         rows_per_txn: int = 10_000, max_pages: int | None = None, prefetch: bool = True,
         after_commit: Callable[[int], None] | None = None, bulk: bool | None = None) -> PullReport:
    """Pull pages after the saved cursor and apply them; cursor and rows commit together.

    Several pages may share one transaction (up to ``rows_per_txn`` items) — fewer commits, same
    guarantee. A background thread fetches up to ``PREFETCH_PAGES`` pages ahead while earlier ones
    are applied (``prefetch=False``: fetched on this thread). In bulk mode each page is applied as it
    arrives, inside the open transaction; otherwise a transaction's pages are gathered first, so no
    write lock is held while waiting for the network.

    **Bulk mode** (``bulk=None``: chosen when a station starts its first pull, the first page is full
    (≥ ``BULK_MIN_FIRST_PAGE`` items) and more follow, or when an earlier bulk pull was interrupted): larger transactions on
    one connection with a 64 MiB page cache and ``synchronous=NORMAL``, the resident table's secondary
    indexes dropped (their DDL kept in ``search.dropped_indexes``), and the residents' search index
    not maintained row by row; the rebuild at the end recreates all of them. Why that is safe:

    - every bulk transaction holds only rows from the hub plus the cursor that covers them; WAL with
      NORMAL never corrupts, at worst a power cut loses the last commits — rows *and* cursor
      together — and the next pull fetches those pages again (the hub keeps them). Local edits use
      their own connections, which stay ``synchronous=FULL``;
    - the first bulk transaction sets ``search.rebuild_needed`` and drops the indexes together with
      its rows; the final transaction rebuilds the search index, recreates the indexes and clears the
      flag. If the process dies in between, the next ``open_database`` (or the next pull) sees the
      flag and does the same before anyone searches.
    """
    me = client.station_id
    report = PullReport()
    with db.session_factory() as s:
        cursor = int(get_value(s, CURSOR_KEY, "0") or 0)
        flagged = get_value(s, search_index.REBUILD_FLAG) == "1"
    if flagged:
        bulk = True
    report.cursor = cursor
    fetcher = _Prefetcher(client, cursor, page_size, max_pages, PREFETCH_PAGES if prefetch else 0)
    conn: Any = None          # the bulk connection (tuned pragmas), else pooled sessions
    try:
        got = fetcher.next()
        while got is not None:
            page = got
            if bulk is None:       # decided on the first page: an empty station with more to come
                bulk = cursor == 0 and page.more and len(page.items) >= BULK_MIN_FIRST_PAGE
            if page.cursor == cursor and not page.items:
                break
            limit = max(rows_per_txn, BULK_ROWS_PER_TXN) if bulk else rows_per_txn
            pages = [page]
            if not bulk:        # gather the transaction's pages first: no write lock held over the network
                n = len(page.items)
                while n < limit:
                    got = fetcher.next()
                    if got is None:
                        break
                    pages.append(got)
                    n += len(got.items)
            if bulk and conn is None:
                conn = _bulk_connection(db)
            # Bulk: pages are applied as they arrive (the next ones are fetched meanwhile) and
            # committed together with the cursor every ``limit`` rows.
            with (db.session_factory(bind=conn) if conn is not None else db.session_factory()) as s, s.begin():
                if bulk:
                    s.info[search_index.DEFER_KEY] = True
                    if not flagged:
                        put_value(s, search_index.REBUILD_FLAG, "1")
                        s.flush()
                        search_index.drop_resident_indexes(s.connection().connection.driver_connection)
                elif sum(len(p.items) for p in pages) > 2000:
                    s.connection().exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
                n = 0
                while pages:
                    page = pages.pop(0)
                    apply_items(s, page.items, me, clock, report, defer_index=bool(bulk))
                    n += len(page.items)
                    new_cursor = page.cursor
                    if bulk and not pages and n < limit:
                        got = fetcher.next()
                        if got is not None:
                            pages.append(got)
                put_value(s, CURSOR_KEY, str(new_cursor))
            flagged = flagged or bool(bulk)
            cursor = new_cursor
            report.cursor = cursor
            report.items += n
            if after_commit is not None:
                after_commit(cursor)
            got = fetcher.next()
        if flagged:
            _finish_index(db, conn)
            flagged = False
    except BaseException as e:
        fetcher.stop()
        if flagged and isinstance(e, Exception):   # best effort: keep the store searchable; the flag
            try:                                    # stays if this fails too
                _finish_index(db, conn)
            except Exception:  # noqa: BLE001
                pass
        raise
    finally:
        fetcher.stop()
        report.transfer_seconds, report.bytes, report.pages = fetcher.seconds, fetcher.nbytes, fetcher.pages
        if conn is not None:
            _release_bulk_connection(conn)
    return report


PREFETCH_PAGES = 3      # pages fetched ahead while earlier ones are applied


class _Prefetcher:
    """Fetches the stream's pages in order on a background thread, up to ``depth`` ahead; ``next()``
    returns the next page, or None after the last one (``more`` false, empty, or ``max_pages``).
    With ``depth`` 0 pages are fetched on the caller's thread."""

    def __init__(self, client: HubClient, after: int, page_size: int, max_pages: int | None, depth: int) -> None:
        import queue
        import threading
        self.client, self.after, self.page_size, self.max_pages = client, after, page_size, max_pages
        self.seconds, self.nbytes, self.pages = 0.0, 0, 0
        self._done = False
        self._stop = threading.Event()
        self._q: Any = queue.Queue(maxsize=depth) if depth else None
        self._thread = threading.Thread(target=self._run, daemon=True, name="sync-pull") if depth else None
        if self._thread is not None:
            self._thread.start()

    def _fetch(self) -> Any:
        import time
        if self._done or (self.max_pages is not None and self.pages >= self.max_pages):
            self._done = True
            return None
        t0 = time.perf_counter()
        page = self.client.pull(self.after, self.page_size)
        self.seconds += time.perf_counter() - t0
        self.nbytes += page.nbytes
        self.pages += 1
        self.after = page.cursor
        if not (page.more and page.items):
            self._done = True
        return page

    def _run(self) -> None:
        import queue
        while not self._stop.is_set():
            try:
                item: Any = self._fetch()
            except BaseException as e:  # noqa: BLE001  (handed to the consumer)
                item = e
            while not self._stop.is_set():
                try:
                    self._q.put(item, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if item is None or isinstance(item, BaseException):
                return

    def next(self) -> Any:
        if self._q is None:
            return self._fetch()
        if self._thread is None:
            return None
        item = self._q.get()
        if item is None:
            self._thread = None
        elif isinstance(item, BaseException):
            self._thread = None
            raise item
        return item

    def stop(self) -> None:
        self._stop.set()
        t = self._thread
        if t is not None:
            self._thread = None
            t.join(timeout=30)


def _bulk_connection(db: Database) -> Any:
    conn = db.engine.connect()
    raw = conn.connection.driver_connection
    raw.execute("PRAGMA synchronous=NORMAL")
    raw.execute(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    return conn


def _release_bulk_connection(conn: Any) -> None:
    try:
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA synchronous=FULL")
    finally:
        conn.close()


def _finish_index(db: Database, conn: Any) -> None:
    """Rebuild the residents' search index (and recreate the resident indexes the bulk load dropped)
    and clear ``search.rebuild_needed`` in one transaction."""
    with (db.session_factory(bind=conn) if conn is not None else db.session_factory()) as s, s.begin():
        search_index.rebuild(s.connection())
        s.execute(text("DELETE FROM setting WHERE key = :k"), {"k": search_index.REBUILD_FLAG})


_ANY_PENDING_SQL = "SELECT 1 FROM change_journal WHERE origin = 'local' AND pushed_at IS NULL LIMIT 1"
_PENDING_SQL = ("SELECT entity_id, fields FROM change_journal WHERE origin = 'local' AND pushed_at IS NULL "
                "AND entity_id IN (SELECT value FROM json_each(?))")


def apply_items(s: Session, items: list[list[Any]], me: str, clock: Clock, report: PullReport,
                defer_index: bool = False) -> None:
    """Apply pulled items (``[seq, item]``) inside the caller's transaction.

    ``defer_index``: leave the residents' search index to a rebuild (bulk pull; the caller has set
    ``search.rebuild_needed`` in this transaction)."""
    if not items:
        return
    items = _translate_legacy(s, items)
    raw = s.connection().connection.driver_connection
    pending: dict[str, set[str]] = defaultdict(set)
    if raw.execute(_ANY_PENDING_SQL).fetchone() is not None:     # local changes not pushed yet
        ids = P.dumps(list({it["entity_id"] for _seq, it in items})).decode()
        for eid, fields in raw.execute(_PENDING_SQL, (ids,)):
            pending[eid].update(json.loads(fields) if fields else {})
    # Fresh inserts of rows this store has never seen go the bulk way; everything else row by row.
    by_entity: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rest: list[dict[str, Any]] = []
    for _seq, it in items:
        if it["station_id"] == me:
            rest.append(it)
        elif it["op"] == "insert" and it["entity"] != P.CONFLICT_ENTITY and it["entity_id"] not in pending:
            by_entity[it["entity"]].append(it)
        else:
            rest.append(it)
    seq_of = {it["change_id"]: seq for seq, it in items}
    for entity, its in by_entity.items():
        info = model_info(entity)
        if info is None:
            report.unknown += len(its)
            continue
        its = [it for it in its if _applicable(s, it, seq_of, clock, report)]
        existing = {r[0] for r in raw.execute(
            f'SELECT id FROM "{info.table.name}" WHERE id IN (SELECT value FROM json_each(?))',
            (P.dumps([it["entity_id"] for it in its]).decode(),))}
        seen: set[str] = set()
        fresh = []
        for it in its:
            if it["entity_id"] in existing or it["entity_id"] in seen:
                rest.append(it)
            else:
                seen.add(it["entity_id"])
                fresh.append(it)
        _bulk_insert(s, info, fresh, clock, report, defer_index)
    for it in rest:
        if _applicable(s, it, seq_of, clock, report):
            _apply_one(s, it, me, pending, clock, report)


_LEGACY: dict[str, dict[str, tuple[str, str]]] = {}
for _table, _old, _new, _kind in staff_ids.RENAMED_COLUMNS:
    _LEGACY.setdefault(_table, {})[_old] = (_new, _kind)


def _translate_legacy(s: Session, items: list[list[Any]]) -> list[list[Any]]:
    """Changes written before revision 0021 (still in the hub's log) name staff by a local user id under the
    old column names: rename the fields, and turn ids this station knows into logins (others into the
    ``?<id>`` marker, as the migration does)."""
    login_of: dict[str, str] | None = None
    out = items
    for i, (seq, it) in enumerate(items):
        spec = _LEGACY.get(it["entity"])
        if spec is None or not any(k in spec for k in it["fields"]):
            continue
        if login_of is None:
            login_of = {"system": "system", "cli": "shequ-admin",
                        **dict(s.execute(text("SELECT id, login FROM app_user")).all())}
            out = list(items)
        fields = {(spec[k][0] if k in spec else k): (staff_ids.convert_value(v, spec[k][1], login_of)
                                                    if k in spec else v) for k, v in it["fields"].items()}
        out[i] = [seq, {**it, "fields": fields}]
    return out


def _applicable(s: Session, it: dict[str, Any], seq_of: dict[str, int], clock: Clock, report: PullReport) -> bool:
    """Whether this store can apply a pulled change; if not, it is set aside (``sync_pull_quarantine``,
    with the reason) and the pull goes on with the rest."""
    if model_info(it["entity"]) is None:
        return True                   # counted as unknown by the caller
    why = value_rules.check_fields(it["entity"], "update", it["fields"])
    if why is None:
        return True
    s.merge(PulledChangeQuarantine(seq=seq_of.get(it["change_id"], 0), change_id=it["change_id"],
                                   entity=it["entity"], entity_id=it["entity_id"], item=it, reason=why,
                                   at=clock.now()))
    report.set_aside += 1
    return False


def _storage_converter(col: Any) -> Callable[[Any], Any]:
    """Wire (JSON) value → the value SQLAlchemy itself would store in SQLite for this column."""
    if isinstance(col.type, UTCDateTime):
        def conv_dt(v: Any) -> Any:
            if v is None:
                return None
            return _parse_dt(v).astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        return conv_dt
    if isinstance(col.type, Date):
        return lambda v: None if v is None else str(v)[:10]
    if isinstance(col.type, Boolean):
        return lambda v: None if v is None else int(bool(v))
    if isinstance(col.type, JSON):
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    return _identity


def _identity(v: Any) -> Any:
    return v


_RAW: dict[str, tuple[str, list[tuple[str, Callable[[Any], Any], Any]]]] = {}


def _raw_plan(info: _ModelInfo) -> tuple[str, list[tuple[str, Callable[[Any], Any], Any]]]:
    key = info.table.name
    if key not in _RAW:
        cols = list(info.table.columns)
        sql = (f'INSERT INTO "{key}" ({", ".join(c.name for c in cols)}) '
               f'VALUES ({", ".join("?" for _ in cols)})')
        _RAW[key] = (sql, [(c.key, _storage_converter(c), info.defaults.get(c.key)) for c in cols])
    return _RAW[key]


_BUILDERS: dict[str, Callable[[dict[str, Any], dict[str, Any], str], tuple[Any, ...]]] = {}
_SPECIAL = {"id": 'it["entity_id"]', "community_id": 'it["community_id"]', "created_at": "at_s",
            "updated_at": "at_s", "updated_by": 'it["user_login"]', "version": 'it["version"]'}


def _row_builder(info: _ModelInfo) -> Callable[[dict[str, Any], dict[str, Any], str], tuple[Any, ...]]:
    """A generated function (fields, item, at) → the row tuple in column order (the per-column
    generic loop cost ~10 µs a row; this is one tuple display)."""
    key = info.table.name
    if key not in _BUILDERS:
        _sql, plan = _raw_plan(info)
        env: dict[str, Any] = {}
        parts = []
        for i, (k, conv, default) in enumerate(plan):
            if k in _SPECIAL:
                parts.append(_SPECIAL[k])
                continue
            env[f"d{i}"] = default
            if conv is _identity:
                parts.append(f"f.get({k!r}, d{i})")
            else:
                env[f"c{i}"] = conv
                parts.append(f"(c{i}(f[{k!r}]) if {k!r} in f else d{i})")
        src = f"def build(f, it, at_s):\n    return ({', '.join(parts)},)\n"
        exec(compile(src, f"<row builder {key}>", "exec"), env)  # noqa: S102  (our own column names)
        _BUILDERS[key] = env["build"]
    return _BUILDERS[key]


_JOURNAL_SQL = ("INSERT INTO change_journal (change_id, entity, entity_id, community_id, op, fields, base_version, "
                "new_version, station_id, user_login, at, origin, pushed_at, push_error) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,'remote',?,NULL)")


def _bulk_insert(s: Session, info: _ModelInfo, items: list[dict[str, Any]], clock: Clock,
                 report: PullReport, defer_index: bool = False) -> None:
    """Rows this store never had: straight DB-API executemany (the ORM costs ~5x here), plus the
    matching ``origin='remote'`` journal rows and the residents' search side tables.

    ``defer_index`` (bulk initial pull): no search index (rebuilt at the end) and no ``origin='remote'``
    journal rows. Nothing reads remote journal rows — the outbox, the conflict check (pending local
    fields) and the status counts all select ``origin='local'`` — and the hub's change log is the
    record of these changes; on a bulk load they would double the bytes written."""
    if not items:
        return
    if info.required - set(items[0]["fields"]):   # cannot build the row (never for a hub-accepted insert)
        report.orphans += len(items)
        return
    now_s = clock.now().astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    sql, plan = _raw_plan(info)
    build = _row_builder(info)
    at_cache: dict[str, str] = {}
    rows = []
    journal = []
    dumps = P.dumps
    for it in items:
        at = it["at"]
        at_s = at_cache.get(at)
        if at_s is None:
            at_s = at_cache[at] = _parse_dt(at).astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        rows.append(build(it["fields"], it, at_s))
        if not defer_index:
            journal.append((it["change_id"], it["entity"], it["entity_id"], it["community_id"], "insert",
                            dumps(it["fields"]).decode("utf-8"), it["base_version"], it["version"],
                            it["station_id"], it["user_login"], at_s, now_s))
    raw = s.connection().connection.driver_connection
    with remote_bulk_apply():
        cur = raw.cursor()
        cur.executemany(sql, rows)
        if journal:
            cur.executemany(_JOURNAL_SQL, journal)
        cur.close()
        if info.model is Resident and not defer_index:
            names = [k for k, _c, _d in plan]
            search_index.add_fresh(raw, [dict(zip(names, r)) for r in rows])
    report.applied += len(items)


def _apply_one(s: Session, it: dict[str, Any], me: str, pending: dict[str, set[str]], clock: Clock,
               report: PullReport) -> None:
    info = model_info(it["entity"])
    if info is None:
        report.unknown += 1
        return
    obj = s.get(info.model, it["entity_id"])
    values = info.convert(it["fields"])
    if it["station_id"] == me:
        # Our own change comes back. Normally this store has it already: only align the version. But
        # after a restored backup or a full resync the store may lack it (the row, or its values):
        # then it is applied like any other — the hub's copy is the one that counts.
        report.own += 1
        if obj is not None:
            keep = pending.get(it["entity_id"], set())
            if all(k in keep or k in ("id", "community_id") or getattr(obj, k) == v for k, v in values.items()):
                if it["entity_id"] not in pending and it["version"] > (obj.version or 0):
                    obj.version = it["version"]
                    s.flush()
                return
    s.info["actor"] = Actor(login=it["user_login"][:64], station_id=it["station_id"], clock=clock,
                            applying_remote=True)
    at = _parse_dt(it["at"])
    if obj is None:
        row = dict(info.defaults)
        row.update(values)
        if info.required - set(row):
            report.orphans += 1       # refers to a record this store lacks: needs a full resync
            return
        obj = info.model(**row)
        obj.id, obj.community_id = it["entity_id"], it["community_id"]
        obj.created_at, obj.updated_at, obj.updated_by, obj.version = at, at, it["user_login"], it["version"]
        s.add(obj)
    else:
        keep = pending.get(it["entity_id"], set())
        for k, v in values.items():
            if k not in keep and k not in ("id", "community_id"):
                setattr(obj, k, v)
        obj.version = max(obj.version or 0, it["version"])
        obj.updated_at, obj.updated_by = at, it["user_login"]
    report.applied += 1
    if it["entity"] == P.CONFLICT_ENTITY and isinstance(obj, SyncConflict):
        if it["op"] == "insert":
            report.conflicts += 1
        if obj.status == "open" and (it["op"] == "insert" or "remote_value" in values):
            _adopt_hub_value(s, {"entity": obj.entity, "entity_id": obj.entity_id, "field": obj.field,
                                 "remote_value": obj.remote_value, "target_version": obj.target_version}, pending)
    s.flush()


def _adopt_hub_value(s: Session, c: dict[str, Any], pending: dict[str, set[str]]) -> None:
    """A conflict keeps the hub's value: make sure this store shows it too (unless edited again here)."""
    info = model_info(str(c.get("entity")))
    if info is None:
        return
    obj = s.get(info.model, c.get("entity_id"))
    fld = str(c.get("field"))
    if obj is None or fld not in info.columns or fld in pending.get(obj.id, set()):
        return
    value = info.convert({fld: json.loads(c.get("remote_value") or "null")}).get(fld)
    if getattr(obj, fld) != value:
        setattr(obj, fld, value)
    obj.version = max(obj.version or 0, int(c.get("target_version") or 0))


# -- conflicts -------------------------------------------------------------------------------

def decode_value(text: str) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


def current_value(s: Session, conflict: SyncConflict) -> Any:
    """The conflicting field's value in this store now (as JSON), or the stored hub value when the record
    is not here — what "the hub's value" of an open conflict means once later changes arrived."""
    info = model_info(conflict.entity)
    obj = s.get(info.model, conflict.entity_id) if info is not None and conflict.field in info.columns else None
    if obj is None:
        return decode_value(conflict.remote_value)
    return to_json_value(getattr(obj, conflict.field))


def resolve_conflict(s: Session, conflict: SyncConflict, choice: str, value: Any, login: str,
                     now: dt.datetime) -> None:
    """Resolve side by side: keep ``local`` (the other station's value), ``remote`` (the hub's), or ``edit``.

    Runs in the caller's (journaled, local) transaction: the field update and the conflict's status
    are both ordinary changes that go to the hub with the next push.
    """
    if choice == "local":
        chosen = decode_value(conflict.local_value)
    elif choice == "remote":
        # The hub's value as it is NOW: the field may have changed again on the hub since the conflict
        # was recorded, and keeping the hub's side must never bring back an older value.
        chosen = current_value(s, conflict)
    elif choice == "edit":
        chosen = value
    else:
        raise ValueError(f"unknown choice {choice!r}")
    now_on_hub = json.dumps(to_json_value(current_value(s, conflict)), ensure_ascii=False)
    info = model_info(conflict.entity)
    if info is not None and conflict.field in info.columns:
        obj = s.get(info.model, conflict.entity_id)
        if obj is not None:
            new = info.convert({conflict.field: chosen})[conflict.field]
            if getattr(obj, conflict.field) != new:
                setattr(obj, conflict.field, new)
    if conflict.remote_value != now_on_hub:
        conflict.remote_value = now_on_hub          # the hub's value the decision was made against
    conflict.status = "resolved"
    conflict.resolution = choice
    conflict.resolved_value = json.dumps(to_json_value(chosen), ensure_ascii=False)
    conflict.resolved_by = login
    conflict.resolved_at = now
