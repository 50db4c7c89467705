"""Models of emergency management (应急管理): hazard plans, the team, incidents with their timeline,
checklists and checks on vulnerable residents, drills and training with attendance.

The timeline is append-only: a correction is a new entry whose ``corrects_id`` points at the entry it
replaces. Enum-like columns declare their choices and numbers their ranges for the hub's validator.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shequ_desktop.domain import emergency as e
from shequ_desktop.persistence.base import Base, Synced, UTCDateTime, utc


class EmergencyPlan(Synced, Base):
    """A hazard plan (R59): response steps, roles, contacts, assembly points, supplies — editable."""

    __tablename__ = "em_plan"
    hazard: Mapped[str] = mapped_column(String(32), index=True)     # code (e.HAZARDS or a station's own)
    name: Mapped[str] = mapped_column(String(32))                   # 火灾
    position: Mapped[int] = mapped_column(Integer, default=0, info={"min": 0, "max": 999})
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    steps: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)      # {title, role, minutes}
    roles: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)         # {role, duty}
    contacts: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)      # {name, role, phone}
    assembly_points: Mapped[list[str]] = mapped_column(JSON, default=list)
    supplies: Mapped[list[str]] = mapped_column(JSON, default=list)
    further_steps: Mapped[list[str]] = mapped_column(JSON, default=list)   # R65: offered on the timeline
    note: Mapped[str] = mapped_column(Text, default="")


class TeamMember(Synced, Base):
    """A member of the emergency team (R60); ``caller_id`` is who phones this member (the phone tree)."""

    __tablename__ = "em_member"
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16), info={"choices": e.MEMBER_KINDS})
    role: Mapped[str] = mapped_column(String(16), info={"choices": e.TEAM_ROLES})
    phone: Mapped[str] = mapped_column(String(32))
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    availability: Mapped[str] = mapped_column(String(16), default="anytime", info={"choices": e.AVAILABILITY})
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    caller_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    login: Mapped[str] = mapped_column(String(64), default="")     # a staff member's login, if any
    joined_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class Incident(Synced, Base):
    """An emergency (or a drill: ``is_exercise``). The first-minute moments are kept here for lists and
    clocks; the timeline entries are the record of how they were set and corrected."""

    __tablename__ = "em_incident"
    incident_no: Mapped[str] = mapped_column(String(40), index=True)
    hazard: Mapped[str] = mapped_column(String(32))
    plan_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    title: Mapped[str] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(String(200), default="")
    grade: Mapped[str] = mapped_column(String(16), info={"choices": e.GRADES})
    is_exercise: Mapped[bool] = mapped_column(Boolean, default=False)
    building_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(8), index=True, default=e.OPEN, info={"choices": e.INCIDENT_STATES})
    occurred_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    reported_at: Mapped[utc] = mapped_column(UTCDateTime(), index=True)
    reported_by: Mapped[str] = mapped_column(String(64), default="")       # who told us
    report_how: Mapped[str] = mapped_column(String(16), info={"choices": e.REPORT_HOW})
    onsite_due_at: Mapped[utc]
    report_due_at: Mapped[utc]
    onsite_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    onsite_by: Mapped[str] = mapped_column(String(64), default="")
    subdistrict_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    subdistrict_channel: Mapped[str | None] = mapped_column(String(16), nullable=True,
                                                            info={"choices": e.CHANNELS})
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    opened_by: Mapped[str] = mapped_column(String(64), default="")          # login


class IncidentEntry(Synced, Base):
    """One line of an incident's timeline — append-only."""

    __tablename__ = "em_entry"
    __append_only__ = True
    incident_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(16), info={"choices": e.ENTRY_KINDS})
    at: Mapped[utc]                                    # the moment the entry speaks of
    recorded_at: Mapped[utc]                           # when it was typed in
    entered_later: Mapped[bool] = mapped_column(Boolean, default=False)   # typed, not pressed at the moment
    text: Mapped[str] = mapped_column(Text, default="")
    channel: Mapped[str] = mapped_column(String(16), default="")
    ref_id: Mapped[str] = mapped_column(String(36), default="")           # task / member / resident
    value: Mapped[str] = mapped_column(String(16), default="")            # a status or state code
    by_login: Mapped[str] = mapped_column(String(64), default="")
    by_name: Mapped[str] = mapped_column(String(64), default="")
    corrects_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class IncidentTask(Synced, Base):
    """A plan step copied into an incident as its checklist: who, by when, done."""

    __tablename__ = "em_task"
    incident_id: Mapped[str] = mapped_column(String(36), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0, info={"min": 0, "max": 999})
    title: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32), default="")
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    assignee: Mapped[str] = mapped_column(String(64), default="")
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    done_by: Mapped[str] = mapped_column(String(64), default="")


