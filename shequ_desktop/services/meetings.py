"""Meetings (reusable record): plan with an invite list by category, then record attendance, minutes, outcome.

The mediation module uses it for the residents' deliberation council (居民议事会, R27); the meetings
module (residents' representative meetings, joint meetings) uses the same record with its own kinds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from shequ_desktop.domain import meetings as mt
from shequ_desktop.domain.errors import NotFound, UserError
from shequ_desktop.persistence.meeting_models import Meeting, MeetingInvitee
from shequ_desktop.services.context import AppContext


@dataclass(frozen=True)
class Invitee:
    category: str
    name: str
    resident_id: str | None = None


@dataclass(frozen=True)
class InviteeView:
    id: str
    category: str
    name: str
    resident_id: str | None
    attended: bool | None


@dataclass(frozen=True)
class MeetingView:
    id: str
    kind: str
    subject: str
    related_entity: str
    related_id: str | None
    planned_at: dt.datetime
    held_at: dt.datetime | None
    place: str
    chair: str
    minutes: str
    outcome: str
    state: str
    invitees: tuple[InviteeView, ...]


def _view(s, meeting: Meeting) -> MeetingView:  # noqa: ANN001
    rows = s.execute(select(MeetingInvitee).where(MeetingInvitee.meeting_id == meeting.id,
                                                  MeetingInvitee.deleted_at.is_(None))
                     .order_by(MeetingInvitee.category, MeetingInvitee.name)).scalars()
    return MeetingView(meeting.id, meeting.kind, meeting.subject, meeting.related_entity, meeting.related_id,
                       meeting.planned_at, meeting.held_at, meeting.place, meeting.chair, meeting.minutes,
                       meeting.outcome, meeting.state,
                       tuple(InviteeView(r.id, r.category, r.name, r.resident_id, r.attended) for r in rows))


def plan(ctx: AppContext, kind: str, subject: str, planned_at: dt.datetime, place: str,
         invitees: Sequence[Invitee], related_entity: str = "", related_id: str | None = None,
         chair: str = "") -> MeetingView:
    """A planned meeting; the invite list must hold the categories the kind requires (R27 for the council)."""
    if kind not in mt.MEETING_KINDS:
        raise UserError("Unknown kind of meeting.", field="kind")
    if not subject.strip():
        raise UserError("Give the meeting a subject.", field="subject")
    for inv in invitees:
        if inv.category not in mt.CATEGORIES or not inv.name.strip():
            raise UserError("Every invitee needs a name and a category.", field="invitees")
    missing = mt.missing_categories(kind, (i.category for i in invitees))
    if missing:
        raise UserError("Invite also: {categories}.", field="invitees",
                        categories="、".join(mt.CATEGORY_ZH[c] for c in missing))
    with ctx.transaction() as s:
        meeting = Meeting(community_id=ctx.community_id, kind=kind, subject=subject.strip(),
                          related_entity=related_entity, related_id=related_id, planned_at=planned_at,
                          place=place.strip(), chair=chair.strip() or ctx.user.display_name, state="planned")
        s.add(meeting)
        s.flush()
        for inv in invitees:
            s.add(MeetingInvitee(community_id=ctx.community_id, meeting_id=meeting.id, category=inv.category,
                                 name=inv.name.strip(), resident_id=inv.resident_id))
        s.flush()
        return _view(s, meeting)


def record_held(ctx: AppContext, meeting_id: str, held_at: dt.datetime, attendance: Mapping[str, bool],
                minutes: str, outcome: str) -> MeetingView:
    """The meeting took place: who came (invitee id → attended), the minutes and the outcome."""
    if not minutes.strip():
        raise UserError("Write the minutes.", field="minutes")
    if not outcome.strip():
        raise UserError("Record the outcome of the meeting.", field="outcome")
    if held_at > ctx.clock.now() + dt.timedelta(minutes=5):
        raise UserError("A meeting cannot be recorded before it happens.", field="held_at")
    with ctx.transaction() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None or meeting.deleted_at is not None:
            raise NotFound("The meeting was not found.")
        if meeting.state == "held":
            raise UserError("The meeting is already recorded.")
        for row in s.execute(select(MeetingInvitee).where(MeetingInvitee.meeting_id == meeting.id)).scalars():
            row.attended = bool(attendance.get(row.id, False))
        meeting.held_at, meeting.minutes, meeting.outcome, meeting.state = held_at, minutes.strip(), outcome.strip(), "held"
        s.flush()
        return _view(s, meeting)


def get(ctx: AppContext, meeting_id: str) -> MeetingView:
    with ctx.transaction() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise NotFound("The meeting was not found.")
        return _view(s, meeting)


def for_record(ctx: AppContext, related_id: str) -> list[MeetingView]:
    with ctx.transaction() as s:
        return [_view(s, x) for x in s.execute(select(Meeting).where(
            Meeting.related_id == related_id, Meeting.deleted_at.is_(None)).order_by(Meeting.planned_at)).scalars()]
