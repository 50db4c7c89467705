"""Demo oversight records for 幸福里社区: a year of hotline complaints (some late, with their 情况说明 and
filing), two questionnaires — last quarter's answers reach the 10 % coverage and its evaluation is final,
this quarter's fall short — the supervision committee with its quarterly inspections, annual ratings of
the staff and the residents' ranking with last year's 社区治理之星.

Complaints, committee, inspections, evaluations and ratings go through the oversight services (one
transaction), so the demo obeys the same rules and clocks; the many paper answers are added in bulk.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from sqlalchemy import literal_column, select

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.clock import SHANGHAI, FixedClock, local_today
from shequ_desktop.persistence.governance_models import SurveyResponse
from shequ_desktop.persistence.models import Grid, Resident, User
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.governance import committee, evaluation, hotline, incentives, surveys
from shequ_desktop.services.governance.committee import InspectionInput, MemberInput
from shequ_desktop.services.governance.evaluation import ItemInput
from shequ_desktop.services.governance.hotline import ComplaintInput
from shequ_desktop.services.governance.surveys import Question

COMPLAINTS = (
    ("窗口服务", "办理居住证明时等候时间过长，窗口只开一个。"), ("窗口服务", "低保申请材料被退回多次，每次要求不一致。"),
    ("网格服务", "网格员承诺上门核实情况，一周未见人。"), ("物业服务", "楼道灯坏了一周没人修。"),
    ("环境卫生", "垃圾分类点满溢，气味很大，反映多次未处理。"), ("社工态度", "电话咨询时工作人员态度生硬。"),
    ("公共设施", "小区健身器材损坏存在安全隐患。"), ("停车管理", "消防通道长期被车辆占用。"),
    ("噪音扰民", "夜间广场舞音响声音过大。"), ("养老服务", "老年食堂饭菜质量下降，价格上涨。"),
)
RESULTS = ("已核实情况，相关负责人已整改并向投诉人致歉。", "已协调物业当日修复，投诉人表示满意。",
           "已约谈当事社工，并调整窗口排班。", "已联合城管清理，并设置提示牌。")
LATE_REASONS = ("经办社工病假，AB岗备岗社工未及时接手核查，导致未能在3个工作日内反馈。",
                "涉及物业、城管多个部门，协调会议时间推迟，处理结果未能按期反馈。",
                "恰逢国庆假期前后，相关单位人员轮休，核实工作延误。")
QUESTIONS = (Question("您对社区工作站的服务总体是否满意？"), Question("社区工作人员对您的诉求是否及时回应？"),
             Question("您对社区环境卫生和公共秩序是否满意？"),
             Question("您最近一次办理的业务", g.CHOICE, ("证明开具", "社会保障", "计划生育", "其他")),
             Question("您对社区工作的意见和建议", g.TEXT))
SHEET = (("党建引领", 20), ("为民服务", 30), ("平安建设", 20), ("社区治理", 20), ("作风建设", 10))
DEEDS = ("义务打扫楼道三年", "组织邻里互助小组", "协助调解邻里纠纷十余起", "担任楼栋长，热心为老服务",
         "参与垃圾分类督导志愿服务", "疫情期间参与社区值守")


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def _quarter_before(period: str) -> str:
    year, q = int(period[:4]), int(period[-1])
    return f"{year - 1}Q4" if q == 1 else f"{year}Q{q - 1}"


def generate(ctx: AppContext, households: int = 8000, seed: int = 20261203) -> int:
    """Add the oversight demo; returns the number of complaints."""
    rng = random.Random(seed)
    today = local_today(ctx.clock)
    with ctx.transaction() as s:
        residents = s.execute(select(Resident.id, Resident.name, Resident.phone, Resident.grid_id,
                                     Resident.household_id).where(Resident.deleted_at.is_(None))
                              .order_by(literal_column("resident.rowid"))).all()   # as made, not by random id
        grids = [gid for gid in s.execute(select(Grid.id).order_by(Grid.code)).scalars()]
        users = s.execute(select(User.login, User.display_name, User.role).where(User.role != "admin")
                          .order_by(User.login)).all()
        n = _complaints(ctx, rng, today, residents, max(24, min(72, households // 110)))
        _committee(ctx, today, residents)
        _surveys(ctx, s, rng, today, residents, grids)
        _incentives(ctx, rng, today, residents, users)
    return n


def _at_clock(ctx: AppContext, when: dt.datetime) -> AppContext:
    return replace(ctx, clock=FixedClock(when))


def _complaints(ctx: AppContext, rng: random.Random, today: dt.date, residents: list, n: int) -> int:  # noqa: ANN001
    for i in range(n):
        day = today - dt.timedelta(days=int(365 * (n - i) / n))
        night = rng.random() < 0.25
        received = _at(day, rng.choice((21, 22, 23)) if night else rng.randint(8, 17), rng.randint(0, 59))
        if received > ctx.clock.now():
            received = ctx.clock.now() - dt.timedelta(hours=2)
        who = rng.choice(residents)
        about, content = rng.choice(COMPLAINTS)
        entered = _at_clock(ctx, received + dt.timedelta(hours=10 if night else 0, minutes=5))
        c = hotline.log_complaint(entered, ComplaintInput(received, who.name, content, "hotline", who.phone or "",
                                                          about, who.grid_id))
        age = (today - day).days
        if age <= 1 and i % 2 == 0:
            continue                                              # still open: both clocks run
        contact = received + dt.timedelta(minutes=rng.choice((12, 25, 40, 55, 50, 95)))
        if contact > ctx.clock.now():
            continue
        hotline.record_contact(_at_clock(ctx, contact), c.id, contact, "已电话联系投诉人，告知核实安排。")
        late = i % 9 == 4
        fed = (c.feedback.due_at + dt.timedelta(days=rng.randint(1, 3), hours=2)) if late else \
            contact + dt.timedelta(hours=rng.randint(3, 50))
        fed = min(fed, c.feedback.due_at - dt.timedelta(minutes=30)) if not late else fed
        if fed <= contact or fed > ctx.clock.now():
            continue
        if late:
            hotline.record_explanation(_at_clock(ctx, fed), c.id, rng.choice(LATE_REASONS))
        hotline.record_feedback(_at_clock(ctx, fed), c.id, fed, rng.choice(RESULTS))
        if late and (today - fed.astimezone(SHANGHAI).date()).days > 3:
            hotline.record_filing(_at_clock(ctx, fed + dt.timedelta(days=2)), c.id,
                                  (fed + dt.timedelta(days=2)).astimezone(SHANGHAI).date())
    now = ctx.clock.now()
    # still running: a call half an hour ago, one from last night being worked on, one past its 3 working days
    for k, (ago, contacted) in enumerate(((dt.timedelta(minutes=30), False), (dt.timedelta(hours=14), True),
                                          (dt.timedelta(days=8), True))):
        who = residents[(k + 1) * 11 % len(residents)]
        about, content = COMPLAINTS[(k * 3 + 1) % len(COMPLAINTS)]
        received = (now - ago).replace(second=0, microsecond=0)
        c = hotline.log_complaint(ctx, ComplaintInput(received, who.name, content, "hotline", who.phone or "", about,
                                                      who.grid_id))
        if contacted:
            at = received + dt.timedelta(minutes=35)
            hotline.record_contact(_at_clock(ctx, at), c.id, at, "已电话联系投诉人，正在协调处理。")
    return n + 3


def _committee(ctx: AppContext, today: dt.date, residents: list) -> None:  # noqa: ANN001
    start = dt.date(today.year if today.month >= 3 else today.year - 1, 3, 1)
    committee.set_term(ctx, start, elected_on=start)
    for k, r in enumerate(residents[7:10]):
        committee.add_member(ctx, MemberInput(resident_id=r.id, role=g.CHAIR if k == 0 else g.MEMBER))
    names = "、".join(r.name for r in residents[7:10])
    q = g.quarter_of(today)
    done = []
    for _ in range(3):
        q = _quarter_before(q)
        done.append(q)
    for k, quarter in enumerate(reversed(done)):
        end = g.parse_period(quarter)[1]
        day = end + dt.timedelta(days=12)
        if day > today:
            continue
        issues = k == 1
        committee.record_inspection(_at_clock(ctx, _at(day, 16, 0)), InspectionInput(
            quarter, day, names, g.LEDGERS, "服务台账、办件清单、特殊群体联系记录和调解台账记录完整，按时办结情况与台账一致。"
            + ("发现2件办件未及时录入办结时间，已责令整改。" if issues else ""), "issues" if issues else "good",
            "经费支出凭证齐全，用途与预算相符。"))


def _surveys(ctx: AppContext, s, rng: random.Random, today: dt.date, residents: list, grids: list) -> None:  # noqa: ANN001
    current = g.quarter_of(today)
    last = _quarter_before(current)
    for period, share in ((last, 0.115), (current, 0.062)):
        first, end = g.parse_period(period)
        closes = min(end, today) if period == current else end
        q = surveys.define(ctx, f"{period[:4]}年第{'一二三四'[int(period[-1]) - 1]}季度居民满意度测评", period,
                           QUESTIONS, first, end)
        answered = rng.sample(residents, int(len(residents) * share))
        qdicts = [{"key": x.key, "kind": x.kind} for x in q.questions]
        rows = []
        for k, r in enumerate(answered):
            online = k % 4 == 0
            a = {"q1": rng.choices((5, 4, 3, 2), (50, 35, 12, 3))[0], "q2": rng.choices((5, 4, 3, 2), (45, 38, 13, 4))[0],
                 "q3": rng.choices((5, 4, 3, 2, 1), (35, 40, 18, 5, 2))[0], "q4": rng.choice(QUESTIONS[3].options),
                 "q5": ""}
            day = first + dt.timedelta(days=rng.randint(0, max((closes - first).days, 0)))
            rows.append(SurveyResponse(
                community_id=ctx.community_id, survey_id=q.id, channel=g.ONLINE if online else g.OFFLINE,
                respondent_key=f"platform:sqt{k:05d}" if online else f"resident:{r.id}",
                resident_id=None if online else r.id, household_id=None if online else r.household_id,
                grid_id=r.grid_id, answers=a, score=g.response_score(qdicts, a),
                answered_on=day, entered_by="demo", paper_no="" if online else f"{k + 1:04d}"))
        s.add_all(rows)
        s.flush()
        e = evaluation.create(ctx, period)
        evaluation.set_items(ctx, e.id, [ItemInput(name, pts, pts - rng.choice((0, 1, 2, 3)))
                                         for name, pts in SHEET])
        if period == last:
            evaluation.finalise(ctx, e.id)
            surveys.set_state(ctx, q.id, "closed")


def _incentives(ctx: AppContext, rng: random.Random, today: dt.date, residents: list, users: list) -> None:  # noqa: ANN001
    for year in (today.year - 1, today.year):
        for k, u in enumerate(users):
            rating = g.EXCELLENT if k in (0, 3) or (year == today.year and k == 5) else (
                g.COMPETENT if k != 6 or year == today.year else g.BASIC)
            r = incentives.rate_worker(ctx, year, u.login, rating)
            incentives.set_salary_base(ctx, r.id, 5200.0 + 300 * (k % 4))
    for year in (today.year - 1, today.year):
        for k, r in enumerate(rng.sample(residents, min(30, len(residents)))):
            incentives.add_to_ranking(ctx, year, round(rng.uniform(70, 99), 1), rng.randint(5, 120), r.id,
                                      deeds=rng.choice(DEEDS))
    incentives.award_stars(_at_clock(ctx, _at(dt.date(today.year - 1, 12, 28), 10, 0)), today.year - 1)
