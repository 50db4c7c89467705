"""Models of the special-group files (特殊群体档案): files, 1+1+N rosters, contact logs, assessments,
reviews, service packages, follow-ups and satisfaction surveys.

Staff are named by login (``*_login``) plus the name at the time: ``app_user`` rows are local to a PC
and their ids differ between stations, a login is the same person everywhere. Facts in time (contacts,
assessments, reviews, package versions, surveys) are append-only; a correction is a new row whose
``corrects_id`` points at the entry it replaces.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from shequ_desktop.domain import special_groups as sg
from shequ_desktop.persistence.base import Base, Synced, utc


class SpecialFile(Synced, Base):
    """One person's file in one group; closing keeps the whole history, reopening is possible."""

    __tablename__ = "sg_file"
    resident_id: Mapped[str] = mapped_column(String(36), index=True)
    group: Mapped[str] = mapped_column(String(16), info={"choices": sg.GROUPS})
    status: Mapped[str] = mapped_column(String(8), default="open", info={"choices": sg.FILE_STATUSES})
    opened_on: Mapped[dt.date] = mapped_column(Date)
    tracked_from: Mapped[dt.date] = mapped_column(Date)          # the schedules apply from this day
    closed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    close_reason: Mapped[str | None] = mapped_column(String(16), nullable=True,
                                                     info={"choices": sg.CLOSE_REASONS})
    close_note: Mapped[str] = mapped_column(Text, default="")
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)           # codes of sg.FLAGS
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)           # codes of sg.NEEDS (R21)
    care_notes: Mapped[str] = mapped_column(Text, default="")              # what a volunteer may read
    health_notes: Mapped[str] = mapped_column(Text, default="")            # sensitive (§7.2): diagnoses …
    # disabled (DOMAIN §3.6): certificate = ID number + category + grade
    disability_cert: Mapped[str] = mapped_column(String(20), default="")
    disability_category: Mapped[str | None] = mapped_column(
        String(1), nullable=True, info={"choices": tuple(sg.DISABILITY_CATEGORIES)})
    disability_grade: Mapped[int | None] = mapped_column(Integer, nullable=True, info={"min": 1, "max": 4})
    devices: Mapped[str] = mapped_column(Text, default="")                 # 辅具
    rehabilitation: Mapped[str] = mapped_column(Text, default="")          # 居家康复
    # children in difficulty
    child_kind: Mapped[str | None] = mapped_column(String(16), nullable=True, info={"choices": sg.CHILD_KINDS})
    # R51: an outside change (death, move) puts the file up for review
    review_requested_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    review_reason: Mapped[str] = mapped_column(String(200), default="")
    __table_args__ = (Index("ix_sg_file_resident_group", "resident_id", "group"),)


class FileEvent(Synced, Base):
    """The file's history: opened, closed, reopened, put up for review, flags changed — append-only."""

    __tablename__ = "sg_file_event"
    __append_only__ = True
    file_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[utc]
    kind: Mapped[str] = mapped_column(String(16), info={"choices": sg.FILE_EVENTS})
    detail: Mapped[str] = mapped_column(Text, default="")
    by_login: Mapped[str] = mapped_column(String(64), default="")


class RosterMember(Synced, Base):
    """A member of a file's 1+1+N roster or support team, active from … to (history is kept)."""

    __tablename__ = "sg_roster"
    file_id: Mapped[str] = mapped_column(String(36), index=True)
    role: Mapped[str] = mapped_column(String(16), info={"choices": sg.ROLES})
    login: Mapped[str] = mapped_column(String(64), default="", index=True)   # staff: the login
    name: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str] = mapped_column(String(32), default="")
    relation: Mapped[str] = mapped_column(String(16), default="")             # family: 子女、配偶 …
    active_from: Mapped[dt.date] = mapped_column(Date)
    active_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)   # None = active
    note: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_sg_roster_active", "file_id", "active_to", "deleted_at", "active_from", "role", "login",
                            "name"),)


