"""Printed documents of the counter: build from the case, render, number, register, audit.

Every document gets a serial number (编号) and a verification code (QR), is stored as PDF next to
the database and recorded in the register with its content hash. A reprint is marked 补打 and
registered too. A character the font lacks stops the print before anything is numbered.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from shequ_desktop.domain.clock import local_today, to_local
from shequ_desktop.domain.errors import NotFound, UserError
from shequ_desktop.domain.roles import Permission
from shequ_desktop.domain.service_catalogue import BLOCKED_CERTIFICATES
from shequ_desktop.persistence.counter_models import Case, PrintedDocument, ServiceItem
from shequ_desktop.persistence.models import Community, PostAssignment, Resident, User
from shequ_desktop.printing import templates as t
from shequ_desktop.printing.document import Document
from shequ_desktop.services import audit, counter, print_fonts
from shequ_desktop.services.context import AppContext, get_setting
from shequ_desktop.services.counter import REASON_TEXT, Status

PREFIX = {"one-time-notice": "GZ", "supplement-notice": "BZ", "acceptance-receipt": "SL",
          "residence-certificate": "ZM", "catalogue": "ML"}
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


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
class CertificateRequest:
    certificate_type: str = "居住证明"
    since: dt.date | None = None
    tenure: str = "自有住房"
    housing_basis: str = ""
    purpose: str = ""
    validity_days: int = 30


Builder = Callable[[Session, t.Header], Document]


def documents_dir(ctx: AppContext) -> Path:
    return ctx.db.path.parent / "documents"


def _station_code(s: Session, ctx: AppContext) -> str:
    return get_setting(s, "station_code") or ctx.station_id.replace("-", "")[-4:].upper()


def _issue(ctx: AppContext, kind: str, case_id: str | None, resident_id: str | None, build: Builder,
           reprint_of: PrintedDocument | None = None) -> PrintedView:
    """Number, render, store and register one document in a single transaction."""
    now = ctx.clock.now()
    year = to_local(now).year
    with ctx.transaction() as s:
        if reprint_of is None:
            seq = counter.next_serial(s, f"doc-{kind}", year)
            serial = f"{PREFIX[kind]}{year}-{_station_code(s, ctx)}-{seq:04d}"
            code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        else:
            serial, code = reprint_of.serial_no, reprint_of.verification_code
        header = t.Header(serial, code, f"shequ:verify:{serial}:{code}", reprint=reprint_of is not None)
        doc = build(s, header)
        from shequ_desktop.printing.pdf_backend import render_pdf  # ReportLab loads on first print only
        print_fonts.apply_in(s)  # the admin's choice of typefaces (shequ-admin fonts)
        pdf = render_pdf(doc)
        folder = documents_dir(ctx) / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{serial}{'-补打-' + to_local(now).strftime('%H%M%S') if reprint_of else ''}.pdf"
        path = folder / name
        path.write_bytes(pdf)
        row = PrintedDocument(community_id=ctx.community_id, serial_no=serial, kind=kind, title=doc.title,
                              case_id=case_id, resident_id=resident_id, printed_by=ctx.user.login, printed_at=now,
                              content_hash=content_hash(doc), verification_code=code,
                              reprint_of=reprint_of.id if reprint_of else None, file_name=f"{year}/{name}")
        s.add(row)
        s.flush()
        audit.append(s, ctx, audit.AuditAction.PRINT, "printed_document", row.id,
                     f"{kind} {serial}{' 补打' if reprint_of else ''}")
        return PrintedView(row.id, serial, kind, doc.title, path, code, reprint_of is not None)


def content_hash(doc: Document) -> str:
    """SHA-256 of the document's content (its plain-text rendering): what was printed, not the PDF bytes."""
    from shequ_desktop.printing.text_backend import render_text
    return hashlib.sha256(render_text(doc).encode("utf-8")).hexdigest()


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

    All or nothing: a rare character in any name stops the batch before anything is numbered.
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
        loaded = _load_many(s, ctx, case_ids)  # a few queries for the whole batch, not six per notice
        if kind == "supplement-notice":
            days = _supplement_days(ctx)
            make: Callable[[_Ctx, t.Header], Document] = lambda x, h: _supplement_doc(ctx, x, h, days)  # noqa: E731
        else:
            make = lambda x, h: _notice_doc(ctx, x, h)  # noqa: E731
        first = counter.reserve_serials(s, f"doc-{kind}", year, len(case_ids))
        docs, rows = [], []
        for i, (case_id, x) in enumerate(zip(case_ids, loaded)):
            serial = f"{PREFIX[kind]}{year}-{code_prefix}-{first + i:04d}"
            code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
            doc = make(x, t.Header(serial, code, f"shequ:verify:{serial}:{code}"))
            docs.append(doc)
            rows.append(PrintedDocument(community_id=ctx.community_id, serial_no=serial, kind=kind, title=doc.title,
                                        case_id=case_id, resident_id=None, printed_by=ctx.user.login,
                                        printed_at=now, content_hash=content_hash(doc), verification_code=code,
                                        file_name=""))
            if progress and i % 20 == 0:
                progress(i, total)
        from shequ_desktop.printing.pdf_backend import render_many
        pdf = render_many(docs)
        folder = documents_dir(ctx) / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"批量-{kind}-{to_local(now):%Y%m%d-%H%M%S}-{len(docs)}.pdf"
        path.write_bytes(pdf)
        for row in rows:
            row.file_name = f"{year}/{path.name}"
        s.add_all(rows)
        audit.append(s, ctx, audit.AuditAction.PRINT, "printed_document", "",
                     f"batch {kind} x{len(docs)} {rows[0].serial_no}…{rows[-1].serial_no}")
    if progress:
        progress(total, total)
    return BatchView(path, len(docs), [r.serial_no for r in rows])


