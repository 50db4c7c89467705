"""考核监督: one page of tabs. The KPI dashboard is the first; other parts of the module (evaluation,
committee, hotline, incentives) plug their tabs in with :meth:`OversightPage.add_tab`. A social worker
or clerk sees their own figures and the hotline only."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from shequ_desktop.domain.roles import Permission
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
        from shequ_desktop.ui.oversight.governance_tabs import add_governance_tabs
        if ctx.may(Permission.OVERSIGHT):
            self.kpi = KpiTab(ctx, runner, self)
            self.add_tab(self.kpi, N_("KPI dashboard"))
            add_governance_tabs(self, ctx, runner)     # hotline, dual evaluation, committee, incentives (part B)
        else:       # a social worker or clerk: their own figures, and the hotline (every worker takes complaints)
            self.kpi = KpiTab(ctx, runner, self, own=True)
            self.add_tab(self.kpi, N_("My figures"))
            add_governance_tabs(self, ctx, runner, hotline_only=True)
        self.kpi.record_activated.connect(self.open_record)

    def open_record(self, key: str, target: str) -> bool:
        """Open a drill-down record in its module's page (the main window's)."""
        from shequ_desktop.ui.oversight.record_links import open_record
        return open_record(self.window(), key, target)

    def open_complaint(self, complaint_id: str) -> None:
        """The hotline tab with this complaint selected (a banner's double-click)."""
        self.tabs.setCurrentWidget(self.hotline)       # type: ignore[attr-defined]
        self.hotline.open_complaint(complaint_id)      # type: ignore[attr-defined]

    def show_overdue_complaints(self) -> None:
        """The hotline list filtered to overdue complaints (the status bar's count)."""
        self.tabs.setCurrentWidget(self.hotline)       # type: ignore[attr-defined]
        self.hotline.show_overdue()                    # type: ignore[attr-defined]

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
