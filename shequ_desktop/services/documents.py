"""Printed documents of the counter: preview (样稿), number, render, store, register, audit, reprint.

A document is first shown as an unnumbered 样稿 (``preview``): nothing is numbered, stored or
registered. ``issue`` checks everything (services/document_data.py), and only then gives the serial
number (编号) and verification code, renders, stores the PDF next to the database and records it in
the register with its content hash and the data it was built from (``snapshot``). A 补打 rebuilds
the same document from that snapshot — same content, date and issuer — marked 补打, with its own
register row. Everything of one issue is one transaction: a refusal consumes no number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shequ_desktop.domain import documents as rules
from shequ_desktop.domain.clock import local_today, to_local
from shequ_desktop.domain.errors import NotFound, UserError
from shequ_desktop.domain.ids import new_id
from shequ_desktop.domain.masking import mask_name
from shequ_desktop.persistence.counter_models import DocumentVoid, PrintedDocument
from shequ_desktop.printing import governance as pg
from shequ_desktop.printing import templates as t
from shequ_desktop.printing.document import Document
from shequ_desktop.printing.refusal import RefusalNoticeData, refusal_notice
from shequ_desktop.services import audit, counter, document_snapshot, print_fonts
from shequ_desktop.services.context import AppContext, get_setting
from shequ_desktop.services.document_data import (  # noqa: F401  (re-exported for the UI and tests)
    CertificateRequest, Prepared, blocked_reason, load_many, notice_data, prepare, supplement_data,
    supplement_days,
)
from shequ_desktop.services.station import station_info_in

PREFIX = {"one-time-notice": "GZ", "supplement-notice": "BZ", "acceptance-receipt": "SL",
          "residence-certificate": "ZM", "catalogue": "ML", "refusal-notice": "BY",
          "explanation-letter": "SM", "public-notice": "GS"}
TEMPLATES: dict[str, tuple[type, Callable[[Any], Document]]] = {
    "one-time-notice": (t.OneTimeNoticeData, t.one_time_notice),
    "supplement-notice": (t.SupplementNoticeData, t.supplement_notice),
    "acceptance-receipt": (t.AcceptanceReceiptData, t.acceptance_receipt),
    "residence-certificate": (t.ResidenceCertificateData, t.residence_certificate),
    "catalogue": (t.CatalogueData, t.catalogue),
    "refusal-notice": (RefusalNoticeData, refusal_notice),
    "explanation-letter": (pg.ExplanationLetterData, pg.explanation_letter),   # oversight (情况说明, 公示)
    "public-notice": (pg.PublicNoticeData, pg.public_notice),
}
# The kinds as a reader of the audit log sees them (translated when shown).
MSG_KIND_ONE_TIME_NOTICE = "one-time notice"
MSG_KIND_SUPPLEMENT_NOTICE = "supplement notice"
MSG_KIND_ACCEPTANCE_RECEIPT = "acceptance receipt"
MSG_KIND_RESIDENCE_CERTIFICATE = "residence certificate"
MSG_KIND_CATALOGUE = "materials catalogue"
MSG_KIND_REFUSAL_NOTICE = "notice of refusal to certify"
KIND_MESSAGES = {"one-time-notice": MSG_KIND_ONE_TIME_NOTICE, "supplement-notice": MSG_KIND_SUPPLEMENT_NOTICE,
                 "acceptance-receipt": MSG_KIND_ACCEPTANCE_RECEIPT,
                 "residence-certificate": MSG_KIND_RESIDENCE_CERTIFICATE, "catalogue": MSG_KIND_CATALOGUE,
                 "refusal-notice": MSG_KIND_REFUSAL_NOTICE}
REPRINTABLE = frozenset(TEMPLATES)  # every kind: the register keeps what each was built from
_ALPHABET = rules.CODE_ALPHABET
VERIFY_PREFIX = "shequ:verify:"
VERIFY_PATH = "/api/v1/verify/"
_DRAFT_DIR = "样稿"


@dataclass(frozen=True)
class PrintedView:
    id: str
    serial_no: str
    kind: str
    title: str
    path: Path
    verification_code: str
    reprint: bool


@dataclass(frozen=True)
class DraftView:
    """An unnumbered 样稿 to look at; printing or saving it issues the document (``issue``)."""

    kind: str
    title: str
    path: Path


@dataclass(frozen=True)
class DocumentRequest:
    """What to issue: a new document of ``kind`` for a case, or a 补打 of a registered one."""

    kind: str
    case_id: str | None = None
    certificate: CertificateRequest | None = None
    reprint_of: str | None = None       # register id of the document to print again

    @staticmethod
    def reprint(document_id: str) -> DocumentRequest:
        return DocumentRequest("reprint", reprint_of=document_id)


def documents_dir(ctx: AppContext) -> Path:
    return ctx.db.path.parent / "documents"


def _station_code(s: Session, ctx: AppContext) -> str:
    return get_setting(s, "station_code") or ctx.station_id.replace("-", "")[-4:].upper()


def verify_target(s: Session, serial: str, code: str) -> str:
    """The QR payload: the hub's check URL when a hub is configured, else ``shequ:verify:<serial>:<code>``."""
    hub = get_setting(s, "sync.hub_url").rstrip("/")
    return f"{hub}{VERIFY_PATH}{code}" if hub else f"{VERIFY_PREFIX}{serial}:{code}"