class ContactLog(Synced, Base):
    """A call, a visit or a session: append-only, inserted by many stations, never updated."""

    __tablename__ = "sg_contact"
    __append_only__ = True
    file_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16), info={"choices": sg.CONTACT_KINDS})
    contact_on: Mapped[dt.date] = mapped_column(Date)
    recorded_at: Mapped[utc]
    by_role: Mapped[str] = mapped_column(String(16), info={"choices": sg.ROLES})
    by_login: Mapped[str] = mapped_column(String(64), default="")
    by_name: Mapped[str] = mapped_column(String(64), default="")
    outcome: Mapped[str] = mapped_column(String(16), info={"choices": sg.OUTCOMES})
    notes: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    next_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    corrects_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    retracted: Mapped[bool] = mapped_column(Boolean, default=False)     # a correction saying "no contact"
    __table_args__ = (Index("ix_sg_contact_file_date", "file_id", "contact_on"),
                      # the schedules read contacts from this index alone (migration 0015)
                      Index("ix_sg_contact_schedule", "file_id", "contact_on", "deleted_at", "kind", "by_role",
                            "outcome", "retracted", "next_date", "id"),
                      Index("ix_sg_contact_corrects", "corrects_id", sqlite_where=text("corrects_id IS NOT NULL")))


class Assessment(Synced, Base):
    """A needs assessment (half-yearly for the disabled, R22) with the package changes it proposes."""

    __tablename__ = "sg_assessment"
    __append_only__ = True
    file_id: Mapped[str] = mapped_column(String(36), index=True)
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    by_login: Mapped[str] = mapped_column(String(64), default="")
    by_name: Mapped[str] = mapped_column(String(64), default="")
    needs: Mapped[list[str]] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text, default="")
    proposals: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)  # {op, item, frequency, provider}
    corrects_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class FileReview(Synced, Base):
    """The quarterly review (R16), signed off by the reviewer; a correction points at the old one."""

    __tablename__ = "sg_review"
    __append_only__ = True
    file_id: Mapped[str] = mapped_column(String(36), index=True)
    reviewed_on: Mapped[dt.date] = mapped_column(Date)
    by_login: Mapped[str] = mapped_column(String(64), default="")
    by_name: Mapped[str] = mapped_column(String(64), default="")
    changes: Mapped[str] = mapped_column(Text, default="")
    missing: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    corrects_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class ServicePackage(Synced, Base):
    """One version of a person's 个性化服务包 (R17); a new version is a new row."""

    __tablename__ = "sg_package"
    __append_only__ = True
    file_id: Mapped[str] = mapped_column(String(36), index=True)
    version_no: Mapped[int] = mapped_column(Integer, info={"min": 1, "max": 10000})
    valid_from: Mapped[dt.date] = mapped_column(Date)
    items: Mapped[list[dict[str, str]]] = mapped_column(JSON)            # {item, frequency, provider}
    assessment_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    by_login: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class FollowUp(Synced, Base):
    """A need found on a contact: a follow-up with a due date (or a work order, referenced)."""

    __tablename__ = "sg_follow_up"
    file_id: Mapped[str] = mapped_column(String(36), index=True)
    need: Mapped[str] = mapped_column(String(16), info={"choices": sg.NEEDS})
    note: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open", info={"choices": ("open", "done", "cancelled")})
    assigned_login: Mapped[str] = mapped_column(String(64), default="")
    contact_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    work_order_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    done_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    result: Mapped[str] = mapped_column(Text, default="")


class Survey(Synced, Base):
    """A satisfaction survey of special-group services (R36)."""

    __tablename__ = "sg_survey"
    __append_only__ = True
    file_id: Mapped[str] = mapped_column(String(36), index=True)
    surveyed_on: Mapped[dt.date] = mapped_column(Date)
    score: Mapped[int] = mapped_column(Integer, info={"min": 1, "max": 5})
    method: Mapped[str] = mapped_column(String(16), info={"choices": sg.SURVEY_METHODS})
    surveyor: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str] = mapped_column(Text, default="")
    corrects_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    valid: Mapped[bool] = mapped_column(Boolean, default=True)


SPECIAL_GROUP_MODELS: tuple[type[Base], ...] = (SpecialFile, FileEvent, RosterMember, ContactLog, Assessment, FileReview,
                                                ServicePackage, FollowUp, Survey)
