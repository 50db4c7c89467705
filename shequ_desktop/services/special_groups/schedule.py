"""Tasks from the schedules: 我的今日 for a worker, the due list for scripts, the compliance grid, the chief's
overview — all computed by domain.schedules from the clock and the records, never stored."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import String, select, type_coerce

from shequ_desktop.domain import special_groups as sg
from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.masking import mask_address, mask_name, mask_phone
from shequ_desktop.domain.roles import Permission
from shequ_desktop.domain.schedules import Task, TaskState, period_bounds, Period
from shequ_desktop.persistence.models import Resident
from shequ_desktop.persistence.special_groups_models import FollowUp, RosterMember, SpecialFile
from shequ_desktop.services.calendar import working_calendar
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.special_groups.common import (ResidentFacts, active_rosters, may_see, require_work,
                                                          resident_facts, resident_removed, resolutions,
                                                          responsible_login, rules, sees_all, team_logins)


@dataclass(frozen=True)
class DueItem:
    """One open task of a person, as a worker sees it in 我的今日."""

    file_id: str
    resident_id: str
    name: str                 # masked as in lists
    full_name: str            # shown in the detail panel only
    group: str
    flags: tuple[str, ...]
    address: str
    building: str
    unit: str
    room: str
    phone_masked: str
    kind: str                 # call / visit / assessment / support / review
    state: TaskState
    due: dt.date
    days_late: int
    done: int
    required: int
    last_contact_on: dt.date | None
    last_notes: str
    planned: dt.date | None
    worker_login: str


@dataclass(frozen=True)
class MyDay:
    login: str
    today: dt.date
    calls_today: tuple[DueItem, ...]
    visits_this_week: tuple[DueItem, ...]
    late: tuple[DueItem, ...]
    other_due: tuple[DueItem, ...]        # sessions, assessments, reviews coming due
    follow_ups_due: int
    people: int

    @property
    def items(self) -> tuple[DueItem, ...]:
        """Everything, by urgency (late first, most late first; 独居/失能 before others)."""
        return tuple(sorted(self.late + self.calls_today + self.visits_this_week + self.other_due,
                            key=lambda i: _urgency(i)))


def _urgency(i: DueItem) -> tuple[int, int, int, dt.date, str]:
    weight = sum(sg.PRIORITY_FLAGS.get(f, 0) for f in i.flags)
    return (0 if i.state is TaskState.OVERDUE else 1, -i.days_late, -weight, i.due, i.kind)


FILE_COLUMNS = (SpecialFile.id, SpecialFile.resident_id, SpecialFile.group, SpecialFile.status,
                SpecialFile.tracked_from, SpecialFile.closed_on, SpecialFile.review_requested_on,
                type_coerce(SpecialFile.flags, String))


class FileRow(NamedTuple):
    id: str
    resident_id: str
    group: str
    status: str
    tracked_from: dt.date
    closed_on: dt.date | None
    review_requested_on: dt.date | None
    flags: tuple[str, ...]


class FileSet:
    """The open files of a worker (or of the station) as light rows, with the same set as SELECTs of ids and of
    resident ids, which the other queries use as subqueries."""

    def __init__(self, s, ctx: AppContext, login: str | None) -> None:  # noqa: ANN001
        cond = [SpecialFile.community_id == ctx.community_id, SpecialFile.deleted_at.is_(None),
                SpecialFile.status == "open"]
        if login:
            cond.append(SpecialFile.id.in_(select(RosterMember.file_id).where(
                RosterMember.login == login, RosterMember.active_to.is_(None), RosterMember.deleted_at.is_(None))))
        # the flags as stored (JSON text): the few distinct sets are decoded once, not once per file
        flag_sets: dict[str, tuple[str, ...]] = {}
        rows = []
        for *head, flags in s.connection().execute(select(*FILE_COLUMNS).where(*cond)).all():
            decoded = flag_sets.get(flags)
            if decoded is None:
                decoded = flag_sets[flags] = tuple(json.loads(flags) or ())
            rows.append(FileRow(*head, decoded))
        self.rows = rows
        self.ids = select(SpecialFile.id).where(*cond)
        self.resident_ids = select(SpecialFile.resident_id).where(*cond)


def _tasks_for(s, ctx: AppContext, files: list, today: dt.date, fs: FileSet | None = None,  # noqa: ANN001
               facts: dict[str, ResidentFacts] | None = None, with_notes: bool = True,
               every_period: bool = False, removed: dict[str, dt.datetime | None] | None = None
               ) -> tuple[dict[str, list[Task]], dict[str, tuple[dt.date, str]], dict[str, dt.date]]:
    """The tasks of each file: only the late ones and today's period (``live_tasks``), or every period of the
    file's life for its own page (``every_period``)."""
    if not files:
        return {}, {}, {}
    since = min(f.tracked_from for f in files)
    resolved, planned, last = resolutions(s, fs.ids if fs else [f.id for f in files], since, with_notes)
    if removed is None:
        if facts is None:
            facts = resident_facts(s, fs.resident_ids if fs else [f.resident_id for f in files])
        removed = {rid: fact.deleted for rid, fact in facts.items()}
    r = rules(ctx)
    out = {}
    empty: dict[str, list[dt.date]] = {}
    for f in files:
        deleted = removed.get(f.resident_id)
        # R51: a resident the registry removed (deceased, moved) puts the open file up for review
        gone = deleted.date() if deleted is not None else None
        review_on = f.review_requested_on or gone
        plan = planned.get(f.id)
        if every_period:
            out[f.id] = sg.file_tasks(f.group, f.id, f.tracked_from, f.closed_on, resolved.get(f.id, empty), r,
                                      today, {k: plan for k in ("call", "visit", "support")} if plan else None,
                                      review_on)
        else:
            out[f.id] = sg.file_live_tasks(f.group, f.id, f.tracked_from, f.closed_on, resolved.get(f.id, empty),
                                           r, today, plan, review_on)
    return out, last, planned


