"""居务监督委员会 (R37) and its quarterly inspection of the ledgers and the use of funds (R38).

Exactly ``supervisory_members`` (3) residents' representatives, their term in step with the residents'
committee: anything else is shown as a warning; a member beyond the number is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.errors import NotFound, UserError, plural
from shequ_desktop.domain.masking import mask_phone
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.counter_models import Case
from shequ_desktop.persistence.governance_models import CommitteeMember, Inspection, SupervisionCommittee
from shequ_desktop.persistence.mediation_models import MediationCase
from shequ_desktop.persistence.models import Resident
from shequ_desktop.persistence.special_groups_models import ContactLog
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.governance.common import policy, today


@dataclass(frozen=True)
class MemberInput:
    name: str = ""
    resident_id: str | None = None
    phone: str = ""
    role: str = g.MEMBER
    representative: bool = True
    term_start: dt.date | None = None       # None: the committee's term
    term_end: dt.date | None = None


@dataclass(frozen=True)
class MemberView:
    id: str
    name: str
    phone: str                               # masked
    role: str
    representative: bool
    term_start: dt.date
    term_end: dt.date
    left_on: dt.date | None


@dataclass(frozen=True)
class CommitteeView:
    id: str | None
    term_start: dt.date | None
    term_end: dt.date | None
    elected_on: dt.date | None
    members: tuple[MemberView, ...]          # active members
    former: tuple[MemberView, ...]
    required: int
    warnings: tuple[tuple[str, dict[str, object]], ...]   # message id + params


@dataclass(frozen=True)
class InspectionInput:
    quarter: str
    inspected_on: dt.date
    inspectors: str
    ledgers: tuple[str, ...]
    findings: str
    result: str
    funds_findings: str = ""


@dataclass(frozen=True)
class InspectionView:
    id: str
    quarter: str
    inspected_on: dt.date
    inspectors: str
    ledgers: tuple[str, ...]
    findings: str
    funds_findings: str
    result: str


@dataclass(frozen=True)
class LedgerCount:
    ledger: str
    records: int


def _current(s) -> SupervisionCommittee | None:  # noqa: ANN001
    return s.execute(select(SupervisionCommittee).where(SupervisionCommittee.deleted_at.is_(None))
                     .order_by(SupervisionCommittee.term_start.desc()).limit(1)).scalars().first()


def set_term(ctx: AppContext, term_start: dt.date, term_end: dt.date | None = None,
             elected_on: dt.date | None = None) -> CommitteeView:
    """A new committee term, in step with the residents' committee (default: ``supervisory_term_years``)."""
    ctx.require(Permission.OVERSIGHT)
    end = term_end or g.term_end(term_start, policy(ctx).int_value("supervisory_term_years"))
    if end <= term_start:
        raise UserError("The term must end after it starts.", field="term_end")
    if elected_on is not None and elected_on > today(ctx):
        raise UserError("The election date cannot be in the future.", field="elected_on")
    with ctx.transaction() as s:
        s.add(SupervisionCommittee(community_id=ctx.community_id, term_start=term_start, term_end=end,
                                   elected_on=elected_on))
        s.flush()
    return committee(ctx)


def _member_view(m: CommitteeMember) -> MemberView:
    return MemberView(m.id, m.name, mask_phone(m.phone), m.role, m.representative, m.term_start, m.term_end,
                      m.left_on)


def _active(s, committee_id: str) -> list[CommitteeMember]:  # noqa: ANN001
    return list(s.execute(select(CommitteeMember).where(CommitteeMember.committee_id == committee_id,
                                                        CommitteeMember.deleted_at.is_(None),
                                                        CommitteeMember.left_on.is_(None))
                          .order_by(CommitteeMember.role, CommitteeMember.created_at)).scalars())


