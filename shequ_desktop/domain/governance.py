"""Assessment and oversight, part B (考核监督): dual evaluation, supervision committee, hotline, incentives.

Rules: DOMAIN.md R30, R31 (score 40/60, coverage ≥ 10 %), R37 (居务监督委员会: 3 residents'
representatives, term in step with the residents' committee), R38 (quarterly inspection), R39–R42
(24-hour hotline: contact within 1 h elapsed, result within 3 working days, overdue → 情况说明),
R43–R45 (award 20 % of the monthly pay, two excellent years, top 10 % 社区治理之星). Every number comes
from the policy profile; this module is pure. English message ids are translated by the UI; printed
papers use the Chinese labels.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

# --- questionnaires (R31) -----------------------------------------------------------------------
SCORE5, CHOICE, TEXT = "score5", "choice", "text"
QUESTION_KINDS = (SCORE5, CHOICE, TEXT)
SCORE5_ZH = ("非常不满意", "不满意", "一般", "满意", "非常满意")       # answers 1..5
SCORE5_MSGIDS = ("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied", "Very satisfied")
SURVEY_STATES = ("draft", "open", "closed")
SURVEY_STATE_MSGIDS = {"draft": "Draft", "open": "Open", "closed": "Closed"}
OFFLINE, ONLINE = "offline", "online"
CHANNELS = (OFFLINE, ONLINE)
CHANNEL_ZH = {OFFLINE: "线下测评", ONLINE: "线上问卷"}
CHANNEL_MSGIDS = {OFFLINE: "Offline (paper)", ONLINE: "Online"}

# --- evaluation (R30) ---------------------------------------------------------------------------------
EVAL_DRAFT, EVAL_FINAL = "draft", "final"
EVAL_STATES = (EVAL_DRAFT, EVAL_FINAL)
PERSONS, HOUSEHOLDS = "persons", "households"
_PERIOD_RE = re.compile(r"^(\d{4})(?:Q([1-4])|-(0[1-9]|1[0-2]))?$")

# --- supervision committee (R37) ------------------------------------------------------------------------
CHAIR, MEMBER = "chair", "member"
COMMITTEE_ROLES = (CHAIR, MEMBER)
COMMITTEE_ROLE_ZH = {CHAIR: "主任", MEMBER: "委员"}
COMMITTEE_ROLE_MSGIDS = {CHAIR: "Chair", MEMBER: "Member"}

# --- inspections (R38) ---------------------------------------------------------------------------------
LEDGERS = ("counter_register", "case_list", "special_contacts", "mediation_cases", "funds")
LEDGER_ZH = {"counter_register": "服务台账（窗口受理登记）", "case_list": "办件清单", "special_contacts": "特殊群体联系记录",
             "mediation_cases": "矛盾纠纷调解台账", "funds": "经费使用情况"}
LEDGER_MSGIDS = {"counter_register": "Counter register", "case_list": "Case list",
                 "special_contacts": "Special-group contacts", "mediation_cases": "Mediation cases",
                 "funds": "Use of funds"}
INSPECTION_RESULTS = ("good", "issues")
INSPECTION_RESULT_ZH = {"good": "未发现问题", "issues": "发现问题，已责令整改"}
INSPECTION_RESULT_MSGIDS = {"good": "No problems found", "issues": "Problems found, rectification ordered"}

# --- hotline (R39–R42) ------------------------------------------------------------------------------------
COMPLAINT_CHANNELS = ("hotline", "walk_in", "letter", "platform")
COMPLAINT_CHANNEL_ZH = {"hotline": "监督热线", "walk_in": "来访", "letter": "来信", "platform": "智慧社区平台"}
COMPLAINT_CHANNEL_MSGIDS = {"hotline": "Hotline call", "walk_in": "Walk-in", "letter": "Letter",
                            "platform": "Smart-community platform"}
OPEN, CONTACTED, CLOSED = "open", "contacted", "closed"
COMPLAINT_STATES = (OPEN, CONTACTED, CLOSED)
COMPLAINT_STATE_MSGIDS = {OPEN: "Waiting for contact", CONTACTED: "Contacted", CLOSED: "Result fed back"}

# --- incentives (R43–R45) ---------------------------------------------------------------------------------
EXCELLENT, COMPETENT, BASIC, INCOMPETENT = "excellent", "competent", "basic", "incompetent"
RATINGS = (EXCELLENT, COMPETENT, BASIC, INCOMPETENT)
RATING_ZH = {EXCELLENT: "优秀", COMPETENT: "称职", BASIC: "基本称职", INCOMPETENT: "不称职"}
RATING_MSGIDS = {EXCELLENT: "Excellent", COMPETENT: "Competent", BASIC: "Basically competent",
                 INCOMPETENT: "Incompetent"}
STAR_TITLE = "社区治理之星"
RANKING_RULES = ("score", "votes")              # what orders the residents' ranking
TIE_RULES = ("include", "exclude", "secondary")  # ties at the cut-off: all in, all out, the other measure decides


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """'2026Q3' / '2026-07' / '2026' → (first day, last day); ValueError otherwise."""
    match = _PERIOD_RE.match(text.strip())
    if match is None:
        raise ValueError(text)
    year = int(match.group(1))
    if match.group(2):
        q = int(match.group(2))
        start = dt.date(year, 3 * q - 2, 1)
        end = dt.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - dt.timedelta(days=1)
        return start, end
    if match.group(3):
        month = int(match.group(3))
        start = dt.date(year, month, 1)
        end = dt.date(year + (month == 12), 1 if month == 12 else month + 1, 1) - dt.timedelta(days=1)
        return start, end
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


# --- scores ------------------------------------------------------------------------------------------------

def response_score(questions: Sequence[Mapping[str, object]], answers: Mapping[str, object]) -> float | None:
    """A respondent's score on a 0–100 scale: the mean of the 1–5 answers, (a − 1) / 4 × 100.

    None when the questionnaire has no rating question or the respondent answered none.
    """
    values = [answers[str(q["key"])] for q in questions
              if q.get("kind") == SCORE5 and isinstance(answers.get(str(q["key"])), int)]
    values = [v for v in values if isinstance(v, int) and 1 <= v <= 5]
    if not values:
        return None
    return round((sum(values) / len(values) - 1) / 4 * 100, 2)


def check_answers(questions: Sequence[Mapping[str, object]], answers: Mapping[str, object]) -> str | None:
    """The first problem with ``answers`` (a question key), or None. Every question must be answered;
    text answers may be empty."""
    keys = {str(q["key"]) for q in questions}
    for key in answers:
        if key not in keys:
            return key
    for q in questions:
        key, value = str(q["key"]), answers.get(str(q["key"]))
        kind = q.get("kind")
        if kind == SCORE5 and not (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5):
            return key
        if kind == CHOICE and value not in tuple(q.get("options") or ()):  # type: ignore[arg-type]
            return key
        if kind == TEXT and not (value is None or (isinstance(value, str) and len(value) <= 500)):
            return key
    return None


def composite(subdistrict: float | None, residents: float | None, subdistrict_weight_pct: float,
              resident_weight_pct: float) -> float | None:
    """R30: weights × scores (0–100 each); None until both parts exist."""
    if subdistrict is None or residents is None:
        return None
    return round((subdistrict * subdistrict_weight_pct + residents * resident_weight_pct) / 100, 2)


def required_respondents(base: int, coverage_pct: float) -> int:
    """The fewest distinct respondents that cover ``coverage_pct`` % of ``base`` (「以上」 includes it)."""
    if base <= 0:
        return 0
    return math.ceil(Fraction(str(coverage_pct)) * base / 100)


def coverage_met(respondents: int, base: int, coverage_pct: float) -> bool:
    return base > 0 and respondents >= required_respondents(base, coverage_pct)


# --- supervision committee -------------------------------------------------------------------------------

@dataclass(frozen=True)
class MemberFacts:
    name: str
    representative: bool
    term_start: dt.date
    term_end: dt.date


# The key of the committee-size warning: the UI words it with singular and plural forms (ngettext).
COMMITTEE_SIZE_MSGID = "The supervision committee has {n} members; it needs exactly {required}."


def committee_warnings(members: Iterable[MemberFacts], term_start: dt.date | None, term_end: dt.date | None,
                       required: int) -> list[tuple[str, dict[str, object]]]:
    """What is wrong with the committee as it stands (message id + params), empty when all is well."""
    rows = list(members)
    out: list[tuple[str, dict[str, object]]] = []
    if len(rows) != required:
        out.append((COMMITTEE_SIZE_MSGID, {"n": len(rows), "required": required}))
    for r in rows:
        if not r.representative:
            out.append(("{name} is not a residents' representative.", {"name": r.name}))
        if term_start is not None and term_end is not None and (r.term_start, r.term_end) != (term_start, term_end):
            out.append(("The term of {name} is not in step with the residents' committee ({start} – {end}).",
                        {"name": r.name, "start": term_start.isoformat(), "end": term_end.isoformat()}))
    return out


def term_end(start: dt.date, years: int) -> dt.date:
    """The day before the same date ``years`` later (a 5-year term from 2023-03-01 ends 2028-02-29)."""
    try:
        same = start.replace(year=start.year + years)
    except ValueError:                        # 29 February → 1 March
        same = dt.date(start.year + years, 3, 1)
    return same - dt.timedelta(days=1)


# --- incentives ------------------------------------------------------------------------------------------

def performance_award(rating: str, monthly_base: float | None, award_pct: float) -> float | None:
    """R43: award_pct % of the monthly salary base for an excellent year; 0 otherwise; None without a base."""
    if rating != EXCELLENT:
        return 0.0
    if monthly_base is None:
        return None
    return round(monthly_base * award_pct / 100, 2)


def consecutive_excellent(ratings_by_year: Mapping[int, str], year: int, years: int) -> bool:
    """R44: excellent in each of the ``years`` years ending with ``year``."""
    return all(ratings_by_year.get(y) == EXCELLENT for y in range(year - years + 1, year + 1))


@dataclass(frozen=True)
class Candidate:
    ref: str
    name: str
    score: float
    votes: int


def star_quota(n: int, pct: float) -> int:
    """R45: ⌈pct % × N⌉ (at least one when there is anyone)."""
    if n <= 0:
        return 0
    return max(1, math.ceil(Fraction(str(pct)) * n / 100))


def rank(candidates: Iterable[Candidate], rule: str) -> list[Candidate]:
    """Highest first by the ranking measure, then by the other one, then by name (a stable order)."""
    rows = list(candidates)
    if rule == "votes":
        return sorted(rows, key=lambda c: (-c.votes, -c.score, c.name))
    return sorted(rows, key=lambda c: (-c.score, -c.votes, c.name))


def _measure(c: Candidate, rule: str) -> tuple[float, ...]:
    return (c.votes,) if rule == "votes" else (c.score,)


def star_proposals(candidates: Iterable[Candidate], pct: float, rule: str, tie: str) -> list[Candidate]:
    """The top ``pct`` % of the ranking as 社区治理之星 proposals, ties at the cut-off per ``tie``:

    ``include`` — everyone tied with the last place is in (the list may be longer than the quota);
    ``exclude`` — those tied across the cut-off are all left out (shorter); ``secondary`` — the other
    measure decides among them, and who is still tied is included.
    """
    ranked = rank(candidates, rule)
    quota = star_quota(len(ranked), pct)
    if quota == 0 or quota >= len(ranked):
        return ranked[:quota]
    key = (lambda c: _measure(c, rule)) if tie != "secondary" else (lambda c: (c.score, c.votes) if rule != "votes"
                                                                      else (c.votes, c.score))
    cut = key(ranked[quota - 1])
    if key(ranked[quota]) != cut:
        return ranked[:quota]
    if tie == "exclude":
        return [c for c in ranked[:quota] if key(c) != cut]
    return [c for c in ranked if key(c) > cut or key(c) == cut]
