"""What each counter document prints, read from the store and checked: the template's data, unnumbered.

Every ``prepare_*`` function validates everything that could refuse the document (case state,
materials, the clerk's entries) and returns a ``Prepared`` whose data carries the 样稿 header; the
caller numbers it only afterwards (services/documents.py). Station names, address, phones, office
hours and the seal line come from the station's settings (services/station.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shequ_desktop.domain.clock import local_today, to_local
from shequ_desktop.domain.errors import NotFound, UserError, ValidationErrors
from shequ_desktop.domain.roles import Permission
from shequ_desktop.domain.service_catalogue import BLOCKED_CERTIFICATES
from shequ_desktop.domain.staff import staff_member_id
from shequ_desktop.persistence.counter_models import Case, ServiceItem
from shequ_desktop.persistence.models import Community, PostAssignment, Resident, User
from shequ_desktop.persistence.staff_models import StaffMember
from shequ_desktop.printing import templates as t
from shequ_desktop.printing.refusal import RefusalNoticeData
from shequ_desktop.services import counter
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.counter import REASON_TEXT, Status
from shequ_desktop.services.station import StationInfo, station_info_in


@dataclass(frozen=True)
class CertificateRequest:
    certificate_type: str = "居住证明"
    since: dt.date | None = None
    tenure: str = "自有住房"
    housing_basis: str = ""
    purpose: str = ""
    validity_days: int = 30


@dataclass(frozen=True)
class Prepared:
    """A checked, unnumbered document: its template data (header = 样稿) and the register's facts."""

    kind: str
    data: Any
    case_id: str | None = None
    resident_id: str | None = None
    holder: str = ""                 # the person's name (stored masked)
    issuer: str = ""
    valid_until: dt.date | None = None


@dataclass(frozen=True)
class Loaded:
    case: Case
    item: ServiceItem
    resident: Resident
    community: Community | None   # a station joined to a hub may not have received its community yet
    clerk: StaffPerson | None
    backup: StaffPerson | None


def load(s: Session, ctx: AppContext, case_id: str) -> Loaded:
    case, _acting = counter._load_for_work(s, ctx, case_id)
    return _complete(s, case, {}, {})


def _complete(s: Session, case: Case, items: dict[str, ServiceItem | None],
              posts: dict[str, PostAssignment | None]) -> Loaded:
    """The case with everything its documents print; ``items`` and ``posts`` memoise per service and owner."""
    if case.service_code not in items:
        items[case.service_code] = s.execute(
            select(ServiceItem).where(ServiceItem.code == case.service_code)).scalars().first()
    item = items[case.service_code]
    resident = s.get(Resident, case.resident_id)
    community = s.get(Community, case.community_id)
    if item is None or resident is None:
        raise NotFound("The case refers to data that no longer exists.")
    clerk = _person(s, case.community_id, case.owner_login)
    if case.owner_login not in posts:
        posts[case.owner_login] = s.execute(
            select(PostAssignment).where(PostAssignment.a_login == case.owner_login,
                                         PostAssignment.deleted_at.is_(None))).scalars().first()
    post = posts[case.owner_login]
    backup = _person(s, case.community_id, post.b_login) if post else None
    return Loaded(case, item, resident, community, clerk, backup)


@dataclass(frozen=True)
class StaffPerson:
    """A staff member as a paper names them: from the community's staff directory, else this PC's login."""

    display_name: str
    phone: str


def _person(s: Session, community_id: str, login: str | None) -> StaffPerson | None:
    if not login:
        return None
    m = s.get(StaffMember, staff_member_id(community_id, login))
    if m is not None and m.deleted_at is None:
        return StaffPerson(m.display_name, m.phone or "")
    u = s.execute(select(User).where(User.login == login)).scalars().first()
    return StaffPerson(u.display_name, u.phone or "") if u else None


def _preload(s: Session, model: type, ids: set[str], keep: list[object]) -> None:
    """Load rows by id in a few IN queries so that ``s.get`` finds them in the identity map."""
    wanted = sorted(i for i in ids if i)
    for i in range(0, len(wanted), 500):
        keep.extend(s.execute(select(model).where(model.id.in_(wanted[i:i + 500]))).scalars())  # type: ignore[attr-defined]


