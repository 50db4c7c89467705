"""Models of assessment and oversight, part B: questionnaires and answers, the dual evaluation, the
supervision committee and its inspections, hotline complaints, annual ratings, residents' ranking and titles.

All are synced (the hub validates them from the ``info`` rules here). Enum-like columns declare their
choices, numbers their ranges.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shequ_desktop.domain import governance as g
from shequ_desktop.persistence.base import Base, Synced, UTCDateTime, utc


class Questionnaire(Synced, Base):
    """A residents' questionnaire defined in the program (线上问卷 + 线下测评 of R31)."""

    __tablename__ = "survey"
    title: Mapped[str] = mapped_column(String(100))
    period: Mapped[str] = mapped_column(String(8), index=True)          # 2026Q3: the evaluation it serves
    intro: Mapped[str] = mapped_column(Text, default="")
    questions: Mapped[list[dict[str, object]]] = mapped_column(JSON)      # [{key, text, kind, options}]
    state: Mapped[str] = mapped_column(String(8), info={"choices": g.SURVEY_STATES})
    opens_on: Mapped[dt.date] = mapped_column(Date)
    closes_on: Mapped[dt.date] = mapped_column(Date)


class SurveyResponse(Synced, Base):
    """One respondent's answers: entered from a paper form (offline) or from the platform (online)."""

    __tablename__ = "survey_response"
    survey_id: Mapped[str] = mapped_column(String(36), index=True)
    channel: Mapped[str] = mapped_column(String(8), info={"choices": g.CHANNELS})
    respondent_key: Mapped[str] = mapped_column(String(80), index=True)   # resident:<id> / platform:<opaque id>
    resident_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    household_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    grid_id: Mapped[str | None] = mapped_column(String(36), index=True, nullable=True)
    answers: Mapped[dict[str, object]] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float, nullable=True, info={"min": 0, "max": 100})
    answered_on: Mapped[dt.date] = mapped_column(Date)
    entered_by: Mapped[str] = mapped_column(String(64), default="")
    paper_no: Mapped[str] = mapped_column(String(32), default="")        # the number written on the paper form


class Evaluation(Synced, Base):
    """The dual evaluation of a period (R30): subdistrict items + residents' answers; final when covered."""

    __tablename__ = "evaluation"
    period: Mapped[str] = mapped_column(String(8), index=True)
    state: Mapped[str] = mapped_column(String(8), info={"choices": g.EVAL_STATES})
    survey_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    finalised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finalised_by: Mapped[str] = mapped_column(String(64), default="")
    # the figures as finalised (recomputed from the records on every view; kept as reported)
    final_subdistrict: Mapped[float | None] = mapped_column(Float, nullable=True, info={"min": 0, "max": 100})
    final_residents: Mapped[float | None] = mapped_column(Float, nullable=True, info={"min": 0, "max": 100})
    final_score: Mapped[float | None] = mapped_column(Float, nullable=True, info={"min": 0, "max": 100})
    final_respondents: Mapped[int | None] = mapped_column(Integer, nullable=True, info={"min": 0, "max": 10_000_000})
    final_base: Mapped[int | None] = mapped_column(Integer, nullable=True, info={"min": 0, "max": 10_000_000})


class EvaluationItem(Synced, Base):
    """One indicator of the subdistrict's assessment sheet, entered by the chief (points of max points)."""

    __tablename__ = "evaluation_item"
    evaluation_id: Mapped[str] = mapped_column(String(36), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0, info={"min": 0, "max": 999})
    indicator: Mapped[str] = mapped_column(String(100))
    max_points: Mapped[float] = mapped_column(Float, info={"min": 0, "max": 100})
    points: Mapped[float] = mapped_column(Float, info={"min": 0, "max": 100})


class SupervisionCommittee(Synced, Base):
    """居务监督委员会 of one term; the term is the residents' committee's (R37)."""

    __tablename__ = "supervision_committee"
    term_start: Mapped[dt.date] = mapped_column(Date)
    term_end: Mapped[dt.date] = mapped_column(Date)
    elected_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class CommitteeMember(Synced, Base):
    __tablename__ = "committee_member"
    committee_id: Mapped[str] = mapped_column(String(36), index=True)
    resident_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32), default="")
    role: Mapped[str] = mapped_column(String(8), info={"choices": g.COMMITTEE_ROLES})
    representative: Mapped[bool] = mapped_column(Boolean, default=True)   # 居民代表
    term_start: Mapped[dt.date] = mapped_column(Date)
    term_end: Mapped[dt.date] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)   # 离任: no longer active


