"""Import residents: choose a file, dry run with a progress bar, review rejects, then import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QTableWidgetItem, QWidget

from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import _, error_text
from shequ_desktop.services import resident_io
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.resident_io import ImportPlan, ImportResult
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.generated.ui_import_dialog import Ui_ImportDialog
from shequ_desktop.ui.tasks import TaskRunner


class ImportDialog(QDialog):
    planned = Signal(object)            # ImportPlan after the dry run
    imported = Signal(object)           # ImportResult

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.plan: ImportPlan | None = None
        self._busy = False
        self.ui = Ui_ImportDialog()
        self.ui.setupUi(self)
        self.ui.file_error_label.hide()
        self.ui.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.ui.import_button.clicked.connect(self.run_import)
        self.ui.close_button.clicked.connect(self.reject)
        self.ui.skip_rejected_check.toggled.connect(self._update_import_button)
        self.ui.progress_bar.setValue(0)
        self.ui.rejected_table.horizontalHeader().resizeSection(0, 60)
        self.ui.rejected_table.horizontalHeader().resizeSection(1, 100)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._show_counts()
        super().changeEvent(event)

    def reject(self) -> None:
        if not self._busy:          # the import runs in one transaction; let it finish
            super().reject()

    def _on_browse_button_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Choose a file to import"), "",
                                                    _("Spreadsheets (*.xlsx *.csv)"))
        if name:
            self.load_file(Path(name))

    # --- dry run -------------------------------------------------------------------------
    def load_file(self, path: Path) -> None:
        """Check every row on the DB thread; nothing is written."""
        self.plan = None
        self.ui.file_edit.setText(str(path))
        self.ui.file_error_label.hide()
        self.ui.rejected_table.setRowCount(0)
        self._set_busy(True, _("Checking the file..."))
        ctx = self._ctx
        self._runner.submit(lambda progress: resident_io.plan_import(ctx, path, progress), self._on_planned,
                            self._on_failed, self._on_progress)

    def _on_planned(self, plan: ImportPlan) -> None:
        self.plan = plan
        self._set_busy(False, _("Checked. Nothing has been imported yet."))
        self.ui.progress_bar.setRange(0, 1)
        self.ui.progress_bar.setValue(1)
        self._show_counts()
        table = self.ui.rejected_table
        table.setRowCount(len(plan.rejected))
        for row, rejected in enumerate(plan.rejected):
            reasons = "；".join(error_text(e) for e in rejected.errors)
            for column, text in enumerate((str(rejected.line), rejected.name, reasons)):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeRowsToContents()
        self._update_import_button()
        self.planned.emit(plan)

    def _show_counts(self) -> None:
        plan = self.plan
        labels = (self.ui.add_count_label, self.ui.update_count_label, self.ui.unchanged_count_label,
                  self.ui.reject_count_label)
        if plan is None:
            for label in labels:
                label.clear()
            return
        texts = (_("New: {n}"), _("Update: {n}"), _("Unchanged: {n}"), _("Rejected: {n}"))
        counts = (len(plan.to_add), len(plan.to_update), plan.unchanged, len(plan.rejected))
        for label, text, n in zip(labels, texts, counts):
            label.setText(text.format(n=n))

    def _update_import_button(self) -> None:
        plan = self.plan
        ok = (plan is not None and not self._busy and bool(plan.to_add or plan.to_update)
              and (not plan.rejected or self.ui.skip_rejected_check.isChecked()))
        self.ui.import_button.setEnabled(ok)

    # --- import --------------------------------------------------------------------------
    def run_import(self) -> None:
        plan = self.plan
        if plan is None:
            return
        ctx, skip = self._ctx, self.ui.skip_rejected_check.isChecked()
        self._set_busy(True, _("Importing..."))
        self._runner.submit(lambda progress: resident_io.run_import(ctx, plan, skip, progress), self._on_imported,
                            self._on_failed, self._on_progress)

    def _on_imported(self, result: ImportResult) -> None:
        self.plan = None
        self._set_busy(False, _("Imported: {added} new, {updated} updated, {rejected} skipped.").format(
            added=result.added, updated=result.updated, rejected=result.rejected))
        self._update_import_button()
        self.imported.emit(result)

    def _on_failed(self, error: object) -> None:
        self._set_busy(False, "")
        self.ui.progress_bar.setRange(0, 1)
        self.ui.progress_bar.setValue(0)
        self._update_import_button()
        if isinstance(error, UserError):
            self.ui.file_error_label.setText(error_text(error))
            self.ui.file_error_label.show()
        else:
            report_exception(error, self)

    def _on_progress(self, done: int, total: int) -> None:
        self.ui.progress_bar.setRange(0, max(total, 1))
        self.ui.progress_bar.setValue(done)

    def _set_busy(self, busy: bool, message: str) -> None:
        self._busy = busy
        self.ui.status_label.setText(message)
        self.ui.browse_button.setEnabled(not busy)
        self.ui.close_button.setEnabled(not busy)
        if busy:
            self.ui.progress_bar.setRange(0, 0)     # busy indicator until the first progress report
            self.ui.import_button.setEnabled(False)
