"""The working-day calendar with this station's overrides and imported schedules."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select

from shequ_desktop.domain.calendar import (DayInfo, Deadline, OverrideDay, WorkingDayCalendar,
                                           parse_schedule_csv, schedule_years)
from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.models import CalendarOverride, CalendarYear
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext

@dataclass(frozen=True)
class YearReport:
    year: int
    covered: bool
    exceptions: list[DayInfo]


@dataclass(frozen=True)
class ImportReport:
    days: int
    years: list[int]


def working_calendar(ctx: AppContext) -> WorkingDayCalendar:
    """The layered calendar, cached per store and dropped whenever the overrides change."""
    cal = ctx.db.caches.get("calendar")
    if isinstance(cal, WorkingDayCalendar):
        return cal
    with ctx.transaction() as s:
        overrides = [OverrideDay(o.day, o.is_workday, o.note, o.document)
                     for o in s.execute(select(CalendarOverride)).scalars()]
        years = list(s.execute(select(CalendarYear.year)).scalars())
    cal = WorkingDayCalendar(overrides, years)
    ctx.db.caches["calendar"] = cal
    return cal


def _invalidate(ctx: AppContext) -> None:
    ctx.db.caches.pop("calendar", None)


def due_date(ctx: AppContext, start: dt.date, working_days: int) -> Deadline:
    return working_calendar(ctx).add_working_days(start, working_days)


def year_report(ctx: AppContext, year: int) -> YearReport:
    cal = working_calendar(ctx)
    return YearReport(year, cal.is_year_covered(year), cal.year_exceptions(year))


def coverage_warning(ctx: AppContext) -> int | None:
    """The next year when it is not covered yet and today is on or after 1 November."""
    return working_calendar(ctx).coverage_warning(local_today(ctx.clock))


def import_schedule(ctx: AppContext, path: Path) -> ImportReport:
    """Import a State Council schedule CSV: every row is checked before anything is written."""
    ctx.require(Permission.CALENDAR_EDIT)
    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise UserError("Cannot read the file {path}: {reason}", path=str(path), reason=e.strerror or str(e))
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            content = raw.decode("gb18030")  # saved from Excel on a Chinese Windows
        except UnicodeDecodeError:
            raise UserError("The file {path} is neither UTF-8 nor GB18030 text.", path=str(path)) from None
    days = parse_schedule_csv(content)
    years = sorted(schedule_years(days))
    now = ctx.clock.now()
    with ctx.transaction() as s:
        s.execute(delete(CalendarOverride).where(CalendarOverride.day.in_([d.day for d in days])))
        for d in days:
            s.add(CalendarOverride(day=d.day, is_workday=d.is_workday, note=d.note, document=d.document,
                                   changed_by=ctx.user.login, changed_at=now))
        document = next((d.document for d in days if d.document), "")
        for y in years:
            row = s.get(CalendarYear, y)
            if row is None:
                s.add(CalendarYear(year=y, document=document, imported_by=ctx.user.login, imported_at=now))
            else:
                row.document, row.imported_by, row.imported_at = document, ctx.user.login, now
        audit.append(s, ctx, audit.AuditAction.ADMIN, "calendar", ",".join(map(str, years)),
                     audit.describe(audit.MSG_CALENDAR_IMPORTED, days=len(days), file=Path(path).name,
                                    document=document))
    _invalidate(ctx)
    return ImportReport(len(days), years)


def set_day(ctx: AppContext, day: dt.date, is_workday: bool | None, note: str = "", document: str = "") -> None:
    """Override one day (None removes the override)."""
    ctx.require(Permission.CALENDAR_EDIT)
    with ctx.transaction() as s:
        s.execute(delete(CalendarOverride).where(CalendarOverride.day == day))
        if is_workday is not None:
            s.add(CalendarOverride(day=day, is_workday=is_workday, note=note, document=document,
                                   changed_by=ctx.user.login, changed_at=ctx.clock.now()))
        audit.append(s, ctx, audit.AuditAction.ADMIN, "calendar", day.isoformat(),
                     audit.describe(audit.MSG_CALENDAR_WORKDAY if is_workday else audit.MSG_CALENDAR_RESTDAY
                                    if is_workday is False else audit.MSG_CALENDAR_DEFAULT,
                                    day=day.isoformat(), note=note))
    _invalidate(ctx)
