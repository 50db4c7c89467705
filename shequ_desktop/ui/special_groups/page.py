"""特殊群体: 我的今日, the compliance grid, and for the chief the overview of every worker; field sheets to print."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTabWidget, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.i18n import _, ngettext
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.special_groups import schedule
from shequ_desktop.services.special_groups.schedule import GridRow
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.special_groups import labels as L
from shequ_desktop.ui.special_groups.files_panel import FilesPanel
from shequ_desktop.ui.special_groups.my_day import MyDayPanel
from shequ_desktop.ui.special_groups.overview import OverviewPanel
from shequ_desktop.ui.tasks import TaskRunner

GRID_KINDS = ("call", "visit", "support", "assessment", "review")


class GridPanel(QWidget):
    """The compliance grid: each person's current week, month, half year and quarter — done, open or late; the
    chief sees the station's and picks one worker's (or double-clicks a worker in the overview)."""

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self._rows: list[GridRow] = []
        self._worker = ""                      # "" = every worker the grid holds
        self.legend = QLabel(self)
        self.legend.setObjectName("grid_legend_label")
        self.legend.setWordWrap(True)
        self.worker_label = QLabel(self)
        self.worker_combo = QComboBox(self)
        self.worker_combo.setObjectName("grid_worker_combo")
        self.worker_combo.setMinimumContentsLength(14)
        self.worker_combo.activated.connect(lambda i: self.show_worker(self.worker_combo.itemData(i) or ""))
        self.worker_label.setBuddy(self.worker_combo)
        self.grid = QTreeWidget(self)
        self.grid.setObjectName("compliance_grid")
        self.grid.setRootIsDecorated(False)
        self.grid.setColumnCount(4 + len(GRID_KINDS))
        for c, w in enumerate((90, 110, 90)):
            self.grid.setColumnWidth(c, w)
        self.grid.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        top = QHBoxLayout()
        top.addWidget(self.legend, 1)
        top.addWidget(self.worker_label)
        top.addWidget(self.worker_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.grid, 1)
        self.retranslate()

    def show_worker(self, login: str) -> None:
        """One worker's grid ("" = all the grid holds)."""
        self._worker = login
        self._fill()

    def _fill_workers(self) -> None:
        logins = sorted({r.worker_login for r in self._rows})
        self.worker_combo.clear()
        self.worker_combo.setProperty("user_data_text", logins)     # logins are data, not words to translate
        self.worker_combo.addItem(_("All workers"), "")
        for login in logins:
            self.worker_combo.addItem(login or _("(no worker)"), login)
        index = self.worker_combo.findData(self._worker)
        self.worker_combo.setCurrentIndex(max(0, index))
        several = len(logins) > 1
        self.worker_combo.setVisible(several)
        self.worker_label.setVisible(several)

    def retranslate(self) -> None:
        self.legend.setText(_("✓ done · ○ open this period · ✗ late · this week's call, this month's visit or two "
                              "sessions, this half year's assessment, this quarter's review"))
        self.grid.setHeaderLabels([_("Name"), _("Group"), _("Worker")] + [_(L.TASK[k]) for k in GRID_KINDS]
                                  + [_("Late tasks")])
        self.worker_label.setText(_("Worker"))
        self._fill()

    def refresh(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: schedule.compliance_grid(ctx), self._on_loaded, report_exception)

    def _on_loaded(self, rows: list[GridRow]) -> None:
        self._rows = rows
        self._fill()

    def _fill(self) -> None:
        self._fill_workers()
        self.grid.clear()
        red = QBrush(QColor(L.RED))
        rows = [r for r in self._rows if r.worker_login == self._worker] if self._worker else self._rows
        for r in rows[:3000]:
            item = QTreeWidgetItem([r.name, _(L.GROUP[r.group]), r.worker_login]
                                   + [L.CELL[r.cells.get(k, "")] for k in GRID_KINDS] + [str(r.late_tasks or "")])
            for c, k in enumerate(GRID_KINDS, start=3):
                item.setTextAlignment(c, Qt.AlignmentFlag.AlignCenter)
                if r.cells.get(k) == "late":
                    item.setForeground(c, red)
            if r.late_tasks:
                item.setForeground(len(GRID_KINDS) + 3, red)
            self.grid.addTopLevelItem(item)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class SpecialGroupsPage(QWidget):
    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        from shequ_desktop.domain.roles import Permission
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("special_tabs")
        self.my_day = MyDayPanel(ctx, runner, self)
        self.files = FilesPanel(ctx, runner, self)
        self.files.printed.connect(self._on_printed)
        self.grid = GridPanel(ctx, runner, self)
        self.tabs.addTab(self.my_day, "")
        self.tabs.addTab(self.files, "")
        self.tabs.addTab(self.grid, "")
        self.overview: OverviewPanel | None = None
        if ctx.may(Permission.SPECIAL_ALL):
            self.overview = OverviewPanel(ctx, runner, self)
            self.overview.worker_chosen.connect(self.show_worker_grid)
            self.tabs.addTab(self.overview, "")
        self.print_sheet_button = QPushButton(self)
        self.print_sheet_button.setObjectName("print_field_sheet_button")
        self.print_sheet_button.clicked.connect(lambda: self.print_sheet("field-sheet"))
        self.print_volunteer_button = QPushButton(self)
        self.print_volunteer_button.setObjectName("print_volunteer_sheet_button")
        self.print_volunteer_button.clicked.connect(lambda: self.print_sheet("volunteer-sheet"))
        self.print_form_button = QPushButton(self)
        self.print_form_button.setObjectName("print_visit_record_button")
        self.print_form_button.clicked.connect(lambda: self.print_sheet("visit-record"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.print_sheet_button, self.print_volunteer_button, self.print_form_button):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.retranslate()
        self._loaded: set[int] = set()

    def showEvent(self, event: object) -> None:  # noqa: N802
        """Load the visible tab the first time the page is shown (not while the main window is built)."""
        self._on_tabs_current_changed(self.tabs.currentIndex())
        super().showEvent(event)  # type: ignore[arg-type]

    def retranslate(self) -> None:
        self.tabs.setTabText(0, _("My day"))
        self.tabs.setTabText(1, _("Files"))
        self.tabs.setTabText(2, _("Compliance grid"))
        if self.overview is not None:
            self.tabs.setTabText(3, _("Chief's overview"))
        self.print_sheet_button.setText(_("Print this week's visit list"))
        self.print_volunteer_button.setText(_("Print volunteer sheet"))
        self.print_form_button.setText(_("Print blank visit record"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_tabs_current_changed(self, index: int) -> None:
        if index in self._loaded or not self.isVisible():
            return
        self._loaded.add(index)
        widget = self.tabs.widget(index)
        if hasattr(widget, "refresh"):
            widget.refresh()

    def show_worker_grid(self, login: str) -> None:
        """The chief double-clicked a worker in the overview: that worker's compliance grid."""
        self.grid.show_worker(login)
        self.tabs.setCurrentWidget(self.grid)

    def print_sheet(self, kind: str, volunteer: str | None = None) -> None:
        from shequ_desktop.services.special_groups import sheets
        ctx, login = self._ctx, self.my_day.login()
        if kind == "volunteer-sheet" and volunteer is None:
            self.choose_volunteer()
            return
        self._runner.submit(lambda: sheets.print_sheet(ctx, kind, login, volunteer=volunteer or None),
                            self._on_printed, report_exception)

    def choose_volunteer(self, choice: int | None = None) -> None:
        """The volunteer sheet is for one volunteer: pick them (or all of this worker's volunteers)."""
        from shequ_desktop.services.special_groups import rosters
        ctx, login = self._ctx, self.my_day.login()
        self._runner.submit(lambda: rosters.known_volunteers(ctx, login),
                            lambda vols: self._on_volunteers(vols, choice), report_exception)

    def _on_volunteers(self, volunteers: list, choice: int | None = None) -> None:  # noqa: ANN001
        from PySide6.QtWidgets import QInputDialog
        names = [_("All my volunteers")] + [f"{v.name} · {v.phone_masked} · "
                                           + ngettext("{n} person", "{n} people", v.people).format(n=v.people)
                                           for v in volunteers]
        if choice is None:
            chosen, ok = QInputDialog.getItem(self, _("Print volunteer sheet"), _("Which volunteer?"), names, 0,
                                              False)
            if not ok:
                return
            choice = names.index(chosen)
        self.print_sheet("volunteer-sheet", "" if choice == 0 else volunteers[choice - 1].name)

    def _on_printed(self, path: object) -> None:
        from shequ_desktop.ui.counter import pdf_preview
        self.last_printed = path
        pdf_preview.open_preview(str(path), _("Field sheet"), self)
