"""Dates as people type them at a counter: 2018-05-01, 20180501, 2018.5.1, 2018/5/1, 2018年5月1日.

Full-width digits and the Chinese full stop (an input method's ２０１８。５。１) are accepted too.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from shequ_desktop.domain.errors import UserError

_SEPARATED = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONTH = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?|(\d{4})(\d{2})")


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace("。", ".").replace("－", "-").strip()


def parse_month_text(text: str, *, field: str | None = None) -> dt.date | None:
    """The first day of the month ``text`` names (2018-05, 201805, 2018.5, 2018年5月, or a whole date)."""
    value = _normal(text)
    match = _MONTH.fullmatch(value)
    if match is None:
        day = parse_date_text(text, field=field)
        return day.replace(day=1) if day else None
    year, month = (int(g) for g in match.groups() if g is not None)
    if not 1 <= month <= 12:
        raise UserError("{value} is not a real date (no such day in the calendar).", field=field, value=text.strip())
    return dt.date(year, month, 1)


def parse_date_text(text: str, *, field: str | None = None) -> dt.date | None:
    """The date ``text`` names, None for an empty text; UserError (with ``field``) for anything else."""
    value = _normal(text)
    if not value:
        return None
    match = _SEPARATED.fullmatch(value) or _COMPACT.fullmatch(value)
    if match is None:
        raise UserError("{value} is not a date; type it like 2018-05-01, 20180501 or 2018.5.1.",
                        field=field, value=text.strip())
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise UserError("{value} is not a real date (no such day in the calendar).",
                        field=field, value=text.strip()) from None


def check_range(day: dt.date, lowest: dt.date | None, highest: dt.date | None, *,
                field: str | None = None) -> None:
    """UserError when ``day`` lies outside [lowest, highest] (either bound may be open)."""
    if lowest is not None and day < lowest:
        raise UserError("The date must be {lowest} or later.", field=field, lowest=lowest.isoformat())
    if highest is not None and day > highest:
        raise UserError("The date must be {highest} or earlier.", field=field, highest=highest.isoformat())
