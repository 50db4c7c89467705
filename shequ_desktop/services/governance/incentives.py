"""Incentives (R43–R45): the annual rating of each social worker with the performance award (20 % of the
monthly salary base the administrator enters), the flag for two excellent years running, and the
社区治理之星 proposals from the residents' ranking (ranking and tie rule are policy settings), with the
titles awarded kept by year."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.errors import NotFound, UserError
from shequ_desktop.domain.roles import Permission, Role
from shequ_desktop.persistence.governance_models import HonourTitle, ResidentRanking, StaffRating
from shequ_desktop.persistence.models import Resident
from shequ_desktop.services import staff
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.governance.common import policy, today


@dataclass(frozen=True)
class RatingView:
    id: str
    year: int
    worker_login: str
    worker_name: str
    rating: str
    salary_base: float | None
    award: float | None           # None: no salary base entered yet
    recommended: bool             # excellent ``honours_consecutive_years`` years running (R44)
    note: str


@dataclass(frozen=True)
class RankingView:
    id: str
    year: int
    name: str
    resident_id: str | None
    score: float
    votes: int
    deeds: str
    proposed: bool
    awarded: bool


@dataclass(frozen=True)
class TitleView:
    id: str
    year: int
    title: str
    name: str
    awarded_on: object


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise UserError("Give a year between 2000 and 2100.", field="year")


def rate_worker(ctx: AppContext, year: int, worker_login: str, rating: str, note: str = "") -> RatingView:
    """The worker's rating of ``year`` (one per year: a second call changes it)."""
    ctx.require(Permission.OVERSIGHT)
    _check_year(year)
    if rating not in g.RATINGS:
        raise UserError("Choose the rating.", field="rating")
    if year > today(ctx).year:
        raise UserError("A year that has not begun cannot be rated.", field="year")
    with ctx.transaction() as s:
        name = staff.names(s).get(worker_login)
        if name is None:
            raise NotFound("The social worker was not found.")
        row = s.execute(select(StaffRating).where(StaffRating.year == year, StaffRating.worker_login == worker_login,
                                                  StaffRating.deleted_at.is_(None))).scalars().first()
        if row is None:
            row = StaffRating(community_id=ctx.community_id, year=year, worker_login=worker_login,
                              worker_name=name, rating=rating, note=note.strip())
            s.add(row)
        else:
            row.rating, row.note = rating, note.strip()
        s.flush()
        rid = row.id
    return next(r for r in ratings(ctx, year) if r.id == rid)


