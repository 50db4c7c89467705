"""The one-window service counter (一窗受理): intake, acceptance, supplement, review, report, close.

Rules: DOMAIN.md R10–R14 and §1.2 A1/A2. The review clock starts at 受理 (complete materials);
a supplement requested after 受理 pauses it and the due date moves by the working days paused.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import NotFound, PermissionDenied, UserError
from shequ_desktop.domain.roles import Permission
from shequ_desktop.domain.service_catalogue import (DEFAULT_SERVICES, MATERIAL_SOURCES, MaterialItem,
                                                      ServiceDefinition, default_service_id, default_service_ids)
from shequ_desktop.persistence.counter_models import Case, CaseEvent, SerialCounter, ServiceItem
from shequ_desktop.persistence.models import Absence, PostAssignment, Resident
from shequ_desktop.services import calendar
from shequ_desktop.services.context import AppContext, get_setting
from shequ_desktop.services.policy import current_policy


class Status:
    INTAKE = "intake"
    SUPPLEMENT = "awaiting_supplement"
    ACCEPTED = "accepted"
    REVIEWED = "reviewed"
    REPORTED = "reported"
    COMPLETED = "completed"
    ON_SPOT = "completed_on_spot"
    RETURNED = "returned"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


STATUS_LABELS = {Status.INTAKE: "收件中", Status.SUPPLEMENT: "待补正", Status.ACCEPTED: "已受理（初审中）",
                 Status.REVIEWED: "初审完成", Status.REPORTED: "已上报街道", Status.COMPLETED: "已办结",
                 Status.ON_SPOT: "当场办结", Status.RETURNED: "已退回", Status.REFUSED: "不予办理",
                 Status.WITHDRAWN: "已撤回"}
OPEN = frozenset({Status.INTAKE, Status.SUPPLEMENT, Status.ACCEPTED, Status.REVIEWED})
CLOSED = frozenset({Status.COMPLETED, Status.ON_SPOT, Status.RETURNED, Status.REFUSED, Status.WITHDRAWN})
MATERIAL_STATES = ("provided", "missing", "wrong", "inconsistent", "not_applicable")
REASON_TEXT = {"missing": "缺少", "wrong": "不符合要求", "inconsistent": "信息不一致"}


@dataclass(frozen=True)
class CaseView:
    id: str
    case_no: str
    resident_id: str
    service_code: str
    service_name: str
    simple: bool
    status: str
    status_label: str
    owner_login: str
    received_at: dt.datetime
    accepted_at: dt.datetime | None
    due_date: dt.date | None
    due_provisional: bool
    supplement_due: dt.date | None
    supplement_provisional: bool
    materials: dict[str, dict[str, str]]
    notice_given: bool
    reported_at: dt.datetime | None
    closed_at: dt.datetime | None
    version: int


def _view(c: Case) -> CaseView:
    return CaseView(c.id, c.case_no, c.resident_id, c.service_code, c.service_name, c.simple, c.status,
                    STATUS_LABELS.get(c.status, c.status), c.owner_login, c.received_at, c.accepted_at, c.due_date,
                    c.due_provisional, c.supplement_due, c.supplement_provisional, dict(c.materials or {}),
                    c.notice_given_at is not None, c.reported_at, c.closed_at, c.version)


# --- catalogue ---------------------------------------------------------------------------

def _material_dict(m: MaterialItem) -> dict[str, object]:
    return {"code": m.code, "name": m.name, "original": m.original, "copy": m.copy, "copies": m.copies,
            "note": m.note, "condition": m.condition}


def ensure_catalogue(ctx: AppContext) -> int:
    """Seed the 12 default services on a new station; returns how many were added."""
    with ctx.transaction() as s:
        if s.execute(select(ServiceItem.id).where(ServiceItem.community_id == ctx.community_id).limit(1)).first():
            return 0
        for i, svc in enumerate(DEFAULT_SERVICES):
            s.add(ServiceItem(id=default_service_id(ctx.community_id, svc.code),
                              community_id=ctx.community_id, code=svc.code, name=svc.name, category=svc.category,
                              simple=svc.simple, time_limit_wd=svc.time_limit_wd, legal_basis=svc.legal_basis,
                              conditions=svc.conditions, procedure=svc.procedure, decision_level=svc.decision_level,
                              sensitive=svc.sensitive, materials=[_material_dict(m) for m in svc.materials],
                              sort_order=i))
    return len(DEFAULT_SERVICES)


def to_definition(item: ServiceItem) -> ServiceDefinition:
    return ServiceDefinition(
        code=item.code, name=item.name, category=item.category, simple=item.simple,
        time_limit_wd=item.time_limit_wd, legal_basis=item.legal_basis, conditions=item.conditions,
        procedure=item.procedure, decision_level=item.decision_level, sensitive=item.sensitive,
        materials=tuple(MaterialItem(code=str(m["code"]), name=str(m["name"]), original=bool(m["original"]),
                                     copy=bool(m["copy"]), copies=int(m["copies"]),  # type: ignore[call-overload]
                                     note=str(m.get("note", "")), condition=str(m.get("condition", "")),
                                     source=str(m.get("source") or MATERIAL_SOURCES.get(str(m["code"]), "")))
                        for m in item.materials))


def services(ctx: AppContext, include_retired: bool = False) -> list[ServiceDefinition]:
    with ctx.transaction() as s:
        q = select(ServiceItem).where(ServiceItem.deleted_at.is_(None)).order_by(ServiceItem.sort_order)
        if not include_retired:
            q = q.where(ServiceItem.retired_at.is_(None))
        return [to_definition(i) for i in s.execute(q).scalars()]


def service(ctx: AppContext, code: str) -> ServiceDefinition:
    with ctx.transaction() as s:
        return to_definition(_service_item(s, code))


def _service_item(s: Session, code: str) -> ServiceItem:
    item = s.execute(select(ServiceItem).where(ServiceItem.code == code, ServiceItem.deleted_at.is_(None))
                     ).scalars().first()
    if item is None:
        raise NotFound("The service {code} is not in the catalogue.", code=code)
    return item


def retire_service(ctx: AppContext, code: str) -> None:
    ctx.require(Permission.POLICY_EDIT)
    with ctx.transaction() as s:
        _service_item(s, code).retired_at = ctx.clock.now()


# --- helpers -------------------------------------------------------------------------------

def case_number(year: int, station: str, serial: int) -> str:
    """Year, station, serial: ``2026-37-00042`` — digits a resident can read out and a clerk can type."""
    return f"{year}-{station}-{serial:05d}"


def station_number(s: Session, ctx: AppContext) -> str:
    """This station's two digits in case numbers: the ``station_no`` setting, else derived from its id."""
    configured = (get_setting(s, "station_no") or "").strip()
    if configured.isdigit():
        return configured.zfill(2)
    return f"{zlib.crc32(ctx.station_id.encode()) % 90 + 10}"


