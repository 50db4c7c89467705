"""应急管理: the emergency module's page."""

from shequ_desktop.ui.emergency.page import EmergencyPage

__all__ = ["EmergencyPage"]
