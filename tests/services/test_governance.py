"""Oversight part B through the services: hotline clocks, questionnaires and the dual evaluation with its
coverage, the supervision committee, inspections, ratings and 社区治理之星."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from governance_seed import seed
from shequ_desktop.domain import governance as g
from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.domain.errors import PermissionDenied, UserError
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.models import AuditEntry, ChangeJournal
from shequ_desktop.services import auth, policy
from shequ_desktop.services.governance import committee, evaluation, hotline, incentives, surveys
from shequ_desktop.services.governance.committee import InspectionInput, MemberInput
from shequ_desktop.services.governance.evaluation import ItemInput
from shequ_desktop.services.governance.hotline import ComplaintInput
from shequ_desktop.services.governance.surveys import Question


def local(y, mo, d, h=10, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=SHANGHAI)


@pytest.fixture
def town(ctx):
    return seed(ctx)


# --- hotline -------------------------------------------------------------------------------------

def test_night_call_entered_next_morning_keeps_its_time_and_both_clocks(town, clock):
    # now: Wed 2026-11-25 10:00; the call came at 23:17 the night before
    c = hotline.log_complaint(town.worker, ComplaintInput(local(2026, 11, 24, 23, 17, ), "赵敏", "楼道灯坏了一周没人修",
                                                          complainant_phone="13912345678", about="物业服务"))
    assert c.received_at == local(2026, 11, 24, 23, 17)
    assert c.complaint_no.startswith("TS2026-")
    assert c.contact.due_at == local(2026, 11, 25, 0, 17)                  # 1 hour elapsed
    assert c.feedback.due_at == local(2026, 11, 27, 17, 30)                # 3rd working day after Tue
    assert c.contact.late(clock.now())                                     # nobody called back at night
    assert c.complainant_name == "赵*" and c.complainant_phone == "139****5678"
    assert hotline.overdue_count(town.chief) == 1 and hotline.overdue_count(town.worker) == 0
    with town.worker.transaction() as s:
        assert s.execute(select(ChangeJournal).where(ChangeJournal.entity == "complaint")).first()


def test_feedback_time_before_the_complaint_is_refused(town, clock):
    c = hotline.log_complaint(town.worker, ComplaintInput(local(2026, 11, 25, 9, 5), "钱多多", "窗口态度差"))
    with pytest.raises(UserError) as exc:
        hotline.record_feedback(town.worker, c.id, local(2026, 11, 25, 8, 0), "已核实并道歉")
    assert exc.value.field == "fed_back_at"
    with pytest.raises(UserError) as exc:
        hotline.record_contact(town.worker, c.id, local(2026, 11, 24, 8, 0), "已联系")
    assert exc.value.field == "contacted_at"
    with pytest.raises(UserError) as exc:
        hotline.log_complaint(town.worker, ComplaintInput(local(2026, 11, 26, 9, 0), "钱多多", "未来的投诉"))
    assert exc.value.field == "received_at"
    done = hotline.record_contact(town.worker, c.id, local(2026, 11, 25, 9, 40), "已电话联系投诉人，约定当日答复")
    assert not done.contact.late(clock.now()) and done.state == g.CONTACTED
    closed = hotline.record_feedback(town.worker, c.id, local(2026, 11, 25, 9, 55), "已核实，当事社工已道歉")
    assert closed.state == g.CLOSED and not closed.overdue(clock.now())
    with pytest.raises(UserError):
        hotline.record_explanation(town.worker, c.id, "不需要")


def test_overdue_complaint_needs_a_written_explanation_then_its_filing(town, clock):
    c = hotline.log_complaint(town.worker, ComplaintInput(local(2026, 11, 20, 15, 0), "孙丽", "低保材料被退回三次"))
    # Fri 15:00 → due Wed 25th 17:30; now it is Thu 26th 10:00
    clock.set(local(2026, 11, 26, 10, 0))
    assert hotline.get(town.worker, c.id).needs_explanation(clock.now())
    assert [r.id for r in hotline.list_complaints(town.worker, "overdue")] == [c.id]
    with pytest.raises(UserError) as exc:
        hotline.record_feedback(town.worker, c.id, clock.now(), "已补办")
    assert exc.value.field == "explanation"
    with pytest.raises(UserError) as exc:
        hotline.record_filing(town.worker, c.id, dt.date(2026, 11, 26))
    assert exc.value.field == "filed_on"
    hotline.record_explanation(town.worker, c.id, "经办社工病假，AB岗未及时接手。")
    done = hotline.record_feedback(town.worker, c.id, clock.now(), "已补办并向投诉人说明")
    assert done.overdue(clock.now()) and done.needs_filing(clock.now())
    filed = hotline.record_filing(town.chief, c.id, dt.date(2026, 11, 26))
    assert filed.filed_on == dt.date(2026, 11, 26) and not filed.needs_filing(clock.now())
    assert hotline.list_complaints(town.worker, "overdue") == []


def test_complainant_reveal_is_audited(town):
    c = hotline.log_complaint(town.worker, ComplaintInput(local(2026, 11, 25, 8, 0), "周杰", "噪音扰民",
                                                          complainant_phone="13800001111"))
    full = hotline.reveal_complainant(town.worker, c.id, "回访")
    assert full.name == "周杰" and full.phone == "13800001111"
    with town.worker.transaction() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.entity == "complaint")).scalars().one()
    assert "周杰" not in entry.detail and "13800001111" not in entry.detail


# --- questionnaires and the dual evaluation ------------------------------------------------------------

QUESTIONS = (Question("您对社区工作站的服务总体满意吗？"), Question("社工上门服务及时吗？"),
             Question("您最常办理的业务", g.CHOICE, ("证明开具", "社保", "其他")), Question("意见和建议", g.TEXT))


def answers(a=5, b=4):
    return {"q1": a, "q2": b, "q3": "社保", "q4": ""}


def test_evaluation_cannot_be_final_below_coverage_and_says_how_many_more_by_grid(town):
    q = surveys.define(town.chief, "2026年第四季度居民满意度测评", "2026Q4", QUESTIONS, dt.date(2026, 10, 1),
                       dt.date(2026, 12, 31))
    # 40 residents: 10 % = 4 respondents; grid 1 has 24 (3 needed), grid 2 has 16 (2 needed)
    surveys.enter_paper_answers(town.worker, q.id, town.residents[0], answers(5, 5), paper_no="001")
    surveys.enter_paper_answers(town.worker, q.id, town.residents[1], answers(3, 4))
    with pytest.raises(UserError) as exc:
        surveys.enter_paper_answers(town.worker, q.id, town.residents[1], answers())
    assert exc.value.field == "resident"
    with pytest.raises(UserError) as exc:
        surveys.enter_paper_answers(town.worker, q.id, town.residents[2], {"q1": 6, "q2": 4, "q3": "社保"})
    assert exc.value.field == "answer:q1"
    e = evaluation.create(town.chief, "2026Q4")
    e = evaluation.set_items(town.chief, e.id, [ItemInput("党建引领", 20, 18), ItemInput("服务群众", 40, 36),
                                                ItemInput("平安建设", 40, 30)])
    assert e.subdistrict_score == 84.0
    assert e.coverage.count == 2 and e.coverage.required == 4 and e.coverage.more_needed == 2
    by_grid = {x.grid_id: x for x in e.coverage.grids}
    assert by_grid[town.grids[0]].more_needed == 1 and by_grid[town.grids[1]].more_needed == 2
    with pytest.raises(UserError) as exc:
        evaluation.finalise(town.chief, e.id)
    assert exc.value.field == "coverage" and exc.value.params["more"] == 2
    surveys.enter_paper_answers(town.worker, q.id, town.residents[30], answers(4, 4))
    surveys.enter_paper_answers(town.worker, q.id, town.residents[31], answers(5, 4))
    final = evaluation.finalise(town.chief, e.id)
    # residents: mean of (100, 62.5, 75, 87.5) = 81.25; 0.4 × 84 + 0.6 × 81.25 = 82.35
    assert final.residents_score == 81.25 and final.score == 82.35 and final.final_score == 82.35
    assert final.coverage.count == len(final.coverage.respondents) == 4        # figure = its list
    with pytest.raises(UserError):
        evaluation.set_items(town.chief, e.id, [ItemInput("党建引领", 100, 100)])


def test_coverage_by_households_is_a_setting(town):
    policy.update_policy(town.admin, {"evaluation_coverage_base": "households"})
    q = surveys.define(town.chief, "测评", "2026Q4", QUESTIONS[:1], dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    surveys.enter_paper_answers(town.worker, q.id, town.residents[0], {"q1": 5})
    surveys.enter_paper_answers(town.worker, q.id, town.residents[1], {"q1": 4})   # same household
    e = evaluation.create(town.chief, "2026Q4")
    assert e.coverage.basis == "households" and e.coverage.base == 20
    assert e.coverage.count == 1 and e.coverage.required == 2


def test_a_worker_cannot_define_or_finalise(town):
    with pytest.raises(PermissionDenied):
        surveys.define(town.worker, "x", "2026Q4", QUESTIONS, dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    with pytest.raises(UserError) as exc:
        surveys.define(town.chief, "x", "2026Q4", (Question("意见", g.TEXT),), dt.date(2026, 10, 1),
                       dt.date(2026, 12, 31))
    assert exc.value.field == "questions"


# --- committee and inspections ----------------------------------------------------------------------------

def test_committee_warns_until_three_representatives_and_refuses_a_fourth(town):
    view = committee.set_term(town.chief, dt.date(2026, 3, 1), elected_on=dt.date(2026, 3, 1))
    assert view.term_end == dt.date(2031, 2, 28)
    committee.add_member(town.chief, MemberInput(resident_id=town.residents[0], role=g.CHAIR))
    view = committee.add_member(town.chief, MemberInput(resident_id=town.residents[3]))
    assert any("needs exactly" in w[0] for w in view.warnings)
    view = committee.add_member(town.chief, MemberInput(name="刘芳", phone="13700001234", representative=False,
                                                        term_end=dt.date(2029, 2, 28)))
    msgs = [w[0] for w in view.warnings]
    assert not any("needs exactly" in m for m in msgs)
    assert any("not a residents' representative" in m for m in msgs) and any("not in step" in m for m in msgs)
    with pytest.raises(UserError) as exc:
        committee.add_member(town.chief, MemberInput(resident_id=town.residents[5]))
    assert exc.value.field == "members"
    leaving = next(m for m in view.members if m.name == "刘芳")
    assert leaving.phone == "137****1234"
    committee.member_leaves(town.chief, leaving.id, dt.date(2026, 11, 1))
    view = committee.add_member(town.chief, MemberInput(resident_id=town.residents[5]))
    assert len(view.members) == 3 and view.warnings == ()


def test_quarterly_inspection_is_recorded_and_missing_quarters_listed(town):
    counts = committee.ledger_counts(town.chief, "2026Q3")
    assert [c.ledger for c in counts] == list(g.LEDGERS)
    with pytest.raises(UserError) as exc:
        committee.record_inspection(town.chief, InspectionInput("2026Q3", dt.date(2026, 10, 12), "张三、李四", (),
                                                                "台账齐全", "good"))
    assert exc.value.field == "ledgers"
    committee.record_inspection(town.chief, InspectionInput("2026Q3", dt.date(2026, 10, 12), "张三、李四、王五",
                                                            ("counter_register", "funds"), "台账齐全", "good",
                                                            "经费支出凭证完整"))
    assert committee.quarters_without_inspection(town.chief, 2026) == ["2026Q1", "2026Q2"]


# --- incentives --------------------------------------------------------------------------------------------

def test_award_is_20_percent_of_the_base_the_admin_enters_and_two_excellent_years_flag(town, clock):
    from shequ_desktop.services import audit  # noqa: F401
    w = auth.create_user(town.admin, "sw1", "陈晓燕", Role.WORKER, "demo1234")
    incentives.rate_worker(town.chief, 2025, w.login, g.EXCELLENT)
    r = incentives.rate_worker(town.chief, 2026, w.login, g.EXCELLENT)
    assert r.recommended and r.award is None
    with pytest.raises(PermissionDenied):
        incentives.set_salary_base(town.chief, r.id, 6000)
    r = incentives.set_salary_base(town.admin, r.id, 6000)
    assert r.award == 1200.0
    r = incentives.rate_worker(town.chief, 2026, w.login, g.COMPETENT)
    assert r.award == 0.0 and not r.recommended
    with pytest.raises(UserError):
        incentives.rate_worker(town.chief, 2027, w.login, g.EXCELLENT)


def test_star_proposals_top_ten_percent_with_tie_rules_and_titles_by_year(town):
    for i in range(20):
        incentives.add_to_ranking(town.chief, 2026, 90 - i, votes=100 - i, name=f"居民{i:02d}")
    # 20 → ⌈2⌉ proposals: 居民00, 居民01
    rank = incentives.ranking(town.chief, 2026)
    assert [r.name for r in rank if r.proposed] == ["居民00", "居民01"]
    incentives.add_to_ranking(town.chief, 2026, 89, votes=120, name="并列者")   # 21 → ⌈2.1⌉ = 3
    incentives.add_to_ranking(town.chief, 2026, 89, votes=10, name="并列者二")
    # 22 → 3 places; 89 points are shared by 并列者, 居民01 and 并列者二 across the cut-off
    assert [r.name for r in incentives.ranking(town.chief, 2026) if r.proposed] == \
        ["居民00", "并列者", "居民01", "并列者二"]                                # include (default)
    policy.update_policy(town.admin, {"star_tie_rule": "exclude"})
    assert [r.name for r in incentives.ranking(town.chief, 2026) if r.proposed] == ["居民00"]
    policy.update_policy(town.admin, {"star_tie_rule": "secondary"})                # votes decide
    assert [r.name for r in incentives.ranking(town.chief, 2026) if r.proposed] == ["居民00", "并列者", "居民01"]
    policy.update_policy(town.admin, {"star_ranking_rule": "votes"})
    assert [r.name for r in incentives.ranking(town.chief, 2026) if r.proposed] == ["并列者", "居民00", "居民01"]
    titles = incentives.award_stars(town.chief, 2026)
    assert sorted(t.name for t in titles) == sorted(["居民00", "并列者", "居民01"])
    assert all(t.year == 2026 and t.title == "社区治理之星" for t in titles)
    with pytest.raises(UserError):
        incentives.award_stars(town.chief, 2026)
