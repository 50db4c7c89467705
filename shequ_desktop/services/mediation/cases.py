"""Dispute cases: register (also from a patrol lead), escalate, report, pause, sessions, outcomes, archive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select

from shequ_desktop.domain import mediation as m
from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.errors import NotFound, UserError
from shequ_desktop.domain.masking import mask_name
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.mediation_models import (MediationAgreement, MediationCase, MediationEscalation,
                                                        MediationFollowUp, MediationParty, MediationSession,
                                                        PatrolEntry)
from shequ_desktop.persistence.models import Resident
from shequ_desktop.services import audit, staff
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.counter import next_serial
from shequ_desktop.services.mediation.common import (CaseView, case_view, load, load_writable, meet_clock,
                                                     require_open, resume_clock, start_clock)


@dataclass(frozen=True)
class PartyInput:
    """A resident from the registry (``resident_id``) or an outsider with name and phone; or an agent."""

    name: str = ""
    phone: str = ""
    resident_id: str | None = None
    role: str = m.PARTY
    agent_for: int | None = None     # index of the party (in the input list) an agent acts for
    sex: str = ""
    id_number: str = ""
    address: str = ""


@dataclass(frozen=True)
class CaseInput:
    kind: str
    source: str
    facts: str
    level: str = m.GRID
    parties: tuple[PartyInput, ...] = ()
    mediator_logins: tuple[str, ...] = ()
    multi_party: bool | None = None          # None: more than two parties
    grid_id: str | None = None
    source_ref: str = ""
    received_at: dt.datetime | None = None   # None: now


@dataclass(frozen=True)
class SessionInput:
    held_at: dt.datetime
    place: str
    attendees: str
    statements: str
    proposal: str = ""
    recorder_name: str = ""
    corrects_id: str | None = None


def _check_input(data: CaseInput) -> None:
    if data.kind not in m.KINDS:
        raise UserError("Choose the kind of dispute.", field="kind")
    if data.source not in m.SOURCES:
        raise UserError("Choose where the dispute came from.", field="source")
    if data.level not in m.LEVELS:
        raise UserError("Choose the level.", field="level")
    if not data.facts.strip():
        raise UserError("Describe the facts of the dispute.", field="facts")
    parties = [p for p in data.parties if p.role == m.PARTY]
    if len(parties) < 1:
        raise UserError("A dispute needs at least one party.", field="parties")
    for i, p in enumerate(data.parties):
        if p.role not in m.PARTY_ROLES:
            raise UserError("Unknown party role {role}.", field="parties", role=p.role)
        if p.resident_id is None and not p.name.strip():
            raise UserError("Party {n}: give a name or pick a resident from the registry.", field="parties", n=i + 1)
        if p.resident_id is None and p.role == m.PARTY and not p.phone.strip():
            raise UserError("Party {n}: an outsider needs a phone number.", field="parties", n=i + 1)
        if p.role == m.AGENT and (p.agent_for is None or not 0 <= p.agent_for < len(data.parties)
                                  or data.parties[p.agent_for].role != m.PARTY):
            raise UserError("Party {n}: say for which party the agent acts.", field="parties", n=i + 1)


def _mediator_names(s, logins: tuple[str, ...] | list[str]) -> str:  # noqa: ANN001
    """The mediators' names at the time (kept on the case: what every station and paper shows)."""
    return "、".join(staff.names_of(staff.names(s), logins))