def next_serial(s: Session, kind: str, year: int) -> int:
    row = s.get(SerialCounter, (kind, year))
    if row is None:
        row = SerialCounter(kind=kind, year=year, last=0)
        s.add(row)
    row.last += 1
    s.flush()
    return row.last


def reserve_serials(s: Session, kind: str, year: int, count: int) -> int:
    """Take ``count`` consecutive serial numbers at once (a batch print); returns the first."""
    row = s.get(SerialCounter, (kind, year))
    if row is None:
        row = SerialCounter(kind=kind, year=year, last=0)
        s.add(row)
    first = row.last + 1
    row.last += count
    s.flush()
    return first


def _event(s: Session, ctx: AppContext, case: Case, kind: str, detail: str = "", acting_for: str = "") -> None:
    s.add(CaseEvent(community_id=case.community_id, case_id=case.id, at=ctx.clock.now(), user_login=ctx.user.login,
                    user_name=ctx.user.display_name, acting_for=acting_for, kind=kind, detail=detail))


def covered_owner_logins(s: Session, ctx: AppContext, day: dt.date) -> set[str]:
    """Logins for whom the current user is B and who are absent on ``day`` (AB岗)."""
    absent = set(s.execute(select(Absence.login).where(Absence.day == day, Absence.deleted_at.is_(None))).scalars())
    posts = s.execute(select(PostAssignment).where(PostAssignment.b_login == ctx.user.login,
                                                   PostAssignment.deleted_at.is_(None))).scalars()
    return {p.a_login for p in posts if p.a_login in absent}


