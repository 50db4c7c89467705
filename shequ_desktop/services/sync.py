"""Desktop use cases of the hub sync: connect, sync now / in the background, status, conflicts, quarantine.

Everything returns plain dataclasses for the UI; nothing here blocks on Qt. Network problems are
reported in plain words and never lose data: the outbox keeps every change until the hub has it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shequ_desktop import paths
from shequ_desktop.domain import messages
from shequ_desktop.domain.errors import Msgid, NotFound, PermissionDenied, Plural, UserError, plural
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.models import ChangeJournal
from shequ_desktop.persistence.sync_models import PulledChangeQuarantine, SyncConflict
from shequ_desktop.services.context import AppContext, get_setting, put_setting
from shequ_desktop.sync import audit_push, bootstrap, credentials, engine
from shequ_desktop.sync.client import (MSG_CERTIFICATE, MSG_CREDENTIAL_REFUSED, MSG_SERVER_PROBLEM, MSG_TIMEOUT,
                                       MSG_UNREACHABLE, HubAuthError, HubClient, HubError, HubRejected,
                                       HubUnavailable)

URL_KEY = "sync.hub_url"
CA_KEY = "sync.ca_file"
ATTEMPT_KEY = "sync.last_attempt_at"
ONLINE_KEY = "sync.online"
INTERVAL_KEY = "sync.interval_minutes"
DEFAULT_INTERVAL_MINUTES = 5
# Sync problems, stored as message id + parameters (domain.messages) and shown in the reader's language.
MSG_UNKNOWN_KINDS = plural("{n} change from the hub is of a kind this program does not know; update it.",
                           "{n} changes from the hub are of a kind this program does not know; update it.")
MSG_ORPHANS = plural("{n} change refers to a record missing here; a full resync is needed.",
                     "{n} changes refer to records missing here; a full resync is needed.")
MSG_STATION_REFUSED = "The hub refused this workstation: {reason_msg}"
MSG_REQUEST_REFUSED = "The hub refused the request: {reason_msg}"
MSG_NOT_CONFIGURED = "Not connected to a hub: working offline."
MSG_QUARANTINED = plural("The hub refused {quarantined} change; see the sync problems list.",
                         "The hub refused {quarantined} changes; see the sync problems list.", "quarantined")
MSG_SET_ASIDE = plural("{n} change from the hub could not be applied on this workstation and was set aside; "
                       "everything else was applied.",
                       "{n} changes from the hub could not be applied on this workstation and were set aside; "
                       "everything else was applied.")
MSG_CONFLICTS = plural("{conflicts} conflicting edit waits for the station chief.",
                       "{conflicts} conflicting edits wait for the station chief.", "conflicts")
MSG_SYNC_FAILED = "Sync failed: {problem}"
# Problems stored as English sentences by older versions: recognised, so that they read in the reader's language.
_OLD_PROBLEMS: tuple[Msgid, ...] = (
                 MSG_UNKNOWN_KINDS, MSG_ORPHANS, MSG_STATION_REFUSED, MSG_REQUEST_REFUSED, MSG_TIMEOUT,
                 MSG_UNREACHABLE, MSG_CERTIFICATE, MSG_SERVER_PROBLEM, MSG_CREDENTIAL_REFUSED)


def _pattern(msgid: str) -> re.Pattern[str]:
    """A regular expression that reads ``msgid``'s parameters back out of the English sentence."""
    parts = re.split(r"\{(\w+)\}", msgid)
    return re.compile("".join(re.escape(part) if n % 2 == 0 else f"(?P<{part}>.*?)"
                              for n, part in enumerate(parts)) + "$", re.S)


@dataclass(frozen=True)
class HubSettings:
    url: str
    ca_file: str
    hub_station_id: str
    community_id: str
    token_stored_in: str = ""


@dataclass(frozen=True)
class SyncStatus:
    configured: bool
    online: bool | None            # None: not tried yet
    pending: int                   # local changes waiting to be pushed
    quarantined: int               # changes the hub refused (shown, retryable)
    open_conflicts: int
    last_success_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    problem: str                   # plain words, "" when all is well
    set_aside: int = 0             # changes from the hub this store could not apply (the rest was applied)
    problem_detail: str = ""       # the same as message id + parameters (domain.messages): for the screen


