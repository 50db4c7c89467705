"""Case lists, AB-post absences, overdue alerts and the on-time completion rate (按时办结率, §1.3)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shequ_desktop.domain.clock import SHANGHAI, local_today, to_local
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.indicators import IndicatorRecord
from shequ_desktop.domain.masking import mask_name
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.counter_models import Case
from shequ_desktop.persistence.models import Absence, PostAssignment, Resident
from shequ_desktop.services import calendar, staff, worker_refs
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.counter import CLOSED, OPEN, STATUS_LABELS, Status, covered_owner_logins
from shequ_desktop.services.policy import current_policy

SCOPES = ("mine", "covering", "all")


@dataclass(frozen=True)
class CaseRow:
    id: str
    case_no: str
    status: str
    status_label: str
    resident: str               # masked name
    service_name: str
    owner_name: str
    due_date: dt.date | None
    provisional: bool
    supplement_due: dt.date | None
    working_days_left: int | None
    overdue: bool
    due_soon: bool
    supplement_overdue: bool


def _due_moment(ctx: AppContext, day: dt.date) -> dt.datetime:
    """Close of business on ``day`` (office_close_time, Shanghai) — when a working-day deadline ends."""
    hh, mm = (int(x) for x in str(current_policy(ctx).get("office_close_time")).split(":"))
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=SHANGHAI)


def _rows(s: Session, ctx: AppContext, cases: list[Case]) -> list[CaseRow]:
    now = ctx.clock.now()
    today = local_today(ctx.clock)
    cal = calendar.working_calendar(ctx)
    soon = int(current_policy(ctx).get("due_soon_wd"))
    names = dict(s.execute(select(Resident.id, Resident.name).where(
        Resident.id.in_({c.resident_id for c in cases}))).all()) if cases else {}
    users = staff.names(s)
    rows = []
    for c in cases:
        left = overdue = None
        is_open = c.status in OPEN
        if c.due_date and is_open and c.status != Status.SUPPLEMENT:
            left, _p = cal.working_days_between(today, c.due_date)
            overdue = now > _due_moment(ctx, c.due_date)
        sup_over = bool(c.status == Status.SUPPLEMENT and c.supplement_due and now > _due_moment(ctx, c.supplement_due))
        rows.append(CaseRow(c.id, c.case_no, c.status, STATUS_LABELS.get(c.status, c.status),
                            mask_name(names.get(c.resident_id, "")), c.service_name, staff.name_of(users, c.owner_login),
                            c.due_date, c.due_provisional, c.supplement_due, left, bool(overdue),
                            bool(left is not None and not overdue and left <= soon), sup_over))
    return rows


def list_cases(ctx: AppContext, scope: str = "mine", open_only: bool = True) -> list[CaseRow]:
    """My cases; the cases of an absent A colleague for whom I am B; all cases (chief)."""
    ctx.require(Permission.COUNTER_WORK)
    if scope not in SCOPES:
        raise UserError("Unknown list {scope}.", scope=scope)
    if scope == "all":
        ctx.require(Permission.CASES_ALL)
    with ctx.transaction() as s:
        q = select(Case).where(Case.deleted_at.is_(None)).order_by(Case.received_at.desc())
        if open_only:
            q = q.where(Case.status.in_(OPEN | {Status.REPORTED}))
        if scope == "mine":
            q = q.where(Case.owner_login == ctx.user.login)
        elif scope == "covering":
            owners = covered_owner_logins(s, ctx, local_today(ctx.clock))
            q = q.where(Case.owner_login.in_(owners or {"-"}))
        return _rows(s, ctx, list(s.execute(q.limit(2000)).scalars()))


def overdue_cases(ctx: AppContext) -> list[CaseRow]:
    """Open cases past their review deadline or supplement deadline — the chief's alert list (offline)."""
    with ctx.transaction() as s:
        cases = list(s.execute(select(Case).where(Case.deleted_at.is_(None), Case.status.in_(OPEN))).scalars())
        return [r for r in _rows(s, ctx, cases) if r.overdue or r.supplement_overdue]


@dataclass(frozen=True)
class AbsenceWarning:
    post: str
    a_name: str
    b_name: str


