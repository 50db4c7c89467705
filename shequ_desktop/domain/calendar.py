"""Layered working-day calendar (DOMAIN §2.5): override → chinese_calendar → imported year → fallback.

Deadlines count the N-th working day strictly after the start day (民法典 §201); anything
that touched the fallback (Mon–Fri minus the statutory holidays and their days in lieu, see
statutory_holidays.py) is marked provisional (暂定) and must be recomputed later.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar as cc  # type: ignore[import-untyped]

from shequ_desktop.domain.errors import UserError, ValidationErrors
from shequ_desktop.domain.statutory_holidays import statutory_days

SCHEDULE_FIELD = "schedule"
_ONE_DAY = dt.timedelta(days=1)
_PACKAGE_FIRST_YEAR = 2004  # chinese_calendar 1.x starts here
_LAW_FIRST_YEAR = 2008  # the fallback knows the 2007, 2013 and 2024 versions of the holiday law

# The package names holidays in English; the UI wants the Chinese names.
_ZH_NAMES: dict[str, str] = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋",
}
_ZH_NAMES.update({h.value: h.chinese for h in cc.Holiday if getattr(h, "chinese", None)})


class DaySource(enum.Enum):
    OVERRIDE = "override"
    PACKAGE = "package"
    IMPORTED_YEAR = "imported_year"
    FALLBACK = "fallback"


@dataclass(frozen=True)
class OverrideDay:
    day: dt.date
    is_workday: bool
    note: str = ""
    document: str = ""  # e.g. 国办发明电〔2024〕12号


@dataclass(frozen=True)
class DayInfo:
    day: dt.date
    is_workday: bool
    source: DaySource
    name: str | None
    provisional: bool


@dataclass(frozen=True)
class Deadline:
    due: dt.date
    provisional: bool


def holiday_name_zh(name: str | None) -> str | None:
    if name is None:
        return None
    return _ZH_NAMES.get(name, name)


@lru_cache(maxsize=8192)
def _package_day(day: dt.date) -> tuple[bool, str | None] | None:
    """(is_workday, Chinese name) from chinese_calendar, or None for an uncovered year."""
    try:
        is_holiday, name = cc.get_holiday_detail(day)
    except NotImplementedError:
        return None
    return (not is_holiday, holiday_name_zh(name))


@lru_cache(maxsize=256)
def package_covers(year: int) -> bool:
    return _package_day(dt.date(year, 1, 1)) is not None


def _is_weekday(day: dt.date) -> bool:
    return day.weekday() < 5


class WorkingDayCalendar:
    """Immutable after construction; build a new one when overrides or imports change."""

    def __init__(
        self, overrides: Iterable[OverrideDay] = (), imported_years: Iterable[int] = ()
    ) -> None:
        self._overrides: dict[dt.date, OverrideDay] = {o.day: o for o in overrides}
        self._imported: frozenset[int] = frozenset(imported_years)

    def day_info(self, day: dt.date) -> DayInfo:
        override = self._overrides.get(day)
        if override is not None:
            return DayInfo(day, override.is_workday, DaySource.OVERRIDE, override.note or None, False)
        package = _package_day(day)
        if package is not None:
            return DayInfo(day, package[0], DaySource.PACKAGE, package[1], False)
        if day.year in self._imported:
            return DayInfo(day, _is_weekday(day), DaySource.IMPORTED_YEAR, None, False)
        statutory = statutory_days(day.year).get(day) if day.year >= _LAW_FIRST_YEAR else None
        if statutory is not None:
            return DayInfo(day, False, DaySource.FALLBACK, statutory.name, True)
        return DayInfo(day, _is_weekday(day), DaySource.FALLBACK, None, True)

    def is_workday(self, day: dt.date) -> bool:
        return self.day_info(day).is_workday

    def add_working_days(self, start: dt.date, n: int) -> Deadline:
        """N-th working day strictly after ``start`` (n < 0: strictly before); n = 0 rolls forward."""
        provisional = False
        if n == 0:
            day = start
            while True:
                info = self.day_info(day)
                provisional |= info.provisional
                if info.is_workday:
                    return Deadline(day, provisional)
                day += _ONE_DAY
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        remaining = abs(n)
        day = start
        while remaining:
            day += step
            info = self.day_info(day)
            provisional |= info.provisional
            if info.is_workday:
                remaining -= 1
        return Deadline(day, provisional)

    def working_days_between(self, start: dt.date, end: dt.date) -> tuple[int, bool]:
        """Working days in (start, end]; negative when end < start; plus the provisional flag."""
        if end < start:
            count, provisional = self.working_days_between(end, start)
            return -count, provisional
        count, provisional = 0, False
        day = start + _ONE_DAY
        while day <= end:
            info = self.day_info(day)
            provisional |= info.provisional
            count += info.is_workday
            day += _ONE_DAY
        return count, provisional

    def is_year_covered(self, year: int) -> bool:
        return package_covers(year) or year in self._imported

    def last_covered_year(self) -> int:
        """End of the unbroken run of covered years starting with the package's first year."""
        year = _PACKAGE_FIRST_YEAR - 1
        while self.is_year_covered(year + 1):
            year += 1
        return year

    def coverage_warning(self, today: dt.date) -> int | None:
        """The first uncovered year, once today is on or after Nov 1 of the last covered year."""
        last = self.last_covered_year()
        if today >= dt.date(last, 11, 1) and not self.is_year_covered(last + 1):
            return last + 1
        return None

    def year_exceptions(self, year: int) -> list[DayInfo]:
        """Weekday rest days and weekend make-up working days of ``year``, by date."""
        result: list[DayInfo] = []
        day, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
        while day <= end:
            info = self.day_info(day)
            if info.is_workday != _is_weekday(day):
                result.append(info)
            day += _ONE_DAY
        return result


