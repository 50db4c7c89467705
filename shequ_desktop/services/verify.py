"""文书核验 and 作废: check a document by its code; void one with a reason (the chief).

The check reads the register (the original row of the code, not its 补打 rows) and the voids; it
shows minimal facts only (domain/documents.py). A void is an append-only, synced fact, so the
hub's check (``GET /api/v1/verify/{code}``) knows it after the next sync.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from shequ_desktop.domain import documents as rules
from shequ_desktop.domain.clock import local_today, to_local
from shequ_desktop.domain.errors import NotFound, UserError
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.counter_models import DocumentVoid, PrintedDocument
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext


@dataclass(frozen=True)
class Verification:
    """What a check of a code shows: no ID number, no phone."""

    code: str
    kind: str
    title: str
    serial_no: str
    issued_on: dt.date
    issuer: str
    holder: str                   # masked name
    status: str                   # valid / void / expired (domain.documents)
    valid_until: dt.date | None = None
    void_reason: str = ""
    voided_on: dt.date | None = None
    reprints: int = 0
    document_id: str = ""

    @property
    def status_text(self) -> str:
        return rules.STATUS_TEXT[self.status]


def _code_or_error(text: str) -> str:
    code = rules.parse_code(text)
    if code is None:
        raise UserError("{text} is not a verification code (8 letters and digits under the QR code).",
                        field="code", text=(text or "").strip()[:60])
    return code


def verify(ctx: AppContext, text: str) -> Verification:
    """The facts of the document whose code is in ``text`` (typed, scanned QR text or the hub's URL)."""
    code = _code_or_error(text)
    with ctx.transaction() as s:
        rows = list(s.execute(select(PrintedDocument).where(PrintedDocument.verification_code == code,
                                                            PrintedDocument.deleted_at.is_(None))).scalars())
        original = next((r for r in rows if r.reprint_of is None), rows[0] if rows else None)
        if original is None:
            raise NotFound("No document with the code {code} was issued by this station.", field="code", code=code)
        void = s.execute(select(DocumentVoid).where(DocumentVoid.verification_code == code)
                         .order_by(DocumentVoid.voided_at).limit(1)).scalars().first()
        return Verification(
            code, original.kind, original.title, original.serial_no, to_local(original.printed_at).date(),
            original.issuer, original.holder,
            rules.status(original.valid_until, void is not None, local_today(ctx.clock)),
            original.valid_until, void.reason if void else "",
            to_local(void.voided_at).date() if void else None, len(rows) - 1, original.id)


def void(ctx: AppContext, text: str, reason: str) -> Verification:
    """作废 a document (by its code) with a reason; the chief's decision, written to the audit log."""
    ctx.require(Permission.DOCUMENT_VOID)
    reason = (reason or "").strip()
    if not reason:
        raise UserError("Please give the reason for voiding.", field="reason")
    if len(reason) > 200:
        raise UserError("At most {n} characters.", field="reason", n=200)
    found = verify(ctx, text)
    if found.status == rules.VOID:
        raise UserError("Document {serial} is already void.", field="code", serial=found.serial_no)
    with ctx.transaction() as s:
        row = DocumentVoid(community_id=ctx.community_id, document_id=found.document_id, serial_no=found.serial_no,
                           verification_code=found.code, reason=reason, voided_by=ctx.user.login,
                           voided_at=ctx.clock.now())
        s.add(row)
        s.flush()
        audit.append(s, ctx, audit.AuditAction.ADMIN, "printed_document", found.document_id,
                     audit.describe(audit.MSG_VOIDED, serial=found.serial_no, reason=reason))
    return verify(ctx, found.code)