def _new_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(8))


def render(kind: str, data: Any, header: t.Header) -> Document:
    """The document of ``kind`` from its data with ``header`` (number, code, 补打 or 样稿)."""
    return TEMPLATES[kind][1](dataclasses.replace(data, header=header))


def content_hash(doc: Document) -> str:
    """SHA-256 of the document's content (its plain-text rendering): what was printed, not the PDF bytes."""
    from shequ_desktop.printing.text_backend import render_text
    return hashlib.sha256(render_text(doc).encode("utf-8")).hexdigest()


def _pdf(doc: Document) -> bytes:
    from shequ_desktop.printing.pdf_backend import render_pdf  # ReportLab loads on first print only
    return render_pdf(doc)


# --- preview, issue, reprint -------------------------------------------------------------------

def _prepare_request(ctx: AppContext, s: Session, req: DocumentRequest) -> tuple[Prepared, PrintedDocument | None]:
    if req.reprint_of is None:
        if req.kind == "residence-certificate":
            blocked = blocked_reason((req.certificate or CertificateRequest()).certificate_type)
            if blocked:
                raise UserError("Residents' committees must not issue the certificate {name} (national list of "
                                "20 certificates, 民政部等六部门 2020).", field="certificate_type", name=blocked)
        return prepare(ctx, s, req.kind, req.case_id, req.certificate), None
    original = _original(s, req.reprint_of)
    return _reprint_data(ctx, s, original), original


def preview(ctx: AppContext, req: DocumentRequest) -> DraftView:
    """The document as an unnumbered 样稿 (same checks as ``issue``); nothing is numbered or registered."""
    with ctx.transaction() as s:
        prepared, original = _prepare_request(ctx, s, req)
        print_fonts.apply_in(s)  # the admin's choice of typefaces (shequ-admin fonts)
    header = t.Header("", draft=True, reprint=original is not None)
    doc = render(prepared.kind, prepared.data, header)
    folder = documents_dir(ctx) / _DRAFT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    _remove_old_drafts(folder)
    path = folder / f"{prepared.kind}-{new_id()}.pdf"
    path.write_bytes(_pdf(doc))
    return DraftView(prepared.kind, doc.title, path)


@dataclass(frozen=True)
class DraftOrder:
    """A 样稿 on screen and what issuing it means: the dialog's 打印 / 另存为PDF calls ``issue(request)``."""

    request: DocumentRequest
    draft: DraftView


def draft(ctx: AppContext, req: DocumentRequest) -> DraftOrder:
    return DraftOrder(req, preview(ctx, req))


def _remove_old_drafts(folder: Path, older_than_s: float = 86400) -> None:
    limit = time.time() - older_than_s
    for old in folder.glob("*.pdf"):
        try:
            if old.stat().st_mtime < limit:
                old.unlink()
        except OSError:
            pass  # open in a viewer on Windows: removed next time