class PersonCheck(Synced, Base):
    """The check on one vulnerable resident in an incident (reached / safe / needs help / evacuated)."""

    __tablename__ = "em_check"
    incident_id: Mapped[str] = mapped_column(String(36), index=True)
    resident_id: Mapped[str] = mapped_column(String(36))
    building_id: Mapped[str] = mapped_column(String(36))
    state: Mapped[str] = mapped_column(String(16), default="pending", info={"choices": e.CHECK_STATES})
    checked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    by_name: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class Exercise(Synced, Base):
    """A comprehensive drill (R61; also an incident flagged as an exercise) or a specialised training (R62)."""

    __tablename__ = "em_exercise"
    kind: Mapped[str] = mapped_column(String(16), info={"choices": e.EXERCISE_KINDS})
    held_on: Mapped[dt.date] = mapped_column(Date, index=True)
    hazard: Mapped[str] = mapped_column(String(32), default="")
    topic: Mapped[str] = mapped_column(String(100))
    place: Mapped[str] = mapped_column(String(100), default="")
    duration_minutes: Mapped[int] = mapped_column(Integer, info={"min": 1, "max": 1440})
    findings: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list[str]] = mapped_column(JSON, default=list)    # old records: names only (see em_file)
    incident_id: Mapped[str | None] = mapped_column(String(36), nullable=True)


class ExerciseAttendance(Synced, Base):
    __tablename__ = "em_attendance"
    exercise_id: Mapped[str] = mapped_column(String(36), index=True)
    member_id: Mapped[str] = mapped_column(String(36), index=True)
    present: Mapped[bool] = mapped_column(Boolean, default=True)


class AttachedFile(Synced, Base):
    """A file attached to a drill or training record (a photo, a sign-in sheet) — append-only.

    The content is kept in ``em_file_part`` rows (base64 of ≤ FILE_PART_BYTES each) so that sync carries it
    to the hub and every station; ``sha256`` and ``size`` check that all parts arrived. Removing a file is a
    new row whose ``withdraws_id`` points at the file (no content)."""

    __tablename__ = "em_file"
    __append_only__ = True
    owner_kind: Mapped[str] = mapped_column(String(16), info={"choices": e.FILE_OWNERS})
    owner_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="other", info={"choices": e.FILE_KINDS})
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(Integer, info={"min": 0, "max": e.MAX_FILE_BYTES})
    sha256: Mapped[str] = mapped_column(String(64), default="")
    parts: Mapped[int] = mapped_column(Integer, default=0, info={"min": 0, "max": e.MAX_FILE_PARTS})
    personal: Mapped[bool] = mapped_column(Boolean, default=False)     # names, faces, signatures: opening audited
    created_by: Mapped[str] = mapped_column(String(64), default="")    # login
    withdraws_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")


class AttachedFilePart(Synced, Base):
    """One part of an attached file's content (base64) — append-only."""

    __tablename__ = "em_file_part"
    __append_only__ = True
    file_id: Mapped[str] = mapped_column(String(36), index=True)
    position: Mapped[int] = mapped_column(Integer, info={"min": 0, "max": e.MAX_FILE_PARTS - 1})
    data: Mapped[str] = mapped_column(Text)


EMERGENCY_MODELS = (EmergencyPlan, TeamMember, Incident, IncidentEntry, IncidentTask, PersonCheck, Exercise,
                    ExerciseAttendance, AttachedFile, AttachedFilePart)