@dataclass(frozen=True)
class SyncResult:
    ok: bool
    pushed: int = 0
    duplicates: int = 0
    rejected: int = 0
    pulled: int = 0
    conflicts: int = 0
    problem: str = ""              # plain English words (logs, CLI)
    problem_detail: str = ""       # the same as message id + parameters (domain.messages): for the screen

    @classmethod
    def failed(cls, detail: str) -> SyncResult:
        return cls(ok=False, problem=messages.english(detail), problem_detail=detail)


@dataclass(frozen=True)
class ConflictView:
    id: str
    entity: str
    entity_id: str
    field: str
    local_value: Any               # the value the other side (the losing change) carried
    remote_value: Any              # the value the hub kept (shown now)
    from_user: str
    created_at: dt.datetime
    status: str
    resolution: str
    resolved_by: str
    base_version: int = 0          # the record version both edits started from
    target_version: int = 0        # the version the hub held when the losing change arrived
    object_text: str = ""          # the record as a reader knows it (a resident's masked name, a grid's name)


@dataclass(frozen=True)
class QuarantinedChange:
    change_id: str
    entity: str
    entity_id: str
    op: str
    at: dt.datetime
    user_login: str
    reason: str
    fields: dict[str, Any]


def _iso_or_none(text: str) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def hub_settings(ctx: AppContext) -> HubSettings | None:
    with ctx.transaction() as s:
        url = get_setting(s, URL_KEY)
        if not url:
            return None
        return HubSettings(url, get_setting(s, CA_KEY), get_setting(s, engine.HUB_STATION_KEY), ctx.community_id)


def _account(ctx: AppContext) -> str:
    return f"station-{ctx.station_id}"


def make_client(ctx: AppContext, **kw: Any) -> HubClient:
    hs = hub_settings(ctx)
    if hs is None:
        raise UserError("This workstation is not connected to a hub yet.")
    token = credentials.load_token(paths.data_dir(), _account(ctx))
    if not token:
        raise UserError("The hub credential of this workstation is missing; enter it again.")
    return HubClient(hs.url, token, ca_file=hs.ca_file or None, **kw)


def configure(ctx: AppContext, url: str, token: str, ca_file: str = "", **client_kw: Any) -> HubSettings:
    """Connect this workstation to the hub: check the credential, store it (keyring or a private file).

    The credential must belong to this workstation's community. A fresh workstation (nothing entered
    yet) adopts the hub's community instead.
    """
    _require_admin(ctx)
    if ":" not in token:
        raise UserError("The credential looks wrong: it has the form station-id:secret.", field="token")
    with HubClient(url, token, ca_file=ca_file or None, **client_kw) as client:
        try:
            who = client.whoami()
        except HubAuthError:
            raise UserError("The hub refused this credential.", field="token") from None
        except HubError as e:
            raise _hub_error(e) from None
    if who.community_id != ctx.community_id:
        _adopt_community(ctx, who.community_id)
    with ctx.transaction() as s:
        put_setting(s, URL_KEY, url.rstrip("/"))
        put_setting(s, CA_KEY, ca_file)
        put_setting(s, engine.HUB_STATION_KEY, who.station_id)
    where = credentials.save_token(paths.data_dir(), _account(ctx), token)
    return HubSettings(url.rstrip("/"), ca_file, who.station_id, ctx.community_id, where)


def _hub_error(e: HubError) -> UserError:
    """The client's own words (message ids extracted from sync/client.py), in the reader's language."""
    said = UserError            # the msgid is the client's constant, not a literal here
    return said(e.msgid, field="url", **e.params)


def check_connection(url: str, token: str, ca_file: str = "", **client_kw: Any) -> str:
    """Ask the hub who this credential is (no local change); returns the hub's name for the station."""
    if ":" not in token:
        raise UserError("The credential looks wrong: it has the form station-id:secret.", field="token")
    with HubClient(url, token, ca_file=ca_file or None, timeout=10.0, **client_kw) as client:
        try:
            return client.whoami().name
        except HubAuthError:
            raise UserError("The hub refused this credential.", field="token") from None
        except HubError as e:
            raise _hub_error(e) from None