# --- what each document needs from the store ------------------------------------------------

@dataclass(frozen=True)
class _Ctx:
    case: Case
    item: ServiceItem
    resident: Resident
    community: Community
    clerk: User | None
    backup: User | None


def _load(s: Session, ctx: AppContext, case_id: str) -> _Ctx:
    case, _acting = counter._load_for_work(s, ctx, case_id)
    return _complete(s, case, {}, {})


def _complete(s: Session, case: Case, items: dict[str, ServiceItem | None],
              posts: dict[str, PostAssignment | None]) -> _Ctx:
    """The case with everything its documents print; ``items`` and ``posts`` memoise per service and owner."""
    if case.service_code not in items:
        items[case.service_code] = s.execute(
            select(ServiceItem).where(ServiceItem.code == case.service_code)).scalars().first()
    item = items[case.service_code]
    resident = s.get(Resident, case.resident_id)
    community = s.get(Community, case.community_id)
    if item is None or resident is None or community is None:
        raise NotFound("The case refers to data that no longer exists.")
    clerk = s.get(User, case.owner_id)
    if case.owner_id not in posts:
        posts[case.owner_id] = s.execute(
            select(PostAssignment).where(PostAssignment.a_user_id == case.owner_id)).scalars().first()
    post = posts[case.owner_id]
    backup = s.get(User, post.b_user_id) if post else None
    return _Ctx(case, item, resident, community, clerk, backup)


def _preload(s: Session, model: type, ids: set[str], keep: list[object]) -> None:
    """Load rows by id in a few IN queries so that ``s.get`` finds them in the identity map."""
    wanted = sorted(i for i in ids if i)
    for i in range(0, len(wanted), 500):
        keep.extend(s.execute(select(model).where(model.id.in_(wanted[i:i + 500]))).scalars())  # type: ignore[attr-defined]


def _load_many(s: Session, ctx: AppContext, case_ids: list[str]) -> list[_Ctx]:
    """``_load`` for many cases (same checks, same rows) in a handful of queries."""
    cases = counter.load_many_for_work(s, ctx, case_ids)
    keep: list[object] = []  # the identity map holds rows weakly
    _preload(s, Resident, {c.resident_id for c in cases}, keep)
    _preload(s, Community, {c.community_id for c in cases}, keep)
    _preload(s, User, {c.owner_id for c in cases}, keep)
    items: dict[str, ServiceItem | None] = {}
    posts: dict[str, PostAssignment | None] = {}
    for owner in {c.owner_id for c in cases}:
        posts[owner] = s.execute(select(PostAssignment).where(PostAssignment.a_user_id == owner)).scalars().first()
    _preload(s, User, {p.b_user_id for p in posts.values() if p}, keep)
    return [_complete(s, case, items, posts) for case in cases]


def _station_name(c: Community) -> str:
    return f"{c.name}工作站"


