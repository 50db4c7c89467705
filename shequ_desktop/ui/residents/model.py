"""A lazy table model over services.residents.search: pages of 100 fetched on the DB thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from shequ_desktop.i18n import N_, _
from shequ_desktop.services import residents
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.residents import ResidentRow
from shequ_desktop.ui.tasks import TaskRunner

Index = QModelIndex | QPersistentModelIndex
COLUMNS = (
    (N_("Name"), "name"),
    (N_("Sex"), "sex"),
    (N_("Age"), "age"),
    (N_("ID number"), "id_masked"),
    (N_("Phone"), "phone_masked"),
    (N_("Address"), "address"),
    (N_("Grid"), "grid_name"),
)


class ResidentTableModel(QAbstractTableModel):
    """Never holds more rows than the user scrolled to; stale answers of an old query are dropped."""

    PAGE_SIZE = 100
    total_changed = Signal(int)
    page_loaded = Signal(int)           # rows now loaded
    failed = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self._rows: list[ResidentRow] = []
        self._query = ""
        self._generation = 0
        self._loading = False
        self._exhausted = True
        self.total: int | None = None

    # --- queries -------------------------------------------------------------------------
    @property
    def query(self) -> str:
        return self._query

    def set_query(self, query: str) -> None:
        """Drop what is loaded and ask for the count and the first page of ``query``."""
        self.beginResetModel()
        self._generation += 1
        self._query, self._rows, self.total = query, [], None
        self._exhausted, self._loading = False, False
        self.endResetModel()
        ctx, generation = self._ctx, self._generation
        self._runner.submit(lambda: residents.count(ctx, query),
                            lambda n: self._on_count(generation, n), self.failed.emit)
        self.fetchMore(QModelIndex())

    def refresh(self) -> None:
        self.set_query(self._query)

    def row_at(self, row: int) -> ResidentRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _on_count(self, generation: int, n: int) -> None:
        if generation == self._generation:
            self.total = n
            self.total_changed.emit(n)

    # --- lazy loading --------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and not self._loading and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802, B008
        if not self.canFetchMore(parent):
            return
        self._loading = True
        ctx, query, offset, generation = self._ctx, self._query, len(self._rows), self._generation
        limit = self.PAGE_SIZE
        self._runner.submit(lambda: residents.search(ctx, query, offset=offset, limit=limit),
                            lambda page: self._on_page(generation, page), self._on_page_failed)

    def _on_page(self, generation: int, page: list[ResidentRow]) -> None:
        if generation != self._generation:
            return
        self._loading = False
        self._exhausted = len(page) < self.PAGE_SIZE
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        self.page_loaded.emit(len(self._rows))

    def _on_page_failed(self, error: object) -> None:
        self._loading = False
        self._exhausted = True
        self.failed.emit(error)

    # --- table ---------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return getattr(row, COLUMNS[index.column()][1])
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[index.column()][1] == "age":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section][0])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
