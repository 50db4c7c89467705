"""Dates typed at a counter: the forms clerks use are read, anything else is named as not a date."""

from __future__ import annotations

import datetime as dt

import pytest

from shequ_desktop.domain.dates import check_range, parse_date_text
from shequ_desktop.domain.errors import UserError

MAY_1 = dt.date(2018, 5, 1)


@pytest.mark.parametrize("text", ["2018-05-01", "20180501", "2018.5.1", "2018/5/1", "2018-5-1", " 2018.05.01 ",
                                  "2018年5月1日", "２０１８。５。１", "2018 - 05 - 01"])
def test_the_usual_forms_are_read(text: str) -> None:
    assert parse_date_text(text) == MAY_1


def test_empty_is_no_date() -> None:
    assert parse_date_text("  ") is None


@pytest.mark.parametrize("text", ["abc", "2018", "201851", "18-5-1", "2018-05-01x", "5/1/2018"])
def test_a_non_date_is_named_with_the_field(text: str) -> None:
    with pytest.raises(UserError) as info:
        parse_date_text(text, field="moved_in")
    assert info.value.field == "moved_in"
    assert "is not a date" in info.value.english()


def test_an_unreal_day_is_not_a_wrong_format() -> None:
    with pytest.raises(UserError, match="not a real date"):
        parse_date_text("2026.2.30")


def test_range() -> None:
    check_range(MAY_1, MAY_1, MAY_1)
    with pytest.raises(UserError, match="2018-05-02 or later"):
        check_range(MAY_1, dt.date(2018, 5, 2), None)
    with pytest.raises(UserError, match="2018-04-30 or earlier"):
        check_range(MAY_1, None, dt.date(2018, 4, 30))