def issue(ctx: AppContext, req: DocumentRequest) -> PrintedView:
    """Check, number, render, store and register the document (one transaction); the case steps it
    belongs to (notice given, certificate issued → 当场办结) are recorded in the same transaction."""
    if req.reprint_of is not None:
        return reprint(ctx, req.reprint_of)
    if req.kind == "residence-certificate":
        return issue_residence_certificate(ctx, req.case_id or "", req.certificate or CertificateRequest())
    with ctx.transaction() as s:
        prepared = prepare(ctx, s, req.kind, req.case_id, req.certificate)
        view = _register(ctx, s, prepared)
        if req.kind == "one-time-notice" and req.case_id:
            counter.record_notice_given(ctx, req.case_id, view.serial_no)
        return view


def _register(ctx: AppContext, s: Session, p: Prepared, original: PrintedDocument | None = None) -> PrintedView:
    """Number (or reuse the original's number), render, store and register one checked document."""
    now = ctx.clock.now()
    year = to_local(now).year
    if original is None:
        seq = counter.next_serial(s, f"doc-{p.kind}", year)
        serial, code = f"{PREFIX[p.kind]}{year}-{_station_code(s, ctx)}-{seq:04d}", _new_code()
    else:
        serial, code = original.serial_no, original.verification_code
    header = t.Header(serial, code, verify_target(s, serial, code), reprint=original is not None)
    doc = render(p.kind, p.data, header)
    print_fonts.apply_in(s)  # the admin's choice of typefaces (shequ-admin fonts)
    pdf = _pdf(doc)
    folder = documents_dir(ctx) / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{serial}{'-补打-' + to_local(now).strftime('%H%M%S') if original else ''}.pdf"
    path = folder / name
    path.write_bytes(pdf)
    row = PrintedDocument(community_id=ctx.community_id, serial_no=serial, kind=p.kind, title=doc.title,
                          case_id=p.case_id, resident_id=p.resident_id, printed_by=ctx.user.login, printed_at=now,
                          content_hash=content_hash(doc), verification_code=code,
                          reprint_of=original.id if original else None, file_name=f"{year}/{name}",
                          issuer=p.issuer[:100], holder=mask_name(p.holder)[:32], valid_until=p.valid_until,
                          snapshot=None if original else document_snapshot.encode(p.data))
    s.add(row)
    s.flush()
    audit.append(s, ctx, audit.AuditAction.PRINT, "printed_document", row.id, audit.describe(
        audit.MSG_REPRINTED if original else audit.MSG_PRINTED, kind_msg=KIND_MESSAGES.get(p.kind, p.kind),
        serial=serial, holder=mask_name(p.holder) or "-"))
    return PrintedView(row.id, serial, p.kind, doc.title, path, code, original is not None)


def print_one_time_notice(ctx: AppContext, case_id: str) -> PrintedView:
    """一次性告知书 with the complete list; that the notice was given is recorded on the case (same transaction)."""
    return issue(ctx, DocumentRequest("one-time-notice", case_id))


def print_supplement_notice(ctx: AppContext, case_id: str) -> PrintedView:
    return issue(ctx, DocumentRequest("supplement-notice", case_id))


def print_acceptance_receipt(ctx: AppContext, case_id: str) -> PrintedView:
    return issue(ctx, DocumentRequest("acceptance-receipt", case_id))


def print_catalogue(ctx: AppContext) -> PrintedView:
    return issue(ctx, DocumentRequest("catalogue"))


def issue_residence_certificate(ctx: AppContext, case_id: str, req: CertificateRequest) -> PrintedView:
    """Check the certificate type, print the 居住证明 and close the case as 当场办结 (one transaction)."""
    blocked = blocked_reason(req.certificate_type)
    if blocked:
        counter.refuse(ctx, case_id, f"《{blocked}》属于社区不应出具的证明事项")
        raise UserError("Residents' committees must not issue the certificate {name} (national list of 20 "
                        "certificates, 民政部等六部门 2020). The case was closed as refused.",
                        field="certificate_type", name=blocked)
    with ctx.transaction() as s:
        prepared = prepare(ctx, s, "residence-certificate", case_id, req)   # everything checked first
        view = _register(ctx, s, prepared)
        counter.finish_on_spot(ctx, case_id, f"出具居住证明 {view.serial_no}")
        return view