def add_member(ctx: AppContext, data: MemberInput) -> CommitteeView:
    """A member of the current committee; refused when it already has its number of active members."""
    ctx.require(Permission.OVERSIGHT)
    required = policy(ctx).int_value("supervisory_members")
    if data.role not in g.COMMITTEE_ROLES:
        raise UserError("Choose the member's role.", field="role")
    with ctx.transaction() as s:
        c = _current(s)
        if c is None:
            raise UserError("Set the committee's term first (the residents' committee's term).", field="term_start")
        active = _active(s, c.id)
        if len(active) >= required:
            raise UserError(plural("The supervision committee already has {n} member; they must leave before "
                                   "another joins.",
                                   "The supervision committee already has {n} members; one must leave before "
                                   "another joins."), field="members", n=len(active))
        name, phone = data.name.strip(), data.phone.strip()
        if data.resident_id is not None:
            r = s.get(Resident, data.resident_id)
            if r is None or r.deleted_at is not None:
                raise NotFound("The resident was not found (maybe removed).")
            name, phone = r.name, phone or r.phone
            if any(m.resident_id == r.id for m in active):
                raise UserError("{name} is already a member.", field="members", name=r.name)
        if not name or len(name) > 64:
            raise UserError("Give the member's name.", field="name")
        if len(phone) > 32:
            raise UserError("The phone number is too long.", field="phone")
        if data.role == g.CHAIR and any(m.role == g.CHAIR for m in active):
            raise UserError("The committee already has a chair.", field="role")
        start, end = data.term_start or c.term_start, data.term_end or c.term_end
        if end <= start:
            raise UserError("The term must end after it starts.", field="term_end")
        s.add(CommitteeMember(community_id=ctx.community_id, committee_id=c.id, resident_id=data.resident_id,
                              name=name, phone=phone, role=data.role, representative=data.representative,
                              term_start=start, term_end=end))
        s.flush()
    return committee(ctx)


def member_leaves(ctx: AppContext, member_id: str, left_on: dt.date | None = None) -> CommitteeView:
    ctx.require(Permission.OVERSIGHT)
    day = left_on or today(ctx)
    with ctx.transaction() as s:
        m = s.get(CommitteeMember, member_id)
        if m is None or m.deleted_at is not None:
            raise NotFound("The member was not found.")
        if m.left_on is not None:
            raise UserError("{name} has already left.", name=m.name)
        if day < m.term_start:
            raise UserError("The leaving date is before the member's term began.", field="left_on")
        m.left_on = day
        s.flush()
    return committee(ctx)


def committee(ctx: AppContext) -> CommitteeView:
    """The current committee with its active members and every warning (R37)."""
    ctx.require(Permission.OVERSIGHT_WORK)
    required = policy(ctx).int_value("supervisory_members")
    with ctx.transaction() as s:
        c = _current(s)
        if c is None:
            return CommitteeView(None, None, None, None, (), (), required,
                                 (("No supervision committee is recorded yet.", {}),))
        active = _active(s, c.id)
        former = s.execute(select(CommitteeMember).where(CommitteeMember.committee_id == c.id,
                                                         CommitteeMember.deleted_at.is_(None),
                                                         CommitteeMember.left_on.is_not(None))
                           .order_by(CommitteeMember.left_on)).scalars().all()
        facts = [g.MemberFacts(m.name, m.representative, m.term_start, m.term_end) for m in active]
        warnings = g.committee_warnings(facts, c.term_start, c.term_end, required)
        if c.term_end < today(ctx):
            warnings.append(("The committee's term ended on {day}; record the new term.",
                             {"day": c.term_end.isoformat()}))
        return CommitteeView(c.id, c.term_start, c.term_end, c.elected_on, tuple(_member_view(m) for m in active),
                             tuple(_member_view(m) for m in former), required, tuple(warnings))


# --- inspections (R38) -----------------------------------------------------------------------------

