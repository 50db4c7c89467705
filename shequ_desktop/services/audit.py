"""The audit log: append-only and hash-chained, so a changed or removed entry is detectable."""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select, func
from sqlalchemy.orm import Session

from shequ_desktop.domain import messages
from shequ_desktop.domain.masking import mask_name
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.models import AuditEntry, Case, PrintedDocument, Resident, User
from shequ_desktop.services import audit_key
from shequ_desktop.services.context import AppContext, get_setting, put_setting
from shequ_desktop.sync import audit_chain
from shequ_desktop.sync.audit_chain import GENESIS
# What an entry says (message ids, translated when shown; extracted by i18n_tools as MSG_ constants).
MSG_IMPORTED = "Imported {file}: {added} added, {updated} updated, {skipped} rows skipped."
MSG_REVEALED_PHONE = "Showed the full phone number of {name}. {purpose}"
MSG_REVEALED_ID = "Showed the full ID number of {name}. {purpose}"
MSG_LOCKED_ATTEMPT = "Login attempt for {login} while the account is locked (until {until})."
MSG_LOCKOUT = "{login} locked for {minutes} minutes after {failures} failed attempts."
MSG_RESTORED = "Restored the backup {file}."
MSG_PRINTED = "Printed {kind_msg} {serial} for {holder}."
MSG_REPRINTED = "Reprinted {kind_msg} {serial} for {holder}."
MSG_PRINTED_BATCH = "Printed {count} × {kind_msg}: {first}…{last}."
MSG_EXPORTED = "Exported {rows} residents (search: {query}) to {file}, numbers masked."
MSG_EXPORTED_UNMASKED = "Exported {rows} residents (search: {query}) to {file} with FULL ID and phone numbers."
MSG_RESTORED_DESPITE = "Restored the backup {file} despite the warnings: {warnings}"
MSG_RESTORED_FROM = ("Restored the backup {file} of {backup_at}; the audit log continues from its entry {branch_seq}"
                     "{superseded_msg}.")
MSG_RESTORED_FROM_DESPITE = ("Restored the backup {file} of {backup_at} despite the warnings ({warnings}); the "
                             "audit log continues from its entry {branch_seq}{superseded_msg}.")
MSG_SUPERSEDED = "; entries {first}–{last} of the log before the restore are superseded (the hub keeps them)"
MSG_PRINTED_PAPER = "Printed {kind_msg} {serial}."
MSG_KIND_KPI_REPORT = "KPI report"
MSG_PRINTED_FOR_CASE = "Printed {kind_msg} {serial} for case {case_no}."
MSG_VOIDED = "Voided the document {serial}: {reason}"
MSG_USER_CREATED = "Created the user {login} with the role {role_msg}."
MSG_PASSWORD_SET = "Set the password of {login}."
MSG_LOGIN_UNKNOWN = "Login attempt with the unknown or inactive login {login}."
MSG_REVEALED_PARTY = "Showed the full details of the party {name}. {purpose_msg}"
MSG_PURPOSE_MEDIATION = "mediation case"
MSG_FULL_RESYNC = "Full resync: {cleared} records cleared; backup taken before: {file}."
MSG_CALENDAR_IMPORTED = "Imported {days} days of the holiday schedule from {file} {document}"
MSG_CALENDAR_WORKDAY = "Set {day} as a working day. {note}"
MSG_CALENDAR_RESTDAY = "Set {day} as a day off. {note}"
MSG_CALENDAR_DEFAULT = "Set {day} back to the published schedule. {note}"
MSG_PRINT_FONTS = "Print fonts: {old_msg} → {new_msg}"
MSG_FONTS_SYSTEM = "the PC's official fonts"
MSG_FONTS_BUNDLED = "the program's own font"
MSG_BACKUP_SETTINGS = ("Backup settings: second folder {folder}; keep {daily} daily, {weekly} weekly and "
                       "{monthly} monthly copies.")
MSG_DAILY_BACKUP = "Daily backup {file}: {kept} kept, {deleted} deleted. {extra_msg}"
MSG_BACKUP_COPIED = "Copied to {folder}."
MSG_BACKUP_NOT_COPIED = "Not copied to the second folder: {reason}"
MSG_STATION_SET = "Changed the station settings: {fields_msgs}."
MSG_REKEY = ("This PC had no audit key for this station's log; a new key was made. Earlier entries are checked "
             "against the hub's copy.")


class AuditAction:
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    UNLOCK = "unlock"
    REVEAL = "reveal"               # the full ID number
    REVEAL_PHONE = "reveal_phone"
    LOGIN_LOCKED = "login_locked"   # an attempt while the account is locked
    LOCKOUT = "lockout"             # too many failures: the account is locked
    REKEY = "audit_rekey"           # a new station key on this PC (the old one is elsewhere)
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
    object_text: str = ""           # the record named for a reader: masked name, case or serial number


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str = ""


