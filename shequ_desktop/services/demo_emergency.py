"""Demo emergency management for 幸福里社区: the 7 plans, a team of 24 with its phone tree, two years of drills
(every half year, run through the incident timeline as exercises) and training (every quarter, one missed so the
calendar shows an overdue item), and a few past incidents with their timelines — one on site late, one reported
late. Everything goes through the emergency services, so the demo obeys the same rules and clocks.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

from sqlalchemy import select

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.clock import SHANGHAI, FixedClock, local_today
from shequ_desktop.domain.roles import Role
from shequ_desktop.domain.schedules import Period, period_bounds
from shequ_desktop.persistence.models import Building, User
from shequ_desktop.services.context import AppContext, CurrentUser
from shequ_desktop.services.emergency import drills, files, incidents, plans, team
from shequ_desktop.services.emergency.drills import ExerciseInput
from shequ_desktop.services.emergency.incidents import IncidentInput
from shequ_desktop.services.emergency.team import MemberInput

# name, kind, role, skills, availability — 24 members: social workers, property staff, volunteers (R60)
TEAM = (
    ("王建国", "social_worker", "commander", ("first_aid",), "anytime"),
    ("张伟", "social_worker", "deputy", ("first_aid", "fire_equipment"), "anytime"),
    ("刘洋", "social_worker", "liaison", ("radio",), "anytime"),
    ("赵丽", "social_worker", "evacuation", ("first_aid",), "workdays"),
    ("孙志强", "social_worker", "evacuation", ("fire_equipment", "driving"), "anytime"),
    ("周芳", "social_worker", "medical", ("first_aid", "psych"), "workdays"),
    ("陈国平", "property", "rescue", ("fire_equipment", "electrical"), "anytime"),
    ("黄志明", "property", "rescue", ("fire_equipment", "rescue"), "anytime"),
    ("吴海涛", "property", "logistics", ("driving",), "workdays"),
    ("徐建军", "property", "logistics", ("electrical",), "evenings"),
    ("马晓东", "property", "rescue", ("rescue", "fire_equipment"), "anytime"),
    ("朱桂英", "volunteer", "member", ("first_aid",), "anytime"),
    ("胡德华", "volunteer", "evacuation", (), "evenings"),
    ("郭秀兰", "volunteer", "member", ("psych",), "weekends"),
    ("何志刚", "volunteer", "rescue", ("rescue",), "evenings"),
    ("高明", "volunteer", "member", ("driving",), "weekends"),
    ("林小燕", "volunteer", "medical", ("first_aid",), "anytime"),
    ("罗振华", "volunteer", "member", (), "evenings"),
    ("郑丽娟", "volunteer", "evacuation", (), "anytime"),
    ("梁永强", "volunteer", "member", ("fire_equipment",), "weekends"),
    ("谢春梅", "volunteer", "logistics", (), "workdays"),
    ("宋志军", "volunteer", "member", ("radio",), "evenings"),
    ("唐晓红", "volunteer", "member", ("first_aid",), "anytime"),
    ("许国庆", "volunteer", "member", (), "weekends"),
)
# (days ago, hazard, grade, title, building index, minutes to on site, minutes to the report, report entered later)
INCIDENTS = (
    (610, "rainstorm", "general", "暴雨致书香苑地下车库进水", 32, 4, 12, False),
    (420, "gas_leak", "general", "幸福里小区5栋3单元燃气泄漏", 4, 3, 18, True),
    (250, "fire", "larger", "南湖花园8栋电动车充电起火", 63, 7, 14, False),
    (95, "typhoon", "general", "台风过境，珞南新村12栋广告牌松动", 96, 5, 11, False),
    (21, "fire", "general", "幸福里小区3栋楼道杂物起火", 2, 4, 13, False),
)
TRAINING_SKIP = 1        # the training of the quarter before this one is missing: shown overdue


def _user(u: User) -> CurrentUser:
    return CurrentUser(u.id, u.login, u.display_name, Role(u.role), u.grid_id)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI).astimezone(dt.timezone.utc)


def generate(ctx: AppContext, households: int = 8000, seed: int = 20261203) -> int:
    """Add the demo plans, team, drills, trainings and incidents; returns the number of incidents and drills."""
    rng = random.Random(seed)
    today = local_today(ctx.clock)
    with ctx.transaction() as s:
        users = {u.login: u for u in s.execute(select(User)).scalars()}
        buildings = list(s.execute(select(Building.id).where(Building.community_id == ctx.community_id)
                                   .order_by(Building.name)).scalars())
    if "chief" not in users or not buildings:
        return 0
    chief = ctx.as_user(_user(users["chief"]))
    workers = [ctx.as_user(_user(u)) for u in users.values() if u.role == Role.WORKER.value and u.grid_id]
    with ctx.transaction():
        plans.ensure_default_plans(ctx)
        members = _team(chief, users, today)
        made = _drills_and_trainings(chief, workers or [chief], rng, members, buildings, today)
        for i, story in enumerate(INCIDENTS):
            _incident(workers[i % len(workers)] if workers else chief, chief, buildings, today, *story)
            made += 1
    return made


def _team(chief: AppContext, users: dict[str, User], today: dt.date) -> list[str]:
    by_name = {u.display_name: u.login for u in users.values()}
    ids: list[str] = []
    for i, (name, kind, role, skills, avail) in enumerate(TEAM):
        # the phone tree: the commander calls the deputy and the liaison; they call the rest in turn
        caller = None if i == 0 else ids[0] if i <= 2 else ids[1 + (i % 2)] if i <= 10 else ids[3 + (i % 8)]
        phone = f"1{(3, 5, 8, 9)[i % 4]}{(i * 7919 + 12345678) % 10**9:09d}"
        v = team.add_member(chief, MemberInput(name, kind, role, phone, skills, avail, True, caller,
                                               by_name.get(name, ""), today - dt.timedelta(days=800 - 10 * i)))
        ids.append(v.id)
    return ids


def _drills_and_trainings(chief: AppContext, workers: list[AppContext], rng: random.Random, members: list[str],
                          buildings: list[str], today: dt.date) -> int:
    made = 0
    start = period_bounds(today - dt.timedelta(days=730), Period.HALF_YEAR)[0]
    day = start
    n = 0
    while day <= today:     # a drill in each half year: the second month of it
        held = dt.date(day.year, day.month + 2, 18)
        if held < today:
            hazard = e.HAZARDS[n % len(e.HAZARDS)]
            _drill(chief, workers[n % len(workers)], rng, members, buildings[(n * 17) % len(buildings)], held, hazard,
                   today)
            made += 1
            n += 1
        day = dt.date(day.year + (day.month == 7), 1 if day.month == 7 else 7, 1)
    quarter = period_bounds(today - dt.timedelta(days=730), Period.QUARTER)[0]
    current = period_bounds(today, Period.QUARTER)[0]
    previous = period_bounds(current - dt.timedelta(days=1), Period.QUARTER)[0]
    q = 0
    while quarter <= today:
        held = quarter + dt.timedelta(days=40)
        if quarter != previous and held < today:
            present = [(m, rng.random() < 0.8 and not (held.year == today.year and m in members[-2:]))
                       for m in members]
            drills.record_exercise(replace(chief, clock=FixedClock(_at(held, 16))), ExerciseInput(
                e.TRAINING, held, e.TRAINING_TOPICS[q % len(e.TRAINING_TOPICS)], 90, tuple(present),
                place="社区党群服务中心三楼会议室", findings="培训后实操考核，全部合格。",
                files=_sign_in(chief, members, present, held, e.TRAINING_TOPICS[q % len(e.TRAINING_TOPICS)],
                               last=quarter == period_bounds(previous - dt.timedelta(days=1), Period.QUARTER)[0]
                               or quarter == current)))
            made += 1
        q += 1
        quarter = period_bounds(quarter + dt.timedelta(days=95), Period.QUARTER)[0]
    return made


def _sign_in(chief: AppContext, members: list[str], present: list[tuple[str, bool]], held: dt.date, topic: str,
             last: bool) -> tuple[files.NewFile, ...]:
    """The signed sheet of the latest training, stored as a PDF (a scan in real life): one file, not one per
    record, to keep the demo quick."""
    if not last:
        return ()
    from shequ_desktop.printing.emergency import sign_in_sheet
    from shequ_desktop.printing.pdf_backend import render_pdf
    names = {v.id: v.name for v in team.list_members(chief)}
    doc = sign_in_sheet("幸福里社区", topic, held, "社区党群服务中心三楼会议室",
                        tuple(names[m] for m, here in present if here and m in names))
    return (files.NewFile(f"签到表-{held.isoformat()}.pdf", render_pdf(doc), "sign_in", personal=True),)


def _drill(chief: AppContext, worker: AppContext, rng: random.Random, members: list[str], building: str,
           held: dt.date, hazard: str, today: dt.date) -> None:
    clock = FixedClock(_at(held, 9, 30))
    w, c = replace(worker, clock=clock), replace(chief, clock=clock)
    v = incidents.open_incident(w, IncidentInput(hazard, "general", f"{e.HAZARD_ZH[hazard]}综合演练", (building,),
                                                 "alarm", "演练导演组", is_exercise=True))
    incidents.add_step(w, v.id, "启动应急预案（演练）")
    clock.advance(minutes=rng.randint(3, 5))
    incidents.mark_on_site(w, v.id)
    for m in members[:3]:
        incidents.set_member_status(c, v.id, m, "called")
    clock.advance(minutes=rng.randint(6, 9))
    incidents.mark_reported(w, v.id, "gov_wechat")
    for t in v.tasks[:3]:
        clock.advance(minutes=3)
        incidents.complete_task(w, t.id)
    for check in incidents.checks(w, v.id)[:4]:
        clock.advance(minutes=2)
        incidents.set_check(w, check.id, rng.choice(("safe", "reached", "evacuated")))
    clock.advance(minutes=30)
    incidents.close_incident(c, v.id, "演练结束，疏散用时12分钟，全部人员清点完毕。")
    present = [(m, rng.random() < 0.85 and not (held.year == today.year and m in members[-2:])) for m in members]
    drills.record_exercise(c, ExerciseInput(e.DRILL, held, f"{e.HAZARD_ZH[hazard]}综合演练", 120, tuple(present),
                                            hazard, "小区中心广场", "个别楼栋疏散通道有杂物，已通知物业清理。",
                                            (f"演练照片-{held.isoformat()}.jpg", f"签到表-{held.isoformat()}.jpg"),
                                            v.id))


def _incident(worker: AppContext, chief: AppContext, buildings: list[str], today: dt.date, ago: int, hazard: str,
              grade: str, title: str, b: int, onsite: int, report: int, later: bool) -> None:
    day = today - dt.timedelta(days=ago)
    clock = FixedClock(_at(day, 19, 12))
    w, c = replace(worker, clock=clock), replace(chief, clock=clock)
    v = incidents.open_incident(w, IncidentInput(hazard, grade, title, (buildings[b % len(buildings)],), "phone",
                                                 "居民来电"))
    clock.advance(minutes=onsite)
    incidents.mark_on_site(w, v.id)
    incidents.add_step(w, v.id, "启动应急预案，通知物业和应急队员")
    if later:
        clock.advance(minutes=report + 20)
        incidents.mark_reported(w, v.id, "phone", at=_at(day, 19, 12) + dt.timedelta(minutes=report),
                                text="电话报告街道应急办值班室（事后补录）")
    else:
        clock.advance(minutes=report - onsite)
        incidents.mark_reported(w, v.id, "phone", text="电话报告街道应急办值班室")
    for t in v.tasks:
        clock.advance(minutes=4)
        incidents.complete_task(w, t.id)
    for check in incidents.checks(w, v.id):
        clock.advance(minutes=3)
        incidents.set_check(w, check.id, "safe")
    clock.advance(hours=2)
    incidents.close_incident(c, v.id, "险情已排除，无人员伤亡，受影响居民已妥善安置。")
