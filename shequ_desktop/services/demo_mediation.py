"""Demo disputes for 幸福里社区: a year of patrols and mediation at all levels and in all outcomes.

About 120 cases for the full demo (fewer for the small test communities): settled in writing and
orally, failed, refused, some still running, a few overdue, one deliberation council with minutes,
archived files. Everything goes through the mediation services (in one transaction), so the demo
obeys the same rules and clocks as the program.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from sqlalchemy import select

from shequ_desktop.domain import mediation as m
from shequ_desktop.domain.clock import SHANGHAI, FixedClock, local_today
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.models import Resident, User
from shequ_desktop.services import meetings
from shequ_desktop.services.context import AppContext, CurrentUser
from shequ_desktop.services.mediation import agreement, cases, council, patrol
from shequ_desktop.services.mediation.cases import CaseInput, PartyInput, SessionInput

STORIES = {
    "neighbours": ("楼上卫生间漏水致楼下天花板受损，双方就维修费用发生争执。", "楼道堆放杂物影响通行，邻里多次口角。",
                   "夜间噪音扰民，楼下住户多次上门理论。", "空调外机噪音和滴水影响邻居休息。"),
    "property": ("业主以电梯长期故障为由拒交物业费，物业公司催缴未果。", "小区停车位分配引发业主与物业纠纷。",
                 "维修基金使用方案未经业主表决，业主与物业发生争议。"),
    "family": ("子女对老人赡养费用分担意见不一。", "夫妻因家庭琐事长期争吵，影响邻里。", "兄弟姐妹就父母房屋使用发生争议。"),
    "tenancy": ("租户提前退租，房东扣留押金引发争执。", "房东要求涨租，租户认为违反合同约定。"),
    "debt": ("邻居之间借款到期未还引发纠纷。",),
    "labour": ("装修工人与业主就工钱结算发生争执。",),
    "other": ("宠物狗咬伤邻居，双方就赔偿金额协商未果。",),
}
KIND_WEIGHTS = {"neighbours": 40, "property": 18, "family": 14, "tenancy": 12, "debt": 6, "labour": 5, "other": 5}
OUTSIDERS = (("某物业服务有限公司", "027-87651234"), ("装修队负责人刘某", "13907150011"), ("房东陈某", "13871230099"))
ROUTES = ("小区东门—1至10栋—地下车库", "农贸市场—沿街商铺—小区南门", "11至20栋—健身广场—垃圾分类点",
          "社区活动中心—老年食堂—21至30栋")
SEEN = ("楼道堆放杂物两处，已提醒清理", "消防通道有电动车停放", "路灯损坏一盏，已报物业", "未发现明显问题",
        "老年人活动正常", "垃圾分类点满溢，已联系清运")
TERMS = ("{a}于十日内修复受损部位，并经{b}确认。", "{a}一次性补偿{b}人民币{n}元。", "双方今后互谅互让，和睦相处。")


def _user(u: User) -> CurrentUser:
    return CurrentUser(u.id, u.login, u.display_name, Role(u.role), u.grid_id)


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice((0, 10, 20, 30, 40, 50))),
                               tzinfo=SHANGHAI).astimezone(dt.timezone.utc)


def generate(ctx: AppContext, households: int = 8000, seed: int = 20261202) -> int:
    """Add the demo disputes; returns the number of cases."""
    rng = random.Random(seed)
    today = local_today(ctx.clock)
    total = max(14, min(120, households // 66))
    with ctx.transaction() as s:
        users = {u.login: u for u in s.execute(select(User)).scalars()}
        workers = [_user(u) for u in users.values() if u.role == Role.WORKER.value and u.grid_id]
        chief = _user(users["chief"]) if "chief" in users else None
        if not workers or chief is None:
            return 0
        residents = {w.grid_id: list(s.execute(select(Resident.id).where(Resident.grid_id == w.grid_id)
                                               .limit(400)).scalars()) for w in workers}
        _patrols(ctx, rng, workers, today, 60 if households >= 2000 else 20)
        made = 0
        for i in range(total):
            worker = workers[i % len(workers)]
            if not residents.get(worker.grid_id):
                continue
            _one_case(ctx, rng, worker, chief, residents[worker.grid_id], today, i, total)
            made += 1
        return made


def _patrols(ctx: AppContext, rng: random.Random, workers: list[CurrentUser], today: dt.date, days: int) -> None:
    for back in range(days, 0, -1):
        day = today - dt.timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for w in workers:
            if rng.random() < 0.08:          # a missed day now and then: flagged for the grid
                continue
            wctx = replace(ctx, user=w, clock=FixedClock(_at(day, rng) + dt.timedelta(hours=1)))
            leads = [rng.choice(STORIES["neighbours"])] if rng.random() < 0.15 else []
            patrol.add_entry(wctx, day, rng.choice(ROUTES), rng.choice(SEEN), leads)


def _parties(rng: random.Random, pool: list[str], n: int) -> tuple[PartyInput, ...]:
    chosen = rng.sample(pool, min(n, len(pool)))
    parties = [PartyInput(resident_id=r) for r in chosen]
    if n > len(chosen) or rng.random() < 0.15:
        name, phone = rng.choice(OUTSIDERS)
        parties.append(PartyInput(name=name, phone=phone))
    if rng.random() < 0.1:
        parties.append(PartyInput(name="李明", phone="13554321234", role=m.AGENT, agent_for=0))
    return tuple(parties)


def _plan(i: int, total: int, rng: random.Random) -> tuple[int, str]:
    """(days ago, planned outcome) — the last few cases are recent and still running or overdue."""
    if i >= total - 6:
        return [0, 0, 1, 2, 3, 8][i - (total - 6)], "open"
    ago = rng.randint(10, 360)
    outcome = rng.choices(("written", "oral", "failed", "refused"), weights=(38, 45, 10, 7))[0]
    return ago, outcome


def _one_case(ctx: AppContext, rng: random.Random, worker: CurrentUser, chief: CurrentUser, pool: list[str],
              today: dt.date, i: int, total: int) -> None:
    ago, outcome = _plan(i, total, rng)
    day = today - dt.timedelta(days=ago)
    while day.weekday() >= 5 and ago:
        day -= dt.timedelta(days=1)
    received = _at(day, rng)
    if ago == 0:
        received = min(received, ctx.clock.now() - dt.timedelta(hours=2 + i % 3))
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    multi = kind == "property" or rng.random() < 0.15
    level = m.GRID if rng.random() < 0.7 else m.COMMUNITY
    if i == total - 1:           # overdue at community level: a multi-party dispute without its council yet
        kind, multi, level, received = "property", True, m.COMMUNITY, _at(today - dt.timedelta(days=8), rng)
    clock = FixedClock(received)
    wctx = replace(ctx, user=worker, clock=clock)
    case = cases.register_case(wctx, CaseInput(
        kind, rng.choice(m.SOURCES), rng.choice(STORIES[kind]), level, _parties(rng, pool, 3 if multi else 2),
        (worker.id,) if rng.random() < 0.7 else (worker.id, chief.id), multi))
    if outcome == "open":
        if i == total - 2:       # a grid case received yesterday: its 24 hours ran out
            return
        if i == total - 3 and multi is False:
            clock.advance(hours=3)
            cases.escalate(wctx, case.id, m.SUBDISTRICT, "涉及物业维修基金，属复杂纠纷，报街道联合司法所介入")
        return
    clock.advance(hours=rng.randint(1, 20))
    cases.record_session(wctx, case.id, SessionInput(clock.now(), rng.choice(("社区调解室", "当事人家中", "网格工作站")),
                                                     "双方当事人、调解员" + worker.display_name,
                                                     "甲方陈述了事情经过及诉求；乙方说明了自己的理由。",
                                                     "调解员释法说理，建议双方各让一步。"))
    if level == m.GRID and (multi or rng.random() < 0.3):
        clock.advance(hours=rng.randint(2, 20))
        cases.escalate(wctx, case.id, m.COMMUNITY, "当场未能调解，转社区人民调解委员会")
        level = m.COMMUNITY
    if multi and level == m.COMMUNITY:
        _council(wctx, clock, case.id, i, worker)
    if kind == "property" and rng.random() < 0.4:
        clock.advance(days=1)
        cases.escalate(wctx, case.id, m.SUBDISTRICT, "复杂物业纠纷，报街道", "珞南街道司法所", "湖北楚天律师事务所")
    clock.advance(hours=rng.randint(1, 48))
    _conclude(wctx, clock, rng, case, outcome, today)


def _council(wctx: AppContext, clock: FixedClock, case_id: str, i: int, worker: CurrentUser) -> None:
    clock.advance(days=1)
    planned = council.convene(wctx, case_id, clock.now(), "社区居民议事厅", [
        meetings.Invitee("party", "当事人甲"), meetings.Invitee("party", "当事人乙"),
        meetings.Invitee("building_head", "楼栋长赵志刚"), meetings.Invitee("party_member_rep", "党员代表周国庆"),
        meetings.Invitee("official", worker.display_name)])
    clock.advance(hours=2)
    council.record_council(wctx, planned.id, clock.now() - dt.timedelta(hours=1),
                           {x.id: (x.category != "party_member_rep" or i % 2 == 0) for x in planned.invitees},
                           "一、各方陈述诉求；二、楼栋长介绍历史情况；三、党员代表提出折中方案；四、各方讨论。",
                           "议定：费用按户分摊，物业公司一周内完成维修。")


def _conclude(wctx: AppContext, clock: FixedClock, rng: random.Random, case: cases.CaseView, outcome: str,
              today: dt.date) -> None:
    if outcome == "refused":
        cases.refuse(wctx, case.id, "乙方", "乙方明确表示不接受调解（人民调解法第十七条）")
    elif outcome == "failed":
        cases.fail(wctx, case.id, "双方对赔偿金额分歧过大，经多次调解未能达成一致")
    elif outcome == "oral" or len([p for p in case.parties if p.role == m.PARTY]) < 2:
        cases.settle_orally(wctx, case.id, "双方当场达成口头协议：" + rng.choice(TERMS).format(a="甲方", b="乙方", n=500))
    else:
        terms = tuple(t.format(a="甲方", b="乙方", n=rng.choice((300, 500, 800, 1200))) for t in TERMS)
        a = agreement.make_agreement(wctx, case.id, agreement.AgreementInput(
            case.facts, terms, "于协议生效后十日内履行完毕，补偿款以转账方式支付。", "甲方负主要责任。"))
        clock.advance(hours=1)
        agreement.set_marks(wctx, case.id, {p: {"signed": True, "fingerprint": rng.random() < 0.3} for p in a.party_ids},
                            True, True)
        visit = clock.now().astimezone(SHANGHAI).date() + dt.timedelta(days=10)
        if visit < today:
            clock.set(dt.datetime.combine(visit, dt.time(10), tzinfo=SHANGHAI))
            agreement.record_followup(wctx, case.id, visit, rng.choices(("performed", "partly"), (9, 1))[0],
                                      "电话回访，双方确认已按协议履行。")
    closed = clock.now().astimezone(SHANGHAI).date()
    if (today - closed).days > 45:
        clock.advance(days=rng.randint(3, 20))
        if clock.now().astimezone(SHANGHAI).date() < today:
            cases.archive(wctx, case.id)