def interval_minutes(ctx: AppContext) -> int:
    """How often the background sync runs (setting ``sync.interval_minutes``, default 5)."""
    with ctx.transaction() as s:
        text = get_setting(s, INTERVAL_KEY)
    try:
        return max(1, int(text)) if text else DEFAULT_INTERVAL_MINUTES
    except ValueError:
        return DEFAULT_INTERVAL_MINUTES


def _adopt_community(ctx: AppContext, community_id: str) -> None:
    """A fresh workstation joins the hub credential's community. What its first start created on its
    own — the placeholder community record and the default service catalogue — is not data: it is
    removed (never sent), and the community's own records come with the first sync (the catalogue
    is seeded again only if the community has none)."""
    from shequ_desktop.persistence.counter_models import ServiceItem
    from shequ_desktop.persistence.journal import remote_bulk_apply
    from shequ_desktop.domain.service_catalogue import default_service_ids
    old = ctx.community_id
    defaults = default_service_ids(old) if old else []
    with ctx.transaction() as s:
        local = s.execute(select(func.count()).select_from(ChangeJournal).where(
            ChangeJournal.origin == "local", ChangeJournal.entity != "community",
            ~((ChangeJournal.entity == "service_item") & ChangeJournal.entity_id.in_(defaults)))).scalar_one()
        if local:
            raise UserError("This workstation's data belongs to another community than the hub credential; "
                            "ask the hub administrator for a credential of this community.")
        if old:
            raw = s.connection().connection.driver_connection
            with remote_bulk_apply():      # local placeholders, never sent: no journal entry for removing them
                raw.executemany(f"DELETE FROM {ServiceItem.__tablename__} WHERE id = ?", [(i,) for i in defaults])
                raw.execute("DELETE FROM community WHERE id = ? AND NOT EXISTS "
                            "(SELECT 1 FROM grid WHERE grid.community_id = community.id)", (old,))
        now = ctx.clock.now()
        for j in s.execute(select(ChangeJournal).where(ChangeJournal.origin == "local",
                                                       ChangeJournal.pushed_at.is_(None))).scalars():
            j.pushed_at = now
            j.push_error = f"not sent: the workstation joined community {community_id}"
        put_setting(s, "community_id", community_id)
    ctx.community_id = community_id


@dataclass(frozen=True)
class ResyncResult:
    backup: Path
    cleared: int
    sync: SyncResult


def resync(ctx: AppContext, client: HubClient | None = None) -> ResyncResult:
    """Full resync: load the community's records again from the hub — the recovery path when this
    store has drifted from the hub (a restored old backup, a record deleted by hand, a hub restored
    from its own backup). Refused while any change of this workstation is not on the hub (sending
    them comes first: a resync must never lose local work). Takes a verified backup, then clears the
    community's records and the cursor in one transaction, and syncs: an empty store starts from the
    hub's seed. If the program stops in between, the next sync finds the empty store and loads it."""
    from shequ_desktop.persistence.db import default_backup_dir
    from shequ_desktop.persistence.journal import remote_bulk_apply
    from shequ_desktop.persistence.search_schema import FTS_TABLES
    from shequ_desktop.services import audit, backup
    _require_admin(ctx)
    if hub_settings(ctx) is None:
        raise UserError("This workstation is not connected to a hub yet.")
    with ctx.transaction() as s:
        waiting = s.execute(select(func.count()).select_from(ChangeJournal).where(
            ChangeJournal.origin == "local", ChangeJournal.pushed_at.is_(None))).scalar_one()
    if waiting:
        raise UserError(plural("{n} change of this workstation is not on the hub yet: sync first (a change the "
                               "hub refused must be retried or corrected) — a resync would lose it.",
                               "{n} changes of this workstation are not on the hub yet: sync first (changes the "
                               "hub refused must be retried or corrected) — a resync would lose them."), n=waiting)
    saved = backup.backup_to(ctx, default_backup_dir(ctx.db.path))
    cleared = 0
    with ctx.transaction() as s:
        raw = s.connection().connection.driver_connection
        with remote_bulk_apply():
            for name in reversed(bootstrap.synced_tables_in_fk_order()):
                cleared += raw.execute(f'DELETE FROM "{name}"').rowcount or 0
            for table in FTS_TABLES:
                raw.execute(f"DELETE FROM {table}")
            raw.execute("DELETE FROM resident_fts_key")
        put_setting(s, engine.CURSOR_KEY, "0")
        audit.append(s, ctx, audit.AuditAction.ADMIN, "sync", "",
                     audit.describe(audit.MSG_FULL_RESYNC, cleared=cleared, file=str(saved.path)))
    return ResyncResult(saved.path, cleared, sync_now(ctx, client))