class Inspection(Synced, Base):
    """The committee's quarterly check of the service ledgers and the use of funds (R38) — append-only."""

    __tablename__ = "inspection"
    __append_only__ = True
    quarter: Mapped[str] = mapped_column(String(8), index=True)
    inspected_on: Mapped[dt.date] = mapped_column(Date)
    inspectors: Mapped[str] = mapped_column(String(200))
    ledgers: Mapped[list[str]] = mapped_column(JSON)
    findings: Mapped[str] = mapped_column(Text)
    funds_findings: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(String(8), info={"choices": g.INSPECTION_RESULTS})
    corrects_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class Complaint(Synced, Base):
    """A complaint to the 24-hour supervision hotline (R39–R42) with its two clocks."""

    __tablename__ = "complaint"
    complaint_no: Mapped[str] = mapped_column(String(32), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)    # to the minute, the real call time
    channel: Mapped[str] = mapped_column(String(8), info={"choices": g.COMPLAINT_CHANNELS})
    complainant_name: Mapped[str] = mapped_column(String(64))
    complainant_phone: Mapped[str] = mapped_column(String(32), default="")
    about: Mapped[str] = mapped_column(String(100), default="")          # the worker, service or matter concerned
    content: Mapped[str] = mapped_column(Text)
    grid_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    handler_name: Mapped[str] = mapped_column(String(64), default="")
    state: Mapped[str] = mapped_column(String(12), index=True, info={"choices": g.COMPLAINT_STATES})
    contact_due_at: Mapped[utc] = mapped_column(UTCDateTime())
    contacted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    contact_note: Mapped[str] = mapped_column(Text, default="")
    feedback_due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
    feedback_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    fed_back_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    result: Mapped[str] = mapped_column(Text, default="")
    explanation: Mapped[str] = mapped_column(Text, default="")           # 逾期原因 (R42)
    explained_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    filed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # 报街道备案 date


class StaffRating(Synced, Base):
    """A social worker's annual rating (R43) and the monthly salary base the admin enters."""

    __tablename__ = "staff_rating"
    year: Mapped[int] = mapped_column(Integer, index=True, info={"min": 2000, "max": 2100})
    worker_login: Mapped[str] = mapped_column(String(64), index=True)
    worker_name: Mapped[str] = mapped_column(String(64))
    rating: Mapped[str] = mapped_column(String(12), info={"choices": g.RATINGS})
    salary_base: Mapped[float | None] = mapped_column(Float, nullable=True, info={"min": 0, "max": 1_000_000})
    note: Mapped[str] = mapped_column(Text, default="")


class ResidentRanking(Synced, Base):
    """A 热心居民 in the residents' ranking of a year (R45): score and votes from the residents' evaluation."""

    __tablename__ = "resident_ranking"
    year: Mapped[int] = mapped_column(Integer, index=True, info={"min": 2000, "max": 2100})
    resident_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    name: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float, info={"min": 0, "max": 100})
    votes: Mapped[int] = mapped_column(Integer, default=0, info={"min": 0, "max": 1_000_000})
    deeds: Mapped[str] = mapped_column(Text, default="")


class HonourTitle(Synced, Base):
    """A title awarded (社区治理之星), kept with its year — append-only."""

    __tablename__ = "honour_title"
    __append_only__ = True
    year: Mapped[int] = mapped_column(Integer, index=True, info={"min": 2000, "max": 2100})
    title: Mapped[str] = mapped_column(String(32))
    resident_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    name: Mapped[str] = mapped_column(String(64))
    awarded_on: Mapped[dt.date] = mapped_column(Date)


GOVERNANCE_MODELS: tuple[type[Base], ...] = (Questionnaire, SurveyResponse, Evaluation, EvaluationItem,
                                             SupervisionCommittee, CommitteeMember, Inspection, Complaint,
                                             StaffRating, ResidentRanking, HonourTitle)
