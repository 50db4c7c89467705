"""Clocks: a deadline from a start moment and a rule, with pauses, the provisional mark, left / late.

One engine for every module with a time limit (mediation, counter, hotline, work orders, incidents):

- ``N working days`` count from the day after the start day (民法典 §201) and end at the close of
  business on the N-th working day (§203 ¶2), in the layered working-day calendar
  (:mod:`shequ_desktop.domain.calendar`); a deadline that touched the fallback calendar is 暂定.
- ``N hours`` / ``N minutes`` are elapsed clock time from the recorded moment (DOMAIN §1.2 A9).
- A pause (waiting on a party, 补正) stops the clock; on resume the deadline moves by the time paused:
  elapsed time for hour/minute rules, the working days paused for working-day rules.

Everything here is pure: moments are timezone-aware, "now" is passed in.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass

from shequ_desktop.domain.calendar import WorkingDayCalendar
from shequ_desktop.domain.clock import SHANGHAI

DEFAULT_CLOSE = dt.time(17, 30)
_RULE_RE = re.compile(r"^(wd|h|min):(\d+)$")


class Unit(str, enum.Enum):
    WORKING_DAYS = "wd"
    HOURS = "h"
    MINUTES = "min"


@dataclass(frozen=True)
class ClockRule:
    """「N个工作日内」 or 「N小时内」 / 「N分钟内」; stored as text like ``wd:3`` or ``h:24``."""

    unit: Unit
    amount: int

    @classmethod
    def working_days(cls, n: int) -> ClockRule:
        return cls(Unit.WORKING_DAYS, n)

    @classmethod
    def hours(cls, n: int) -> ClockRule:
        return cls(Unit.HOURS, n)

    @classmethod
    def minutes(cls, n: int) -> ClockRule:
        return cls(Unit.MINUTES, n)

    @classmethod
    def parse(cls, text: str) -> ClockRule:
        match = _RULE_RE.match(text.strip())
        if match is None:
            raise ValueError(f"not a clock rule: {text!r}")
        return cls(Unit(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.unit.value}:{self.amount}"

    @property
    def elapsed(self) -> bool:
        return self.unit is not Unit.WORKING_DAYS

    def duration(self) -> dt.timedelta:
        if self.unit is Unit.HOURS:
            return dt.timedelta(hours=self.amount)
        if self.unit is Unit.MINUTES:
            return dt.timedelta(minutes=self.amount)
        raise ValueError("a working-day rule has no fixed duration")


@dataclass(frozen=True)
class Pause:
    """The clock stood still from ``start`` until ``end`` (None: still paused)."""

    start: dt.datetime
    end: dt.datetime | None = None


@dataclass(frozen=True)
class Deadline:
    due: dt.datetime          # aware, UTC
    provisional: bool         # 暂定: computed with the fallback calendar
    rule: ClockRule

    @property
    def local_due(self) -> dt.datetime:
        return self.due.astimezone(SHANGHAI)


@dataclass(frozen=True)
class Remaining:
    """How a running clock stands at a moment: ``left`` is negative when late."""

    left: dt.timedelta
    late: bool
    paused: bool
    working_days_left: int | None     # for working-day rules: working days in (today, due day]
    provisional: bool

    @property
    def late_by(self) -> dt.timedelta:
        return -self.left if self.late else dt.timedelta(0)


def _aware(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        raise ValueError("clocks need aware datetimes")
    return when


def close_of_business(day: dt.date, close: dt.time = DEFAULT_CLOSE) -> dt.datetime:
    """The moment a working-day deadline on ``day`` ends (Shanghai office hours), in UTC."""
    return dt.datetime.combine(day, close, tzinfo=SHANGHAI).astimezone(dt.timezone.utc)


def parse_close(text: str) -> dt.time:
    """The policy's ``office_close_time`` ("17:30")."""
    hh, mm = (int(x) for x in text.split(":"))
    return dt.time(hh, mm)


def deadline(start: dt.datetime, rule: ClockRule, calendar: WorkingDayCalendar,
             close: dt.time = DEFAULT_CLOSE, pauses: Iterable[Pause] = ()) -> Deadline:
    """The deadline of ``rule`` started at ``start``, moved by every finished pause.

    An open pause (no end) does not move it here: :func:`remaining` freezes the countdown instead,
    and the move is known on resume.
    """
    start = _aware(start)
    if rule.elapsed:
        due = start.astimezone(dt.timezone.utc) + rule.duration()
        provisional = False
    else:
        day = start.astimezone(SHANGHAI).date()
        found = calendar.add_working_days(day, rule.amount)
        due, provisional = close_of_business(found.due, close), found.provisional
    for pause in pauses:
        if pause.end is None:
            continue
        moved, prov = shift_for_pause(due, rule, pause, calendar, close)
        due, provisional = moved, provisional or prov
    return Deadline(due, provisional, rule)


def shift_for_pause(due: dt.datetime, rule: ClockRule, pause: Pause, calendar: WorkingDayCalendar,
                    close: dt.time = DEFAULT_CLOSE) -> tuple[dt.datetime, bool]:
    """``due`` moved by one finished pause: the elapsed time, or the working days it covered."""
    assert pause.end is not None
    if pause.end <= pause.start:
        return due, False
    if rule.elapsed:
        return due + (pause.end - pause.start), False
    first = pause.start.astimezone(SHANGHAI).date()
    last = pause.end.astimezone(SHANGHAI).date()
    days, provisional = calendar.working_days_between(first, last)
    if days <= 0:
        return due, provisional
    moved = calendar.add_working_days(due.astimezone(SHANGHAI).date(), days)
    return close_of_business(moved.due, close), provisional or moved.provisional


def remaining(d: Deadline, now: dt.datetime, calendar: WorkingDayCalendar | None = None,
              paused_since: dt.datetime | None = None) -> Remaining:
    """Left / late at ``now``; while paused the countdown stands where the pause began."""
    at = _aware(paused_since or now)
    left = d.due - at
    wd_left = None
    if calendar is not None and not d.rule.elapsed:
        today = at.astimezone(SHANGHAI).date()
        wd_left, _prov = calendar.working_days_between(today, d.local_due.date())
    return Remaining(left, left < dt.timedelta(0), paused_since is not None, wd_left, d.provisional)


def running_out(d: Deadline, now: dt.datetime, calendar: WorkingDayCalendar, soon_working_days: int = 1,
                soon_fraction: float = 0.25) -> bool:
    """Late, or close to the end: within ``soon_working_days`` working days (working-day rules) or the
    last ``soon_fraction`` of the span (elapsed rules)."""
    if now >= d.due:
        return True
    if d.rule.elapsed:
        return d.due - now <= d.rule.duration() * soon_fraction
    left, _prov = calendar.working_days_between(now.astimezone(SHANGHAI).date(), d.local_due.date())
    return left <= soon_working_days


def is_due_by(d: Deadline, day: dt.date) -> bool:
    """True when the deadline ends on or before ``day`` (local date)."""
    return d.local_due.date() <= day


def split_left(left: dt.timedelta) -> tuple[int, int, int]:
    """(days, hours, minutes) of an absolute time span, for a countdown text."""
    minutes = int(abs(left).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return days, hours, mins
