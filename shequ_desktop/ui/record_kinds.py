"""Record kinds in the reader's words: every synced table (the sync conflicts page, the changes the hub
returned) and every other kind of record the audit log names.

A new synced model or audit entry kind needs its label here: tests/unit/test_record_kind_labels.py
checks every table of ``SYNCED_MODELS`` and every kind passed to ``services.audit`` against these maps and
both catalogs. Message ids are specific on purpose ("Hotline complaint", not "Complaint"): a short
word already used elsewhere may carry another translation.
"""

from __future__ import annotations

from shequ_desktop.i18n import N_, _

# One label per synced table (persistence/models.py SYNCED_MODELS, and the hub's sync_conflict).
RECORD_KINDS: dict[str, str] = {
    "community": N_("Community"), "grid": N_("Grid"), "building": N_("Building"), "household": N_("Household"),
    "resident": N_("Resident"), "post_assignment": N_("AB post assignment"), "absence": N_("Staff absence"),
    "service_item": N_("Service"), "counter_case": N_("Case"), "case_event": N_("Case step"),
    "printed_document": N_("Printed document"), "work_order": N_("Residents' request record"),
    "work_order_event": N_("Work order step"), "document_void": N_("Voided document"),
    "sync_conflict": N_("Sync conflict record"),
    # special groups
    "sg_file": N_("Special-group file"), "sg_file_event": N_("Special-group file history"),
    "sg_roster": N_("Roster member"), "sg_contact": N_("Special-group contact"),
    "sg_assessment": N_("Needs assessment"), "sg_review": N_("Special-group quarterly review"),
    "sg_package": N_("Service package"), "sg_follow_up": N_("Special-group follow-up"),
    "sg_survey": N_("Satisfaction survey"),
    # grid patrol, mediation, meetings
    "patrol_entry": N_("Patrol"), "mediation_case": N_("Mediation case record"),
    "mediation_party": N_("Mediation party"), "mediation_session": N_("Mediation session record"),
    "mediation_escalation": N_("Mediation escalation"), "mediation_agreement": N_("Mediation agreement record"),
    "mediation_followup": N_("Agreement follow-up visit"), "meeting": N_("Meeting record"),
    "meeting_invitee": N_("Meeting invitee"),
    # emergency management
    "em_plan": N_("Emergency plan record"), "em_member": N_("Emergency team member"),
    "em_incident": N_("Emergency incident"), "em_entry": N_("Incident timeline entry"),
    "em_task": N_("Incident checklist item"), "em_check": N_("Vulnerable resident check"),
    "em_exercise": N_("Drill or training record"), "em_attendance": N_("Drill attendance"),
    "em_file": N_("Drill attachment"), "em_file_part": N_("Drill attachment part"),
    # assessment and oversight
    "survey": N_("Questionnaire"), "survey_response": N_("Questionnaire answer"),
    "evaluation": N_("Dual evaluation record"), "evaluation_item": N_("Subdistrict assessment item"),
    "supervision_committee": N_("Supervision committee record"), "committee_member": N_("Supervision committee member"),
    "inspection": N_("Committee inspection"), "complaint": N_("Hotline complaint"),
    "staff_rating": N_("Annual rating"), "resident_ranking": N_("Residents' ranking entry"),
    "honour_title": N_("Honour title record"),
    # staff identity
    "staff_member": N_("Staff directory entry"),
}

# Kinds the audit log names that are not synced tables (services/audit.py callers).
AUDIT_KINDS: dict[str, str] = {
    "calendar": N_("Work calendar"), "policy_version": N_("Policy version"), "user": N_("User account"),
    "app_user": N_("User account"), "case": N_("Case"), "database": N_("Database"), "setting": N_("Setting"),
    "station": N_("Station settings"), "sync": N_("Sync"), "backup": N_("Backup"),
    "diagnostics": N_("Diagnostics"), "emergency_kit": N_("Emergency kit"),
    "sg_field_sheet": N_("Field visit sheet"), "sg_volunteer_sheet": N_("Volunteer sheet"),
    "sg_file_review": N_("Review worksheet"),
}


def record_kind_text(kind: str) -> str:
    """The record kind in the current language (the raw kind only for one this program does not know)."""
    label = RECORD_KINDS.get(kind) or AUDIT_KINDS.get(kind)
    return _(label) if label else kind
