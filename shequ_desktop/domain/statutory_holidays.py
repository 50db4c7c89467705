"""The statutory holidays of 《全国年节及纪念日放假办法》, for years with no published schedule.

Only the State Council's yearly notice knows the make-up working days (调休上班) and the long
"golden weeks"; what the law itself fixes is computed here: the holiday dates (lunar ones through
lunar_python) and one weekday off in lieu (补假) for every holiday day that falls on a weekend or on
another holiday, placed on the first free weekday after that holiday, as the notices usually do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from lunar_python import Lunar, Solar  # type: ignore[import-untyped]

_ONE_DAY = dt.timedelta(days=1)
IN_LIEU_SUFFIX = "补假"


@dataclass(frozen=True)
class StatutoryDay:
    day: dt.date
    name: str  # Chinese holiday name; the in-lieu day is "<name>补假"
    in_lieu: bool


def _solar(year: int, month: int, day: int) -> dt.date:
    solar = Lunar.fromYmd(year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> dt.date:
    solar = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()["清明"]
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _run(first: dt.date, days: int) -> list[dt.date]:
    return [first + _ONE_DAY * i for i in range(days)]


def _holidays(year: int) -> list[tuple[str, list[dt.date]]]:
    """(name, dates) per holiday in the version of the law in force in ``year``."""
    new_year = _solar(year, 1, 1)
    eve = new_year - _ONE_DAY  # 除夕 is the last day of the twelfth month (29th or 30th)
    if year >= 2025:  # 2024 revision (国务院令第795号)
        spring, labour = _run(eve, 4), _run(dt.date(year, 5, 1), 2)
    elif year >= 2014:  # 2013 revision: 初一 to 初三
        spring, labour = _run(new_year, 3), _run(dt.date(year, 5, 1), 1)
    else:  # 2007 revision: 除夕 to 初二
        spring, labour = _run(eve, 3), _run(dt.date(year, 5, 1), 1)
    return [
        ("元旦", [dt.date(year, 1, 1)]),
        ("春节", spring),
        ("清明", [_qingming(year)]),
        ("劳动节", labour),
        ("端午", [_solar(year, 5, 5)]),
        ("中秋", [_solar(year, 8, 15)]),
        ("国庆节", _run(dt.date(year, 10, 1), 3)),
    ]


@lru_cache(maxsize=64)
def statutory_days(year: int) -> dict[dt.date, StatutoryDay]:
    """Every rest day the law fixes for ``year`` (2008 on), including the days off in lieu."""
    result: dict[dt.date, StatutoryDay] = {}
    owed: list[tuple[str, dt.date]] = []  # (holiday, its last day) per day owed
    for name, days in _holidays(year):
        for day in days:
            if day.weekday() >= 5 or day in result:
                owed.append((name, days[-1]))
            result.setdefault(day, StatutoryDay(day, name, False))
    for name, last in owed:
        day = last + _ONE_DAY
        while day.weekday() >= 5 or day in result:
            day += _ONE_DAY
        result[day] = StatutoryDay(day, name + IN_LIEU_SUFFIX, True)
    return result
