"""我的事项 / 代办(B岗) / 全部: the clerk's case lists with status filter, sorting and colours."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QTabBar,
                               QTableView, QVBoxLayout, QWidget)

from shequ_desktop.domain.roles import Permission
from shequ_desktop.i18n import N_, _, ngettext
from shequ_desktop.services import counter_oversight
from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.counter.labels import STATUS_MSGIDS, status_label
from shequ_desktop.services.counter_oversight import CaseRow
from shequ_desktop.ui.counter.case_model import ID_ROLE, CaseFilterProxy, CaseTableModel
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.tasks import TaskRunner

SCOPES = (("mine", N_("My cases")), ("covering", N_("Covering (B post)")), ("all", N_("All cases")))
COLUMN_WIDTHS = (115, 140, 70, 300, 165, 90, 80)   # the short case number (2026-37-00042) needs little
STRETCH_COLUMN = 3                   # 事项 takes the spare width


def make_case_table(parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSortingEnabled(True)
    table.setAlternatingRowColors(False)      # the due-soon / overdue tints must stand out
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().setStretchLastSection(False)
    return table


class CaseListWidget(QWidget):
    case_selected = Signal(str)
    loaded = Signal(int)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self._scopes = [s for s in SCOPES if s[0] != "all" or ctx.may(Permission.CASES_ALL)]
        self.scope_tabs = QTabBar(self)
        self.scope_tabs.setObjectName("scope_tabs")
        self.scope_tabs.setDrawBase(False)
        for _key, title in self._scopes:
            self.scope_tabs.addTab(_(title))
        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("status_combo")
        self.status_combo.addItem(_("All statuses"), "")
        for code in STATUS_MSGIDS:
            self.status_combo.addItem(status_label(code), code)
        self.closed_check = QCheckBox(_("Include closed"), self)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count_label")
        self.model = CaseTableModel(self)
        self.proxy = CaseFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = make_case_table(self)
        self.table.setObjectName("case_table")
        self.table.setModel(self.proxy)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.horizontalHeader().resizeSection(column, width)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setSectionResizeMode(STRETCH_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
        bar = QHBoxLayout()
        bar.addWidget(self.scope_tabs)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addSpacing(12)
        bar.addWidget(self.status_combo)
        bar.addWidget(self.closed_check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.scope_tabs.currentChanged.connect(lambda _i: self.refresh())
        self.closed_check.toggled.connect(lambda _c: self.refresh())
        self.status_combo.currentIndexChanged.connect(self._on_status_combo_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self._generation = 0
        self._keep_selected = ""

    @property
    def scope(self) -> str:
        return self._scopes[max(0, self.scope_tabs.currentIndex())][0]

    def set_scope(self, scope: str) -> None:
        keys = [k for k, _t in self._scopes]
        if scope in keys:
            self.scope_tabs.setCurrentIndex(keys.index(scope))

    def refresh(self, select_id: str = "") -> None:
        """Reload the current list on the DB thread; keeps (or moves to) the selected case."""
        self._generation += 1
        generation, ctx, scope = self._generation, self._ctx, self.scope
        open_only = not self.closed_check.isChecked()
        self._keep_selected = select_id or self.selected_id()
        self._runner.submit(lambda: counter_oversight.list_cases(ctx, scope, open_only),
                            lambda rows: self._on_loaded(generation, rows), lambda e: report_exception(e, self))

    def _on_loaded(self, generation: int, rows: list[CaseRow]) -> None:
        if generation != self._generation:
            return
        keep = self._keep_selected
        self.table.selectionModel().blockSignals(True)
        self.model.set_rows(rows)
        self.table.selectionModel().blockSignals(False)
        self._show_count()
        if keep:
            self.select_case(keep, emit=False)
        self.loaded.emit(len(rows))

    def _show_count(self) -> None:
        rows = self.model.rows()
        late = sum(1 for r in rows if r.overdue or r.supplement_overdue)
        text = ngettext("{n} case", "{n} cases", len(rows)).format(n=len(rows))
        if late:
            text += " · " + _("{n} overdue").format(n=late)
        self.count_label.setText(text)

    def select_case(self, case_id: str, emit: bool = True) -> bool:
        row = self.model.row_of(case_id)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        blocker = not emit
        self.table.selectionModel().blockSignals(blocker)
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        self.table.selectionModel().blockSignals(False)
        return True

    def selected_id(self) -> str:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return str(rows[0].data(ID_ROLE)) if rows else ""

    def _on_status_combo_changed(self, _index: int) -> None:
        self.proxy.set_status(self.status_combo.currentData() or "")

    def _on_table_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self.case_selected.emit(str(indexes[0].data(ID_ROLE)))

    def retranslate(self) -> None:
        for i, (_key, title) in enumerate(self._scopes):
            self.scope_tabs.setTabText(i, _(title))
        self.status_combo.setItemText(0, _("All statuses"))
        self.closed_check.setText(_("Include closed"))
        self.model.retranslate()
        self._show_count()