def load_many(s: Session, ctx: AppContext, case_ids: list[str]) -> list[Loaded]:
    """``load`` for many cases (same checks, same rows) in a handful of queries."""
    cases = counter.load_many_for_work(s, ctx, case_ids)
    keep: list[object] = []  # the identity map holds rows weakly
    _preload(s, Resident, {c.resident_id for c in cases}, keep)
    _preload(s, Community, {c.community_id for c in cases}, keep)
    _preload(s, StaffMember, {staff_member_id(c.community_id, c.owner_login) for c in cases}, keep)
    items: dict[str, ServiceItem | None] = {}
    posts: dict[str, PostAssignment | None] = {}
    for owner in {c.owner_login for c in cases}:
        posts[owner] = s.execute(select(PostAssignment).where(PostAssignment.a_login == owner,
                                                              PostAssignment.deleted_at.is_(None))).scalars().first()
    return [_complete(s, case, items, posts) for case in cases]


def _clerk_phone(x: Loaded, st: StationInfo) -> str:
    return (x.clerk.phone if x.clerk else "") or st.phone or "—"


def notice_data(ctx: AppContext, x: Loaded, st: StationInfo) -> Prepared:
    """一次性告知书: the application day is the case's, not the print's."""
    data = t.OneTimeNoticeData(
        t.DRAFT, st.station_name, x.resident.name, counter.to_definition(x.item),
        to_local(x.case.received_at).date(), ctx.user.display_name, st.phone or "—", st.hotline,
        st.address or st.station_name, st.hours, applied=True, issued_on=local_today(ctx.clock))
    return Prepared("one-time-notice", data, x.case.id, x.resident.id, x.resident.name, st.station_name)


def supplement_days(ctx: AppContext) -> int:
    return int(counter.current_policy(ctx).get("supplement_deadline_wd"))


def supplement_data(ctx: AppContext, x: Loaded, st: StationInfo, days: int) -> Prepared:
    if x.case.status != Status.SUPPLEMENT or x.case.supplement_due is None:
        raise UserError("First mark the materials to supplement.", field="materials")
    names = {str(m["code"]): str(m["name"]) for m in x.item.materials}
    items = tuple(t.SupplementItem(names.get(code, code), REASON_TEXT[v["state"]],  # type: ignore[arg-type]
                                   v.get("note") or "请按材料清单要求提供")
                  for code, v in x.case.materials.items() if v.get("state") in REASON_TEXT)
    data = t.SupplementNoticeData(
        t.DRAFT, st.station_name, x.resident.name, x.case.service_name,
        to_local(x.case.received_at).date(), items, x.case.supplement_due, days,
        ctx.user.display_name, _clerk_phone(x, st), local_today(ctx.clock),
        deadline_provisional=x.case.supplement_provisional)
    return Prepared("supplement-notice", data, x.case.id, x.resident.id, x.resident.name, st.station_name)


def receipt_data(ctx: AppContext, x: Loaded, st: StationInfo) -> Prepared:
    if x.case.accepted_at is None:
        raise UserError("The case has not been accepted yet.")
    states = x.case.materials or {}
    received = tuple(t.ReceivedMaterial(str(m["name"]), "原件及复印件" if m["original"] and m["copy"] else
                                        ("原件" if m["original"] else "复印件"), int(m["copies"]),  # type: ignore[call-overload]
                                        _pages(states.get(str(m["code"]), {})))
                     for m in x.item.materials if states.get(str(m["code"]), {}).get("state") == "provided")
    data = t.AcceptanceReceiptData(
        t.DRAFT, st.station_name, x.case.case_no, x.resident.name, x.resident.id_number,
        x.resident.phone, x.case.service_name, to_local(x.case.received_at).replace(tzinfo=None),
        to_local(x.case.accepted_at).replace(tzinfo=None), received, x.case.time_limit_wd, x.case.due_date,
        x.clerk.display_name if x.clerk else ctx.user.display_name, x.backup.display_name if x.backup else "—",
        due_provisional=x.case.due_provisional, station_phone=st.phone)
    return Prepared("acceptance-receipt", data, x.case.id, x.resident.id, x.resident.name, st.station_name)


def _pages(state: dict[str, object]) -> int | None:
    """Pages counted at the counter for a received material; None prints a blank to fill in by hand."""
    pages = state.get("pages")
    return int(pages) if isinstance(pages, (int, str)) and str(pages).isdigit() else None


