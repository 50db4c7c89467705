"""矛盾调解: the dispute mediation module's pages."""

from shequ_desktop.ui.mediation.page import MediationPage

__all__ = ["MediationPage"]
