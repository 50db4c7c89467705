"""Policy profile: every number of the regulation as a setting, defaulting to the regulation.

Sub-districts tighten or relax numbers locally, so nothing in the app hard-codes them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from shequ_desktop.domain.errors import UserError, ValidationErrors

Value = int | float | str | bool


@dataclass(frozen=True)
class PolicySetting:
    key: str
    label: str  # Chinese label for the settings screen
    rule: str  # regulation rule id (R13) or DOMAIN section for app settings
    default: Value
    unit: str  # working_days|hours|minutes|percent|count|per_week|per_month|per_year|years|months|days|yuan|time|ratio|text
    minimum: float | None = None
    maximum: float | None = None
    help: str = ""
    choices: tuple[str, ...] = ()  # for text settings with a fixed set of answers


def _s(key: str, label: str, rule: str, default: Value, unit: str,
       lo: float | None = None, hi: float | None = None, help: str = "",
       choices: tuple[str, ...] = ()) -> PolicySetting:
    return PolicySetting(key, label, rule, default, unit, lo, hi, help, choices)


SETTINGS: tuple[PolicySetting, ...] = (
    _s("households_per_representative", "每名居民代表对应户数", "R04", 50, "count", 1, 1000, "居民代表按每N户1名产生，名额向上取整"),
    _s("major_matter_ratio", "重大事项通过比例", "R05", "2/3", "ratio", help="同意票达到该比例（含本数）即通过"),
    _s("major_matter_denominator", "重大事项表决基数", "R05", "seated", "text", help="全体在任代表，或出席代表", choices=("seated", "present")),
    _s("social_workers_min", "专职社工人数下限", "R07", 6, "count", 0, 100, "低于下限时提示人员不足"),
    _s("social_workers_max", "专职社工人数上限", "R07", 8, "count", 0, 100, "高于上限时提示超编"),
    _s("households_per_worker_min", "每名社工服务户数下限", "R08", 300, "count", 1, 10000, "按每300–500户配置1名社工"),
    _s("households_per_worker_max", "每名社工服务户数上限", "R08", 500, "count", 1, 10000, "按每300–500户配置1名社工"),
    _s("complex_review_wd", "复杂事项初审时限", "R13", 5, "working_days", 1, 60, "受理次日起算的第N个工作日下班前完成初审并上报街道"),
    _s("supplement_deadline_wd", "补正材料期限", "R14", 3, "working_days", 1, 3, "给居民补正材料的期限，最长不超过3个工作日"),
    _s("notice_issue_deadline_wd", "补正通知出具时限", "R14", 0, "working_days", 0, 3, "0表示当场出具书面补正通知"),
    _s("file_review_months", "特殊群体档案更新周期", "R16", 3, "months", 1, 12, "每季度至少更新1次档案"),
    _s("phone_calls_per_week", "每周电话关怀次数", "R19", 1, "per_week", 0, 14, "老年人每周至少电话关怀次数"),
    _s("visits_per_month", "每月上门探访次数", "R20", 1, "per_month", 0, 31, "老年人每月至少上门探访次数"),
    _s("disability_assessment_months", "残疾人需求评估周期", "R22", 6, "months", 1, 24, "每半年评估1次需求"),
    _s("child_sessions_per_month", "困境儿童每月帮扶次数", "R23", 2, "per_month", 0, 31, "每月课业辅导或心理疏导次数"),
    _s("onspot_mediation_hours", "当场调解办结时限", "R26", 24, "hours", 1, 168, "自受理时刻起连续计算，不扣除夜间和节假日"),
    _s("council_wd", "居民议事会召集时限", "R27", 3, "working_days", 1, 30, "多主体矛盾在第N个工作日内组织议事会"),
    _s("complex_dispute_wd", "复杂矛盾上报时限", "R29", 5, "working_days", 1, 30, "复杂矛盾在第N个工作日内上报街道"),
    _s("patrol_check_days", "巡查日志检查口径", "R25", "working", "text", help="每个工作日应有巡查记录，或每个自然日", choices=("working", "calendar")),
    _s("subdistrict_weight_pct", "街道考核权重", "R30", 40.0, "percent", 0, 100, "与居民评价权重之和须为100"),
    _s("resident_weight_pct", "居民评价权重", "R30", 60.0, "percent", 0, 100, "与街道考核权重之和须为100"),
    _s("evaluation_coverage_pct", "居民评价覆盖率下限", "R31", 10.0, "percent", 0, 100, "低于此覆盖率不能定稿"),
    _s("evaluation_coverage_base", "覆盖率计算基数", "R31", "persons", "text", help="按登记居民人数，或按户数", choices=("persons", "households")),
    _s("on_time_rate_pct", "按时办结率目标", "R32", 98.0, "percent", 0, 100, "低于目标时仪表盘显示红色"),
    _s("general_response_hours", "一般问题反馈时限", "R33", 24, "hours", 1, 168, "自受理时刻起连续计算"),
    _s("urgent_arrival_minutes", "紧急问题到场时限", "R34", 30, "minutes", 1, 240, "自接报时刻起连续计算"),
    _s("feedback_rate_pct", "一般问题按时反馈率目标", "R33", 100.0, "percent", 0, 100, "24小时内反馈的工单占比，低于目标时仪表盘显示红色"),
    _s("arrival_rate_pct", "紧急问题按时到场率目标", "R34", 100.0, "percent", 0, 100, "30分钟内到场的紧急工单占比，低于目标时仪表盘显示红色"),
    _s("mediation_success_pct", "调解成功率目标", "R35", 90.0, "percent", 0, 100, "成功结案数除以结案总数"),
    _s("special_group_satisfaction_pct", "特殊群体满意度目标", "R36", 95.0, "percent", 0, 100, "满意与非常满意占有效评价的比例"),
    _s("supervisory_members", "居务监督委员会人数", "R37", 3, "count", 1, 15, "由居民代表组成"),
    _s("supervisory_term_years", "居务监督委员会任期", "R37", 5, "years", 1, 10, "与居委会任期同步"),
    _s("complaint_contact_minutes", "投诉联系当事人时限", "R40", 60, "minutes", 1, 1440, "接到投诉后连续计算"),
    _s("complaint_feedback_wd", "投诉处理结果反馈时限", "R41", 3, "working_days", 1, 30, "第N个工作日下班前反馈处理结果"),
    _s("excellent_award_pct", "优秀绩效奖励比例", "R43", 20.0, "percent", 0, 100, "占月工资的百分比"),
    _s("honours_consecutive_years", "优先推荐表彰连续优秀年数", "R44", 2, "years", 1, 10, "连续N年优秀者优先推荐"),
    _s("star_resident_pct", "社区治理之星比例", "R45", 10.0, "percent", 0, 100, "居民评价排名前N%，人数向上取整"),
    _s("star_ranking_rule", "居民评价排名依据", "R45", "score", "text", help="score=居民评价得分，votes=居民投票数", choices=("score", "votes")),
    _s("star_tie_rule", "排名并列处理", "R45", "include", "text", help="include=并列者均入选，exclude=并列超出名额者均不入选，secondary=以另一项指标决定", choices=("include", "exclude", "secondary")),
    _s("cobuilding_years", "共建协议有效期", "R52", 3, "years", 1, 10, "自签订之日起计算"),
    _s("org_experience_years", "社会组织服务经验要求", "R54", 3, "years", 0, 30, "社区服务经验年限（含本数）"),
    _s("elderly_hours_per_month", "养老服务每人每月时长", "R55", 8.0, "hours", 0, 744, "服务合同标准，低于时提示"),
    _s("satisfaction_payment_pct", "按满意度支付比例", "R56", 80.0, "percent", 0, 100, "与按评估结果支付比例之和须为100"),
    _s("evaluation_payment_pct", "按评估结果支付比例", "R56", 20.0, "percent", 0, 100, "与按满意度支付比例之和须为100"),
    _s("five_star_award_yuan", "五星志愿者奖励金额", "R58", 500, "yuan", 0, 100000, "年度星级志愿者评选奖励"),
    _s("hazard_types", "应急预案灾害类别数", "R59", 7, "count", 1, 50, "应急预案覆盖的常见灾害类别数"),
    _s("emergency_team_min", "应急队伍最少人数", "R60", 20, "count", 1, 1000, "不少于N人（含本数）"),
    _s("drills_per_year", "每年综合演练次数", "R61", 2, "per_year", 0, 52, "每半年1次综合演练"),
    _s("trainings_per_year", "每年专项培训次数", "R62", 4, "per_year", 0, 52, "每季度1次专项培训"),
    _s("onsite_minutes", "突发事件到场时限", "R63", 5, "minutes", 1, 120, "网格社工到达现场时限"),
    _s("report_minutes", "突发事件上报时限", "R64", 15, "minutes", 1, 240, "向街道上报时限"),
    _s("emergency_kit_days", "应急包重新打印提醒", "R59", 30, "days", 1, 365, "上次打印应急包超过N天后在状态栏提醒站长"),
    _s("office_close_time", "下班时间", "§2.5", "17:30", "time", help="工作日时限截止于当日下班时间"),
    _s("elderly_age", "老年人年龄标准", "R15", 60, "years", 50, 100, "年满N周岁（含本数）视为老年人"),
    _s("due_soon_wd", "临期提醒提前量", "R48", 1, "working_days", 0, 10, "到期前N个工作日开始提醒"),
    _s("idle_lock_minutes", "无操作自动锁屏", "§7.4", 10, "minutes", 1, 120, "无操作N分钟后锁屏"),
    _s("login_max_failures", "登录失败次数上限", "§7.4", 5, "count", 1, 20, "连续失败达到上限后锁定账号"),
    _s("login_lockout_minutes", "登录锁定时长", "§7.4", 15, "minutes", 1, 1440, "账号锁定的分钟数"),
)

SETTINGS_BY_KEY: Mapping[str, PolicySetting] = MappingProxyType({s.key: s for s in SETTINGS})

_TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_RATIO_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
# Pairs that must add up to 100 and pairs that must stay ordered (min ≤ max).
_SUM_100 = (("subdistrict_weight_pct", "resident_weight_pct"), ("satisfaction_payment_pct", "evaluation_payment_pct"))
_ORDERED = (("social_workers_min", "social_workers_max"), ("households_per_worker_min", "households_per_worker_max"))


def parse_ratio(text: str) -> tuple[int, int]:
    """'2/3' → (2, 3); ValueError unless 0 < numerator ≤ denominator."""
    match = _RATIO_RE.match(text)
    if match is None:
        raise ValueError(text)
    num, den = int(match.group(1)), int(match.group(2))
    if not 0 < num <= den:
        raise ValueError(text)
    return num, den


def _check(setting: PolicySetting, value: Any) -> Value:
    """Return the value in the setting's type or raise UserError(field=key)."""
    key, default = setting.key, setting.default
    bad_type = UserError("This setting needs a {kind} value.", field=key, kind=type(default).__name__)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise bad_type
        return value
    if isinstance(default, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad_type
        if isinstance(default, int) and not isinstance(value, int):
            raise UserError("This setting needs a whole number.", field=key)
        number = float(value) if isinstance(default, float) else value
        if not math.isfinite(number):
            raise bad_type
        if setting.minimum is not None and number < setting.minimum:
            raise UserError("The value must be at least {minimum}.", field=key, minimum=setting.minimum)
        if setting.maximum is not None and number > setting.maximum:
            raise UserError("The value must be at most {maximum}.", field=key, maximum=setting.maximum)
        return number
    if not isinstance(value, str):
        raise bad_type
    text = value.strip()
    if setting.unit == "time" and not _TIME_RE.match(text):
        raise UserError("Enter a time as HH:MM, for example 17:30.", field=key)
    if setting.unit == "ratio":
        try:
            parse_ratio(text)
        except ValueError:
            raise UserError("Enter a fraction such as 2/3.", field=key) from None
    if setting.choices and text not in setting.choices:
        raise UserError("Choose one of: {choices}.", field=key, choices=", ".join(setting.choices))
    return text


def _cross_check(values: Mapping[str, Value], changed: set[str]) -> list[UserError]:
    errors: list[UserError] = []
    for a, b in _SUM_100:
        if float(values[a]) + float(values[b]) != 100.0:
            errors.append(UserError("The two shares must add up to 100.", field=b if b in changed else a))
    for lo, hi in _ORDERED:
        if float(values[lo]) > float(values[hi]):
            errors.append(UserError("The lower limit is above the upper limit.", field=lo if lo in changed else hi))
    return errors


class PolicyProfile:
    """Immutable mapping key → value with every setting present."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, Value]) -> None:
        self._values: Mapping[str, Value] = MappingProxyType(dict(values))

    @classmethod
    def defaults(cls) -> PolicyProfile:
        return cls({s.key: s.default for s in SETTINGS})

    def get(self, key: str) -> Value:
        """Strict: an unknown key is a programming error, so KeyError rather than None."""
        return self._values[key]

    __getitem__ = get

    def int_value(self, key: str) -> int:
        return int(self._values[key])

    def float_value(self, key: str) -> float:
        return float(self._values[key])

    def text_value(self, key: str) -> str:
        return str(self._values[key])

    def ratio(self, key: str = "major_matter_ratio") -> tuple[int, int]:
        return parse_ratio(self.text_value(key))

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PolicyProfile) and dict(self._values) == dict(other._values)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._values.items())))

    def __repr__(self) -> str:
        return f"PolicyProfile({self.changed_from_defaults()!r})"

    def with_changes(self, changes: Mapping[str, Any]) -> PolicyProfile:
        """A new profile; all problems are reported together (ValidationErrors if several)."""
        errors: list[UserError] = []
        values = dict(self._values)
        for key, raw in changes.items():
            setting = SETTINGS_BY_KEY.get(key)
            if setting is None:
                errors.append(UserError("Unknown setting {key}.", field=key, key=key))
                continue
            try:
                values[key] = _check(setting, raw)
            except UserError as exc:
                errors.append(exc)
        if not errors:
            errors = _cross_check(values, set(changes))
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise ValidationErrors(errors)
        return PolicyProfile(values)

    def to_dict(self) -> dict[str, Value]:
        return dict(self._values)

    def changed_from_defaults(self) -> dict[str, Value]:
        return {s.key: self._values[s.key] for s in SETTINGS if self._values[s.key] != s.default}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PolicyProfile:
        """Stored profiles: unknown keys ignored, missing or no-longer-valid values → defaults."""
        values = {s.key: s.default for s in SETTINGS}
        for key, raw in data.items():
            setting = SETTINGS_BY_KEY.get(key)
            if setting is None:
                continue
            try:
                values[key] = _check(setting, raw)
            except UserError:
                continue
        # A broken pair (e.g. weights not adding to 100) falls back to the regulation's pair.
        for pair in _SUM_100 + _ORDERED:
            if _pair_broken(values, pair):
                for k in pair:
                    values[k] = SETTINGS_BY_KEY[k].default
        return cls(values)


def _pair_broken(values: Mapping[str, Value], pair: tuple[str, str]) -> bool:
    a, b = float(values[pair[0]]), float(values[pair[1]])
    return a + b != 100.0 if pair in _SUM_100 else a > b


def passes_ratio(yes: int, base: int, numerator: int = 2, denominator: int = 3) -> bool:
    """「以上」 includes the exact value (民法典 §1259): yes/base ≥ num/den, in integers."""
    if base <= 0:
        return False
    return yes * denominator >= numerator * base


def passes_two_thirds(yes: int, seated: int) -> bool:
    return passes_ratio(yes, seated, 2, 3)


def required_representatives(households: int, per: int = 50) -> int:
    """R04 seats: one per ``per`` households, rounded up (a partial group still gets a seat)."""
    return -(-max(households, 0) // per)


def required_workers(households: int, per_min: int = 300, per_max: int = 500) -> tuple[int, int]:
    """R08 headcount range (fewest, most): households ÷ 500 … households ÷ 300, rounded up."""
    h = max(households, 0)
    return -(-h // per_max), -(-h // per_min)
