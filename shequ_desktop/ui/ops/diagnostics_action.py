"""导出诊断信息: a zip for the IT admin (no resident data), written on the runner."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from shequ_desktop.domain.clock import to_local
from shequ_desktop.i18n import _
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.diagnostics import export_diagnostics
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.ops import prompts
from shequ_desktop.ui.tasks import TaskRunner


def suggested_zip(ctx: AppContext) -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DesktopLocation) or str(Path.home())
    return Path(folder) / f"shequ-diagnostics-{to_local(ctx.clock.now()):%Y%m%d-%H%M}.zip"


def export_diagnostics_interactively(parent: QWidget, ctx: AppContext, runner: TaskRunner) -> QProgressDialog | None:
    """Ask where, export on the runner with a busy dialog, then say where the file is (non-blocking)."""
    target = prompts.choose_zip_target(parent, suggested_zip(ctx))
    if target is None:
        return None
    busy = QProgressDialog(_("Writing the diagnostics file..."), "", 0, 0, parent)
    busy.setObjectName("diagnostics_busy")
    busy.setWindowTitle(_("Export diagnostics"))
    busy.setCancelButton(None)
    busy.setMinimumDuration(0)
    busy.setWindowModality(Qt.WindowModality.WindowModal)
    busy.show()

    def done(path: object) -> None:
        busy.close()
        box = QMessageBox(QMessageBox.Icon.Information, _("Export diagnostics"),
                          _("The diagnostics file was written to:\n{path}\n\nIt contains no resident data. "
                            "Send it to your IT administrator.").format(path=path),
                          QMessageBox.StandardButton.Ok, parent)
        box.setObjectName("diagnostics_done_box")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setModal(False)
        box.show()

    def failed(error: object) -> None:
        busy.close()
        report_exception(error, parent)

    runner.submit(lambda: export_diagnostics(ctx, target), done, failed)
    return busy
