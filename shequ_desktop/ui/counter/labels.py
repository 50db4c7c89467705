"""Words and small formatters shared by the counter widgets (English msgids, translated when shown)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QColor

from shequ_desktop.i18n import N_, _

# Material check results, in the order the clerk meets them ("" = not checked yet).
MATERIAL_STATE_LABELS = (("", N_("Not checked")), ("provided", N_("Received")), ("missing", N_("Missing")),
                         ("wrong", N_("Not as required")), ("inconsistent", N_("Inconsistent")),
                         ("not_applicable", N_("Not applicable")))
SUPPLEMENT_STATES = frozenset({"missing", "wrong", "inconsistent"})

EVENT_LABELS = {
    "received": N_("Application received"), "notice_given": N_("One-time notice given"),
    "materials": N_("Materials checked"), "accepted": N_("Accepted"),
    "supplement_requested": N_("Supplement requested"), "supplement_received": N_("Supplement received"),
    "supplement_extended": N_("Supplement deadline extended"), "reviewed": N_("Initial review done"),
    "reported": N_("Reported to the sub-district"), "completed": N_("Completed"),
    "completed_on_spot": N_("Completed on the spot"), "refused": N_("Refused"), "returned": N_("Returned"),
    "withdrawn": N_("Withdrawn")}

# Case states as the screens name them (the services' STATUS_LABELS are the Chinese words of the papers).
STATUS_MSGIDS = {
    "intake": N_("Receiving"), "awaiting_supplement": N_("Awaiting supplement"),
    "accepted": N_("Accepted (in review)"), "reviewed": N_("Review done"),
    "reported": N_("Reported to the sub-district"), "completed": N_("Completed"),
    "completed_on_spot": N_("Completed on the spot"), "returned": N_("Returned"),
    "refused": N_("Refused"), "withdrawn": N_("Withdrawn")}
SEX_MSGIDS = {"M": N_("male"), "F": N_("female"), "男": N_("male"), "女": N_("female")}

# Calm tints for list rows and the status chip; text stays dark for contrast.
AMBER = QColor("#fff1c7")
RED = QColor("#fbd5d5")
GREEN = QColor("#dcf2e3")
GREY = QColor("#eceff3")
PROBLEM_TEXT = QColor("#a12622")


def status_label(status: str) -> str:
    return _(STATUS_MSGIDS[status]) if status in STATUS_MSGIDS else status


def sex_label(sex: str) -> str:
    """"M"/"F" or the stored 男/女 in the screen's language."""
    return _(SEX_MSGIDS[sex]) if sex in SEX_MSGIDS else sex


def state_label(state: str) -> str:
    return _(dict(MATERIAL_STATE_LABELS).get(state, state))


def event_label(kind: str) -> str:
    return _(EVENT_LABELS[kind]) if kind in EVENT_LABELS else kind


def due_text(day: dt.date | None, provisional: bool) -> str:
    """'2026-12-02', with （暂定） when the calendar of that year is not published yet."""
    if day is None:
        return "—"
    return day.isoformat() + (_("(provisional)") if provisional else "")


def days_left_text(left: int | None, overdue: bool) -> str:
    if overdue:
        return _("Overdue")
    if left is None:
        return "—"
    return _("Due today") if left <= 0 else str(left)


def short_time(moment: dt.datetime) -> str:
    from shequ_desktop.domain.clock import to_local
    return to_local(moment).strftime("%m-%d %H:%M")
