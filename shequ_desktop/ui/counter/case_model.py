"""Case lists as a Qt table: CaseRow → columns, colours for due-soon/overdue, sortable, filterable by status."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt)

from shequ_desktop.i18n import N_, _
from shequ_desktop.services.counter_oversight import CaseRow
from shequ_desktop.ui.counter.labels import AMBER, RED, days_left_text, due_text, status_label

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = (N_("Case no."), N_("Status"), N_("Resident"), N_("Service"), N_("Due date"),
           N_("Working days left"), N_("Handled by"))
DUE_COLUMN, LEFT_COLUMN = 4, 5


class CaseTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CaseRow] = []

    def set_rows(self, rows: list[CaseRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> CaseRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, case_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == case_id), -1)

    def rows(self) -> list[CaseRow]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        r, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == SORT_ROLE:
            return self._sort_key(r, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            if r.overdue or r.supplement_overdue:
                return RED
            return AMBER if r.due_soon else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if r.supplement_overdue:
                return _("The supplement deadline has passed.")
            if r.overdue:
                return _("Past the deadline: report to the station chief.")
            return _("Due soon.") if r.due_soon else None
        if role == Qt.ItemDataRole.TextAlignmentRole and col == LEFT_COLUMN:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == ID_ROLE:
            return r.id
        if role == STATUS_ROLE:
            return r.status
        return None

    @staticmethod
    def _display(r: CaseRow, col: int) -> str:
        if col == 0:
            return r.case_no
        if col == 1:
            return status_label(r.status) + (_(" · supplement overdue") if r.supplement_overdue else "")
        if col == 2:
            return r.resident
        if col == 3:
            return r.service_name
        if col == DUE_COLUMN:
            if r.supplement_due is not None and r.status == "awaiting_supplement":
                return _("Supplement by {date}").format(date=r.supplement_due.isoformat())
            return due_text(r.due_date, r.provisional)
        if col == LEFT_COLUMN:
            return days_left_text(r.working_days_left, r.overdue)
        return r.owner_name

    @staticmethod
    def _sort_key(r: CaseRow, col: int) -> Any:
        if col == DUE_COLUMN:
            return (r.supplement_due or r.due_date or dt.date.max).toordinal()
        if col == LEFT_COLUMN:
            return -10_000 if r.overdue else (r.working_days_left if r.working_days_left is not None else 10_000)
        return CaseTableModel._display(r, col)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1))


class CaseFilterProxy(QSortFilterProxyModel):
    """Sort by any column (dates and day counts numerically); keep only one status when asked."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._status = ""
        self.setSortRole(SORT_ROLE)

    def set_status(self, status: str) -> None:
        self.beginFilterChange()
        self._status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        if not self._status:
            return True
        index = self.sourceModel().index(source_row, 0, source_parent)
        return self.sourceModel().data(index, STATUS_ROLE) == self._status
