"""Demo counter: a year of finished cases at the window, so the on-time rate (R32) stands on a realistic
number of records (about one case per 8 households a year: ≈ 1,000 for the 8,000-household demo).

Simple items are finished at the visit (当场办结); complex ones are accepted, reviewed and reported to the
subdistrict within their time limit of working days (the counter's own calendar), then completed — a few are
reported late. A few are withdrawn or refused. The records are what the counter's use cases leave behind (the
case with its status, times and materials, and its events), written in one transaction through the ORM and the
change journal: working a thousand cases one use case at a time would add a minute to ``shequ-admin demo``.
The cases end three weeks before today, where the window's cases of ``demo_counter`` begin.
"""

from __future__ import annotations

import datetime as dt
import random

from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.domain.ids import new_id
from shequ_desktop.persistence.counter_models import Case, CaseEvent
from shequ_desktop.services import calendar, counter, demo_counter
from shequ_desktop.services.context import AppContext, CurrentUser
from shequ_desktop.services.counter import Status
from shequ_desktop.services.policy import current_policy

CASES_PER_HOUSEHOLD = 0.125          # a year
LATE_EVERY = 20                      # one complex case in 20 is reported after its deadline (also in a small demo)
SIMPLE_WEIGHT = 3                    # simple : complex ≈ 3 : 1 at a community window
RESULTS = {"MEDICAL_INSURANCE_ENROL": "已办理参保登记", "PENSION_ENROL": "已办理养老保险登记",
           "PENSION_QUALIFICATION": "已完成资格认证", "FLEXIBLE_EMPLOYMENT_SI": "已登记灵活就业参保",
           "EMPLOYMENT_REGISTRATION": "已办理就业登记", "ELDERLY_ALLOWANCE": "已登记高龄津贴发放",
           "SENIOR_CARD": "老年优待证已制发", "RESIDENCE_CERT": "已出具居住证明"}


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def generate(ctx: AppContext, households: int, seed: int = 32) -> int:
    """A year of finished counter cases ending three weeks before today; returns how many were made."""
    clerks = demo_counter._clerks(ctx)
    if not clerks:
        return 0
    rng = random.Random(seed)
    counter.ensure_catalogue(ctx)
    services = counter.services(ctx)
    simple = [svc for svc in services if svc.simple]
    complex_ = [svc for svc in services if not svc.simple]
    total = max(40, round(households * CASES_PER_HOUSEHOLD))
    residents = demo_counter._residents(ctx, min(total, 3000))
    cal = calendar.working_calendar(ctx)
    review_wd = int(current_policy(ctx).get("complex_review_wd"))
    today = ctx.clock.now().astimezone(SHANGHAI).date()
    last, first = today - dt.timedelta(days=21), today - dt.timedelta(days=386)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    days = [d for d in days if cal.is_workday(d)]
    made = 0
    with ctx.transaction() as s:
        station = counter.station_number(s, ctx)
        plan = sorted(rng.choice(days) for _ in range(total))
        serials: dict[int, int] = {}
        complex_seen = 0
        rows: list[Case | CaseEvent] = []
        for year in sorted({d.year for d in plan}):
            count = sum(1 for d in plan if d.year == year)
            serials[year] = counter.reserve_serials(s, "case", year, count)
        for i, day in enumerate(plan):
            clerk = clerks[i % min(2, len(clerks))]
            svc = rng.choice(simple) if rng.random() < SIMPLE_WEIGHT / (SIMPLE_WEIGHT + 1) else rng.choice(complex_)
            received = _at(day, rng.choice((8, 9, 9, 10, 10, 11, 14, 14, 15, 16)), rng.randrange(0, 60, 3))
            case = Case(id=new_id(), community_id=ctx.community_id, case_no=counter.case_number(day.year, station, serials[day.year]),
                        resident_id=residents[i % len(residents)], service_code=svc.code, service_name=svc.name,
                        simple=svc.simple, status=Status.INTAKE, owner_login=clerk.login, received_at=received,
                        time_limit_wd=svc.time_limit_wd,
                        materials={m.code: {"state": "provided", "note": ""} for m in svc.required_materials()})
            serials[day.year] += 1
            events = [("received", received, svc.name), ("materials", received + dt.timedelta(minutes=6), "")]
            late = not svc.simple and complex_seen % LATE_EVERY == 3
            complex_seen += 0 if svc.simple else 1
            _finish(case, events, rng, cal, review_wd, late)
            rows.append(case)
            rows += _event_rows(ctx, case, clerk, events)
            made += 1
        s.add_all(rows)       # one flush: a thousand cases and their events through the journal at once
        s.flush()
    return made


def _finish(case: Case, events: list, rng: random.Random, cal: object, review_wd: int, late: bool) -> None:  # noqa: ANN001
    """The case's end as the counter's use cases would leave it (status, times, due date, events)."""
    received: dt.datetime = case.received_at
    day = received.date()
    roll = rng.random()
    if roll < 0.02 and not late:
        case.status, case.closed_at, case.result = Status.WITHDRAWN, received + dt.timedelta(minutes=15), "申请人自行撤回"
        events.append(("withdrawn", case.closed_at, case.result))
        return
    if roll < 0.03 and not late:
        case.status, case.closed_at = Status.REFUSED, received + dt.timedelta(minutes=15)
        case.result = "申请人不符合该事项的办理条件"
        events.append(("refused", case.closed_at, case.result))
        return
    if case.simple:
        case.status, case.closed_at = Status.ON_SPOT, received + dt.timedelta(minutes=rng.randint(10, 35))
        case.result, case.due_date, case.due_provisional = RESULTS.get(case.service_code, "当场办结"), day, False
        events.append(("completed_on_spot", case.closed_at, case.result))
        return
    limit = case.time_limit_wd or review_wd
    deadline = cal.add_working_days(day, limit)  # type: ignore[attr-defined]
    accepted = received + dt.timedelta(minutes=20)
    case.status, case.accepted_at, case.time_limit_wd = Status.ACCEPTED, accepted, limit
    case.due_date, case.due_provisional = deadline.due, deadline.provisional
    events.append(("accepted", accepted, f"due {deadline.due.isoformat()}"))
    if late:       # the review dragged on: reported after the deadline
        report_day = cal.add_working_days(deadline.due, rng.randint(1, 3)).due  # type: ignore[attr-defined]
    else:
        report_day = cal.add_working_days(day, rng.randint(1, max(1, limit))).due  # type: ignore[attr-defined]
    reviewed = _at(report_day, 9, rng.randrange(0, 60, 5))
    case.reported_at = _at(report_day, rng.choice((10, 11, 15, 16)), rng.randrange(0, 60, 5))
    case.report_info = "珞南街道民政科｜纸质材料当面移交"
    closed_day = report_day + dt.timedelta(days=rng.randint(5, 20))
    case.status, case.closed_at, case.result = Status.COMPLETED, _at(closed_day, 10, 0), "街道审核通过"
    events += [("reviewed", reviewed, "材料齐全，情况属实，建议上报"), ("reported", case.reported_at, case.report_info),
               ("completed", case.closed_at, case.result)]


def _event_rows(ctx: AppContext, case: Case, clerk: CurrentUser, events: list) -> list[CaseEvent]:  # noqa: ANN001
    return [CaseEvent(community_id=ctx.community_id, case_id=case.id, at=at, user_login=clerk.login,
                      user_name=clerk.display_name, kind=kind, detail=detail) for kind, at, detail in events]
