"""用户管理 (administrator only): the logins of this workstation — add, reset a password, unlock, deactivate —
and, below, the staff of the community's other stations as the synced staff directory names them.

Every step goes through ``services.users`` (argon2 hashes, audited); errors stay next to their field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.masking import mask_phone
from shequ_desktop.domain.roles import ROLE_MSGIDS, Role
from shequ_desktop.i18n import N_, _
from shequ_desktop.services import staff, station
from shequ_desktop.services import users as users_service
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.staff import StaffEntry
from shequ_desktop.services.station import GridView
from shequ_desktop.services.users import UserRow
from shequ_desktop.ui.admin._common import compact_rows, local_text, message_label, show_error_inline, show_message
from shequ_desktop.ui.field_errors import FieldErrors
from shequ_desktop.ui.tasks import TaskRunner
from shequ_desktop.ui.unsaved import GuardedDialog

HEADERS = (N_("Login name"), N_("Name"), N_("Account role"), N_("Grid"), N_("Work phone"), N_("State"))
DIRECTORY_HEADERS = (N_("Login name"), N_("Name"), N_("Account role"), N_("Phone"), N_("State"))
ID_ROLE = Qt.ItemDataRole.UserRole


def state_text(row: UserRow) -> str:
    if not row.active:
        return _("Deactivated")
    if row.locked_until is not None:
        return _("Locked until {time}").format(time=local_text(row.locked_until)[:16])
    return _("In use")


def _error_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent, objectName=name)
    label.setStyleSheet("color: #c0392b;")
    label.setWordWrap(True)
    return label


class _FormDialog(GuardedDialog):
    """A small form whose submit runs on the DB thread; a UserError stays next to its field."""

    done = Signal()

    def __init__(self, runner: TaskRunner, fields: list[tuple[str, str, QWidget]], parent: QWidget | None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.inputs = {key: widget for key, _caption, widget in fields}
        form = QFormLayout()
        labels = {}
        for key, caption, widget in fields:
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            labels[key] = _error_label(self, f"{key}_error")
            box.addWidget(labels[key])
            form.addRow(_(caption), box)
        self.error_label = _error_label(self, "error_label")
        self.errors = FieldErrors(labels, self.error_label, reserve=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        if self._clean is None:
            self.mark_clean()
        super().showEvent(event)

    def job(self) -> Callable[[], Any]:
        raise NotImplementedError

    def submit(self) -> None:
        self.errors.clear()
        job = self.job()
        self.buttons.setEnabled(False)
        self._runner.submit(job, self._on_done, self._on_failed)

    def _on_done(self, _result: object) -> None:
        self.buttons.setEnabled(True)
        self.done.emit()
        self.accept()

    def _on_failed(self, error: object) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, UserError):
            self.errors.show(error)
            self.adjustSize()          # a message of two lines gets its room
        else:
            from shequ_desktop.ui.errors import report_exception
            report_exception(error, self)


def _password_edit(name: str) -> QLineEdit:
    edit = QLineEdit(objectName=name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class AddUserDialog(_FormDialog):
    """新增用户: login, name, role and the first password (typed twice)."""

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        self._ctx = ctx
        self.login_edit = QLineEdit(objectName="login_edit")
        self.name_edit = QLineEdit(objectName="name_edit")
        self.role_combo = QComboBox(objectName="role_combo")
        for role in (Role.CLERK, Role.WORKER, Role.CHIEF, Role.ADMIN):
            self.role_combo.addItem(_(ROLE_MSGIDS[role]), role)
        self.password_edit = _password_edit("password_edit")
        self.repeated_edit = _password_edit("repeated_edit")
        super().__init__(runner, [("login", N_("Login name"), self.login_edit), ("display_name", N_("Name"), self.name_edit),
                                  ("role", N_("Account role"), self.role_combo),
                                  ("password", N_("Password"), self.password_edit),
                                  ("repeated", N_("Password again"), self.repeated_edit)], parent)
        self.setWindowTitle(_("Add a user"))
        self.login_edit.setPlaceholderText(_("letters, digits, '.' or '_'"))

    def job(self) -> Callable[[], Any]:
        ctx, login, name = self._ctx, self.login_edit.text(), self.name_edit.text()
        role, password, repeated = Role(self.role_combo.currentData()), self.password_edit.text(), self.repeated_edit.text()
        return lambda: users_service.add(ctx, login, name, role, password, repeated)


class ResetPasswordDialog(_FormDialog):
    """重置密码 for one user; the lock and the failure count are cleared with it."""

    def __init__(self, ctx: AppContext, runner: TaskRunner, row: UserRow, parent: QWidget | None = None) -> None:
        self._ctx, self._row = ctx, row
        self.password_edit = _password_edit("password_edit")
        self.repeated_edit = _password_edit("repeated_edit")
        super().__init__(runner, [("password", N_("New password"), self.password_edit),
                                  ("repeated", N_("Password again"), self.repeated_edit)], parent)
        self.setWindowTitle(_("Reset the password of {name}").format(name=row.display_name))
        self.setProperty("user_data_text", [row.display_name])

    def job(self) -> Callable[[], Any]:
        ctx, uid, password, repeated = self._ctx, self._row.id, self.password_edit.text(), self.repeated_edit.text()
        return lambda: users_service.reset_password(ctx, uid, password, repeated)


class EditUserDialog(_FormDialog):
    """修改资料: name, role, grid and work phone of one login (the login itself never changes: synced records
    name staff by it). The grids come with the dialog; the change reaches every station through the staff
    directory."""

    def __init__(self, ctx: AppContext, runner: TaskRunner, row: UserRow, grids: list[GridView],
                 parent: QWidget | None = None) -> None:
        self._ctx, self._row = ctx, row
        self.name_edit = QLineEdit(row.display_name, objectName="name_edit")
        self.role_combo = QComboBox(objectName="role_combo")
        for role in (Role.CLERK, Role.WORKER, Role.CHIEF, Role.ADMIN):
            self.role_combo.addItem(_(ROLE_MSGIDS[role]), role)
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(row.role)))
        own = row.id == ctx.user.id
        self.role_combo.setEnabled(not own)
        if own:
            self.role_combo.setToolTip(_("You cannot change your own role."))
        self.grid_combo = QComboBox(objectName="grid_combo")
        self.grid_combo.addItem(_("(no grid)"), None)
        for g in grids:
            self.grid_combo.addItem(g.name, g.id)
        self.grid_combo.setCurrentIndex(max(0, self.grid_combo.findData(row.grid_id)) if row.grid_id else 0)
        self.phone_edit = QLineEdit(row.phone, objectName="phone_edit")
        self.phone_edit.setPlaceholderText(_("e.g. 13812345678 or 027-87654321"))
        super().__init__(runner, [("display_name", N_("Name"), self.name_edit),
                                  ("role", N_("Account role"), self.role_combo),
                                  ("grid", N_("Grid"), self.grid_combo),
                                  ("phone", N_("Work phone"), self.phone_edit)], parent)
        self.setWindowTitle(_("Edit the details of {login}").format(login=row.login))
        self.setProperty("user_data_text", [row.login, row.display_name, row.phone, *(g.name for g in grids)])

    def job(self) -> Callable[[], Any]:
        ctx, uid, name = self._ctx, self._row.id, self.name_edit.text()
        role, grid, phone = Role(self.role_combo.currentData()), self.grid_combo.currentData(), self.phone_edit.text()
        return lambda: users_service.edit(ctx, uid, name, role, grid, phone)


class UsersPage(QWidget):
    """The table of logins and the administrator's buttons; the chosen row decides what is enabled."""

    users_loaded = Signal()
    dialog_opened = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.rows: list[UserRow] = []
        self.table = QTableWidget(0, len(HEADERS), self, objectName="users_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        compact_rows(self.table)
        self.add_button = QPushButton(self, objectName="add_user_button")
        self.edit_button = QPushButton(self, objectName="edit_user_button")
        self.reset_button = QPushButton(self, objectName="reset_password_button")
        self.unlock_button = QPushButton(self, objectName="unlock_button")
        self.active_button = QPushButton(self, objectName="deactivate_button")
        self.message = message_label("users_message")
        self.others: list[StaffEntry] = []
        self.grids: list[GridView] = []
        self.directory_label = QLabel(self, objectName="directory_label")
        self.directory_label.setWordWrap(True)
        self.directory_table = QTableWidget(0, len(DIRECTORY_HEADERS), self, objectName="directory_table")
        self.directory_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.directory_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.directory_table.verticalHeader().hide()
        self.directory_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        compact_rows(self.directory_table)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.reset_button, self.unlock_button, self.active_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.directory_label)
        layout.addWidget(self.directory_table, 1)
        self.add_button.clicked.connect(self.open_add_dialog)
        self.edit_button.clicked.connect(self.open_edit_dialog)
        self.table.doubleClicked.connect(lambda _index: self.open_edit_dialog())
        self.reset_button.clicked.connect(self.open_reset_dialog)
        self.unlock_button.clicked.connect(self.unlock_selected)
        self.active_button.clicked.connect(self.toggle_active)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._retranslate()
        self.reload()

    def _retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_(h) for h in HEADERS])
        self.directory_table.setHorizontalHeaderLabels([_(h) for h in DIRECTORY_HEADERS])
        self.directory_label.setText(_("Staff of the community's other stations (from the synced staff directory; "
                                       "they log in on their own PC)"))
        self.add_button.setText(_("Add a user…"))
        self.edit_button.setText(_("Edit details…"))
        self.reset_button.setText(_("Reset password…"))
        self.unlock_button.setText(_("Unlock"))
        self._update_buttons()
        self._fill()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def reload(self) -> None:
        ctx = self.ctx
        self.runner.submit(lambda: (users_service.users(ctx), staff.directory(ctx, include_inactive=True),
                                    station.grids(ctx)),
                           self._on_loaded, lambda e: show_error_inline(self.message, e, self))

    def _on_loaded(self, loaded: tuple[list[UserRow], list[StaffEntry], list[GridView]]) -> None:
        rows, directory, grids = loaded
        self.grids = grids
        selected = self.selected()
        self.rows = rows
        self.others = [e for e in directory if not e.local]
        self._fill()
        if selected is not None:
            self.select(selected.login)
        self.users_loaded.emit()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        for i, row in enumerate(self.rows):
            grid = next((g.name for g in self.grids if g.id == row.grid_id), "")
            texts = (row.login, row.display_name, _(ROLE_MSGIDS[row.role]), grid, mask_phone(row.phone) if row.phone
                     else "", state_text(row))
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, row.id)
                self.table.setItem(i, column, item)
        self.directory_table.setRowCount(len(self.others))
        for i, e in enumerate(self.others):
            texts = (e.login, e.display_name, _(ROLE_MSGIDS[e.role]), e.phone_masked,
                     _("In use") if e.active else _("Deactivated"))
            for column, text in enumerate(texts):
                self.directory_table.setItem(i, column, QTableWidgetItem(text))
        self._update_buttons()

    def selected(self) -> UserRow | None:
        items = self.table.selectedItems()
        if not items:
            return None
        uid = items[0].data(ID_ROLE)
        return next((r for r in self.rows if r.id == uid), None)

    def select(self, login: str) -> None:
        for i, row in enumerate(self.rows):
            if row.login == login:
                self.table.selectRow(i)

    def _update_buttons(self) -> None:
        row = self.selected()
        self.edit_button.setEnabled(row is not None)
        self.reset_button.setEnabled(row is not None and row.active)
        self.unlock_button.setEnabled(row is not None and row.locked)
        self.active_button.setEnabled(row is not None and row.id != self.ctx.user.id)
        self.active_button.setText(_("Reactivate") if row is not None and not row.active else _("Deactivate"))

    # --- actions ------------------------------------------------------------------------------
    def _opened(self, dialog: _FormDialog) -> _FormDialog:
        dialog.done.connect(self.reload)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def open_add_dialog(self) -> _FormDialog:
        return self._opened(AddUserDialog(self.ctx, self.runner, self))

    def open_edit_dialog(self) -> _FormDialog | None:
        """修改资料 of the chosen login (the grids come from the last load)."""
        row = self.selected()
        if row is None:
            return None
        return self._opened(EditUserDialog(self.ctx, self.runner, row, self.grids, self))

    def open_reset_dialog(self) -> _FormDialog | None:
        row = self.selected()
        return None if row is None else self._opened(ResetPasswordDialog(self.ctx, self.runner, row, self))

    def unlock_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self._run(lambda ctx=self.ctx, uid=row.id: users_service.unlock(ctx, uid),
                      _("{login} is unlocked.").format(login=row.login))

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        active = not row.active
        text = (_("{login} can log in again.") if active else _("{login} can no longer log in.")).format(
            login=row.login)
        self._run(lambda ctx=self.ctx, uid=row.id: users_service.set_active(ctx, uid, active), text)

    def _run(self, job: Callable[[], Any], done_text: str) -> None:
        row = self.selected()
        self.message.setProperty("user_data_text", [row.login] if row else [])   # a login is data
        def done(_result: object) -> None:
            show_message(self.message, done_text, "ok")
            self.reload()

        self.runner.submit(job, done, lambda e: show_error_inline(self.message, e, self))
