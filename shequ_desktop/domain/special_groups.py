"""Special-group files (特殊群体档案): groups, flags, needs, 1+1+N roles and the schedules of each group.

Rules: DOMAIN R15–R23, R36, R51, §6.1 (1+1+N), §7 (PIPL, minors). Codes are stored; labels are Chinese data
labels for papers plus English message ids for the UI (the domain cannot import i18n).
"""

from __future__ import annotations

import datetime as dt
import functools
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from shequ_desktop.domain.schedules import Obligation, Period, Task, TaskState, live_tasks_of, one_off, tasks

GROUPS = ("elderly", "disabled", "child")
GROUP_LABELS = {"elderly": "老年人", "disabled": "残疾人", "child": "困境儿童"}

FILE_STATUSES = ("open", "closed")
CLOSE_REASONS = ("moved", "deceased", "ineligible", "other")
CLOSE_REASON_LABELS = {"moved": "迁出", "deceased": "死亡", "ineligible": "不再符合条件", "other": "其他"}

FILE_EVENTS = ("opened", "closed", "reopened", "review_requested", "changed", "roster")
FILE_EVENT_LABELS = {"opened": "建档", "closed": "结档", "reopened": "重新启用", "review_requested": "待复核",
                     "changed": "信息变更", "roster": "联系人变更"}

FLAGS = ("alone", "dependent", "empty_nest", "severe", "low_income", "high_risk")
FLAG_LABELS = {"alone": "独居", "dependent": "失能", "empty_nest": "空巢", "severe": "重残",
               "low_income": "低保", "high_risk": "高风险"}
# Flags that make a person vulnerable in an emergency (emergency management lists them by building).
VULNERABLE_FLAGS = frozenset({"alone", "dependent", "severe", "high_risk"})
# Flags that are health data (sensitive, §7.2): masked in lists, never on a volunteer's sheet.
SENSITIVE_FLAGS = frozenset({"dependent", "severe", "low_income"})

NEEDS = ("medical", "meals", "cleaning", "repair", "rehab", "device", "psych", "study", "allowance", "other")
NEED_LABELS = {"medical": "就医", "meals": "送餐", "cleaning": "助洁", "repair": "维修", "rehab": "居家康复",
               "device": "辅具适配", "psych": "心理疏导", "study": "课业辅导", "allowance": "补贴申请",
               "other": "其他"}

DISABILITY_CATEGORIES = {"1": "视力", "2": "听力", "3": "言语", "4": "肢体", "5": "智力", "6": "精神", "7": "多重"}
CHILD_KINDS = ("orphan", "no_care", "poverty", "disabled", "left_behind", "other")
CHILD_KIND_LABELS = {"orphan": "孤儿", "no_care": "事实无人抚养", "poverty": "困难家庭", "disabled": "残疾儿童",
                     "left_behind": "留守儿童", "other": "其他困境"}

# 1+1+N roles. Staff roles name a login (the same person has the same login on every station).
ROLES = ("worker", "volunteer", "family", "teacher", "psychologist", "coordinator", "guardian")
ROLE_LABELS = {"worker": "责任社工", "volunteer": "志愿者", "family": "家属", "teacher": "教师",
               "psychologist": "心理咨询师", "coordinator": "康复协调员", "guardian": "监护人"}
# Roles of which a file has at most one active member.
SINGLE_ROLES = frozenset({"worker", "volunteer", "coordinator", "teacher", "psychologist"})
REQUIRED_ROLES = {"elderly": ("worker", "volunteer"), "disabled": ("coordinator",),
                  "child": ("worker", "teacher", "psychologist")}

CONTACT_KINDS = ("call", "visit", "session", "other")
CONTACT_LABELS = {"call": "电话关怀", "visit": "上门探访", "session": "辅导/疏导", "other": "其他联系"}
OUTCOMES = ("reached", "not_reached", "refused")
OUTCOME_LABELS = {"reached": "已联系上", "not_reached": "未联系上", "refused": "拒绝"}
# A contact counts for the schedule when the person was reached, or declined it themselves.
COUNTING_OUTCOMES = frozenset({"reached", "refused"})

# Task kinds as the command line prints them (issue 12), with the contact kind that resolves each.
TASK_KINDS = ("call", "visit", "assessment", "support", "review")
TASK_LABELS = {"call": "电话关怀", "visit": "上门探访", "assessment": "需求评估", "support": "帮扶辅导",
               "review": "档案更新"}