def register_case(ctx: AppContext, data: CaseInput) -> CaseView:
    """A new dispute case at its level; the level's clock starts at the moment it was received."""
    ctx.require(Permission.MEDIATION_WORK)
    _check_input(data)
    now = ctx.clock.now()
    received = data.received_at or now
    if received > now:
        raise UserError("The dispute cannot be received in the future.", field="received_at")
    year = to_local(received).year
    with ctx.transaction() as s:
        residents: dict[str, Resident] = {}
        for p in data.parties:
            if p.resident_id is not None:
                r = s.get(Resident, p.resident_id)
                if r is None or r.deleted_at is not None:
                    raise NotFound("The resident was not found (maybe removed).")
                residents[p.resident_id] = r
        parties = [p for p in data.parties if p.role == m.PARTY]
        mediators = tuple(data.mediator_logins) or (ctx.user.login,)
        grid_id = data.grid_id or ctx.user.grid_id or next(
            (r.grid_id for r in residents.values() if r.grid_id), None)
        seq = next_serial(s, "mediation-case", year)
        c = MediationCase(community_id=ctx.community_id, case_no=f"TJ{year}-{seq:04d}", kind=data.kind,
                          source=data.source, source_ref=data.source_ref, facts=data.facts.strip(),
                          level=data.level, state=m.OPEN,
                          multi_party=len(parties) > 2 if data.multi_party is None else data.multi_party,
                          grid_id=grid_id, registered_at=received, registered_by=ctx.user.login,
                          mediator_logins=list(mediators), mediator_names=_mediator_names(s, mediators))
        start_clock(ctx, c, received)
        s.add(c)
        s.flush()
        ids: list[str] = []
        for i, p in enumerate(data.parties):
            r = residents.get(p.resident_id or "")
            row = MediationParty(
                community_id=ctx.community_id, case_id=c.id, role=p.role, position=i, resident_id=p.resident_id,
                name=(r.name if r else p.name.strip()), sex=(r.sex if r else p.sex), phone=(p.phone.strip() or
                                                                                           (r.phone if r else "")),
                id_number=(r.id_number if r else p.id_number.strip()), address=(r.address if r else p.address.strip()),
                agent_for=None)
            s.add(row)
            s.flush()
            ids.append(row.id)
        for i, p in enumerate(data.parties):   # agents point at their party's row
            if p.role == m.AGENT and p.agent_for is not None:
                s.get(MediationParty, ids[i]).agent_for = ids[p.agent_for]  # type: ignore[union-attr]
        s.flush()
        return case_view(s, c)


def register_from_lead(ctx: AppContext, entry_id: str, lead_index: int, data: CaseInput) -> CaseView:
    """A lead of a patrol entry becomes a case in one step (source = patrol, linked to the lead)."""
    with ctx.transaction() as s:
        entry = s.get(PatrolEntry, entry_id)
        if entry is None or not 0 <= lead_index < len(entry.leads or []):
            raise NotFound("The patrol lead was not found.")
        ref = f"{entry_id}#{lead_index}"
        taken = s.execute(select(MediationCase.case_no).where(MediationCase.source_ref == ref,
                                                              MediationCase.deleted_at.is_(None))).scalar()
        if taken:
            raise UserError("This lead is already the case {case_no}.", case_no=taken)
        facts = data.facts.strip() or str(entry.leads[lead_index])
        grid = data.grid_id or entry.grid_id
        return register_case(ctx, CaseInput(data.kind, m.SOURCES[0], facts, data.level, data.parties,
                                            data.mediator_logins, data.multi_party, grid, ref, data.received_at))


def escalate(ctx: AppContext, case_id: str, to_level: str, reason: str, judicial_office: str = "",
             law_firm: str = "") -> CaseView:
    """Escalating changes the level, records reason and time, and starts the new level's clock."""
    if to_level not in m.LEVELS:
        raise UserError("Choose the level.", field="level")
    if not reason.strip():
        raise UserError("Give the reason for escalating.", field="reason")
    now = ctx.clock.now()
    with ctx.transaction() as s:
        c = load_writable(s, ctx, case_id)
        require_open(c)
        if m.level_rank(to_level) <= m.level_rank(c.level):
            raise UserError("A case can only go up: grid → community → subdistrict.", field="level")
        s.add(MediationEscalation(community_id=c.community_id, case_id=c.id, at=now, from_level=c.level,
                                  to_level=to_level, reason=reason.strip(), by_name=ctx.user.display_name))
        c.level = to_level
        if to_level == m.SUBDISTRICT:
            c.judicial_office = judicial_office.strip() or c.judicial_office
            c.law_firm = law_firm.strip() or c.law_firm
        start_clock(ctx, c, now)
        if to_level == m.SUBDISTRICT and (c.judicial_office or c.law_firm):
            c.reported_at = now
            meet_clock(c, now)
        s.flush()
        return case_view(s, c)


def report_to_subdistrict(ctx: AppContext, case_id: str, judicial_office: str, law_firm: str) -> CaseView:
    """R29: the complex dispute is reported, with the judicial office or a law firm named: the clock is met."""
    if not judicial_office.strip() and not law_firm.strip():
        raise UserError("Name the judicial office or the law firm that joins.", field="judicial_office")
    now = ctx.clock.now()
    with ctx.transaction() as s:
        c = load_writable(s, ctx, case_id)
        require_open(c)
        if c.level != m.SUBDISTRICT:
            raise UserError("Escalate the case to the subdistrict first.", field="level")
        c.judicial_office, c.law_firm, c.reported_at = judicial_office.strip(), law_firm.strip(), now
        meet_clock(c, now)
        return case_view(s, c)