def _load_for_work(s: Session, ctx: AppContext, case_id: str) -> tuple[Case, str]:
    """The case, if this user may work on it; returns it with the A colleague's login when acting as B."""
    ctx.require(Permission.COUNTER_WORK)
    case = s.get(Case, case_id)
    if case is None or case.deleted_at is not None:
        raise NotFound("The case was not found.")
    if case.owner_login == ctx.user.login or ctx.may(Permission.CASES_ALL):
        return case, ""
    if case.owner_login in covered_owner_logins(s, ctx, local_today(ctx.clock)):
        return case, case.owner_login
    raise PermissionDenied("This case belongs to a colleague; you may handle it only as their B while they are away.")


def load_many_for_work(s: Session, ctx: AppContext, case_ids: list[str]) -> list[Case]:
    """The cases in the given order, with the same checks as ``_load_for_work`` but a few queries in all."""
    ctx.require(Permission.COUNTER_WORK)
    found: dict[str, Case] = {}
    unique = list(dict.fromkeys(case_ids))
    for i in range(0, len(unique), 500):
        found.update((c.id, c) for c in s.execute(select(Case).where(Case.id.in_(unique[i:i + 500]))).scalars())
    may_all = ctx.may(Permission.CASES_ALL)
    covered: set[str] | None = None
    cases = []
    for case_id in case_ids:
        case = found.get(case_id)
        if case is None or case.deleted_at is not None:
            raise NotFound("The case was not found.")
        if case.owner_login != ctx.user.login and not may_all:
            if covered is None:
                covered = covered_owner_logins(s, ctx, local_today(ctx.clock))
            if case.owner_login not in covered:
                raise PermissionDenied("This case belongs to a colleague; you may handle it only as their B while "
                                       "they are away.")
        cases.append(case)
    return cases


def _require_status(case: Case, *allowed: str) -> None:
    if case.status not in allowed:
        raise UserError("This step is not possible while the case is {status}.", status_msg=case.status,
                        status=STATUS_LABELS.get(case.status, case.status))


def _missing_required(case: Case, item: ServiceItem) -> list[str]:
    states = case.materials or {}
    return [str(m["name"]) for m in item.materials
            if not m.get("condition") and states.get(str(m["code"]), {}).get("state") != "provided"]


# --- use cases -----------------------------------------------------------------------------

def start_case(ctx: AppContext, resident_id: str, service_code: str) -> CaseView:
    """A resident at the window asks for a service: the case opens in 收件中 with its number."""
    ctx.require(Permission.COUNTER_WORK)
    now = ctx.clock.now()
    today = local_today(ctx.clock)
    with ctx.transaction() as s:
        resident = s.get(Resident, resident_id)
        if resident is None or resident.deleted_at is not None:
            raise NotFound("The resident was not found (maybe removed).")
        item = _service_item(s, service_code)
        if item.retired_at is not None:
            raise UserError("The service {name} is no longer offered.", field="service", name=item.name)
        seq = next_serial(s, "case", today.year)
        case = Case(community_id=ctx.community_id, case_no=case_number(today.year, station_number(s, ctx), seq),
                    resident_id=resident_id, service_code=item.code, service_name=item.name, simple=item.simple,
                    status=Status.INTAKE, owner_login=ctx.user.login, received_at=now, time_limit_wd=item.time_limit_wd,
                    materials={})
        s.add(case)
        s.flush()
        _event(s, ctx, case, "received", item.name)
        return _view(case)


def set_materials(ctx: AppContext, case_id: str, states: dict[str, tuple[str, str]]) -> CaseView:
    """Record what the resident brought: code → (state, note)."""
    with ctx.transaction() as s:
        case, acting = _load_for_work(s, ctx, case_id)
        _require_status(case, Status.INTAKE, Status.SUPPLEMENT, Status.ACCEPTED)
        item = _service_item(s, case.service_code)
        known = {str(m["code"]) for m in item.materials}
        merged = dict(case.materials or {})
        for code, (state, note) in states.items():
            if code not in known:
                raise UserError("{code} is not on this service's checklist.", field="materials", code=code)
            if state not in MATERIAL_STATES:
                raise UserError("Unknown material state {state}.", field="materials", state=state)
            merged[code] = {"state": state, "note": note.strip()}
        case.materials = merged
        _event(s, ctx, case, "materials", ", ".join(f"{c}={v[0]}" for c, v in states.items()), acting)
        return _view(case)


def record_notice_given(ctx: AppContext, case_id: str, serial_no: str = "") -> CaseView:
    with ctx.transaction() as s:
        case, acting = _load_for_work(s, ctx, case_id)
        case.notice_given_at = case.notice_given_at or ctx.clock.now()
        _event(s, ctx, case, "notice_given", serial_no, acting)
        return _view(case)


