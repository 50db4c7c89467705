"""Layered working-day calendar: DOMAIN §2.5 vectors, overrides, imports and the CSV parser."""

from __future__ import annotations

import datetime as dt

import chinese_calendar as cc  # type: ignore[import-untyped]
import pytest

from shequ_desktop.domain.calendar import (
    DaySource,
    Deadline,
    OverrideDay,
    WorkingDayCalendar,
    parse_schedule_csv,
    schedule_years,
)
from shequ_desktop.domain.errors import UserError, ValidationErrors

D = dt.date
CAL = WorkingDayCalendar()


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2025, 9, 30), 5, D(2025, 10, 14)),  # Oct 11 (Sat) is a make-up working day
        (D(2025, 4, 30), 3, D(2025, 5, 8)),
        (D(2025, 10, 13), 1, D(2025, 10, 14)),
        (D(2026, 9, 30), 5, D(2026, 10, 13)),
    ],
)
def test_domain_vectors(start: dt.date, n: int, due: dt.date) -> None:
    assert CAL.add_working_days(start, n) == Deadline(due, False)


def test_crossing_into_uncovered_year_is_provisional() -> None:
    deadline = CAL.add_working_days(D(2026, 12, 29), 5)
    assert deadline.provisional is True
    # Dec 30, 31 (2026, package) + Jan 4, 5, 6 (2027 fallback: Jan 1 is 元旦 by law).
    assert deadline.due == D(2027, 1, 6)


def test_rest_day_start_counts_first_working_day_as_day_one() -> None:
    sunday = D(2026, 10, 11)
    assert CAL.add_working_days(sunday, 1).due == D(2026, 10, 12)
    assert cc.find_workday(1, sunday) == D(2026, 10, 13)  # the package is one day late here
    saturday = D(2025, 11, 15)
    assert CAL.add_working_days(saturday, 1).due == D(2025, 11, 17)
    assert CAL.add_working_days(saturday, 5).due == D(2025, 11, 21)
    assert cc.find_workday(5, saturday) == D(2025, 11, 24)


def test_zero_days_rolls_to_a_working_day() -> None:
    assert CAL.add_working_days(D(2025, 10, 1), 0).due == D(2025, 10, 9)
    assert CAL.add_working_days(D(2025, 10, 9), 0).due == D(2025, 10, 9)


def test_negative_days_count_backwards() -> None:
    assert CAL.add_working_days(D(2025, 10, 9), -1).due == D(2025, 9, 30)


def test_make_up_saturday_and_holiday_names() -> None:
    info = CAL.day_info(D(2026, 10, 10))
    assert info.is_workday is True and info.source is DaySource.PACKAGE
    assert info.name == "国庆节" and info.provisional is False
    assert CAL.day_info(D(2026, 10, 1)).name == "国庆节"
    assert CAL.day_info(D(2026, 2, 17)).name == "春节"
    assert CAL.day_info(D(2025, 10, 6)).name == "中秋"
    assert CAL.is_workday(D(2026, 10, 8)) is True
    assert CAL.is_workday(D(2026, 10, 11)) is False
    assert CAL.day_info(D(2026, 10, 12)).name is None


def test_fallback_day_is_provisional_weekday_rule() -> None:
    mon, sat = CAL.day_info(D(2027, 1, 4)), CAL.day_info(D(2027, 1, 2))
    assert (mon.is_workday, mon.source, mon.provisional) == (True, DaySource.FALLBACK, True)
    assert (sat.is_workday, sat.provisional) == (False, True)


def test_override_changes_a_deadline() -> None:
    start = D(2026, 12, 24)  # Thu
    assert CAL.add_working_days(start, 5).due == D(2026, 12, 31)
    cal = WorkingDayCalendar([OverrideDay(D(2026, 12, 31), False, "本地休息日", "区府办〔2026〕1号")])
    info = cal.day_info(D(2026, 12, 31))
    assert (info.is_workday, info.source, info.name) == (False, DaySource.OVERRIDE, "本地休息日")
    deadline = cal.add_working_days(start, 5)
    assert deadline == Deadline(D(2027, 1, 4), True)


SCHEDULE_2027 = """date,kind,document,note
2027-01-01,休,国办发明电〔2026〕9号,元旦
2027/2/6,班,国办发明电〔2026〕9号,春节
2027-02-08,rest,国办发明电〔2026〕9号,春节
"""