def week_workdays(ctx: AppContext, week_first: dt.date) -> tuple[dt.date, ...]:
    """The working days of a week by the station's calendar (holidays and their make-up days included); all seven
    days for a week without one."""
    cal = working_calendar(ctx)
    week = tuple(week_first + dt.timedelta(days=i) for i in range(7))
    return tuple(d for d in week if cal.is_workday(d)) or week


def my_day(ctx: AppContext, login: str | None = None, today: dt.date | None = None) -> MyDay:
    """我的今日: who to call today, whom to visit this week, who is late and by how much, by urgency."""
    require_work(ctx)
    login = login or ctx.user.login
    today = today or local_today(ctx.clock)
    with ctx.transaction() as s:
        fs = FileSet(s, ctx, login)
        files = fs.rows
        teams = team_logins(s, [f.id for f in files if f.group == "child"])
        files = [f for f in files if may_see(ctx, f.group, teams.get(f.id, set()))]
        facts = resident_facts(s, fs.resident_ids)
        tasks, last, planned = _tasks_for(s, ctx, files, today, fs, facts)
        follow_due = s.execute(select(FollowUp.id).where(FollowUp.assigned_login == login, FollowUp.status == "open",
                                                         FollowUp.due_on <= today + dt.timedelta(days=3),
                                                         FollowUp.deleted_at.is_(None))).all()
    week_first, week_end = period_bounds(today, Period.WEEK)
    workdays = week_workdays(ctx, week_first)
    calls, visits, late, other = [], [], [], []
    for f in files:
        r = facts.get(f.resident_id)
        if r is None:
            continue
        lc = last.get(f.id)
        for t in tasks.get(f.id, ()):
            if not sg.in_my_day(t, today, workdays):
                continue
            item = DueItem(f.id, f.resident_id, mask_name(r.name), r.name, f.group, tuple(f.flags), r.address,
                           r.building or "", r.unit or "", r.room or "", mask_phone(r.phone), t.key, t.state, t.due,
                           t.days_late, t.done, t.required, lc[0] if lc else None, lc[1] if lc else "",
                           planned.get(f.id), login)
            if t.state is TaskState.OVERDUE:
                late.append(item)
            elif t.key == "call" and t.opens <= today:
                calls.append(item)
            elif t.key == "visit" and (t.opens <= week_end):
                visits.append(item)
            elif t.key != "call":
                other.append(item)
    return MyDay(login, today, tuple(sorted(calls, key=_urgency)), tuple(sorted(visits, key=_urgency)),
                 tuple(sorted(late, key=_urgency)), tuple(sorted(other, key=_urgency)), len(follow_due), len(files))


