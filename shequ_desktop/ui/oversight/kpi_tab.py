"""The KPI dashboard tab (filled in by the KPI work of issue 15)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.tasks import TaskRunner


class KpiTab(QWidget):
    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        QVBoxLayout(self)
