"""The counter flows through the services, with real PDFs and a fixed clock (2026-11-25 10:00 Shanghai)."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from sqlalchemy import select

from shequ_desktop.domain.errors import PermissionDenied, UserError, ValidationErrors
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.counter_models import CaseEvent
from shequ_desktop.services import auth, counter, counter_oversight as ov, documents, residents
from shequ_desktop.services.counter import Status
from shequ_desktop.services.documents import CertificateRequest
from shequ_desktop.services.residents import ResidentInput


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def clerk(ctx):
    counter.ensure_catalogue(ctx)
    a = auth.create_user(ctx, "clerk1", "李晓梅", Role.CLERK, "password-1")
    b = auth.create_user(ctx, "clerk2", "陈静", Role.CLERK, "password-2")
    from shequ_desktop.persistence.models import PostAssignment
    with ctx.transaction() as s:
        s.add(PostAssignment(community_id=ctx.community_id, post="综合窗口一", a_login=a.login, b_login=b.login))
    user = auth.login(ctx, "clerk1", "password-1")
    return ctx.as_user(user)


@pytest.fixture
def resident(ctx):
    return residents.create(ctx, ResidentInput(name="张秀兰", id_number="11010519491231002X", phone="13812348000",
                                               address="幸福里小区8栋2单元503室"))


def tick_all(ctx, case):
    svc = counter.service(ctx, case.service_code)
    return counter.set_materials(ctx, case.id, {m.code: ("provided", "") for m in svc.required_materials()})


def test_catalogue_has_the_twelve_services(ctx):
    assert counter.ensure_catalogue(ctx) == 12
    assert counter.ensure_catalogue(ctx) == 0
    codes = [s.code for s in counter.services(ctx)]
    assert len(codes) == 12 and "RESIDENCE_CERT" in codes and "DIBAO" in codes


def test_residence_certificate_on_the_spot(clerk, resident):
    case = counter.start_case(clerk, resident.id, "RESIDENCE_CERT")
    with pytest.raises(UserError):   # nothing ticked yet
        documents.issue_residence_certificate(clerk, case.id, CertificateRequest(
            since=dt.date(2019, 3, 1), housing_basis="房屋租赁合同", purpose="子女入学"))
    tick_all(clerk, case)
    with pytest.raises(ValidationErrors) as exc:
        documents.issue_residence_certificate(clerk, case.id, CertificateRequest())
    assert {e.field for e in exc.value.errors} == {"since", "housing_basis", "purpose"}
    view = documents.issue_residence_certificate(clerk, case.id, CertificateRequest(
        since=dt.date(2019, 3, 1), tenure="租住", housing_basis="房屋租赁合同", purpose="子女入学"))
    text = pdf_text(view.path)
    assert "居住证明" in text and "张秀兰" in text and "11010519491231002X" in text and view.serial_no in text
    closed = counter.get_case(clerk, case.id)
    assert closed.status == Status.ON_SPOT and closed.status_label == "当场办结"


def test_blocked_certificate_is_refused_with_reason(clerk, resident):
    case = counter.start_case(clerk, resident.id, "RESIDENCE_CERT")
    tick_all(clerk, case)
    with pytest.raises(UserError) as exc:
        documents.issue_residence_certificate(clerk, case.id, CertificateRequest(certificate_type="亲属关系证明"))
    assert exc.value.field == "certificate_type" and exc.value.params["name"] == "亲属关系证明"
    assert counter.get_case(clerk, case.id).status == Status.REFUSED
    assert documents.register(clerk, case.id) == []


def test_complex_case_accept_review_report_complete(clerk, resident, clock):
    case = counter.start_case(clerk, resident.id, "DIBAO")
    with pytest.raises(UserError, match="incomplete"):
        counter.accept(clerk, case.id)
    notice = documents.print_one_time_notice(clerk, case.id)
    assert counter.get_case(clerk, case.id).notice_given
    assert "一次性告知书" in pdf_text(notice.path)
    tick_all(clerk, case)
    accepted = counter.accept(clerk, case.id)
    # accepted Wed 2026-11-25: 5 working days → Wed 2026-12-02
    assert accepted.due_date == dt.date(2026, 12, 2) and not accepted.due_provisional
    receipt = documents.print_acceptance_receipt(clerk, case.id)
    text = pdf_text(receipt.path)
    assert "受理回执" in text and case.case_no in text and "2026年12月2日" in text and "110***********002X" in text
    clock.advance(days=2)
    counter.review_done(clerk, case.id, "家庭收入低于本市低保标准，建议上报")
    counter.report_to_subdistrict(clerk, case.id, "珞南街道民政科 王科长", "纸质材料当面移交")
    rate = ov.on_time_rate(clerk.as_user(clerk.user), dt.date(2026, 12, 1), dt.date(2026, 12, 31), clerk.user.login)
    assert (rate.numerator, rate.denominator) == (1, 1)
    done = counter.complete(clerk, case.id, "街道审核通过")
    assert done.status == Status.COMPLETED
    kinds = [e.kind for e in counter.case_events(clerk, case.id)]
    assert kinds == ["received", "notice_given", "materials", "accepted", "reviewed", "reported", "completed"]


def test_supplement_pauses_the_review_clock(clerk, resident, clock):
    case = counter.start_case(clerk, resident.id, "DIBAO")
    tick_all(clerk, case)
    counter.accept(clerk, case.id)                                   # due Wed 12-02
    clock.advance(days=1)                                            # Thu 11-26
    svc = counter.service(clerk, "DIBAO")
    first = svc.required_materials()[0]
    waiting = counter.request_supplement(clerk, case.id, {first.code: ("wrong", "需加盖单位公章")})
    assert waiting.status == Status.SUPPLEMENT and waiting.supplement_due == dt.date(2026, 12, 1)
    notice = documents.print_supplement_notice(clerk, case.id)
    text = pdf_text(notice.path)
    assert "补正材料通知书" in text and first.name in text and "不符合要求" in text and "2026年12月1日" in text
    clock.advance(days=4)                                            # Mon 11-30: two working days paused
    resumed = counter.supplement_received(clerk, case.id)
    assert resumed.status == Status.ACCEPTED and resumed.due_date == dt.date(2026, 12, 4)


def test_supplement_before_acceptance_and_deadline_flag(clerk, resident, clock, ctx):
    case = counter.start_case(clerk, resident.id, "DIBAO")
    with pytest.raises(UserError):
        counter.request_supplement(clerk, case.id, {})
    svc = counter.service(clerk, "DIBAO")
    counter.request_supplement(clerk, case.id, {svc.required_materials()[0].code: ("missing", "")})
    clock.advance(days=7)
    chief = ctx.as_user(auth.login(ctx, "clerk1", "password-1").__class__(
        id="c", login="chief", display_name="站长", role=Role.CHIEF))
    late = ov.overdue_cases(chief)
    assert [r.case_no for r in late] == [case.case_no] and late[0].supplement_overdue
    extended = counter.extend_supplement(chief, case.id, 2, "居民住院")
    assert extended.supplement_due > dt.date(2026, 12, 1)
    assert ov.overdue_cases(chief) == []


def test_deadline_in_uncovered_year_is_provisional(clerk, resident, clock):
    clock.set(dt.datetime(2026, 12, 29, 2, 0, tzinfo=dt.timezone.utc))
    case = counter.start_case(clerk, resident.id, "DIBAO")
    tick_all(clerk, case)
    accepted = counter.accept(clerk, case.id)
    assert accepted.due_provisional and accepted.due_date == dt.date(2027, 1, 6)  # 1 Jan is 元旦 by law
    text = pdf_text(documents.print_acceptance_receipt(clerk, case.id).path)
    assert "暂定" in text


def test_ab_post_routing_and_both_absent_warning(clerk, resident, ctx):
    case = counter.start_case(clerk, resident.id, "DIBAO")
    b_user = auth.login(ctx, "clerk2", "password-2")
    b = ctx.as_user(b_user)
    with pytest.raises(PermissionDenied):
        counter.get_case(b, case.id)
    chief = ctx.as_user(b_user.__class__(id="c", login="chief", display_name="站长", role=Role.CHIEF))
    assert ov.mark_absent(chief, clerk.user.login, dt.date(2026, 11, 25), "病假") == []
    assert [r.id for r in ov.list_cases(b, "covering")] == [case.id]
    assert counter.get_case(b, case.id).owner_login == clerk.user.login      # ownership unchanged
    counter.set_materials(b, case.id, {"D1": ("provided", "")}) if "D1" in [
        m.code for m in counter.service(b, "DIBAO").materials] else tick_all(b, case)
    with b.transaction() as s:
        last = s.execute(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at.desc(),
                                                                                          CaseEvent.id.desc())).scalars().first()
    assert last.acting_for == "clerk1"
    warnings = ov.mark_absent(chief, b_user.login, dt.date(2026, 11, 25))
    assert [(w.a_name, w.b_name) for w in warnings] == [("李晓梅", "陈静")]


def test_reprint_is_marked_and_registered(clerk, resident):
    case = counter.start_case(clerk, resident.id, "DIBAO")
    first = documents.print_one_time_notice(clerk, case.id)
    again = documents.reprint(clerk, first.id)
    assert again.serial_no == first.serial_no and again.reprint and again.path != first.path
    assert "补打" in pdf_text(again.path) and "补打" not in pdf_text(first.path)
    assert [r.reprint for r in documents.register(clerk, case.id)] == [True, False] or \
        sorted(r.reprint for r in documents.register(clerk, case.id)) == [False, True]


def test_rare_character_prints_from_the_fallback_font(clerk, ctx):
    r = residents.create(ctx, ResidentInput(name="王䶮", id_number="440524195801010018"))
    case = counter.start_case(clerk, r.id, "DIBAO")
    printed = documents.print_one_time_notice(clerk, case.id)
    assert "王䶮" in pdf_text(printed.path)


def test_character_no_font_has_stops_printing_before_numbering(clerk, ctx):
    r = residents.create(ctx, ResidentInput(name="王\U00030000", id_number="440524195801010018"))
    case = counter.start_case(clerk, r.id, "DIBAO")
    with pytest.raises(UserError) as exc:
        documents.print_one_time_notice(clerk, case.id)
    assert "\U00030000" in exc.value.params["chars"]
    assert documents.register(clerk, case.id) == []


def test_on_time_rate_counts_late_and_excludes_withdrawn(clerk, resident, clock, ctx):
    late = counter.start_case(clerk, resident.id, "DIBAO")
    tick_all(clerk, late)
    counter.accept(clerk, late.id)                                   # due 12-02
    gone = counter.start_case(clerk, resident.id, "DIBAO")
    tick_all(clerk, gone)
    counter.accept(clerk, gone.id)
    counter.withdraw(clerk, gone.id, "居民撤回")
    clock.set(dt.datetime(2026, 12, 3, 2, 0, tzinfo=dt.timezone.utc))
    chief = ctx.as_user(clerk.user.__class__(id="c", login="chief", display_name="站长", role=Role.CHIEF))
    assert [r.case_no for r in ov.overdue_cases(chief)] == [late.case_no]
    rate = ov.on_time_rate(chief, dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert (rate.numerator, rate.denominator) == (0, 1) and rate.lines[0].case_no == late.case_no


def test_simple_service_with_a_time_limit_is_accepted_and_forwarded(clerk, resident):
    """城乡居民养老保险参保登记: simple, but the community accepts and forwards it within the limit."""
    svc = counter.service(clerk, "PENSION_ENROL")
    assert svc.simple and svc.time_limit_wd
    case = counter.start_case(clerk, resident.id, "PENSION_ENROL")
    tick_all(clerk, case)
    accepted = counter.accept(clerk, case.id)
    assert accepted.status == Status.ACCEPTED and accepted.due_date == dt.date(2026, 12, 2)
    same_visit = counter.start_case(clerk, resident.id, "RESIDENCE_CERT")
    with pytest.raises(UserError, match="simple service"):
        counter.accept(clerk, same_visit.id)


def test_batch_of_supplement_notices_is_one_pdf_and_each_is_registered(clerk, resident):
    ids = []
    for _ in range(3):
        case = counter.start_case(clerk, resident.id, "DIBAO")
        code = counter.service(clerk, "DIBAO").required_materials()[0].code
        counter.request_supplement(clerk, case.id, {code: ("missing", "")})
        ids.append(case.id)
    seen = []
    batch = documents.print_batch(clerk, "supplement-notice", ids, lambda d, t: seen.append((d, t)))
    text = pdf_text(batch.path)
    assert batch.count == 3 and text.count("补正材料通知书") == 3
    assert all(serial in text for serial in batch.serials) and len(set(batch.serials)) == 3
    assert seen[-1] == (4, 4)
    assert sum(len(documents.register(clerk, i)) for i in ids) == 3


def test_case_numbers_are_year_station_serial_digits(clerk, resident, ctx):
    import re
    first = counter.start_case(clerk, resident.id, "DIBAO")
    second = counter.start_case(clerk, resident.id, "RESIDENCE_CERT")
    assert re.fullmatch(r"2026-\d{2}-00001", first.case_no), first.case_no
    assert second.case_no == first.case_no[:-5] + "00002"
    from shequ_desktop.services.context import put_setting
    with ctx.transaction() as s:
        put_setting(s, "station_no", "7")
    assert counter.start_case(clerk, resident.id, "DIBAO").case_no == "2026-07-00003"
