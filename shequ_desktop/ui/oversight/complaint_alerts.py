"""The overdue-complaints banner (R40–R42): a red strip the chief (and the window clerk) cannot miss, on the hotline
tab, the chief's overview and 我的今日 — each overdue complaint with what is late and by how many days; a
double-click opens the complaint in the hotline list. Hidden while nothing is overdue."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from shequ_desktop.i18n import N_, _, ngettext
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.governance import hotline
from shequ_desktop.services.governance.hotline import OverdueComplaint
from shequ_desktop.ui.oversight import governance_labels as gl
from shequ_desktop.ui.tasks import TaskRunner

WHAT = {"contact": N_("No contact within 1 hour"), "result": N_("No result within 3 working days"),
        "explanation": N_("Late: written explanation due"), "filing": N_("Late: filing with the subdistrict due")}
ID_ROLE = Qt.ItemDataRole.UserRole


def late_text(delta: dt.timedelta) -> str:
    """"3 days late" / "5 h late" / "20 min late"."""
    if delta.days >= 1:
        return ngettext("{n} day late", "{n} days late", delta.days).format(n=delta.days)
    hours = int(delta.total_seconds() // 3600)
    if hours >= 1:
        return _("{n} h late").format(n=hours)
    return _("{n} min late").format(n=max(1, int(delta.total_seconds() // 60)))


class OverdueComplaintsBanner(QFrame):
    complaint_activated = Signal(str)      # a complaint double-clicked (or Enter): open it in the hotline list
    loaded = Signal(int)                   # how many overdue complaints are shown

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None, rows: int = 3) -> None:
        super().__init__(parent)
        self.setObjectName("overdue_complaints_banner")
        self._ctx, self._runner = ctx, runner
        self.alerts: list[OverdueComplaint] = []
        self.setStyleSheet("#overdue_complaints_banner { background: #fbe9e7; border: 1px solid #c0392b; "
                           "border-radius: 3px; }")
        self.title = QLabel(self, objectName="overdue_complaints_title")
        self.title.setStyleSheet("color: #c0392b; font-weight: bold; border: none;")
        self.title.setWordWrap(True)
        self.list = QTreeWidget(self, objectName="overdue_complaints_list")
        self.list.setRootIsDecorated(False)
        self.list.setColumnCount(4)
        self.list.setHeaderHidden(True)
        self.list.setProperty("user_data", True)           # what the complaint is about: as entered
        header = self.list.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self._rows = rows
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.list.itemDoubleClicked.connect(self._on_list_item_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.list)
        self.setVisible(False)

    def refresh(self) -> None:
        ctx = self._ctx
        if not hotline.sees_alerts(ctx):
            return
        self._runner.submit(lambda: hotline.overdue_alerts(ctx), self.show_alerts, lambda _e: None)

    def show_alerts(self, alerts: list[OverdueComplaint]) -> None:
        self.alerts = alerts
        self._fill()
        self.loaded.emit(len(alerts))

    def _fill(self) -> None:
        self.list.clear()
        self.setVisible(bool(self.alerts))
        if not self.alerts:
            return
        self.title.setText(ngettext("⚠ {n} hotline complaint overdue — double-click it to open it",
                                    "⚠ {n} hotline complaints overdue — double-click one to open it",
                                    len(self.alerts)).format(n=len(self.alerts)))
        for a in self.alerts:
            item = QTreeWidgetItem([a.complaint_no, late_text(a.late_by), _(WHAT[a.what]), a.about])
            item.setData(0, ID_ROLE, a.id)
            item.setToolTip(0, _("Received {time}").format(time=gl.when(a.received_at)))
            self.list.addTopLevelItem(item)
        row_height = max(18, self.list.sizeHintForRow(0))
        self.list.setFixedHeight(row_height * min(self._rows, len(self.alerts)) + 2 * self.list.frameWidth() + 2)

    def _on_list_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        complaint_id = item.data(0, ID_ROLE)
        if complaint_id:
            self.complaint_activated.emit(str(complaint_id))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._fill()
        super().changeEvent(event)


def open_complaint(widget: QWidget, complaint_id: str) -> bool:
    """Show the complaint in the main window's hotline list (False: this window has no hotline tab)."""
    window = widget.window()
    page = window.page("oversight") if hasattr(window, "page") else None
    if page is None or not hasattr(page, "open_complaint"):
        return False
    window.show_page("oversight")  # type: ignore[attr-defined]
    page.open_complaint(complaint_id)
    return True


def complaints_banner(panel: QWidget, ctx: AppContext, runner: TaskRunner, rows: int = 2) -> OverdueComplaintsBanner | None:
    """A banner for another module's page (the chief's overview, 我的今日): only for those who chase complaints
    (None for everyone else); a double-click opens the complaint on the hotline tab."""
    if not hotline.sees_alerts(ctx):
        return None
    banner = OverdueComplaintsBanner(ctx, runner, panel, rows=rows)
    banner.complaint_activated.connect(lambda complaint_id: open_complaint(panel, complaint_id))
    return banner
