"""Residents' questionnaires (R31): defined in the program, answered on paper (entered here) or online
(through the hub from the residents' platform, synced down). One answer per respondent and questionnaire."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.errors import NotFound, UserError
from shequ_desktop.domain.masking import mask_name
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.governance_models import Questionnaire, SurveyResponse
from shequ_desktop.persistence.models import Resident
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.governance.common import today

_KEY_RE = re.compile(r"^[a-z0-9_]{1,16}$")


@dataclass(frozen=True)
class Question:
    text: str
    kind: str = g.SCORE5
    options: tuple[str, ...] = ()
    key: str = ""                 # "" → q1, q2 … by position


@dataclass(frozen=True)
class QuestionnaireView:
    id: str
    title: str
    period: str
    intro: str
    questions: tuple[Question, ...]
    state: str
    opens_on: dt.date
    closes_on: dt.date
    answers: int
    online: int


@dataclass(frozen=True)
class ResponseView:
    id: str
    survey_id: str
    channel: str
    respondent: str               # masked name (paper) or the platform's respondent
    grid_id: str | None
    answered_on: dt.date
    score: float | None
    paper_no: str


def _questions(raw: list[dict[str, object]]) -> tuple[Question, ...]:
    return tuple(Question(str(q.get("text", "")), str(q.get("kind", g.SCORE5)),
                          tuple(str(o) for o in (q.get("options") or ())), str(q.get("key", ""))) for q in raw)


def _view(s, q: Questionnaire) -> QuestionnaireView:  # noqa: ANN001
    counts = dict(s.execute(select(SurveyResponse.channel, func.count())
                            .where(SurveyResponse.survey_id == q.id, SurveyResponse.deleted_at.is_(None))
                            .group_by(SurveyResponse.channel)).all())
    return QuestionnaireView(q.id, q.title, q.period, q.intro, _questions(q.questions), q.state, q.opens_on,
                             q.closes_on, sum(counts.values()), counts.get(g.ONLINE, 0))


def _check_questions(questions: tuple[Question, ...]) -> list[dict[str, object]]:
    if not questions:
        raise UserError("A questionnaire needs at least one question.", field="questions")
    out: list[dict[str, object]] = []
    seen: set[str] = set()
    for i, q in enumerate(questions, 1):
        key = q.key or f"q{i}"
        if not _KEY_RE.match(key) or key in seen:
            raise UserError("Question {n}: its key must be short, unique, lower-case letters or digits.",
                            field="questions", n=i)
        seen.add(key)
        if not q.text.strip():
            raise UserError("Question {n} has no text.", field="questions", n=i)
        if q.kind not in g.QUESTION_KINDS:
            raise UserError("Question {n}: unknown kind of answer.", field="questions", n=i)
        options = [o.strip() for o in q.options if o.strip()]
        if q.kind == g.CHOICE and len(options) < 2:
            raise UserError("Question {n}: a choice needs at least two options.", field="questions", n=i)
        item: dict[str, object] = {"key": key, "text": q.text.strip(), "kind": q.kind}
        if q.kind == g.CHOICE:
            item["options"] = options
        out.append(item)
    if not any(q["kind"] == g.SCORE5 for q in out):
        raise UserError("At least one question must be a satisfaction rating (1–5): it gives the score.",
                        field="questions")
    return out


def define(ctx: AppContext, title: str, period: str, questions: tuple[Question, ...], opens_on: dt.date,
           closes_on: dt.date, intro: str = "", state: str = "open") -> QuestionnaireView:
    """A new questionnaire for the evaluation of ``period`` (e.g. 2026Q3)."""
    ctx.require(Permission.OVERSIGHT)
    if not title.strip() or len(title.strip()) > 100:
        raise UserError("Give the questionnaire a title (at most 100 characters).", field="title")
    try:
        g.parse_period(period)
    except ValueError:
        raise UserError("Write the period like 2026Q3, 2026-07 or 2026.", field="period") from None
    if closes_on < opens_on:
        raise UserError("The questionnaire closes before it opens.", field="closes_on")
    if state not in g.SURVEY_STATES:
        raise UserError("Unknown state.", field="state")
    items = _check_questions(questions)
    with ctx.transaction() as s:
        q = Questionnaire(community_id=ctx.community_id, title=title.strip(), period=period.strip(),
                          intro=intro.strip(), questions=items, state=state, opens_on=opens_on, closes_on=closes_on)
        s.add(q)
        s.flush()
        return _view(s, q)


def set_state(ctx: AppContext, survey_id: str, state: str) -> QuestionnaireView:
    ctx.require(Permission.OVERSIGHT)
    if state not in g.SURVEY_STATES:
        raise UserError("Unknown state.", field="state")
    with ctx.transaction() as s:
        q = _load(s, survey_id)
        q.state = state
        s.flush()
        return _view(s, q)


def _load(s, survey_id: str) -> Questionnaire:  # noqa: ANN001
    q = s.get(Questionnaire, survey_id)
    if q is None or q.deleted_at is not None:
        raise NotFound("The questionnaire was not found.")
    return q


def get(ctx: AppContext, survey_id: str) -> QuestionnaireView:
    ctx.require(Permission.OVERSIGHT_WORK)
    with ctx.transaction() as s:
        return _view(s, _load(s, survey_id))


def list_questionnaires(ctx: AppContext) -> list[QuestionnaireView]:
    ctx.require(Permission.OVERSIGHT_WORK)
    with ctx.transaction() as s:
        rows = s.execute(select(Questionnaire).where(Questionnaire.deleted_at.is_(None))
                         .order_by(Questionnaire.period.desc(), Questionnaire.created_at)).scalars().all()
        return [_view(s, q) for q in rows]


def enter_paper_answers(ctx: AppContext, survey_id: str, resident_id: str, answers: dict[str, object],
                        answered_on: dt.date | None = None, paper_no: str = "") -> ResponseView:
    """One paper form (线下测评) typed in: every question answered, one form per resident."""
    ctx.require(Permission.OVERSIGHT_WORK)
    day = answered_on or today(ctx)
    if day > today(ctx):
        raise UserError("The form cannot be filled in the future.", field="answered_on")
    if len(paper_no.strip()) > 32:
        raise UserError("The form number is too long.", field="paper_no")
    with ctx.transaction() as s:
        q = _load(s, survey_id)
        if q.state == "draft":
            raise UserError("The questionnaire is still a draft.", field="survey")
        bad = g.check_answers(q.questions, answers)
        if bad is not None:
            where = "answer:" + bad
            raise UserError("Answer question {key} with one of its answers.", field=where, key=bad)
        r = s.get(Resident, resident_id)
        if r is None or r.deleted_at is not None:
            raise NotFound("The resident was not found (maybe removed).")
        key = f"resident:{r.id}"
        dup = s.execute(select(SurveyResponse.id).where(SurveyResponse.survey_id == q.id,
                                                        SurveyResponse.respondent_key == key,
                                                        SurveyResponse.deleted_at.is_(None))).first()
        if dup is not None:
            raise UserError("{name} already answered this questionnaire.", field="resident", name=mask_name(r.name))
        row = SurveyResponse(community_id=ctx.community_id, survey_id=q.id, channel=g.OFFLINE, respondent_key=key,
                             resident_id=r.id, household_id=r.household_id, grid_id=r.grid_id, answers=dict(answers),
                             score=g.response_score(q.questions, answers), answered_on=day,
                             entered_by=ctx.user.login, paper_no=paper_no.strip())
        s.add(row)
        s.flush()
        return ResponseView(row.id, q.id, row.channel, mask_name(r.name), row.grid_id, day, row.score, row.paper_no)


def withdraw_answer(ctx: AppContext, response_id: str) -> None:
    """A paper form typed in by mistake (wrong person): removed (tombstone), the coverage drops again."""
    ctx.require(Permission.OVERSIGHT_WORK)
    with ctx.transaction() as s:
        row = s.get(SurveyResponse, response_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("The answer was not found.")
        if row.channel != g.OFFLINE:
            raise UserError("Online answers come from the platform and are kept.")
        row.deleted_at = ctx.clock.now()
        s.flush()


def responses(ctx: AppContext, survey_id: str) -> list[ResponseView]:
    ctx.require(Permission.OVERSIGHT_WORK)
    with ctx.transaction() as s:
        rows = s.execute(select(SurveyResponse, Resident.name).outerjoin(Resident, Resident.id == SurveyResponse.resident_id)
                         .where(SurveyResponse.survey_id == survey_id, SurveyResponse.deleted_at.is_(None))
                         .order_by(SurveyResponse.answered_on, SurveyResponse.created_at)).all()
        return [ResponseView(r.id, r.survey_id, r.channel, mask_name(name) if name else r.respondent_key.split(":")[0],
                             r.grid_id, r.answered_on, r.score, r.paper_no) for r, name in rows]
