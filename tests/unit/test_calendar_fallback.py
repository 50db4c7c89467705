"""The fallback for years without a published schedule: the law's holidays, provisional."""

from __future__ import annotations

import datetime as dt

import chinese_calendar as cc  # type: ignore[import-untyped]
import pytest

from shequ_desktop.domain.calendar import DaySource, Deadline, WorkingDayCalendar, holiday_name_zh
from shequ_desktop.domain.statutory_holidays import statutory_days

D = dt.date
CAL = WorkingDayCalendar()

# The two notices that did not give a weekday in lieu after the holiday: 2012's 端午 (Sat 23 June)
# was taken on Friday 22 June, 2015's 中秋 (Sun 27 September) was not made up at all.
_NOTICE_EXCEPTIONS = {D(2012, 6, 25), D(2015, 9, 28)}


def test_2027_new_year_is_a_provisional_holiday() -> None:
    info = CAL.day_info(D(2027, 1, 1))
    assert (info.is_workday, info.source, info.name, info.provisional) == (False, DaySource.FALLBACK, "元旦", True)
    assert CAL.day_info(D(2027, 1, 4)).is_workday is True


def test_2027_holidays_by_the_2024_law() -> None:
    days = {d: s.name for d, s in statutory_days(2027).items()}
    # 春节 from 除夕 (Fri 5 Feb) for four days: Sat and Sun are owed → Tue 9, Wed 10 in lieu.
    assert [days.get(D(2027, 2, d)) for d in range(5, 12)] == [
        "春节", "春节", "春节", "春节", "春节补假", "春节补假", None]
    assert days[D(2027, 4, 5)] == "清明"
    # 劳动节 Sat 1 + Sun 2 May → Mon 3, Tue 4 in lieu.
    assert [days.get(D(2027, 5, d)) for d in range(1, 6)] == ["劳动节", "劳动节", "劳动节补假", "劳动节补假", None]
    assert days[D(2027, 6, 9)] == "端午" and days[D(2027, 9, 15)] == "中秋"
    assert [days.get(D(2027, 10, d)) for d in range(1, 7)] == [
        "国庆节", "国庆节", "国庆节", "国庆节补假", "国庆节补假", None]


def test_weekend_new_year_gets_monday_in_lieu() -> None:
    assert statutory_days(2028)[D(2028, 1, 3)].in_lieu is True  # 2028-01-01 is a Saturday
    assert CAL.is_workday(D(2028, 1, 3)) is False


@pytest.mark.parametrize("year", range(2008, 2027))
def test_fallback_never_rests_on_a_published_working_day(year: int) -> None:
    """Every day the law's rules take off is a rest day in the State Council's notice too."""
    wrong = sorted(d for d in statutory_days(year) if cc.is_workday(d) and d not in _NOTICE_EXCEPTIONS)
    assert wrong == []


@pytest.mark.parametrize("year", range(2008, 2027))
def test_fallback_finds_every_statutory_holiday_of_the_notice(year: int) -> None:
    """Each holiday the notice names has its law-fixed days in the fallback (the golden week's extra days aside)."""
    fallback = statutory_days(year)
    named = {s.name.removesuffix("补假") for s in fallback.values()}
    assert named == {"元旦", "春节", "清明", "劳动节", "端午", "中秋", "国庆节"}
    for day, s in fallback.items():
        if not s.in_lieu and day.weekday() < 5:  # the package names weekday holidays only
            _, name = cc.get_holiday_detail(day)
            assert holiday_name_zh(name) in (s.name, "国庆节", "中秋"), (day, s.name, name)


def test_deadline_across_golden_week_2027_is_provisional() -> None:
    # Thu 30 Sep 2027 + 3 working days: Oct 1–5 are off by law, so Wed 6, Thu 7, Fri 8.
    assert CAL.add_working_days(D(2027, 9, 30), 3) == Deadline(D(2027, 10, 8), True)
