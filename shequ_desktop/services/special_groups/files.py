"""Files: open (several groups per person), flags and needs, close/reopen with history, outside changes (R51),
proposals for residents who turned 60, the vulnerable residents of a building (for emergencies)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from shequ_desktop.domain import special_groups as sg
from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import NotFound, UserError, ValidationErrors
from shequ_desktop.domain.idnumber import age_on
from shequ_desktop.domain.masking import mask_address, mask_id_number, mask_name, mask_phone
from shequ_desktop.persistence.models import Household, Resident
from shequ_desktop.persistence.special_groups_models import FileEvent, RosterMember, SpecialFile
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.policy import current_policy
from shequ_desktop.services.special_groups.common import (MSG_PURPOSE_FILE, MSG_PURPOSE_MY_DAY,  # noqa: F401
                                                          MSG_SG_REVEALED_HEALTH, MSG_SG_REVEALED_ID,
                                                          MSG_SG_REVEALED_PHONE, MSG_SG_VULNERABLE_LIST,
                                                          active_rosters, active_staff, get_visible_file, may_see,
                                                          require_work, resident_facts, responsible_login, sees_all,
                                                          team_logins)


@dataclass
class FileInput:
    resident_id: str
    group: str
    flags: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    care_notes: str = ""
    health_notes: str = ""
    disability_cert: str = ""
    devices: str = ""
    rehabilitation: str = ""
    child_kind: str | None = None
    opened_on: dt.date | None = None
    tracked_from: dt.date | None = None


@dataclass(frozen=True)
class FileRow:
    """One line of a file list: name and numbers masked, sensitive data left out."""

    id: str
    resident_id: str
    group: str
    status: str
    name: str                 # masked (张*兰)
    id_masked: str
    phone_masked: str
    address: str
    building: str
    flags: tuple[str, ...]
    worker_login: str
    worker_name: str
    roster_problems: tuple[str, ...]
    review_requested: bool


@dataclass(frozen=True)
class FileEventView:
    at: dt.datetime
    kind: str
    detail: str
    by_login: str


@dataclass(frozen=True)
class FileDetail:
    id: str
    resident_id: str
    group: str
    status: str
    name: str                 # full name (the file is opened on purpose)
    sex_age: str
    id_masked: str
    phone_masked: str
    address: str
    building: str
    flags: tuple[str, ...]
    needs: tuple[str, ...]
    care_notes: str
    opened_on: dt.date
    tracked_from: dt.date
    closed_on: dt.date | None
    close_reason: str | None
    has_health_data: bool     # disability grade, diagnoses: revealed on purpose only (§7.2)
    child_kind: str | None
    review_requested_on: dt.date | None
    review_reason: str
    resident_gone: bool       # the registry removed the resident (deceased / moved)
    version: int
    history: tuple[FileEventView, ...] = field(default=())


@dataclass(frozen=True)
class VulnerableResident:
    resident_id: str
    name: str
    address: str
    unit: str
    room: str
    phone: str                # full: for the emergency responder; the caller audits the list
    groups: tuple[str, ...]
    flags: tuple[str, ...]
    worker_login: str
    worker_name: str
    volunteer_name: str
    volunteer_phone: str
    family: tuple[tuple[str, str, str], ...]   # (name, relation, phone)


def _event(s, ctx: AppContext, file_id: str, kind: str, detail: str = "") -> None:  # noqa: ANN001
    s.add(FileEvent(community_id=ctx.community_id, file_id=file_id, at=ctx.clock.now(), kind=kind, detail=detail,
                    by_login=ctx.user.login))


def _check_codes(values: tuple[str, ...], allowed: tuple[str, ...], field_name: str) -> list[UserError]:
    bad = [v for v in values if v not in allowed]
    return [UserError("Unknown code {code}.", field=field_name, code=bad[0])] if bad else []


def open_file(ctx: AppContext, inp: FileInput) -> FileDetail:
    """Open a file for a resident in a group; the group's eligibility is checked from the registry."""
    require_work(ctx)
    today = local_today(ctx.clock)
    errors: list[UserError] = []
    if inp.group not in sg.GROUPS:
        raise UserError("Choose a group.", field="group")
    errors += _check_codes(tuple(inp.flags), sg.FLAGS, "flags") + _check_codes(tuple(inp.needs), sg.NEEDS, "needs")
    opened = inp.opened_on or today
    if opened > today:
        errors.append(UserError("The date cannot be in the future.", field="opened_on"))
    policy = current_policy(ctx)
    with ctx.transaction() as s:
        r = s.get(Resident, inp.resident_id)
        if r is None or r.deleted_at is not None:
            raise NotFound("The resident was not found (maybe removed).")
        age = age_on(r.birth_date, today)
        category: str | None = None
        grade: int | None = None
        if inp.group == "elderly" and age < int(policy.get("elderly_age")):
            errors.append(UserError("{name} is {age}; an elderly file needs {min} or more.", field="group",
                                    name=r.name, age=age, min=int(policy.get("elderly_age"))))
        if inp.group == "disabled":
            parsed = sg.check_disability_certificate(inp.disability_cert, r.id_number)
            if parsed is None:
                errors.append(UserError("The disability certificate number must be the ID number followed by "
                                        "the category (1–7) and the grade (1–4).", field="disability_cert"))
            else:
                category, grade = parsed
        if inp.group == "child":
            if age >= 18:
                errors.append(UserError("{name} is {age}; a child's file is for those under 18.", field="group",
                                        name=r.name, age=age))
            if inp.child_kind not in sg.CHILD_KINDS:
                errors.append(UserError("Choose the kind of difficulty.", field="child_kind"))
        existing = s.execute(select(SpecialFile).where(
            SpecialFile.resident_id == r.id, SpecialFile.group == inp.group,
            SpecialFile.deleted_at.is_(None))).scalars().first()
        if existing is not None:
            if existing.status == "open":
                errors.append(UserError("{name} already has an open file in this group.", field="group", name=r.name))
            else:
                errors.append(UserError("{name} has a closed file in this group: reopen it to keep its history.",
                                        field="group", name=r.name))
        if errors:
            raise ValidationErrors(errors)
        f = SpecialFile(community_id=ctx.community_id, resident_id=r.id, group=inp.group, status="open",
                        opened_on=opened, tracked_from=inp.tracked_from or opened, flags=sorted(set(inp.flags)),
                        needs=sorted(set(inp.needs)), care_notes=inp.care_notes.strip(),
                        health_notes=inp.health_notes.strip(),
                        disability_cert=inp.disability_cert.strip().upper() if inp.group == "disabled" else "",
                        disability_category=category, disability_grade=grade, devices=inp.devices.strip(),
                        rehabilitation=inp.rehabilitation.strip(),
                        child_kind=inp.child_kind if inp.group == "child" else None)
        s.add(f)
        s.flush()
        _event(s, ctx, f.id, "opened", sg.GROUP_LABELS[inp.group])
        if inp.group == "child" and not sees_all(ctx):
            # the worker who opens a child's file is on its team (else they could not see it)
            s.add(RosterMember(community_id=ctx.community_id, file_id=f.id, role="worker", login=ctx.user.login,
                               name=ctx.user.display_name, active_from=opened))
        s.flush()
        return _detail(s, ctx, f)


