"""Export the current resident list to .xlsx (masked; the service checks the permission and audits)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from shequ_desktop.domain.clock import local_today
from shequ_desktop.i18n import _, ngettext
from shequ_desktop.services import resident_io
from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.tasks import TaskRunner


class ExportAction(QObject):
    exported = Signal(str, int)         # path, rows written

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx, self._runner, self._parent = ctx, runner, parent
        self._progress: QProgressDialog | None = None

    def ask_target(self) -> Path | None:
        default = f"居民名单-{local_today(self._ctx.clock):%Y%m%d}.xlsx"
        name, _filter = QFileDialog.getSaveFileName(self._parent, _("Export residents"), default,
                                                    _("Excel workbook (*.xlsx)"))
        if not name:
            return None
        return Path(name if name.lower().endswith(".xlsx") else name + ".xlsx")

    def run(self, query: str, target: Path | None = None) -> None:
        target = target or self.ask_target()
        if target is None:
            return
        progress = QProgressDialog(_("Exporting..."), "", 0, 0, self._parent)
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        self._progress = progress
        ctx = self._ctx
        self._runner.submit(lambda report: resident_io.export_xlsx(ctx, query, target, progress=report),
                            lambda n: self._on_done(target, n), self._on_failed, self._on_progress)

    def _on_progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.setMaximum(max(total, 1))
            self._progress.setValue(done)

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def _on_done(self, target: Path, rows: int) -> None:
        self._close_progress()
        box = QMessageBox(QMessageBox.Icon.Information, _("Export"),
                          ngettext("{n} resident written to {path} (numbers masked).",
                                   "{n} residents written to {path} (numbers masked).", rows).format(
                              n=rows, path=target),
                          QMessageBox.StandardButton.Ok, self._parent)
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        self.exported.emit(str(target), rows)

    def _on_failed(self, error: object) -> None:
        self._close_progress()
        report_exception(error, self._parent)
