"""Dispute mediation through the services: intake, clocks, escalation, council, sessions, outcomes, archive."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from shequ_desktop.domain import mediation as m
from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.domain.errors import PermissionDenied, UserError
from shequ_desktop.persistence.journal import UnjournaledWrite
from shequ_desktop.persistence.mediation_models import MediationSession
from shequ_desktop.persistence.models import AuditEntry, ChangeJournal, Grid, Resident
from shequ_desktop.services import audit, auth, demo, meetings
from shequ_desktop.services.mediation import agreement, cases, council, oversight, patrol
from shequ_desktop.services.mediation.cases import CaseInput, PartyInput, SessionInput


def local(y, mo, d, h=10, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=SHANGHAI)


@pytest.fixture
def worker(demo_ctx):
    return demo_ctx.as_user(auth.login(demo_ctx, "worker1", demo.DEMO_PASSWORD))


@pytest.fixture
def chief(demo_ctx):
    return demo_ctx.as_user(auth.login(demo_ctx, "chief", demo.DEMO_PASSWORD))


@pytest.fixture
def two_residents(demo_ctx, worker):
    with demo_ctx.transaction() as s:
        rows = s.execute(select(Resident.id).where(Resident.grid_id == worker.user.grid_id)
                         .order_by(Resident.id_number).limit(2)).scalars().all()
    return list(rows)


def neighbours(residents, level=m.GRID, **kw):
    parties = (PartyInput(resident_id=residents[0]), PartyInput(resident_id=residents[1]))
    return CaseInput("neighbours", "walk_in", "楼上漏水导致楼下天花板受损，双方就维修费用发生争执。", level, parties, **kw)


def test_grid_case_has_a_24_hour_elapsed_clock_and_settles_orally(worker, two_residents, clock):
    case = cases.register_case(worker, neighbours(two_residents))
    assert case.case_no.startswith("TJ2026-") and case.level == m.GRID and case.state == m.OPEN
    assert case.clock.kind == m.ONSPOT and case.clock.due_at == clock.now() + dt.timedelta(hours=24)
    assert all("*" in p.name for p in case.parties)                   # masked in every view
    clock.advance(hours=3)
    done = cases.settle_orally(worker, case.id, "甲方负责维修防水层，乙方天花板修复费用由甲方承担800元。")
    assert done.state == m.SETTLED_ORAL and done.clock.met_at == clock.now()
    with worker.transaction() as s:
        assert s.execute(select(ChangeJournal).where(ChangeJournal.entity == "mediation_case")).first()


def test_escalation_changes_level_records_reason_and_starts_the_new_clock(worker, chief, two_residents, clock):
    third = PartyInput(name="某物业服务有限公司", phone="027-87651234")
    data = CaseInput("property", "patrol", "小区电梯长期故障，业主与物业就维修基金使用发生纠纷。", m.GRID,
                     (PartyInput(resident_id=two_residents[0]), PartyInput(resident_id=two_residents[1]), third))
    case = cases.register_case(worker, data)
    assert case.multi_party
    clock.advance(hours=5)
    up = cases.escalate(worker, case.id, m.COMMUNITY, "涉及多户业主与物业，需组织居民议事会协商")
    assert up.level == m.COMMUNITY and up.clock.kind == m.COUNCIL
    assert up.clock.due_at.astimezone(SHANGHAI) == local(2026, 11, 30, 17, 30)   # Wed + 3 working days
    with pytest.raises(UserError):
        cases.escalate(worker, case.id, m.GRID, "回到网格")
    # the council: invite list by category, attendance, minutes, outcome; it meets the clock
    with pytest.raises(UserError) as exc:
        council.convene(worker, case.id, local(2026, 11, 27, 15), "社区议事厅",
                        [meetings.Invitee("party", "甲"), meetings.Invitee("party", "乙")])
    assert exc.value.field == "invitees"
    planned = council.convene(worker, case.id, local(2026, 11, 27, 15), "社区议事厅", [
        meetings.Invitee("party", "业主代表王某"), meetings.Invitee("party", "物业公司经理"),
        meetings.Invitee("building_head", "3栋楼栋长李某"), meetings.Invitee("party_member_rep", "党员代表赵某")])
    clock.set(local(2026, 11, 27, 17))
    held = council.record_council(worker, planned.id, local(2026, 11, 27, 15), {planned.invitees[0].id: True},
                                  "各方陈述意见，议定由维修基金先行垫付。", "达成一致：维修基金垫付，12月底前修复")
    assert held.state == "held" and sum(1 for i in held.invitees if i.attended) == 1
    assert cases.get_case(worker, case.id).clock.met_at is not None
    # complex: to the subdistrict, 5 working days to report with the judicial office named
    sub = cases.escalate(worker, case.id, m.SUBDISTRICT, "涉及维修基金使用，属复杂物业纠纷")
    assert sub.clock.kind == m.REPORT and sub.reported_at is None
    assert sub.clock.due_at.astimezone(SHANGHAI) == local(2026, 12, 4, 17, 30)
    with pytest.raises(UserError):
        cases.report_to_subdistrict(worker, case.id, "", "")
    reported = cases.report_to_subdistrict(worker, case.id, "珞南街道司法所", "湖北某某律师事务所")
    assert reported.clock.met_at is not None and reported.judicial_office == "珞南街道司法所"
    file = cases.case_file(chief, case.id)
    assert [(e.from_level, e.to_level) for e in file.escalations] == [("grid", "community"), ("community", "subdistrict")]
    assert file.council_id == planned.id


def test_sessions_are_append_only_and_not_before_the_case(worker, two_residents, clock):
    case = cases.register_case(worker, neighbours(two_residents))
    with pytest.raises(UserError) as exc:
        cases.record_session(worker, case.id, SessionInput(clock.now() - dt.timedelta(days=1), "社区调解室",
                                                           "双方当事人", "甲：…；乙：…"))
    assert exc.value.field == "held_at"
    clock.advance(hours=1)
    sid = cases.record_session(worker, case.id, SessionInput(clock.now(), "社区调解室", "甲、乙、调解员张伟",
                                                             "甲方称…；乙方称…", "建议甲方承担维修费用"))
    with pytest.raises(UnjournaledWrite), worker.transaction() as s:
        s.get(MediationSession, sid).statements = "改写"
        s.flush()
    assert len(cases.case_file(worker, case.id).sessions) == 1


def test_written_agreement_takes_effect_with_the_last_element(worker, two_residents, clock):
    case = cases.register_case(worker, neighbours(two_residents))
    terms = agreement.AgreementInput("楼上漏水致楼下受损", ("甲方于2026年12月5日前修复防水层。", "甲方赔偿乙方800元。"),
                                     "甲方于2026年12月5日前一次性支付。", "甲方负主要责任")
    a = agreement.make_agreement(worker, case.id, terms)
    assert re.fullmatch(r"（2026）幸福里社区调委会调字第\d+号", a.agreement_no) and a.copies == 3
    assert a.effective_on is None
    with pytest.raises(UserError):                                    # a second agreement
        agreement.make_agreement(worker, case.id, terms)
    first, second = a.party_ids
    a = agreement.set_marks(worker, case.id, {first: {"signed": True}}, mediator_signed=True, committee_sealed=True)
    assert a.effective_on is None and a.missing == (second,)
    clock.advance(days=1)
    a = agreement.set_marks(worker, case.id, {second: {"fingerprint": True}})
    assert a.effective_on == dt.date(2026, 11, 26) and a.confirm_until == dt.date(2026, 12, 26)
    assert cases.get_case(worker, case.id).state == m.SETTLED_WRITTEN
    agreement.record_followup(worker, case.id, dt.date(2026, 11, 26), "performed", "已修复并支付")
    archived = cases.archive(worker, case.id)
    assert re.fullmatch(r"（2026）幸福里社区调委会调卷第\d+号", archived.file_no) and archived.archived
    with pytest.raises(UserError):                                    # escalating an archived case
        cases.escalate(worker, case.id, m.COMMUNITY, "再次升级")
    with pytest.raises(UserError):
        agreement.record_followup(worker, case.id, dt.date(2026, 11, 26), "partly")


def test_an_agreement_needs_the_parties(worker, two_residents):
    case = cases.register_case(worker, CaseInput("family", "walk_in", "家庭赡养纠纷", m.COMMUNITY,
                                                  (PartyInput(resident_id=two_residents[0]),)))
    with pytest.raises(UserError) as exc:
        agreement.make_agreement(worker, case.id, agreement.AgreementInput("事实", ("条款",), "一次性履行"))
    assert exc.value.field == "parties"
    with pytest.raises(UserError) as exc:
        cases.register_case(worker, CaseInput("family", "walk_in", "无当事人", m.GRID, ()))
    assert exc.value.field == "parties"
    with pytest.raises(UserError):    # an outsider needs a phone number
        cases.register_case(worker, CaseInput("debt", "walk_in", "欠款", m.GRID, (PartyInput(name="外来人员"),)))


def test_refused_is_outside_the_success_rate_and_failed_counts_against(worker, chief, two_residents, clock):
    ok = cases.register_case(worker, neighbours(two_residents))
    cases.settle_orally(worker, ok.id, "口头协议内容")
    bad = cases.register_case(worker, neighbours(two_residents))
    cases.fail(worker, bad.id, "双方分歧过大")
    ref = cases.register_case(worker, neighbours(two_residents))
    assert cases.refuse(worker, ref.id, "乙方").state == m.REFUSED
    rates = oversight.success_rate(chief, dt.date(2026, 11, 25), dt.date(2026, 11, 25))   # only today's cases
    assert (rates.station.numerator, rates.station.denominator) == (1, 2)
    assert {r.label for r in rates.station.missing_records()} == {bad.case_no}
    assert rates.by_mediator[worker.user.login].denominator == 2 and rates.station.met is False
    assert rates.mediator_names[worker.user.login] == "张伟"
    assert rates.by_grid["第一网格"].denominator == 2
    assert oversight.success_rate(chief, dt.date(2025, 11, 25), dt.date(2026, 11, 24)).station.denominator > 0


def test_two_mediators_with_one_name_are_two_lines_of_the_success_rate(demo_ctx, worker, chief, two_residents):
    from shequ_desktop.domain.roles import Role
    auth.create_user(chief, "zhangwei2", "张伟", Role.WORKER, "password-2", check_permission=False)
    other = demo_ctx.as_user(auth.login(demo_ctx, "zhangwei2", "password-2"))
    for who in (worker, other):
        cases.settle_orally(who, cases.register_case(who, neighbours(two_residents)).id, "口头协议内容")
    rates = oversight.success_rate(chief, dt.date(2026, 11, 25), dt.date(2026, 11, 25))
    assert (rates.by_mediator["worker1"].denominator, rates.by_mediator["zhangwei2"].denominator) == (1, 1)
    one, two = rates.mediator_names["worker1"], rates.mediator_names["zhangwei2"]
    assert one != two and one.startswith("张伟") and two.startswith("张伟")


def test_chief_list_due_list_and_the_overdue_count(worker, chief, two_residents, clock):
    grid_case = cases.register_case(worker, neighbours(two_residents))
    comm = cases.register_case(worker, neighbours(two_residents, level=m.COMMUNITY, multi_party=True))
    with pytest.raises(PermissionDenied):
        oversight.chief_list(worker)
    mine = {grid_case.case_no, comm.case_no}

    def listed(level):
        return [r.case_no for r in oversight.chief_list(chief)[level] if r.case_no in mine]
    assert listed("grid") == []
    before = oversight.overdue_count(chief), oversight.overdue_count(worker)
    clock.advance(hours=20)                                          # 4 h left of 24: running out
    assert listed("grid") == [grid_case.case_no]
    clock.advance(hours=5)
    after = oversight.overdue_count(chief), oversight.overdue_count(worker)
    assert after[0] >= before[0] + 1 and after[1] >= before[1] + 1
    lines = [x.line() for x in oversight.due_by(chief, dt.date(2026, 11, 30)) if x.case_no in mine]
    assert lines == [f"2026-11-26 10:00\tgrid\t{grid_case.case_no}\toverdue",
                     f"2026-11-30 17:30\tcommunity\t{comm.case_no}\tdue"]
    states = [x.overdue for x in oversight.due_by(chief, dt.date(2026, 12, 31))]
    assert states == sorted(states, reverse=True)                    # overdue first
    paused = cases.pause_clock(worker, comm.id)
    assert paused.clock.paused
    clock.advance(days=1)
    resumed = cases.resume_clock_now(worker, comm.id)
    assert resumed.clock.due_at.astimezone(SHANGHAI) == local(2026, 12, 1, 17, 30)   # Fri paused: one working day


def test_patrol_leads_become_cases_and_missing_days_are_flagged(worker, two_residents, clock):
    clock.set(local(2026, 11, 27, 18))
    entry = patrol.add_entry(worker, dt.date(2026, 10, 8), "幸福里小区1-10栋", "3栋楼道堆放杂物",
                             ["5栋两户因噪音争吵", "车位被占引发口角"])
    case = cases.register_from_lead(worker, entry.id, 1, CaseInput("neighbours", "patrol", "", m.GRID,
                                                                   (PartyInput(resident_id=two_residents[0]),)))
    assert case.source == "patrol" and case.facts == "车位被占引发口角"
    assert patrol.entries(worker, dt.date(2026, 10, 1), dt.date(2026, 10, 31))[0].leads[1].case_no == case.case_no
    with pytest.raises(UserError):
        cases.register_from_lead(worker, entry.id, 1, CaseInput("neighbours", "patrol", "", m.GRID,
                                                                 (PartyInput(resident_id=two_residents[0]),)))
    with worker.transaction() as s:
        grid = s.get(Grid, worker.user.grid_id)
    # National Day week: 10-05..10-07 are holidays, 10-10 (Saturday) is a make-up working day
    missing = [x.day for x in patrol.missing_days(worker, dt.date(2026, 10, 5), dt.date(2026, 10, 11),
                                                  worker.user.grid_id)]
    assert missing == [dt.date(2026, 10, 9), dt.date(2026, 10, 10)]
    assert grid is not None


def test_party_reveal_is_audited_and_other_grids_cannot_see(worker, demo_ctx, two_residents):
    case = cases.register_case(worker, neighbours(two_residents))
    detail = cases.reveal_party(worker, case.parties[0].id, "调解联系")
    assert "*" not in detail.name and len(detail.id_number) == 18
    with worker.transaction() as s:
        assert s.execute(select(AuditEntry).where(AuditEntry.entity == "mediation_party")).first()
    other = demo_ctx.as_user(auth.login(demo_ctx, "worker3", demo.DEMO_PASSWORD))
    with pytest.raises(PermissionDenied):
        cases.get_case(other, case.id)
    assert case.id not in {r.id for r in oversight.list_cases(other)}
    assert case.id in {r.id for r in oversight.list_cases(worker)}


def _pdf_text(path) -> str:
    import subprocess
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(out.split())


def test_printed_agreement_and_case_file_read_back(worker, two_residents, clock):
    from shequ_desktop.services.mediation import documents
    case = cases.register_case(worker, neighbours(two_residents))
    clock.advance(hours=2)
    cases.record_session(worker, case.id, SessionInput(clock.now(), "社区调解室", "甲、乙、调解员张伟",
                                                       "甲方称防水老化；乙方要求赔偿", "建议赔偿800元"))
    a = agreement.make_agreement(worker, case.id, agreement.AgreementInput(
        "楼上漏水致楼下受损", ("甲方修复防水层。", "甲方赔偿乙方800元。"), "2026年12月5日前一次性支付。", "甲方负主要责任"))
    with pytest.raises(UserError):
        documents.print_case_file(worker, case.id)                    # not archived yet
    paper = documents.print_agreement(worker, case.id)
    text = _pdf_text(paper.path)
    full = cases.reveal_party(worker, a.party_ids[0])
    for expected in ("人民调解协议书", a.agreement_no, "当事人（甲方）：" + full.name, "一、甲方修复防水层。",
                     "本协议一式3份", "三十日内共同向人民法院申请司法确认", "幸福里社区人民调解委员会（印章）"):
        assert expected in text, expected
    agreement.set_marks(worker, case.id, {p: {"signed": True} for p in a.party_ids}, True, True)
    agreement.record_followup(worker, case.id, dt.date(2026, 11, 25), "performed", "已履行完毕")
    archived = cases.archive(worker, case.id)
    file_text = _pdf_text(documents.print_case_file(worker, case.id).path)
    order = ["人民调解卷宗", "卷宗号：" + archived.file_no, "卷内目录", "一、人民调解登记表", "二、调解笔录（第1次）",
             "三、人民调解协议书", "签署情况", "协议生效日期：2026年11月25日", "四、履行情况回访记录", "已履行完毕"]
    at = 0
    for part in order:                                               # each part after the one before
        found = file_text.find(part, at)
        assert found >= 0, (part, file_text[at:at + 200])
        at = found + len(part)
    with worker.transaction() as s:
        kinds = [r.detail for r in s.execute(select(AuditEntry).where(AuditEntry.action == "print")).scalars()]
    texts = [audit.detail_text(k, lambda m: m) for k in kinds]     # message ids, read in the reader's language
    assert any(t.startswith("Printed mediation agreement TX") for t in texts)
    assert any(t.startswith("Printed mediation case file JZ") and case.case_no in t for t in texts)


def test_failed_mediation_prints_the_notice_of_other_routes(worker, two_residents):
    from shequ_desktop.services.mediation import documents
    case = cases.register_case(worker, neighbours(two_residents))
    with pytest.raises(UserError):
        documents.print_failure_notice(worker, case.id)
    cases.fail(worker, case.id, "双方对赔偿金额分歧过大")
    text = _pdf_text(documents.print_failure_notice(worker, case.id).path)
    assert "人民调解终止告知书" in text and "终止调解" in text and "仲裁" in text and "人民法院提起诉讼" in text


def test_cli_due_prints_the_exact_format(demo_ctx, worker, two_residents, clock, db_path, capsys):
    from shequ_desktop.cli import admin
    case = cases.register_case(worker, neighbours(two_residents))
    demo_ctx.db.dispose()
    assert admin.main(["--db", str(db_path), "mediation", "due", "--date", "2026-11-26"]) == 0
    out = capsys.readouterr().out
    # the CLI runs on the real clock (after 2026-11-26 10:00): the 24 h clock has run out
    assert f"2026-11-26 10:00\tgrid\t{case.case_no}\toverdue" in out.splitlines()
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d\t(grid|community|subdistrict)\tTJ\d{4}-\d{4}\t(due|overdue)", x)
               for x in out.splitlines())
    assert admin.main(["--db", str(db_path), "mediation", "due", "--date", "2026-11-25"]) == 0
    assert case.case_no not in capsys.readouterr().out
    assert admin.main(["--db", str(db_path), "mediation", "due", "--date", "26.11.2026"]) != 0
    assert "YYYY-MM-DD" in capsys.readouterr().err