def update_file(ctx: AppContext, file_id: str, *, flags: tuple[str, ...] | None = None,
                needs: tuple[str, ...] | None = None, care_notes: str | None = None,
                health_notes: str | None = None, devices: str | None = None,
                rehabilitation: str | None = None) -> FileDetail:
    """Change flags, needs and notes; each change is in the file's history."""
    errors = (_check_codes(tuple(flags or ()), sg.FLAGS, "flags") + _check_codes(tuple(needs or ()), sg.NEEDS, "needs"))
    if errors:
        raise ValidationErrors(errors)
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        changed = []
        if flags is not None and sorted(set(flags)) != list(f.flags):
            old = "、".join(sg.FLAG_LABELS[x] for x in f.flags) or "—"
            f.flags = sorted(set(flags))
            changed.append(f"标记 {old} → {'、'.join(sg.FLAG_LABELS[x] for x in f.flags) or '—'}")
        if needs is not None and sorted(set(needs)) != list(f.needs):
            f.needs = sorted(set(needs))
            changed.append("需求 " + ("、".join(sg.NEED_LABELS[x] for x in f.needs) or "—"))
        for name, value in (("care_notes", care_notes), ("health_notes", health_notes), ("devices", devices),
                            ("rehabilitation", rehabilitation)):
            if value is not None and value.strip() != getattr(f, name):
                setattr(f, name, value.strip())
                changed.append(name)
        if changed:
            _event(s, ctx, f.id, "changed", "；".join(changed))
        s.flush()
        return _detail(s, ctx, f)


