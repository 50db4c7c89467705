"""Printing the mediation papers: build from the case, render, number, store, register, audit.

Kinds: ``mediation-agreement`` (人民调解协议书), ``mediation-record`` (调解笔录), ``mediation-failure``
(调解终止告知书, the §26 notice of other routes) and ``mediation-file`` (the 卷宗 of an archived case).
The papers print the parties' full data for the parties themselves; every print is in the audit log.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from shequ_desktop.domain import mediation as m
from shequ_desktop.domain import meetings as mt
from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.errors import NotFound, UserError
from shequ_desktop.persistence.counter_models import PrintedDocument
from shequ_desktop.persistence.mediation_models import (MediationAgreement, MediationCase, MediationEscalation,
                                                        MediationFollowUp, MediationParty, MediationSession)
from shequ_desktop.persistence.meeting_models import Meeting
from shequ_desktop.printing import mediation as pm
from shequ_desktop.printing.document import Document, format_cn_datetime
from shequ_desktop.printing.templates import Header
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.counter import next_serial
from shequ_desktop.services.mediation.common import committee_names, load

PREFIX = {"mediation-agreement": "TX", "mediation-record": "BL", "mediation-failure": "ZZ", "mediation-file": "JZ"}
# The papers' names in the audit log (message ids, read in the reader's language).
MSG_KIND_AGREEMENT = "mediation agreement"
MSG_KIND_RECORD = "mediation record"
MSG_KIND_FAILURE = "notice that the mediation ended"
MSG_KIND_FILE = "mediation case file"
KIND_MESSAGES = {"mediation-agreement": MSG_KIND_AGREEMENT, "mediation-record": MSG_KIND_RECORD,
                 "mediation-failure": MSG_KIND_FAILURE, "mediation-file": MSG_KIND_FILE}
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_MARK_ZH = {"signed": "签名", "sealed": "盖章", "fingerprint": "按指印"}


@dataclass(frozen=True)
class PrintedPaper:
    serial_no: str
    kind: str
    title: str
    path: Path


def _issue(ctx: AppContext, kind: str, case_id: str, build: Callable[[Session, Header], Document]) -> PrintedPaper:
    now = ctx.clock.now()
    year = to_local(now).year
    with ctx.transaction() as s:
        case = load(s, ctx, case_id)
        seq = next_serial(s, f"doc-{kind}", year)
        serial = f"{PREFIX[kind]}{year}-{seq:04d}"
        code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        doc = build(s, Header(serial, code, f"shequ:verify:{serial}:{code}"))
        from shequ_desktop.printing.pdf_backend import render_pdf  # ReportLab loads on first print only
        pdf = render_pdf(doc)
        folder = ctx.db.path.parent / "documents" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{serial}.pdf"
        path.write_bytes(pdf)
        from shequ_desktop.printing.text_backend import render_text
        row = PrintedDocument(community_id=ctx.community_id, serial_no=serial, kind=kind, title=doc.title,
                              case_id=case_id, resident_id=None, printed_by=ctx.user.login, printed_at=now,
                              content_hash=hashlib.sha256(render_text(doc).encode("utf-8")).hexdigest(),
                              verification_code=code, file_name=f"{year}/{path.name}")
        s.add(row)
        s.flush()
        audit.append(s, ctx, audit.AuditAction.PRINT, "printed_document", row.id, audit.describe(
            audit.MSG_PRINTED_FOR_CASE, kind_msg=KIND_MESSAGES[kind], serial=serial, case_no=case.case_no))
        return PrintedPaper(serial, kind, doc.title, path)


def _parties(s: Session, case_id: str) -> tuple[list[MediationParty], dict[str, MediationParty]]:
    rows = list(s.execute(select(MediationParty).where(MediationParty.case_id == case_id,
                                                       MediationParty.deleted_at.is_(None))
                          .order_by(MediationParty.position)).scalars())
    agents = {r.agent_for: r for r in rows if r.role == m.AGENT and r.agent_for}
    return [r for r in rows if r.role == m.PARTY], agents  # type: ignore[return-value]


def _party_lines(s: Session, case_id: str) -> tuple[pm.PartyLine, ...]:
    parties, agents = _parties(s, case_id)
    sex = {"M": "男", "F": "女"}
    lines = []
    for i, p in enumerate(parties):
        birth = ""
        if len(p.id_number) == 18 and p.id_number[6:12].isdigit():
            birth = f"{p.id_number[6:10]}年{int(p.id_number[10:12])}月出生"
        agent = agents.get(p.id)
        lines.append(pm.PartyLine(m.side_label(i), p.name, sex.get(p.sex, ""), birth, p.phone, p.address,
                                  p.id_number, agent.name if agent else ""))
    return tuple(lines)


def _agreement_data(s: Session, ctx: AppContext, c: MediationCase, header: Header) -> pm.AgreementData | None:
    a = s.execute(select(MediationAgreement).where(MediationAgreement.case_id == c.id)).scalar()
    if a is None:
        return None
    full, _short = committee_names(s, ctx)
    return pm.AgreementData(header, full, a.agreement_no, _party_lines(s, c.id), a.facts, a.responsibilities,
                            tuple(a.terms), a.performance, a.made_on, c.mediator_names)


def print_agreement(ctx: AppContext, case_id: str) -> PrintedPaper:
    def build(s: Session, header: Header) -> Document:
        c = s.get(MediationCase, case_id)
        assert c is not None
        data = _agreement_data(s, ctx, c, header)
        if data is None:
            raise NotFound("The case has no written agreement.")
        return pm.agreement(data)
    return _issue(ctx, "mediation-agreement", case_id, build)


def _sessions(s: Session, ctx: AppContext, c: MediationCase, header: Header) -> list[pm.SessionData]:
    full, _short = committee_names(s, ctx)
    rows = s.execute(select(MediationSession).where(MediationSession.case_id == c.id)
                     .order_by(MediationSession.held_at, MediationSession.created_at)).scalars()
    return [pm.SessionData(header, full, c.case_no, to_local(x.held_at).replace(tzinfo=None), x.place,
                           x.mediator_name, x.recorder_name, x.attendees, x.statements, x.proposal, i)
            for i, x in enumerate(rows, 1)]


def print_session(ctx: AppContext, case_id: str, session_id: str) -> PrintedPaper:
    def build(s: Session, header: Header) -> Document:
        c = s.get(MediationCase, case_id)
        assert c is not None
        ids = list(s.execute(select(MediationSession.id).where(MediationSession.case_id == c.id)
                             .order_by(MediationSession.held_at, MediationSession.created_at)).scalars())
        if session_id not in ids:
            raise NotFound("The session was not found.")
        return pm.session_record(_sessions(s, ctx, c, header)[ids.index(session_id)])
    return _issue(ctx, "mediation-record", case_id, build)


def _failure(s: Session, ctx: AppContext, c: MediationCase, header: Header) -> pm.FailureData:
    full, _short = committee_names(s, ctx)
    parties, _agents = _parties(s, c.id)
    assert c.closed_at is not None
    return pm.FailureData(header, full, c.case_no, tuple(p.name for p in parties), c.facts, c.outcome_text,
                          to_local(c.closed_at).date())


def print_failure_notice(ctx: AppContext, case_id: str) -> PrintedPaper:
    """The §26 notice: mediation ended, the arbitration, administrative and court routes."""
    def build(s: Session, header: Header) -> Document:
        c = s.get(MediationCase, case_id)
        assert c is not None
        if c.state != m.FAILED:
            raise UserError("Only a failed mediation has a notice of other routes.")
        return pm.failure_notice(_failure(s, ctx, c, header))
    return _issue(ctx, "mediation-failure", case_id, build)


def _case_file(s: Session, ctx: AppContext, c: MediationCase, header: Header) -> pm.CaseFileData:
    full, _short = committee_names(s, ctx)
    parties, _agents = _parties(s, c.id)
    escalations = tuple(
        f"{format_cn_datetime(to_local(e.at).replace(tzinfo=None))} {m.LEVEL_ZH[e.from_level]}→{m.LEVEL_ZH[e.to_level]}："
        f"{e.reason}" for e in s.execute(select(MediationEscalation).where(MediationEscalation.case_id == c.id)
                                         .order_by(MediationEscalation.at)).scalars())
    council = s.execute(select(Meeting).where(Meeting.related_id == c.id, Meeting.state == "held")).scalars().first()
    council_text = ""
    if council is not None and council.held_at is not None:
        council_text = (f"{mt.MEETING_KIND_ZH[council.kind]} {format_cn_datetime(to_local(council.held_at).replace(tzinfo=None))}"
                        f"：{council.outcome}")
    outcome = m.STATE_ZH[c.state] + (f"（{c.refused_by}）" if c.refused_by else "")
    registration = pm.RegistrationData(
        c.case_no, to_local(c.registered_at).replace(tzinfo=None), m.KIND_ZH[c.kind], m.SOURCE_ZH[c.source],
        m.LEVEL_ZH[c.level], tuple(f"{p.name}（{m.side_label(i)}）" for i, p in enumerate(parties)), c.facts,
        c.mediator_names, escalations, c.judicial_office, c.law_firm, outcome, c.outcome_text, council_text)
    agreement = _agreement_data(s, ctx, c, header)
    marks: list[pm.MarkLine] = []
    a = s.execute(select(MediationAgreement).where(MediationAgreement.case_id == c.id)).scalar()
    if a is not None:
        for i, p in enumerate(parties):
            done = [_MARK_ZH[k] for k in m.SIGN_MARKS if (a.marks or {}).get(p.id, {}).get(k)]
            marks.append(pm.MarkLine(f"{m.side_label(i)} {p.name}", "已" + "、已".join(done) if done else "未签署"))
        marks.append(pm.MarkLine("人民调解员", "已签名" if a.mediator_signed else "未签名"))
        marks.append(pm.MarkLine("调委会印章", "已盖章" if a.committee_sealed else "未盖章"))
    followups = tuple(pm.FollowUpLine(f.visited_on, m.PERFORMANCE_ZH[f.performance], f.note, f.by_name)
                      for f in s.execute(select(MediationFollowUp).where(MediationFollowUp.case_id == c.id)
                                         .order_by(MediationFollowUp.visited_on)).scalars())
    assert c.archived_at is not None
    return pm.CaseFileData(header, full, c.file_no, to_local(c.archived_at).date(), registration,
                           tuple(_sessions(s, ctx, c, header)), agreement, tuple(marks),
                           a.effective_on if a else None, a.confirm_until if a else None,
                           _failure(s, ctx, c, header) if c.state == m.FAILED else None, followups)


def print_case_file(ctx: AppContext, case_id: str) -> PrintedPaper:
    """The whole 卷宗 of an archived case in one PDF."""
    def build(s: Session, header: Header) -> Document:
        c = s.get(MediationCase, case_id)
        assert c is not None
        if c.archived_at is None:
            raise UserError("Archive the case first: the file prints with its file number.")
        return pm.case_file(_case_file(s, ctx, c, header))
    return _issue(ctx, "mediation-file", case_id, build)