def due_lines(ctx: AppContext, login: str, today: dt.date | None = None) -> list[str]:
    """`care due`: one line per task, YYYY-MM-DD<TAB>KIND<TAB>NAME<TAB>STATE, late tasks first."""
    day = my_day(ctx, login, today)
    return [f"{i.due.isoformat()}\t{i.kind}\t{i.name}\t"
            + (f"overdue {i.days_late}" if i.state is TaskState.OVERDUE else "due") for i in day.items]


# --- compliance grid and the chief's overview --------------------------------------------------------------

GRID_KINDS = ("call", "visit", "support", "assessment", "review")


@dataclass(frozen=True)
class GridRow:
    """One person's current periods: this week's call, this month's visit or two sessions, this half year's
    assessment, this quarter's review — each 'done', 'open' (due, not late), 'late' or '' (not applicable)."""

    file_id: str
    name: str
    group: str
    worker_login: str
    cells: dict[str, str]
    late_tasks: int


@dataclass(frozen=True)
class WorkerCompliance:
    login: str
    name: str
    people: int
    done: dict[str, int]            # per kind: current periods done
    applicable: dict[str, int]      # per kind: current periods that apply
    late: dict[str, int]            # per kind: late tasks (any period)

    def rate(self, kind: str) -> float | None:
        n = self.applicable.get(kind, 0)
        return None if n == 0 else 100.0 * self.done.get(kind, 0) / n


@dataclass(frozen=True)
class Overview:
    today: dt.date
    files: int
    late_by_kind: dict[str, int]
    workers: tuple[WorkerCompliance, ...]
    late_items: tuple[DueItem, ...]   # the late tasks across all workers, by urgency (first 500)
    roster_incomplete: int
    reviews_requested: int


def _cells(tasks: list[Task], today: dt.date) -> tuple[dict[str, str], int]:
    cells: dict[str, str] = {}
    late = 0
    for t in tasks:
        if t.state is TaskState.OVERDUE:
            late += 1
        if t.period_first <= today <= t.period_last and t.key not in cells:
            cells[t.key] = {TaskState.DONE: "done", TaskState.DUE: "open", TaskState.NOT_DUE: "open",
                            TaskState.CANCELLED: ""}.get(t.state, "late")
    return cells, late


def compliance_grid(ctx: AppContext, login: str | None = None, today: dt.date | None = None) -> list[GridRow]:
    """The grid for one worker (``login``) or the station (chief): current period of every obligation."""
    require_work(ctx)
    today = today or local_today(ctx.clock)
    if login is None and not sees_all(ctx):
        login = ctx.user.login
    with ctx.transaction() as s:
        fs = FileSet(s, ctx, login)
        files = fs.rows
        rosters = active_rosters(s, fs.ids)
        files = [f for f in files if may_see(ctx, f.group, rosters.teams.get(f.id, ()))]
        facts = resident_facts(s, fs.resident_ids)
        tasks, _last, _pl = _tasks_for(s, ctx, files, today, fs, facts, with_notes=False)
        staff = rosters.staff
    rows = []
    for f in files:
        cells, late = _cells(tasks.get(f.id, []), today)
        r = facts.get(f.resident_id)
        rows.append(GridRow(f.id, mask_name(r.name) if r else "", f.group,
                            responsible_login(f.group, staff.get(f.id, {}))[0], cells, late))
    rows.sort(key=lambda g: (-g.late_tasks, g.name))
    return rows


class _WorkerTally:
    """Counts for one worker while the overview goes through the files."""

    __slots__ = ("name", "people", "done", "app", "late")

    def __init__(self) -> None:
        self.name, self.people = "", 0
        self.done: Counter[str] = Counter()
        self.app: Counter[str] = Counter()
        self.late: Counter[str] = Counter()


