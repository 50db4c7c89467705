"""Models of dispute mediation (矛盾调解): patrol log, cases, parties, sessions, escalations, agreement, follow-up.

Facts in time (patrol entries, sessions, escalations, follow-ups) are append-only: a correction is a
new row pointing at the old one (``corrects_id``). Enum-like columns declare their choices for the
hub's validator.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shequ_desktop.domain import mediation as m
from shequ_desktop.persistence.base import Base, Synced, UTCDateTime, utc


class PatrolEntry(Synced, Base):
    """One grid social worker's daily patrol (R25): route, what was seen, the dispute leads found."""

    __tablename__ = "patrol_entry"
    __append_only__ = True
    worker_login: Mapped[str] = mapped_column(String(64), index=True)
    worker_name: Mapped[str] = mapped_column(String(64), default="")
    grid_id: Mapped[str | None] = mapped_column(String(36), index=True, nullable=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    route: Mapped[str] = mapped_column(String(200))
    seen: Mapped[str] = mapped_column(Text, default="")
    leads: Mapped[list[str]] = mapped_column(JSON, default=list)     # one text per dispute lead
    corrects_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class MediationCase(Synced, Base):
    __tablename__ = "mediation_case"
    case_no: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(16), info={"choices": m.KINDS})
    source: Mapped[str] = mapped_column(String(16), info={"choices": m.SOURCES})
    source_ref: Mapped[str] = mapped_column(String(80), default="")     # patrol entry id#lead, hotline/work-order no
    facts: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(16), index=True, info={"choices": m.LEVELS})
    state: Mapped[str] = mapped_column(String(16), index=True, info={"choices": m.STATES})
    multi_party: Mapped[bool] = mapped_column(Boolean, default=False)
    grid_id: Mapped[str | None] = mapped_column(String(36), index=True, nullable=True)
    registered_at: Mapped[utc]
    registered_by: Mapped[str] = mapped_column(String(64))                 # a login
    mediator_logins: Mapped[list[str]] = mapped_column(JSON, default=list)
    mediator_names: Mapped[str] = mapped_column(String(200), default="")
    judicial_office: Mapped[str] = mapped_column(String(100), default="")   # 司法所 (R29)
    law_firm: Mapped[str] = mapped_column(String(100), default="")          # 律师事务所 (R29)
    clock_kind: Mapped[str] = mapped_column(String(16), default="", info={"choices": m.CLOCK_KINDS})
    clock_rule: Mapped[str] = mapped_column(String(16), default="")          # e.g. h:24, wd:3
    clock_started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    clock_due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True, nullable=True)
    clock_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    clock_paused_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    clock_met_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reported_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True, nullable=True)
    outcome_text: Mapped[str] = mapped_column(Text, default="")     # oral agreement content / why it failed
    refused_by: Mapped[str] = mapped_column(String(64), default="")
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    file_no: Mapped[str] = mapped_column(String(60), default="")


class MediationParty(Synced, Base):
    """A party (a resident from the registry or an outsider with name and phone) or a party's agent."""

    __tablename__ = "mediation_party"
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    role: Mapped[str] = mapped_column(String(8), info={"choices": m.PARTY_ROLES})
    position: Mapped[int] = mapped_column(Integer, default=0, info={"min": 0, "max": 99})
    resident_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    name: Mapped[str] = mapped_column(String(64))
    sex: Mapped[str] = mapped_column(String(1), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    id_number: Mapped[str] = mapped_column(String(18), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    agent_for: Mapped[str | None] = mapped_column(String(36), nullable=True)   # the party an agent acts for


class MediationSession(Synced, Base):
    """调解笔录: one mediation session — append-only."""

    __tablename__ = "mediation_session"
    __append_only__ = True
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    held_at: Mapped[utc]
    place: Mapped[str] = mapped_column(String(100))
    attendees: Mapped[str] = mapped_column(Text)
    statements: Mapped[str] = mapped_column(Text)        # what each side said
    proposal: Mapped[str] = mapped_column(Text, default="")
    mediator_name: Mapped[str] = mapped_column(String(64), default="")
    recorder_name: Mapped[str] = mapped_column(String(64), default="")
    corrects_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class MediationEscalation(Synced, Base):
    """A change of level (R24): from, to, reason, when — append-only."""

    __tablename__ = "mediation_escalation"
    __append_only__ = True
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[utc]
    from_level: Mapped[str] = mapped_column(String(16), info={"choices": m.LEVELS})
    to_level: Mapped[str] = mapped_column(String(16), info={"choices": m.LEVELS})
    reason: Mapped[str] = mapped_column(Text)
    by_name: Mapped[str] = mapped_column(String(64), default="")


class MediationAgreement(Synced, Base):
    """人民调解协议书 (§29): one per case; the signature marks fill in until it takes effect."""

    __tablename__ = "mediation_agreement"
    case_id: Mapped[str] = mapped_column(String(36), index=True, unique=True)
    agreement_no: Mapped[str] = mapped_column(String(60))
    made_on: Mapped[dt.date] = mapped_column(Date)
    facts: Mapped[str] = mapped_column(Text)
    responsibilities: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[list[str]] = mapped_column(JSON)
    performance: Mapped[str] = mapped_column(Text)        # manner and time of performance
    marks: Mapped[dict[str, dict[str, bool]]] = mapped_column(JSON, default=dict)
    mediator_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    committee_sealed: Mapped[bool] = mapped_column(Boolean, default=False)
    effective_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    confirm_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)


class MediationFollowUp(Synced, Base):
    """履行情况回访: a visit on the performance of the agreement — append-only."""

    __tablename__ = "mediation_followup"
    __append_only__ = True
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    visited_on: Mapped[dt.date] = mapped_column(Date)
    performance: Mapped[str] = mapped_column(String(16), info={"choices": m.PERFORMANCE})
    note: Mapped[str] = mapped_column(Text, default="")
    by_name: Mapped[str] = mapped_column(String(64), default="")
