"""The hub's logic: credentials, the idempotent push with field-by-field merge, the paged pull,
bootstrap snapshots of a community's state, seeds (the same state as a ready-made desktop store), and
residents' requests (接诉即办) from the online platform.

Every push runs in one database transaction under a per-community lock, so sequence numbers of a
community are committed in order: a pull never skips a change that commits later with a lower seq.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets
import shutil
import sqlite3
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Text, create_engine, event, func, insert, select, text, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from shequ_desktop.domain.clock import SystemClock
from shequ_desktop.domain.ids import new_id
from shequ_desktop.hub import validate
from shequ_desktop.hub.validate import same_value
from shequ_desktop.hub.schema import change_log, entity_state, hub_seed, hub_snapshot, station
from shequ_desktop.persistence import models as _models  # noqa: F401  (fills the registry)
from shequ_desktop.persistence import sync_models  # noqa: F401
from shequ_desktop.persistence.base import Base, Synced, is_synced
from shequ_desktop.persistence.db import open_database
from shequ_desktop.sync import protocol as P
# bound here, once: the hub's seed builds use the desktop's loader itself, whatever a caller in this
# process (a test spying on the desktop's sync) later puts in that module's namespace
from shequ_desktop.sync.bootstrap import bootstrap as _desktop_bootstrap

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_HASHER = PasswordHasher()
_BOOKKEEPING = Synced.BOOKKEEPING
REF_FIELDS = {"work_order_event": "work_order_id", P.CONFLICT_ENTITY: "entity_id", "survey_response": "survey_id"}
URGENCIES = ("general", "urgent")


def _entity_catalogue() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    fields: dict[str, frozenset[str]] = {}
    append_only: set[str] = set()
    for m in Base.registry.mappers:
        cls = m.class_
        if is_synced(cls):
            fields[cls.__tablename__] = frozenset(c.key for c in m.column_attrs) - _BOOKKEEPING
            if getattr(cls, "__append_only__", False):
                append_only.add(cls.__tablename__)
    return fields, frozenset(append_only)


ENTITY_FIELDS, APPEND_ONLY = _entity_catalogue()

# Bootstrap snapshots (see HubStore.snapshot).
SNAPSHOT_FORMAT = 1
SNAPSHOT_MAX_LAG = 20_000        # a stored snapshot is served while at most this many changes behind
SNAPSHOT_CHUNK = 5000            # at most this many rows per chunk line
_SNAPSHOT_FETCH = 5000           # rows per round trip of the server-side cursor
_SNAPSHOT_COLS = ("id", "version", "created_at", "updated_at", "updated_by")
_NOT_IN_DOC = frozenset({"id", "community_id"})
# The desktop's foreign-key order (parents first), so a station can insert chunk by chunk as they come.
SNAPSHOT_ENTITY_ORDER = tuple(t.name for t in Base.metadata.sorted_tables if t.name in ENTITY_FIELDS)

# Seeds (see HubStore.seed).
PULL_BYTES = 8 * 1024 * 1024     # about this many characters of changes per pull page (at least one change)
SEED_PIECE = 1 << 20             # gzip / gunzip in pieces of this many bytes
# Tables of a seed file that keep their rows: the alembic stamp, the synced records and the residents'
# search tables (FTS5 virtual tables, their shadow tables, the resident → rowid key). Every other table
# of the desktop schema is the workstation's own (users, settings, journal, audit log, …) and is emptied.
_SEED_KEEP_PREFIXES = ("resident_fts",)
_SEED_KEEP_TABLES = frozenset({"alembic_version", *ENTITY_FIELDS})


class AuthError(Exception):
    """Missing, malformed, unknown or revoked credential (401)."""


class Forbidden(Exception):
    """The credential is valid but may not do this (403)."""


class UnknownCommunity(LookupError):
    """No community of that id on this hub (404)."""


class SeedUnavailable(Exception):
    """This hub cannot serve a seed for the request (409): the workstation asked for another desktop
    schema revision than the one this hub's code builds (``hub_revision``), or the community holds
    records this hub's desktop code cannot store faithfully. The workstation loads the snapshot instead."""

    def __init__(self, message: str, hub_revision: str | None = None) -> None:
        super().__init__(message)
        self.hub_revision = hub_revision if hub_revision is not None else desktop_revision()


@dataclass(frozen=True)
class Principal:
    id: str
    name: str
    kind: str                 # station / platform
    community_id: str | None


@dataclass(frozen=True)
class Snapshot:
    cursor: int               # the community's last change seq the state includes: pull after it
    rows: int                 # data rows (tombstoned records included)
    created_at: dt.datetime
    body: bytes               # gzip of the NDJSON document (HubStore.snapshot describes it)


@dataclass(frozen=True)
class Seed:
    revision: str             # the desktop schema revision (alembic) of the SQLite file
    cursor: int               # the community's last change seq the store includes: pull after it
    rows: int                 # records (tombstoned ones included), as in the snapshot it was built from
    created_at: dt.datetime   # when the state was read (the snapshot's created_at)
    body: bytes               # gzip of the SQLite file (HubStore.seed describes it)


@dataclass(frozen=True)
class IssuedCredential:
    station_id: str
    name: str
    community_id: str | None
    token: str                # shown once; only its argon2 hash is stored


def hub_alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _rec: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()
        return engine
    return create_engine(url, future=True, pool_size=8, max_overflow=8, pool_pre_ping=True)


@functools.lru_cache(maxsize=1)
def desktop_revision() -> str:
    """The desktop schema revision (alembic head) this hub's code builds seeds at."""
    from shequ_desktop.persistence.db import head_revision
    return head_revision()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.timezone.utc).isoformat()


def _aware(when: dt.datetime) -> dt.datetime:
    """A DateTime(timezone=True) as read back: SQLite hands back naive UTC, PostgreSQL aware."""
    return when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when