def overview(ctx: AppContext, today: dt.date | None = None) -> Overview:
    """The chief's view: late calls, visits, sessions, assessments and reviews across all workers, and each
    worker's compliance for the current periods."""
    from shequ_desktop.domain.errors import PermissionDenied
    require_work(ctx)
    if not sees_all(ctx):
        raise PermissionDenied("Only the station chief and the admin see every worker's schedule.")
    today = today or local_today(ctx.clock)
    with ctx.transaction() as s:
        fs = FileSet(s, ctx, None)
        files = fs.rows
        # names and addresses only for the late list (below); here only who the registry removed (R51)
        removed = resident_removed(s, fs.resident_ids)
        tasks, last, planned = _tasks_for(s, ctx, files, today, fs, with_notes=False, removed=removed)
        rosters = active_rosters(s, fs.ids)
        staff = rosters.staff
        from shequ_desktop.services.special_groups.files import problems_from_counts
        incomplete = len(problems_from_counts(files, rosters.counts))
    late_by_kind: Counter[str] = Counter()
    per_worker: dict[str, _WorkerTally] = {}
    late_tasks: list[tuple] = []
    overdue, done_state, cancelled = TaskState.OVERDUE, TaskState.DONE, TaskState.CANCELLED
    priority = sg.PRIORITY_FLAGS
    no_staff: dict[str, tuple[str, str]] = {}
    for f in files:
        login, wname = responsible_login(f.group, staff.get(f.id, no_staff))
        w = per_worker.get(login)
        if w is None:
            w = per_worker[login] = _WorkerTally()
        w.name = wname
        w.people += 1
        weight = None
        for t in tasks.get(f.id, ()):
            state = t.state
            if state is overdue:
                late_by_kind[t.key] += 1
                w.late[t.key] += 1
                if weight is None:
                    weight = -sum(priority.get(x, 0) for x in f.flags)
                late_tasks.append(((0, -t.days_late, weight, t.due, t.key), f, t, login))
            if state is not cancelled and t.period_first <= today <= t.period_last:
                w.app[t.key] += 1
                if state is done_state:
                    w.done[t.key] += 1
    workers = tuple(WorkerCompliance(login, w.name, w.people, dict(w.done), dict(w.app), dict(w.late))
                    for login, w in sorted(per_worker.items()))
    # only the first 500 by urgency become items (masked names and addresses for the chief's list)
    late_tasks.sort(key=lambda x: x[0])
    with ctx.transaction() as s:
        facts = resident_facts(s, sorted({x[1].resident_id for x in late_tasks[:500]}))
    late_items: list[DueItem] = []
    for _key, f, t, login in late_tasks:
        r = facts.get(f.resident_id)
        if r is None:
            continue
        lc = last.get(f.id)
        late_items.append(DueItem(f.id, f.resident_id, mask_name(r.name), r.name, f.group, tuple(f.flags),
                                  mask_address(r.address), r.building or "", r.unit or "", r.room or "",
                                  mask_phone(r.phone), t.key, t.state, t.due, t.days_late, t.done,
                                  t.required, lc[0] if lc else None, "", planned.get(f.id), login))
        if len(late_items) == 500:
            break
    late_items.sort(key=_urgency)
    return Overview(today, len(files), dict(late_by_kind), workers, tuple(late_items), incomplete,
                    sum(1 for f in files if f.review_requested_on is not None))


def file_tasks(ctx: AppContext, file_id: str, today: dt.date | None = None) -> list[Task]:
    """Every task of one file (for its page): late ones stay until their period is resolved."""
    from shequ_desktop.services.special_groups.common import get_visible_file
    today = today or local_today(ctx.clock)
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        tasks, _l, _p = _tasks_for(s, ctx, [f], today, every_period=True)
    return tasks.get(f.id, [])


def overdue_count(ctx: AppContext, today: dt.date | None = None) -> int:
    """Late special-group tasks for the status bar's 超期 count: the worker's own (the files they are on), the
    whole station's for the chief; 0 for a role without special-group work."""
    if not ctx.may(Permission.SPECIAL_WORK):
        return 0
    today = today or local_today(ctx.clock)
    login = None if sees_all(ctx) else ctx.user.login
    with ctx.transaction() as s:
        fs = FileSet(s, ctx, login)
        files = fs.rows
        if login is not None:
            teams = team_logins(s, [f.id for f in files if f.group == "child"])
            files = [f for f in files if may_see(ctx, f.group, teams.get(f.id, set()))]
        tasks, _l, _p = _tasks_for(s, ctx, files, today, fs, with_notes=False)
    return sum(1 for ts in tasks.values() for t in ts if t.state is TaskState.OVERDUE)
