"""The case lists with a live countdown (the clock column is refreshed every 30 seconds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from shequ_desktop.i18n import N_, _
from shequ_desktop.services.mediation.oversight import CaseRow
from shequ_desktop.ui.mediation import labels

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = (N_("Case no."), N_("Kind"), N_("Level"), N_("Parties"), N_("Mediators"), N_("State"), N_("Clock"))
CLOCK_COLUMN = 6
_LATE = QColor("#f6d5d1")
_SOON = QColor("#fdf0d2")
Index = QModelIndex | QPersistentModelIndex


class CaseTableModel(QAbstractTableModel):
    def __init__(self, now: Callable[[], dt.datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._now = now
        self.rows: list[CaseRow] = []
        self.timer = QTimer(self, interval=30_000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def set_rows(self, rows: Sequence[CaseRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def tick(self) -> None:
        """Live countdown: only the clock column changes."""
        if self.rows:
            self.dataChanged.emit(self.index(0, CLOCK_COLUMN), self.index(len(self.rows) - 1, CLOCK_COLUMN))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self.rows[index.row()]
        col = index.column()
        if role == ID_ROLE:
            return r.id
        if role == Qt.ItemDataRole.BackgroundRole:
            if r.overdue:
                return _LATE
            return _SOON if r.running_out else None
        if role == Qt.ItemDataRole.ToolTipRole and col == CLOCK_COLUMN and r.clock_kind:
            return labels.clock_kind(r.clock_kind)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if col == 0:
            return r.case_no
        if col == 1:
            return labels.kind(r.kind)
        if col == 2:
            return labels.level(r.level)
        if col == 3:
            return r.parties
        if col == 4:
            return r.mediator_names
        if col == 5:
            return labels.state(r.state) + (" · " + _("archived") if r.archived else "")
        return labels.countdown(r.due_at, self._now(), r.paused, r.provisional)


def make_table(model: CaseTableModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for col, width in enumerate((96, 92, 44, 130, 64, 112, 128)):
        table.setColumnWidth(col, width)
    header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(40)
    return table
