"""The dual evaluation of a period (R30, R31): the subdistrict's sheet entered per indicator by the chief
(weight 40 %) and the residents' evaluation from the questionnaires' answers (60 %); the coverage of
distinct respondents over residents (or households) must reach 10 % before it can be finalised, and the
view says how many more answers each grid needs. Every figure is computed from the records it shows."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.errors import NotFound, UserError, plural
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.governance_models import Evaluation, EvaluationItem, Questionnaire, SurveyResponse
from shequ_desktop.persistence.models import Building, Grid, Household, Resident
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.governance.common import policy

NO_GRID = ""          # respondents the platform could not place in a grid


@dataclass(frozen=True)
class ItemInput:
    indicator: str
    max_points: float
    points: float


@dataclass(frozen=True)
class ItemView:
    id: str
    indicator: str
    max_points: float
    points: float


@dataclass(frozen=True)
class Respondent:
    key: str                      # resident:<id> / platform:<id> / household:<id>
    grid_id: str
    channel: str
    score: float | None


@dataclass(frozen=True)
class GridCoverage:
    grid_id: str
    grid_name: str
    base: int
    respondents: int
    required: int

    @property
    def more_needed(self) -> int:
        return max(self.required - self.respondents, 0)

    @property
    def percent(self) -> float | None:
        return None if self.base == 0 else self.respondents * 100 / self.base


@dataclass(frozen=True)
class CoverageView:
    basis: str                    # persons / households
    base: int
    target_pct: float
    respondents: tuple[Respondent, ...]   # the records behind the figure (distinct respondents)
    grids: tuple[GridCoverage, ...]

    @property
    def count(self) -> int:
        return len(self.respondents)

    @property
    def required(self) -> int:
        return g.required_respondents(self.base, self.target_pct)

    @property
    def more_needed(self) -> int:
        return max(self.required - self.count, 0)

    @property
    def percent(self) -> float | None:
        return None if self.base == 0 else self.count * 100 / self.base

    @property
    def met(self) -> bool:
        return g.coverage_met(self.count, self.base, self.target_pct)


@dataclass(frozen=True)
class EvaluationView:
    id: str
    period: str
    state: str
    survey_ids: tuple[str, ...]
    items: tuple[ItemView, ...]
    subdistrict_score: float | None
    residents_score: float | None
    answers: int
    score: float | None
    subdistrict_weight: float
    resident_weight: float
    coverage: CoverageView
    finalised_at: dt.datetime | None
    finalised_by: str
    final_score: float | None
    note: str

    @property
    def final(self) -> bool:
        return self.state == g.EVAL_FINAL


def _load(s, evaluation_id: str) -> Evaluation:  # noqa: ANN001
    e = s.get(Evaluation, evaluation_id)
    if e is None or e.deleted_at is not None:
        raise NotFound("The evaluation was not found.")
    return e


def create(ctx: AppContext, period: str, survey_ids: tuple[str, ...] | None = None, note: str = "") -> EvaluationView:
    """A draft evaluation of ``period``; by default it takes every questionnaire of that period."""
    ctx.require(Permission.OVERSIGHT)
    try:
        g.parse_period(period)
    except ValueError:
        raise UserError("Write the period like 2026Q3, 2026-07 or 2026.", field="period") from None
    with ctx.transaction() as s:
        if s.execute(select(Evaluation.id).where(Evaluation.period == period.strip(),
                                                 Evaluation.deleted_at.is_(None))).first():
            raise UserError("There is already an evaluation of {period}.", field="period", period=period)
        if survey_ids is None:
            survey_ids = tuple(s.execute(select(Questionnaire.id).where(Questionnaire.period == period.strip(),
                                                                        Questionnaire.deleted_at.is_(None))
                                         .order_by(Questionnaire.created_at)).scalars())
        for sid in survey_ids:
            if s.get(Questionnaire, sid) is None:
                raise NotFound("The questionnaire was not found.")
        e = Evaluation(community_id=ctx.community_id, period=period.strip(), state=g.EVAL_DRAFT,
                       survey_ids=list(survey_ids), note=note.strip())
        s.add(e)
        s.flush()
        return _view(ctx, s, e)


def set_items(ctx: AppContext, evaluation_id: str, items: list[ItemInput]) -> EvaluationView:
    """The subdistrict's sheet: every indicator with its points of its maximum (replaces the earlier entry)."""
    ctx.require(Permission.OVERSIGHT)
    for i, it in enumerate(items, 1):
        if not it.indicator.strip() or len(it.indicator.strip()) > 100:
            raise UserError("Row {n}: name the indicator (at most 100 characters).", field="items", n=i)
        if not 0 < it.max_points <= 100:
            raise UserError("Row {n}: the maximum must be above 0 and at most 100.", field="items", n=i)
        if not 0 <= it.points <= it.max_points:
            raise UserError("Row {n}: the points must be between 0 and the maximum.", field="items", n=i)
    if sum(it.max_points for it in items) > 100 + 1e-9:
        raise UserError("The maximum points add up to more than 100.", field="items")
    now = ctx.clock.now()
    with ctx.transaction() as s:
        e = _load(s, evaluation_id)
        _require_draft(e)
        for old in s.execute(select(EvaluationItem).where(EvaluationItem.evaluation_id == e.id,
                                                          EvaluationItem.deleted_at.is_(None))).scalars():
            old.deleted_at = now
        for i, it in enumerate(items):
            s.add(EvaluationItem(community_id=ctx.community_id, evaluation_id=e.id, position=i,
                                 indicator=it.indicator.strip(), max_points=float(it.max_points),
                                 points=float(it.points)))
        s.flush()
        return _view(ctx, s, e)


