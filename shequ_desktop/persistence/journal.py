"""The change journal: every write of a synced record leaves a journal row in the same transaction.

Two guards make that a guarantee rather than a convention:
- a ``before_flush`` listener stamps bookkeeping columns and adds the journal rows;
- a ``before_cursor_execute`` listener refuses any INSERT/UPDATE/DELETE on a synced table
  that is not issued from inside a journaled flush (bulk statements, raw SQL).
Incoming changes from the hub are applied with ``actor.applying_remote`` set: they update the
rows and write journal rows marked ``origin='remote'`` (never pushed back).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import LoaderCallableStatus

from shequ_desktop.domain.clock import Clock, SystemClock
from shequ_desktop.domain.ids import new_id
from shequ_desktop.persistence.base import Base, Synced, is_synced
from shequ_desktop.persistence.models import SYNCED_MODELS, ChangeJournal

SYNCED_TABLES = frozenset(m.__tablename__ for m in SYNCED_MODELS)
_synced_cache: tuple[int, frozenset[str]] = (0, SYNCED_TABLES)


def synced_tables() -> frozenset[str]:
    """Every mapped table whose class carries ``__synced__`` (models in any module, e.g. sync_models)."""
    global _synced_cache
    mappers = Base.registry.mappers
    if _synced_cache[0] != len(mappers):
        _synced_cache = (len(mappers), frozenset(
            m.class_.__tablename__ for m in mappers if is_synced(m.class_)) | SYNCED_TABLES)
    return _synced_cache[1]
_WRITE_RE = re.compile(r"^\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+\"?(\w+)\"?",
                       re.IGNORECASE)
_IN_FLUSH: ContextVar[bool] = ContextVar("shequ_in_flush", default=False)


class UnjournaledWrite(RuntimeError):
    """A write to a synced table bypassed the ORM unit of work (and so the journal)."""


@dataclass
class Actor:
    """Who writes: put in ``session.info['actor']`` by the service layer."""

    login: str
    station_id: str
    clock: Clock
    applying_remote: bool = False


SYSTEM_ACTOR = Actor(login="system", station_id="local", clock=SystemClock())


def _actor(session: Session) -> Actor:
    actor = session.info.get("actor")
    return actor if isinstance(actor, Actor) else SYSTEM_ACTOR


def to_json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _row_values(obj: Any, keys: list[str] | None = None) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    cols = keys if keys is not None else [c.key for c in mapper.column_attrs]
    return {k: to_json_value(getattr(obj, k)) for k in cols if k not in Synced.BOOKKEEPING}


def _fill_defaults(obj: Any) -> None:
    """Column defaults the INSERT would apply, set now: the journal (and so every other station and the
    hub) gets the values the row really has, not None for a column the service left to its default."""
    for col in obj.__table__.columns:
        if col.default is None or getattr(obj, col.key, None) is not None:
            continue
        if col.default.is_scalar:
            setattr(obj, col.key, col.default.arg)
        elif col.default.is_callable:
            try:
                setattr(obj, col.key, col.default.arg(None))
            except Exception:  # noqa: BLE001  (a default that needs the statement's context: left to the INSERT)
                pass


def _base_values(session: Session, obj: Any, state: Any, op: str, changed: list[str]) -> dict[str, Any]:
    """The values the station saw before this change: each changed field's old value and ``deleted_at``
    (an update), or the whole record (a removal). The hub merges a field only where its value is
    still this base, so a concurrent edit this station never saw becomes a conflict, not a loss."""
    keys = ([a.key for a in state.mapper.column_attrs if a.key not in Synced.BOOKKEEPING
             and a.key not in ("id", "community_id")] if op == "delete" else [*changed, "deleted_at"])
    out: dict[str, Any] = {}
    missing = []
    for k in dict.fromkeys(keys):
        if k in state.committed_state:
            old = state.committed_state[k]
            if isinstance(old, LoaderCallableStatus):
                missing.append(k)
                continue
        elif k in state.dict:
            old = state.dict[k]
        else:
            missing.append(k)
            continue
        out[k] = to_json_value(old)
    if missing:      # not loaded before the change: the database still holds the old values
        table = obj.__table__
        row = session.connection().execute(
            select(*[state.mapper.get_property(k).columns[0] for k in missing])
            .where(table.c.id == obj.id)).first()
        for k, v in zip(missing, row or [None] * len(missing)):
            out[k] = to_json_value(v)
    return out


def _journal(session: Session, obj: Any, op: str, fields: dict[str, Any], base_version: int,
             actor: Actor, now: dt.datetime, base: dict[str, Any] | None = None) -> None:
    session.add(ChangeJournal(
        change_id=new_id(), entity=obj.__tablename__, entity_id=obj.id, community_id=obj.community_id,
        op=op, fields=json.loads(json.dumps(fields, ensure_ascii=False)), base_version=base_version,
        base=None if base is None else json.loads(json.dumps(base, ensure_ascii=False)),
        new_version=obj.version, station_id=actor.station_id, user_login=actor.login, at=now,
        origin="remote" if actor.applying_remote else "local",
        pushed_at=now if actor.applying_remote else None))


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    actor = _actor(session)
    now = actor.clock.now()
    for obj in list(session.deleted):
        if is_synced(obj):
            raise UnjournaledWrite(f"{obj.__tablename__} rows are never deleted; set deleted_at (tombstone)")
    for obj in list(session.new):
        if not is_synced(obj):
            continue
        if not obj.id:
            obj.id = new_id()
        if not actor.applying_remote or obj.created_at is None:
            obj.created_at = obj.created_at or now
            obj.updated_at = obj.updated_at or now
            obj.updated_by = obj.updated_by or actor.login
        obj.version = obj.version or 1
        _fill_defaults(obj)
        _journal(session, obj, "insert", _row_values(obj), 0, actor, now)
    for obj in list(session.dirty):
        if not is_synced(obj) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        changed = [a.key for a in state.mapper.column_attrs
                   if a.key not in Synced.BOOKKEEPING and state.attrs[a.key].history.has_changes()]
        if not changed:
            continue
        if getattr(obj, "__append_only__", False) and not actor.applying_remote:
            raise UnjournaledWrite(f"{obj.__tablename__} is append-only; add a correcting entry instead")
        base = state.attrs["version"].history.deleted
        base_version = base[0] if base else obj.version
        if not actor.applying_remote:
            obj.version = base_version + 1
            obj.updated_at = now
            obj.updated_by = actor.login
        op = "delete" if "deleted_at" in changed and obj.deleted_at is not None else "update"
        base_values = None if actor.applying_remote else _base_values(session, obj, state, op, changed)
        _journal(session, obj, op, _row_values(obj, changed), base_version, actor, now, base_values)


class remote_bulk_apply:  # noqa: N801  (a context manager used like a statement)
    """The one sanctioned path around the ORM flush: the sync client's bulk apply of pulled rows.

    The caller must write the matching ``origin='remote'`` journal rows in the same transaction.
    """

    def __enter__(self) -> None:
        self._token = _IN_FLUSH.set(True)

    def __exit__(self, *exc: Any) -> None:
        _IN_FLUSH.reset(self._token)


class JournaledSession(Session):
    """A Session whose flushes are the only way rows of synced tables reach the database."""

    def flush(self, objects: Any = None) -> None:
        token = _IN_FLUSH.set(True)
        try:
            super().flush(objects)
        finally:
            _IN_FLUSH.reset(token)


event.listen(JournaledSession, "before_flush", _before_flush)


def install_engine_guard(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _guard(conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool) -> None:
        m = _WRITE_RE.match(statement)
        if m and m.group(1).lower() in synced_tables() and not _IN_FLUSH.get():
            raise UnjournaledWrite(f"write to synced table {m.group(1)} outside the journaled unit of work")
