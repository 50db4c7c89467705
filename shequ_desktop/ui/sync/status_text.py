"""The sync state in plain words for the status bar ("Cannot reach the subdistrict server (last success …)")."""

from __future__ import annotations

import datetime as dt

from shequ_desktop.domain import messages
from shequ_desktop.domain.clock import to_local
from shequ_desktop.i18n import _, ngettext
from shequ_desktop.services.sync import SyncStatus

# Problems written by services/sync.py and sync/client.py, recognised by how they start.
_UNREACHABLE = ("The hub cannot", "The hub did not", "The hub has a", "The hub's certificate")
_REFUSED = ("The hub refused this workstation",)
_CREDENTIAL_MISSING = ("The hub credential of this workstation is missing",)


def short_time(when: dt.datetime | None) -> str:
    return f"{to_local(when):%m-%d %H:%M}" if when is not None else ""


def problem_text(st: SyncStatus) -> tuple[str, str]:
    """(text, kind) for the status bar; kind is info / warn / error; ("", "info") when all is well."""
    if not st.configured:
        return _("Not connected to the subdistrict platform (single-machine mode)"), "info"
    problem = st.problem or ""
    if problem.startswith(_UNREACHABLE) or st.online is False:
        if st.last_success_at is not None:
            text = _("Cannot reach the subdistrict server (last success {time})").format(
                time=short_time(st.last_success_at))
        else:
            text = _("Cannot reach the subdistrict server (never synced yet)")
        if problem.startswith("The hub's certificate"):
            text = _("The subdistrict server's certificate is not trusted; check the CA file in sync settings")
        return text, "warn"
    if problem.startswith(_REFUSED):
        return _("The subdistrict server refused this workstation's credential; enter it again in sync settings"), \
            "error"
    if problem.startswith(_CREDENTIAL_MISSING):
        return _("The subdistrict credential is missing; enter it again in sync settings"), "error"
    if st.quarantined:
        return ngettext("{n} change was returned by the subdistrict server; the station chief must handle it",
                        "{n} changes were returned by the subdistrict server; the station chief must handle them",
                        st.quarantined).format(n=st.quarantined), "error"
    if st.open_conflicts:
        return ngettext("{n} conflicting edit waits for the station chief",
                        "{n} conflicting edits wait for the station chief",
                        st.open_conflicts).format(n=st.open_conflicts), "warn"
    if problem:
        return messages.render(st.problem_detail or problem, _, ngettext), "warn"
    return "", "info"