def set_salary_base(ctx: AppContext, rating_id: str, monthly_yuan: float) -> RatingView:
    """The monthly salary base the award is computed from (the administrator enters it, DOMAIN A10)."""
    ctx.require(Permission.POLICY_EDIT)
    if not 0 < monthly_yuan <= 1_000_000:
        raise UserError("Enter the monthly salary in yuan (above 0).", field="salary_base")
    with ctx.transaction() as s:
        row = s.get(StaffRating, rating_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("The rating was not found.")
        row.salary_base = round(float(monthly_yuan), 2)
        s.flush()
        year = row.year
    return next(r for r in ratings(ctx, year) if r.id == rating_id)


def ratings(ctx: AppContext, year: int) -> list[RatingView]:
    ctx.require(Permission.OVERSIGHT)
    pol = policy(ctx)
    years, pct = pol.int_value("honours_consecutive_years"), pol.float_value("excellent_award_pct")
    with ctx.transaction() as s:
        rows = s.execute(select(StaffRating).where(StaffRating.year <= year, StaffRating.year > year - years,
                                                   StaffRating.deleted_at.is_(None))).scalars().all()
    history: dict[str, dict[int, str]] = {}
    for r in rows:
        history.setdefault(r.worker_login, {})[r.year] = r.rating
    out = [RatingView(r.id, r.year, r.worker_login, r.worker_name, r.rating, r.salary_base,
                      g.performance_award(r.rating, r.salary_base, pct),
                      g.consecutive_excellent(history[r.worker_login], year, years), r.note)
           for r in rows if r.year == year]
    return sorted(out, key=lambda r: (g.RATINGS.index(r.rating), r.worker_name))


def rateable_workers(ctx: AppContext) -> list[tuple[str, str]]:
    """(login, name) of the community's active social workers, clerks and the chief (the staff directory)."""
    ctx.require(Permission.OVERSIGHT)
    return sorted(((e.login, e.display_name) for e in staff.directory(ctx) if e.role != Role.ADMIN),
                  key=lambda x: x[1])


# --- residents' ranking and 社区治理之星 (R45) ----------------------------------------------------------

def add_to_ranking(ctx: AppContext, year: int, score: float, votes: int = 0, resident_id: str | None = None,
                   name: str = "", deeds: str = "") -> RankingView:
    ctx.require(Permission.OVERSIGHT)
    _check_year(year)
    if not 0 <= score <= 100:
        raise UserError("The score must be between 0 and 100.", field="score")
    if not 0 <= votes <= 1_000_000:
        raise UserError("The votes must be 0 or more.", field="votes")
    with ctx.transaction() as s:
        if resident_id is not None:
            r = s.get(Resident, resident_id)
            if r is None or r.deleted_at is not None:
                raise NotFound("The resident was not found (maybe removed).")
            name = r.name
            if s.execute(select(ResidentRanking.id).where(ResidentRanking.year == year,
                                                          ResidentRanking.resident_id == resident_id,
                                                          ResidentRanking.deleted_at.is_(None))).first():
                raise UserError("{name} is already in the ranking of {year}.", field="resident", name=name,
                                year=year)
        if not name.strip() or len(name.strip()) > 64:
            raise UserError("Give the resident's name.", field="name")
        row = ResidentRanking(community_id=ctx.community_id, year=year, resident_id=resident_id, name=name.strip(),
                              score=float(score), votes=int(votes), deeds=deeds.strip())
        s.add(row)
        s.flush()
        rid = row.id
    return next(r for r in ranking(ctx, year) if r.id == rid)


def ranking(ctx: AppContext, year: int) -> list[RankingView]:
    """The year's ranking in order, each marked proposed (top N % per the rules) and awarded."""
    ctx.require(Permission.OVERSIGHT)
    pol = policy(ctx)
    rule, tie = pol.text_value("star_ranking_rule"), pol.text_value("star_tie_rule")
    with ctx.transaction() as s:
        rows = s.execute(select(ResidentRanking).where(ResidentRanking.year == year,
                                                       ResidentRanking.deleted_at.is_(None))).scalars().all()
        awarded = {(t.resident_id or t.name) for t in s.execute(
            select(HonourTitle).where(HonourTitle.year == year, HonourTitle.title == g.STAR_TITLE,
                                      HonourTitle.deleted_at.is_(None))).scalars()}
    cands = [g.Candidate(r.id, r.name, r.score, r.votes) for r in rows]
    proposed = {c.ref for c in g.star_proposals(cands, pol.float_value("star_resident_pct"), rule, tie)}
    by_id = {r.id: r for r in rows}
    return [RankingView(c.ref, year, c.name, by_id[c.ref].resident_id, c.score, c.votes, by_id[c.ref].deeds,
                        c.ref in proposed, (by_id[c.ref].resident_id or c.name) in awarded)
            for c in g.rank(cands, rule)]


def award_stars(ctx: AppContext, year: int, ranking_ids: list[str] | None = None) -> list[TitleView]:
    """Award 社区治理之星 of ``year`` to the proposals (or the ids given, which must be proposals)."""
    ctx.require(Permission.OVERSIGHT)
    rows = ranking(ctx, year)
    proposed = {r.id: r for r in rows if r.proposed}
    chosen = list(proposed) if ranking_ids is None else ranking_ids
    if not chosen:
        raise UserError("Nobody is proposed for {year}.", field="ranking", year=year)
    for rid in chosen:
        if rid not in proposed:
            raise UserError("Only the proposals (the top of the ranking) can be awarded.", field="ranking")
        if proposed[rid].awarded:
            raise UserError("{name} already holds the title for {year}.", field="ranking",
                            name=proposed[rid].name, year=year)
    day = today(ctx)
    with ctx.transaction() as s:
        for rid in chosen:
            r = proposed[rid]
            s.add(HonourTitle(community_id=ctx.community_id, year=year, title=g.STAR_TITLE, resident_id=r.resident_id,
                              name=r.name, awarded_on=day))
        s.flush()
    return [t for t in titles(ctx) if t.year == year]


def titles(ctx: AppContext) -> list[TitleView]:
    """Every title awarded, newest year first."""
    ctx.require(Permission.OVERSIGHT_WORK)
    with ctx.transaction() as s:
        return [TitleView(t.id, t.year, t.title, t.name, t.awarded_on) for t in s.execute(
            select(HonourTitle).where(HonourTitle.deleted_at.is_(None))
            .order_by(HonourTitle.year.desc(), HonourTitle.name)).scalars()]