def close_file(ctx: AppContext, file_id: str, reason: str, note: str = "", on: dt.date | None = None) -> FileDetail:
    """Close a file (moved away, deceased, no longer eligible): its history stays, its open tasks are cancelled."""
    today = local_today(ctx.clock)
    on = on or today
    if reason not in sg.CLOSE_REASONS:
        raise UserError("Choose why the file is closed.", field="reason")
    if on > today:
        raise UserError("The date cannot be in the future.", field="closed_on")
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        if f.status == "closed":
            raise UserError("This file is already closed.")
        if on < f.tracked_from:
            raise UserError("The file cannot close before it was opened.", field="closed_on")
        f.status, f.closed_on, f.close_reason, f.close_note = "closed", on, reason, note.strip()
        _event(s, ctx, f.id, "closed", sg.CLOSE_REASON_LABELS[reason] + (f"：{note.strip()}" if note.strip() else ""))
        s.flush()
        return _detail(s, ctx, f)


def reopen_file(ctx: AppContext, file_id: str, note: str = "") -> FileDetail:
    """Reopen a closed file; the schedules start again today (the closed months are not counted as late)."""
    today = local_today(ctx.clock)
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        if f.status != "closed":
            raise UserError("This file is open.")
        r = s.get(Resident, f.resident_id)
        if r is None or r.deleted_at is not None:
            raise UserError("{name} is no longer in the registry (moved away or deceased): register the resident "
                            "again before reopening the file.", name=r.name if r else "")
        if s.execute(select(SpecialFile.id).where(SpecialFile.resident_id == f.resident_id,
                                                  SpecialFile.group == f.group, SpecialFile.status == "open",
                                                  SpecialFile.deleted_at.is_(None), SpecialFile.id != f.id)).first():
            raise UserError("{name} already has an open file in this group.", name=r.name)
        f.status, f.closed_on, f.close_reason, f.tracked_from = "open", None, None, today
        _event(s, ctx, f.id, "reopened", note.strip())
        s.flush()
        return _detail(s, ctx, f)


def request_review(ctx: AppContext, file_id: str, reason: str, on: dt.date | None = None) -> None:
    """R51: a change from outside (registry, police/housing reconciliation) puts the file up for review."""
    with ctx.transaction() as s:
        f = s.get(SpecialFile, file_id)
        if f is None or f.deleted_at is not None:
            raise NotFound("This file does not exist.")
        _put_up_for_review(s, ctx, f, reason, on or local_today(ctx.clock))


def _put_up_for_review(s, ctx: AppContext, f: SpecialFile, reason: str, day: dt.date) -> None:  # noqa: ANN001
    if f.review_requested_on is None or f.review_requested_on < day:
        f.review_requested_on, f.review_reason = day, reason[:200]
        _event(s, ctx, f.id, "review_requested", reason)


