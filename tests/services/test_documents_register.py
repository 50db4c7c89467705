"""The document register (issue 10): faithful 补打, numbering only after every check, an unnumbered 样稿
preview, 文书核验 and 作废; and the station's own settings on every paper (issue 11)."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from sqlalchemy import func, select

from shequ_desktop.domain.errors import PermissionDenied, UserError
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.counter_models import PrintedDocument, SerialCounter
from shequ_desktop.persistence.models import AuditEntry
from shequ_desktop.services import auth, counter, documents, residents, station, verify
from shequ_desktop.services.counter import Status
from shequ_desktop.services.documents import CertificateRequest, DocumentRequest
from shequ_desktop.services.residents import ResidentInput
from tests.conftest import as_role

CERT = CertificateRequest(since=dt.date(2019, 3, 1), tenure="租住", housing_basis="房屋租赁合同", purpose="子女入学")


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def flat(path) -> str:
    return "".join(pdf_text(path).split())


@pytest.fixture
def clerk(ctx):
    counter.ensure_catalogue(ctx)
    auth.create_user(ctx, "clerk1", "李晓梅", Role.CLERK, "password-1")
    return ctx.as_user(auth.login(ctx, "clerk1", "password-1"))


@pytest.fixture
def resident(ctx):
    return residents.create(ctx, ResidentInput(name="张秀兰", id_number="11010519491231002X", phone="13812348000",
                                               address="幸福里小区8栋2单元503室"))


def tick_all(ctx, case):
    svc = counter.service(ctx, case.service_code)
    return counter.set_materials(ctx, case.id, {m.code: ("provided", "") for m in svc.required_materials()})


def later(clock, days: int) -> None:
    clock.set(clock.now() + dt.timedelta(days=days))


def certificate(clerk, resident):
    case = counter.start_case(clerk, resident.id, "RESIDENCE_CERT")
    tick_all(clerk, case)
    return case, documents.issue_residence_certificate(clerk, case.id, CERT)


# --- 补打 is the same document ------------------------------------------------------------------

def test_reprint_of_a_supplement_notice_after_the_supplement_keeps_its_date_and_issuer(clerk, resident, clock, ctx):
    case = counter.start_case(clerk, resident.id, "DIBAO")
    code = counter.service(clerk, "DIBAO").required_materials()[0].code
    counter.request_supplement(clerk, case.id, {code: ("missing", "")})
    first = documents.print_supplement_notice(clerk, case.id)
    later(clock, 3)                                              # 2026-11-28: the resident brings the material
    counter.set_materials(clerk, case.id, {code: ("provided", "")})
    other = ctx.as_user(auth.login(ctx, *_second_clerk(ctx)))
    again = documents.reprint(other, first.id)
    original, reprinted = flat(first.path), flat(again.path)
    assert "2026年11月25日" in reprinted and "2026年11月28日" not in reprinted
    assert reprinted.replace("补打", "") == original and "补打" in reprinted
    assert again.serial_no == first.serial_no
    rows = documents.register(clerk, case.id)
    assert sorted(r.reprint for r in rows) == [False, True]
    assert {r.printed_by for r in rows} == {"clerk1", "clerk2"}   # the reprint's own row names who reprinted


def _second_clerk(ctx):
    auth.create_user(ctx, "clerk2", "陈静", Role.CLERK, "password-2")
    return "clerk2", "password-2"


def test_reprint_of_a_one_time_notice_shows_the_application_day(clerk, resident, clock):
    case = counter.start_case(clerk, resident.id, "DIBAO")
    first = documents.print_one_time_notice(clerk, case.id)
    later(clock, 7)
    again = documents.reprint(clerk, first.id)
    text = flat(again.path)
    assert "您于2026年11月25日" in text and "2026年12月2日" not in text
    assert text.replace("补打", "") == flat(first.path)


def test_certificate_reprint_while_valid_and_not_after(clerk, resident, clock):
    _case, cert = certificate(clerk, resident)
    later(clock, 10)
    again = documents.reprint(clerk, cert.id)
    assert again.serial_no == cert.serial_no and "2026年11月25日" in flat(again.path)
    later(clock, 21)                                             # day 31 after issue: expired
    with pytest.raises(UserError, match="expired"):
        documents.reprint(clerk, cert.id)


# --- numbering only after every check --------------------------------------------------------------

def test_second_certificate_on_a_closed_case_consumes_no_number(clerk, resident, ctx):
    case, first = certificate(clerk, resident)
    assert counter.get_case(clerk, case.id).status == Status.ON_SPOT
    with pytest.raises(UserError):
        documents.issue_residence_certificate(clerk, case.id, CERT)
    with ctx.transaction() as s:
        assert s.execute(select(func.count()).select_from(PrintedDocument)).scalar() == 1
        assert s.get(SerialCounter, ("doc-residence-certificate", 2026)).last == 1
    assert not any(p.name != first.path.name for p in first.path.parent.glob("ZM*.pdf"))
    _next_case, second = certificate(clerk, resident)
    assert second.serial_no.endswith("-0002")


# --- preview: an unnumbered 样稿 -----------------------------------------------------------------

def test_preview_is_an_unnumbered_draft_and_registers_nothing(clerk, resident, ctx):
    case = counter.start_case(clerk, resident.id, "DIBAO")
    draft = documents.preview(clerk, DocumentRequest("one-time-notice", case.id))
    text = pdf_text(draft.path)
    assert "样" in text and "稿" in text and "打印时编号" in text and "GZ2026" not in text
    assert documents.register(clerk, case.id) == []
    with ctx.transaction() as s:
        assert s.execute(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "print")).scalar() == 0
        assert s.get(SerialCounter, ("doc-one-time-notice", 2026)) is None
    assert [e.kind for e in counter.case_events(clerk, case.id) if e.kind == "notice_given"] == []
    issued = documents.issue(clerk, DocumentRequest("one-time-notice", case.id))
    assert issued.serial_no.endswith("-0001") and "样稿" not in "".join(pdf_text(issued.path).split())


def test_preview_refuses_like_the_issue(clerk, resident):
    case = counter.start_case(clerk, resident.id, "RESIDENCE_CERT")
    with pytest.raises(UserError):
        documents.preview(clerk, DocumentRequest("residence-certificate", case.id, CERT))   # nothing ticked


# --- 文书核验 and 作废 ---------------------------------------------------------------------------------

def test_verify_shows_minimal_facts_and_the_status(clerk, resident, clock, ctx):
    _case, cert = certificate(clerk, resident)
    v = verify.verify(clerk, f"shequ:verify:{cert.serial_no}:{cert.verification_code}")
    assert (v.serial_no, v.issued_on, v.holder, v.status, v.title) == (
        cert.serial_no, dt.date(2026, 11, 25), "张*兰", "valid", "居住证明")
    assert v.issuer.endswith("居民委员会")
    assert verify.verify(clerk, cert.verification_code.lower()).serial_no == cert.serial_no
    later(clock, 31)
    assert verify.verify(clerk, cert.verification_code).status == "expired"
    with pytest.raises(UserError):
        verify.verify(clerk, "ABCDEFGH")
    with pytest.raises(UserError):
        verify.verify(clerk, "not a code")


def test_only_the_chief_voids_and_a_void_document_verifies_as_void(clerk, resident, ctx):
    case = counter.start_case(clerk, resident.id, "DIBAO")
    notice = documents.print_one_time_notice(clerk, case.id)
    with pytest.raises(PermissionDenied):
        verify.void(clerk, notice.verification_code, "信息有误")
    chief = as_role(ctx, Role.CHIEF, "chief")
    with pytest.raises(UserError):
        verify.void(chief, notice.verification_code, " ")
    v = verify.void(chief, notice.verification_code, "申请人姓名有误，已重新出具")
    assert v.status == "void" and v.void_reason.startswith("申请人姓名有误")
    assert verify.verify(clerk, notice.verification_code).status == "void"
    with pytest.raises(UserError, match="voided"):
        documents.reprint(clerk, notice.id)
    assert [r.voided for r in documents.register(clerk, case.id)] == [True]


def test_the_qr_carries_the_hub_url_when_a_hub_is_configured(clerk, resident, ctx):
    from shequ_desktop.services.context import put_setting
    with ctx.transaction() as s:
        put_setting(s, "sync.hub_url", "https://hub.example.cn/")
        assert documents.verify_target(s, "ZM2026-X-0001", "ABCDEFGH") == \
            "https://hub.example.cn/api/v1/verify/ABCDEFGH"
        put_setting(s, "sync.hub_url", "")
        assert documents.verify_target(s, "ZM2026-X-0001", "ABCDEFGH") == "shequ:verify:ZM2026-X-0001:ABCDEFGH"


# --- the station's own settings on every paper (issue 11) ------------------------------------------

def test_station_settings_appear_on_printed_documents(clerk, resident, ctx):
    assert not station.station_info(ctx).configured
    with pytest.raises(PermissionDenied):
        station.set_station(clerk, station_name="别的工作站")
    info = station.set_station(ctx, community_name="桃源", station_name="桃源社区党群服务站",
                               address="桃源路88号一楼", phone="0755-2666 0000", hours="周一至周六 8:30—18:00",
                               hotline="0755-12345", seal_name="桃源社区居民委员会")
    assert info.configured and station.station_info(ctx).station_name == "桃源社区党群服务站"
    case = counter.start_case(clerk, resident.id, "DIBAO")
    text = flat(documents.print_one_time_notice(clerk, case.id).path)
    for value in ("桃源社区党群服务站", "桃源路88号一楼", "0755-26660000", "周一至周六8:30—18:00", "0755-12345"):
        assert value.replace(" ", "") in text
    assert "示范社区" not in text and "工作日上午9:00" not in text
    assert "出具或获取" in text                         # where each material is obtained (DOMAIN §4.2)
    _c, cert = certificate(clerk, resident)
    assert "桃源社区居民委员会" in flat(cert.path)
    assert verify.verify(clerk, cert.verification_code).issuer == "桃源社区居民委员会"


def test_an_insert_is_journaled_with_its_column_defaults_not_none(ctx):
    """A pulled echo of the station's own insert wrote None into NOT NULL columns (counter_case.due_provisional)."""
    from shequ_desktop.persistence.journal import ChangeJournal
    from shequ_desktop.persistence.models import Community
    with ctx.transaction() as s:
        c = Community(community_id=ctx.community_id, code="X", name="新社区")
        s.add(c)
        s.flush()
        fields = s.execute(select(ChangeJournal.fields).where(ChangeJournal.entity_id == c.id)).scalar_one()
    assert (fields["address"], fields["phone"], fields["hotline"]) == ("", "", "")
