"""Demo work orders (接诉即办) for 幸福里社区: a year of residents' requests from the 社区通 app.

About 2,200 requests for the full demo (households × 0.28), ~8 % of them urgent, received at any hour
(most in the daytime, some at night), dispatched to the grid's A social worker (now and then to B).
Ordinary requests get their first feedback within a few hours, a few late (over 24 h); urgent ones
have someone on site within 10–25 minutes, a few late (over 30 min) — so the response figures of the
KPI dashboard have records and misses in every month. The last days hold open requests.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from shequ_desktop.domain.clock import SHANGHAI, to_local
from shequ_desktop.domain.ids import new_id
from shequ_desktop.persistence.models import Building, PostAssignment, User
from shequ_desktop.persistence.sync_models import WorkOrder, WorkOrderEvent
from shequ_desktop.services.context import AppContext

GENERAL = (("环境卫生", "楼道内堆放杂物，影响通行，请尽快清理。"), ("环境卫生", "垃圾分类点满溢，气味很大。"),
           ("市政设施", "小区路灯坏了好几天，晚上出行不便。"), ("市政设施", "人行道地砖松动，老人容易绊倒。"),
           ("噪音扰民", "楼上夜间装修噪音扰民。"), ("噪音扰民", "广场舞音响声音太大，影响休息。"),
           ("物业管理", "电梯经常停运，物业处理不及时。"), ("物业管理", "单元门禁损坏，陌生人随意进出。"),
           ("房屋维修", "卫生间漏水到楼下，请协调维修。"), ("房屋维修", "外墙瓷砖脱落，存在安全隐患。"),
           ("停车管理", "消防通道长期停放车辆。"), ("宠物管理", "有住户遛狗不牵绳，不清理粪便。"),
           ("政策咨询", "咨询高龄津贴申请需要哪些材料。"), ("政策咨询", "咨询居住证明办理流程。"),
           ("绿化养护", "小区树木枝叶遮挡窗户，请修剪。"), ("供水供电", "楼栋水压太低，高层用水困难。"))
URGENT = (("燃气安全", "楼道内有明显燃气味，请立即处理。"), ("电梯困人", "电梯困人，里面有一位老人。"),
          ("水管爆裂", "楼顶水箱管道爆裂，楼道大量积水。"), ("独居老人", "独居老人多日未出门，敲门无人应答。"),
          ("安全隐患", "电动车在楼道内充电冒烟。"), ("排水堵塞", "暴雨后地下车库进水。"))
RESULTS = ("已联系物业处理完毕，居民表示满意。", "已协调相关部门现场处置，问题已解决。", "已当面答复居民，居民认可。",
           "已督促责任单位整改到位并回访。")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
PREFIXES = ("138", "139", "150", "186", "187", "135", "177", "133")


def _received(rng: random.Random, day: dt.date) -> dt.datetime:
    """Mostly in the daytime; about one request in ten at night (received in the app, worked next morning)."""
    hour = rng.choice((21, 22, 23, 0, 5, 6)) if rng.random() < 0.1 else rng.randint(7, 20)
    local = dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59)), tzinfo=SHANGHAI)
    return local.astimezone(dt.timezone.utc)


def generate(ctx: AppContext, households: int = 8000, seed: int = 20261203) -> int:
    """Add a year of work orders up to now; returns how many."""
    rng = random.Random(seed)
    now = ctx.clock.now()
    today = to_local(now).date()
    total = max(60, households * 28 // 100)
    with ctx.transaction() as s:
        posts = [p for p in s.execute(select(PostAssignment).where(PostAssignment.deleted_at.is_(None),
                                                                   PostAssignment.grid_id.is_not(None))).scalars()]
        if not posts:
            return 0
        logins = set(s.execute(select(User.login)).scalars())
        dispatcher = "chief" if "chief" in logins else ""   # 派单 as the chief does
        addresses = {p.grid_id: [b.address for b in s.execute(select(Building).where(
            Building.grid_id == p.grid_id, Building.deleted_at.is_(None))).scalars()] for p in posts}
        rows: list[object] = []
        for i in range(total):
            back = int(365 * (1 - (i + 0.5) / total))                 # spread evenly over the year, oldest first
            received = _received(rng, today - dt.timedelta(days=back))
            if received > now - dt.timedelta(minutes=5):
                received = now - dt.timedelta(hours=rng.randint(1, 6))
            post = rng.choice(posts)
            urgent = rng.random() < 0.08
            category, text = rng.choice(URGENT if urgent else GENERAL)
            to_b = post.b_login is not None and rng.random() < 0.07
            assignee = post.b_login if to_b else post.a_login
            place = rng.choice(addresses.get(post.grid_id) or [""])
            unit = f"{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}室" if place else ""
            oid = new_id()
            order = WorkOrder(id=oid, community_id=ctx.community_id, source="online", category=category,
                              description=text, address=place + unit, urgency="urgent" if urgent else "general",
                              contact=f"{rng.choice(SURNAMES)}{rng.choice(('先生', '女士'))} "
                                      f"{rng.choice(PREFIXES)}{rng.randint(0, 99_999_999):08d}",
                              received_at=received, grid_id=post.grid_id, assignee_login=assignee,
                              assigned_as="B" if to_b else "A", status="dispatched",
                              request_no=f"WO{to_local(received):%Y%m%d}-{oid[-6:].upper()}")
            rows.append(order)
            login = assignee if assignee in logins else ""
            dispatched = received + dt.timedelta(minutes=rng.randint(1, 4))
            rows.append(WorkOrderEvent(community_id=ctx.community_id, work_order_id=oid, kind="dispatch",
                                       note="派单给B岗（A岗请假）" if to_b else "派单给A岗", by_user=dispatcher,
                                       at=dispatched))
            rows += _worked(rng, order, login, now)
        s.add_all(rows)
        s.flush()
    return total


def _worked(rng: random.Random, order: WorkOrder, login: str, now: dt.datetime) -> list[object]:
    """Feedback / arrival and the result, as far as ``now`` allows; sets the order's times and status."""
    received = order.received_at
    if order.urgency == "urgent":
        late = rng.random() < 0.05
        step = dt.timedelta(minutes=rng.randint(32, 75) if late else rng.randint(8, 26))
        kind, note = "arrive", "已到达现场"
    else:
        late = rng.random() < 0.03
        hours = rng.uniform(24.5, 60) if late else rng.choice((rng.uniform(0.2, 3), rng.uniform(1, 8), rng.uniform(2, 20)))
        step = dt.timedelta(hours=hours)
        kind, note = "feedback", "已电话联系居民，告知处理安排"
    met = received + step
    if met > now:
        return []               # not yet: still running (or, past its deadline, on the chief's warning list)
    events: list[object] = []
    if order.urgency == "urgent":
        order.arrived_at = met
        order.feedback_at = met
    else:
        order.feedback_at = met
    order.status = "in_progress"
    events.append(WorkOrderEvent(community_id=order.community_id, work_order_id=order.id, kind=kind, note=note,
                                 by_user=login, at=met))
    done = met + dt.timedelta(hours=rng.uniform(1, 72))
    if done <= now:
        order.status, order.closed_at, order.result = "done", done, rng.choice(RESULTS)
        events.append(WorkOrderEvent(community_id=order.community_id, work_order_id=order.id, kind="result",
                                     note=order.result, by_user=login, at=done))
    return events