def describe(msgid: messages.Msgid, **params: object) -> str:
    """An entry's detail as a message id + parameters, so the log reads in the reader's language."""
    return messages.describe(msgid, **params)


def detail_text(detail: str, translate: Callable[[str], str],
                ngettext: Callable[[str, str, int], str] | None = None) -> str:
    """The detail in the reader's language via ``translate`` (the caller's ``_``) and ``ngettext`` (for counted
    messages); older entries, stored as plain text, are shown as they are."""
    return messages.render(detail, translate, ngettext)


def _key(station_id: str, create: bool) -> bytes | None:
    cache_key = (str(audit_key.key_file(station_id)), station_id)
    key = _KEYS.get(cache_key)
    if key is None:
        key = audit_key.ensure_key(station_id) if create else audit_key.load_key(station_id)
        if key is not None:
            _KEYS[cache_key] = key
    return key


_KEYS: dict[tuple[str, str], bytes] = {}


def _head_text(key: bytes, seq: int, h: str) -> str:
    return f"{seq}:{h}:{audit_key.mac(key, f'head:{seq}:{h}')}"


def append(s: Session, ctx: AppContext, action: str, entity: str = "", entity_id: str = "",
           detail: str = "") -> None:
    """Add an entry inside the caller's transaction (so the action and its record commit together)."""
    key = _key(ctx.station_id, create=False)
    if key is None:
        key = _key(ctx.station_id, create=True)
        assert key is not None
        if s.execute(select(AuditEntry.seq).where(AuditEntry.mac != "").limit(1)).first():
            # Keyed entries but no key here (the database came from another PC): say so, keyed from now on.
            _append(s, ctx, key, AuditAction.REKEY, "database", "", describe(MSG_REKEY))
    _append(s, ctx, key, action, entity, entity_id, detail)


def _append(s: Session, ctx: AppContext, key: bytes, action: str, entity: str, entity_id: str, detail: str) -> None:
    last = s.execute(select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)).first()
    seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
    at = ctx.clock.now()
    h = audit_chain.digest(prev, seq, at, ctx.station_id, ctx.user.login, action, entity, entity_id, detail)
    s.add(AuditEntry(seq=seq, at=at, station_id=ctx.station_id, user_login=ctx.user.login, action=action,
                     entity=entity, entity_id=entity_id, detail=detail, prev_hash=prev, hash=h,
                     mac=audit_key.mac(key, h)))
    # The keyed head makes removing the newest entries (and moving the head back) detectable too.
    put_setting(s, "audit_head", _head_text(key, seq, h))
    s.flush()


def record_restore(ctx: AppContext, file: str, backup_at: str, previous_head: int, warnings: str = "") -> None:
    """The entry that opens a restored history (services/restore): first after the backup's entries
    (before a re-keying entry, if this PC has no key), naming the entry it continues (``branch_seq``:
    the hub checks it holds that one) and the entries of the replaced log it supersedes."""
    with ctx.transaction() as s:
        branch_seq = s.execute(select(func.coalesce(func.max(AuditEntry.seq), 0))).scalar_one()
        superseded = describe(MSG_SUPERSEDED, first=branch_seq + 1, last=previous_head) \
            if previous_head > branch_seq else ""
        params: dict[str, object] = {"file": file, "backup_at": backup_at, "branch_seq": branch_seq,
                                     "superseded_msg": superseded}
        if warnings:
            params["warnings"] = warnings
        detail = describe(MSG_RESTORED_FROM_DESPITE if warnings else MSG_RESTORED_FROM, **params)
        key = _key(ctx.station_id, create=False)
        rekey = key is None and s.execute(select(AuditEntry.seq).where(AuditEntry.mac != "").limit(1)).first()
        key = key or _key(ctx.station_id, create=True)
        assert key is not None
        _append(s, ctx, key, AuditAction.RESTORE, "database", "", detail)
        if rekey:
            _append(s, ctx, key, AuditAction.REKEY, "database", "", describe(MSG_REKEY))


def record(ctx: AppContext, action: str, entity: str = "", entity_id: str = "", detail: str = "") -> None:
    with ctx.transaction() as s:
        append(s, ctx, action, entity, entity_id, detail)


def verify(ctx: AppContext) -> VerifyResult:
    """Walk the chain; report the first entry whose hash, key, link or sequence is wrong, or a head
    that does not match (newest entries removed, or everything)."""
    ctx.require(Permission.AUDIT_VIEW)
    with ctx.transaction() as s:
        entries = s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
        return check_chain(entries, get_setting(s, "audit_head"), _key(ctx.station_id, create=False))