def finish_on_spot(ctx: AppContext, case_id: str, result: str = "") -> CaseView:
    """A simple item finished at the same visit (当场办结)."""
    with ctx.transaction() as s:
        case, acting = _load_for_work(s, ctx, case_id)
        _require_status(case, Status.INTAKE)
        if not case.simple:
            raise UserError("This is a complex service: accept it and review it within the time limit.")
        missing = _missing_required(case, _service_item(s, case.service_code))
        if missing:
            raise UserError("Not all required materials were ticked: {items}.", field="materials",
                            items="、".join(missing))
        case.status, case.closed_at, case.result = Status.ON_SPOT, ctx.clock.now(), result
        case.due_date, case.due_provisional = local_today(ctx.clock), False
        _event(s, ctx, case, "completed_on_spot", result, acting)
        return _view(case)


def refuse(ctx: AppContext, case_id: str, reason: str) -> CaseView:
    with ctx.transaction() as s:
        case, acting = _load_for_work(s, ctx, case_id)
        _require_status(case, Status.INTAKE)
        case.status, case.closed_at, case.result = Status.REFUSED, ctx.clock.now(), reason
        _event(s, ctx, case, "refused", reason, acting)
        return _view(case)


def accept(ctx: AppContext, case_id: str) -> CaseView:
    """受理 a complex item with complete materials: the review clock starts (N working days)."""
    policy = current_policy(ctx)
    today = local_today(ctx.clock)
    with ctx.transaction() as s:
        case, acting = _load_for_work(s, ctx, case_id)
        _require_status(case, Status.INTAKE)
        if case.time_limit_wd is None and case.simple:
            raise UserError("This is a simple service: finish it at this visit.")
        missing = _missing_required(case, _service_item(s, case.service_code))
        if missing:
            raise UserError("Materials are incomplete ({items}): issue a supplement notice instead.",
                            field="materials", items="、".join(missing))
        limit = case.time_limit_wd or int(policy.get("complex_review_wd"))
        deadline = calendar.due_date(ctx, today, limit)
        case.status, case.accepted_at, case.time_limit_wd = Status.ACCEPTED, ctx.clock.now(), limit
        case.due_date, case.due_provisional = deadline.due, deadline.provisional
        _event(s, ctx, case, "accepted", f"due {deadline.due.isoformat()}{' provisional' if deadline.provisional else ''}",
               acting)
        return _view(case)


def request_supplement(ctx: AppContext, case_id: str, items: dict[str, tuple[str, str]]) -> CaseView:
    """Missing/wrong/inconsistent materials: the case waits in 待补正 with its own deadline."""
    if not items:
        raise UserError("Mark at least one material as missing, wrong or inconsistent.", field="materials")
    for code, (reason, _req) in items.items():
        if reason not in REASON_TEXT:
            raise UserError("Say why {code} must be supplemented (missing, wrong or inconsistent).",
                            field="materials", code=code)
    days = int(current_policy(ctx).get("supplement_deadline_wd"))
    today = local_today(ctx.clock)
    deadline = calendar.due_date(ctx, today, days)
    with ctx.transaction() as s:
        case, acting = _load_for_work(s, ctx, case_id)
        _require_status(case, Status.INTAKE, Status.ACCEPTED)
        merged = dict(case.materials or {})
        for code, (reason, requirement) in items.items():
            merged[code] = {"state": reason, "note": requirement.strip()}
        case.materials = merged
        if case.status == Status.ACCEPTED:
            case.paused_on = today          # the review clock stops while the resident supplements
        case.status = Status.SUPPLEMENT
        case.supplement_due, case.supplement_provisional = deadline.due, deadline.provisional
        _event(s, ctx, case, "supplement_requested", ", ".join(items), acting)
        return _view(case)


def supplement_received(ctx: AppContext, case_id: str) -> CaseView:
    """The resident brought the rest: back to intake, or the paused review resumes with a later due date."""
    today = local_today(ctx.clock)
    with ctx.transaction() as s:
        case, acting = _load_for_work(s, ctx, case_id)
        _require_status(case, Status.SUPPLEMENT)
        merged = {code: ({"state": "provided", "note": v.get("note", "")} if v.get("state") in REASON_TEXT else v)
                  for code, v in (case.materials or {}).items()}
        case.materials = merged
        if case.paused_on is not None and case.due_date is not None:
            paused, _prov = calendar.working_calendar(ctx).working_days_between(case.paused_on, today)
            moved = calendar.due_date(ctx, case.due_date, max(paused, 0))
            case.due_date, case.due_provisional = moved.due, moved.provisional or case.due_provisional
            case.status, case.paused_on = Status.ACCEPTED, None
        else:
            case.status = Status.INTAKE
        case.supplement_due = None
        _event(s, ctx, case, "supplement_received", "", acting)
        return _view(case)