def mark_absent(ctx: AppContext, login: str, day: dt.date, reason: str = "") -> list[AbsenceWarning]:
    """Mark a clerk (by login) away for a day; returns the posts where A and B are both away (to warn about)."""
    ctx.require(Permission.CASES_ALL)
    with ctx.transaction() as s:
        exists = s.execute(select(Absence).where(Absence.login == login, Absence.day == day,
                                                 Absence.deleted_at.is_(None))).scalars().first()
        if exists is None:
            s.add(Absence(community_id=ctx.community_id, login=login, day=day, reason=reason))
    return both_absent(ctx, day)


def both_absent(ctx: AppContext, day: dt.date) -> list[AbsenceWarning]:
    with ctx.transaction() as s:
        away = set(s.execute(select(Absence.login).where(Absence.day == day, Absence.deleted_at.is_(None))).scalars())
        users = staff.names(s)
        return [AbsenceWarning(p.post, staff.name_of(users, p.a_login), staff.name_of(users, p.b_login))
                for p in s.execute(select(PostAssignment).where(PostAssignment.deleted_at.is_(None))).scalars()
                if p.a_login in away and p.b_login in away]


@dataclass(frozen=True)
class RateLine:
    case_no: str
    service_name: str
    owner_name: str
    due_date: dt.date
    met_on: dt.date | None
    on_time: bool


@dataclass(frozen=True)
class OnTimeRate:
    numerator: int
    denominator: int
    lines: list[RateLine]

    @property
    def rate(self) -> float | None:
        return None if self.denominator == 0 else self.numerator / self.denominator


def on_time_rate(ctx: AppContext, start: dt.date, end: dt.date, owner_login: str | None = None) -> OnTimeRate:
    """Items whose due date fell in [start, end]: met by the due date ÷ all (withdrawn excluded).

    "Met" is the community's own obligation: 当场办结 for simple items, 上报街道 (or closing) for complex ones.
    """
    if owner_login != ctx.user.login:
        ctx.require(Permission.CASES_ALL)
    lines = [RateLine(r.label, str(r.detail["service"]), r.owner, r.detail["due"],
                      to_local(r.detail["done"]).date() if r.detail["done"] else None, r.counts)
             for r in on_time_records(ctx, start, end, owner_login)]
    return OnTimeRate(sum(1 for x in lines if x.on_time), len(lines), lines)


def on_time_records(ctx: AppContext, start: dt.date, end: dt.date,
                    owner_login: str | None = None) -> list[IndicatorRecord]:
    """The records behind 按时办结率 (§1.3): one per case whose due date fell in [start, end] and whose
    clock has ended (met, or past due); withdrawn and refused cases are outside it. The caller checks
    the permission (on_time_rate, services/kpi.py)."""
    hh, mm = (int(x) for x in str(current_policy(ctx).get("office_close_time")).split(":"))
    close = dt.time(hh, mm)
    now = ctx.clock.now()
    with ctx.transaction() as s:
        q = select(Case.id, Case.case_no, Case.service_name, Case.owner_login, Case.due_date, Case.reported_at,
                   Case.closed_at, Case.status).where(
            Case.deleted_at.is_(None), Case.due_date >= start, Case.due_date <= end,
            Case.status != Status.WITHDRAWN, Case.status != Status.REFUSED)
        if owner_login:
            q = q.where(Case.owner_login == owner_login)
        workers = worker_refs.directory(s)
        rows = s.connection().execute(q.order_by(Case.due_date, Case.case_no)).all()   # Core rows, no ORM loading
    records = []
    for case_id, case_no, service, owner, due_date, reported_at, closed_at, status in rows:
        met_at = reported_at or (closed_at if status in CLOSED else None)
        due = dt.datetime.combine(due_date, close, tzinfo=SHANGHAI)    # close of business on the due day
        if met_at is None and now <= due:
            continue    # still running: neither on time nor late yet
        worker = workers.resolve(owner)
        records.append(IndicatorRecord(case_id, case_no, met_at is not None and met_at <= due,
                                       owner=worker.name, detail={
                                           "date": due_date, "due": due_date, "done": met_at, "service": service,
                                           "status": status, "logins": (worker.login,)}))
    return records
