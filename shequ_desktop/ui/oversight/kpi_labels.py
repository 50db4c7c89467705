"""Screen words of the KPI dashboard: indicator names, and what a record's detail says."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

from shequ_desktop.domain import kpi as k
from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.indicators import IndicatorRecord
from shequ_desktop.i18n import N_, _
from shequ_desktop.services import worker_refs
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


# Records credited to nobody, in each indicator's own words: only a work order is "not dispatched".
NOBODY = {k.ON_TIME: N_("No case owner"), k.FEEDBACK_24H: N_("(not dispatched)"),
          k.ONSITE_30MIN: N_("(not dispatched)"), k.MEDIATION_SUCCESS: N_("No mediator"),
          k.SPECIAL_SATISFACTION: N_("No responsible worker")}


def nobody_text(key: str) -> str:
    return _(NOBODY[key])


def worker_text(key: str, record: IndicatorRecord, names: Mapping[str, str] | None = None) -> str:
    """Who the record is credited to: the workers' labels by login (a name alone could be two people)."""
    logins = worker_refs.logins_of(record.detail)  # type: ignore[arg-type]
    if logins:
        return "、".join((names or {}).get(x, x) for x in logins)
    names_only = [n for n in (record.detail.get("owners") or (record.owner,)) if n]
    return "、".join(names_only) if names_only else nobody_text(key)


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
        text = _(SCORES[score]) if score in SCORES else ""
        if d.get("surveyor"):       # credited to the file's worker; who asked stays visible
            text += " · " + _("surveyed by {name}").format(name=d["surveyor"])
        return text
    return ""
