"""The daily patrol log of the grid social workers (R25): entries, leads, and the days without a patrol."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.mediation_models import MediationCase, PatrolEntry
from shequ_desktop.persistence.models import Grid
from shequ_desktop.services import calendar
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.policy import current_policy

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class LeadView:
    index: int
    text: str
    case_no: str           # "" while the lead is not a case yet
    case_id: str | None


@dataclass(frozen=True)
class PatrolView:
    id: str
    day: dt.date
    worker_name: str
    grid_id: str | None
    route: str
    seen: str
    leads: tuple[LeadView, ...]


@dataclass(frozen=True)
class MissingPatrol:
    grid_id: str
    grid_name: str
    day: dt.date


def add_entry(ctx: AppContext, day: dt.date, route: str, seen: str, leads: list[str]) -> PatrolView:
    """Today's (or an earlier day's) patrol of the logged-in worker in their grid."""
    ctx.require(Permission.MEDIATION_WORK)
    if day > local_today(ctx.clock):
        raise UserError("A patrol cannot be logged for a future day.", field="day")
    if not route.strip():
        raise UserError("Give the route or area patrolled.", field="route")
    clean = [x.strip() for x in leads if x.strip()]
    with ctx.transaction() as s:
        row = PatrolEntry(community_id=ctx.community_id, worker_login=ctx.user.login, worker_name=ctx.user.display_name,
                          grid_id=ctx.user.grid_id, day=day, route=route.strip(), seen=seen.strip(), leads=clean)
        s.add(row)
        s.flush()
        return _view(s, row)


def _view(s, row: PatrolEntry) -> PatrolView:  # noqa: ANN001
    refs = {f"{row.id}#{i}": i for i in range(len(row.leads or []))}
    cases = {r.source_ref: (r.case_no, r.id) for r in s.execute(
        select(MediationCase.source_ref, MediationCase.case_no, MediationCase.id)
        .where(MediationCase.source_ref.in_(list(refs)))).all()} if refs else {}
    leads = tuple(LeadView(i, str(text), *cases.get(f"{row.id}#{i}", ("", None)))
                  for i, text in enumerate(row.leads or []))
    return PatrolView(row.id, row.day, row.worker_name, row.grid_id, row.route, row.seen, leads)


def entries(ctx: AppContext, start: dt.date, end: dt.date, mine_only: bool = True) -> list[PatrolView]:
    ctx.require(Permission.MEDIATION_WORK)
    if not mine_only:
        ctx.require(Permission.MEDIATION_ALL)
    with ctx.transaction() as s:
        q = select(PatrolEntry).where(PatrolEntry.day >= start, PatrolEntry.day <= end,
                                      PatrolEntry.deleted_at.is_(None)).order_by(PatrolEntry.day.desc())
        if mine_only:
            q = q.where(PatrolEntry.worker_login == ctx.user.login)
        return [_view(s, r) for r in s.execute(q).scalars()]


def missing_days(ctx: AppContext, start: dt.date, end: dt.date, grid_id: str | None = None) -> list[MissingPatrol]:
    """Per grid, the working days (or calendar days, a policy setting) up to today without any patrol entry."""
    ctx.require(Permission.MEDIATION_WORK)
    end = min(end, local_today(ctx.clock))
    every_day = str(current_policy(ctx).get("patrol_check_days")) == "calendar"
    cal = calendar.working_calendar(ctx)
    with ctx.transaction() as s:
        grids = [(g.id, g.name) for g in s.execute(select(Grid).where(Grid.deleted_at.is_(None))
                                                    .order_by(Grid.code)).scalars()
                 if grid_id is None or g.id == grid_id]
        logged = {(g, d) for g, d in s.execute(select(PatrolEntry.grid_id, PatrolEntry.day).where(
            PatrolEntry.day >= start, PatrolEntry.day <= end, PatrolEntry.deleted_at.is_(None))).all()}
    days = []
    day = start
    while day <= end:
        if every_day or cal.is_workday(day):
            days.append(day)
        day += _ONE_DAY
    return [MissingPatrol(gid, name, d) for gid, name in grids for d in days if (gid, d) not in logged]
