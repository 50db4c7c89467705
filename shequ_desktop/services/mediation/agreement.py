"""The 人民调解协议书 (§29, DOMAIN §4.6) and the follow-up on its performance (履行情况回访)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from shequ_desktop.domain import mediation as m
from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.errors import NotFound, UserError
from shequ_desktop.persistence.mediation_models import MediationAgreement, MediationFollowUp, MediationParty
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.counter import next_serial
from shequ_desktop.services.mediation.common import committee_names, load, load_writable, meet_clock, require_open


@dataclass(frozen=True)
class AgreementInput:
    facts: str
    terms: tuple[str, ...]
    performance: str              # manner and time of performance
    responsibilities: str = ""


@dataclass(frozen=True)
class AgreementView:
    id: str
    case_id: str
    agreement_no: str
    made_on: dt.date
    facts: str
    responsibilities: str
    terms: tuple[str, ...]
    performance: str
    party_ids: tuple[str, ...]
    marks: Mapping[str, Mapping[str, bool]]
    mediator_signed: bool
    committee_sealed: bool
    effective_on: dt.date | None
    confirm_until: dt.date | None
    copies: int
    missing: tuple[str, ...]       # party ids, "mediator", "seal"


def _party_ids(s, case_id: str) -> list[str]:  # noqa: ANN001
    return list(s.execute(select(MediationParty.id).where(
        MediationParty.case_id == case_id, MediationParty.role == m.PARTY, MediationParty.deleted_at.is_(None))
        .order_by(MediationParty.position)).scalars())


def _view(a: MediationAgreement, party_ids: list[str]) -> AgreementView:
    marks = m.AgreementMarks(a.marks or {}, a.mediator_signed, a.committee_sealed)
    return AgreementView(a.id, a.case_id, a.agreement_no, a.made_on, a.facts, a.responsibilities, tuple(a.terms),
                         a.performance, tuple(party_ids), dict(a.marks or {}), a.mediator_signed, a.committee_sealed,
                         a.effective_on, a.confirm_until, m.copies(len(party_ids)),
                         tuple(m.missing_elements(party_ids, marks)))


def make_agreement(ctx: AppContext, case_id: str, data: AgreementInput) -> AgreementView:
    """Settled with a written agreement: numbered （2026）××社区调委会调字第N号, one per case."""
    terms = tuple(t.strip() for t in data.terms if t.strip())
    if not data.facts.strip():
        raise UserError("State the main facts and the matters in dispute.", field="facts")
    if not terms:
        raise UserError("Write at least one agreed term.", field="terms")
    if not data.performance.strip():
        raise UserError("State the manner and time of performance.", field="performance")
    now = ctx.clock.now()
    with ctx.transaction() as s:
        c = load_writable(s, ctx, case_id)
        if s.execute(select(MediationAgreement.agreement_no).where(MediationAgreement.case_id == c.id)).scalar():
            raise UserError("The case {case_no} already has an agreement; change its signatures instead.",
                            case_no=c.case_no)
        require_open(c)
        party_ids = _party_ids(s, c.id)
        if len(party_ids) < 2:
            raise UserError("An agreement needs the parties: record at least two parties on the case.",
                            field="parties")
        year = to_local(now).year
        _full, short = committee_names(s, ctx)
        number = m.agreement_no(year, short, next_serial(s, "mediation-agreement", year))
        a = MediationAgreement(community_id=c.community_id, case_id=c.id, agreement_no=number,
                               made_on=to_local(now).date(), facts=data.facts.strip(),
                               responsibilities=data.responsibilities.strip(), terms=list(terms),
                               performance=data.performance.strip(),
                               marks={p: {k: False for k in m.SIGN_MARKS} for p in party_ids})
        s.add(a)
        c.state, c.closed_at = m.SETTLED_WRITTEN, now
        meet_clock(c, now)
        s.flush()
        return _view(a, party_ids)


def set_marks(ctx: AppContext, case_id: str, party_marks: Mapping[str, Mapping[str, bool]] | None = None,
              mediator_signed: bool | None = None, committee_sealed: bool | None = None,
              on: dt.date | None = None) -> AgreementView:
    """Record signature / seal / fingerprint per party, the mediator's signature and the committee's seal.

    The agreement takes effect on the day the last required element is present; the 30-day window for
    joint judicial confirmation (§33) runs from then.
    """
    day = on or to_local(ctx.clock.now()).date()
    with ctx.transaction() as s:
        c = load_writable(s, ctx, case_id)
        a = s.execute(select(MediationAgreement).where(MediationAgreement.case_id == c.id)).scalar()
        if a is None:
            raise NotFound("The case has no written agreement.")
        if day < a.made_on:
            raise UserError("A signature cannot predate the agreement ({day}).", field="on", day=a.made_on.isoformat())
        party_ids = _party_ids(s, c.id)
        marks = {p: dict(v) for p, v in (a.marks or {}).items()}
        for pid, values in (party_marks or {}).items():
            if pid not in party_ids:
                raise UserError("That person is not a party to this case.", field="marks")
            marks.setdefault(pid, {})
            for key, flag in values.items():
                if key not in m.SIGN_MARKS:
                    raise UserError("Unknown mark {mark}.", field="marks", mark=key)
                marks[pid][key] = bool(flag)
        a.marks = marks
        if mediator_signed is not None:
            a.mediator_signed = mediator_signed
        if committee_sealed is not None:
            a.committee_sealed = committee_sealed
        missing = m.missing_elements(party_ids, m.AgreementMarks(marks, a.mediator_signed, a.committee_sealed))
        if not missing and a.effective_on is None:
            a.effective_on, a.confirm_until = day, m.confirmation_window_end(day)
        elif missing:
            a.effective_on = a.confirm_until = None
        s.flush()
        return _view(a, party_ids)


def get_agreement(ctx: AppContext, case_id: str) -> AgreementView | None:
    with ctx.transaction() as s:
        c = load(s, ctx, case_id)
        a = s.execute(select(MediationAgreement).where(MediationAgreement.case_id == c.id)).scalar()
        return None if a is None else _view(a, _party_ids(s, c.id))


def record_followup(ctx: AppContext, case_id: str, visited_on: dt.date, performance: str, note: str = "") -> None:
    """履行情况回访 with its date (settled cases only)."""
    if performance not in m.PERFORMANCE:
        raise UserError("Say whether the agreement was performed.", field="performance")
    with ctx.transaction() as s:
        c = load_writable(s, ctx, case_id)
        if c.state not in m.SETTLED:
            raise UserError("Only a settled case has an agreement to follow up.")
        if c.closed_at is not None and visited_on < to_local(c.closed_at).date():
            raise UserError("The visit cannot predate the agreement.", field="visited_on")
        if visited_on > to_local(ctx.clock.now()).date():
            raise UserError("The visit cannot be dated in the future.", field="visited_on")
        s.add(MediationFollowUp(community_id=c.community_id, case_id=c.id, visited_on=visited_on,
                                performance=performance, note=note.strip(), by_name=ctx.user.display_name))
