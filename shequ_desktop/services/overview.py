"""What the main window shows at a glance: overdue items, calendar coverage, and the About facts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from shequ_desktop import __version__
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.db import current_revision
from shequ_desktop.services import calendar, counter_oversight
from shequ_desktop.services.context import AppContext


@dataclass(frozen=True)
class Alerts:
    overdue: int              # cases and disputes past their deadline this user answers for (all for the chief)
    calendar_missing_year: int | None
    by_kind: tuple[tuple[str, int], ...] = ()    # (module key, count) behind ``overdue``: the status bar's tooltip


@dataclass(frozen=True)
class AboutFacts:
    version: str
    database: Path
    data_folder: Path
    schema: str
    calendar_last_year: int
    calendar_missing_year: int | None


def alerts(ctx: AppContext) -> Alerts:
    """Computed locally, so it works offline; the chief sees the whole station's overdue cases."""
    overdue = 0
    parts: list[tuple[str, int]] = []
    if ctx.may(Permission.COUNTER_WORK):
        rows = counter_oversight.overdue_cases(ctx)
        if not ctx.may(Permission.CASES_ALL):
            mine = {r.id for r in counter_oversight.list_cases(ctx, "mine")} | \
                   {r.id for r in counter_oversight.list_cases(ctx, "covering")}
            rows = [r for r in rows if r.id in mine]
        parts.append(("counter", len(rows)))
    from shequ_desktop.services.mediation import oversight as mediation_oversight
    parts.append(("mediation", mediation_oversight.overdue_count(ctx)))   # dispute clocks run out like the counter's
    from shequ_desktop.services.special_groups import schedule as special_schedule
    parts.append(("special_groups", special_schedule.overdue_count(ctx)))  # late calls, visits, assessments, …
    from shequ_desktop.services.governance import hotline
    parts.append(("hotline", hotline.overdue_count(ctx)))   # hotline complaints past a clock (the chief, R40)
    overdue = sum(n for _key, n in parts)
    return Alerts(overdue, calendar.coverage_warning(ctx), tuple(parts))


def about(ctx: AppContext) -> AboutFacts:
    cal = calendar.working_calendar(ctx)
    return AboutFacts(__version__, ctx.db.path, ctx.db.path.parent, current_revision(ctx.db.engine) or "-",
                      cal.last_covered_year(), calendar.coverage_warning(ctx))
