"""Translatable names of the special-group codes (the domain keeps the Chinese data labels for papers)."""

from __future__ import annotations

from shequ_desktop.i18n import N_, _, current_language

GROUP = {"elderly": N_("Elderly"), "disabled": N_("Disabled"), "child": N_("Child in difficulty")}
FLAG = {"alone": N_("Lives alone"), "dependent": N_("Dependent"), "empty_nest": N_("Empty nest"),
        "severe": N_("Severely disabled"), "low_income": N_("Minimum allowance"), "high_risk": N_("High risk")}
NEED = {"medical": N_("Medical care"), "meals": N_("Meals"), "cleaning": N_("Cleaning"), "repair": N_("Home repair"),
        "rehab": N_("Home rehabilitation"), "device": N_("Assistive device"), "psych": N_("Counselling"),
        "study": N_("Tutoring"), "allowance": N_("Allowance application"), "other": N_("Other need")}
TASK = {"call": N_("Phone call"), "visit": N_("Home visit"), "assessment": N_("Needs assessment"),
        "support": N_("Tutoring/counselling"), "review": N_("File review")}
CONTACT = {"call": N_("Phone call"), "visit": N_("Home visit"), "session": N_("Tutoring or counselling"),
           "other": N_("Other contact")}
OUTCOME = {"reached": N_("Reached"), "not_reached": N_("Not reached"), "refused": N_("Declined")}
ROLE = {"worker": N_("Social worker"), "volunteer": N_("Volunteer"), "family": N_("Family contact"),
        "teacher": N_("Teacher"), "psychologist": N_("Psychologist"), "coordinator": N_("Rehabilitation coordinator"),
        "guardian": N_("Guardian")}
STATE = {"not_due": N_("Not yet due"), "due": N_("Due"), "overdue": N_("Overdue"), "done": N_("Done"),
         "cancelled": N_("Cancelled")}
CLOSE_REASON = {"moved": N_("Moved away"), "deceased": N_("Deceased"), "ineligible": N_("No longer eligible"),
                "other": N_("Other")}
CHILD_KIND = {"orphan": N_("Orphan"), "no_care": N_("No one caring in fact"), "poverty": N_("Family in hardship"),
              "disabled": N_("Child with a disability"), "left_behind": N_("Left-behind child"),
              "other": N_("Other difficulty")}
SURVEY_METHOD = {"phone": N_("By phone"), "visit": N_("On a visit"), "questionnaire": N_("Questionnaire")}
SCORE = {1: N_("Very dissatisfied"), 2: N_("Dissatisfied"), 3: N_("Neutral"), 4: N_("Satisfied"),
         5: N_("Very satisfied")}
PROPOSAL_OP = {"add": N_("Add"), "change": N_("Change"), "remove": N_("Remove")}
CELL = {"done": "✓", "open": "○", "late": "✗", "": ""}
# The task kind that a contact of each kind resolves (for the record form's default).
CONTACT_FOR_TASK = {"call": "call", "visit": "visit", "support": "session", "assessment": "visit", "review": "other"}
RED = "#b3261e"


def join(parts: list[str] | tuple[str, ...]) -> str:
    """A list in the user's language: 独居、失能 in Chinese, "Lives alone, Dependent" in English."""
    return ("、" if current_language() == "zh_CN" else ", ").join(parts)


def flags_text(codes: tuple[str, ...] | list[str]) -> str:
    return join([_(FLAG[c]) for c in codes if c in FLAG]) if codes else ""


def state_text(state: str, days_late: int) -> str:
    if state == "overdue":
        return _("Late {n} d").format(n=days_late)
    return _(STATE.get(state, state))
