"""Operations in the System menu: backup and restore, diagnostics export, data location.

The lead wires it with ``install_ops(window, ctx, runner, restart)`` and calls
``first_start_notice(window, paths.data_dir())`` after the first login.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from shequ_desktop.domain.roles import Permission
from shequ_desktop.i18n import N_, _
from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.ops.backup_dialog import BackupDialog
from shequ_desktop.ui.ops.data_location import DataLocationDialog, first_start_notice
from shequ_desktop.ui.ops.diagnostics_action import export_diagnostics_interactively
from shequ_desktop.ui.tasks import TaskRunner

__all__ = ["install_ops", "first_start_notice", "OpsMenu", "BackupDialog", "DataLocationDialog"]


class OpsMenu(QObject):
    """Owns the menu actions and the (reused) dialogs; a child of the main window."""

    def __init__(self, window: QMainWindow, ctx: AppContext, runner: TaskRunner,
                 restart: Callable[[Path], None]) -> None:
        super().__init__(window)
        self.setObjectName("ops_menu")
        self._window, self._ctx, self._runner, self._restart = window, ctx, runner, restart
        self.backup_dialog: BackupDialog | None = None
        self.location_dialog: DataLocationDialog | None = None
        self.actions: dict[str, tuple[QAction, str]] = {}
        if ctx.may(Permission.BACKUP):
            self._add("backup_action", N_("Backup and restore..."), self.open_backup_dialog)
            self._add("diagnostics_action", N_("Export diagnostics..."), self.export_diagnostics)
        self._add("data_location_action", N_("Data location..."), self.open_data_location)
        menu = window.ui.system_menu
        before = window.ui.about_action
        mine = [action for action, _title in self.actions.values()]
        menu.insertActions(before, mine)
        menu.insertSeparator(mine[0])
        menu.insertSeparator(before)
        window.installEventFilter(self)

    def _add(self, name: str, title: str, slot: Callable[[], object]) -> None:
        action = QAction(_(title), self._window)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        self.actions[name] = (action, title)

    def action(self, name: str) -> QAction:
        return self.actions[name][0]

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self._window and event.type() == QEvent.Type.LanguageChange:
            for action, title in self.actions.values():
                action.setText(_(title))
        return False

    def open_backup_dialog(self) -> BackupDialog:
        if self.backup_dialog is None:
            self.backup_dialog = BackupDialog(self._ctx, self._runner, self._restart, self._window)
        self.backup_dialog.refresh()
        self.backup_dialog.show()
        self.backup_dialog.raise_()
        self.backup_dialog.activateWindow()
        return self.backup_dialog

    def export_diagnostics(self) -> object:
        return export_diagnostics_interactively(self._window, self._ctx, self._runner)

    def open_data_location(self) -> DataLocationDialog:
        if self.location_dialog is None:
            self.location_dialog = DataLocationDialog(Path(self._ctx.db.path), self._window)
        self.location_dialog.show()
        self.location_dialog.raise_()
        return self.location_dialog


def install_ops(window: QMainWindow, ctx: AppContext, runner: TaskRunner, restart: Callable[[Path], None]) -> None:
    """Add 备份与恢复…, 导出诊断信息… (both need Permission.BACKUP) and 数据位置… to window.ui.system_menu."""
    OpsMenu(window, ctx, runner, restart)
