"""Typed SQLAlchemy models of the local store.

Synced records (base data, cases …) carry the Synced mixin. Local-only tables: users,
settings, the change journal itself, the audit log, calendar overrides, policy versions.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (Boolean, Date, ForeignKey, Index, Integer, JSON, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column

from shequ_desktop.persistence.base import Base, Synced, UTCDateTime, utc


class Community(Synced, Base):
    __tablename__ = "community"
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    subdistrict: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(32), default="")
    hotline: Mapped[str] = mapped_column(String(32), default="")


class Grid(Synced, Base):
    __tablename__ = "grid"
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))


class Building(Synced, Base):
    __tablename__ = "building"
    grid_id: Mapped[str] = mapped_column(ForeignKey("grid.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))          # e.g. 幸福里小区3栋
    address: Mapped[str] = mapped_column(String(200))
    head_name: Mapped[str] = mapped_column(String(32), default="")   # 楼栋长


class Household(Synced, Base):
    __tablename__ = "household"
    building_id: Mapped[str] = mapped_column(ForeignKey("building.id"), index=True)
    unit_no: Mapped[str] = mapped_column(String(16), default="")     # 单元
    room_no: Mapped[str] = mapped_column(String(16))                 # 室
    address: Mapped[str] = mapped_column(String(200))
    housing: Mapped[str] = mapped_column(String(16), default="")     # 自有/租住/借住


class Resident(Synced, Base):
    __tablename__ = "resident"
    household_id: Mapped[str | None] = mapped_column(ForeignKey("household.id"), index=True, nullable=True)
    grid_id: Mapped[str | None] = mapped_column(ForeignKey("grid.id"), index=True, nullable=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    id_number: Mapped[str] = mapped_column(String(18))
    id_number_original: Mapped[str] = mapped_column(String(32), default="")
    id_kind: Mapped[str] = mapped_column(String(16), default="citizen")
    birth_date: Mapped[dt.date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    phone: Mapped[str] = mapped_column(String(32), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    relation: Mapped[str] = mapped_column(String(16), default="")    # 与户主关系
    moved_in: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (Index("ix_resident_id_number", "id_number"),)


class User(Base):
    """A login on this workstation (local, not synced: password hash, failures, lock). Its ``id`` means
    nothing on another PC — synced records name staff by ``login``; the synced staff directory
    (staff_models.StaffMember) carries the name, role, grid and phone to every station."""

    __tablename__ = "app_user"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(32), default="")
    grid_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_at: Mapped[utc]


class PostAssignment(Synced, Base):
    """AB岗: a post (service window, grid) with an A owner and a B backup, named by login."""

    __tablename__ = "post_assignment"
    post: Mapped[str] = mapped_column(String(64))
    a_login: Mapped[str] = mapped_column(String(64))
    b_login: Mapped[str] = mapped_column(String(64))
    grid_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class Absence(Synced, Base):
    """A staff member (by login) away on a day: the B post covers."""

    __tablename__ = "absence"
    login: Mapped[str] = mapped_column(String(64), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(64), default="")


class ChangeJournal(Base):
    """One row per write of a synced record, written in the same transaction (the outbox)."""

    __tablename__ = "change_journal"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(36), unique=True)
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    community_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(8))                     # insert / update / delete
    fields: Mapped[dict[str, object]] = mapped_column(JSON)
    base_version: Mapped[int] = mapped_column(Integer)
    new_version: Mapped[int] = mapped_column(Integer)
    # the values the station saw before this change (changed fields + deleted_at; a removal: the record)
    base: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True, default=None)
    station_id: Mapped[str] = mapped_column(String(36))
    user_login: Mapped[str] = mapped_column(String(64))
    at: Mapped[utc]
    origin: Mapped[str] = mapped_column(String(8), default="local")  # local / remote
    pushed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    push_error: Mapped[str | None] = mapped_column(Text, nullable=True)


class AuditEntry(Base):
    """Append-only, hash-chained log of logins, reveals, prints, exports and admin changes."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[utc]
    station_id: Mapped[str] = mapped_column(String(36))
    user_login: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32), index=True)
    entity: Mapped[str] = mapped_column(String(64), default="")
    entity_id: Mapped[str] = mapped_column(String(36), default="")
    detail: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str] = mapped_column(String(64), default="", server_default="")   # HMAC(station key, hash)


class PolicyVersion(Base):
    __tablename__ = "policy_version"
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    values: Mapped[dict[str, object]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[utc]
    note: Mapped[str] = mapped_column(Text, default="")


class CalendarOverride(Base):
    __tablename__ = "calendar_override"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(64), default="")
    document: Mapped[str] = mapped_column(String(64), default="")
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[utc]


class CalendarYear(Base):
    """A year whose State Council schedule the admin imported: it is covered, not provisional."""

    __tablename__ = "calendar_year"
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    document: Mapped[str] = mapped_column(String(64), default="")
    imported_by: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[utc]


class Setting(Base):
    """Station-local key/value settings (station id, community, language …)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# Feature models live in their own modules; importing them here completes the metadata.
from shequ_desktop.persistence.counter_models import (  # noqa: E402
    Case, CaseEvent, DocumentVoid, PrintedDocument, ServiceItem,
)
from shequ_desktop.persistence.sync_models import SyncConflict, WorkOrder, WorkOrderEvent  # noqa: E402
from shequ_desktop.persistence.special_groups_models import SPECIAL_GROUP_MODELS  # noqa: E402
from shequ_desktop.persistence.mediation_models import (MediationAgreement, MediationCase,  # noqa: E402
                                                        MediationEscalation, MediationFollowUp, MediationParty,
                                                        MediationSession, PatrolEntry)
from shequ_desktop.persistence.meeting_models import Meeting, MeetingInvitee  # noqa: E402
from shequ_desktop.persistence.emergency_models import EMERGENCY_MODELS  # noqa: E402
from shequ_desktop.persistence.governance_models import GOVERNANCE_MODELS  # noqa: E402
from shequ_desktop.persistence.staff_models import StaffMember  # noqa: E402

SYNCED_MODELS: tuple[type[Base], ...] = (Community, Grid, Building, Household, Resident, PostAssignment, Absence,
                                         ServiceItem, Case, CaseEvent, PrintedDocument, WorkOrder, WorkOrderEvent,
                                         DocumentVoid, *SPECIAL_GROUP_MODELS,
                                         PatrolEntry, MediationCase, MediationParty, MediationSession,
                                         MediationEscalation, MediationAgreement, MediationFollowUp,
                                         Meeting, MeetingInvitee, *EMERGENCY_MODELS, *GOVERNANCE_MODELS,
                                         StaffMember)
MODEL_BY_TABLE: dict[str, type[Base]] = {m.__tablename__: m for m in SYNCED_MODELS}
