"""Import residents: choose a file, dry run with a progress bar, review every change (before → after)
and the rejected rows, confirm changed names, then import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QDialog, QFileDialog, QTableWidget, QTableWidgetItem, QWidget

from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import _, error_text, ngettext
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
        self.ui.accept_names_check.toggled.connect(self._update_import_button)
        self.ui.progress_bar.setValue(0)
        for table, widths in ((self.ui.rejected_table, (60, 100)), (self.ui.changes_table, (60, 200, 120, 160))):
            for column, width in enumerate(widths):
                table.horizontalHeader().resizeSection(column, width)

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
        self.ui.changes_table.setRowCount(0)
        self.ui.accept_names_check.setChecked(False)
        self.ui.accept_names_check.setEnabled(False)
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
        self._fill(self.ui.rejected_table, [(str(r.line), r.name, "；".join(error_text(e) for e in r.errors))
                                            for r in plan.rejected])
        self._fill(self.ui.changes_table, [(str(u.line), f"{u.name} {u.id_masked}",
                                            _(resident_io.FIELD_LABELS[c.field]), c.before or _("(empty)"), c.after)
                                           for u in plan.to_update for c in u.changes],
                   alert=lambda row: row[2] == _(resident_io.FIELD_LABELS["name"]))
        self.ui.accept_names_check.setEnabled(bool(plan.name_changes))
        if plan.name_changes:
            self.ui.status_label.setText(ngettext(
                "{n} row gives a different name for a registered ID number (red): maybe a typo in the number. "
                "Nothing has been imported yet; confirm the name or skip that row.",
                "{n} rows give a different name for a registered ID number (red): maybe a typo in the number. "
                "Nothing has been imported yet; confirm the names or skip those rows.",
                len(plan.name_changes)).format(n=len(plan.name_changes)))
        self.ui.result_tabs.setCurrentWidget(self.ui.rejected_tab if plan.rejected and not plan.to_update
                                             else self.ui.changes_tab)
        self._update_import_button()
        self.planned.emit(plan)

    @staticmethod
    def _fill(table: QTableWidget, rows: list[tuple[str, ...]], alert=lambda row: False) -> None:  # noqa: ANN001
        table.setRowCount(len(rows))
        red = QBrush(QColor("#c0392b"))
        for r, row in enumerate(rows):
            for column, text in enumerate(row):
                item = QTableWidgetItem(text)
                if alert(row):
                    item.setForeground(red)
                table.setItem(r, column, item)
        table.resizeRowsToContents()

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
        self.ui.result_tabs.setTabText(0, _("Changes ({n})").format(n=sum(len(u.changes) for u in plan.to_update)))
        self.ui.result_tabs.setTabText(1, _("Rejected rows ({n})").format(n=len(plan.rejected)))

    def _update_import_button(self) -> None:
        plan = self.plan
        skip, accept = self.ui.skip_rejected_check.isChecked(), self.ui.accept_names_check.isChecked()
        ok = (plan is not None and not self._busy and bool(plan.to_add or plan.to_update)
              and (not plan.rejected or skip) and (not plan.name_changes or accept or skip))
        self.ui.import_button.setEnabled(ok)

    # --- import --------------------------------------------------------------------------
    def run_import(self) -> None:
        plan = self.plan
        if plan is None:
            return
        ctx, skip = self._ctx, self.ui.skip_rejected_check.isChecked()
        accept = self.ui.accept_names_check.isChecked()
        self._set_busy(True, _("Importing..."))
        self._runner.submit(lambda progress: resident_io.run_import(ctx, plan, skip, progress, accept),
                            self._on_imported,
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
