"""shequ-admin kpi: the five KPI figures of a period (R32–R36).

``kpi --period PERIOD`` (PERIOD ``2026``, ``2026Q4`` or ``2026-11``) prints one line per indicator, in the
order on_time, feedback_24h, onsite_30min, mediation_success, special_satisfaction:
``KEY<TAB>PERCENT<TAB>NUMERATOR/DENOMINATOR<TAB>TARGET<TAB>met|missed`` — PERCENT with one decimal,
TARGET the policy's percent; an indicator without records in the period prints ``-`` as its percent
and its verdict. A period that is not one of the three forms is an error (exit 2).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from shequ_desktop.i18n import _


def cmd_kpi(args: argparse.Namespace, make_ctx: Callable[[argparse.Namespace], Any]) -> int:
    from shequ_desktop.domain.kpi import Period
    from shequ_desktop.services import kpi
    period = Period.parse(args.period)          # a bad period fails before the database is opened
    for line in kpi.compute(make_ctx(args), period).lines():
        print(line)
    return 0


def add_parser(sub: Any, make_ctx: Callable[[argparse.Namespace], Any]) -> None:
    kp = sub.add_parser("kpi", help=_("the five KPI figures of a period, one line each"))
    kp.add_argument("--period", required=True, help=_("2026 (year), 2026Q4 (quarter) or 2026-11 (month)"))
    kp.set_defaults(func=lambda a: cmd_kpi(a, make_ctx))