def check_chain(entries: Iterable[AuditEntry], head: str, key: bytes | None) -> VerifyResult:
    """Hash, link and sequence of every entry; the key's MAC from the last re-keying on (before it the
    entries were keyed on another PC: the hub's copy checks those)."""
    entries = list(entries)
    rekeyed_at = max((e.seq for e in entries if e.action == AuditAction.REKEY), default=0)
    prev, expected_seq, checked, keyed = GENESIS, 1, 0, False
    for e in entries:
        if e.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, "missing")
        if e.prev_hash != prev:
            return VerifyResult(False, checked, e.seq, "link")
        if audit_chain.digest(prev, e.seq, e.at, e.station_id, e.user_login, e.action, e.entity, e.entity_id,
                              e.detail) != e.hash:
            return VerifyResult(False, checked, e.seq, "changed")
        if e.seq < rekeyed_at:
            pass
        elif e.mac or keyed:      # entries from before the key (revision 0006) have none; all later ones must
            keyed = True
            if key is None:
                return VerifyResult(False, checked, e.seq, "nokey")
            if not hmac.compare_digest(e.mac, audit_key.mac(key, e.hash)):
                return VerifyResult(False, checked, e.seq, "changed")
        prev, expected_seq, checked = e.hash, e.seq + 1, checked + 1
    if key is not None or keyed:
        # This station has a keyed log: the head must be there, signed, and on the last entry.
        if not head:
            return VerifyResult(False, checked, expected_seq, "emptied" if checked == 0 else "missing")
        if key is None:
            return VerifyResult(False, checked, expected_seq, "nokey")
        parts = head.split(":")
        if len(parts) != 3 or not parts[0].isdigit() or not hmac.compare_digest(
                head, _head_text(key, int(parts[0]), parts[1])):
            return VerifyResult(False, checked, expected_seq, "missing")
        if int(parts[0]) != expected_seq - 1 or parts[1] != prev:
            return VerifyResult(False, checked, min(int(parts[0]), expected_seq), "missing")
    elif head and head != f"{expected_seq - 1}:{prev}":
        return VerifyResult(False, checked, expected_seq, "missing")
    return VerifyResult(True, checked)


def recent(ctx: AppContext, limit: int = 200, action: str | None = None) -> list[AuditView]:
    ctx.require(Permission.AUDIT_VIEW)
    with ctx.transaction() as s:
        q = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
        if action:
            q = q.where(AuditEntry.action == action)
        entries = list(s.execute(q).scalars())
        names = _object_names(s, entries)
        return [AuditView(e.seq, e.at, e.user_login, e.action, e.entity, e.entity_id, e.detail,
                          names.get((e.entity, e.entity_id), "" if _looks_like_id(e.entity_id) else e.entity_id))
                for e in entries]


def _looks_like_id(value: str) -> bool:
    return len(value) == 36 and value.count("-") == 4


def _object_names(s: Session, entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
    """Raw record ids → what a reader recognises (a resident's masked name, a case or serial number)."""
    wanted: dict[str, set[str]] = {}
    for e in entries:
        if e.entity_id:
            wanted.setdefault(e.entity, set()).add(e.entity_id)
    names: dict[tuple[str, str], str] = {}
    if wanted.get("resident"):
        for rid, name in s.execute(select(Resident.id, Resident.name).where(Resident.id.in_(wanted["resident"]))):
            names[("resident", rid)] = mask_name(name)
    if wanted.get("case"):
        for cid, no in s.execute(select(Case.id, Case.case_no).where(Case.id.in_(wanted["case"]))):
            names[("case", cid)] = no
    if wanted.get("printed_document"):
        q = (select(PrintedDocument.id, PrintedDocument.serial_no, Resident.name)
             .outerjoin(Resident, Resident.id == PrintedDocument.resident_id)
             .where(PrintedDocument.id.in_(wanted["printed_document"])))
        for did, serial, name in s.execute(q):
            names[("printed_document", did)] = f"{serial} {mask_name(name or '')}".strip()
    for kind in ("sg_file", "sg_file_review"):      # a file, or the review worksheet printed for it
        if wanted.get(kind):
            from shequ_desktop.persistence.special_groups_models import SpecialFile
            q = (select(SpecialFile.id, Resident.name).join(Resident, Resident.id == SpecialFile.resident_id)
                 .where(SpecialFile.id.in_(wanted[kind])))
            for fid, name in s.execute(q):
                names[(kind, fid)] = mask_name(name)
    if wanted.get("sg_roster"):
        from shequ_desktop.persistence.special_groups_models import RosterMember
        for mid, name in s.execute(select(RosterMember.id, RosterMember.name)
                                   .where(RosterMember.id.in_(wanted["sg_roster"]))):
            names[("sg_roster", mid)] = mask_name(name)
    if wanted.get("app_user"):
        for uid, login in s.execute(select(User.id, User.login).where(User.id.in_(wanted["app_user"]))):
            names[("app_user", uid)] = login
    return names


def count(ctx: AppContext) -> int:
    with ctx.transaction() as s:
        return int(s.execute(select(func.count()).select_from(AuditEntry)).scalar_one())