def ledger_counts(ctx: AppContext, quarter: str) -> list[LedgerCount]:
    """The ledgers the program produces for the quarter's inspection, with how many records each holds."""
    ctx.require(Permission.OVERSIGHT_WORK)
    try:
        first, last = g.parse_period(quarter)
    except ValueError:
        raise UserError("Write the quarter like 2026Q3.", field="quarter") from None
    start = dt.datetime.combine(first, dt.time(0), tzinfo=dt.timezone.utc) - dt.timedelta(hours=8)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=dt.timezone.utc) - dt.timedelta(hours=8)
    with ctx.transaction() as s:
        def count(model, col) -> int:  # noqa: ANN001
            return int(s.execute(select(func.count()).select_from(model).where(
                col >= start, col < end, model.deleted_at.is_(None))).scalar_one())
        cases = count(Case, Case.received_at)
        closed = count(Case, Case.closed_at)
        contacts = int(s.execute(select(func.count()).select_from(ContactLog).where(
            ContactLog.contact_on >= first, ContactLog.contact_on <= last,
            ContactLog.deleted_at.is_(None))).scalar_one())
        mediation = count(MediationCase, MediationCase.registered_at)
    return [LedgerCount("counter_register", cases), LedgerCount("case_list", closed),
            LedgerCount("special_contacts", contacts), LedgerCount("mediation_cases", mediation),
            LedgerCount("funds", 0)]


def _inspection_view(i: Inspection) -> InspectionView:
    return InspectionView(i.id, i.quarter, i.inspected_on, i.inspectors, tuple(i.ledgers), i.findings,
                          i.funds_findings, i.result)


def record_inspection(ctx: AppContext, data: InspectionInput) -> InspectionView:
    """The quarter's check: which ledgers, the findings, the result (printed as a 公示, synced to the hub)."""
    ctx.require(Permission.OVERSIGHT)
    try:
        first, _last = g.parse_period(data.quarter)
    except ValueError:
        raise UserError("Write the quarter like 2026Q3.", field="quarter") from None
    if "Q" not in data.quarter:
        raise UserError("Write the quarter like 2026Q3.", field="quarter")
    if data.inspected_on < first:
        raise UserError("The inspection cannot be before the quarter began.", field="inspected_on")
    if data.inspected_on > today(ctx):
        raise UserError("The inspection date cannot be in the future.", field="inspected_on")
    if not data.inspectors.strip() or len(data.inspectors.strip()) > 200:
        raise UserError("Name who inspected.", field="inspectors")
    if not data.ledgers or any(x not in g.LEDGERS for x in data.ledgers):
        raise UserError("Tick the ledgers that were inspected.", field="ledgers")
    if not data.findings.strip():
        raise UserError("Write down the findings.", field="findings")
    if data.result not in g.INSPECTION_RESULTS:
        raise UserError("Choose the result.", field="result")
    with ctx.transaction() as s:
        row = Inspection(community_id=ctx.community_id, quarter=data.quarter.strip(), inspected_on=data.inspected_on,
                         inspectors=data.inspectors.strip(), ledgers=list(data.ledgers), findings=data.findings.strip(),
                         funds_findings=data.funds_findings.strip(), result=data.result)
        s.add(row)
        s.flush()
        return _inspection_view(row)


def inspections(ctx: AppContext) -> list[InspectionView]:
    ctx.require(Permission.OVERSIGHT_WORK)
    with ctx.transaction() as s:
        return [_inspection_view(i) for i in s.execute(
            select(Inspection).where(Inspection.deleted_at.is_(None))
            .order_by(Inspection.inspected_on.desc())).scalars()]


def quarters_without_inspection(ctx: AppContext, year: int) -> list[str]:
    """Past quarters of ``year`` with no inspection recorded (R38: one per quarter)."""
    done = {i.quarter for i in inspections(ctx)}
    now = today(ctx)
    return [f"{year}Q{q}" for q in range(1, 5)
            if g.parse_period(f"{year}Q{q}")[1] < now and f"{year}Q{q}" not in done]