def review_on_registry_change(s, ctx: AppContext, resident_id: str, reason: str) -> int:  # noqa: ANN001
    """R51 inside the registry's own transaction: the resident was marked deceased or moved away, so every open
    file of theirs goes up for review at once (in the same commit as the change itself)."""
    day = local_today(ctx.clock)
    found = s.execute(select(SpecialFile).where(
        SpecialFile.resident_id == resident_id, SpecialFile.status == "open",
        SpecialFile.deleted_at.is_(None))).scalars().all()
    for f in found:
        _put_up_for_review(s, ctx, f, reason, day)
    return len(found)


def registry_changed(ctx: AppContext, resident_id: str, reason: str) -> int:
    """Called when the registry marks a resident deceased or moved away: every open file goes up for review."""
    with ctx.transaction() as s:
        return review_on_registry_change(s, ctx, resident_id, reason)


def get(ctx: AppContext, file_id: str) -> FileDetail:
    with ctx.transaction() as s:
        return _detail(s, ctx, get_visible_file(s, ctx, file_id))


def _detail(s, ctx: AppContext, f: SpecialFile) -> FileDetail:  # noqa: ANN001
    r = s.get(Resident, f.resident_id)
    facts = resident_facts(s, [f.resident_id]).get(f.resident_id)
    today = local_today(ctx.clock)
    history = tuple(FileEventView(e.at, e.kind, e.detail, e.by_login) for e in s.execute(
        select(FileEvent).where(FileEvent.file_id == f.id).order_by(FileEvent.at)).scalars())
    review_on, review_reason = f.review_requested_on, f.review_reason
    gone = r is None or r.deleted_at is not None
    if gone and f.status == "open" and (review_on is None):
        # R51 for a removal that arrived by sync before any station flagged it
        review_on = r.deleted_at.astimezone(dt.timezone.utc).date() if r is not None and r.deleted_at else today
        review_reason = "户籍信息注销"
    sex = {"M": "男", "F": "女"}.get(r.sex, "") if r else ""
    return FileDetail(
        f.id, f.resident_id, f.group, f.status, r.name if r else "", f"{sex} {age_on(r.birth_date, today)}" if r else "",
        mask_id_number(r.id_number) if r else "", mask_phone(r.phone) if r else "", r.address if r else "",
        facts.building or "" if facts else "", tuple(f.flags), tuple(f.needs), f.care_notes, f.opened_on,
        f.tracked_from, f.closed_on, f.close_reason,
        bool(f.health_notes or f.disability_grade or f.disability_category), f.child_kind, review_on, review_reason,
        gone, f.version, history)


def reveal(ctx: AppContext, file_id: str, what: str, purpose: str = "") -> str:
    """Show one protected value in full — phone, ID number, health data — and write the reveal to the audit log."""
    if what not in ("phone", "id_number", "health"):
        raise UserError("Unknown field {what}.", what=what)
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        r = s.get(Resident, f.resident_id)
        msg = {"phone": MSG_SG_REVEALED_PHONE, "id_number": MSG_SG_REVEALED_ID, "health": MSG_SG_REVEALED_HEALTH}[what]
        audit.append(s, ctx, audit.AuditAction.REVEAL_PHONE if what == "phone" else audit.AuditAction.REVEAL,
                     "resident", f.resident_id,
                     audit.describe(msg, name=mask_name(r.name) if r else "", purpose_msg=purpose.strip()))
        if what == "health":
            parts = []
            if f.disability_category:
                parts.append(f"残疾类别：{sg.DISABILITY_CATEGORIES[f.disability_category]}")
            if f.disability_grade:
                parts.append(f"等级：{f.disability_grade}级")
            if f.disability_cert:
                parts.append(f"残疾人证号：{f.disability_cert}")
            for label, value in (("辅具", f.devices), ("康复", f.rehabilitation), ("健康情况", f.health_notes)):
                if value:
                    parts.append(f"{label}：{value}")
            return "\n".join(parts)
        return str(getattr(r, what)) if r else ""


