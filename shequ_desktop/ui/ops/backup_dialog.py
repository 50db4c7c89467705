"""备份与恢复: backup folders, rotation, "back up now", and restoring a checked backup."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QProgressBar, QPushButton, QSpinBox, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.i18n import N_, _, ngettext
from shequ_desktop.services import audit, auto_backup, backup
from shequ_desktop.services import restore as restore_service
from shequ_desktop.services.auto_backup import AutoBackupSettings, RotationPolicy
from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.admin._common import compact_rows
from shequ_desktop.ui.ops import prompts
from shequ_desktop.ui.ops._widgets import message_label, path_label, show_error_inline, show_message, size_text
from shequ_desktop.ui.ops.listing import BACKUP_KINDS, BackupEntry, find_backups
from shequ_desktop.ui.tasks import TaskRunner

PATH_ROLE = Qt.ItemDataRole.UserRole
KIND_NAMES = dict(zip(BACKUP_KINDS, (N_("Daily"), N_("Manual"), N_("Before upgrade"), N_("Before restore")),
                      strict=True))
WHEN, KIND, SIZE, FILE = range(4)


def restore_warning_text(w: restore_service.Warning_) -> str:
    """A restore warning in the user's language (the same words as ``shequ-admin restore``)."""
    return audit.detail_text(audit.describe(w.msgid, **w.params), _, ngettext)


