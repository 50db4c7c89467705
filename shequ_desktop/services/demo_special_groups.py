"""Demo special-group files: ≈3,500 elderly (≈15 % of residents), 300 disabled and 40 children in difficulty for
8,000 households (scaled for smaller demos), spread over the 7 social workers, with 1+1+N rosters and five weeks
of calls and visits in which some are late. Deterministic by seed."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from shequ_desktop.domain import special_groups as sg
from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.idnumber import age_on
from shequ_desktop.domain.ids import new_id
from shequ_desktop.domain.schedules import Period, period_bounds
from shequ_desktop.persistence.models import Grid, Resident
from shequ_desktop.persistence.special_groups_models import (Assessment, ContactLog, FileEvent, FileReview, FollowUp,
                                                             RosterMember, ServicePackage, SpecialFile, Survey)
from shequ_desktop.services.context import AppContext

# The 7 social workers (4 grid workers, the rehabilitation coordinator, the two window clerks who also care).
WORKERS = (("worker1", "张伟"), ("worker2", "刘洋"), ("worker3", "赵丽"), ("worker4", "孙志强"), ("worker5", "周芳"),
           ("clerk1", "李晓梅"), ("clerk2", "陈静"))
COORDINATOR = ("worker5", "周芳")
VOL_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
VOL_GIVEN = "志愿红梅建华明丽芳伟强静敏军霞秀英"
CARE_NOTES = ("耳背，说话请大声", "早上8点前不接电话", "喜欢聊家常，通话较长", "腿脚不便，敲门后请稍等", "子女在外地，每周日来电",
              "独自在家时门不上锁，已提醒", "午睡12:30–14:30", "需用方言沟通")
VISIT_NOTES = ("精神状态良好，居家环境整洁", "血压偏高，已提醒按时服药", "冰箱食物不足，已联系送餐", "家中灯泡损坏，已报修",
               "情绪低落，多聊了一会儿", "子女刚来看望过", "行动不便，建议适配助行器", "身体状况稳定")
CALL_NOTES = ("电话问候，一切正常", "咳嗽几天，建议就医", "提醒天气降温注意保暖", "询问送餐是否按时", "无特殊情况")
HEALTH = ("高血压", "糖尿病", "脑卒中后遗症", "阿尔茨海默病早期", "冠心病", "骨关节炎")
PACKAGE = (("助餐服务", "每日1次", "社区长者食堂"), ("上门助洁", "每月2次", "家政服务社"), ("健康监测", "每周1次", "社区卫生服务站"),
           ("居家康复训练", "每周1次", "区康复中心"), ("辅具适配", "按需", "区残联"), ("课业辅导", "每月2次", "志愿者"),
           ("心理疏导", "每月1次", "心理咨询师"))
TEACHERS = ("珞南小学 陈老师", "珞南小学 王老师", "南湖中学 刘老师", "书香苑小学 黄老师")
PSYCHOLOGISTS = ("心理咨询师 周敏", "心理咨询师 林佳")


def _vol(rng: random.Random) -> tuple[str, str]:
    name = rng.choice(VOL_SURNAMES) + rng.choice(VOL_GIVEN) + rng.choice(VOL_GIVEN)
    return name, rng.choice(("138", "139", "186", "150")) + f"{rng.randint(0, 99_999_999):08d}"


def generate(ctx: AppContext, households: int = 8000, seed: int = 20261202) -> int:
    """Add the special-group files to a demo community; returns the number of files."""
    rng = random.Random(seed)
    today = local_today(ctx.clock)
    scale = households / 8000
    week_first = period_bounds(today, Period.WEEK)[0]
    start = week_first - dt.timedelta(weeks=5)           # schedules tracked for five weeks before this one
    cid = ctx.community_id
    with ctx.transaction() as s:
        people = s.execute(select(Resident.id, Resident.birth_date, Resident.grid_id, Resident.phone,
                                  Resident.id_number).where(Resident.community_id == cid,
                                                            Resident.deleted_at.is_(None))
                           .order_by(Resident.id_number)).all()
        # by the grid's code, not its (random) id: the same demo gives the same worker the same people
        codes = dict(s.execute(select(Grid.id, Grid.code)).all())
        grid_ids = sorted({p[2] for p in people if p[2]}, key=lambda g: (codes.get(g, ""), g))
        elders = [p for p in people if age_on(p[1], today) >= 60]
        adults = [p for p in people if 18 <= age_on(p[1], today) < 80]
        kids = [p for p in people if 6 <= age_on(p[1], today) < 16]
        rng.shuffle(elders)
        rng.shuffle(adults)
        rng.shuffle(kids)
        n_elderly = round(3500 * scale)
        chosen = [("elderly", p) for p in elders[:n_elderly]]
        chosen += [("disabled", p) for p in adults[:round(300 * scale)]]
        chosen += [("child", p) for p in kids[:max(1, round(40 * scale))]]
        rows: list[object] = []
        volunteers: dict[str, list[tuple[str, str]]] = {}
        now = ctx.clock.now()
        for n, (group, (rid, birth, grid_id, phone, idn)) in enumerate(chosen):
            grid_no = grid_ids.index(grid_id) if grid_id in grid_ids else 0
            # about even loads (3,840 files over 7 workers is ~550 each): mostly the grid's own worker, some the
            # window clerks who also care, few the coordinator (who already answers for every disabled person)
            pick = rng.random()
            owner = WORKERS[grid_no] if pick < 0.68 else COORDINATOR if pick < 0.72 else rng.choice(WORKERS[5:])
            age = age_on(birth, today)
            flags: list[str] = []
            needs: list[str] = []
            if group == "elderly":
                if rng.random() < (0.3 if age >= 75 else 0.12):
                    flags.append("alone")
                if rng.random() < (0.15 if age >= 80 else 0.04):
                    flags.append("dependent")
                if "alone" in flags and rng.random() < 0.4:
                    needs.append("meals")
                if "dependent" in flags or rng.random() < 0.08:
                    needs.append("medical")
            opened = start - dt.timedelta(days=rng.randint(30, 900))
            f = SpecialFile(id=new_id(), community_id=cid, resident_id=rid, group=group, status="open", opened_on=opened,
                            tracked_from=start, flags=sorted(flags), needs=sorted(needs),
                            care_notes=rng.choice(CARE_NOTES) if rng.random() < 0.6 else "")
            if group == "elderly" and ("dependent" in flags or rng.random() < 0.2):
                f.health_notes = rng.choice(HEALTH)
            if group == "disabled":
                cat, grade = rng.choice("1234567"), rng.choice("1234")
                f.disability_cert, f.disability_category, f.disability_grade = idn + cat + grade, cat, int(grade)
                if grade in "12":
                    f.flags = ["severe"]
                f.devices = rng.choice(("", "轮椅", "助听器", "盲杖", "助行器"))
                f.rehabilitation = rng.choice(("", "居家康复训练每周1次", "社区康复站训练"))
                f.needs = sorted(rng.sample(("rehab", "device", "allowance", "medical"), 2))
            if group == "child":
                f.child_kind = rng.choice(sg.CHILD_KINDS[:5])
                f.needs = ["study"] if rng.random() < 0.6 else ["psych"]
            rows.append(f)
            fid = f.id
            rows.append(FileEvent(community_id=cid, file_id=fid, kind="opened",
                                  at=dt.datetime.combine(opened, dt.time(1, 30), tzinfo=dt.timezone.utc), detail=sg.GROUP_LABELS[group],
                                  by_login=owner[0]))
            if group == "disabled":
                rows.append(RosterMember(community_id=cid, file_id=fid, role="coordinator", login=COORDINATOR[0],
                                         name=COORDINATOR[1], active_from=opened))
                if rng.random() < 0.5:
                    rows.append(RosterMember(community_id=cid, file_id=fid, role="worker", login=owner[0],
                                             name=owner[1], active_from=opened))
            else:
                rows.append(RosterMember(community_id=cid, file_id=fid, role="worker", login=owner[0], name=owner[1],
                                         active_from=opened))
            if group == "elderly":
                if rng.random() > 0.03:          # a few rosters are incomplete: no volunteer yet
                    pool = volunteers.setdefault(owner[0], [])
                    if len(pool) < 4 or rng.random() < 0.12:    # a volunteer cares for about eight elders
                        pool.append(_vol(rng))
                    vname, vphone = rng.choice(pool)
                    rows.append(RosterMember(community_id=cid, file_id=fid, role="volunteer", name=vname, phone=vphone,
                                             active_from=opened))
                for _ in range(rng.choice((0, 1, 1, 2))):
                    relation = rng.choice(("儿子", "女儿", "配偶", "侄子", "外孙女"))
                    rows.append(RosterMember(community_id=cid, file_id=fid, role="family", name=_vol(rng)[0],
                                             relation=relation, phone=_vol(rng)[1], active_from=opened))
            if group == "child":
                rows.append(RosterMember(community_id=cid, file_id=fid, role="teacher", name=rng.choice(TEACHERS),
                                         active_from=opened))
                rows.append(RosterMember(community_id=cid, file_id=fid, role="psychologist",
                                         name=rng.choice(PSYCHOLOGISTS), active_from=opened))
                rows.append(RosterMember(community_id=cid, file_id=fid, role="guardian", name=_vol(rng)[0],
                                         relation=rng.choice(("祖母", "祖父", "母亲")), phone=_vol(rng)[1],
                                         active_from=opened))
            rows += _history(rng, cid, fid, group, owner, start, today, now)
            if n % 9 == 0:
                item = rng.sample(PACKAGE[:3] if group == "elderly" else PACKAGE[3:], 2)
                rows.append(ServicePackage(community_id=cid, file_id=fid, version_no=1, valid_from=opened,
                                           items=[{"item": a, "frequency": b, "provider": c} for a, b, c in item],
                                           by_login=owner[0]))
            if n % 8 == 0:
                score = rng.choices((5, 4, 3, 2), weights=(60, 36, 3, 1))[0]
                rows.append(Survey(community_id=cid, file_id=fid, surveyed_on=today - dt.timedelta(days=rng.randint(1, 60)),
                                   score=score, method=rng.choice(sg.SURVEY_METHODS), surveyor=owner[1]))
            if n % 97 == 5:
                f.review_requested_on, f.review_reason = today - dt.timedelta(days=rng.randint(0, 10)), "公安户籍比对：户籍迁出"
        s.add_all(rows)
        s.flush()
    return len(chosen)


def _history(rng: random.Random, cid: str, fid: str, group: str, owner: tuple[str, str], start: dt.date,
             today: dt.date, now: dt.datetime) -> list[object]:
    """Calls each week and visits each month since ``start``, with some missed (late) and some planned."""
    out: list[object] = []
    diligence = 0.997 if rng.random() < 0.95 else 0.8         # a few people fall through the cracks
    # the weekly calls fall on the person's day (from the random file id): their own stream, so that how many
    # draws they take does not change the visits and reviews drawn after them
    calls_rng = random.Random(rng.random())

    def contact(kind: str, on: dt.date, by: str = "worker", notes: str = "", needs: tuple[str, ...] = (),
                next_date: dt.date | None = None, rng: random.Random = rng) -> None:
        if on > today:
            return
        who = owner if by == "worker" else ("", _vol(rng)[0])
        reached = rng.random() < 0.97
        out.append(ContactLog(community_id=cid, file_id=fid, kind=kind, contact_on=on, recorded_at=now, by_role=by,
                              by_login=who[0], by_name=who[1], outcome="reached" if reached else "not_reached",
                              notes=notes if reached else "无人接听", needs=list(needs), next_date=next_date))
        retry = on + dt.timedelta(days=1)
        if not reached and retry <= today and period_bounds(retry, Period.WEEK)[0] == period_bounds(on, Period.WEEK)[0] \
                and rng.random() < 0.85:     # tried again the next day and got through
            out.append(ContactLog(community_id=cid, file_id=fid, kind=kind, contact_on=retry, recorded_at=now,
                                  by_role=by, by_login=who[0], by_name=who[1], outcome="reached", notes=notes,
                                  needs=list(needs)))

    if group == "elderly":
        week = start
        while week <= today:
            this_week = week + dt.timedelta(days=7) > today
            # mostly on the person's day of the week (as 我的今日 suggests it), sometimes another day; this week:
            # most calls of the days gone by made, some of today's, a few made early
            due = sg.call_day(fid, sg.weekdays(week))
            chance = (0.9 if due < today else 0.35 if due == today else 0.06) if this_week else diligence
            if calls_rng.random() < chance:
                on = due if calls_rng.random() < 0.8 else week + dt.timedelta(days=calls_rng.randint(0, 4))
                if on > today:
                    on = week + dt.timedelta(days=calls_rng.randint(0, (today - week).days))
                contact("call", on, calls_rng.choice(("worker", "worker", "volunteer")), calls_rng.choice(CALL_NOTES),
                        rng=calls_rng)
            week += dt.timedelta(days=7)
        month = start.replace(day=1)
        while month <= today:
            last = period_bounds(month, Period.MONTH)[1]
            current = last >= today
            if rng.random() < (0.55 if current else diligence):
                day = month + dt.timedelta(days=rng.randint(0, last.day - 1))
                contact("visit", min(day, today), "worker", rng.choice(VISIT_NOTES),
                        ("meals",) if rng.random() < 0.05 else (), today + dt.timedelta(days=rng.randint(3, 20))
                        if current and rng.random() < 0.5 else None)
            elif current and rng.random() < 0.5:
                out.append(ContactLog(community_id=cid, file_id=fid, kind="call", contact_on=today - dt.timedelta(days=1),
                                      recorded_at=now, by_role="worker", by_login=owner[0], by_name=owner[1],
                                      outcome="not_reached", notes="预约上门未接通",
                                      next_date=today + dt.timedelta(days=rng.randint(1, 6))))
            month = period_bounds(month, Period.MONTH)[1] + dt.timedelta(days=1)
        if rng.random() < 0.02:
            out.append(FollowUp(community_id=cid, file_id=fid, need="medical", note="陪同复诊", status="open",
                                due_on=today - dt.timedelta(days=rng.randint(-5, 6)), assigned_login=owner[0]))
    elif group == "child":
        month = start.replace(day=1)
        while month <= today:
            for k in range(2):
                if rng.random() < diligence - (0.04 if k else 0):
                    day = month + dt.timedelta(days=rng.randint(0, 27))
                    out.append(ContactLog(community_id=cid, file_id=fid, kind="session", contact_on=min(day, today),
                                          recorded_at=now, by_role=rng.choice(("teacher", "psychologist")),
                                          by_name=rng.choice(TEACHERS + PSYCHOLOGISTS), outcome="reached",
                                          notes=rng.choice(("数学辅导1小时", "心理疏导，情绪稳定", "作业辅导", "沟通学校适应情况"))))
            month = period_bounds(month, Period.MONTH)[1] + dt.timedelta(days=1)
    elif group == "disabled" and rng.random() < 0.7:
        on = start + dt.timedelta(days=rng.randint(0, max(0, (today - start).days)))
        out.append(Assessment(community_id=cid, file_id=fid, assessed_on=on, by_login="worker5", by_name="周芳",
                              needs=["rehab"] if rng.random() < 0.5 else ["device", "rehab"], notes="半年度需求评估",
                              proposals=[]))
    if rng.random() < 0.5:
        out.append(FileReview(community_id=cid, file_id=fid, reviewed_on=today - dt.timedelta(days=rng.randint(0, 20)),
                              by_login=owner[0], by_name=owner[1], changes="季度更新：信息核对无变化"))
    return out