def list_files(ctx: AppContext, group: str | None = None, worker_login: str | None = None, query: str = "",
               include_closed: bool = False, limit: int = 500) -> list[FileRow]:
    """Files visible to the user, masked; a worker sees children's files only of the teams they are on."""
    require_work(ctx)
    with ctx.transaction() as s:
        q = select(SpecialFile).where(SpecialFile.community_id == ctx.community_id, SpecialFile.deleted_at.is_(None))
        if group:
            q = q.where(SpecialFile.group == group)
        if not include_closed:
            q = q.where(SpecialFile.status == "open")
        if worker_login:
            q = q.where(SpecialFile.id.in_(select(RosterMember.file_id).where(
                RosterMember.login == worker_login, RosterMember.active_to.is_(None),
                RosterMember.deleted_at.is_(None))))
        files = list(s.execute(q).scalars())
        ids = [f.id for f in files]
        teams = team_logins(s, ids)
        files = [f for f in files if may_see(ctx, f.group, teams.get(f.id, set()))]
        facts = resident_facts(s, [f.resident_id for f in files])
        staff = active_staff(s, [f.id for f in files])
        problems = roster_problems(s, [f for f in files])
        rows = []
        needle = query.strip()
        for f in files:
            r = facts.get(f.resident_id)
            if r is None or (needle and needle not in r.name and needle not in r.address):
                continue
            login, name = responsible_login(f.group, staff.get(f.id, {}))
            rows.append(FileRow(f.id, f.resident_id, f.group, f.status, mask_name(r.name), mask_id_number(r.id_number),
                                mask_phone(r.phone), mask_address(r.address), r.building or "", tuple(f.flags), login,
                                name, problems.get(f.id, ()), f.review_requested_on is not None))
            if len(rows) >= limit:
                break
        rows.sort(key=lambda x: (x.building, x.address, x.group))
        return rows


def roster_problems(s, files: list, ids: object = None) -> dict[str, tuple[str, ...]]:  # noqa: ANN001
    """Per file, what is wrong with its roster: a required role missing, or two active members in a single role
    (two stations assigned one offline)."""
    return problems_from_counts(files, active_rosters(s, ids if ids is not None else [f.id for f in files]).counts)


def problems_from_counts(files: list, counts: dict[str, dict[str, int]]) -> dict[str, tuple[str, ...]]:  # noqa: ANN001
    out: dict[str, tuple[str, ...]] = {}
    single = sg.SINGLE_ROLES
    required = sg.REQUIRED_ROLES
    none: dict[str, int] = {}
    for f in files:
        if f.status != "open":
            continue
        c = counts.get(f.id, none)
        issues = [f"missing:{role}" for role in required[f.group] if not c.get(role)]
        if len(c) and max(c.values()) > 1:
            issues += [f"duplicate:{role}" for role in sorted(single) if c.get(role, 0) > 1]
        if issues:
            out[f.id] = tuple(issues)
    return out


@dataclass(frozen=True)
class Proposal:
    resident_id: str
    name: str
    age: int
    address: str


def proposals(ctx: AppContext, limit: int = 200) -> list[Proposal]:
    """Registered residents who reached the elderly age and have no elderly file: the program proposes one."""
    require_work(ctx)
    today = local_today(ctx.clock)
    age = int(current_policy(ctx).get("elderly_age"))
    try:
        cutoff = today.replace(year=today.year - age)
    except ValueError:   # 29 February
        cutoff = today.replace(year=today.year - age, day=28)
    with ctx.transaction() as s:
        has_file = select(SpecialFile.resident_id).where(SpecialFile.group == "elderly",
                                                         SpecialFile.deleted_at.is_(None))
        rows = s.execute(select(Resident.id, Resident.name, Resident.birth_date, Resident.address).where(
            Resident.community_id == ctx.community_id, Resident.deleted_at.is_(None), Resident.birth_date <= cutoff,
            Resident.id.not_in(has_file)).order_by(Resident.birth_date.desc()).limit(limit)).all()
    return [Proposal(rid, name, age_on(b, today), addr) for rid, name, b, addr in rows]