RESOLVED_BY = {"call": "call", "visit": "visit", "support": "session"}
# Who may make a contact that counts for each task kind ("where the rule allows it").
COUNTS_BY = {"call": frozenset({"worker", "volunteer"}), "visit": frozenset({"worker", "volunteer"}),
             "support": frozenset({"worker", "teacher", "psychologist"}),
             "assessment": frozenset({"coordinator", "worker"}), "review": frozenset({"worker", "coordinator"})}

SURVEY_METHODS = ("phone", "visit", "questionnaire")
SURVEY_METHOD_LABELS = {"phone": "电话", "visit": "上门", "questionnaire": "问卷"}
# 1 非常不满意 … 5 非常满意; 4 and 5 count as satisfied (DOMAIN §1.3).
SCORE_LABELS = {1: "非常不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "非常满意"}
SATISFIED_SCORES = frozenset({4, 5})

REVIEW_DUE_DAYS_AFTER_CHANGE = 7   # R51: a file put up for review by an outside change is due within a week


@dataclass(frozen=True)
class ScheduleRules:
    calls_per_week: int = 1
    visits_per_month: int = 1
    assessment_months: int = 6
    sessions_per_month: int = 2
    review_months: int = 3

    @classmethod
    def from_policy(cls, values: Mapping[str, object]) -> ScheduleRules:
        def i(key: str, default: int) -> int:
            v = values.get(key, default)
            return int(v) if isinstance(v, (int, float, str)) else default
        return cls(i("phone_calls_per_week", 1), i("visits_per_month", 1), i("disability_assessment_months", 6),
                   i("child_sessions_per_month", 2), i("file_review_months", 3))


def _months_period(months: int) -> Period:
    return {1: Period.MONTH, 3: Period.QUARTER, 6: Period.HALF_YEAR, 12: Period.YEAR}.get(
        months, Period.HALF_YEAR if months > 3 else Period.QUARTER)


def obligations(group: str, rules: ScheduleRules, start: dt.date, end: dt.date | None,
                subject: str) -> list[Obligation]:
    """The recurring obligations of one file (R16, R19, R20, R22, R23)."""
    out = [Obligation("review", _months_period(rules.review_months), 1, start, end, subject)]
    if group == "elderly":
        out.append(Obligation("call", Period.WEEK, rules.calls_per_week, start, end, subject))
        out.append(Obligation("visit", Period.MONTH, rules.visits_per_month, start, end, subject))
    elif group == "disabled":
        out.append(Obligation("assessment", _months_period(rules.assessment_months), 1, start, end, subject))
    elif group == "child":
        out.append(Obligation("support", Period.MONTH, rules.sessions_per_month, start, end, subject))
    return out


@functools.lru_cache(maxsize=64)
def _obligation_kinds(group: str, rules: ScheduleRules) -> tuple[tuple[str, Period, int], ...]:
    """(key, period, count) of each obligation of a group — the same for every file of the group."""
    return tuple((ob.key, ob.period, ob.count) for ob in obligations(group, rules, dt.date.min, None, ""))


def check_disability_certificate(cert_no: str, id_number: str) -> tuple[str, int] | None:
    """A second-generation certificate number = ID number + category digit + grade digit (DOMAIN §3.6).

    Returns (category, grade) or None when the number does not match the ID number.
    """
    text = cert_no.strip().upper()
    if len(text) != 20 or text[:18] != id_number.strip().upper():
        return None
    category, grade = text[18], text[19]
    if category not in DISABILITY_CATEGORIES or grade not in "1234":
        return None
    return category, int(grade)


# How many days before its due date an open task enters a worker's day (a call has a day of its own, call_day).
LEAD_DAYS = {"visit": 10, "support": 10, "assessment": 30, "review": 21}
# Flags that make a late contact more urgent (R21: 独居、失能 first).
PRIORITY_FLAGS = {"alone": 2, "dependent": 2, "severe": 1, "high_risk": 3}


def file_tasks(group: str, subject: str, tracked_from: dt.date, closed_on: dt.date | None,
               resolved: Mapping[str, Sequence[dt.date]], rules: ScheduleRules, today: dt.date,
               planned: Mapping[str, dt.date] | None = None,
               review_requested_on: dt.date | None = None) -> list[Task]:
    """Every task of one file from ``tracked_from`` to today, states computed by the schedules engine.

    ``resolved``: per task kind, the dates of the records that count (calls, visits, sessions by a member the
    rule allows; assessments; signed-off reviews). An outside change (R51) adds a one-off review task.
    """
    planned = planned or {}
    out: list[Task] = []
    for ob in obligations(group, rules, tracked_from, closed_on, subject):
        out.extend(tasks(ob, resolved.get(ob.key, ()), today, planned.get(ob.key)))
    if review_requested_on is not None:
        due = review_requested_on + dt.timedelta(days=REVIEW_DUE_DAYS_AFTER_CHANGE)
        out.append(one_off("review", subject, review_requested_on, due, resolved.get("review", ()), today,
                           closed_on))
    return out


def file_live_tasks(group: str, subject: str, tracked_from: dt.date, closed_on: dt.date | None,
                    resolved: Mapping[str, Sequence[dt.date]], rules: ScheduleRules, today: dt.date,
                    planned: dt.date | None = None, review_requested_on: dt.date | None = None) -> list[Task]:
    """The late tasks and today's period of each obligation of one file (what 我的今日, the grid and the chief's
    overview show) — :func:`file_tasks` without the past periods that are done. ``planned`` applies to the
    contact kinds (call, visit, support); ``resolved`` dates must be sorted."""
    out: list[Task] = []
    for key, period, count in _obligation_kinds(group, rules):
        out.extend(live_tasks_of(key, period, count, tracked_from, closed_on, subject, resolved.get(key, ()), today,
                                 planned if key in RESOLVED_BY else None))
    if review_requested_on is not None:
        due = review_requested_on + dt.timedelta(days=REVIEW_DUE_DAYS_AFTER_CHANGE)
        out.append(one_off("review", subject, review_requested_on, due, resolved.get("review", ()), today,
                           closed_on))
    return out


def in_my_day(task: Task, today: dt.date, workdays: Sequence[dt.date] | None = None) -> bool:
    """An open task a worker should see today: late, or its day has come.

    A weekly call has its day among the working days of its week (``call_day``; ``workdays`` = the working days
    of today's week from the calendar, Monday–Friday if not given): 我的今日 shows the calls whose day is today or
    has passed this week without a call — a week's calls a share a day, not all of them every day. A call made
    on any day of the week still satisfies the week (R19: the task is done, whatever its day). Monthly visits and
    sessions have a day in their month (``suggested_day``) and show from the week it falls in; every kind shows
    within its lead time before the due date and from a planned date on."""
    if task.state is TaskState.OVERDUE:
        return True
    if task.state is not TaskState.DUE:
        return False
    if task.opens > task.period_first:          # the worker planned this contact; the window opened that day
        return True
    if task.key == "call":
        return call_day(task.subject, workdays if workdays is not None else weekdays(task.period_first)) <= today
    if (task.due - today).days <= LEAD_DAYS.get(task.key, 7):
        return True
    return task.key in SPREAD_KINDS and suggested_day(task) <= today + dt.timedelta(days=6 - today.weekday())


# Monthly visits and sessions without a planned date are spread over the month (a stable day per person), so
# "visit this week" is a week's share of the month's visits rather than all of them in the last days.
SPREAD_KINDS = frozenset({"visit", "support"})


def suggested_day(task: Task) -> dt.date:
    span = max(1, (task.period_last - task.period_first).days - 6)
    return task.period_first + dt.timedelta(days=zlib.crc32(task.subject.encode()) % span)


def weekdays(week_first: dt.date) -> tuple[dt.date, ...]:
    """Monday–Friday of the week that starts on ``week_first`` (when no calendar is at hand)."""
    return tuple(week_first + dt.timedelta(days=i) for i in range(5))


def call_day(subject: str, workdays: Sequence[dt.date]) -> dt.date:
    """The day of the week a person's weekly call is due in 我的今日: one of the week's working days, picked by a
    stable hash of the file id — the same day every ordinary week, on every station and after every restart —
    so a worker's 300 calls come as about 60 a day. (A week without a working day — a long holiday — passes all
    seven days: the calls of such a week are spread over them.)"""
    if not workdays:
        raise ValueError("call_day needs the working days of the week")
    return workdays[zlib.crc32(subject.encode()) % len(workdays)]


def urgency(task: Task, flags: Sequence[str]) -> tuple[int, int, int, dt.date, str]:
    """Sort key: late first (most days late first), then flags (独居/失能), then the earliest due date."""
    weight = sum(PRIORITY_FLAGS.get(f, 0) for f in flags)
    return (0 if task.state is TaskState.OVERDUE else 1, -task.days_late, -weight, task.due, task.key)