def extend_supplement(ctx: AppContext, case_id: str, working_days: int, reason: str) -> CaseView:
    """The chief gives a resident more time after the supplement deadline passed."""
    ctx.require(Permission.CASES_ALL)
    if working_days < 1:
        raise UserError("Give at least one working day.", field="working_days")
    with ctx.transaction() as s:
        case, _acting = _load_for_work(s, ctx, case_id)
        _require_status(case, Status.SUPPLEMENT)
        deadline = calendar.due_date(ctx, max(case.supplement_due or local_today(ctx.clock),
                                              local_today(ctx.clock)), working_days)
        case.supplement_due, case.supplement_provisional = deadline.due, deadline.provisional
        _event(s, ctx, case, "supplement_extended", f"{working_days} {reason}")
        return _view(case)


def return_case(ctx: AppContext, case_id: str, reason: str) -> CaseView:
    if not reason.strip():
        raise UserError("Please give the reason for returning the application.", field="reason")
    with ctx.transaction() as s:
        case, acting = _load_for_work(s, ctx, case_id)
        _require_status(case, *OPEN, Status.REPORTED)
        case.status, case.closed_at, case.result = Status.RETURNED, ctx.clock.now(), reason.strip()
        _event(s, ctx, case, "returned", reason.strip(), acting)
        return _view(case)


def review_done(ctx: AppContext, case_id: str, opinion: str) -> CaseView:
    """初审 (pre-screening at community level; not the legal decision — DOMAIN §1.1)."""
    if not opinion.strip():
        raise UserError("Please write the initial review opinion.", field="opinion")
    with ctx.transaction() as s:
        case, acting = _load_for_work(s, ctx, case_id)
        _require_status(case, Status.ACCEPTED)
        case.status = Status.REVIEWED
        _event(s, ctx, case, "reviewed", opinion.strip(), acting)
        return _view(case)


def report_to_subdistrict(ctx: AppContext, case_id: str, recipient: str, channel: str) -> CaseView:
    if not recipient.strip() or not channel.strip():
        raise UserError("Say to whom and how the case was reported.", field="recipient")
    with ctx.transaction() as s:
        case, acting = _load_for_work(s, ctx, case_id)
        _require_status(case, Status.REVIEWED)
        case.status, case.reported_at = Status.REPORTED, ctx.clock.now()
        case.report_info = f"{recipient.strip()}｜{channel.strip()}"
        _event(s, ctx, case, "reported", case.report_info, acting)
        return _view(case)


def complete(ctx: AppContext, case_id: str, result: str) -> CaseView:
    with ctx.transaction() as s:
        case, acting = _load_for_work(s, ctx, case_id)
        _require_status(case, Status.REPORTED)
        case.status, case.closed_at, case.result = Status.COMPLETED, ctx.clock.now(), result.strip()
        _event(s, ctx, case, "completed", result.strip(), acting)
        return _view(case)


def withdraw(ctx: AppContext, case_id: str, reason: str) -> CaseView:
    with ctx.transaction() as s:
        case, acting = _load_for_work(s, ctx, case_id)
        _require_status(case, *OPEN)
        case.status, case.closed_at, case.result = Status.WITHDRAWN, ctx.clock.now(), reason.strip()
        _event(s, ctx, case, "withdrawn", reason.strip(), acting)
        return _view(case)


def get_case(ctx: AppContext, case_id: str) -> CaseView:
    with ctx.transaction() as s:
        case, _ = _load_for_work(s, ctx, case_id)
        return _view(case)


@dataclass(frozen=True)
class EventView:
    at: dt.datetime
    user_name: str
    acting_for: str
    kind: str
    detail: str


def case_events(ctx: AppContext, case_id: str) -> list[EventView]:
    with ctx.transaction() as s:
        _load_for_work(s, ctx, case_id)
        return [EventView(e.at, e.user_name or e.user_login, e.acting_for, e.kind, e.detail) for e in s.execute(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.at, CaseEvent.id)).scalars()]
