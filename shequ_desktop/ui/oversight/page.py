"""考核监督: one page of tabs. The KPI dashboard is the first; other parts of the module (evaluation,
committee, hotline, incentives) plug their tabs in with :meth:`OversightPage.add_tab`."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from shequ_desktop.i18n import N_, _
from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.oversight.kpi_tab import KpiTab
from shequ_desktop.ui.tasks import TaskRunner


class OversightPage(QWidget):
    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self._titles: list[tuple[QWidget, str]] = []
        self.tabs = QTabWidget(self, objectName="oversight_tabs")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        self.kpi = KpiTab(ctx, runner, self)
        self.add_tab(self.kpi, N_("KPI dashboard"))
        from shequ_desktop.ui.oversight.governance_tabs import add_governance_tabs
        add_governance_tabs(self, ctx, runner)     # hotline, dual evaluation, committee, incentives (part B)

    def add_tab(self, widget: QWidget, title: str) -> int:
        """Add a tab; ``title`` is an English message id (mark it with N_), translated now and on a
        language switch. Returns the tab's index."""
        self._titles.append((widget, title))
        return self.tabs.addTab(widget, _(title))

    def show_tab(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)

    def retranslate(self) -> None:
        for widget, title in self._titles:
            index = self.tabs.indexOf(widget)
            if index >= 0:
                self.tabs.setTabText(index, _(title))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
