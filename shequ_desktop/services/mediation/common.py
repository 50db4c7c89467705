"""Shared pieces of the mediation services: loading with access checks, the clock, the views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shequ_desktop.domain import mediation as m
from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.clocks import (ClockRule, Deadline, Pause, deadline, parse_close, remaining,
                                         shift_for_pause)
from shequ_desktop.domain.errors import NotFound, PermissionDenied, UserError
from shequ_desktop.domain.masking import mask_name, mask_phone
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.mediation_models import MediationCase, MediationParty
from shequ_desktop.persistence.models import Community
from shequ_desktop.services import calendar
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.policy import current_policy


@dataclass(frozen=True)
class ClockView:
    kind: str                       # onspot / council / report / "" (no clock)
    rule: str
    due_at: dt.datetime | None
    provisional: bool
    paused: bool
    met_at: dt.datetime | None

    def left(self, now: dt.datetime) -> dt.timedelta | None:
        """Time left at ``now`` (negative: late); None when no clock runs."""
        if self.due_at is None or self.met_at is not None:
            return None
        return self.due_at - now

    @property
    def running(self) -> bool:
        return self.due_at is not None and self.met_at is None


@dataclass(frozen=True)
class PartyView:
    id: str
    role: str
    position: int
    name: str          # masked unless revealed
    phone: str         # masked unless revealed
    resident_id: str | None
    agent_for: str | None
    from_registry: bool


@dataclass(frozen=True)
class CaseView:
    id: str
    case_no: str
    kind: str
    source: str
    facts: str
    level: str
    state: str
    multi_party: bool
    grid_id: str | None
    registered_at: dt.datetime
    mediator_logins: tuple[str, ...]
    mediator_names: str
    judicial_office: str
    law_firm: str
    clock: ClockView
    reported_at: dt.datetime | None
    closed_at: dt.datetime | None
    outcome_text: str
    refused_by: str
    archived_at: dt.datetime | None
    file_no: str
    parties: tuple[PartyView, ...]
    version: int

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def closed(self) -> bool:
        return self.state in m.CLOSED_STATES


def party_view(p: MediationParty, reveal: bool = False) -> PartyView:
    name = p.name if reveal else mask_name(p.name)
    phone = p.phone if reveal else mask_phone(p.phone)
    return PartyView(p.id, p.role, p.position, name, phone, p.resident_id, p.agent_for, p.resident_id is not None)


def clock_view(c: MediationCase) -> ClockView:
    return ClockView(c.clock_kind, c.clock_rule, c.clock_due_at, c.clock_provisional,
                     c.clock_paused_at is not None, c.clock_met_at)


def case_view(s: Session, c: MediationCase) -> CaseView:
    parties = s.execute(select(MediationParty).where(MediationParty.case_id == c.id,
                                                     MediationParty.deleted_at.is_(None))
                        .order_by(MediationParty.role.desc(), MediationParty.position)).scalars()
    return CaseView(c.id, c.case_no, c.kind, c.source, c.facts, c.level, c.state, c.multi_party, c.grid_id,
                    c.registered_at, tuple(c.mediator_logins or ()), c.mediator_names, c.judicial_office, c.law_firm,
                    clock_view(c), c.reported_at, c.closed_at, c.outcome_text, c.refused_by, c.archived_at,
                    c.file_no, tuple(party_view(p) for p in parties), c.version)


def may_see(ctx: AppContext, c: MediationCase) -> bool:
    if ctx.may(Permission.MEDIATION_ALL):
        return True
    login = ctx.user.login
    return (login in (c.mediator_logins or ()) or c.registered_by == login
            or (ctx.user.grid_id is not None and c.grid_id == ctx.user.grid_id))


def load(s: Session, ctx: AppContext, case_id: str) -> MediationCase:
    ctx.require(Permission.MEDIATION_WORK)
    c = s.get(MediationCase, case_id)
    if c is None or c.deleted_at is not None:
        raise NotFound("The dispute case was not found.")
    if not may_see(ctx, c):
        raise PermissionDenied("This dispute belongs to another grid; ask its mediator or the station chief.")
    return c


def load_writable(s: Session, ctx: AppContext, case_id: str) -> MediationCase:
    c = load(s, ctx, case_id)
    if c.archived_at is not None:
        raise UserError("The case {case_no} is archived and can no longer be changed.", case_no=c.case_no)
    return c


def require_open(c: MediationCase) -> None:
    if c.state != m.OPEN:
        raise UserError("The case {case_no} is already concluded.", case_no=c.case_no)


def close_time(ctx: AppContext) -> dt.time:
    return parse_close(str(current_policy(ctx).get("office_close_time")))


def start_clock(ctx: AppContext, c: MediationCase, at: dt.datetime) -> None:
    """Start the clock of the case's current level (or none); the previous clock is replaced."""
    kind, rule = m.clock_for(c.level, c.multi_party, current_policy(ctx).to_dict())
    c.clock_kind, c.clock_rule, c.clock_paused_at, c.clock_met_at = kind, str(rule) if rule else "", None, None
    if rule is None:
        c.clock_started_at = c.clock_due_at = None
        c.clock_provisional = False
        return
    d = deadline(at, rule, calendar.working_calendar(ctx), close_time(ctx))
    c.clock_started_at, c.clock_due_at, c.clock_provisional = at, d.due, d.provisional


def meet_clock(c: MediationCase, at: dt.datetime) -> None:
    if c.clock_due_at is not None and c.clock_met_at is None:
        c.clock_met_at = at
        c.clock_paused_at = None


def resume_clock(ctx: AppContext, c: MediationCase, at: dt.datetime) -> Deadline:
    """The deadline moves by the time paused (elapsed, or the working days paused)."""
    assert c.clock_due_at is not None and c.clock_paused_at is not None
    rule = ClockRule.parse(c.clock_rule)
    base = Deadline(c.clock_due_at, c.clock_provisional, rule)
    # The stored due already includes earlier pauses: shift only by this one.
    due, prov = shift_for_pause(base.due, rule, Pause(c.clock_paused_at, at), calendar.working_calendar(ctx),
                                close_time(ctx))
    return Deadline(due, base.provisional or prov, rule)


def committee_names(s: Session, ctx: AppContext) -> tuple[str, str]:
    """(幸福里社区人民调解委员会, 幸福里社区调委会) from the community's name."""
    community = s.get(Community, ctx.community_id)
    name = (community.name if community and community.name else "") or "本社区"
    return f"{name}人民调解委员会", f"{name}调委会"


def today(ctx: AppContext) -> dt.date:
    return local_today(ctx.clock)


__all__ = ["CaseView", "ClockView", "PartyView", "case_view", "load", "load_writable", "remaining"]
