"""The KPI period: a month, a quarter or a year, written 2026-11, 2026Q4, 2026; anything else refused."""

from __future__ import annotations

import datetime as dt

import pytest

from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.kpi import Period


@pytest.mark.parametrize(("text", "start", "end", "canonical"), [
    ("2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026"),
    ("2026Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026Q4"),
    ("2026q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "2026Q1"),
    ("2026-11", dt.date(2026, 11, 1), dt.date(2026, 11, 30), "2026-11"),
    ("2024-2", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "2024-02"),
    ("2026-12", dt.date(2026, 12, 1), dt.date(2026, 12, 31), "2026-12"),
])
def test_periods_parse_to_their_days(text: str, start: dt.date, end: dt.date, canonical: str) -> None:
    p = Period.parse(text)
    assert (p.start, p.end, p.text()) == (start, end, canonical)
    assert [m.start for m in p.months()][0] == start and p.months()[-1].end == end


@pytest.mark.parametrize("text", ["", "2026Q5", "2026Q0", "2026-13", "2026-00", "26Q4", "2026/11", "Q4 2026",
                                  "2026-11-01", "二〇二六", "0999"])
def test_bad_periods_are_refused_with_the_field(text: str) -> None:
    with pytest.raises(UserError) as e:
        Period.parse(text)
    assert e.value.field == "period" and "2026Q4" in e.value.english()


def test_printed_names_and_the_quarter_of_a_day() -> None:
    assert Period.parse("2026Q4").text_zh() == "2026年第四季度"
    assert Period.parse("2026-03").text_zh() == "2026年3月"
    assert Period.containing(dt.date(2026, 11, 25), "quarter") == Period(2026, "quarter", 4)
    assert Period.parse("2026Q1").previous() == Period(2025, "quarter", 4)
