"""The login window: login + password, Enter submits, Esc quits, errors inline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import _
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.field_errors import FieldErrors
from shequ_desktop.ui.generated.ui_login_window import Ui_LoginWindow
from shequ_desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the store (SQLAlchemy, Alembic) loads on the worker thread after the window shows
    from shequ_desktop.services.context import AppContext, CurrentUser


class LoginWindow(QWidget):
    logged_in = Signal(object)          # CurrentUser
    quit_requested = Signal()

    def __init__(self, ctx: AppContext | None, runner: TaskRunner, community_name: str, version: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self._community_name, self._version = community_name, version
        self.ui = Ui_LoginWindow()
        self.ui.setupUi(self)
        self._errors = FieldErrors({"password": self.ui.password_error_label}, self.ui.password_error_label)
        self.ui.login_button.clicked.connect(self.submit)
        self.ui.login_edit.returnPressed.connect(self._on_login_edit_return_pressed)
        self.ui.password_edit.returnPressed.connect(self.submit)
        self.ui.quit_button.clicked.connect(self.quit_requested)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.quit_requested.emit)
        self._retranslate()
        self.ui.login_button.setEnabled(ctx is not None)
        self.ui.login_edit.setFocus()

    def reset(self, message: str) -> None:
        """Back to "not ready" (e.g. while a backup is restored); ``message`` shows where the name was."""
        self._ctx = None
        self.ui.login_button.setEnabled(False)
        self.ui.password_edit.clear()
        self.ui.community_label.setText(message)

    def next_user(self) -> None:
        """After 注销 / 切换用户: the password is gone, the login is selected for the next person."""
        self.ui.password_edit.clear()
        self._errors.clear()
        self.ui.login_edit.selectAll()
        self.ui.login_edit.setFocus()

    def set_context(self, ctx: AppContext, community_name: str) -> None:
        """The store is open: logging in becomes possible."""
        self._ctx, self._community_name = ctx, community_name
        self.ui.login_button.setEnabled(True)
        self._retranslate()

    def _retranslate(self) -> None:
        self.ui.community_label.setText(self._community_name or _("Opening the database..."))
        self.ui.version_label.setText(_("Version {version}").format(version=self._version))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._retranslate()
        super().changeEvent(event)

    def _on_login_edit_return_pressed(self) -> None:
        if self.ui.password_edit.text():
            self.submit()
        else:
            self.ui.password_edit.setFocus()

    def submit(self) -> None:
        login_name, password = self.ui.login_edit.text().strip(), self.ui.password_edit.text()
        self._errors.clear()
        if not login_name:
            self._errors.set("password", _("Please enter your login."))
            self.ui.login_edit.setFocus()
            return
        if self._ctx is None:
            return
        self._set_busy(True)
        ctx = self._ctx

        def work() -> CurrentUser:
            from shequ_desktop.services import auth
            return auth.login(ctx, login_name, password)

        self._runner.submit(work, self._on_login_done, self._on_login_failed)

    def _set_busy(self, busy: bool) -> None:
        for w in (self.ui.login_button, self.ui.login_edit, self.ui.password_edit):
            w.setEnabled(not busy)

    def _on_login_done(self, user: CurrentUser) -> None:
        self._set_busy(False)
        self.ui.password_edit.clear()
        self.logged_in.emit(user)

    def _on_login_failed(self, error: object) -> None:
        self._set_busy(False)
        if not isinstance(error, UserError):
            report_exception(error, self)
            return
        self._errors.show(error)
        self.ui.password_edit.selectAll()
        self.ui.password_edit.setFocus()