def _require_draft(e: Evaluation) -> None:
    if e.state == g.EVAL_FINAL:
        raise UserError("The evaluation of {period} is final and can no longer be changed.", period=e.period)


def finalise(ctx: AppContext, evaluation_id: str) -> EvaluationView:
    """Final: refused below the coverage (R31) or without the subdistrict's sheet; the figures are kept."""
    ctx.require(Permission.OVERSIGHT)
    with ctx.transaction() as s:
        e = _load(s, evaluation_id)
        _require_draft(e)
        v = _view(ctx, s, e)
        if not v.coverage.met:
            pct = "{:.1f} %".format(v.coverage.percent or 0)
            raise UserError(plural("The residents' evaluation covers {count} of {base} ({pct}); {required} are "
                                   "needed — {more} more answer. It cannot be final yet.",
                                   "The residents' evaluation covers {count} of {base} ({pct}); {required} are "
                                   "needed — {more} more answers. It cannot be final yet.", "more"), field="coverage",
                            count=v.coverage.count, base=v.coverage.base,
                            pct=pct, required=v.coverage.required,
                            more=v.coverage.more_needed)
        if v.subdistrict_score is None:
            raise UserError("Enter the subdistrict's assessment first.", field="items")
        if v.residents_score is None:
            raise UserError("No answer has a satisfaction rating yet.", field="coverage")
        e.state, e.finalised_at, e.finalised_by = g.EVAL_FINAL, ctx.clock.now(), ctx.user.login
        e.final_subdistrict, e.final_residents, e.final_score = v.subdistrict_score, v.residents_score, v.score
        e.final_respondents, e.final_base = v.coverage.count, v.coverage.base
        s.flush()
        return _view(ctx, s, e)


def get(ctx: AppContext, evaluation_id: str) -> EvaluationView:
    ctx.require(Permission.OVERSIGHT_WORK)
    with ctx.transaction() as s:
        return _view(ctx, s, _load(s, evaluation_id))


def list_evaluations(ctx: AppContext) -> list[EvaluationView]:
    ctx.require(Permission.OVERSIGHT_WORK)
    with ctx.transaction() as s:
        rows = s.execute(select(Evaluation).where(Evaluation.deleted_at.is_(None))
                         .order_by(Evaluation.period.desc())).scalars().all()
        return [_view(ctx, s, e) for e in rows]


