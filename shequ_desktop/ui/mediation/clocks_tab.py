"""The chief's view: every case whose clock is running out or ran out, by level, with a live countdown."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from shequ_desktop.domain import mediation as m
from shequ_desktop.i18n import _
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.mediation import oversight
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.mediation import labels
from shequ_desktop.ui.mediation.case_table import ID_ROLE, CaseTableModel, make_table
from shequ_desktop.ui.tasks import TaskRunner


class ClocksTab(QWidget):
    loaded = Signal(int)               # overdue cases shown
    case_opened = Signal(str)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.summary_label = QLabel(self, objectName="clocks_summary_label")
        self.model = CaseTableModel(ctx.clock.now, self)
        self.table = make_table(self.model, self)
        self.table.setObjectName("clocks_table")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        self.table.doubleClicked.connect(lambda idx: self.case_opened.emit(self.model.data(idx, ID_ROLE)))

    def refresh(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: oversight.chief_list(ctx), self._on_loaded, lambda e: report_exception(e, self))

    def _on_loaded(self, by_level: dict[str, list[oversight.CaseRow]]) -> None:
        rows = [r for level in m.LEVELS for r in by_level[level]]
        self.model.set_rows(rows)
        parts = [_("{level}: {late} overdue, {soon} running out").format(
            level=labels.level(level), late=sum(r.overdue for r in by_level[level]),
            soon=sum(not r.overdue for r in by_level[level])) for level in m.LEVELS]
        self.summary_label.setText("  ·  ".join(parts))     # (an ideographic space is Chinese text in English)
        self.loaded.emit(sum(r.overdue for r in rows))