def set_mediators(ctx: AppContext, case_id: str, mediator_logins: list[str]) -> CaseView:
    if not mediator_logins:
        raise UserError("A case needs at least one mediator.", field="mediators")
    with ctx.transaction() as s:
        c = load_writable(s, ctx, case_id)
        c.mediator_logins, c.mediator_names = list(mediator_logins), _mediator_names(s, mediator_logins)
        return case_view(s, c)


def pause_clock(ctx: AppContext, case_id: str) -> CaseView:
    """Waiting on a party: the clock stands still until resumed."""
    with ctx.transaction() as s:
        c = load_writable(s, ctx, case_id)
        require_open(c)
        if c.clock_due_at is None or c.clock_met_at is not None or c.clock_paused_at is not None:
            raise UserError("No running clock to pause.")
        c.clock_paused_at = ctx.clock.now()
        return case_view(s, c)


def resume_clock_now(ctx: AppContext, case_id: str) -> CaseView:
    with ctx.transaction() as s:
        c = load_writable(s, ctx, case_id)
        if c.clock_paused_at is None:
            raise UserError("The clock is not paused.")
        d = resume_clock(ctx, c, ctx.clock.now())
        c.clock_due_at, c.clock_provisional, c.clock_paused_at = d.due, d.provisional, None
        return case_view(s, c)


# --- sessions (调解笔录, append-only) --------------------------------------------------------

def record_session(ctx: AppContext, case_id: str, data: SessionInput) -> str:
    """Record one session; a session cannot predate the case nor lie in the future."""
    now = ctx.clock.now()
    if not data.place.strip():
        raise UserError("Where was the session held?", field="place")
    if not data.attendees.strip():
        raise UserError("Who attended the session?", field="attendees")
    if not data.statements.strip():
        raise UserError("Record what each side said.", field="statements")
    if data.held_at > now + dt.timedelta(minutes=5):
        raise UserError("A session cannot be dated in the future.", field="held_at")
    with ctx.transaction() as s:
        c = load_writable(s, ctx, case_id)
        if data.held_at < c.registered_at:
            raise UserError("The session is dated before the case was received ({when}).", field="held_at",
                            when=to_local(c.registered_at).strftime("%Y-%m-%d %H:%M"))
        if c.state != m.OPEN and data.corrects_id is None:
            raise UserError("The case {case_no} is already concluded.", case_no=c.case_no)
        row = MediationSession(community_id=c.community_id, case_id=c.id, held_at=data.held_at,
                               place=data.place.strip(), attendees=data.attendees.strip(),
                               statements=data.statements.strip(), proposal=data.proposal.strip(),
                               mediator_name=ctx.user.display_name, recorder_name=data.recorder_name.strip(),
                               corrects_id=data.corrects_id)
        s.add(row)
        s.flush()
        return row.id


# --- outcomes ---------------------------------------------------------------------------------

def _conclude(ctx: AppContext, case_id: str, state: str, text: str, refused_by: str = "") -> CaseView:
    now = ctx.clock.now()
    with ctx.transaction() as s:
        c = load_writable(s, ctx, case_id)
        require_open(c)
        c.state, c.closed_at, c.outcome_text, c.refused_by = state, now, text, refused_by
        meet_clock(c, now)
        return case_view(s, c)


def refuse(ctx: AppContext, case_id: str, party_name: str, note: str = "") -> CaseView:
    """人民调解法 §17: a party clearly refuses — no mediation; outside the success rate."""
    if not party_name.strip():
        raise UserError("Which party refused mediation?", field="refused_by")
    return _conclude(ctx, case_id, m.REFUSED, note.strip(), party_name.strip())


def settle_orally(ctx: AppContext, case_id: str, content: str) -> CaseView:
    """§28/§30: an oral agreement, its content recorded by the mediator; effective when reached."""
    if not content.strip():
        raise UserError("Record the content of the oral agreement.", field="outcome_text")
    return _conclude(ctx, case_id, m.SETTLED_ORAL, content.strip())