def test_imported_year_makes_deadline_final() -> None:
    days = parse_schedule_csv(SCHEDULE_2027)
    assert schedule_years(days) == {2027}
    cal = WorkingDayCalendar(days, imported_years=schedule_years(days))
    deadline = cal.add_working_days(D(2026, 12, 29), 5)
    # Dec 30, 31, then Jan 1 is 元旦 (override), so Jan 4, 5, 6.
    assert deadline == Deadline(D(2027, 1, 6), False)
    assert cal.day_info(D(2027, 1, 7)).source is DaySource.IMPORTED_YEAR
    assert cal.is_workday(D(2027, 2, 6)) is True
    assert cal.is_year_covered(2027) and not CAL.is_year_covered(2027)


def test_working_days_between() -> None:
    assert CAL.working_days_between(D(2025, 9, 30), D(2025, 10, 14)) == (5, False)
    assert CAL.working_days_between(D(2025, 10, 14), D(2025, 9, 30)) == (-5, False)
    assert CAL.working_days_between(D(2025, 9, 30), D(2025, 9, 30)) == (0, False)
    assert CAL.working_days_between(D(2026, 12, 29), D(2027, 1, 5)) == (4, True)


def test_coverage() -> None:
    assert CAL.is_year_covered(2026) and CAL.is_year_covered(2004)
    assert CAL.last_covered_year() == 2026
    assert CAL.coverage_warning(D(2026, 10, 31)) is None
    assert CAL.coverage_warning(D(2026, 11, 1)) == 2027
    imported = WorkingDayCalendar(imported_years={2027})
    assert imported.last_covered_year() == 2027
    assert imported.coverage_warning(D(2026, 11, 24)) is None
    assert imported.coverage_warning(D(2027, 11, 1)) == 2028


def test_year_exceptions_match_domain_counts() -> None:
    exceptions = CAL.year_exceptions(2026)
    rest_weekdays = [i for i in exceptions if not i.is_workday]
    makeup = [i for i in exceptions if i.is_workday]
    assert (len(rest_weekdays), len(makeup)) == (19, 6)  # DOMAIN §2.3
    assert D(2026, 10, 10) in {i.day for i in makeup}
    assert [i.day for i in exceptions] == sorted(i.day for i in exceptions)
    assert [i.day for i in WorkingDayCalendar().year_exceptions(2027)][:2] == [D(2027, 1, 1), D(2027, 2, 5)]
    assert CAL.working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == (248, False)


def test_parse_schedule_accepts_variants() -> None:
    text = "\ufeff2027-10-01,Holiday,通知\n\n2027/10/9,上班,通知,国庆节\n2027-10-02\t\n2027-10-02,休息\n"
    with pytest.raises(UserError):
        parse_schedule_csv(text)
    days = parse_schedule_csv("2027-10-01,Holiday,通知\n2027/10/9,上班,通知,国庆节\n2027-10-2,REST\n")
    assert days == [
        OverrideDay(D(2027, 10, 1), False, "", "通知"),
        OverrideDay(D(2027, 10, 2), False, "", ""),
        OverrideDay(D(2027, 10, 9), True, "国庆节", "通知"),
    ]
    tabbed = parse_schedule_csv("日期\t类型\n2027-05-01\tWORKDAY\n")
    assert tabbed == [OverrideDay(D(2027, 5, 1), True)]


def test_parse_schedule_reports_all_bad_rows() -> None:
    text = "date,kind\n2027-01-01,休\n2027-02-30,休\n2027-03-01,maybe\n2027-01-01,班\nonly\n"
    with pytest.raises(ValidationErrors) as info:
        parse_schedule_csv(text)
    problems = [(e.params.get("line"), e.msgid.split(":")[1].strip()[:12]) for e in info.value.errors]
    assert [line for line, _ in problems] == [3, 4, 5, 6]
    assert all(e.field == "schedule" for e in info.value.errors)
    assert info.value.errors[0].params["value"] == "2027-02-30"
    assert info.value.errors[2].params["other"] == 2


@pytest.mark.parametrize("text", ["", "\n\n", "date,kind,document\n"])
def test_parse_schedule_empty_is_an_error(text: str) -> None:
    with pytest.raises(UserError) as info:
        parse_schedule_csv(text)
    assert "no dates" in info.value.english()