class HubStore:
    def __init__(self, url_or_engine: str | Engine) -> None:
        self.engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
        self.is_pg = self.engine.dialect.name == "postgresql"
        self._write_lock = threading.Lock()            # SQLite: one writer at a time, in seq order
        self._auth_cache: dict[str, tuple[Principal, float]] = {}
        self._snapshot_locks: dict[str, threading.Lock] = {}   # community → one snapshot build at a time
        self._seed_locks: dict[str, threading.Lock] = {}       # community → one seed build at a time
        self._snapshot_locks_guard = threading.Lock()
        # community → (cursor, created_at) of the snapshot a seed could not be built from, and why
        self._seed_failures: dict[str, tuple[int, dt.datetime, str]] = {}

    # -- schema -------------------------------------------------------------------------------
    def migrate(self) -> None:
        cfg = hub_alembic_config()
        with self.engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()

    def dispose(self) -> None:
        self.engine.dispose()

    # -- credentials --------------------------------------------------------------------------
    def add_station(self, name: str, community_id: str | None, kind: str = "station") -> IssuedCredential:
        if kind == "station" and not P.is_uuid(community_id):
            raise ValueError("--community must be the community's id (a UUID, shown in the desktop's settings)")
        sid = new_id()
        secret = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(insert(station).values(
                id=sid, name=name, kind=kind, community_id=community_id if kind == "station" else None,
                secret_hash=_HASHER.hash(secret), created_at=_now()))
        return IssuedCredential(sid, name, community_id, f"{sid}:{secret}")

    def revoke(self, station_id: str) -> bool:
        with self.engine.begin() as conn:
            n = conn.execute(update(station).where(station.c.id == station_id).values(revoked_at=_now())).rowcount
        self._auth_cache.clear()
        return bool(n)

    def list_stations(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(
                select(station.c.id, station.c.name, station.c.kind, station.c.community_id,
                       station.c.created_at, station.c.revoked_at, station.c.last_seen_at).order_by(station.c.created_at))]

    def authenticate(self, token: str | None) -> Principal:
        """``station_id:secret`` → the principal. Verified with argon2; cached briefly by digest."""
        if not token or ":" not in token:
            raise AuthError("missing or malformed credential")
        digest = hashlib.sha256(token.encode()).hexdigest()
        sid, secret = token.split(":", 1)
        hit = self._auth_cache.get(digest)
        if hit and hit[1] > time.monotonic():
            # the cache only spares the argon2 check: whether the credential is still valid is asked
            # every time (a revocation from `shequ-hub revoke`, another process, takes effect at once)
            with self.engine.connect() as conn:
                revoked = conn.execute(select(station.c.revoked_at).where(station.c.id == sid)).first()
            if revoked is not None and revoked[0] is None:
                return hit[0]
            self._auth_cache.pop(digest, None)
            raise AuthError("unknown or revoked credential")
        with self.engine.connect() as conn:
            row = conn.execute(select(station).where(station.c.id == sid)).first()
        if row is None or row.revoked_at is not None:
            raise AuthError("unknown or revoked credential")
        try:
            _HASHER.verify(row.secret_hash, secret)
        except (VerificationError, InvalidHashError):
            raise AuthError("wrong credential") from None
        p = Principal(row.id, row.name, row.kind, row.community_id)
        self._auth_cache[digest] = (p, time.monotonic() + 60.0)
        with self.engine.begin() as conn:
            conn.execute(update(station).where(station.c.id == sid).values(last_seen_at=_now()))
        return p

    # -- push ---------------------------------------------------------------------------------
    def _lock(self, conn: Connection, community_id: str) -> None:
        if self.is_pg:
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:c))"), {"c": community_id})

    def push(self, who: Principal, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Apply a batch of well-formed changes (check_change passed) in one transaction.

        Returns one result per change, in order: accepted (with seq), duplicate, or rejected (reason).
        """
        if who.kind != "station" or not who.community_id:
            raise Forbidden("only a station credential may push changes")
        if not changes:
            return []
        with self._write_lock if not self.is_pg else _nullcontext():
            with self.engine.begin() as conn:
                self._lock(conn, who.community_id)
                return self._apply(conn, who.id, who.community_id, changes)

    def _apply(self, conn: Connection, actor: str, community_id: str,
               changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        now = _now()
        ids = [c["change_id"] for c in changes]
        known: dict[str, int] = {}
        for i in range(0, len(ids), 1000):
            known.update(conn.execute(select(change_log.c.change_id, change_log.c.seq)
                                      .where(change_log.c.change_id.in_(ids[i:i + 1000]))).all())
        keys = list({(c["entity"], c["entity_id"]) for c in changes})
        states: dict[tuple[str, str], dict[str, Any]] = {}
        for i in range(0, len(keys), 500):
            q = select(entity_state).where(tuple_(entity_state.c.entity, entity_state.c.entity_id).in_(keys[i:i + 500]))
            if self.is_pg:
                q = q.with_for_update()
            for r in conn.execute(q):
                states[(r.entity, r.entity_id)] = {**r._mapping, "doc": dict(r.doc), "field_meta": dict(r.field_meta),
                                                   "_new": False, "_dirty": False}
        open_conflicts = self._open_conflicts(conn, [c["entity_id"] for c in changes if c.get("base") is not None],
                                              states)
        results: list[dict[str, Any]] = []
        log_rows: list[dict[str, Any]] = []
        pending_results: list[tuple[int, int]] = []          # (result index, log row index)
        seen: dict[str, int] = {}                          # change id → its result index in this batch
        for c in changes:
            cid = c["change_id"]
            if cid in known or cid in seen:
                results.append({"change_id": cid, "status": "duplicate", "seq": known.get(cid),
                                "_same_as": seen.get(cid)})
                continue
            reason = self._reject_reason(c, community_id, states.get((c["entity"], c["entity_id"])))
            if reason:
                results.append({"change_id": cid, "status": "rejected", "reason": reason})
                continue
            seen[cid] = len(results)
            applied, conflicts, st = self._merge(c, actor, states, now)
            res = {"change_id": cid, "status": "accepted", "version": st["version"]}
            if conflicts:
                res["conflicts"] = [f for f, _h, _s in conflicts]
            results.append(res)
            pending_results.append((len(results) - 1, len(log_rows)))
            log_rows.append(self._log_row(cid, community_id, c["entity"], c["entity_id"], c["op"], applied,
                                          c["base_version"], st["version"], actor, c["user_login"], c["at"], now))
            for f, hub_value, station_value in conflicts:
                log_rows.append(self._conflict_row(c, actor, community_id, f, hub_value, station_value,
                                                   st["version"], states, open_conflicts, now))
        if log_rows:
            seqs = conn.execute(insert(change_log).returning(change_log.c.seq, sort_by_parameter_order=True),
                                log_rows).scalars().all()
            for ri, li in pending_results:
                results[ri]["seq"] = seqs[li]
        for r in results:
            same = r.pop("_same_as", None)
            if same is not None:
                r["seq"] = results[same].get("seq")
        new = [s for s in states.values() if s["_new"]]
        dirty = [s for s in states.values() if s["_dirty"] and not s["_new"]]
        cols = ("entity", "entity_id", "community_id", "version", "doc", "field_meta", "ref_id",
                "created_at", "updated_at", "updated_by", "first_at", "last_at")
        if new:
            conn.execute(insert(entity_state), [{k: s[k] for k in cols} for s in new])
        if dirty:
            from sqlalchemy import bindparam
            conn.execute(update(entity_state)
                         .where(entity_state.c.entity == bindparam("k_entity"),
                                entity_state.c.entity_id == bindparam("k_id"))
                         .values(version=bindparam("version"), doc=bindparam("doc"),
                                 field_meta=bindparam("field_meta"), updated_at=bindparam("updated_at"),
                                 updated_by=bindparam("updated_by"), last_at=bindparam("last_at")),
                         [{"k_entity": s["entity"], "k_id": s["entity_id"], "version": s["version"], "doc": s["doc"],
                           "field_meta": s["field_meta"], "updated_at": s["updated_at"],
                           "updated_by": s["updated_by"], "last_at": s["last_at"]} for s in dirty])
        return results

    @staticmethod
    def _reject_reason(c: dict[str, Any], community_id: str, st: dict[str, Any] | None) -> str | None:
        entity = c["entity"]
        allowed = ENTITY_FIELDS.get(entity)
        if allowed is None:
            return f"unknown record type {entity!r}"
        unknown = sorted(set(c["fields"]) - allowed)
        if unknown:
            return f"unknown field(s) for {entity}: {', '.join(unknown)}"
        bad = validate.check_fields(entity, c["op"], c["fields"])
        if bad:
            return f"invalid value: {bad}"
        if c["community_id"] != community_id or c["fields"].get("community_id", community_id) != community_id:
            return "this station may only write records of its own community"
        if "id" in c["fields"] and c["fields"]["id"] != c["entity_id"]:
            return "the record id in the fields does not match entity_id"
        if st is not None and st["community_id"] != community_id:
            return "the record belongs to another community"
        if st is None and c["op"] != "insert":
            return "the hub does not know this record (its creation was not accepted); retry after it"
        if entity in APPEND_ONLY and (c["op"] != "insert" or st is not None):
            return f"{entity} records are append-only and cannot be changed"
        return None

    @staticmethod
    def _merge(c: dict[str, Any], actor: str, states: dict[tuple[str, str], dict[str, Any]],
               now: dt.datetime) -> tuple[dict[str, Any], list[tuple[str, Any, Any]], dict[str, Any]]:
        """Merge one change into the record's state; returns (applied fields, conflicts, state).

        A field is taken when the hub still holds the value the station saw before its edit (the
        change's ``base``), or already holds the new value; otherwise the hub keeps its value and the
        pair becomes a conflict (field, hub's value, station's value). A removal of a record that
        changed since the station saw it, and an edit of a record removed meanwhile, are conflicts on
        ``deleted_at``. Changes without a base (journaled by older programs) merge by versions."""
        key = (c["entity"], c["entity_id"])
        fields = {k: v for k, v in c["fields"].items() if k not in ("id", "community_id")}
        st = states.get(key)
        if st is None:
            st = {"entity": key[0], "entity_id": key[1], "community_id": c["community_id"], "version": 1,
                  "doc": dict(fields), "field_meta": {f: [1, actor] for f in fields},
                  "ref_id": fields.get(REF_FIELDS.get(key[0], ""), None),
                  "created_at": now, "updated_at": now, "updated_by": c["user_login"],
                  "first_at": c["at"], "last_at": c["at"], "_new": True, "_dirty": True}
            states[key] = st
            return fields, [], st
        applied: dict[str, Any] = {}
        conflicts: list[tuple[str, Any, Any]] = []
        doc, meta = st["doc"], st["field_meta"]
        base = c.get("base") if c["op"] != "insert" else None
        entity = c["entity"]

        def by_version(f: str, v: Any) -> None:
            m = meta.get(f)
            if m is None or m[0] <= c["base_version"] or m[1] == actor or doc.get(f) == v:
                applied[f] = v
            else:
                conflicts.append((f, doc.get(f), v))

        if base is None:
            for f, v in fields.items():
                by_version(f, v)
        else:
            hub_removed = doc.get("deleted_at") is not None
            removing = fields.get("deleted_at") is not None
            for f, v in fields.items():
                cur = doc.get(f)
                if f == "deleted_at" and v is not None:
                    if hub_removed:
                        continue                      # removed on both sides: the first removal stays
                    if any(not same_value(entity, k, b, doc.get(k)) for k, b in base.items() if k != f):
                        conflicts.append((f, None, v))  # removes what it never saw: the hub keeps the record
                    else:
                        applied[f] = v
                elif same_value(entity, f, cur, v):
                    applied[f] = v
                elif f not in base:
                    by_version(f, v)
                elif same_value(entity, f, base[f], cur):
                    applied[f] = v
                else:
                    conflicts.append((f, cur, v))
            if hub_removed and not removing and "deleted_at" in base and base["deleted_at"] is None \
                    and "deleted_at" not in fields:
                # an edit of a record that another station removed meanwhile: the edit is kept on it,
                # and the removal waits for the chief (keep it removed, or restore it with the edit)
                conflicts.append(("deleted_at", doc["deleted_at"], None))
        st["version"] += 1
        for f, v in applied.items():
            doc[f] = v
            meta[f] = [st["version"], actor]
        # last_at follows merge order (the latest change the hub took), not the largest station clock
        st.update(updated_at=now, updated_by=c["user_login"], last_at=c["at"], _dirty=True)
        return applied, conflicts, st

    @staticmethod
    def _log_row(change_id: str, community_id: str, entity: str, entity_id: str, op: str, fields: dict[str, Any],
                 base_version: int, version: int, actor: str, user_login: str, at: str,
                 now: dt.datetime) -> dict[str, Any]:
        item = {"change_id": change_id, "entity": entity, "entity_id": entity_id, "community_id": community_id,
                "op": op, "fields": fields, "base_version": base_version, "version": version,
                "station_id": actor, "user_login": user_login, "at": at}
        return {**item, "received_at": now, "payload": P.dumps(item).decode("utf-8")}

    def _open_conflicts(self, conn: Connection, entity_ids: list[str],
                        states: dict[tuple[str, str], dict[str, Any]]) -> dict[tuple[str, str, str, str], Any]:
        """The open conflicts on the given records, by (entity, id, field, station whose value lost);
        their states are loaded into ``states``."""
        index: dict[tuple[str, str, str, str], Any] = {}
        ids = sorted(set(entity_ids))
        for i in range(0, len(ids), 500):
            q = select(entity_state).where(entity_state.c.entity == P.CONFLICT_ENTITY,
                                           entity_state.c.ref_id.in_(ids[i:i + 500]))
            if self.is_pg:
                q = q.with_for_update()
            for r in conn.execute(q):
                doc = dict(r.doc)
                if doc.get("status") != "open" or doc.get("deleted_at") is not None:
                    continue
                key = (r.entity, r.entity_id)
                states.setdefault(key, {**r._mapping, "doc": doc, "field_meta": dict(r.field_meta),
                                        "_new": False, "_dirty": False})
                index[(doc.get("entity"), doc.get("entity_id"), doc.get("field"), doc.get("from_station"))] = key
        return index

    def _conflict_row(self, c: dict[str, Any], actor: str, community_id: str, field: str, hub_value: Any,
                      station_value: Any, target_version: int, states: dict[tuple[str, str], dict[str, Any]],
                      open_conflicts: dict[tuple[str, str, str, str], Any], now: dt.datetime) -> dict[str, Any]:
        """The log row of a conflict: a new ``sync_conflict`` record — or, when the same station's
        previous value of the field already waits in an open conflict and this change was made on top
        of it (the station edited the field again), that conflict brought up to date with the real
        values: the hub's value now and the station's latest."""
        okey = (c["entity"], c["entity_id"], field, actor)
        base = c.get("base") or {}
        prev = states.get(open_conflicts.get(okey)) if okey in open_conflicts else None
        if prev is not None and field in base and same_value(
                c["entity"], field, P.loads(prev["doc"].get("local_value") or "null"), base[field]):
            upd = {"local_value": P.dumps(station_value).decode(), "remote_value": P.dumps(hub_value).decode(),
                   "target_version": target_version, "change_id": c["change_id"], "from_user": c["user_login"]}
            prev["version"] += 1
            prev["doc"].update(upd)
            for f in upd:
                prev["field_meta"][f] = [prev["version"], P.HUB_STATION]
            prev.update(updated_at=now, updated_by="hub", last_at=_iso(now), _dirty=True)
            return self._log_row(new_id(), community_id, P.CONFLICT_ENTITY, prev["entity_id"], "update", upd,
                                 prev["version"] - 1, prev["version"], P.HUB_STATION, "hub", _iso(now), now)
        cid = new_id()
        fields = {"entity": c["entity"], "entity_id": c["entity_id"], "field": field,
                  "local_value": P.dumps(station_value).decode(), "remote_value": P.dumps(hub_value).decode(),
                  "base_version": c["base_version"], "target_version": target_version,
                  "change_id": c["change_id"], "from_station": actor, "from_user": c["user_login"],
                  "status": "open", "resolution": "", "resolved_value": "", "resolved_by": "", "resolved_at": None,
                  "deleted_at": None}
        synthetic = {"entity": P.CONFLICT_ENTITY, "entity_id": cid, "community_id": community_id, "op": "insert",
                     "fields": fields, "user_login": "hub", "base_version": 0, "at": _iso(now)}
        _a, _c, st = self._merge(synthetic, P.HUB_STATION, states, now)
        open_conflicts[okey] = (P.CONFLICT_ENTITY, cid)
        return self._log_row(new_id(), community_id, P.CONFLICT_ENTITY, cid, "insert", {"id": cid, **fields}, 0,
                             st["version"], P.HUB_STATION, "hub", _iso(now), now)

    # -- pull ---------------------------------------------------------------------------------
    def pull(self, who: Principal, after: int, limit: int) -> bytes:
        """One page of the community's stream after ``after``, as the JSON response body."""
        if who.kind != "station" or not who.community_id:
            raise Forbidden("only a station credential may pull")
        limit = max(1, min(limit, P.MAX_PULL))
        rows: list[tuple[int, str]] = []
        size, more = 0, False
        with self.engine.connect() as conn:
            # Streamed, and cut at PULL_BYTES (at least one item): a page of file parts stays a few MB.
            result = conn.execution_options(stream_results=True, yield_per=500).execute(
                select(change_log.c.seq, change_log.c.payload)
                .where(change_log.c.community_id == who.community_id, change_log.c.seq > after)
                .order_by(change_log.c.seq).limit(limit + 1))
            for seq, payload in result:
                if len(rows) == limit or (rows and size + len(payload) > PULL_BYTES):
                    more = True
                    break
                rows.append((seq, payload))
                size += len(payload)
            result.close()
        cursor = rows[-1][0] if rows else after
        items = b",".join(b"[%d,%s]" % (seq, payload.encode("utf-8")) for seq, payload in rows)
        return b'{"items":[' + items + b'],"cursor":%d,"more":%s}' % (cursor, b"true" if more else b"false")

    def head(self, community_id: str) -> int:
        with self.engine.connect() as conn:
            return self._head(conn, community_id)

    @staticmethod
    def _head(conn: Connection, community_id: str) -> int:
        return conn.execute(select(change_log.c.seq).where(change_log.c.community_id == community_id)
                            .order_by(change_log.c.seq.desc()).limit(1)).scalar() or 0

    # -- bootstrap snapshot -------------------------------------------------------------------
    def snapshot(self, who: Principal, *, max_lag: int = SNAPSHOT_MAX_LAG) -> Snapshot:
        """The community's current state in one gzip-compressed NDJSON document.

        A new workstation loads it, then pulls the change log after ``cursor``. The stored snapshot is
        served while the log has moved on by at most ``max_lag`` changes (the station catches up with
        a few pull pages); otherwise a new one is built and stored. Lines, each ending in a newline:

            {"snapshot": 1, "community_id": C, "cursor": H, "rows": N, "created_at": ISO}
            {"entity": E, "cols": ["id", "version", "created_at", "updated_at", "updated_by", *doc keys],
             "rows": [[...], ...]}                            (repeated)
            {"end": true, "rows": N}

        Entities come in the desktop's foreign-key order (then any others alphabetically), records by
        id. A chunk holds ≤ SNAPSHOT_CHUNK rows of one entity that all have the same (sorted) doc keys.
        created_at / updated_at are the station timestamps of the first / latest change (the hub's own
        times for records written before they were kept). Tombstoned records are included.
        """
        if who.kind != "station" or not who.community_id:
            raise Forbidden("only a station credential may load a snapshot")
        return self._snapshot(who.community_id, max_lag)

    def _snapshot(self, community_id: str, max_lag: int) -> Snapshot:
        hit = self._stored_snapshot(community_id, max_lag)
        if hit is not None:
            return hit
        with self._snapshot_lock(community_id):
            # whoever held the lock before us may just have built it
            hit = self._stored_snapshot(community_id, max_lag)
            return hit if hit is not None else self._build_and_store(community_id)

    def build_snapshot(self, community_id: str) -> Snapshot:
        """Build a fresh snapshot of the community and store it (replacing the stored one)."""
        with self._snapshot_lock(community_id):
            return self._build_and_store(community_id)

    def _snapshot_lock(self, community_id: str) -> threading.Lock:
        with self._snapshot_locks_guard:
            return self._snapshot_locks.setdefault(community_id, threading.Lock())

    def _seed_lock(self, community_id: str) -> threading.Lock:
        with self._snapshot_locks_guard:
            return self._seed_locks.setdefault(community_id, threading.Lock())

    def _stored_snapshot(self, community_id: str, max_lag: int) -> Snapshot | None:
        with self.engine.connect() as conn:
            head = self._head(conn, community_id)
            row = conn.execute(select(hub_snapshot.c.cursor, hub_snapshot.c.rows, hub_snapshot.c.created_at,
                                      hub_snapshot.c.body)
                               .where(hub_snapshot.c.community_id == community_id,
                                      hub_snapshot.c.cursor >= head - max_lag)).first()
        if row is None:
            return None
        body = row[3] if isinstance(row[3], bytes) else bytes(row[3])
        return Snapshot(int(row[0]), int(row[1]), _aware(row[2]), body)

    def _build_and_store(self, community_id: str) -> Snapshot:
        snap = self._build_snapshot(community_id)
        values = {"cursor": snap.cursor, "rows": snap.rows, "created_at": snap.created_at, "body": snap.body}
        ins = (pg_insert if self.is_pg else sqlite_insert)(hub_snapshot).values(community_id=community_id, **values)
        # Replace the stored one — unless another process stored a newer one meanwhile.
        ins = ins.on_conflict_do_update(index_elements=[hub_snapshot.c.community_id],
                                        set_={k: ins.excluded[k] for k in values},
                                        where=hub_snapshot.c.cursor <= ins.excluded["cursor"])
        with self.engine.begin() as conn:
            conn.execute(ins)
        return snap

    def _build_snapshot(self, community_id: str) -> Snapshot:
        comp = zlib.compressobj(1, zlib.DEFLATED, 31)   # gzip; level 1 is ~3x faster than 6, ~15% larger
        out: list[bytes] = []

        def emit(obj: Any) -> None:
            piece = comp.compress(P.dumps(obj) + b"\n")
            if piece:
                out.append(piece)

        es = entity_state
        with self.engine.connect() as conn:
            # One transaction that sees one consistent state: the head and every record as of then.
            # Pushes of a community commit in seq order (per-community lock), so every change up to
            # the head is in the state and none after it.
            if self.is_pg:
                conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            else:
                conn.exec_driver_sql("BEGIN")   # pysqlite does not begin for SELECTs by itself
            created = _now()
            head = self._head(conn, community_id)
            counts: dict[str, int] = {e: int(n) for e, n in conn.execute(
                select(es.c.entity, func.count()).where(es.c.community_id == community_id).group_by(es.c.entity))}
            total = sum(counts.values())
            order = [e for e in SNAPSHOT_ENTITY_ORDER if e in counts] + sorted(set(counts) - set(SNAPSHOT_ENTITY_ORDER))
            emit({"snapshot": SNAPSHOT_FORMAT, "community_id": community_id, "cursor": head, "rows": total,
                  "created_at": _iso(created)})
            # ids in byte order (what SQLite does anyway): the same on every server, whatever the
            # database's collation, and cheaper to sort than locale-aware text
            by_id = es.c.entity_id.collate("C") if self.is_pg else es.c.entity_id
            streamed = 0
            for entity in order:
                # doc as text, parsed with orjson: far faster than the driver's JSONB → dict
                q = (select(es.c.entity_id, es.c.version, es.c.first_at, es.c.last_at, es.c.created_at,
                            es.c.updated_at, es.c.updated_by, es.c.doc.cast(Text))
                     .where(es.c.community_id == community_id, es.c.entity == entity).order_by(by_id))
                rows = conn.execute(q, execution_options={"stream_results": True, "yield_per": _SNAPSHOT_FETCH})
                streamed += _snapshot_chunks(entity, rows, emit)
            if streamed != total:    # cannot happen in one consistent transaction
                raise RuntimeError(f"snapshot of {community_id}: counted {total} records but read {streamed}")
            emit({"end": True, "rows": total})
        out.append(comp.flush())
        return Snapshot(head, total, created, b"".join(out))

    # -- seed: the snapshot as a ready-made desktop store ----------------------------------------
    def seed(self, who: Principal, revision: str, *, max_lag: int = SNAPSHOT_MAX_LAG) -> Seed:
        """The community's state as a desktop store: an SQLite file of desktop schema ``revision``.

        Loading the NDJSON snapshot costs a workstation JSON decoding, row inserts and tokenizing for
        the search index (~45,000 records/s on a 2-core PC). The seed is the same state already
        loaded by the desktop's own code (``sync.bootstrap.bootstrap`` on the hub, from the community's
        snapshot — so seed and snapshot agree), search index included: the workstation only copies
        B-trees. The file holds the alembic stamp, the synced records (tombstones included, the
        columns exactly as the desktop stores them) and the residents' search tables (``resident_fts*``);
        every other table (users, settings, journal, audit log, …) is empty. It is in rollback-journal
        mode, vacuumed, and stored gzip-compressed.

        The stored seed of (community, revision) is served while the log has moved on by at most
        ``max_lag`` changes since its ``cursor``; otherwise a new one is built (from the stored snapshot
        while that lags at most ``max_lag``, else from a fresh one) and stored. A hub builds seeds only
        at the schema revision of its own desktop code: another ``revision`` → SeedUnavailable (409).
        """
        if who.kind != "station" or not who.community_id:
            raise Forbidden("only a station credential may load a seed")
        head = desktop_revision()
        if revision != head:
            raise SeedUnavailable(f"this hub builds seeds for desktop schema {head} only, not {revision}; "
                                  "load the snapshot instead", head)
        community_id = who.community_id
        hit = self._stored_seed(community_id, head, max_lag)
        if hit is not None:
            return hit
        with self._seed_lock(community_id):
            # whoever held the lock before us may just have built it
            hit = self._stored_seed(community_id, head, max_lag)
            if hit is not None:
                return hit
            return self._build_and_store_seed(community_id, self.snapshot(who, max_lag=max_lag))

    def build_seed(self, community_id: str, max_lag: int = SNAPSHOT_MAX_LAG) -> Seed:
        """Build a seed of the community from its stored snapshot (or a fresh one when that lags more
        than ``max_lag``) at this hub's desktop schema revision and store it."""
        with self._seed_lock(community_id):
            return self._build_and_store_seed(community_id, self._snapshot(community_id, max_lag))

    def refresh_first_sync(self, *, min_changes: int = 5_000, lag: int = SNAPSHOT_MAX_LAG // 2) -> list[str]:
        """Build the snapshot and seed ahead for every community with a station credential whose stored
        seed is missing or more than ``lag`` changes behind (and whose log has at least ``min_changes``
        changes): the next new workstation then gets them at once instead of waiting for the build.
        ``shequ-hub serve --refresh-minutes N`` runs this every N minutes. Returns the communities
        rebuilt; a community the desktop code cannot store is skipped (SeedUnavailable)."""
        with self.engine.connect() as conn:
            communities = sorted(set(conn.execute(
                select(station.c.community_id).where(station.c.kind == "station", station.c.revoked_at.is_(None),
                                                     station.c.community_id.is_not(None))).scalars()))
        built = []
        revision = desktop_revision()
        for community_id in communities:
            if self.head(community_id) < min_changes or self._stored_seed(community_id, revision, lag) is not None:
                continue
            try:
                self.build_seed(community_id, max_lag=lag)
            except SeedUnavailable:
                continue
            built.append(community_id)
        return built

    def _stored_seed(self, community_id: str, revision: str, max_lag: int) -> Seed | None:
        with self.engine.connect() as conn:
            head = self._head(conn, community_id)
            row = conn.execute(select(hub_seed.c.cursor, hub_seed.c.rows, hub_seed.c.created_at, hub_seed.c.body)
                               .where(hub_seed.c.community_id == community_id, hub_seed.c.revision == revision,
                                      hub_seed.c.cursor >= head - max_lag)).first()
        if row is None:
            return None
        body = row[3] if isinstance(row[3], bytes) else bytes(row[3])
        return Seed(revision, int(row[0]), int(row[1]), _aware(row[2]), body)

    def _build_and_store_seed(self, community_id: str, snap: Snapshot) -> Seed:
        failed = self._seed_failures.get(community_id)
        if failed is not None and failed[:2] == (snap.cursor, snap.created_at):
            raise SeedUnavailable(failed[2])       # the same snapshot again: the same answer, at once
        try:
            seed = build_seed_from_snapshot(snap)
        except SeedUnavailable as e:
            self._seed_failures[community_id] = (snap.cursor, snap.created_at, str(e))
            raise
        values = {"cursor": seed.cursor, "rows": seed.rows, "created_at": seed.created_at, "body": seed.body}
        ins = (pg_insert if self.is_pg else sqlite_insert)(hub_seed).values(
            community_id=community_id, revision=seed.revision, **values)
        # Replace the stored one — unless another process stored a newer one meanwhile.
        ins = ins.on_conflict_do_update(index_elements=[hub_seed.c.community_id, hub_seed.c.revision],
                                        set_={k: ins.excluded[k] for k in values},
                                        where=hub_seed.c.cursor <= ins.excluded["cursor"])
        with self.engine.begin() as conn:
            conn.execute(ins)
            # seeds of other schema revisions (before the hub was upgraded) are never served again
            conn.execute(hub_seed.delete().where(hub_seed.c.community_id == community_id,
                                                 hub_seed.c.revision != seed.revision))
        return seed

    # -- residents' requests (接诉即办) ----------------------------------------------------------
    def create_request(self, who: Principal, body: dict[str, Any]) -> dict[str, Any]:
        if who.kind != "platform":
            raise Forbidden("only the online platform's credential may submit requests")
        community_id = body["community_id"]
        if not self.community_exists(community_id):
            raise UnknownCommunity(community_id)
        now = _now()
        wid = new_id()
        fields = {"id": wid, "community_id": community_id,
                  "request_no": f"WO{now.strftime('%Y%m%d')}-{wid[-6:].upper()}", "source": "online",
                  "category": body["category"], "description": body["description"], "address": body["address"],
                  "contact": body["contact"], "urgency": body["urgency"], "received_at": _iso(now),
                  "grid_id": body.get("grid_id"), "assignee_login": None, "assigned_as": "", "status": "new",
                  "feedback_at": None, "arrived_at": None, "result": "", "closed_at": None, "deleted_at": None}
        change = {"change_id": new_id(), "entity": "work_order", "entity_id": wid, "community_id": community_id,
                  "op": "insert", "fields": fields, "base_version": 0, "new_version": 1,
                  "station_id": P.HUB_STATION, "user_login": f"platform:{who.name}"[:64], "at": _iso(now)}
        with self._write_lock if not self.is_pg else _nullcontext():
            with self.engine.begin() as conn:
                self._lock(conn, community_id)
                self._apply(conn, P.HUB_STATION, community_id, [change])
        return self.get_request(who, wid)

    def apply_platform_change(self, community_id: str, change: dict[str, Any]) -> dict[str, Any]:
        """One change written by the hub for the platform (a resident's online answer): validated and merged
        like a pushed change, under the community's lock; returns its result (accepted / rejected / duplicate)."""
        with self._write_lock if not self.is_pg else _nullcontext():
            with self.engine.begin() as conn:
                self._lock(conn, community_id)
                return self._apply(conn, P.HUB_STATION, community_id, [change])[0]

    def community_exists(self, community_id: str) -> bool:
        """A community this hub serves: a station credential was issued for it, or its record synced."""
        with self.engine.connect() as conn:
            if conn.execute(select(station.c.id).where(station.c.kind == "station",
                                                       station.c.community_id == community_id).limit(1)).first():
                return True
            return conn.execute(select(entity_state.c.entity_id).where(
                entity_state.c.entity == "community", entity_state.c.entity_id == community_id)).first() is not None

    def get_request(self, who: Principal, request_id: str) -> dict[str, Any]:
        with self.engine.connect() as conn:
            row = conn.execute(select(entity_state).where(entity_state.c.entity == "work_order",
                                                          entity_state.c.entity_id == request_id)).first()
            if row is None:
                raise KeyError(request_id)
            if who.kind == "station" and row.community_id != who.community_id:
                raise Forbidden("this request belongs to another community")
            events = conn.execute(select(entity_state.c.doc, entity_state.c.first_at, entity_state.c.created_at).where(
                entity_state.c.entity == "work_order_event", entity_state.c.ref_id == request_id)).all()
        d = row.doc
        progress = sorted(({"kind": e.doc.get("kind"), "note": e.doc.get("note"), "at": e.doc.get("at"),
                            "entered_later": bool(e.doc.get("entered_later"))} for e in events),
                          key=lambda e: e["at"] or "")
        # 补录: steps typed in afterwards — their real time (``at``, what the deadlines count) and when they
        # were entered (the station's clock when the step was saved; the hub's receipt for older records)
        entered_later = sorted(({"kind": e.doc.get("kind"), "at": e.doc.get("at"),
                                 "entered_at": e.first_at or _iso(_aware(e.created_at))}
                                for e in events if e.doc.get("entered_later")), key=lambda e: e["at"] or "")
        return {"id": request_id, "community_id": row.community_id, "request_no": d.get("request_no"),
                "category": d.get("category"), "description": d.get("description"), "address": d.get("address"),
                "urgency": d.get("urgency"), "status": d.get("status"), "received_at": d.get("received_at"),
                "feedback_at": d.get("feedback_at"), "arrived_at": d.get("arrived_at"),
                "closed_at": d.get("closed_at"), "result": d.get("result"), "progress": progress,
                "entered_later": entered_later, "version": row.version}


def _snapshot_chunks(entity: str, rows: Iterable[Any], emit: Callable[[Any], None]) -> int:
    """Emit the chunk lines of one entity's rows (already in id order); returns the number of rows."""
    limit = SNAPSHOT_CHUNK
    loads = P.loads
    keys: tuple[str, ...] | None = None      # sorted doc keys of the chunk being filled
    last_raw: tuple[str, ...] | None = None  # the previous doc's keys as stored (usually the same) ...
    doc_keys: tuple[str, ...] = ()           # ... and sorted, without id / community_id
    chunk: list[list[Any]] = []
    n = 0
    set_aside: list[dict[str, Any]] = []
    for eid, version, first_at, last_at, created_at, updated_at, updated_by, doc_text in rows:
        doc = loads(doc_text)
        why = validate.check_fields(entity, "update", doc)
        if why:
            # accepted before the hub checked values: a workstation could not store it (and every seed build
            # would fail on it) — sent apart, with the reason, for the workstation to set aside
            set_aside.append({"entity_id": eid, "version": version, "reason": why, "doc": doc})
            n += 1
            continue
        raw = tuple(doc)
        if raw != last_raw:
            last_raw = raw
            doc_keys = tuple(sorted(k for k in raw if k not in _NOT_IN_DOC))
        if doc_keys != keys or len(chunk) >= limit:
            if chunk:
                emit({"entity": entity, "cols": [*_SNAPSHOT_COLS, *(keys or ())], "rows": chunk})
            chunk = []
            keys = doc_keys
        chunk.append([eid, version, first_at or _iso(_aware(created_at)), last_at or _iso(_aware(updated_at)),
                      updated_by, *[doc[k] for k in doc_keys]])
        n += 1
    if chunk:
        emit({"entity": entity, "cols": [*_SNAPSHOT_COLS, *(keys or ())], "rows": chunk})
    if set_aside:
        emit({"entity": entity, "cols": [], "rows": [], "set_aside": set_aside})
    return n


class _SnapshotLines:
    """Stands in for the desktop's HubClient in ``bootstrap``: the lines of a stored snapshot body."""

    def __init__(self, body: bytes) -> None:
        self.body = body
        self.nbytes = 0               # compressed bytes "received" so far

    def snapshot(self, with_raw: bool = False) -> Iterator[Any]:
        """The decoded NDJSON lines (``with_raw``: (decoded line, its JSON bytes) pairs), gunzipped
        piece by piece."""
        d = zlib.decompressobj(31)
        body = self.body

        def pieces() -> Iterator[bytes]:
            for start in range(0, len(body), SEED_PIECE):
                piece = body[start:start + SEED_PIECE]
                self.nbytes = start + len(piece)
                yield d.decompress(piece)
            yield d.flush()
            if not d.eof:
                raise RuntimeError("the stored snapshot is truncated")
        yield from P.ndjson_lines(pieces(), with_raw)


def build_seed_from_snapshot(snap: Snapshot, workdir: Path | None = None) -> Seed:
    """Load a snapshot into a new, empty desktop store with the desktop's own code (``open_database``
    creates the schema at its head revision, ``bootstrap`` loads the rows and builds the search index),
    strip it of everything but the records and their search index, and gzip the file.

    Raises SeedUnavailable when the desktop code skips records of the snapshot (record types or
    required columns it does not know): a seed without them would not be the community's state."""
    tmp = Path(tempfile.mkdtemp(prefix="shequ-seed-", dir=workdir))
    try:
        path = tmp / "seed.db"
        db = open_database(path)
        try:
            lines: Any = _SnapshotLines(snap.body)        # what bootstrap uses of a HubClient
            report = _desktop_bootstrap(db, lines, SystemClock())
        finally:
            db.dispose()
        if report.set_aside:
            raise SeedUnavailable(
                f"{report.set_aside:,} of the community's records hold values a workstation cannot store (accepted "
                "before the hub checked values); the snapshot names them and the workstation sets them aside")
        if report.unknown or report.orphans:
            raise SeedUnavailable(
                f"this hub's desktop code cannot store {report.unknown + report.orphans:,} of the community's "
                f"records ({report.unknown:,} of unknown types, {report.orphans:,} lacking required fields); "
                "load the snapshot instead")
        if (report.rows, report.applied, report.cursor) != (snap.rows, snap.rows, snap.cursor):
            raise RuntimeError(f"seed: loaded {report.applied} of {snap.rows} records up to change {report.cursor}, "
                               f"expected all up to {snap.cursor}")
        _strip_seed_file(path)
        return Seed(desktop_revision(), snap.cursor, snap.rows, snap.created_at, _gzip_file(path))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _strip_seed_file(path: Path) -> None:
    """One self-contained file (no -wal), only the records and their search index, vacuumed."""
    c = sqlite3.connect(str(path), isolation_level=None)
    try:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if c.execute("PRAGMA journal_mode=DELETE").fetchone()[0].lower() != "delete":
            raise RuntimeError("seed: the store could not leave WAL mode")
        tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                          "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
        c.execute("BEGIN")
        for t in tables:
            if t in _SEED_KEEP_TABLES or t.startswith(_SEED_KEEP_PREFIXES):
                continue
            # what a fresh store and the load leave here: the sync cursor (setting) and nothing else;
            # never users or credentials
            if c.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() is not None:
                c.execute(f'DELETE FROM "{t}"')
        # The workstation copies rows with INSERT … SELECT into its own tables and indexes: the seed's
        # secondary indexes would only be bytes on the wire (≈13 % of the file).
        for (name,) in c.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                                 "AND tbl_name NOT LIKE 'resident_fts%'").fetchall():
            c.execute(f'DROP INDEX "{name}"')
        c.execute("COMMIT")
        c.execute("VACUUM")
    finally:
        c.close()


def _gzip_file(path: Path) -> bytes:
    # gzip level 6: built once per community and served to every new workstation, so the extra
    # ≈3 s of building buys ≈13 % fewer bytes on the wire; inflating costs the same at any level
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    out: list[bytes] = []
    with open(path, "rb") as f:
        while True:
            piece = f.read(SEED_PIECE)
            if not piece:
                break
            out.append(comp.compress(piece))
    out.append(comp.flush())
    return b"".join(out)


class _nullcontext:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None


def check_request(body: Any) -> dict[str, Any]:
    """Validate a resident's request from the platform; raises ValueError with a clear reason."""
    if not isinstance(body, dict):
        raise ValueError("the request must be a JSON object")
    if not P.is_uuid(body.get("community_id")):
        raise ValueError("community_id must be the community's id (UUID)")
    limits = {"category": 64, "description": 4000, "address": 200, "contact": 64}
    for key, n in limits.items():
        v = body.get(key)
        if not isinstance(v, str) or not v.strip():
            raise ValueError(f"{key} is required (text)")
        if len(v) > n:
            raise ValueError(f"{key} is longer than {n} characters")
    if body.get("urgency", "general") not in URGENCIES:
        raise ValueError("urgency must be 'general' or 'urgent'")
    if body.get("grid_id") is not None and not P.is_uuid(body.get("grid_id")):
        raise ValueError("grid_id must be a UUID when given")
    extra = set(body) - {"community_id", "grid_id", "urgency", *limits}
    if extra:
        raise ValueError(f"unknown key(s): {', '.join(sorted(extra))}")
    return {**body, "urgency": body.get("urgency", "general")}
