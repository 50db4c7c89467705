"""Schedules: a recurring obligation turned into task instances whose state is a pure function of the clock.

An :class:`Obligation` says "at least ``count`` resolutions per ``period``" (a call a week, a visit a month,
two sessions a month, an assessment a half year, a review a quarter, a drill a half year, a meeting a month).
:func:`tasks` cuts the time from ``start`` to today into calendar periods (week Monday–Sunday, month,
quarter Q1 = Jan–Mar, half year, year — DOMAIN §1.2 A8) and gives one :class:`Task` per period with its state:

    未到 NOT_DUE → 待办 DUE → 逾期 OVERDUE (by N days) → 已完成 DONE / 已取消 CANCELLED

computed only from ``today``, the dates of the records that resolve it, an optional planned date and an
optional end (a closed file, a dissolved team). Nothing is stored, so a task can never disagree with the
records behind it, and a late task never vanishes when a new period starts: it stays late until resolved
records are added for its period (a correction) or the obligation ends before it fell due.

Special groups, emergency drills and training, meetings and the reconciliation all use this one engine.
"""

from __future__ import annotations

import bisect
import functools
import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class Period(str, enum.Enum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


class TaskState(str, enum.Enum):
    NOT_DUE = "not_due"      # 未到: the window has not opened (a later period, or a planned date ahead)
    DUE = "due"              # 待办: the window is open, not yet resolved
    OVERDUE = "overdue"      # 逾期: the period ended without enough resolutions
    DONE = "done"            # 已完成
    CANCELLED = "cancelled"  # 已取消: the obligation ended (file closed) before the task was done


STATE_LABELS = {TaskState.NOT_DUE: "未到", TaskState.DUE: "待办", TaskState.OVERDUE: "逾期",
                TaskState.DONE: "已完成", TaskState.CANCELLED: "已取消"}


@functools.lru_cache(maxsize=4096)
def period_start(day: dt.date, period: Period) -> dt.date:
    if period is Period.WEEK:
        return day - dt.timedelta(days=day.weekday())
    if period is Period.MONTH:
        return day.replace(day=1)
    if period is Period.QUARTER:
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if period is Period.HALF_YEAR:
        return dt.date(day.year, 1 if day.month <= 6 else 7, 1)
    return dt.date(day.year, 1, 1)


def _add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    return dt.date(day.year + m // 12, m % 12 + 1, 1)


def next_period_start(start: dt.date, period: Period) -> dt.date:
    """The first day of the period after the one starting at ``start``."""
    if period is Period.WEEK:
        return start + dt.timedelta(days=7)
    months = {Period.MONTH: 1, Period.QUARTER: 3, Period.HALF_YEAR: 6, Period.YEAR: 12}[period]
    return _add_months(start, months)


def period_bounds(day: dt.date, period: Period) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of the period that contains ``day``."""
    first = period_start(day, period)
    return first, next_period_start(first, period) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Obligation:
    """At least ``count`` resolutions in each ``period`` from ``start`` on, until ``end`` (exclusive) if any."""

    key: str                          # what kind of task: "call", "visit", "drill" …
    period: Period
    count: int
    start: dt.date                    # the first day the obligation applies (its first period may be partial)
    end: dt.date | None = None        # the obligation stops on this day (file closed); None = open-ended
    subject: str = ""                 # whose obligation (a file id, a team id …)


@dataclass(slots=True)
class Task:
    key: str
    subject: str
    period_first: dt.date
    period_last: dt.date              # the due date: the task is late from the day after
    opens: dt.date                    # the window opens (period start, or the planned date inside the period)
    required: int
    done: int                         # resolutions counted in this period
    state: TaskState
    days_late: int = 0                # OVERDUE: days since the due date (today − period_last)
    last_done: dt.date | None = None  # the latest resolution in this period

    @property
    def due(self) -> dt.date:
        return self.period_last

    @property
    def open_items(self) -> bool:
        return self.state in (TaskState.DUE, TaskState.OVERDUE)


def task_state(today: dt.date, opens: dt.date, due: dt.date, required: int, done: int,
               end: dt.date | None) -> tuple[TaskState, int]:
    """The state and days late of one task instance; the single rule every caller shares."""
    if done >= required:
        return TaskState.DONE, 0
    if end is not None and end <= due and end <= today:
        return TaskState.CANCELLED, 0
    if today < opens:
        return TaskState.NOT_DUE, 0
    if today <= due:
        return TaskState.DUE, 0
    return TaskState.OVERDUE, (today - due).days


def tasks(obligation: Obligation, resolved_on: Iterable[dt.date], today: dt.date,
          planned: dt.date | None = None, include_next: bool = False) -> list[Task]:
    """One task per period from the obligation's start to today's period (and the next one when asked).

    ``resolved_on``: the dates of the records that resolve the obligation (a call made, a visit, a review
    signed off); several in one period count up to ``count``. ``planned``: a date the worker set for the
    next contact — inside the current period it opens the window on that day instead of the period start.
    A period that begins after ``end`` yields no task; a period cut by ``end`` is cancelled unless done.
    """
    ob = obligation
    if ob.count <= 0 or (ob.end is not None and ob.end <= ob.start):
        return []
    dates = sorted(resolved_on)
    lo = bisect.bisect_left(dates, period_start(ob.start, ob.period))
    end = ob.end
    stop = today if end is None else min(today, end - dt.timedelta(days=1))
    last_first = period_start(max(stop, ob.start), ob.period)
    if include_next and end is None:
        last_first = next_period_start(period_start(today, ob.period), ob.period)
    out: list[Task] = []
    count, key, subject = ob.count, ob.key, ob.subject
    bisect_right = bisect.bisect_right
    for first, last in _periods(ob.period, period_start(ob.start, ob.period), last_first):
        hi = bisect_right(dates, last, lo)
        done = hi - lo
        opens = first
        if planned is not None and first <= planned <= last and first <= today <= last:
            opens = planned
        # the rule of task_state(), inlined: this loop runs for every period of every file
        if done >= count:
            state, late = TaskState.DONE, 0
        elif end is not None and end <= last and end <= today:
            state, late = TaskState.CANCELLED, 0
        elif today < opens:
            state, late = TaskState.NOT_DUE, 0
        elif today <= last:
            state, late = TaskState.DUE, 0
        else:
            state, late = TaskState.OVERDUE, (today - last).days
        out.append(Task(key, subject, first, last, opens, count, done if done < count else count, state, late,
                        dates[hi - 1] if done else None))
        lo = hi
    return out


def live_tasks(obligation: Obligation, resolved_on: Sequence[dt.date], today: dt.date,
               planned: dt.date | None = None) -> list[Task]:
    """The tasks of :func:`tasks` that anyone still looks at: every late one and the one of today's period.

    The same states as :func:`tasks` (past periods are done, cancelled or late), but a past period that is done
    or cancelled is only counted, never built: a worker's day, the compliance grid and the chief's overview
    need the late tasks and the current one, and building an object for each of the hundreds of done weeks of
    thousands of files is what made them slow. ``resolved_on`` must be sorted.
    """
    ob = obligation
    return live_tasks_of(ob.key, ob.period, ob.count, ob.start, ob.end, ob.subject, resolved_on, today, planned)


def live_tasks_of(key: str, period: Period, count: int, start: dt.date, end: dt.date | None, subject: str,
                  dates: Sequence[dt.date], today: dt.date, planned: dt.date | None = None) -> list[Task]:
    """:func:`live_tasks` for an obligation given by its parts (no object built per file and obligation)."""
    if count <= 0 or (end is not None and end <= start):
        return []
    stop = today if end is None else min(today, end - dt.timedelta(days=1))
    first0 = period_start(start, period)
    last_first = period_start(max(stop, start), period)
    periods = _periods(period, first0, last_first)
    out: list[Task] = []
    if not dates and end is None:
        # nothing resolved: every ended period is late, today's is due (the common case of a new file)
        for first, last in periods:
            if last < today:
                out.append(Task(key, subject, first, last, first, count, 0, TaskState.OVERDUE, (today - last).days))
            else:
                opens = planned if planned is not None and first <= planned <= last and first <= today else first
                out.append(Task(key, subject, first, last, opens, count, 0,
                                TaskState.NOT_DUE if today < opens else TaskState.DUE))
        return out
    lo = bisect.bisect_left(dates, first0)
    bisect_right = bisect.bisect_right
    for first, last in periods:
        hi = bisect_right(dates, last, lo)
        done = hi - lo
        current = first <= today <= last
        if last < today and (done >= count or (end is not None and end <= last and end <= today)):
            lo = hi
            continue   # a past period done or cancelled: nothing to show
        opens = first
        if planned is not None and current and first <= planned <= last:
            opens = planned
        if done >= count:
            state, late = TaskState.DONE, 0
        elif end is not None and end <= last and end <= today:
            state, late = TaskState.CANCELLED, 0
        elif today < opens:
            state, late = TaskState.NOT_DUE, 0
        elif today <= last:
            state, late = TaskState.DUE, 0
        else:
            state, late = TaskState.OVERDUE, (today - last).days
        out.append(Task(key, subject, first, last, opens, count, done if done < count else count, state, late,
                        dates[hi - 1] if done else None))
        lo = hi
    return out


@functools.lru_cache(maxsize=256)
def _periods(period: Period, first: dt.date, last_first: dt.date) -> tuple[tuple[dt.date, dt.date], ...]:
    """(first day, last day) of each period from ``first`` to the one starting at ``last_first`` (shared by every
    obligation with the same start: thousands of files tracked from the same day cost one computation)."""
    out = []
    while first <= last_first:
        nxt = next_period_start(first, period)
        out.append((first, nxt - dt.timedelta(days=1)))
        first = nxt
    return tuple(out)


def open_tasks(all_tasks: Sequence[Task]) -> list[Task]:
    """The tasks a person must act on: late ones (most late first), then due ones (earliest due first)."""
    return sorted((t for t in all_tasks if t.open_items), key=urgency_key)


def urgency_key(t: Task) -> tuple[int, int, dt.date]:
    return (0 if t.state is TaskState.OVERDUE else 1, -t.days_late, t.due)


def current_task(obligation: Obligation, resolved_on: Iterable[dt.date], today: dt.date) -> Task | None:
    """The task of today's period (for a compliance grid): done / due / cancelled, or None if not started."""
    found = [t for t in tasks(obligation, resolved_on, today) if t.period_first <= today <= t.period_last]
    return found[0] if found else None


def one_off(key: str, subject: str, opens: dt.date, due: dt.date, resolved_on: Iterable[dt.date],
            today: dt.date, end: dt.date | None = None) -> Task:
    """A single obligation triggered by an event (a file put up for review): resolved by a record on or
    after ``opens``."""
    done_dates = sorted(d for d in resolved_on if d >= opens)
    state, late = task_state(today, opens, due, 1, 1 if done_dates else 0, end)
    return Task(key, subject, opens, due, opens, 1, 1 if done_dates else 0, state, late,
                done_dates[0] if done_dates else None)
