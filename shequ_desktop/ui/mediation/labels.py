"""Words of the mediation module in the user's language, and the live countdown text."""

from __future__ import annotations

import datetime as dt

from shequ_desktop.domain import mediation as m
from shequ_desktop.domain.clocks import split_left
from shequ_desktop.i18n import N_, _


def level(code: str) -> str:
    return _(m.LEVEL_MSGIDS.get(code, code))


def kind(code: str) -> str:
    return _(m.KIND_MSGIDS.get(code, code))


def source(code: str) -> str:
    return _(m.SOURCE_MSGIDS.get(code, code))


def state(code: str) -> str:
    return _(m.STATE_MSGIDS.get(code, code))


def clock_kind(code: str) -> str:
    return _(m.CLOCK_MSGIDS[code]) if code in m.CLOCK_MSGIDS else ""


def countdown(due: dt.datetime | None, now: dt.datetime, paused: bool = False, provisional: bool = False) -> str:
    """"3 d 4 h left" / "2 h 5 min overdue" / "paused"; "—" when no clock runs."""
    if due is None:
        return "—"
    if paused:
        return _("paused")
    left = due - now
    days, hours, minutes = split_left(left)
    if days:
        span = _("{d} d {h} h").format(d=days, h=hours)
    elif hours:
        span = _("{h} h {m} min").format(h=hours, m=minutes)
    else:
        span = _("{m} min").format(m=minutes)
    text = _("{span} left").format(span=span) if left.total_seconds() >= 0 else _("{span} overdue").format(span=span)
    return text + (" " + _("(provisional)") if provisional else "")


# The domain's English message ids (the domain cannot import i18n): marked here so Babel extracts them.
_DOMAIN_MSGIDS = (
    N_("Grid"), N_("Community"), N_("Subdistrict"),
    N_("Neighbours"), N_("Property management"), N_("Family"), N_("Landlord and tenant"), N_("Debt"), N_("Labour"),
    N_("Other"), N_("Patrol"), N_("Walk-in"), N_("Hotline"), N_("Work order"),
    N_("In mediation"), N_("Settled (written agreement)"), N_("Settled (oral agreement)"), N_("Mediation failed"),
    N_("Party refused mediation"), N_("Settle on the spot"), N_("Hold the deliberation council"),
    N_("Report to the subdistrict"), N_("Performed"), N_("Partly performed"), N_("Not performed"),
)
