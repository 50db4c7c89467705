"""The reusable meeting record (居民议事会 now; representatives' and joint meetings later)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shequ_desktop.domain import meetings as mt
from shequ_desktop.persistence.base import Base, Synced, UTCDateTime, utc


class Meeting(Synced, Base):
    __tablename__ = "meeting"
    kind: Mapped[str] = mapped_column(String(24), info={"choices": mt.MEETING_KINDS})
    subject: Mapped[str] = mapped_column(String(200))
    related_entity: Mapped[str] = mapped_column(String(64), default="")   # e.g. mediation_case
    related_id: Mapped[str | None] = mapped_column(String(36), index=True, nullable=True)
    planned_at: Mapped[utc]
    held_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    place: Mapped[str] = mapped_column(String(100), default="")
    chair: Mapped[str] = mapped_column(String(64), default="")
    minutes: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(16), info={"choices": mt.MEETING_STATES})


class MeetingInvitee(Synced, Base):
    __tablename__ = "meeting_invitee"
    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    category: Mapped[str] = mapped_column(String(24), info={"choices": mt.CATEGORIES})
    name: Mapped[str] = mapped_column(String(64))
    resident_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    attended: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
