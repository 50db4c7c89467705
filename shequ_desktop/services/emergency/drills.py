"""Drills (R61, every half year) and training (R62, every quarter): records with attendance, the calendar of
due and overdue items (``domain/schedules``), members not trained this year, and the 5/15-minute compliance
rates per period (``domain/indicators``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain import schedules
from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.errors import NotFound, UserError, ValidationErrors
from shequ_desktop.domain.indicators import Indicator, IndicatorRecord, indicator
from shequ_desktop.persistence.emergency_models import Exercise, ExerciseAttendance, Incident, TeamMember
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.emergency.common import policy, require_chief, require_work, today
from shequ_desktop.services.emergency.files import NewFile, add_files, check_files, file_counts
from shequ_desktop.services.emergency.team import MemberView, member_view


@dataclass(frozen=True)
class ExerciseInput:
    kind: str
    held_on: dt.date
    topic: str
    duration_minutes: int
    attendance: tuple[tuple[str, bool], ...] = ()     # (member id, present)
    hazard: str = ""
    place: str = ""
    findings: str = ""
    attachments: tuple[str, ...] = ()                 # old records: file names only
    incident_id: str | None = None                    # a drill run through the incident timeline
    files: tuple[NewFile, ...] = ()                   # photos and sign-in sheets, stored and synced


@dataclass(frozen=True)
class ExerciseView:
    id: str
    kind: str
    held_on: dt.date
    hazard: str
    topic: str
    place: str
    duration_minutes: int
    findings: str
    attachments: tuple[str, ...]                      # old records: names of files never stored
    incident_id: str | None
    present: int
    absent: int
    files: int = 0                                    # stored files (not withdrawn)
    incident_no: str = ""


# A drill is an incident flagged as an exercise (issue 14); a training is not run through the timeline.
MSG_TRAINING_LINK = "Only a drill runs through an exercise incident; a training has none."


def _check(data: ExerciseInput, today_: dt.date) -> None:
    errors: list[UserError] = []
    if data.kind not in e.EXERCISE_KINDS:
        errors.append(UserError("Choose drill or training.", field="kind"))
    elif data.kind != e.DRILL and data.incident_id is not None:
        errors.append(UserError(MSG_TRAINING_LINK, field="incident"))
    if data.held_on > today_:
        errors.append(UserError("A drill or training cannot be recorded before it took place.", field="held_on"))
    if not data.topic.strip():
        errors.append(UserError("Enter the topic.", field="topic"))
    if not 1 <= data.duration_minutes <= 1440:
        errors.append(UserError("The duration must be between 1 and 1440 minutes.", field="duration"))
    if not data.attendance:
        errors.append(UserError("Mark who took part.", field="attendance"))
    errors += check_files(data.files)
    if errors:
        raise ValidationErrors(errors)


def record_exercise(ctx: AppContext, data: ExerciseInput) -> ExerciseView:
    require_chief(ctx)
    _check(data, today(ctx))
    with ctx.transaction() as s:
        if data.incident_id is not None:
            inc = s.get(Incident, data.incident_id)
            _check_link(s, inc, None)
        ids = [m for m, _p in data.attendance]
        known = set(s.execute(select(TeamMember.id).where(TeamMember.id.in_(ids))).scalars())
        if set(ids) - known:
            raise NotFound("The team member was not found.", field="attendance")
        x = Exercise(community_id=ctx.community_id, kind=data.kind, held_on=data.held_on, hazard=data.hazard,
                     topic=data.topic.strip(), place=data.place.strip(), duration_minutes=data.duration_minutes,
                     findings=data.findings.strip(), attachments=list(data.attachments), incident_id=data.incident_id)
        s.add(x)
        s.flush()
        for member_id, present in dict(data.attendance).items():
            s.add(ExerciseAttendance(community_id=ctx.community_id, exercise_id=x.id, member_id=member_id,
                                     present=present))
        s.flush()
        add_files(s, ctx, x.id, data.files)
        return _view(x, list(dict(data.attendance).values()), len(data.files),
                     _incident_numbers(s, [x.incident_id]).get(x.incident_id or "", ""))


def _view(x: Exercise, marks: list[bool], files: int = 0, incident_no: str = "") -> ExerciseView:
    return ExerciseView(x.id, x.kind, x.held_on, x.hazard, x.topic, x.place, x.duration_minutes, x.findings,
                        tuple(x.attachments or ()), x.incident_id, sum(marks), len(marks) - sum(marks), files,
                        incident_no)


def _incident_numbers(s: Session, ids: list[str | None]) -> dict[str, str]:
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    return dict(s.execute(select(Incident.id, Incident.incident_no).where(Incident.id.in_(wanted))).all())


def _check_link(s: Session, inc: Incident | None, exercise_id: str | None) -> None:
    if inc is None or inc.deleted_at is not None or not inc.is_exercise:
        raise UserError("A drill can only point at an incident flagged as an exercise.", field="incident")
    other = s.execute(select(Exercise.id).where(Exercise.incident_id == inc.id, Exercise.deleted_at.is_(None))
                      ).scalars().first()
    if other is not None and other != exercise_id:
        raise UserError("This exercise incident already belongs to another drill record.", field="incident")


@dataclass(frozen=True)
class ExerciseIncident:
    id: str
    incident_no: str
    title: str
    reported_at: dt.datetime
    linked_to: str | None        # the drill record it belongs to


def exercise_incidents(ctx: AppContext) -> list[ExerciseIncident]:
    """Incidents flagged as exercises, newest first, with the drill record each one belongs to."""
    require_work(ctx)
    with ctx.transaction() as s:
        linked = dict(s.execute(select(Exercise.incident_id, Exercise.id).where(
            Exercise.incident_id.is_not(None), Exercise.deleted_at.is_(None))).all())
        rows = s.execute(select(Incident).where(Incident.community_id == ctx.community_id,
                                                Incident.is_exercise.is_(True), Incident.deleted_at.is_(None))
                         .order_by(Incident.reported_at.desc())).scalars().all()
        return [ExerciseIncident(i.id, i.incident_no, i.title, i.reported_at, linked.get(i.id)) for i in rows]


def link_incident(ctx: AppContext, exercise_id: str, incident_id: str | None) -> ExerciseView:
    """Point a drill record at the exercise incident it ran through (None: no incident)."""
    require_chief(ctx)
    with ctx.transaction() as s:
        x = s.get(Exercise, exercise_id)
        if x is None or x.deleted_at is not None:
            raise NotFound("The drill or training record was not found.", field="incident")
        if incident_id is not None:
            if x.kind != e.DRILL:
                raise UserError(MSG_TRAINING_LINK, field="incident")
            _check_link(s, s.get(Incident, incident_id), exercise_id)
        x.incident_id = incident_id
        s.flush()
        marks = list(s.execute(select(ExerciseAttendance.present).where(
            ExerciseAttendance.exercise_id == x.id, ExerciseAttendance.deleted_at.is_(None))).scalars())
        return _view(x, marks, file_counts(s).get(x.id, 0),
                     _incident_numbers(s, [incident_id]).get(incident_id or "", ""))


def list_exercises(ctx: AppContext) -> list[ExerciseView]:
    require_work(ctx)
    with ctx.transaction() as s:
        rows = s.execute(select(Exercise).where(Exercise.community_id == ctx.community_id,
                                                Exercise.deleted_at.is_(None))
                         .order_by(Exercise.held_on.desc())).scalars().all()
        marks: dict[str, list[bool]] = {}
        for xid, present in s.execute(select(ExerciseAttendance.exercise_id, ExerciseAttendance.present).where(
                ExerciseAttendance.deleted_at.is_(None))):
            marks.setdefault(xid, []).append(present)
        files = file_counts(s)
        numbers = _incident_numbers(s, [x.incident_id for x in rows])
        return [_view(x, marks.get(x.id, []), files.get(x.id, 0), numbers.get(x.incident_id or "", ""))
                for x in rows]


def attendance(ctx: AppContext, exercise_id: str) -> list[tuple[str, bool]]:
    """(member name, present) of one exercise."""
    require_work(ctx)
    with ctx.transaction() as s:
        return [(n, p) for n, p in s.execute(
            select(TeamMember.name, ExerciseAttendance.present)
            .join(TeamMember, TeamMember.id == ExerciseAttendance.member_id)
            .where(ExerciseAttendance.exercise_id == exercise_id).order_by(TeamMember.name))]


def schedule(ctx: AppContext, day: dt.date | None = None) -> list[schedules.Task]:
    """One task per half year (drill) and per quarter (training) from the first record (or this year) to today's
    period and the next: 未到 / 待办 / 逾期 / 已完成 — computed, never stored."""
    require_work(ctx)
    day = day or today(ctx)
    p = policy(ctx)
    records = list_exercises(ctx)
    out: list[schedules.Task] = []
    for kind, key in ((e.DRILL, "drills_per_year"), (e.TRAINING, "trainings_per_year")):
        first = min((x.held_on for x in records if x.kind == kind), default=dt.date(day.year, 1, 1))
        ob = e.exercise_obligation(kind, int(p.get(key, 0)), first)  # type: ignore[call-overload]
        if ob is not None:
            out += schedules.tasks(ob, [x.held_on for x in records if x.kind == kind], day, include_next=True)
    return sorted(out, key=lambda t: (t.period_first, t.key))


def untrained_members(ctx: AppContext, year: int | None = None) -> list[MemberView]:
    """Active members present at no drill or training in the year (default: this year)."""
    require_work(ctx)
    year = year or today(ctx).year
    with ctx.transaction() as s:
        trained = set(s.execute(select(ExerciseAttendance.member_id)
                                .join(Exercise, Exercise.id == ExerciseAttendance.exercise_id)
                                .where(ExerciseAttendance.present.is_(True), Exercise.deleted_at.is_(None),
                                       Exercise.held_on >= dt.date(year, 1, 1),
                                       Exercise.held_on <= dt.date(year, 12, 31))).scalars())
        members = s.execute(select(TeamMember).where(TeamMember.community_id == ctx.community_id,
                                                     TeamMember.active.is_(True),
                                                     TeamMember.deleted_at.is_(None))).scalars().all()
        return sorted((member_view(m) for m in members if m.id not in trained), key=lambda v: v.name)


@dataclass(frozen=True)
class Compliance:
    onsite: Indicator        # grid worker on site within the limit (R63)
    report: Indicator        # reported to the subdistrict within the limit (R64)


def compliance(ctx: AppContext, first: dt.date, last: dt.date, include_exercises: bool = False) -> Compliance:
    """The two rates over incidents reported in [first, last] (local dates), with the incidents behind them.

    An incident whose clock is still running and not yet met is left out; one whose time ran out without the
    moment recorded counts as late.
    """
    require_work(ctx)
    now = ctx.clock.now()
    onsite: list[IndicatorRecord] = []
    report: list[IndicatorRecord] = []
    with ctx.transaction() as s:
        q = select(Incident).where(Incident.community_id == ctx.community_id, Incident.deleted_at.is_(None))
        if not include_exercises:
            q = q.where(Incident.is_exercise.is_(False))
        for c in s.execute(q.order_by(Incident.reported_at)).scalars():
            day = to_local(c.reported_at).date()
            if not first <= day <= last:
                continue
            month = f"{day.year}-{day.month:02d}"
            for out, done, due in ((onsite, c.onsite_at, c.onsite_due_at), (report, c.subdistrict_at, c.report_due_at)):
                if done is None and now <= due:
                    continue
                minutes = None if done is None else int((done - c.reported_at).total_seconds() // 60)
                out.append(IndicatorRecord(c.id, c.incident_no, done is not None and done <= due, group=month,
                                           detail={"minutes": minutes, "title": c.title,
                                                   "reported_at": c.reported_at}))
    return Compliance(indicator("emergency_onsite", _target(), onsite), indicator("emergency_report", _target(), report))


def _target():  # noqa: ANN202
    from fractions import Fraction
    return Fraction(1)        # every incident within the limit: the regulation sets no lower rate
