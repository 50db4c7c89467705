"""Demo counter: cases in every state of the window, made through the real use cases.

Each case is worked "in the past" (a fixed clock set back some days), so that some are overdue,
some wait for a supplement and some are reported; the papers of the counter are printed on the way,
so the register of printed documents is not empty either.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import literal_column, select

from shequ_desktop.domain.clock import FixedClock
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.models import Resident, User
from shequ_desktop.services import counter, documents
from shequ_desktop.services.context import AppContext, CurrentUser

_DAY = dt.timedelta(days=1)

# (service, days ago it was received, steps after receiving it)
PLAN: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("RESIDENCE_CERT", 0, ()),                                      # 收件中
    ("DIBAO", 2, ("materials_short", "supplement")),                # 待补正
    ("TEMPORARY_AID", 12, ("materials_short", "supplement")),            # 待补正, past its deadline
    ("DIBAO", 1, ("materials", "accept")),                          # 已受理（初审中）
    ("TEMPORARY_AID", 14, ("materials", "accept")),                      # 已受理, overdue
    ("DISABILITY_SUBSIDIES", 4, ("materials", "accept", "review")),   # 初审完成
    ("DIBAO", 7, ("materials", "accept", "review", "report")),      # 已上报街道
    ("TEMPORARY_AID", 20, ("materials", "accept", "review", "report", "complete")),  # 已办结
    ("ELDERLY_ALLOWANCE", 3, ("materials", "on_spot")),              # 当场办结
    ("DISABILITY_CERTIFICATE", 5, ("refuse",)),                            # 不予办理
    ("DIBAO", 6, ("withdraw",)),                                    # 已撤回
    ("DISABILITY_SUBSIDIES", 9, ("materials", "accept", "return")),   # 已退回
)


def _clerks(ctx: AppContext) -> list[CurrentUser]:
    with ctx.transaction() as s:
        users = s.execute(select(User).where(User.role == Role.CLERK.value).order_by(User.login)).scalars().all()
        return [CurrentUser(u.id, u.login, u.display_name, Role(u.role), u.grid_id) for u in users]


def _residents(ctx: AppContext, n: int) -> list[str]:
    with ctx.transaction() as s:
        # in the order the demo made them (rowid), not by the random part of their time-ordered ids
        return list(s.execute(select(Resident.id).where(Resident.deleted_at.is_(None))
                              .order_by(literal_column("resident.rowid"))
                              .limit(n * 7)).scalars())[::7]


def generate(ctx: AppContext) -> int:
    """Work the cases of PLAN for the demo clerks; returns how many cases were made."""
    clerks = _clerks(ctx)
    if not clerks:
        return 0
    counter.ensure_catalogue(ctx)
    codes = {svc.code for svc in counter.services(ctx)}
    residents = _residents(ctx, len(PLAN))
    now = ctx.clock.now()
    made = 0
    for i, (code, days_ago, steps) in enumerate(PLAN):
        if code not in codes or i >= len(residents):
            continue
        clock = FixedClock(now - days_ago * _DAY)
        worker = replace(ctx, clock=clock).as_user(clerks[i % min(3, len(clerks))])
        case = counter.start_case(worker, residents[i], code)
        for step in steps:
            clock.advance(minutes=20)
            _step(worker, case.id, step, clock)
        made += 1
    return made


def _step(ctx: AppContext, case_id: str, step: str, clock: FixedClock) -> None:
    required = counter.service(ctx, counter.get_case(ctx, case_id).service_code).required_materials()
    if step == "materials":
        counter.set_materials(ctx, case_id, {m.code: ("provided", "") for m in required})
    elif step == "materials_short":
        states = {m.code: ("provided", "") for m in required}
        if required:
            states[required[-1].code] = ("missing", "")
        counter.set_materials(ctx, case_id, states)
    elif step == "supplement":
        counter.request_supplement(ctx, case_id, {required[-1].code: ("missing", "原件未带")})
        documents.print_supplement_notice(ctx, case_id)
    elif step == "accept":
        counter.accept(ctx, case_id)
        documents.print_acceptance_receipt(ctx, case_id)
    elif step == "review":
        clock.advance(days=1)
        counter.review_done(ctx, case_id, "材料齐全，情况属实，建议上报")
    elif step == "report":
        counter.report_to_subdistrict(ctx, case_id, "珞南街道民政科", "纸质材料当面移交")
    elif step == "complete":
        clock.advance(days=5)
        counter.complete(ctx, case_id, "街道审核通过")
    elif step == "on_spot":
        counter.finish_on_spot(ctx, case_id, "当场办结")
    elif step == "refuse":
        counter.refuse(ctx, case_id, "申请人不符合该事项的办理条件")
    elif step == "withdraw":
        counter.withdraw(ctx, case_id, "申请人自行撤回")
    elif step == "return":
        counter.return_case(ctx, case_id, "家庭收入超过低保标准，不予上报")
