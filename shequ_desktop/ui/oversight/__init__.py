"""考核监督: the assessment and oversight page (KPI dashboard; other oversight tabs join through add_tab)."""

from shequ_desktop.ui.oversight.page import OversightPage

__all__ = ["OversightPage"]
