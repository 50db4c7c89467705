"""Admin pages for the station chief and the administrator: calendar, policy profile, audit log."""

from shequ_desktop.ui.admin.audit_page import AuditPage
from shequ_desktop.ui.admin.calendar_page import CalendarPage
from shequ_desktop.ui.admin.policy_page import PolicyPage
from shequ_desktop.ui.admin.users_page import UsersPage

__all__ = ["AuditPage", "CalendarPage", "PolicyPage", "UsersPage"]