def _require_admin(ctx: AppContext) -> None:
    if ctx.user.role is not Role.ADMIN:
        raise PermissionDenied("Your role ({role}) may not do this.", role=ctx.user.role.label)


def _require_chief(ctx: AppContext) -> None:
    if ctx.user.role not in (Role.CHIEF, Role.ADMIN):
        raise PermissionDenied("Your role ({role}) may not do this.", role=ctx.user.role.label)


def sync_now(ctx: AppContext, client: HubClient | None = None,
             progress: Callable[[int, int], None] | None = None) -> SyncResult:
    """Push the outbox, then pull the community's changes. Never raises for network trouble.

    ``progress(done, total)`` (called on the sync thread) follows a long first download: records
    loaded so far out of the snapshot's total."""
    own = client is None
    try:
        client = client or make_client(ctx)
    except UserError as e:
        return SyncResult.failed(_error_detail(e))
    now = ctx.clock.now()
    detail = ""
    push = engine.PushReport()
    pull = engine.PullReport()
    try:
        push = engine.push_pending(ctx.db, client, ctx.clock)
        boot, pull = bootstrap.pull_all(ctx.db, client, ctx.clock, progress=progress)
        audit_push.push_audit(ctx.db, client)        # the audit chain's copy outside this file
        if boot is not None:
            pull.applied += boot.applied
            pull.unknown += boot.unknown
            pull.orphans += boot.orphans
        if pull.unknown:
            detail = messages.describe(MSG_UNKNOWN_KINDS, n=pull.unknown)
        elif pull.orphans:
            detail = messages.describe(MSG_ORPHANS, n=pull.orphans)
    except HubUnavailable as e:
        detail = _error_detail(e)
    except HubAuthError as e:
        detail = messages.describe(MSG_STATION_REFUSED, reason_msg=_error_detail(e))
    except HubRejected as e:
        detail = messages.describe(MSG_REQUEST_REFUSED, reason_msg=_error_detail(e))
    finally:
        if own and client is not None:
            client.close()
    problem = messages.english(detail)
    online = not problem or not problem.startswith(("The hub cannot", "The hub did not", "The hub has a"))
    with ctx.transaction() as s:
        put_setting(s, ATTEMPT_KEY, now.isoformat())
        put_setting(s, ONLINE_KEY, "1" if online else "0")
        put_setting(s, engine.LAST_ERROR_KEY, detail)
        if not problem:
            put_setting(s, engine.LAST_SUCCESS_KEY, ctx.clock.now().isoformat())
    return SyncResult(ok=not problem, pushed=push.accepted, duplicates=push.duplicates, rejected=push.rejected,
                      # each new conflict once: when its record arrives with the pull (the push only
                      # learns that one was recorded, and a second edit of the field updates the same one)
                      pulled=pull.applied, conflicts=pull.conflicts, problem=problem, problem_detail=detail)


def _error_detail(e: HubError | UserError) -> str:
    """A lower layer's error as message id + parameters (the hub's own words, if any, stay as they are)."""
    return messages.describe(e.msgid, **e.params)


