"""The shared clock engine: working days from the day after, close of business, elapsed hours, pauses, 暂定."""

import datetime as dt

import pytest

from shequ_desktop.domain.calendar import WorkingDayCalendar
from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.domain.clocks import (ClockRule, Pause, deadline, is_due_by, remaining, running_out,
                                         split_left)

CAL = WorkingDayCalendar()


def at(y, mo, d, h=10, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=SHANGHAI)


@pytest.mark.parametrize("start,n,due", [
    (at(2025, 9, 30), 5, at(2025, 10, 14, 17, 30)),     # 10-11 (Sat) is a make-up working day
    (at(2025, 4, 30), 3, at(2025, 5, 8, 17, 30)),
    (at(2026, 11, 28, 9), 1, at(2026, 11, 30, 17, 30)),  # received on a Saturday: Monday is day 1
])
def test_working_days_count_from_the_next_day_to_close_of_business(start, n, due):
    d = deadline(start, ClockRule.working_days(n), CAL)
    assert d.local_due == due and not d.provisional


def test_crossing_into_an_uncovered_year_is_provisional():
    d = deadline(at(2026, 12, 29), ClockRule.working_days(5), CAL)
    assert d.provisional and d.local_due.date() >= dt.date(2027, 1, 5)


def test_elapsed_hours_run_through_nights_and_holidays():
    d = deadline(at(2026, 9, 30, 15, 20), ClockRule.hours(24), CAL)
    assert d.local_due == at(2026, 10, 1, 15, 20) and not d.provisional
    assert deadline(at(2026, 10, 1, 8), ClockRule.minutes(30), CAL).local_due == at(2026, 10, 1, 8, 30)


def test_pauses_move_the_deadline_and_an_open_pause_freezes_the_countdown():
    rule = ClockRule.hours(24)
    d = deadline(at(2026, 11, 25, 10), rule, CAL, pauses=[Pause(at(2026, 11, 25, 12), at(2026, 11, 25, 15))])
    assert d.local_due == at(2026, 11, 26, 13)
    wd = deadline(at(2026, 11, 25), ClockRule.working_days(3), CAL,
                  pauses=[Pause(at(2026, 11, 26, 9), at(2026, 11, 30, 9))])   # Thu → Mon: 2 working days
    assert wd.local_due == at(2026, 12, 2, 17, 30)
    frozen = remaining(d, at(2026, 11, 30), paused_since=at(2026, 11, 26, 12))
    assert frozen.paused and not frozen.late and frozen.left == dt.timedelta(hours=1)


def test_left_late_and_running_out():
    d = deadline(at(2026, 11, 25, 10), ClockRule.working_days(3), CAL)       # Mon 11-30 17:30
    r = remaining(d, at(2026, 11, 30, 18), CAL)
    assert r.late and r.late_by == dt.timedelta(minutes=30) and r.working_days_left == 0
    assert remaining(d, at(2026, 11, 25, 11), CAL).working_days_left == 3
    assert not running_out(d, at(2026, 11, 25, 11), CAL, 1) and running_out(d, at(2026, 11, 27, 11), CAL, 1)
    h = deadline(at(2026, 11, 25, 10), ClockRule.hours(24), CAL)
    assert not running_out(h, at(2026, 11, 26, 3), CAL) and running_out(h, at(2026, 11, 26, 5), CAL)
    assert is_due_by(d, dt.date(2026, 11, 30)) and not is_due_by(d, dt.date(2026, 11, 29))
    assert split_left(dt.timedelta(days=1, hours=2, minutes=5)) == (1, 2, 5)


def test_rules_round_trip_as_text_and_naive_times_are_refused():
    assert ClockRule.parse("wd:3") == ClockRule.working_days(3) and str(ClockRule.hours(24)) == "h:24"
    with pytest.raises(ValueError):
        ClockRule.parse("3 days")
    with pytest.raises(ValueError):
        deadline(dt.datetime(2026, 1, 5, 10), ClockRule.hours(1), CAL)
