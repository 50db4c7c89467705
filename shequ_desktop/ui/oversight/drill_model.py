"""The records behind a KPI figure, as a lazily filled table: a list of 10,000 records shows its first
rows at once and the rest as the user scrolls (fetchMore), each row formatted only when painted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from shequ_desktop.domain.indicators import IndicatorRecord
from shequ_desktop.i18n import N_, _
from shequ_desktop.ui.oversight import kpi_labels as labels

HEADERS = ("", N_("Record"), N_("Worker"), N_("Date"), N_("Deadline"), N_("Done"), N_("Detail"))
BATCH = 200
Index = QModelIndex | QPersistentModelIndex


class RecordTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._key = ""
        self._records: tuple[IndicatorRecord, ...] | list[IndicatorRecord] = ()
        self._shown = 0
        self._names: Mapping[str, str] = {}

    def set_records(self, key: str, records: tuple[IndicatorRecord, ...] | list[IndicatorRecord],
                    names: Mapping[str, str] | None = None) -> None:
        """``names``: login → the worker's label (the report's)."""
        self.beginResetModel()
        self._key, self._records, self._names = key, records, names or {}
        self._shown = min(BATCH, len(records))
        self.endResetModel()

    @property
    def key(self) -> str:
        return self._key

    def total(self) -> int:
        return len(self._records)

    def record(self, row: int) -> IndicatorRecord:
        return self._records[row]

    # --- lazy loading ---------------------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self._shown < len(self._records)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid():
            return
        more = min(BATCH, len(self._records) - self._shown)
        if more <= 0:
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

    # --- table ----------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(HEADERS[section]) if HEADERS[section] else ""
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._shown:
            return None
        r = self._records[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(r, col)
        if role == Qt.ItemDataRole.ForegroundRole and not r.counts:
            return QColor(labels.RED)
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return _("In the numerator") if r.counts else _("Not counted")
        return None

    def _text(self, r: IndicatorRecord, col: int) -> str:
        d = r.detail
        if col == 0:
            return "✓" if r.counts else "✗"
        if col == 1:
            return r.label
        if col == 2:
            return labels.worker_text(self._key, r, self._names)
        if col == 3:     # the record's own date: a request's receipt, a case's due day, a survey's day
            return labels.moment_text(d.get("received") or d.get("date"))
        if col == 4:
            return labels.moment_text(d.get("due"))
        if col == 5:
            return labels.moment_text(d.get("done"))
        return labels.detail_text(self._key, r)
