"""Models of the one-window service counter (一窗受理): catalogue, cases, case events, printed documents."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from shequ_desktop.persistence.base import Base, Synced, UTCDateTime, utc


class ServiceItem(Synced, Base):
    """A service of the window's catalogue; retired services stay readable on old cases."""

    __tablename__ = "service_item"
    code: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(32), default="")
    simple: Mapped[bool] = mapped_column(Boolean)
    time_limit_wd: Mapped[int | None] = mapped_column(Integer, nullable=True)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[str] = mapped_column(Text, default="")
    procedure: Mapped[str] = mapped_column(Text, default="")
    decision_level: Mapped[str] = mapped_column(String(64), default="")
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    materials: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Case(Synced, Base):
    """One resident's request at the window, from intake to 办结/退回."""

    __tablename__ = "counter_case"
    case_no: Mapped[str] = mapped_column(String(40), index=True)
    resident_id: Mapped[str] = mapped_column(String(36), index=True)
    service_code: Mapped[str] = mapped_column(String(32))
    service_name: Mapped[str] = mapped_column(String(64))
    simple: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(24), index=True)
    owner_login: Mapped[str] = mapped_column(String(64), index=True)   # the clerk (A) who took it
    received_at: Mapped[utc]
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    time_limit_wd: Mapped[int | None] = mapped_column(Integer, nullable=True)
    supplement_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    supplement_provisional: Mapped[bool] = mapped_column(Boolean, default=False)
    paused_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    materials: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON, default=dict)
    notice_given_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reported_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    report_info: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    result: Mapped[str] = mapped_column(Text, default="")


class CaseEvent(Synced, Base):
    """What happened to a case, when, by whom — append-only; corrections are new events."""

    __tablename__ = "case_event"
    __append_only__ = True
    case_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[utc]
    user_login: Mapped[str] = mapped_column(String(64))
    user_name: Mapped[str] = mapped_column(String(64), default="")
    acting_for: Mapped[str] = mapped_column(String(64), default="")   # AB岗: "acted as B for A"
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str] = mapped_column(Text, default="")


class PrintedDocument(Synced, Base):
    """The register of every printed document: serial number, what, for whom, by whom, hash."""

    __tablename__ = "printed_document"
    __append_only__ = True
    serial_no: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[str | None] = mapped_column(String(36), index=True, nullable=True)
    resident_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    printed_by: Mapped[str] = mapped_column(String(64))
    printed_at: Mapped[utc]
    content_hash: Mapped[str] = mapped_column(String(64))
    verification_code: Mapped[str] = mapped_column(String(16), index=True)
    reprint_of: Mapped[str | None] = mapped_column(String(36), nullable=True)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    # What a check of the code shows (no ID number, no phone) and what a 补打 rebuilds from:
    issuer: Mapped[str] = mapped_column(String(100), default="")          # issuing station / committee
    holder: Mapped[str] = mapped_column(String(32), default="")           # masked name of the person
    valid_until: Mapped[dt.date | None] = mapped_column(Date, nullable=True)  # 居住证明: issue day + validity
    snapshot: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)  # the template data


class DocumentVoid(Synced, Base):
    """作废 of a printed document by the chief, with the reason; a fact, never changed."""

    __tablename__ = "document_void"
    __append_only__ = True
    document_id: Mapped[str] = mapped_column(String(36), index=True)
    serial_no: Mapped[str] = mapped_column(String(40))
    verification_code: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str] = mapped_column(String(200))
    voided_by: Mapped[str] = mapped_column(String(64))
    voided_at: Mapped[utc]


class SerialCounter(Base):
    """Per station, kind and year: the last serial number issued (local, never synced)."""

    __tablename__ = "serial_counter"
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (UniqueConstraint("kind", "year"),)