def blocked_reason(certificate_type: str) -> str | None:
    name = certificate_type.strip()
    for blocked in BLOCKED_CERTIFICATES:
        if name == blocked or (len(name) >= 4 and (name in blocked or blocked in name)):
            return blocked
    return None


def check_certificate_request(req: CertificateRequest) -> None:
    """The clerk's entries for a 居住证明 (a blocked type is handled by the caller)."""
    errors = []
    if req.since is None:
        errors.append(UserError("Since when does the resident live here?", field="since"))
    if not req.housing_basis.strip():
        errors.append(UserError("Which document proves the residence (property certificate, lease …)?",
                                field="housing_basis"))
    if not req.purpose.strip():
        errors.append(UserError("What is the certificate for?", field="purpose"))
    if errors:
        raise ValidationErrors(errors)


def certificate_data(ctx: AppContext, x: Loaded, st: StationInfo, req: CertificateRequest) -> Prepared:
    if x.case.service_code != "RESIDENCE_CERT":
        raise UserError("This case is not a residence certificate.")
    counter._require_status(x.case, Status.INTAKE)   # a closed case gets no (second) certificate
    missing = counter._missing_required(x.case, x.item)
    if missing:
        raise UserError("Not all required materials were ticked: {items}.", field="materials",
                        items="、".join(missing))
    assert req.since is not None
    today = local_today(ctx.clock)
    data = t.ResidenceCertificateData(
        t.DRAFT, st.seal_name, x.resident.name, "男" if x.resident.sex == "M" else "女",
        x.resident.id_number, req.since, x.resident.address, req.tenure, req.housing_basis.strip(),
        req.purpose.strip(), ctx.user.display_name, _clerk_phone(x, st), today, req.validity_days)
    return Prepared("residence-certificate", data, x.case.id, x.resident.id, x.resident.name, st.seal_name,
                    today + dt.timedelta(days=req.validity_days))  # 民法典 §201: the day of issue is not counted


def refusal_data(ctx: AppContext, x: Loaded, st: StationInfo, req: CertificateRequest) -> Prepared:
    """不予出具证明告知书 for a certificate type on the national list the community must not issue."""
    blocked = blocked_reason(req.certificate_type)
    if blocked is None:
        raise UserError("The community may issue {name}; there is no reason to print.", field="certificate_type",
                        name=req.certificate_type.strip())
    data = RefusalNoticeData(t.DRAFT, st.station_name, st.seal_name, x.resident.name, blocked,
                             to_local(x.case.received_at).date(), ctx.user.display_name, _clerk_phone(x, st),
                             local_today(ctx.clock))
    return Prepared("refusal-notice", data, x.case.id, x.resident.id, x.resident.name, st.seal_name)


def catalogue_data(ctx: AppContext, s: Session) -> Prepared:
    ctx.require(Permission.COUNTER_WORK)
    st = station_info_in(s, ctx.community_id)
    data = t.CatalogueData(t.DRAFT, st.station_name, local_today(ctx.clock), tuple(counter.services(ctx)))
    return Prepared("catalogue", data, issuer=st.station_name)


def prepare(ctx: AppContext, s: Session, kind: str, case_id: str | None,
            certificate: CertificateRequest | None = None) -> Prepared:
    """The checked data of one new document of ``kind``; raises before anything is numbered."""
    if kind == "catalogue":
        return catalogue_data(ctx, s)
    if case_id is None:
        raise UserError("Documents of kind {kind} belong to a case.", kind=kind)
    if kind == "residence-certificate":
        check_certificate_request(certificate or CertificateRequest())
    x = load(s, ctx, case_id)
    st = station_info_in(s, ctx.community_id)
    if kind == "one-time-notice":
        return notice_data(ctx, x, st)
    if kind == "supplement-notice":
        return supplement_data(ctx, x, st, supplement_days(ctx))
    if kind == "acceptance-receipt":
        return receipt_data(ctx, x, st)
    if kind == "residence-certificate":
        return certificate_data(ctx, x, st, certificate or CertificateRequest())
    if kind == "refusal-notice":
        return refusal_data(ctx, x, st, certificate or CertificateRequest())
    raise UserError("Unknown document kind {kind}.", kind=kind)
