"""Emergency management (应急管理) rules: hazards, grades, the team, incidents, checks, drills and training.

Rules: DOMAIN.md R59–R65 (7 hazard plans, a team of at least 20, a drill every half year, training every
quarter, on site within 5 minutes, reported within 15), R34, §1.1 (突发事件应对法 §3 grades, §38–§42, §77).
Every number is a policy setting; the English message ids are translated by the UI, papers use the Chinese.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shequ_desktop.domain.clocks import ClockRule
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.schedules import Obligation, Period, period_bounds

# --- hazards (R59; DOMAIN §1.2 A6: the regulation names 疫情防控, 火灾, 台风; the other four are ours) ------
HAZARDS = ("epidemic", "fire", "typhoon", "rainstorm", "earthquake", "gas_leak", "highrise_fire")
HAZARD_ZH = {"epidemic": "疫情防控", "fire": "火灾", "typhoon": "台风", "rainstorm": "暴雨内涝",
             "earthquake": "地震", "gas_leak": "燃气泄漏", "highrise_fire": "高层建筑火灾"}

# --- grades (突发事件应对法 §3) ---------------------------------------------------------------------------
GRADES = ("especially_major", "major", "larger", "general")
GRADE_ZH = {"especially_major": "特别重大", "major": "重大", "larger": "较大", "general": "一般"}
GRADE_MSGIDS = {"especially_major": "Especially major", "major": "Major", "larger": "Larger", "general": "General"}

# --- the team (R60) ------------------------------------------------------------------------------------
MEMBER_KINDS = ("social_worker", "property", "volunteer")
MEMBER_KIND_ZH = {"social_worker": "社工", "property": "物业人员", "volunteer": "志愿者"}
MEMBER_KIND_MSGIDS = {"social_worker": "Social worker", "property": "Property staff", "volunteer": "Volunteer"}
TEAM_ROLES = ("commander", "deputy", "liaison", "evacuation", "rescue", "medical", "logistics", "member")
TEAM_ROLE_ZH = {"commander": "总指挥", "deputy": "副总指挥", "liaison": "联络员", "evacuation": "疏散引导",
                "rescue": "抢险救援", "medical": "医疗救护", "logistics": "后勤保障", "member": "队员"}
TEAM_ROLE_MSGIDS = {"commander": "Commander", "deputy": "Deputy commander", "liaison": "Liaison",
                    "evacuation": "Evacuation", "rescue": "Rescue", "medical": "First aid",
                    "logistics": "Logistics", "member": "Member"}
SKILLS = ("first_aid", "fire_equipment", "rescue", "driving", "electrical", "psych", "radio")
SKILL_ZH = {"first_aid": "急救", "fire_equipment": "消防器材", "rescue": "救援", "driving": "驾驶",
            "electrical": "电工", "psych": "心理疏导", "radio": "通讯"}
SKILL_MSGIDS = {"first_aid": "First aid", "fire_equipment": "Fire equipment", "rescue": "Rescue",
                "driving": "Driving", "electrical": "Electrician", "psych": "Counselling", "radio": "Radio"}
AVAILABILITY = ("anytime", "workdays", "evenings", "weekends")
AVAILABILITY_ZH = {"anytime": "随时", "workdays": "工作日", "evenings": "夜间", "weekends": "周末"}
AVAILABILITY_MSGIDS = {"anytime": "Any time", "workdays": "On working days", "evenings": "Evenings",
                       "weekends": "Weekends"}
# A member's status in an incident: called → on the way → on site → stood down.
MEMBER_STATUSES = ("called", "on_the_way", "on_site", "stood_down")
MEMBER_STATUS_ZH = {"called": "已通知", "on_the_way": "在途", "on_site": "已到场", "stood_down": "已撤离"}
MEMBER_STATUS_MSGIDS = {"called": "Called", "on_the_way": "On the way", "on_site": "On site",
                        "stood_down": "Stood down"}

# --- incidents -------------------------------------------------------------------------------------------
OPEN, CLOSED = "open", "closed"
INCIDENT_STATES = (OPEN, CLOSED)
REPORT_HOW = ("phone", "walk_in", "patrol", "hotline", "alarm", "other")
REPORT_HOW_ZH = {"phone": "电话", "walk_in": "群众来报", "patrol": "网格巡查", "hotline": "热线转办",
                 "alarm": "报警系统", "other": "其他"}
REPORT_HOW_MSGIDS = {"phone": "By telephone", "walk_in": "Walk-in", "patrol": "Patrol", "hotline": "Hotline",
                     "alarm": "Alarm system", "other": "Other"}
CHANNELS = ("phone", "gov_wechat", "system", "in_person")
CHANNEL_ZH = {"phone": "电话", "gov_wechat": "政务微信", "system": "系统报送", "in_person": "当面报告"}
CHANNEL_MSGIDS = {"phone": "Phone", "gov_wechat": "Government WeChat", "system": "Reporting system",
                  "in_person": "In person"}
# Timeline entries — append-only; a correction is a new entry pointing at the one it replaces (R63–R65).
REPORTED, ON_SITE, SUBDISTRICT, STEP, TASK, CHECK, MEMBER, NOTE, CLOSE = (
    "reported", "on_site", "subdistrict", "step", "task", "check", "member", "note", "closed")
ENTRY_KINDS = (REPORTED, ON_SITE, SUBDISTRICT, STEP, TASK, CHECK, MEMBER, NOTE, CLOSE)
ENTRY_ZH = {REPORTED: "接报", ON_SITE: "网格社工到场", SUBDISTRICT: "上报街道", STEP: "处置步骤", TASK: "清单事项完成",
            CHECK: "人员核查", MEMBER: "队员状态", NOTE: "情况记录", CLOSE: "结束"}
ENTRY_MSGIDS = {REPORTED: "Reported", ON_SITE: "Grid worker on site", SUBDISTRICT: "Reported to the subdistrict",
                STEP: "Further step", TASK: "Checklist item done", CHECK: "Person checked",
                MEMBER: "Team member status", NOTE: "Note", CLOSE: "Incident closed"}
# Further steps after the report (R65 breaks off: any number of configured steps).
FURTHER_STEPS = ("启动应急预案", "组织居民疏散", "通知物业和相关单位", "协助专业救援力量", "安置受影响居民", "现场警戒")

# --- check on a vulnerable person -----------------------------------------------------------------------
CHECK_STATES = ("pending", "reached", "safe", "needs_help", "evacuated")
CHECK_ZH = {"pending": "待核查", "reached": "已联系", "safe": "安全", "needs_help": "需要帮助", "evacuated": "已转移"}
CHECK_MSGIDS = {"pending": "Not checked yet", "reached": "Reached", "safe": "Safe", "needs_help": "Needs help",
                "evacuated": "Evacuated"}

# --- drills (R61) and training (R62) ---------------------------------------------------------------------
DRILL, TRAINING = "drill", "training"
EXERCISE_KINDS = (DRILL, TRAINING)
EXERCISE_ZH = {DRILL: "综合演练", TRAINING: "专项培训"}
EXERCISE_MSGIDS = {DRILL: "Comprehensive drill", TRAINING: "Specialised training"}
TRAINING_TOPICS = ("心肺复苏与急救", "灭火器使用", "消防栓与疏散引导", "防汛物资使用", "燃气泄漏处置", "地震避险")

DEFAULT_TEAM_MIN = 20
DEFAULT_KIT_DAYS = 30


def clock_rules(policy: Mapping[str, object]) -> tuple[ClockRule, ClockRule]:
    """(on site, reported to the subdistrict): elapsed minutes from the report (R63, R64; A9)."""
    return (ClockRule.minutes(int(policy.get("onsite_minutes", 5))),        # type: ignore[call-overload]
            ClockRule.minutes(int(policy.get("report_minutes", 15))))       # type: ignore[call-overload]


# --- the period of the 5/15-minute compliance figures (the chief's selector) ------------------------------
COMPLIANCE_PERIODS = ("month", "last_month", "quarter", "last_quarter", "half_year", "last_half_year", "year",
                      "last_year", "custom")
COMPLIANCE_PERIOD_MSGIDS = {"month": "This month", "last_month": "Last month", "quarter": "This quarter",
                            "last_quarter": "Last quarter", "half_year": "This half-year",
                            "last_half_year": "Last half-year", "year": "This year", "last_year": "Previous year",
                            "custom": "From … to …"}
_PERIOD_KINDS = {"month": Period.MONTH, "quarter": Period.QUARTER, "half_year": Period.HALF_YEAR,
                 "year": Period.YEAR}


def compliance_period(key: str, today: dt.date, first: dt.date | None = None,
                      last: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """First and last local day of a period: the calendar month / quarter / half year / year containing ``today``
    (Q1 = Jan–Mar, H1 = Jan–Jun), ``last_…`` the one before it, ``custom`` = [first, last] as entered."""
    if key == "custom":
        if first is None or last is None:
            raise UserError("Enter the first and the last day of the period.", field="period")
        if first > last:
            raise UserError("The period cannot end before it begins.", field="period")
        return first, last
    kind = _PERIOD_KINDS.get(key.removeprefix("last_"))
    if kind is None:
        raise ValueError(f"unknown period {key!r}")
    a, b = period_bounds(today, kind)
    if key.startswith("last_"):
        a, b = period_bounds(a - dt.timedelta(days=1), kind)
    return a, b


def team_short(active: int, minimum: int) -> bool:
    """「不少于N人」 is inclusive (民法典 §1259): exactly N is enough."""
    return active < minimum


def period_for(per_year: int) -> tuple[Period, int] | None:
    """A yearly count as the shortest calendar period that divides it: 2 → (half year, 1), 4 → (quarter, 1)."""
    if per_year <= 0:
        return None
    if per_year % 4 == 0:
        return Period.QUARTER, per_year // 4
    if per_year % 2 == 0:
        return Period.HALF_YEAR, per_year // 2
    return Period.YEAR, per_year


def exercise_obligation(kind: str, per_year: int, start: dt.date) -> Obligation | None:
    found = period_for(per_year)
    if found is None:
        return None
    period, count = found
    return Obligation(kind, period, count, start, subject="station")


@dataclass(frozen=True)
class Times:
    """The first-minutes moments of an incident (aware datetimes)."""

    reported_at: dt.datetime
    onsite_at: dt.datetime | None = None
    subdistrict_at: dt.datetime | None = None
    occurred_at: dt.datetime | None = None


def check_times(t: Times, now: dt.datetime) -> list[UserError]:
    """Every impossible moment, each next to its field: in the future, on site before the report …"""
    out: list[UserError] = []
    if t.reported_at > now:
        out.append(UserError("The report time cannot be in the future.", field="reported_at"))
    if t.occurred_at is not None and t.occurred_at > t.reported_at:
        out.append(UserError("The incident cannot have happened after it was reported.", field="occurred_at"))
    for fld, when in (("onsite_at", t.onsite_at), ("subdistrict_at", t.subdistrict_at)):
        if when is None:
            continue
        if when > now:
            out.append(UserError("This time cannot be in the future.", field=fld))
        elif when < t.reported_at:
            out.append(UserError("This time is before the incident was reported.", field=fld))
    return out


def met(start: dt.datetime, done: dt.datetime | None, rule: ClockRule) -> bool | None:
    """On time (≤ the limit, inclusive), late, or None while not done."""
    if done is None:
        return None
    return done - start <= rule.duration()


def current_entries(entries: Iterable[tuple[str, str | None]]) -> set[str]:
    """The ids of timeline entries that no later entry corrects: (id, corrects_id) pairs."""
    pairs = list(entries)
    replaced = {c for _i, c in pairs if c}
    return {i for i, _c in pairs if i not in replaced}


# --- files attached to drill and training records (photos, sign-in sheets) ------------------------------
# The content travels with sync in parts (one synced row each), so a file reaches every station and the hub.
FILE_OWNERS = ("exercise",)
FILE_KINDS = ("photo", "sign_in", "other")
FILE_KIND_ZH = {"photo": "照片", "sign_in": "签到表", "other": "其他"}
FILE_KIND_MSGIDS = {"photo": "Photo", "sign_in": "Sign-in sheet", "other": "Other file"}
MAX_FILE_BYTES = 10 * 1024 * 1024        # per file: a phone photo fits; bigger images are scaled down first
FILE_PART_BYTES = 256 * 1024             # raw bytes per synced part (≈ 350 KB as base64 text)
MAX_FILE_PARTS = -(-MAX_FILE_BYTES // FILE_PART_BYTES)
IMAGE_MAX_SIDE = 3000                    # an image over the cap is scaled to this longest side (JPEG q 90)


def check_file(name: str, size: int) -> list[UserError]:
    """A file to attach: a name, not empty, not over the cap (next to the files field)."""
    out: list[UserError] = []
    if not name.strip() or len(name) > 200:
        out.append(UserError("The file needs a name of at most 200 characters.", field="attachments"))
    if size <= 0:
        out.append(UserError("The file {name} is empty.", field="attachments", name=name))
    elif size > MAX_FILE_BYTES:
        out.append(UserError("The file {name} is {mb} MB; at most {max} MB can be attached.", field="attachments",
                             name=name, mb=round(size / 1048576, 1), max=MAX_FILE_BYTES // 1048576))
    return out
