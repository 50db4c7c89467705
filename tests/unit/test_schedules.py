"""The schedules engine: periods, task states as a pure function of the clock and the resolving records."""

from __future__ import annotations

import datetime as dt

from shequ_desktop.domain import special_groups as sg
from shequ_desktop.domain.schedules import (Obligation, Period, TaskState, one_off, open_tasks, period_bounds,
                                            tasks)

D = dt.date


def test_period_bounds_calendar_week_month_quarter_half_year():
    assert period_bounds(D(2026, 11, 25), Period.WEEK) == (D(2026, 11, 23), D(2026, 11, 29))
    assert period_bounds(D(2026, 2, 10), Period.MONTH) == (D(2026, 2, 1), D(2026, 2, 28))
    assert period_bounds(D(2026, 11, 25), Period.QUARTER) == (D(2026, 10, 1), D(2026, 12, 31))
    assert period_bounds(D(2026, 7, 1), Period.HALF_YEAR) == (D(2026, 7, 1), D(2026, 12, 31))
    assert period_bounds(D(2026, 12, 31), Period.YEAR) == (D(2026, 1, 1), D(2026, 12, 31))


def test_weekly_call_states_and_late_tasks_stay():
    ob = Obligation("call", Period.WEEK, 1, D(2026, 11, 2), subject="f1")
    ts = tasks(ob, [D(2026, 11, 10)], D(2026, 11, 25))
    assert [(t.period_first, t.state, t.days_late) for t in ts] == [
        (D(2026, 11, 2), TaskState.OVERDUE, 17), (D(2026, 11, 9), TaskState.DONE, 0),
        (D(2026, 11, 16), TaskState.OVERDUE, 3), (D(2026, 11, 23), TaskState.DUE, 0)]
    # a new week does not make the late ones vanish
    later = tasks(ob, [D(2026, 11, 10)], D(2026, 12, 1))
    assert sum(t.state is TaskState.OVERDUE for t in later) == 3
    assert open_tasks(later)[0].days_late == 23


def test_planned_date_keeps_window_closed_until_then_and_next_period_not_due():
    ob = Obligation("visit", Period.MONTH, 1, D(2026, 11, 1))
    ts = tasks(ob, [], D(2026, 11, 25), planned=D(2026, 11, 27), include_next=True)
    assert ts[0].state is TaskState.NOT_DUE and ts[0].opens == D(2026, 11, 27)
    assert ts[1].period_first == D(2026, 12, 1) and ts[1].state is TaskState.NOT_DUE


def test_two_sessions_a_month_and_cancelled_when_the_file_closes():
    ob = Obligation("support", Period.MONTH, 2, D(2026, 10, 1), end=D(2026, 11, 20))
    ts = tasks(ob, [D(2026, 10, 3), D(2026, 10, 20), D(2026, 11, 5)], D(2026, 11, 25))
    assert [(t.state, t.done) for t in ts] == [(TaskState.DONE, 2), (TaskState.CANCELLED, 1)]
    assert tasks(Obligation("support", Period.MONTH, 2, D(2026, 12, 5), end=D(2026, 11, 20)), [], D(2026, 12, 9)) == []


def test_quarter_without_review_is_late_and_outside_change_review():
    ob = Obligation("review", Period.QUARTER, 1, D(2026, 8, 15))
    ts = tasks(ob, [], D(2026, 11, 25))
    assert ts[0].state is TaskState.OVERDUE and ts[0].due == D(2026, 9, 30) and ts[0].days_late == 56
    t = one_off("review", "f", D(2026, 11, 20), D(2026, 11, 27), [], D(2026, 11, 25))
    assert t.state is TaskState.DUE
    assert one_off("review", "f", D(2026, 11, 20), D(2026, 11, 27), [D(2026, 11, 21)], D(2026, 12, 1)).state \
        is TaskState.DONE
    assert one_off("review", "f", D(2026, 11, 20), D(2026, 11, 27), [], D(2026, 12, 1)).days_late == 4


def test_group_obligations_follow_the_policy():
    rules = sg.ScheduleRules.from_policy({"phone_calls_per_week": 2, "child_sessions_per_month": 3})
    keys = {o.key: (o.period, o.count) for o in sg.obligations("elderly", rules, D(2026, 1, 1), None, "f")}
    assert keys == {"review": (Period.QUARTER, 1), "call": (Period.WEEK, 2), "visit": (Period.MONTH, 1)}
    child = {o.key: o.count for o in sg.obligations("child", rules, D(2026, 1, 1), None, "f")}
    assert child["support"] == 3
    dis = {o.key: o.period for o in sg.obligations("disabled", rules, D(2026, 1, 1), None, "f")}
    assert dis["assessment"] is Period.HALF_YEAR


def test_disability_certificate_number():
    idn = "11010519491231002X"
    assert sg.check_disability_certificate(idn + "42", idn) == ("4", 2)
    assert sg.check_disability_certificate(idn + "82", idn) is None
    assert sg.check_disability_certificate("110105194912310021" + "42", idn) is None


def test_live_tasks_are_the_late_and_current_tasks_of_the_full_list():
    """The fast path the day, grid and overview use gives exactly the tasks that are not past and settled."""
    import random
    from shequ_desktop.domain.schedules import live_tasks
    rnd = random.Random(7)
    for _ in range(600):
        period = rnd.choice(list(Period))
        start = D(2025, 1, 1) + dt.timedelta(days=rnd.randrange(500))
        today = start + dt.timedelta(days=rnd.randrange(-20, 400))
        end = start + dt.timedelta(days=rnd.randrange(1, 500)) if rnd.random() < 0.3 else None
        dates = sorted(start + dt.timedelta(days=rnd.randrange(-30, 420)) for _ in range(rnd.randrange(0, 30)))
        planned = today + dt.timedelta(days=rnd.randrange(-10, 20)) if rnd.random() < 0.3 else None
        ob = Obligation("k", period, rnd.choice((1, 1, 2)), start, end, "s")
        full = tasks(ob, dates, today, planned)
        expected = [t for t in full if t.period_first <= today <= t.period_last or t.period_first > today
                    or t.state not in (TaskState.DONE, TaskState.CANCELLED)]
        assert live_tasks(ob, dates, today, planned) == expected, (ob, dates, today, planned)