def _counted_again(detail: str) -> str:
    """``{"msg": "{n} changes refer to …", "params": {"n": 1}}`` as stored before the message had a singular:
    stored again with both forms, so that it still reads in the reader's language."""
    try:
        data = json.loads(detail)
    except ValueError:
        return detail
    if not isinstance(data, dict) or "plural" in data or not isinstance(data.get("params"), dict):
        return detail
    for msgid in _OLD_PROBLEMS:
        if isinstance(msgid, Plural) and data.get("msg") == msgid.plural:
            return messages.describe(msgid, **data["params"])
    return detail


def stored_problem(raw: str) -> str:
    """The stored last problem as message id + parameters; older versions stored English sentences (or, for
    a counted problem, the plural sentence alone as the message id)."""
    if not raw:
        return raw
    if raw.startswith("{"):
        return _counted_again(raw)
    for msgid in _OLD_PROBLEMS:
        found = _pattern(msgid.plural if isinstance(msgid, Plural) else msgid).match(raw)  # older: plural only
        if found:
            params: dict[str, object] = dict(found.groupdict())
            if isinstance(msgid, Plural) and str(params.get(msgid.count, "")).isdigit():
                params[msgid.count] = int(str(params[msgid.count]))
            if "reason_msg" in params:          # the client's own words, where recognised
                params["reason_msg"] = stored_problem(str(params["reason_msg"]))
            return messages.describe(msgid, **params)
    return messages.describe(raw)       # unknown words: shown as they are (translated if the catalog has them)


def status(ctx: AppContext) -> SyncStatus:
    with ctx.transaction() as s:
        base = select(func.count()).select_from(ChangeJournal).where(
            ChangeJournal.origin == "local", ChangeJournal.pushed_at.is_(None))
        pending = s.execute(base.where(ChangeJournal.push_error.is_(None))).scalar_one()
        quarantined = s.execute(base.where(ChangeJournal.push_error.is_not(None))).scalar_one()
        set_aside = s.execute(select(func.count()).select_from(PulledChangeQuarantine)).scalar_one()
        conflicts = s.execute(select(func.count()).select_from(SyncConflict).where(
            SyncConflict.status == "open", SyncConflict.deleted_at.is_(None))).scalar_one()
        configured = bool(get_setting(s, URL_KEY))
        online_flag = get_setting(s, ONLINE_KEY)
        detail = stored_problem(get_setting(s, engine.LAST_ERROR_KEY))
        last_ok = _iso_or_none(get_setting(s, engine.LAST_SUCCESS_KEY))
        last_try = _iso_or_none(get_setting(s, ATTEMPT_KEY))
    if not configured:
        detail = detail or messages.describe(MSG_NOT_CONFIGURED)
    elif quarantined and not detail:
        detail = messages.describe(MSG_QUARANTINED, quarantined=quarantined)
    elif set_aside and not detail:
        detail = messages.describe(MSG_SET_ASIDE, n=set_aside)
    elif conflicts and not detail:
        detail = messages.describe(MSG_CONFLICTS, conflicts=conflicts)
    return SyncStatus(configured, None if not online_flag else online_flag == "1", pending, quarantined,
                      conflicts, last_ok, last_try, messages.english(detail), set_aside, detail)


@dataclass(frozen=True)
class SetAsideChange:
    seq: int
    change_id: str
    entity: str
    entity_id: str
    reason: str
    at: dt.datetime


def set_aside(ctx: AppContext) -> list[SetAsideChange]:
    """Changes from the hub that this workstation could not apply (kept with the reason)."""
    with ctx.transaction() as s:
        rows = s.execute(select(PulledChangeQuarantine).order_by(PulledChangeQuarantine.seq)).scalars().all()
        return [SetAsideChange(r.seq, r.change_id, r.entity, r.entity_id, r.reason, r.at) for r in rows]


def _object_text(s: Session, entity: str, entity_id: str) -> str:
    from shequ_desktop.domain.masking import mask_name
    from shequ_desktop.persistence.models import Building, Grid, Resident
    if entity == "resident":
        name = s.execute(select(Resident.name).where(Resident.id == entity_id)).scalar()
        return mask_name(name) if name else ""
    model = {"grid": Grid, "building": Building}.get(entity)
    if model is not None:
        return s.execute(select(model.name).where(model.id == entity_id)).scalar() or ""
    return ""