def _notice_doc(ctx: AppContext, x: _Ctx, header: t.Header) -> Document:
    return t.one_time_notice(t.OneTimeNoticeData(
        header, _station_name(x.community), x.resident.name, counter.to_definition(x.item),
        local_today(ctx.clock), ctx.user.display_name, x.community.phone or "—", x.community.hotline or "12345",
        x.community.address or _station_name(x.community), "工作日 上午9:00—12:00、下午2:00—5:30",
        applied=True))


def _notice_builder(ctx: AppContext, case_id: str) -> Builder:
    return lambda s, header: _notice_doc(ctx, _load(s, ctx, case_id), header)


def print_one_time_notice(ctx: AppContext, case_id: str) -> PrintedView:
    """一次性告知书 with the complete list; that the notice was given is recorded on the case (same transaction)."""
    loaded: list[_Ctx] = []  # keeps the case in the session (held weakly) for record_notice_given: one query less

    def build(s: Session, header: t.Header) -> Document:
        loaded.append(_load(s, ctx, case_id))
        return _notice_doc(ctx, loaded[0], header)

    with ctx.transaction():
        view = _issue(ctx, "one-time-notice", case_id, None, build)
        counter.record_notice_given(ctx, case_id, view.serial_no)
    return view


def _supplement_days(ctx: AppContext) -> int:
    return int(counter.current_policy(ctx).get("supplement_deadline_wd"))


def _supplement_doc(ctx: AppContext, x: _Ctx, header: t.Header, days: int) -> Document:
    if x.case.status != Status.SUPPLEMENT or x.case.supplement_due is None:
        raise UserError("First mark the materials to supplement.", field="materials")
    names = {str(m["code"]): str(m["name"]) for m in x.item.materials}
    items = tuple(t.SupplementItem(names.get(code, code), REASON_TEXT[v["state"]],  # type: ignore[arg-type]
                                   v.get("note") or "请按材料清单要求提供")
                  for code, v in x.case.materials.items() if v.get("state") in REASON_TEXT)
    return t.supplement_notice(t.SupplementNoticeData(
        header, _station_name(x.community), x.resident.name, x.case.service_name,
        to_local(x.case.received_at).date(), items, x.case.supplement_due, days,
        ctx.user.display_name, (x.clerk.phone if x.clerk else "") or x.community.phone or "—",
        local_today(ctx.clock), deadline_provisional=x.case.supplement_provisional))


def _supplement_builder(ctx: AppContext, case_id: str) -> Builder:
    def build(s: Session, header: t.Header) -> Document:
        return _supplement_doc(ctx, _load(s, ctx, case_id), header, _supplement_days(ctx))

    return build


def print_supplement_notice(ctx: AppContext, case_id: str) -> PrintedView:
    return _issue(ctx, "supplement-notice", case_id, None, _supplement_builder(ctx, case_id))


def _receipt_builder(ctx: AppContext, case_id: str) -> Builder:
    def build(s: Session, header: t.Header) -> Document:
        x = _load(s, ctx, case_id)
        if x.case.accepted_at is None:
            raise UserError("The case has not been accepted yet.")
        states = x.case.materials or {}
        received = tuple(t.ReceivedMaterial(str(m["name"]), "原件及复印件" if m["original"] and m["copy"] else
                                            ("原件" if m["original"] else "复印件"), int(m["copies"]),  # type: ignore[call-overload]
                                            _pages(states.get(str(m["code"]), {})))
                         for m in x.item.materials if states.get(str(m["code"]), {}).get("state") == "provided")
        return t.acceptance_receipt(t.AcceptanceReceiptData(
            header, _station_name(x.community), x.case.case_no, x.resident.name, x.resident.id_number,
            x.resident.phone, x.case.service_name, to_local(x.case.received_at).replace(tzinfo=None),
            to_local(x.case.accepted_at).replace(tzinfo=None), received, x.case.time_limit_wd, x.case.due_date,
            x.clerk.display_name if x.clerk else ctx.user.display_name, x.backup.display_name if x.backup else "—",
            due_provisional=x.case.due_provisional, station_phone=x.community.phone or ""))

    return build


def _pages(state: dict[str, object]) -> int | None:
    """Pages counted at the counter for a received material; None prints a blank to fill in by hand."""
    pages = state.get("pages")
    return int(pages) if isinstance(pages, (int, str)) and str(pages).isdigit() else None