def fail(ctx: AppContext, case_id: str, reason: str) -> CaseView:
    """§26: mediation ends; the parties are told of the arbitration, administrative and court routes."""
    if not reason.strip():
        raise UserError("Say why the mediation failed.", field="outcome_text")
    return _conclude(ctx, case_id, m.FAILED, reason.strip())


# --- archive ----------------------------------------------------------------------------------

def archive(ctx: AppContext, case_id: str) -> CaseView:
    """A concluded case is archived (§27, R29): read-only from now on, with a file number."""
    ctx.require(Permission.MEDIATION_WORK)
    from shequ_desktop.services.mediation.common import committee_names
    now = ctx.clock.now()
    with ctx.transaction() as s:
        c = load_writable(s, ctx, case_id)
        if c.state == m.OPEN:
            raise UserError("Only a concluded case can be archived.")
        year = to_local(now).year
        _full, short = committee_names(s, ctx)
        c.file_no = m.file_no(year, short, next_serial(s, "mediation-file", year))
        c.archived_at = now
        return case_view(s, c)


def get_case(ctx: AppContext, case_id: str) -> CaseView:
    with ctx.transaction() as s:
        return case_view(s, load(s, ctx, case_id))


@dataclass(frozen=True)
class SessionView:
    id: str
    held_at: dt.datetime
    place: str
    attendees: str
    statements: str
    proposal: str
    mediator_name: str
    recorder_name: str
    corrects_id: str | None


@dataclass(frozen=True)
class EscalationView:
    at: dt.datetime
    from_level: str
    to_level: str
    reason: str
    by_name: str


@dataclass(frozen=True)
class FollowUpView:
    visited_on: dt.date
    performance: str
    note: str
    by_name: str


@dataclass(frozen=True)
class CaseFile:
    """Everything on one case, for the detail pane and the 卷宗."""

    case: CaseView
    sessions: list[SessionView] = field(default_factory=list)
    escalations: list[EscalationView] = field(default_factory=list)
    followups: list[FollowUpView] = field(default_factory=list)
    agreement_id: str | None = None
    council_id: str | None = None


def case_file(ctx: AppContext, case_id: str) -> CaseFile:
    from shequ_desktop.persistence.meeting_models import Meeting
    with ctx.transaction() as s:
        c = load(s, ctx, case_id)
        sessions = [SessionView(x.id, x.held_at, x.place, x.attendees, x.statements, x.proposal, x.mediator_name,
                                x.recorder_name, x.corrects_id) for x in s.execute(
            select(MediationSession).where(MediationSession.case_id == c.id).order_by(MediationSession.held_at)
        ).scalars()]
        escalations = [EscalationView(x.at, x.from_level, x.to_level, x.reason, x.by_name) for x in s.execute(
            select(MediationEscalation).where(MediationEscalation.case_id == c.id).order_by(MediationEscalation.at)
        ).scalars()]
        followups = [FollowUpView(x.visited_on, x.performance, x.note, x.by_name) for x in s.execute(
            select(MediationFollowUp).where(MediationFollowUp.case_id == c.id).order_by(MediationFollowUp.visited_on)
        ).scalars()]
        agreement = s.execute(select(MediationAgreement.id).where(MediationAgreement.case_id == c.id)).scalar()
        council = s.execute(select(Meeting.id).where(Meeting.related_id == c.id, Meeting.deleted_at.is_(None))
                            .order_by(Meeting.planned_at.desc())).scalar()
        return CaseFile(case_view(s, c), sessions, escalations, followups, agreement, council)


@dataclass(frozen=True)
class PartyDetail:
    name: str
    phone: str
    id_number: str
    address: str


def reveal_party(ctx: AppContext, party_id: str, purpose: str = "") -> PartyDetail:
    """The full name, phone, ID number and address of a party — written to the audit log (§7)."""
    with ctx.transaction() as s:
        p = s.get(MediationParty, party_id)
        if p is None:
            raise NotFound("The party was not found.")
        load(s, ctx, p.case_id)
        audit.append(s, ctx, audit.AuditAction.REVEAL, "mediation_party", p.id, audit.describe(
            audit.MSG_REVEALED_PARTY, name=mask_name(p.name), purpose_msg=purpose or audit.MSG_PURPOSE_MEDIATION))
        return PartyDetail(p.name, p.phone, p.id_number, p.address)


def count_cases(ctx: AppContext) -> int:
    with ctx.transaction() as s:
        return int(s.execute(select(func.count()).select_from(MediationCase)).scalar_one())