def vulnerable_in_building(ctx: AppContext, building_id: str, only_flagged: bool = True) -> list[VulnerableResident]:
    """The residents of a building with an open special-group file — with 独居/失能/重残/高风险 flags only, unless
    ``only_flagged`` is False — with their 1+1+N contacts: who to check on first in an emergency.

    Phones are in full (an emergency is a lawful basis, PIPL §13(4)); the listing is written to the audit log.
    """
    return vulnerable_in_buildings(ctx, [building_id], only_flagged)[building_id]


# A reading of several buildings at once (an incident's affected buildings, the emergency kit).
MSG_SG_VULNERABLE_FOR = ("Listed {count} vulnerable residents of {buildings} buildings with full phone numbers "
                         "(emergency: {purpose}).")


def vulnerable_in_buildings(ctx: AppContext, building_ids: list[str] | tuple[str, ...], only_flagged: bool = True,
                            purpose: str = "") -> dict[str, list[VulnerableResident]]:
    """:func:`vulnerable_in_building` for several buildings at once (an incident, the emergency kit): three
    queries whatever the number of buildings, one audit entry naming the purpose."""
    require_work(ctx)
    ids = list(dict.fromkeys(building_ids))
    out: dict[str, list[VulnerableResident]] = {b: [] for b in ids}
    with ctx.transaction() as s:
        rows = []
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            rows += s.execute(select(SpecialFile.id, SpecialFile.resident_id, SpecialFile.group, SpecialFile.flags,
                                     Resident.name, Resident.address, Resident.phone, Household.unit_no,
                                     Household.room_no, Household.building_id)
                              .join(Resident, Resident.id == SpecialFile.resident_id)
                              .join(Household, Household.id == Resident.household_id)
                              .where(Household.building_id.in_(chunk), SpecialFile.status == "open",
                                     SpecialFile.deleted_at.is_(None), Resident.deleted_at.is_(None))).all()
        by_resident: dict[str, list] = {}
        for row in rows:
            by_resident.setdefault(row.resident_id, []).append(row)
        file_ids = [row.id for row in rows]
        teams = team_logins(s, file_ids)
        members: dict[str, list] = {}
        for chunk in (file_ids[i:i + 500] for i in range(0, len(file_ids), 500)):
            for m in s.execute(select(RosterMember.file_id, RosterMember.role, RosterMember.login, RosterMember.name,
                                      RosterMember.phone, RosterMember.relation)
                               .where(RosterMember.file_id.in_(chunk), RosterMember.active_to.is_(None),
                                      RosterMember.deleted_at.is_(None))):
                members.setdefault(m.file_id, []).append(m)
        count = 0
        for rid, rs in by_resident.items():
            visible = [r for r in rs if may_see(ctx, r.group, teams.get(r.id, set()))]
            if not visible:
                continue
            flags = tuple(sorted({x for r in visible for x in r.flags or ()}))
            if only_flagged and not (set(flags) & sg.VULNERABLE_FLAGS):
                continue
            mine = [m for r in visible for m in members.get(r.id, ())]
            worker = next((m for m in mine if m.role in ("worker", "coordinator")), None)
            vol = next((m for m in mine if m.role == "volunteer"), None)
            family = tuple((m.name, m.relation, m.phone) for m in mine if m.role in ("family", "guardian"))
            r0 = visible[0]
            out[r0.building_id].append(VulnerableResident(
                rid, r0.name, r0.address, r0.unit_no or "", r0.room_no or "", r0.phone,
                tuple(sorted({r.group for r in visible})), flags, worker.login if worker else "",
                worker.name if worker else "", vol.name if vol else "", vol.phone if vol else "", family))
            count += 1
        if len(ids) == 1 and not purpose:
            detail = audit.describe(MSG_SG_VULNERABLE_LIST, count=count)
        else:
            detail = audit.describe(MSG_SG_VULNERABLE_FOR, count=count, buildings=len(ids), purpose=purpose or "-")
        audit.append(s, ctx, audit.AuditAction.REVEAL_PHONE, "building", ids[0] if len(ids) == 1 else "", detail)
    for people in out.values():
        people.sort(key=lambda v: (v.unit, v.room, v.name))
    return out
