"""Incidents: report, the first minutes (on site in 5, reported in 15), the checklist from the plan, checks on
the vulnerable residents of the affected buildings, further steps, team member status, closure.

The timeline is append-only: pressing 已到场 twice, or typing a time later, writes a correction that points at
the entry it replaces. A time typed instead of pressed at the moment is marked as entered later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.clocks import deadline
from shequ_desktop.domain.errors import NotFound, UserError, ValidationErrors
from shequ_desktop.persistence.emergency_models import (EmergencyPlan, Incident, IncidentEntry, IncidentTask,
                                                        PersonCheck, TeamMember)
from shequ_desktop.services import calendar
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.counter import next_serial
from shequ_desktop.services.emergency import plans, vulnerable
from shequ_desktop.services.emergency.common import building_names, policy, require_work

# A time more than this far from the moment it is written counts as entered later.
LATE_ENTRY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class EntryView:
    id: str
    kind: str
    at: dt.datetime
    recorded_at: dt.datetime
    entered_later: bool
    text: str
    channel: str
    ref_id: str
    value: str
    by_name: str
    corrects_id: str | None
    superseded: bool          # a later entry corrects this one


@dataclass(frozen=True)
class TaskView:
    id: str
    position: int
    title: str
    role: str
    due_at: dt.datetime | None
    assignee: str
    done_at: dt.datetime | None
    done_by: str


@dataclass(frozen=True)
class IncidentView:
    id: str
    incident_no: str
    hazard: str
    hazard_name: str
    title: str
    place: str
    grade: str
    is_exercise: bool
    buildings: tuple[tuple[str, str], ...]      # (id, name)
    state: str
    occurred_at: dt.datetime | None
    reported_at: dt.datetime
    reported_by: str
    report_how: str
    onsite_due_at: dt.datetime
    report_due_at: dt.datetime
    onsite_at: dt.datetime | None
    onsite_by: str
    onsite_later: bool
    subdistrict_at: dt.datetime | None
    subdistrict_channel: str | None
    subdistrict_later: bool
    closed_at: dt.datetime | None
    summary: str
    tasks: tuple[TaskView, ...]
    entries: tuple[EntryView, ...]
    member_status: tuple[tuple[str, str], ...]   # (member id, status) — the latest per member
    version: int
    step_choices: tuple[str, ...] = ()           # R65: the plan's configured further steps (free text allowed)

    @property
    def onsite_met(self) -> bool | None:
        return None if self.onsite_at is None else self.onsite_at <= self.onsite_due_at

    @property
    def report_met(self) -> bool | None:
        return None if self.subdistrict_at is None else self.subdistrict_at <= self.report_due_at

    @property
    def closed(self) -> bool:
        return self.state == e.CLOSED


@dataclass(frozen=True)
class IncidentInput:
    hazard: str
    grade: str
    title: str
    building_ids: tuple[str, ...]
    report_how: str = "phone"
    reported_by: str = ""
    place: str = ""
    reported_at: dt.datetime | None = None     # None: now (pressed)
    occurred_at: dt.datetime | None = None
    is_exercise: bool = False


@dataclass(frozen=True)
class CheckView:
    id: str
    resident_id: str
    building_id: str
    building_name: str
    unit: str
    name_masked: str
    flags: str                 # 独居、失能 (Chinese labels: data of the files)
    groups: tuple[str, ...]
    flag_codes: tuple[str, ...]
    contact: str
    state: str
    checked_at: dt.datetime | None
    by_name: str
    note: str


def _entries(s: Session, incident_id: str) -> list[IncidentEntry]:
    return list(s.execute(select(IncidentEntry).where(IncidentEntry.incident_id == incident_id)
                          .order_by(IncidentEntry.recorded_at, IncidentEntry.id)).scalars())


def _entry_views(rows: list[IncidentEntry]) -> tuple[EntryView, ...]:
    live = e.current_entries((r.id, r.corrects_id) for r in rows)
    return tuple(EntryView(r.id, r.kind, r.at, r.recorded_at, r.entered_later, r.text, r.channel, r.ref_id, r.value,
                           r.by_name, r.corrects_id, r.id not in live)
                 for r in sorted(rows, key=lambda r: (r.at, r.recorded_at)))


def _view(s: Session, ctx: AppContext, c: Incident) -> IncidentView:
    names = building_names(s, ctx, list(c.building_ids or ()))
    rows = _entries(s, c.id)
    entries = _entry_views(rows)
    live = [x for x in entries if not x.superseded]
    onsite = next((x for x in reversed(live) if x.kind == e.ON_SITE), None)
    report = next((x for x in reversed(live) if x.kind == e.SUBDISTRICT), None)
    status: dict[str, str] = {}
    for x in sorted((x for x in live if x.kind == e.MEMBER), key=lambda x: x.at):
        status[x.ref_id] = x.value
    tasks = s.execute(select(IncidentTask).where(IncidentTask.incident_id == c.id).order_by(IncidentTask.position))
    plan = s.get(EmergencyPlan, c.plan_id) if c.plan_id else None
    hazard_name = plan.name if plan else e.HAZARD_ZH.get(c.hazard, c.hazard)
    return IncidentView(
        c.id, c.incident_no, c.hazard, hazard_name, c.title, c.place, c.grade, c.is_exercise,
        tuple((b, names.get(b, "")) for b in c.building_ids or ()), c.state, c.occurred_at, c.reported_at,
        c.reported_by, c.report_how, c.onsite_due_at, c.report_due_at, c.onsite_at, c.onsite_by,
        bool(onsite and onsite.entered_later), c.subdistrict_at, c.subdistrict_channel,
        bool(report and report.entered_later), c.closed_at, c.summary,
        tuple(TaskView(t.id, t.position, t.title, t.role, t.due_at, t.assignee, t.done_at, t.done_by)
              for t in tasks.scalars()),
        entries, tuple(sorted(status.items())), c.version,
        plans.offered_steps(plan.further_steps if plan else None))


def _load(s: Session, ctx: AppContext, incident_id: str) -> Incident:
    require_work(ctx)
    c = s.get(Incident, incident_id)
    if c is None or c.deleted_at is not None or c.community_id != ctx.community_id:
        raise NotFound("The incident was not found.")
    return c


def _open(s: Session, ctx: AppContext, incident_id: str) -> Incident:
    c = _load(s, ctx, incident_id)
    if c.state != e.OPEN:
        raise UserError("The incident {no} is closed; add a note instead.", no=c.incident_no)
    return c


def _entry(s: Session, ctx: AppContext, c: Incident, kind: str, at: dt.datetime, later: bool, text: str = "",
           **kw: str | None) -> IncidentEntry:
    row = IncidentEntry(community_id=ctx.community_id, incident_id=c.id, kind=kind, at=at,
                        recorded_at=ctx.clock.now(), entered_later=later, text=text, by_login=ctx.user.login,
                        by_name=ctx.user.display_name, **kw)
    s.add(row)
    s.flush()
    return row


def _when(ctx: AppContext, at: dt.datetime | None, fld: str) -> tuple[dt.datetime, bool]:
    """(the moment, entered later?) — None means now, pressed at the moment."""
    now = ctx.clock.now()
    if at is None:
        return now, False
    if at.tzinfo is None:
        raise UserError("Enter a complete date and time.", field=fld)
    return at.astimezone(dt.timezone.utc), abs(now - at) > LATE_ENTRY


def _raise_times(t: e.Times, now: dt.datetime) -> None:
    problems = e.check_times(t, now)
    if problems:
        raise ValidationErrors(problems)


def _check_input(data: IncidentInput) -> None:
    errors: list[UserError] = []
    if data.grade not in e.GRADES:
        errors.append(UserError("Choose the grade of the incident.", field="grade"))
    if not data.title.strip():
        errors.append(UserError("Say in a few words what happened.", field="title"))
    if not data.building_ids:
        errors.append(UserError("Choose at least one affected building.", field="buildings"))
    if data.report_how not in e.REPORT_HOW:
        errors.append(UserError("Say how the incident was reported.", field="report_how"))
    if errors:
        raise ValidationErrors(errors)


def open_incident(ctx: AppContext, data: IncidentInput) -> IncidentView:
    """A new incident: the plan's steps become its checklist, the 5- and 15-minute clocks start at the report,
    and a check task is made for every vulnerable resident of the affected buildings."""
    require_work(ctx)
    _check_input(data)
    reported, later = _when(ctx, data.reported_at, "reported_at")
    now = ctx.clock.now()           # after the press's moment: a real clock has moved on since (never before it)
    occurred = data.occurred_at.astimezone(dt.timezone.utc) if data.occurred_at else None
    _raise_times(e.Times(reported, occurred_at=occurred), now)
    onsite_rule, report_rule = e.clock_rules(policy(ctx))
    cal = calendar.working_calendar(ctx)
    with ctx.transaction() as s:
        plans.ensure_default_plans(ctx)     # the shipped plans become records on first use
        plan = s.execute(select(EmergencyPlan).where(
            EmergencyPlan.community_id == ctx.community_id, EmergencyPlan.hazard == data.hazard,
            EmergencyPlan.deleted_at.is_(None))).scalars().first()
        if plan is None:
            raise UserError("Choose the hazard (a plan of the station).", field="hazard")
        names = building_names(s, ctx, list(data.building_ids))
        if set(data.building_ids) - set(names):
            raise NotFound("The building was not found.", field="buildings")
        year = to_local(reported).year
        seq = next_serial(s, "emergency-exercise" if data.is_exercise else "emergency-incident", year)
        c = Incident(community_id=ctx.community_id,
                     incident_no=f"{'YL' if data.is_exercise else 'YJ'}{year}-{seq:03d}", hazard=plan.hazard,
                     plan_id=plan.id, title=data.title.strip(), place=data.place.strip(), grade=data.grade,
                     is_exercise=data.is_exercise, building_ids=list(dict.fromkeys(data.building_ids)),
                     state=e.OPEN, occurred_at=occurred, reported_at=reported, reported_by=data.reported_by.strip(),
                     report_how=data.report_how, opened_by=ctx.user.login,
                     onsite_due_at=deadline(reported, onsite_rule, cal).due,
                     report_due_at=deadline(reported, report_rule, cal).due)
        s.add(c)
        s.flush()
        _entry(s, ctx, c, e.REPORTED, reported, later, c.title, channel=data.report_how, value=c.grade)
        for i, step in enumerate(plan.steps or ()):
            minutes = int(step.get("minutes", 0) or 0)
            s.add(IncidentTask(community_id=ctx.community_id, incident_id=c.id, position=i,
                               title=str(step.get("title", "")), role=str(step.get("role", "")),
                               due_at=reported + dt.timedelta(minutes=minutes) if minutes else None))
        for r in vulnerable.for_buildings(ctx, c.building_ids, reason=c.incident_no):
            s.add(PersonCheck(community_id=ctx.community_id, incident_id=c.id, resident_id=r.resident_id,
                              building_id=r.building_id, state="pending"))
        s.flush()
        return _view(s, ctx, c)


def _latest(s: Session, c: Incident, kind: str) -> IncidentEntry | None:
    rows = [r for r in _entries(s, c.id) if r.kind == kind]
    live = e.current_entries((r.id, r.corrects_id) for r in _entries(s, c.id))
    found = [r for r in rows if r.id in live]
    return found[-1] if found else None


def mark_on_site(ctx: AppContext, incident_id: str, at: dt.datetime | None = None, by_name: str = "") -> IncidentView:
    """已到场: the grid worker is on site (R63). Pressed = now; a typed time is marked as entered later.
    A second time corrects the first (a new entry)."""
    with ctx.transaction() as s:
        c = _open(s, ctx, incident_id)
        when, later = _when(ctx, at, "onsite_at")
        _raise_times(e.Times(c.reported_at, onsite_at=when), ctx.clock.now())
        old = _latest(s, c, e.ON_SITE)
        who = by_name.strip() or ctx.user.display_name
        _entry(s, ctx, c, e.ON_SITE, when, later, who, corrects_id=old.id if old else None)
        c.onsite_at, c.onsite_by = when, who
        s.flush()
        return _view(s, ctx, c)


def mark_reported(ctx: AppContext, incident_id: str, channel: str, at: dt.datetime | None = None,
                  text: str = "") -> IncidentView:
    """已上报: reported to the subdistrict (R64), with the channel."""
    if channel not in e.CHANNELS:
        raise UserError("Choose how the incident was reported to the subdistrict.", field="channel")
    with ctx.transaction() as s:
        c = _open(s, ctx, incident_id)
        when, later = _when(ctx, at, "subdistrict_at")
        _raise_times(e.Times(c.reported_at, subdistrict_at=when), ctx.clock.now())
        old = _latest(s, c, e.SUBDISTRICT)
        _entry(s, ctx, c, e.SUBDISTRICT, when, later, text.strip(), channel=channel,
               corrects_id=old.id if old else None)
        c.subdistrict_at, c.subdistrict_channel = when, channel
        s.flush()
        return _view(s, ctx, c)


def correct_report_time(ctx: AppContext, incident_id: str, at: dt.datetime) -> IncidentView:
    """The report time was wrong: a correcting entry; the clocks start again from the corrected time."""
    with ctx.transaction() as s:
        c = _load(s, ctx, incident_id)
        when, _later = _when(ctx, at, "reported_at")
        _raise_times(e.Times(when, onsite_at=c.onsite_at, subdistrict_at=c.subdistrict_at,
                             occurred_at=c.occurred_at), ctx.clock.now())
        old = _latest(s, c, e.REPORTED)
        _entry(s, ctx, c, e.REPORTED, when, True, c.title, channel=c.report_how, value=c.grade,
               corrects_id=old.id if old else None)
        onsite_rule, report_rule = e.clock_rules(policy(ctx))
        cal = calendar.working_calendar(ctx)
        c.reported_at = when
        c.onsite_due_at, c.report_due_at = deadline(when, onsite_rule, cal).due, deadline(when, report_rule, cal).due
        s.flush()
        return _view(s, ctx, c)


def add_step(ctx: AppContext, incident_id: str, text: str, at: dt.datetime | None = None,
             kind: str = e.STEP) -> IncidentView:
    """A further step (R65: 启动预案, 疏散 …) or a note; closed incidents take notes only."""
    if kind not in (e.STEP, e.NOTE):
        raise UserError("Unknown code {code}.", field="kind", code=kind)
    if not text.strip():
        raise UserError("Describe the step.", field="text")
    with ctx.transaction() as s:
        c = _open(s, ctx, incident_id) if kind == e.STEP else _load(s, ctx, incident_id)
        when, later = _when(ctx, at, "at")
        if when > ctx.clock.now():
            raise UserError("This time cannot be in the future.", field="at")
        if when < c.reported_at:
            raise UserError("This time is before the incident was reported.", field="at")
        _entry(s, ctx, c, kind, when, later, text.strip())
        return _view(s, ctx, c)


def complete_task(ctx: AppContext, task_id: str, by_name: str = "") -> IncidentView:
    with ctx.transaction() as s:
        t = s.get(IncidentTask, task_id)
        if t is None or t.deleted_at is not None:
            raise NotFound("The checklist item was not found.")
        c = _open(s, ctx, t.incident_id)
        if t.done_at is not None:
            raise UserError("This checklist item is already done.")
        now = ctx.clock.now()
        t.done_at, t.done_by = now, by_name.strip() or ctx.user.display_name
        _entry(s, ctx, c, e.TASK, now, False, t.title, ref_id=t.id)
        return _view(s, ctx, c)


def set_check(ctx: AppContext, check_id: str, state: str, note: str = "") -> CheckView:
    """Reached / safe / needs help / evacuated for one vulnerable resident; each change is on the timeline."""
    if state not in e.CHECK_STATES or state == "pending":
        raise UserError("Choose what the check found.", field="state")
    with ctx.transaction() as s:
        row = s.get(PersonCheck, check_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("The check was not found.")
        c = _open(s, ctx, row.incident_id)
        now = ctx.clock.now()
        row.state, row.checked_at, row.by_name, row.note = state, now, ctx.user.display_name, note.strip()
        _entry(s, ctx, c, e.CHECK, now, False, note.strip(), ref_id=row.resident_id, value=state)
        s.flush()
        return next(v for v in checks(ctx, c.id) if v.id == check_id)


def set_member_status(ctx: AppContext, incident_id: str, member_id: str, status: str) -> IncidentView:
    """Called → on the way → on site → stood down (a timeline entry each)."""
    if status not in e.MEMBER_STATUSES:
        raise UserError("Unknown code {code}.", field="status", code=status)
    with ctx.transaction() as s:
        c = _open(s, ctx, incident_id)
        m = s.get(TeamMember, member_id)
        if m is None or m.deleted_at is not None:
            raise NotFound("The team member was not found.")
        _entry(s, ctx, c, e.MEMBER, ctx.clock.now(), False, m.name, ref_id=m.id, value=status)
        return _view(s, ctx, c)


def close_incident(ctx: AppContext, incident_id: str, summary: str) -> IncidentView:
    if not summary.strip():
        raise UserError("Sum up how the incident ended.", field="summary")
    with ctx.transaction() as s:
        c = _open(s, ctx, incident_id)
        now = ctx.clock.now()
        _entry(s, ctx, c, e.CLOSE, now, False, summary.strip())
        c.state, c.closed_at, c.summary = e.CLOSED, now, summary.strip()
        s.flush()
        return _view(s, ctx, c)


def get_incident(ctx: AppContext, incident_id: str) -> IncidentView:
    with ctx.transaction() as s:
        return _view(s, ctx, _load(s, ctx, incident_id))


@dataclass(frozen=True)
class IncidentRow:
    id: str
    incident_no: str
    hazard_name: str
    title: str
    grade: str
    is_exercise: bool
    state: str
    reported_at: dt.datetime
    onsite_due_at: dt.datetime
    report_due_at: dt.datetime
    onsite_at: dt.datetime | None
    subdistrict_at: dt.datetime | None
    buildings: str


def list_incidents(ctx: AppContext, which: str = "open", exercises: bool = True) -> list[IncidentRow]:
    """Open / closed / all incidents, newest first."""
    require_work(ctx)
    with ctx.transaction() as s:
        q = select(Incident).where(Incident.community_id == ctx.community_id, Incident.deleted_at.is_(None))
        if which in (e.OPEN, e.CLOSED):
            q = q.where(Incident.state == which)
        if not exercises:
            q = q.where(Incident.is_exercise.is_(False))
        rows = s.execute(q.order_by(Incident.reported_at.desc())).scalars().all()
        names = building_names(s, ctx)
        plan_names = {p.hazard: p.name for p in s.execute(select(EmergencyPlan).where(
            EmergencyPlan.community_id == ctx.community_id)).scalars()}
        return [IncidentRow(c.id, c.incident_no, plan_names.get(c.hazard, e.HAZARD_ZH.get(c.hazard, c.hazard)), c.title,
                            c.grade, c.is_exercise, c.state, c.reported_at, c.onsite_due_at, c.report_due_at,
                            c.onsite_at, c.subdistrict_at,
                            "、".join(names.get(b, "") for b in c.building_ids or ()))
                for c in rows]


def checks(ctx: AppContext, incident_id: str) -> list[CheckView]:
    """The check-on-person tasks of an incident with the residents' units, flags and contacts (audited)."""
    with ctx.transaction() as s:
        c = _load(s, ctx, incident_id)
        rows = {r.resident_id: r for r in s.execute(select(PersonCheck).where(
            PersonCheck.incident_id == c.id, PersonCheck.deleted_at.is_(None))).scalars()}
        people = vulnerable.for_buildings(ctx, c.building_ids, reason=c.incident_no)
        out = []
        for p in people:
            row = rows.get(p.resident_id)
            if row is None:       # a file opened after the incident began: it gets its check task now
                if c.state != e.OPEN:
                    continue
                row = PersonCheck(community_id=ctx.community_id, incident_id=c.id, resident_id=p.resident_id,
                                  building_id=p.building_id, state="pending")
                s.add(row)
                s.flush()
            out.append(CheckView(row.id, p.resident_id, p.building_id, p.building_name, p.unit, p.name_masked,
                                 p.flag_labels_zh(), p.groups, p.flags, p.contact, row.state, row.checked_at,
                                 row.by_name, row.note))
        return out