def print_acceptance_receipt(ctx: AppContext, case_id: str) -> PrintedView:
    return _issue(ctx, "acceptance-receipt", case_id, None, _receipt_builder(ctx, case_id))


def blocked_reason(certificate_type: str) -> str | None:
    name = certificate_type.strip()
    for blocked in BLOCKED_CERTIFICATES:
        if name == blocked or (len(name) >= 4 and (name in blocked or blocked in name)):
            return blocked
    return None


def issue_residence_certificate(ctx: AppContext, case_id: str, req: CertificateRequest) -> PrintedView:
    """Check the certificate type, print the 居住证明 and close the case as 当场办结."""
    blocked = blocked_reason(req.certificate_type)
    if blocked:
        counter.refuse(ctx, case_id, f"《{blocked}》属于社区不应出具的证明事项")
        raise UserError("Residents' committees must not issue the certificate {name} (national list of 20 "
                        "certificates, 民政部等六部门 2020). The case was closed as refused.",
                        field="certificate_type", name=blocked)
    errors = []
    if req.since is None:
        errors.append(UserError("Since when does the resident live here?", field="since"))
    if not req.housing_basis.strip():
        errors.append(UserError("Which document proves the residence (property certificate, lease …)?",
                                field="housing_basis"))
    if not req.purpose.strip():
        errors.append(UserError("What is the certificate for?", field="purpose"))
    if errors:
        from shequ_desktop.domain.errors import ValidationErrors
        raise ValidationErrors(errors)

    def build(s: Session, header: t.Header) -> Document:
        x = _load(s, ctx, case_id)
        if x.case.service_code != "RESIDENCE_CERT":
            raise UserError("This case is not a residence certificate.")
        missing = counter._missing_required(x.case, x.item)
        if missing:
            raise UserError("Not all required materials were ticked: {items}.", field="materials",
                            items="、".join(missing))
        assert req.since is not None
        return t.residence_certificate(t.ResidenceCertificateData(
            header, f"{x.community.name}居民委员会", x.resident.name, "男" if x.resident.sex == "M" else "女",
            x.resident.id_number, req.since, x.resident.address, req.tenure, req.housing_basis.strip(),
            req.purpose.strip(), ctx.user.display_name, (x.clerk.phone if x.clerk else "") or x.community.phone,
            local_today(ctx.clock), req.validity_days))

    case = counter.get_case(ctx, case_id)
    view = _issue(ctx, "residence-certificate", case_id, case.resident_id, build)
    counter.finish_on_spot(ctx, case_id, f"出具居住证明 {view.serial_no}")
    return view


def print_catalogue(ctx: AppContext) -> PrintedView:
    ctx.require(Permission.COUNTER_WORK)

    def build(s: Session, header: t.Header) -> Document:
        community = s.get(Community, ctx.community_id)
        return t.catalogue(t.CatalogueData(header, _station_name(community) if community else "社区工作站",
                                           local_today(ctx.clock), tuple(counter.services(ctx))))

    return _issue(ctx, "catalogue", None, None, build)


REPRINTABLE: dict[str, Callable[[AppContext, str], Builder]] = {
    "one-time-notice": _notice_builder, "supplement-notice": _supplement_builder,
    "acceptance-receipt": _receipt_builder}


def reprint(ctx: AppContext, document_id: str) -> PrintedView:
    """补打: the same serial and code, marked 补打, registered as a new row pointing at the original."""
    with ctx.transaction() as s:
        original = s.get(PrintedDocument, document_id)
        if original is None:
            raise NotFound("The document was not found in the register.")
        s.expunge(original)
    if original.case_id is None or original.kind not in REPRINTABLE:
        raise UserError("This document is not reprinted; issue a new one if needed.")
    return _issue(ctx, original.kind, original.case_id, original.resident_id,
                  REPRINTABLE[original.kind](ctx, original.case_id), reprint_of=original)


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


def register(ctx: AppContext, case_id: str | None = None, limit: int = 200) -> list[RegisterRow]:
    with ctx.transaction() as s:
        q = select(PrintedDocument).order_by(PrintedDocument.printed_at.desc()).limit(limit)
        if case_id:
            q = q.where(PrintedDocument.case_id == case_id)
        return [RegisterRow(d.id, d.serial_no, d.kind, d.title, d.printed_by, d.printed_at, d.reprint_of is not None,
                            documents_dir(ctx) / d.file_name) for d in s.execute(q).scalars()]