class BackupDialog(QDialog):
    """Non-modal; every file and database operation runs on the runner."""

    def __init__(self, ctx: AppContext, runner: TaskRunner, restart: Callable[[Path], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backup_dialog")
        self._ctx, self._runner, self._restart = ctx, runner, restart
        self.settings: AutoBackupSettings | None = None
        self.entries: list[BackupEntry] = []
        self._second: Path | None = None
        self._busy = False
        self._build()
        self._retranslate()
        self.resize(820, 640)

    # --- layout -------------------------------------------------------------------------
    def _build(self) -> None:
        self.folder_group = QGroupBox()
        self.folder_label = path_label("folder_label")
        self.second_edit = QLineEdit(objectName="second_edit", readOnly=True)
        self.second_choose_button = QPushButton(objectName="second_choose_button")
        self.second_clear_button = QPushButton(objectName="second_clear_button")
        self.second_state_label = QLabel(objectName="second_state_label")
        second_row = QHBoxLayout()
        for w in (self.second_edit, self.second_choose_button, self.second_clear_button, self.second_state_label):
            second_row.addWidget(w)
        second_row.setStretch(0, 1)
        self.folder_caption, self.second_caption = QLabel(), QLabel()
        folder_form = QFormLayout(self.folder_group)
        folder_form.addRow(self.folder_caption, self.folder_label)
        folder_form.addRow(self.second_caption, second_row)

        self.rotation_group = QGroupBox()
        self.rotation_hint_label = QLabel(objectName="rotation_hint_label", wordWrap=True)
        self.daily_spin = QSpinBox(objectName="daily_spin", minimum=1, maximum=366)
        self.weekly_spin = QSpinBox(objectName="weekly_spin", minimum=0, maximum=520)
        self.monthly_spin = QSpinBox(objectName="monthly_spin", minimum=0, maximum=240)
        self.save_button = QPushButton(objectName="save_button")
        self.settings_message_label = message_label("settings_message_label")
        spins = QHBoxLayout()
        self.spin_labels = [QLabel(), QLabel(), QLabel()]
        for label, spin in zip(self.spin_labels, (self.daily_spin, self.weekly_spin, self.monthly_spin), strict=True):
            label.setBuddy(spin)
            spins.addWidget(spin)      # "[7] 天": the unit follows the number, in both languages
            spins.addWidget(label)
            spins.addSpacing(12)
        spins.addStretch(1)
        spins.addWidget(self.save_button)
        rotation = QVBoxLayout(self.rotation_group)
        rotation.addWidget(self.rotation_hint_label)
        rotation.addLayout(spins)
        rotation.addWidget(self.settings_message_label)

        self.list_group = QGroupBox()
        self.backup_table = QTableWidget(0, 4, objectName="backup_table")
        self.backup_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backup_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backup_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_table.verticalHeader().hide()
        self.backup_table.horizontalHeader().setStretchLastSection(True)
        compact_rows(self.backup_table)
        self.backup_now_button = QPushButton(objectName="backup_now_button")
        self.restore_button = QPushButton(objectName="restore_button")
        self.restore_file_button = QPushButton(objectName="restore_file_button")
        self.busy_bar = QProgressBar(objectName="busy_bar", minimum=0, maximum=0, textVisible=False)
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.hide()
        self.message_label = message_label("message_label")
        buttons = QHBoxLayout()
        for w in (self.backup_now_button, self.busy_bar):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_file_button)
        buttons.addWidget(self.restore_button)
        listing = QVBoxLayout(self.list_group)
        listing.addWidget(self.backup_table)
        listing.addLayout(buttons)
        listing.addWidget(self.message_label)

        self.button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.button_box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (self.folder_group, self.rotation_group, self.list_group, self.button_box):
            layout.addWidget(w)
        layout.setStretchFactor(self.list_group, 1)

        self.second_choose_button.clicked.connect(self._on_second_choose_button_clicked)
        self.second_clear_button.clicked.connect(self._on_second_clear_button_clicked)
        self.save_button.clicked.connect(self.save_settings)
        self.backup_now_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self._on_restore_button_clicked)
        self.restore_file_button.clicked.connect(self._on_restore_file_button_clicked)
        self.backup_table.itemSelectionChanged.connect(self._update_buttons)

    def _retranslate(self) -> None:
        self.setWindowTitle(_("Backup and restore"))
        self.folder_group.setTitle(_("Where backups are kept"))
        self.folder_caption.setText(_("Backup folder:"))
        self.second_caption.setText(_("Second folder:"))
        self.second_edit.setPlaceholderText(_("none (optional: a USB drive or a network share)"))
        self.second_choose_button.setText(_("Choose..."))
        self.second_clear_button.setText(_("No second folder"))
        self.rotation_group.setTitle(_("Automatic backups"))
        self.rotation_hint_label.setText(_(
            "A checked backup is taken before every program upgrade and at the first start of each day. "
            "Older daily backups are thinned out; keep the newest backup of the last:"))
        for label, text in zip(self.spin_labels, (_("days"), _("weeks"), _("months")), strict=True):
            label.setText(text)
        self.save_button.setText(_("Save settings"))
        self.list_group.setTitle(_("Backups"))
        self.backup_table.setHorizontalHeaderLabels([_("Taken"), _("Kind"), _("Size"), _("File")])
        self.backup_now_button.setText(_("Back up now"))
        self.restore_button.setText(_("Restore from this backup..."))
        self.restore_file_button.setText(_("Restore from another file..."))
        self._show_second_state(None)
        self._fill_table()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # --- loading ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload settings and the list of backups (on the runner)."""
        ctx = self._ctx

        def load() -> tuple[AutoBackupSettings, list[BackupEntry]]:
            settings = auto_backup.load_settings(ctx)
            return settings, find_backups(settings.folder, Path(ctx.db.path))

        self._run(load, self._on_loaded)

    def _on_loaded(self, loaded: tuple[AutoBackupSettings, list[BackupEntry]]) -> None:
        self.settings, self.entries = loaded
        self.folder_label.setText(str(self.settings.folder))
        self._set_second(self.settings.second_folder)
        policy = self.settings.policy
        self.daily_spin.setValue(policy.daily)
        self.weekly_spin.setValue(policy.weekly)
        self.monthly_spin.setValue(policy.monthly)
        self._fill_table()

    def _fill_table(self, select: Path | None = None) -> None:
        table = self.backup_table
        table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            cells = (entry.when.strftime("%Y-%m-%d %H:%M"), _(KIND_NAMES[entry.kind]), size_text(entry.size),
                     entry.path.name)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(PATH_ROLE, str(entry.path))
                item.setToolTip(str(entry.path))
                table.setItem(row, column, item)
            if entry.path == select:
                table.selectRow(row)
        table.resizeColumnsToContents()
        for column in (WHEN, KIND, SIZE):
            table.setColumnWidth(column, table.columnWidth(column) + 16)
        self._update_buttons()

    def selected_path(self) -> Path | None:
        items = self.backup_table.selectedItems()
        return Path(items[0].data(PATH_ROLE)) if items else None

    def row_of(self, path: Path) -> int:
        return next((row for row, entry in enumerate(self.entries) if entry.path == path), -1)

    # --- second folder ------------------------------------------------------------------
    def _set_second(self, folder: Path | None) -> None:
        self._second = folder
        self.second_edit.setText(str(folder) if folder else "")
        self._show_second_state(None)
        if folder is not None:
            # An unreachable network share can take many seconds to answer: never on the GUI or DB thread.
            self._runner.submit_network(folder.is_dir, lambda ok, f=folder: self._on_second_checked(f, ok),
                                        lambda _e, f=folder: self._on_second_checked(f, False))

    def _on_second_checked(self, folder: Path, available: object) -> None:
        # The check runs on the network pool: the dialog may have been closed and deleted meanwhile.
        if folder == self._second and shiboken6.isValid(self.second_state_label):
            self._show_second_state(bool(available))

    def _show_second_state(self, available: bool | None) -> None:
        label = self.second_state_label
        if self._second is None or available is None:
            label.setText("")
        elif available:
            label.setText(_("connected"))
            label.setStyleSheet("color: #1b7a2f;")
        else:
            label.setText(_("not connected"))
            label.setStyleSheet("color: #c62828; font-weight: bold;")
        label.setProperty("available", available)

    def _on_second_choose_button_clicked(self) -> None:
        folder = prompts.choose_folder(self, _("Second backup folder"), self._second)
        if folder is not None:
            self._set_second(folder)

    def _on_second_clear_button_clicked(self) -> None:
        self._set_second(None)

    # --- actions ------------------------------------------------------------------------
    def save_settings(self) -> None:
        ctx, second = self._ctx, self._second
        policy = RotationPolicy(self.daily_spin.value(), self.weekly_spin.value(), self.monthly_spin.value())
        self._run(lambda: auto_backup.save_settings(ctx, second, policy),
                  lambda _r: show_message(self.settings_message_label, _("Backup settings saved."), "ok"),
                  self.settings_message_label)

    def backup_now(self) -> None:
        if self.settings is None:
            return
        ctx, folder, second = self._ctx, self.settings.folder, self._second

        def work() -> tuple[backup.BackupInfo, str | None]:
            info = backup.backup_to(ctx, folder)
            _copy, second_error = auto_backup.copy_to_second(info.path, second, subfolder="")
            return info, second_error

        self._run(work, self._on_backed_up)

    def _on_backed_up(self, result: tuple[backup.BackupInfo, str | None]) -> None:
        info, second_error = result
        text = _("Backup written and checked: {path} ({size} KB)").format(path=info.path, size=info.size // 1024)
        if second_error:
            text += "\n" + _("The second folder was not written: {reason}").format(reason=second_error)
        show_message(self.message_label, text, "warn" if second_error else "ok")
        ctx, folder = self._ctx, info.path.parent
        self._run(lambda: find_backups(folder, Path(ctx.db.path)), lambda rows: self._on_relisted(rows, info.path))

    def _on_relisted(self, entries: list[BackupEntry], select: Path) -> None:
        self.entries = entries
        self._fill_table(select)

    def _on_restore_button_clicked(self) -> None:
        path = self.selected_path()
        if path is not None:
            self.restore(path)

    def _on_restore_file_button_clicked(self) -> None:
        start = self.settings.folder if self.settings else Path.home()
        path = prompts.choose_backup_file(self, start)
        if path is not None:
            self.restore(path)

    def restore(self, path: Path) -> None:
        """Check the file first (a damaged or newer one is refused, nothing changes; another community's
        or one whose audit log does not verify is warned about, as ``shequ-admin restore`` does), then ask."""
        show_message(self.message_label, "")
        db_path = Path(self._ctx.db.path)
        self._run(lambda: restore_service.plan(path, db_path), lambda plan: self._confirm_restore(path, plan))

    def _confirm_restore(self, path: Path, plan: restore_service.RestorePlan) -> None:
        entry = next((e for e in self.entries if e.path == path), None)
        when = entry.when.strftime("%Y-%m-%d %H:%M") if entry else path.name
        warnings = [restore_warning_text(w) for w in plan.warnings]
        text = "\n".join([
            _("Restore the backup of {when}?").format(when=when), "",
            *(_("Warning: ") + w for w in warnings), *([""] if warnings else []),
            "• " + _("The program closes the database."),
            "• " + _("The current data is kept as a copy next to the database file ({name})."
                     ).format(name=Path(self._ctx.db.path).stem + ".before-restore-….db"),
            "• " + _("The data is replaced by the backup {file}.").format(file=path.name),
            "• " + _("The next synchronization fetches the newer data from the hub; the restored data "
                     "does not overwrite it."),
            "• " + _("Work entered on this PC after the backup that was not synchronized is only in the "
                     "kept copy."),
            "• " + _("The audit log records the restore; the hub keeps the entries it supersedes."),
            "• " + _("Everyone must log in again."),
        ])
        accept = _("Restore anyway and log in again") if warnings else _("Restore and log in again")
        if prompts.confirm(self, _("Restore backup"), text, accept):
            self.accept()
            self._restart(path)

    # --- running jobs -------------------------------------------------------------------
    def _run(self, fn: Callable[[], Any], on_done: Callable[[Any], None], error_label: QLabel | None = None) -> None:
        self._set_busy(True)

        def done(result: object) -> None:
            self._set_busy(False)
            on_done(result)

        def failed(error: object) -> None:
            self._set_busy(False)
            show_error_inline(error_label or self.message_label, error, self)

        self._runner.submit(fn, done, failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.busy_bar.setVisible(busy)
        self._update_buttons()

    def _update_buttons(self) -> None:
        idle = not self._busy
        for button in (self.backup_now_button, self.restore_file_button, self.save_button):
            button.setEnabled(idle)
        self.restore_button.setEnabled(idle and self.selected_path() is not None)