def refuse_certificate(ctx: AppContext, case_id: str, req: CertificateRequest, print_reason: bool) -> DraftOrder | None:
    """当场办结 asked for a certificate the community must not issue: the case is closed as 不予办理 with the
    reason; with ``print_reason`` the 不予出具证明告知书 comes back as a 样稿 to print for the resident."""
    blocked = blocked_reason(req.certificate_type)
    if blocked is None:
        raise UserError("The community may issue {name}; there is no reason to print.", field="certificate_type",
                        name=req.certificate_type.strip())
    counter.refuse(ctx, case_id, f"《{blocked}》属于社区不应出具的证明事项")
    return draft(ctx, DocumentRequest("refusal-notice", case_id, certificate=req)) if print_reason else None


def _original(s: Session, document_id: str) -> PrintedDocument:
    row = s.get(PrintedDocument, document_id)
    if row is None:
        raise NotFound("The document was not found in the register.")
    while row.reprint_of:                       # a 补打 of a 补打 is a 补打 of the original
        parent = s.get(PrintedDocument, row.reprint_of)
        if parent is None:
            break
        row = parent
    return row


def voided(s: Session, original: PrintedDocument) -> DocumentVoid | None:
    return s.execute(select(DocumentVoid).where(DocumentVoid.document_id == original.id)
                     .order_by(DocumentVoid.voided_at).limit(1)).scalars().first()


def _reprint_data(ctx: AppContext, s: Session, original: PrintedDocument) -> Prepared:
    """The original's data, as it was printed; refused for a voided document or an expired certificate."""
    if voided(s, original) is not None:
        raise UserError("Document {serial} was voided; it is not printed again.", serial=original.serial_no)
    if original.valid_until is not None and local_today(ctx.clock) > original.valid_until:
        raise UserError("Certificate {serial} expired on {day}; issue a new one on a new case.",
                        serial=original.serial_no, day=original.valid_until.isoformat())
    kind = original.kind
    if kind not in TEMPLATES:
        raise UserError("This document is not reprinted; issue a new one if needed.")
    if original.snapshot is not None:
        data = document_snapshot.decode(TEMPLATES[kind][0], original.snapshot, header=t.DRAFT)
        return Prepared(kind, data, original.case_id, original.resident_id, original.holder, original.issuer,
                        original.valid_until)
    # registered before the data was kept (schema 0007): rebuilt from the case, dated as the original
    if original.case_id is None and kind != "catalogue":
        raise UserError("This document is not reprinted; issue a new one if needed.")
    fresh = prepare(ctx, s, kind, original.case_id) if kind != "residence-certificate" else None
    if fresh is None:
        raise UserError("This document is not reprinted; issue a new one if needed.")
    day = to_local(original.printed_at).date()
    dates = {f: day for f in ("issued_on", "edition_date") if hasattr(fresh.data, f)}
    return dataclasses.replace(fresh, data=dataclasses.replace(fresh.data, **dates))


def reprint(ctx: AppContext, document_id: str) -> PrintedView:
    """补打: the same document (content, date, issuer, serial and code), marked 补打, registered as a new row."""
    with ctx.transaction() as s:
        original = _original(s, document_id)
        return _register(ctx, s, _reprint_data(ctx, s, original), original)


# --- batches -----------------------------------------------------------------------------------

@contextmanager
def _heap_frozen() -> Iterator[None]:
    """Keep the objects that exist before a batch out of full garbage collections while it runs.

    A full collection walks the whole heap (the GUI, the ORM, the fonts) holding the GIL, which froze
    the window for 70–160 ms at a time during a 1,000-notice batch; frozen, it walks only what the
    batch creates. Nothing is leaked: the objects are handed back to the collector afterwards.
    """
    with _FREEZE_LOCK:
        mine = gc.get_freeze_count() == 0  # never undo a freeze made by someone else (e.g. at start-up)
        if mine:
            gc.freeze()
    try:
        yield
    finally:
        if mine:
            with _FREEZE_LOCK:
                gc.unfreeze()


