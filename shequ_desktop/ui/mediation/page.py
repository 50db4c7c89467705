"""矛盾调解: the module page — cases with live clocks and their detail, the patrol log, rates, the chief's clocks."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QTabWidget, QVBoxLayout,
                               QWidget)

from shequ_desktop.domain.roles import Permission
from shequ_desktop.i18n import N_, _, ngettext
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.mediation import oversight
from shequ_desktop.services.mediation.documents import PrintedPaper
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.mediation.case_table import ID_ROLE, CaseTableModel, make_table
from shequ_desktop.ui.mediation.clocks_tab import ClocksTab
from shequ_desktop.ui.mediation.detail import CaseDetailPanel
from shequ_desktop.ui.mediation.new_case import NewCaseDialog
from shequ_desktop.ui.mediation.patrol_tab import PatrolTab
from shequ_desktop.ui.mediation.rates_tab import RatesTab
from shequ_desktop.ui.tasks import TaskRunner

FILTERS = (("open", N_("Running")), ("closed", N_("Concluded")), ("archived", N_("Archived")), ("any", N_("All")))


class MediationPage(QWidget):
    cases_loaded = Signal(int)
    dialog_opened = Signal(QWidget)
    paper_printed = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.is_chief = ctx.may(Permission.MEDIATION_ALL)
        self.new_button = QPushButton(self, objectName="new_case_button")
        self.refresh_button = QPushButton(self, objectName="mediation_refresh_button")
        self.scope_combo = QComboBox(self, objectName="scope_combo")
        self.filter_combo = QComboBox(self, objectName="filter_combo")
        self.count_label = QLabel(self, objectName="mediation_count_label")
        self.model = CaseTableModel(ctx.clock.now, self)
        self.table = make_table(self.model, self)
        self.table.setObjectName("mediation_case_table")
        self.detail = CaseDetailPanel(ctx, runner, self)
        self.patrol = PatrolTab(ctx, runner, self)
        self.rates = RatesTab(ctx, runner, self)
        self.clocks = ClocksTab(ctx, runner, self) if self.is_chief else None
        self.tabs = QTabWidget(self, objectName="mediation_tabs")
        self._build()
        self.new_button.clicked.connect(self.new_case)
        self.refresh_button.clicked.connect(self.refresh)
        self.scope_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.filter_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self.detail.changed.connect(lambda _id: self.refresh())
        self.detail.dialog_opened.connect(self.dialog_opened.emit)
        self.detail.printed.connect(self._on_printed)
        self.patrol.dialog_opened.connect(self.dialog_opened.emit)
        self.patrol.case_registered.connect(lambda v: self.refresh(select=v.id))
        if self.clocks is not None:
            self.clocks.case_opened.connect(self.open_case)
        self.retranslate()
        self.refresh()

    def _build(self) -> None:
        toolbar = QHBoxLayout()
        for w in (self.new_button, self.refresh_button, self.scope_combo, self.filter_combo):
            toolbar.addWidget(w)
        toolbar.addStretch(1)
        toolbar.addWidget(self.count_label)
        cases_tab = QWidget(self)
        split = QSplitter(Qt.Orientation.Horizontal, cases_tab)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 440])
        box = QVBoxLayout(cases_tab)
        box.setContentsMargins(0, 4, 0, 0)
        box.addLayout(toolbar)
        box.addWidget(split, 1)
        self.tabs.addTab(cases_tab, "")
        self.tabs.addTab(self.patrol, "")
        self.tabs.addTab(self.rates, "")
        if self.clocks is not None:
            self.tabs.addTab(self.clocks, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)

    def retranslate(self) -> None:
        self.new_button.setText(_("New dispute"))
        self.refresh_button.setText(_("Refresh"))
        scope = self.scope_combo.currentData()
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self.scope_combo.addItem(_("My cases"), "mine")
        if self.is_chief:
            self.scope_combo.addItem(_("All cases"), "all")
            self.scope_combo.setCurrentIndex(1 if scope in (None, "all") else 0)
        self.scope_combo.blockSignals(False)
        which = self.filter_combo.currentData()
        self.filter_combo.blockSignals(True)
        self.filter_combo.clear()
        for key, title in FILTERS:
            self.filter_combo.addItem(_(title), key)
        self.filter_combo.setCurrentIndex(max(0, self.filter_combo.findData(which or "open")))
        self.filter_combo.blockSignals(False)
        titles = [_("Disputes"), _("Patrol log"), _("Success rate")] + ([_("Clocks running out")] if self.clocks else [])
        for i, title in enumerate(titles):
            self.tabs.setTabText(i, title)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.model.layoutChanged.emit()
        super().changeEvent(event)

    # --- lists ------------------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        ctx = self._ctx
        scope, which = self.scope_combo.currentData() or "mine", self.filter_combo.currentData() or "open"
        self._runner.submit(lambda: oversight.list_cases(ctx, scope, which),
                            lambda rows: self._on_loaded(rows, select), lambda e: report_exception(e, self))
        if self.clocks is not None:
            self.clocks.refresh()

    def _on_loaded(self, rows: list[oversight.CaseRow], select: str | None) -> None:
        current = select or (self.detail.file.case.id if self.detail.file else None)
        self.model.set_rows(rows)
        self.count_label.setText(ngettext("{n} case", "{n} cases", len(rows)).format(n=len(rows)))
        for i, r in enumerate(rows):
            if r.id == current:
                self.table.selectRow(i)
        self.cases_loaded.emit(len(rows))

    def _on_table_current_row_changed(self, current, _previous) -> None:  # noqa: ANN001
        if current.isValid():
            self.detail.load(self.model.data(current, ID_ROLE))

    def open_case(self, case_id: str) -> None:
        self.tabs.setCurrentIndex(0)
        self.detail.load(case_id)

    def new_case(self) -> NewCaseDialog:
        dialog = NewCaseDialog(self._ctx, self._runner, self)
        dialog.registered.connect(lambda v: self.refresh(select=v.id))
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _on_printed(self, paper: PrintedPaper) -> None:
        """The paper opens in the preview (print / save from there)."""
        from shequ_desktop.ui.counter import pdf_preview
        self.preview = pdf_preview.open_preview(paper.path, paper.title, self)
        self.paper_printed.emit(paper)