# --- the figures --------------------------------------------------------------------------------------

def _bases(s, basis: str) -> dict[str, int]:  # noqa: ANN001
    """Residents (or households) per grid id."""
    if basis == g.HOUSEHOLDS:
        q = (select(Building.grid_id, func.count(Household.id)).join(Building, Building.id == Household.building_id)
             .where(Household.deleted_at.is_(None)).group_by(Building.grid_id))
    else:
        q = select(Resident.grid_id, func.count(Resident.id)).where(Resident.deleted_at.is_(None)).group_by(
            Resident.grid_id)
    return {gid or NO_GRID: int(n) for gid, n in s.execute(q).all()}


def _respondents(s, survey_ids: list[str], basis: str) -> list[Respondent]:  # noqa: ANN001
    if not survey_ids:
        return []
    rows = s.execute(select(SurveyResponse.respondent_key, SurveyResponse.household_id, SurveyResponse.grid_id,
                            SurveyResponse.channel, SurveyResponse.score)
                     .where(SurveyResponse.survey_id.in_(survey_ids), SurveyResponse.deleted_at.is_(None))
                     .order_by(SurveyResponse.answered_on, SurveyResponse.created_at)).all()
    seen: dict[str, Respondent] = {}
    for key, household, grid, channel, score in rows:
        unit = f"household:{household}" if basis == g.HOUSEHOLDS and household else key
        if unit not in seen:
            seen[unit] = Respondent(unit, grid or NO_GRID, channel, score)
    return list(seen.values())


def coverage(ctx: AppContext, s, survey_ids: list[str]) -> CoverageView:  # noqa: ANN001
    pol = policy(ctx)
    basis, pct = pol.text_value("evaluation_coverage_base"), pol.float_value("evaluation_coverage_pct")
    bases = _bases(s, basis)
    people = _respondents(s, survey_ids, basis)
    per_grid = Counter(r.grid_id for r in people)
    grid_rows = s.execute(select(Grid.id, Grid.name, Grid.code).where(Grid.deleted_at.is_(None))).all()
    names = {gid: name for gid, name, _code in grid_rows}
    codes = {gid: code for gid, _name, code in grid_rows}
    grid_ids = sorted(set(bases) | set(per_grid), key=lambda gid: (gid == NO_GRID, codes.get(gid, ""), gid))
    grids = tuple(GridCoverage(gid, names.get(gid, ""), bases.get(gid, 0), per_grid.get(gid, 0),
                               g.required_respondents(bases.get(gid, 0), pct)) for gid in grid_ids)
    return CoverageView(basis, sum(bases.values()), pct, tuple(people), grids)


def _view(ctx: AppContext, s, e: Evaluation) -> EvaluationView:  # noqa: ANN001
    pol = policy(ctx)
    items = tuple(ItemView(i.id, i.indicator, i.max_points, i.points) for i in s.execute(
        select(EvaluationItem).where(EvaluationItem.evaluation_id == e.id, EvaluationItem.deleted_at.is_(None))
        .order_by(EvaluationItem.position)).scalars())
    total_max = sum(i.max_points for i in items)
    sub = round(sum(i.points for i in items) / total_max * 100, 2) if total_max else None
    cov = coverage(ctx, s, list(e.survey_ids or ()))
    scores = [r.score for r in cov.respondents if r.score is not None]
    res = round(sum(scores) / len(scores), 2) if scores else None
    sw, rw = pol.float_value("subdistrict_weight_pct"), pol.float_value("resident_weight_pct")
    return EvaluationView(e.id, e.period, e.state, tuple(e.survey_ids or ()), items, sub, res, len(scores),
                          g.composite(sub, res, sw, rw), sw, rw, cov, e.finalised_at, e.finalised_by, e.final_score,
                          e.note)
