"""The audit log: append-only and hash-chained, so a changed or removed entry is detectable."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, func
from sqlalchemy.orm import Session

from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.models import AuditEntry
from shequ_desktop.services.context import AppContext, get_setting, put_setting

GENESIS = "0" * 64
# What an entry says (message ids, translated when shown; extracted by i18n_tools as MSG_ constants).
MSG_IMPORTED = "Imported {file}: {added} added, {updated} updated, {skipped} rows skipped."


class AuditAction:
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    UNLOCK = "unlock"
    REVEAL = "reveal"
    PRINT = "print"
    EXPORT = "export"
    IMPORT = "import"
    ADMIN = "admin"
    BACKUP = "backup"
    RESTORE = "restore"


@dataclass(frozen=True)
class AuditView:
    seq: int
    at: dt.datetime
    user_login: str
    action: str
    entity: str
    entity_id: str
    detail: str


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""


def describe(msgid: str, **params: object) -> str:
    """An entry's detail as a message id + parameters, so the log reads in the reader's language."""
    return json.dumps({"msg": msgid, "params": params}, ensure_ascii=False, sort_keys=True, default=str)


def detail_text(detail: str, translate: Callable[[str], str]) -> str:
    """The detail in the reader's language via ``translate`` (the caller's ``_``); older entries,
    stored as plain text, are shown as they are."""
    if not detail.startswith("{"):
        return detail
    try:
        data = json.loads(detail)
        text = translate(data["msg"])
        return text.format(**{k: translate(v) if k.endswith("_msg") and isinstance(v, str) else v
                              for k, v in data["params"].items()})
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return detail


def _digest(prev: str, seq: int, at: dt.datetime, station: str, login: str, action: str,
            entity: str, entity_id: str, detail: str) -> str:
    payload = json.dumps([prev, seq, at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f"),
                          station, login, action, entity, entity_id, detail], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(s: Session, ctx: AppContext, action: str, entity: str = "", entity_id: str = "",
           detail: str = "") -> None:
    """Add an entry inside the caller's transaction (so the action and its record commit together)."""
    last = s.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = ctx.clock.now()
    h = _digest(prev, seq, at, ctx.station_id, ctx.user.login, action, entity, entity_id, detail)
    s.add(AuditEntry(seq=seq, at=at, station_id=ctx.station_id, user_login=ctx.user.login, action=action,
                     entity=entity, entity_id=entity_id, detail=detail, prev_hash=prev, hash=h))
    # The head anchor makes removing the newest entries detectable too.
    put_setting(s, "audit_head", f"{seq}:{h}")
    s.flush()


def record(ctx: AppContext, action: str, entity: str = "", entity_id: str = "", detail: str = "") -> None:
    with ctx.transaction() as s:
        append(s, ctx, action, entity, entity_id, detail)


def verify(ctx: AppContext) -> VerifyResult:
    """Walk the chain; report the first entry whose hash, link or sequence is wrong."""
    ctx.require(Permission.AUDIT_VIEW)
    prev, expected_seq, checked = GENESIS, 1, 0
    with ctx.transaction() as s:
        for e in s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars():
            if e.seq != expected_seq:
                return VerifyResult(False, checked, expected_seq, "missing")
            if e.prev_hash != prev:
                return VerifyResult(False, checked, e.seq, "link")
            if _digest(prev, e.seq, e.at, e.station_id, e.user_login, e.action, e.entity, e.entity_id,
                       e.detail) != e.hash:
                return VerifyResult(False, checked, e.seq, "changed")
            prev, expected_seq, checked = e.hash, e.seq + 1, checked + 1
        head = get_setting(s, "audit_head")
    if head and head != f"{expected_seq - 1}:{prev}":
        return VerifyResult(False, checked, expected_seq, "missing")
    return VerifyResult(True, checked)


def recent(ctx: AppContext, limit: int = 200, action: str | None = None) -> list[AuditView]:
    ctx.require(Permission.AUDIT_VIEW)
    with ctx.transaction() as s:
        q = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
        if action:
            q = q.where(AuditEntry.action == action)
        return [AuditView(e.seq, e.at, e.user_login, e.action, e.entity, e.entity_id, e.detail)
                for e in s.execute(q).scalars()]


def count(ctx: AppContext) -> int:
    with ctx.transaction() as s:
        return int(s.execute(select(func.count()).select_from(AuditEntry)).scalar_one())