_FREEZE_LOCK = threading.Lock()


@dataclass(frozen=True)
class BatchView:
    path: Path
    count: int
    serials: list[str]


BATCHABLE = {"supplement-notice", "one-time-notice"}


def print_batch(ctx: AppContext, kind: str, case_ids: list[str],
                progress: Callable[[int, int], None] | None = None) -> BatchView:
    """Many notices as ONE PDF for one print job; each is numbered and registered like a single one.

    All or nothing, and checked before numbering: a case in the wrong state stops the batch before any
    number is taken; a rare character in any name stops it before anything is stored.
    """
    if kind not in BATCHABLE:
        raise UserError("Documents of kind {kind} are not printed in batches.", kind=kind)
    if not case_ids:
        raise UserError("Select at least one case.")
    now = ctx.clock.now()
    year = to_local(now).year
    total = len(case_ids) + 1
    with _heap_frozen(), ctx.transaction() as s:
        code_prefix = _station_code(s, ctx)
        st = station_info_in(s, ctx.community_id)
        loaded = load_many(s, ctx, case_ids)  # a few queries for the whole batch, not six per notice
        if kind == "supplement-notice":
            days = supplement_days(ctx)
            prepared = [supplement_data(ctx, x, st, days) for x in loaded]
        else:
            prepared = [notice_data(ctx, x, st) for x in loaded]
        first = counter.reserve_serials(s, f"doc-{kind}", year, len(case_ids))
        docs, rows = [], []
        for i, p in enumerate(prepared):
            serial, code = f"{PREFIX[kind]}{year}-{code_prefix}-{first + i:04d}", _new_code()
            doc = render(kind, p.data, t.Header(serial, code, verify_target(s, serial, code)))
            docs.append(doc)
            rows.append(PrintedDocument(community_id=ctx.community_id, serial_no=serial, kind=kind, title=doc.title,
                                        case_id=p.case_id, resident_id=p.resident_id, printed_by=ctx.user.login,
                                        printed_at=now, content_hash=content_hash(doc), verification_code=code,
                                        file_name="", issuer=p.issuer[:100], holder=mask_name(p.holder)[:32],
                                        snapshot=document_snapshot.encode(p.data)))
            if progress and i % 20 == 0:
                progress(i, total)
        from shequ_desktop.printing.pdf_backend import render_many
        print_fonts.apply_in(s)
        pdf = render_many(docs)
        folder = documents_dir(ctx) / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"批量-{kind}-{to_local(now):%Y%m%d-%H%M%S}-{len(docs)}.pdf"
        path.write_bytes(pdf)
        for row in rows:
            row.file_name = f"{year}/{path.name}"
        s.add_all(rows)
        audit.append(s, ctx, audit.AuditAction.PRINT, "printed_document", "", audit.describe(
            audit.MSG_PRINTED_BATCH, count=len(docs), kind_msg=KIND_MESSAGES.get(kind, kind),
            first=rows[0].serial_no, last=rows[-1].serial_no))
    if progress:
        progress(total, total)
    return BatchView(path, len(docs), [r.serial_no for r in rows])


# --- the register --------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegisterRow:
    id: str
    serial_no: str
    kind: str
    title: str
    printed_by: str
    printed_at: dt.datetime
    reprint: bool
    path: Path
    voided: bool = False
    verification_code: str = ""


def register(ctx: AppContext, case_id: str | None = None, limit: int = 200) -> list[RegisterRow]:
    with ctx.transaction() as s:
        q = select(PrintedDocument).order_by(PrintedDocument.printed_at.desc()).limit(limit)
        if case_id:
            q = q.where(PrintedDocument.case_id == case_id)
        rows = list(s.execute(q).scalars())
        void_codes = set(s.execute(select(DocumentVoid.verification_code).where(
            DocumentVoid.verification_code.in_({d.verification_code for d in rows}))).scalars()) if rows else set()
        return [RegisterRow(d.id, d.serial_no, d.kind, d.title, d.printed_by, d.printed_at, d.reprint_of is not None,
                            documents_dir(ctx) / d.file_name, d.verification_code in void_codes, d.verification_code)
                for d in rows]
