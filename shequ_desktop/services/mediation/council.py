"""The residents' deliberation council (居民议事会, R27) of a multi-party dispute, on the meeting record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from shequ_desktop.domain import meetings as mt
from shequ_desktop.domain.errors import UserError
from shequ_desktop.persistence.mediation_models import MediationCase
from shequ_desktop.services import meetings
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.mediation.common import load_writable, meet_clock, require_open


def convene(ctx: AppContext, case_id: str, planned_at: dt.datetime, place: str,
            invitees: Sequence[meetings.Invitee]) -> meetings.MeetingView:
    """Plan the council: the parties, building heads and party-member representatives are invited."""
    with ctx.transaction() as s:
        c = load_writable(s, ctx, case_id)
        require_open(c)
        if planned_at < c.registered_at:
            raise UserError("The council cannot be planned before the case was received.", field="planned_at")
        return meetings.plan(ctx, mt.COUNCIL, f"{c.case_no} 居民议事会", planned_at, place, invitees,
                             "mediation_case", c.id)


def record_council(ctx: AppContext, meeting_id: str, held_at: dt.datetime, attendance: Mapping[str, bool],
                   minutes: str, outcome: str) -> meetings.MeetingView:
    """The council was held: attendance, minutes, outcome; the council clock of the case is met."""
    with ctx.transaction() as s:
        view = meetings.get(ctx, meeting_id)
        if view.related_id is None:
            raise UserError("This meeting belongs to no dispute case.")
        c = load_writable(s, ctx, view.related_id)
        view = meetings.record_held(ctx, meeting_id, held_at, attendance, minutes, outcome)
        case = s.get(MediationCase, c.id)
        if case is not None and case.clock_kind == "council":
            meet_clock(case, held_at)
        return view