def _conflict_view(c: SyncConflict, s: Session | None = None) -> ConflictView:
    """An open conflict shows the hub's side as the record holds it now (it may have changed again since
    the conflict was recorded); a resolved one as it was."""
    remote = engine.current_value(s, c) if s is not None and c.status == "open" else \
        engine.decode_value(c.remote_value)
    return ConflictView(c.id, c.entity, c.entity_id, c.field, engine.decode_value(c.local_value),
                        remote, c.from_user, c.created_at, c.status,
                        c.resolution, c.resolved_by, c.base_version or 0, c.target_version or 0,
                        _object_text(s, c.entity, c.entity_id) if s is not None else "")


def conflicts(ctx: AppContext, open_only: bool = True) -> list[ConflictView]:
    with ctx.transaction() as s:
        q = select(SyncConflict).where(SyncConflict.deleted_at.is_(None)).order_by(SyncConflict.created_at)
        if open_only:
            q = q.where(SyncConflict.status == "open")
        return [_conflict_view(c, s) for c in s.execute(q).scalars()]


def resolve_conflict(ctx: AppContext, conflict_id: str, choice: str, value: Any = None) -> ConflictView:
    """The station chief keeps one side (``local``/``remote``) or enters an ``edit``; it syncs like any edit."""
    _require_chief(ctx)
    if choice not in ("local", "remote", "edit"):
        raise UserError("Choose one of the two values or enter a new one.")
    with ctx.transaction() as s:
        c = s.get(SyncConflict, conflict_id)
        if c is None or c.deleted_at is not None:
            raise NotFound("This conflict no longer exists.")
        if c.status != "open":
            raise UserError("This conflict was already resolved by {user}.", user=c.resolved_by)
        engine.resolve_conflict(s, c, choice, value, ctx.user.login, ctx.clock.now())
        s.flush()
        return _conflict_view(c)


def quarantine(ctx: AppContext) -> list[QuarantinedChange]:
    with ctx.transaction() as s:
        rows = s.execute(select(ChangeJournal).where(
            ChangeJournal.origin == "local", ChangeJournal.pushed_at.is_(None),
            ChangeJournal.push_error.is_not(None)).order_by(ChangeJournal.seq)).scalars().all()
        return [QuarantinedChange(j.change_id, j.entity, j.entity_id, j.op, j.at, j.user_login,
                                  j.push_error or "", dict(j.fields)) for j in rows]


def retry(ctx: AppContext, change_ids: list[str] | None = None) -> int:
    """Send quarantined changes again with the next sync (all, or the given ones)."""
    return engine.retry_quarantined(ctx.db, change_ids)


class BackgroundSync:
    """Syncs on an interval and on demand in a daemon thread; the window never waits for it.

    ``on_result`` is called from the worker thread (a Qt UI should forward it with a queued signal).
    """

    def __init__(self, ctx: AppContext, interval_s: float = 120.0,
                 on_result: Callable[[SyncResult], None] | None = None,
                 client_factory: Callable[[], HubClient] | None = None,
                 on_progress: Callable[[int, int], None] | None = None) -> None:
        self.ctx, self.interval_s, self.on_result, self.on_progress = ctx, interval_s, on_result, on_progress
        self.client_factory = client_factory
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._busy = threading.Lock()
        self._thread: threading.Thread | None = None
        self.last: SyncResult | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="shequ-sync", daemon=True)
            self._thread.start()

    def sync_now(self) -> None:
        """Ask for a sync as soon as possible (returns at once)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._wake.wait(self.interval_s)
            self._wake.clear()

    def run_once(self) -> SyncResult | None:
        if not self._busy.acquire(blocking=False):
            return None
        try:
            client = self.client_factory() if self.client_factory else None
            try:
                result = sync_now(self.ctx, client, progress=self.on_progress)
            finally:
                if client is not None:
                    client.close()
        except Exception as e:  # noqa: BLE001  (a background thread must never die silently)
            result = SyncResult.failed(messages.describe(MSG_SYNC_FAILED, problem=str(e)))
        finally:
            self._busy.release()
        self.last = result
        if self.on_result is not None:
            self.on_result(result)
        return result
