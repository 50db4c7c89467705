"""考核指标 (R32–R36): the five indicators' keys and the period they are computed for.

A period is a month (``2026-11``), a quarter (``2026Q4``) or a year (``2026``); its days run from
``start`` to ``end`` inclusive. The figures themselves are :class:`~shequ_desktop.domain.indicators.Indicator`
instances built by ``services/kpi.py``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from shequ_desktop.domain.errors import UserError

ON_TIME = "on_time"                            # R32 按时办结率 (counter)
FEEDBACK_24H = "feedback_24h"                  # R33 一般问题24小时内反馈 (work orders)
ONSITE_30MIN = "onsite_30min"                  # R34 紧急问题30分钟内到场 (work orders)
MEDIATION_SUCCESS = "mediation_success"        # R35 调解成功率
SPECIAL_SATISFACTION = "special_satisfaction"  # R36 特殊群体服务满意度
KEYS = (ON_TIME, FEEDBACK_24H, ONSITE_30MIN, MEDIATION_SUCCESS, SPECIAL_SATISFACTION)
# The policy setting that holds each indicator's target (percent).
TARGET_SETTINGS = {ON_TIME: "on_time_rate_pct", FEEDBACK_24H: "feedback_rate_pct", ONSITE_30MIN: "arrival_rate_pct",
                   MEDIATION_SUCCESS: "mediation_success_pct", SPECIAL_SATISFACTION: "special_group_satisfaction_pct"}
# Printed (always Chinese) names of the indicators.
TITLES_ZH = {ON_TIME: "服务事项按时办结率", FEEDBACK_24H: "一般问题24小时内反馈率", ONSITE_30MIN: "紧急问题30分钟内到场率",
             MEDIATION_SUCCESS: "矛盾纠纷调解成功率", SPECIAL_SATISFACTION: "特殊群体服务满意度"}
# Printed words for the records credited to nobody (a work order never dispatched is not a survey of a file
# without a responsible worker).
NOBODY_ZH = {ON_TIME: "未指定经办人", FEEDBACK_24H: "未派单", ONSITE_30MIN: "未派单", MEDIATION_SUCCESS: "未指定调解员",
             SPECIAL_SATISFACTION: "未指定责任人"}

MSG_BAD_PERIOD = "Unknown period {period}: write a year (2026), a quarter (2026Q4) or a month (2026-11)."
_PERIOD_RE = re.compile(r"^\s*(\d{4})(?:\s*[Qq]([1-4])|-(\d{1,2}))?\s*$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str            # "year" / "quarter" / "month"
    number: int = 0      # the quarter (1–4) or month (1–12); 0 for a year

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2026``, ``2026Q4`` or ``2026-11``; anything else is a UserError (field ``period``)."""
        match = _PERIOD_RE.match(text or "")
        if match is None or not 1900 <= int(match.group(1)) <= 2999:
            raise UserError(MSG_BAD_PERIOD, field="period", period=text)
        year, quarter, month = int(match.group(1)), match.group(2), match.group(3)
        if quarter:
            return cls(year, "quarter", int(quarter))
        if month:
            if not 1 <= int(month) <= 12:
                raise UserError(MSG_BAD_PERIOD, field="period", period=text)
            return cls(year, "month", int(month))
        return cls(year, "year")

    @classmethod
    def containing(cls, day: dt.date, kind: str) -> Period:
        if kind == "month":
            return cls(day.year, "month", day.month)
        if kind == "quarter":
            return cls(day.year, "quarter", (day.month - 1) // 3 + 1)
        return cls(day.year, "year")

    @property
    def start(self) -> dt.date:
        if self.kind == "month":
            return dt.date(self.year, self.number, 1)
        if self.kind == "quarter":
            return dt.date(self.year, 3 * self.number - 2, 1)
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        last = self.month_numbers()[-1]
        nxt = dt.date(self.year + 1, 1, 1) if last == 12 else dt.date(self.year, last + 1, 1)
        return nxt - dt.timedelta(days=1)

    def month_numbers(self) -> list[int]:
        if self.kind == "month":
            return [self.number]
        if self.kind == "quarter":
            return [3 * self.number - 2, 3 * self.number - 1, 3 * self.number]
        return list(range(1, 13))

    def months(self) -> list[Period]:
        """The months of the period, in order (the trend chart's points)."""
        return [Period(self.year, "month", m) for m in self.month_numbers()]

    def text(self) -> str:
        """The canonical spelling: 2026, 2026Q4, 2026-11."""
        if self.kind == "month":
            return f"{self.year}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year}Q{self.number}"
        return str(self.year)

    def text_zh(self) -> str:
        """As printed: 2026年, 2026年第四季度, 2026年11月."""
        if self.kind == "month":
            return f"{self.year}年{self.number}月"
        if self.kind == "quarter":
            return f"{self.year}年第{'一二三四'[self.number - 1]}季度"
        return f"{self.year}年"

    def previous(self) -> Period:
        if self.kind == "year":
            return Period(self.year - 1, "year")
        top = 12 if self.kind == "month" else 4
        return Period(self.year - 1, self.kind, top) if self.number == 1 else Period(self.year, self.kind, self.number - 1)


def month_key(day: dt.date) -> str:
    """The group key of a record's month: ``2026-11``."""
    return f"{day.year}-{day.month:02d}"
