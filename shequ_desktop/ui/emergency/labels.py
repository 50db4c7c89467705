"""Words of the emergency module in the user's language, and the live clock texts."""

from __future__ import annotations

import datetime as dt

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.clock import to_local
from shequ_desktop.i18n import N_, _
from shequ_desktop.ui.special_groups import labels as sg_labels


def grade(code: str) -> str:
    return _(e.GRADE_MSGIDS.get(code, code))


def member_kind(code: str) -> str:
    return _(e.MEMBER_KIND_MSGIDS.get(code, code))


def team_role(code: str) -> str:
    return _(e.TEAM_ROLE_MSGIDS.get(code, code))


def skill(code: str) -> str:
    return _(e.SKILL_MSGIDS.get(code, code))


def availability(code: str) -> str:
    return _(e.AVAILABILITY_MSGIDS.get(code, code))


def member_status(code: str) -> str:
    return _(e.MEMBER_STATUS_MSGIDS.get(code, code))


def report_how(code: str) -> str:
    return _(e.REPORT_HOW_MSGIDS.get(code, code))


def channel(code: str | None) -> str:
    return _(e.CHANNEL_MSGIDS[code]) if code in e.CHANNEL_MSGIDS else ""


def entry_kind(code: str) -> str:
    return _(e.ENTRY_MSGIDS.get(code, code))


def check_state(code: str) -> str:
    return _(e.CHECK_MSGIDS.get(code, code))


def exercise_kind(code: str) -> str:
    return _(e.EXERCISE_MSGIDS.get(code, code))


def flags(groups: tuple[str, ...], codes: tuple[str, ...]) -> str:
    """残疾人、独居 / Disabled, Lives alone — the vulnerable person's groups (disabled, child) and flags."""
    words = [_(sg_labels.GROUP[g]) for g in groups if g in ("disabled", "child") and g in sg_labels.GROUP]
    words += [_(sg_labels.FLAG[c]) for c in codes if c in sg_labels.FLAG]
    return sg_labels.join(words)


def hm(when: dt.datetime | None) -> str:
    return "—" if when is None else f"{to_local(when):%m-%d %H:%M}"


def clock_text(due: dt.datetime, done: dt.datetime | None, start: dt.datetime, now: dt.datetime) -> tuple[str, str]:
    """(text, colour) of a first-minutes clock: counting down, met after N min, or late by N min."""
    if done is not None:
        minutes = int((done - start).total_seconds() // 60)
        if done <= due:
            return _("done after {m} min").format(m=minutes), "#1e8449"
        return _("done after {m} min (late)").format(m=minutes), "#c0392b"
    left = int((due - now).total_seconds())
    if left >= 0:
        return _("{m}:{s:02d} left").format(m=left // 60, s=left % 60), "#b9770e" if left < 120 else "#1f618d"
    late = -left
    return _("{m}:{s:02d} over").format(m=late // 60, s=late % 60), "#c0392b"


# The domain's English message ids (the domain cannot import i18n): marked here so Babel extracts them.
_DOMAIN_MSGIDS = (
    N_("Especially major"), N_("Major"), N_("Larger"), N_("General"),
    N_("Social worker"), N_("Property staff"), N_("Volunteer"),
    N_("Commander"), N_("Deputy commander"), N_("Liaison"), N_("Evacuation"), N_("Rescue"), N_("First aid"),
    N_("Logistics"), N_("Member"), N_("Fire equipment"), N_("Driving"), N_("Electrician"), N_("Counselling"),
    N_("Radio"), N_("Any time"), N_("On working days"), N_("Evenings"), N_("Weekends"),
    N_("Called"), N_("On the way"), N_("On site"), N_("Stood down"),
    N_("By telephone"), N_("Walk-in"), N_("Patrol"), N_("Hotline"), N_("Alarm system"), N_("Other"),
    N_("Phone"), N_("Government WeChat"), N_("Reporting system"), N_("In person"),
    N_("Reported"), N_("Grid worker on site"), N_("Reported to the subdistrict"), N_("Further step"),
    N_("Checklist item done"), N_("Person checked"), N_("Team member status"), N_("Note"), N_("Incident closed"),
    N_("Not checked yet"), N_("Reached"), N_("Safe"), N_("Needs help"), N_("Evacuated"),
    N_("Comprehensive drill"), N_("Specialised training"), N_("Photo"), N_("Sign-in sheet"), N_("Other file"),
    N_("This month"), N_("Last month"), N_("This quarter"), N_("Last quarter"), N_("This half-year"),
    N_("Last half-year"), N_("This year"), N_("Previous year"), N_("From … to …"),
)


def file_kind(code: str) -> str:
    return _(e.FILE_KIND_MSGIDS.get(code, code))