# ---- import of the State Council schedule (国务院办公厅 放假安排通知) ----

_REST_WORDS = frozenset({"rest", "休", "休息", "holiday", "放假", "off"})
_WORK_WORDS = frozenset({"work", "班", "上班", "workday", "working", "调休上班"})
_DATE_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{4})年(\d{1,2})月(\d{1,2})日$")


def _parse_date(text: str) -> dt.date | None:
    match = _DATE_RE.match(unicodedata.normalize("NFKC", text))
    if match is None:
        return None
    parts = [g for g in match.groups() if g is not None]
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def _parse_kind(text: str) -> bool | None:
    word = unicodedata.normalize("NFKC", text).strip().lower()
    if word in _REST_WORDS:
        return False
    if word in _WORK_WORDS:
        return True
    return None


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """Non-blank CSV rows with their 1-based line numbers; tab-separated files work too."""
    text = text.lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    for cells in reader:
        cleaned = [c.strip() for c in cells]
        if any(cleaned):
            rows.append((reader.line_num, cleaned))
    return rows


def parse_schedule_csv(text: str) -> list[OverrideDay]:
    """Rows ``date, rest|work, notice number[, note]``; every bad row is reported at once."""
    rows = _rows(text)
    # A header has no digits in its first cell ("date", "日期"); a bad date still has some.
    if rows and not any(ch.isdigit() for ch in rows[0][1][0]):
        rows = rows[1:]
    if not rows:
        raise UserError("The schedule file contains no dates.", field=SCHEDULE_FIELD)
    errors: list[UserError] = []
    days: list[OverrideDay] = []
    seen: dict[dt.date, int] = {}
    for line, cells in rows:
        if len(cells) < 2:
            errors.append(UserError(
                "Line {line}: a row needs at least a date and rest/work.",
                field=SCHEDULE_FIELD, line=line))
            continue
        day = _parse_date(cells[0])
        kind = _parse_kind(cells[1])
        if day is None:
            errors.append(UserError(
                "Line {line}: {value} is not a date (use YYYY-MM-DD or YYYY/M/D).",
                field=SCHEDULE_FIELD, line=line, value=cells[0]))
        if kind is None:
            errors.append(UserError(
                "Line {line}: {value} is neither rest nor work (use 休 or 班).",
                field=SCHEDULE_FIELD, line=line, value=cells[1]))
        if day is None or kind is None:
            continue
        if day in seen:
            errors.append(UserError(
                "Line {line}: the date {day} already appears on line {other}.",
                field=SCHEDULE_FIELD, line=line, day=day.isoformat(), other=seen[day]))
            continue
        seen[day] = line
        document = cells[2] if len(cells) > 2 else ""
        note = cells[3] if len(cells) > 3 else ""
        days.append(OverrideDay(day=day, is_workday=kind, note=note, document=document))
    if errors:
        raise ValidationErrors(errors)
    return sorted(days, key=lambda o: o.day)


def schedule_years(days: Iterable[OverrideDay]) -> set[int]:
    return {o.day.year for o in days}
