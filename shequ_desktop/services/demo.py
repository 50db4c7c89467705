"""A realistic synthetic community for demos, training and benchmarks (deterministic by seed).

幸福里社区 (洪山区珞南街道): 4 grids, ~8,000 households, ~20,000 residents with valid ID
numbers, a station chief, 7 social workers in A/B posts and an admin. No real person is in it.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import func, select

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.idnumber import make_id_number
from shequ_desktop.domain.ids import new_id
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.models import (Building, Community, Grid, Household, PostAssignment, Resident,
                                              User)
from shequ_desktop.services import auth
from shequ_desktop.services.context import AppContext, put_setting

DEMO_PASSWORD = "demo1234"
DEMO_USERS = (  # login, name, role, post
    ("admin", "系统管理员", Role.ADMIN, None),
    ("chief", "王建国", Role.CHIEF, None),
    ("clerk1", "李晓梅", Role.CLERK, "综合窗口一"),
    ("clerk2", "陈静", Role.CLERK, "综合窗口二"),
    ("worker1", "张伟", Role.WORKER, "第一网格"),
    ("worker2", "刘洋", Role.WORKER, "第二网格"),
    ("worker3", "赵丽", Role.WORKER, "第三网格"),
    ("worker4", "孙志强", Role.WORKER, "第四网格"),
    ("worker5", "周芳", Role.WORKER, "康复协调"),
)
# Work phones (系统 → 用户管理 shows them masked): the person to call for an elder or a building is a staff member
# with a number, as at a real station; landlines for the counter and the chief, mobiles for those on the road.
DEMO_PHONES = {"chief": "027-87650010", "clerk1": "027-87650011", "clerk2": "027-87650012",
               "worker1": "13871200101", "worker2": "13871200102", "worker3": "13871200103",
               "worker4": "13871200104", "worker5": "13871200105"}
SURNAMES = ("王" * 71 + "李" * 70 + "张" * 68 + "刘" * 52 + "陈" * 45 + "杨" * 31 + "黄" * 22 + "赵" * 22 +
            "吴" * 20 + "周" * 19 + "徐" * 16 + "孙" * 15 + "马" * 15 + "朱" * 14 + "胡" * 13 + "郭" * 12 +
            "何" * 12 + "高" * 11 + "林" * 11 + "罗" * 10 + "郑" * 10 + "梁" * 9 + "谢" * 8 + "宋" * 7 +
            "唐" * 7 + "许" * 7 + "韩" * 6 + "冯" * 6 + "邓" * 6 + "曹" * 6 + "彭" * 6 + "曾" * 5 + "肖" * 5 +
            "田" * 5 + "董" * 5 + "袁" * 5 + "潘" * 4 + "于" * 4 + "蒋" * 4 + "蔡" * 4 + "余" * 4 + "杜" * 4 +
            "叶" * 4 + "程" * 4 + "苏" * 3 + "魏" * 3 + "吕" * 3 + "丁" * 3 + "任" * 3 + "沈" * 3 + "姚" * 2 +
            "卢" * 2 + "姜" * 2 + "崔" * 2 + "钟" * 2 + "谭" * 2 + "陆" * 2 + "汪" * 2 + "范" * 2 + "金" * 2)
COMPOUND = ("欧阳", "司马", "诸葛", "上官")
GIVEN_M = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国志文博峰"
GIVEN_F = "芳娜敏静丽艳娟霞秀英华慧巧美娅婷雪琳晶颖倩洁燕玲桂红梅兰凤琴云莉萍佳悦欣怡"
STREETS = ("珞喻路", "南湖大道", "广埠屯路", "珞狮路")
ESTATES = (("幸福里小区", 30), ("书香苑", 26), ("南湖花园", 28), ("珞南新村", 26))
REGIONS = ("420111", "420106", "420102", "420115", "421002", "420602", "430102", "410105", "360102", "500101")
PREFIXES = ("138", "139", "150", "151", "186", "187", "135", "177", "199", "133")


@dataclass(frozen=True)
class DemoSummary:
    grids: int
    buildings: int
    households: int
    residents: int
    users: int


def _name(rng: random.Random, sex: str) -> str:
    surname = rng.choice(COMPOUND) if rng.random() < 0.004 else rng.choice(SURNAMES)
    pool = GIVEN_M if sex == "M" else GIVEN_F
    given = rng.choice(pool) if rng.random() < 0.25 else rng.choice(pool) + rng.choice(pool)
    return surname + given


def _birth(rng: random.Random, today: dt.date, lo: int, hi: int) -> dt.date:
    return today - dt.timedelta(days=rng.randint(lo * 365 + 30, hi * 365 + 300))


def generate(ctx: AppContext, households: int = 8000, seed: int = 20261125,
             counter_cases: bool = True) -> DemoSummary:
    """Fill an empty station with the demo community, in one transaction."""
    rng = random.Random(seed)
    today = local_today(ctx.clock)
    with ctx.transaction() as s:
        if s.execute(select(func.count()).select_from(Resident)).scalar_one():
            raise UserError("The database already holds residents; the demo needs an empty database.")
        c = s.get(Community, ctx.community_id)
        if c is not None:
            c.name, c.subdistrict, c.code = "幸福里社区", "珞南街道", "420111001001"
            c.address, c.phone, c.hotline = "武汉市洪山区珞喻路88号", "027-87650001", "027-87650099"
            put_setting(s, "station.configured", "1")      # the demo station is set up: no first-start dialog
        grids = [Grid(community_id=ctx.community_id, code=f"G{i + 1}", name=f"第{'一二三四'[i]}网格") for i in range(4)]
        s.add_all(grids)
        s.flush()
        buildings: list[Building] = []
        for gi, (estate, count) in enumerate(ESTATES):
            for b in range(1, count + 1):
                addr = f"湖北省武汉市洪山区珞南街道{STREETS[gi]}{100 + gi * 20 + b // 10}号{estate}{b}栋"
                buildings.append(Building(community_id=ctx.community_id, grid_id=grids[gi].id,
                                          name=f"{estate}{b}栋", address=addr, head_name=_name(rng, "M")))
        s.add_all(buildings)
        s.flush()
        seq_by_key: dict[tuple[str, dt.date], int] = {}
        residents = 0
        hh_rows: list[Household] = []
        res_rows: list[Resident] = []
        for h in range(households):
            bld = buildings[h % len(buildings)]
            unit, room = 1 + (h // len(buildings)) % 4, f"{1 + (h // (len(buildings) * 4)) % 18}0{1 + h % 4}"
            address = f"{bld.address}{unit}单元{room}室"
            hh = Household(id=new_id(), community_id=ctx.community_id, building_id=bld.id, unit_no=str(unit), room_no=room,
                           address=address, housing=rng.choice(("自有", "自有", "自有", "租住", "借住")))
            hh_rows.append(hh)
            size = rng.choices((1, 2, 3, 4, 5), weights=(14, 30, 30, 18, 8))[0]
            head_age = rng.choices(((25, 40), (40, 60), (60, 75), (75, 95)), weights=(30, 35, 22, 13))[0]
            members = [("户主", rng.choice("MF"), head_age)]
            if size >= 2:
                members.append(("配偶", "F" if members[0][1] == "M" else "M", head_age))
            for _ in range(size - len(members)):
                lo = max(0, head_age[0] - 35)
                members.append(("子女", rng.choice("MF"), (lo, max(lo + 1, head_age[0] - 20))))
            surname_name = None
            for relation, sex, (lo, hi) in members:
                birth = _birth(rng, today, lo, hi)
                region = rng.choice(REGIONS)
                key = (region, birth)
                seq_by_key[key] = seq_by_key.get(key, rng.randint(1, 40)) + 1
                seq = seq_by_key[key] * 2 + (1 if sex == "M" else 0)
                name = _name(rng, sex)
                if relation == "子女" and surname_name:
                    name = surname_name + name[1:]
                if relation == "户主":
                    surname_name = name[0]
                phone = "" if lo < 14 else rng.choice(PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
                res_rows.append(Resident(
                    community_id=ctx.community_id, household_id=hh.id, grid_id=bld.grid_id, name=name,
                    id_number=make_id_number(region, birth, seq % 1000), birth_date=birth, sex=sex, phone=phone,
                    address=address, relation=relation, id_kind="citizen",
                    moved_in=today - dt.timedelta(days=rng.randint(30, 7000))))
                residents += 1
        s.add_all(hh_rows)
        s.flush()
        s.add_all(res_rows)
        s.flush()
    users = _demo_users(ctx, {g.name: g.id for g in grids})
    from shequ_desktop.services import demo_special_groups
    demo_special_groups.generate(ctx, households)
    if counter_cases:   # the window's cases in every state, with their papers in the register
        from shequ_desktop.services import demo_counter, demo_counter_year
        demo_counter_year.generate(ctx, households)       # a year of finished cases before them (R32)
        demo_counter.generate(ctx)
    from shequ_desktop.services import demo_mediation
    demo_mediation.generate(ctx, households)
    from shequ_desktop.services import demo_emergency
    demo_emergency.generate(ctx, households)
    from shequ_desktop.services import demo_work_orders
    demo_work_orders.generate(ctx, households)
    from shequ_desktop.services import demo_oversight
    demo_oversight.generate(ctx, households)
    from shequ_desktop.services import demo_sync
    demo_sync.generate(ctx)          # conflicts from the hub waiting for the chief (同步冲突)
    return DemoSummary(len(grids), len(buildings), households, residents, users)


def _demo_users(ctx: AppContext, grid_ids: dict[str, str]) -> int:
    created = {}
    for login, name, role, post in DEMO_USERS:
        created[login] = auth.create_user(ctx, login, name, role, DEMO_PASSWORD, grid_id=grid_ids.get(post or ""),
                                          phone=DEMO_PHONES.get(login, ""), check_permission=False).id
    staff = [u for u in DEMO_USERS if u[3]]
    with ctx.transaction() as s:
        for i, (login, _n, _r, post) in enumerate(staff):
            backup = staff[(i + 1) % len(staff)][0]
            s.add(PostAssignment(community_id=ctx.community_id, post=post or "", a_login=login,
                                 b_login=backup, grid_id=grid_ids.get(post or "")))
    return len(created)


def users_present(ctx: AppContext) -> bool:
    with ctx.transaction() as s:
        return bool(s.execute(select(func.count()).select_from(User)).scalar_one())
