"""Lists with live clocks, the chief's list of clocks running out, the due list, the success rate (§1.3)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import String, Text, cast, or_, select
from sqlalchemy.orm import Session

from shequ_desktop.domain import mediation as m
from shequ_desktop.domain.clock import SHANGHAI, local_today, to_local
from shequ_desktop.domain.clocks import ClockRule, Deadline, running_out
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.indicators import Indicator, IndicatorRecord, indicator, target_from_percent
from shequ_desktop.domain.masking import mask_name
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.mediation_models import MediationCase, MediationParty
from shequ_desktop.persistence.models import Grid
from shequ_desktop.services import calendar, worker_refs
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.policy import current_policy

SCOPES = ("mine", "all")
FILTERS = ("open", "closed", "archived", "any")


@dataclass(frozen=True)
class CaseRow:
    id: str
    case_no: str
    kind: str
    level: str
    state: str
    parties: str                 # masked names
    mediator_names: str
    registered_at: dt.datetime
    clock_kind: str
    due_at: dt.datetime | None   # None: no running clock
    provisional: bool
    paused: bool
    running_out: bool
    overdue: bool
    archived: bool
    file_no: str


def _scope(q, ctx: AppContext, scope: str):  # noqa: ANN001, ANN202
    if scope not in SCOPES:
        raise UserError("Unknown list {scope}.", scope=scope)
    if scope == "all":
        ctx.require(Permission.MEDIATION_ALL)
        return q
    mine = or_(MediationCase.registered_by == ctx.user.login,
               cast(MediationCase.mediator_logins, String).like(f'%"{ctx.user.login}"%'))
    if ctx.user.grid_id:
        mine = or_(mine, MediationCase.grid_id == ctx.user.grid_id)
    return q.where(mine)


def _rows(s: Session, ctx: AppContext, cases: list[MediationCase]) -> list[CaseRow]:
    now = ctx.clock.now()
    cal = calendar.working_calendar(ctx)
    soon = int(current_policy(ctx).get("due_soon_wd"))
    names: dict[str, list[str]] = {}
    ids = [c.id for c in cases]
    for i in range(0, len(ids), 500):
        for case_id, name in s.execute(select(MediationParty.case_id, MediationParty.name).where(
                MediationParty.case_id.in_(ids[i:i + 500]), MediationParty.role == m.PARTY)
                .order_by(MediationParty.position)).all():
            names.setdefault(case_id, []).append(mask_name(name))
    rows = []
    for c in cases:
        running = c.clock_due_at is not None and c.clock_met_at is None and c.state == m.OPEN
        due = c.clock_due_at if running else None
        out = late = False
        if due is not None and c.clock_paused_at is None:
            d = Deadline(due, c.clock_provisional, ClockRule.parse(c.clock_rule))
            late = now > due
            out = running_out(d, now, cal, soon)
        rows.append(CaseRow(c.id, c.case_no, c.kind, c.level, c.state, "、".join(names.get(c.id, [])),
                            c.mediator_names, c.registered_at, c.clock_kind if running else "", due,
                            c.clock_provisional, c.clock_paused_at is not None, out, late,
                            c.archived_at is not None, c.file_no))
    return rows


def list_cases(ctx: AppContext, scope: str = "mine", which: str = "open", limit: int = 2000) -> list[CaseRow]:
    ctx.require(Permission.MEDIATION_WORK)
    if which not in FILTERS:
        raise UserError("Unknown list {scope}.", scope=which)
    with ctx.transaction() as s:
        q = _scope(select(MediationCase).where(MediationCase.deleted_at.is_(None)), ctx, scope)
        if which == "open":
            q = q.where(MediationCase.state == m.OPEN)
        elif which == "closed":
            q = q.where(MediationCase.state != m.OPEN, MediationCase.archived_at.is_(None))
        elif which == "archived":
            q = q.where(MediationCase.archived_at.is_not(None))
        q = q.order_by(MediationCase.registered_at.desc()).limit(limit)
        return _rows(s, ctx, list(s.execute(q).scalars()))


def _running(q):  # noqa: ANN001, ANN202
    return q.where(MediationCase.deleted_at.is_(None), MediationCase.state == m.OPEN,
                   MediationCase.clock_due_at.is_not(None), MediationCase.clock_met_at.is_(None),
                   MediationCase.clock_paused_at.is_(None))


def chief_list(ctx: AppContext) -> dict[str, list[CaseRow]]:
    """Every case whose clock is running out or ran out, by level (grid, community, subdistrict)."""
    ctx.require(Permission.MEDIATION_ALL)
    # Nothing further away than the longest working-day rule can be "running out": bound the query.
    horizon = ctx.clock.now() + dt.timedelta(days=15)
    with ctx.transaction() as s:
        cases = list(s.execute(_running(select(MediationCase)).where(MediationCase.clock_due_at <= horizon)
                               .order_by(MediationCase.clock_due_at)).scalars())
        rows = [r for r in _rows(s, ctx, cases) if r.running_out]
    return {level: [r for r in rows if r.level == level] for level in m.LEVELS}


def overdue_count(ctx: AppContext) -> int:
    """For the status bar: overdue clocks of the cases this user answers for (all of them for the chief)."""
    if not ctx.may(Permission.MEDIATION_WORK):
        return 0
    with ctx.transaction() as s:
        q = _running(select(MediationCase.id)).where(MediationCase.clock_due_at < ctx.clock.now())
        q = _scope(q, ctx, "all" if ctx.may(Permission.MEDIATION_ALL) else "mine")
        return len(s.execute(q).all())


@dataclass(frozen=True)
class DueLine:
    due_at: dt.datetime
    level: str
    case_no: str
    overdue: bool

    def line(self) -> str:
        """DUE<TAB>LEVEL<TAB>CASE_NO<TAB>STATE (the format of ``shequ-admin mediation due``)."""
        return f"{to_local(self.due_at):%Y-%m-%d %H:%M}\t{self.level}\t{self.case_no}\t" + \
            ("overdue" if self.overdue else "due")


def due_by(ctx: AppContext, day: dt.date | None = None) -> list[DueLine]:
    """Cases whose running clock ends by the end of ``day`` (default today): overdue first, then by due."""
    day = day or local_today(ctx.clock)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)
    now = ctx.clock.now()
    with ctx.transaction() as s:
        rows = s.execute(_running(select(MediationCase.clock_due_at, MediationCase.level, MediationCase.case_no))
                         .where(MediationCase.clock_due_at < end)).all()
    lines = [DueLine(due, level, no, due < now) for due, level, no in rows]
    return sorted(lines, key=lambda x: (not x.overdue, x.due_at, x.case_no))


@dataclass(frozen=True)
class SuccessRates:
    station: Indicator
    by_mediator: dict[str, Indicator]       # mediator login → indicator (a case counts for each of its mediators)
    by_grid: dict[str, Indicator]           # grid name → indicator
    mediator_names: dict[str, str] = field(default_factory=dict)   # login → label (two 张伟 stay two)


def success_rate(ctx: AppContext, start: dt.date, end: dt.date) -> SuccessRates:
    """调解成功率 (§1.3, R35): settled (written or oral) ÷ concluded (settled + failed) in the period;
    cases a party refused (§17) and running cases are outside it. Each figure carries its cases."""
    ctx.require(Permission.MEDIATION_WORK)
    lo = dt.datetime.combine(start, dt.time(0), tzinfo=SHANGHAI)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)
    target = target_from_percent(current_policy(ctx).float_value("mediation_success_pct"))
    with ctx.transaction() as s:
        # mediator logins as their JSON text: a handful of distinct values, parsed once each below
        q = select(MediationCase.id, MediationCase.case_no, MediationCase.state,
                   cast(MediationCase.mediator_logins, Text), MediationCase.grid_id, MediationCase.closed_at).where(
            MediationCase.deleted_at.is_(None), MediationCase.closed_at >= lo, MediationCase.closed_at < hi,
            MediationCase.state.in_((*m.SETTLED, m.FAILED))).order_by(MediationCase.closed_at)
        if not ctx.may(Permission.MEDIATION_ALL):
            q = _scope(q, ctx, "mine")
        rows = s.connection().execute(q).all()      # Core rows: no ORM loading for 5,000 tuples
        workers = worker_refs.directory(s)
        grids = dict(s.execute(select(Grid.id, Grid.name)).all())
        names = worker_refs.labels(s, {w.login for ids in {r[3] for r in rows} if ids
                                       for w in (workers.resolve(x) for x in json.loads(ids))})
    parsed: dict[str, list[str]] = {}
    station: list[IndicatorRecord] = []
    per_mediator: dict[str, list[IndicatorRecord]] = {}
    per_grid: dict[str, list[IndicatorRecord]] = {}
    for case_id, case_no, state, mediators, grid_id, closed_at in rows:
        ok = state in m.SETTLED
        grid = grids.get(grid_id or "", "")
        ids = parsed.get(mediators or "")
        if ids is None:
            ids = parsed[mediators or ""] = json.loads(mediators) if mediators else []
        credited = [workers.resolve(mid) for mid in ids]
        owners = tuple(w.name for w in credited)
        record = IndicatorRecord(case_id, case_no, ok, owner=owners[0] if owners else "", group=grid,
                                 detail={"state": state, "closed_at": closed_at, "owners": owners,
                                         "logins": tuple(w.login for w in credited)})
        station.append(record)
        per_grid.setdefault(grid, []).append(record)
        for w in credited:    # the case counts for each of its mediators (the same record in each list)
            per_mediator.setdefault(w.login, []).append(record)
    # one pass builds every split (the same records Indicator.by_owner / by_group would select)
    return SuccessRates(indicator("mediation_success", target, station),
                        {k: indicator("mediation_success", target, v) for k, v in sorted(per_mediator.items())},
                        {k: indicator("mediation_success", target, v) for k, v in sorted(per_grid.items())},
                        {login: names.get(login, login) for login in per_mediator})
