"""Screen words of the KPI dashboard: indicator names, and what a record's detail says."""

from __future__ import annotations

import datetime as dt
import math

from shequ_desktop.domain import kpi as k
from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.indicators import IndicatorRecord
from shequ_desktop.i18n import N_, _
from shequ_desktop.ui.counter import labels as counter_labels
from shequ_desktop.ui.mediation import labels as mediation_labels

TITLES = {k.ON_TIME: N_("On-time completion"), k.FEEDBACK_24H: N_("Feedback within 24 h"),
          k.ONSITE_30MIN: N_("On site within 30 min"), k.MEDIATION_SUCCESS: N_("Mediation success"),
          k.SPECIAL_SATISFACTION: N_("Special-group satisfaction")}
SCORES = {1: N_("Very dissatisfied"), 2: N_("Dissatisfied"), 3: N_("Neutral"), 4: N_("Satisfied"),
          5: N_("Very satisfied")}
RED = "#b3261e"


def title(key: str) -> str:
    return _(TITLES[key])


def moment_text(value: object) -> str:
    """A date as 2026-11-25, a time as 2026-11-25 14:05 (Shanghai); nothing as ""."""
    if isinstance(value, dt.datetime):
        return f"{to_local(value):%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return ""


def worker_text(record: IndicatorRecord) -> str:
    names = [n for n in (record.detail.get("owners") or (record.owner,)) if n]
    return "、".join(names) if names else _("(not dispatched)")


def detail_text(key: str, record: IndicatorRecord) -> str:
    """What the record was and how it went, in the user's language (data such as a category stays as entered)."""
    d = record.detail
    done = d.get("done")
    if key == k.ON_TIME:
        return f"{d.get('service', '')} · {counter_labels.status_label(str(d.get('status', '')))}"
    if key in (k.FEEDBACK_24H, k.ONSITE_30MIN):
        if done is None:
            how = _("no feedback recorded") if key == k.FEEDBACK_24H else _("no arrival recorded")
        elif key == k.FEEDBACK_24H:
            how = _("feedback after {n} h").format(n=math.ceil((done - d["received"]).total_seconds() / 3600))
        else:
            how = _("on site after {n} min").format(n=math.ceil((done - d["received"]).total_seconds() / 60))
        return f"{d.get('category', '')} · {how}"
    if key == k.MEDIATION_SUCCESS:
        return mediation_labels.state(str(d.get("state", "")))
    if key == k.SPECIAL_SATISFACTION:
        score = int(d.get("score", 0))
        return _(SCORES[score]) if score in SCORES else ""
    return ""
