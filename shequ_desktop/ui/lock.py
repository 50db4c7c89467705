"""Idle lock: after the policy's idle minutes without input, hide the window behind a password prompt."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QWidget

from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import _
from shequ_desktop.services import auth
from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.field_errors import FieldErrors
from shequ_desktop.ui.generated.ui_lock_dialog import Ui_LockDialog
from shequ_desktop.ui.tasks import TaskRunner

_INPUT_EVENTS = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.KeyPress,
                           QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.InputMethod})


class LockDialog(QDialog):
    """Asks the same user's password; Esc does not close it."""

    unlocked = Signal()
    quit_requested = Signal()

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.ui = Ui_LockDialog()
        self.ui.setupUi(self)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self._errors = FieldErrors({"password": self.ui.password_error_label}, self.ui.password_error_label)
        self.ui.unlock_button.clicked.connect(self.submit)
        self.ui.password_edit.returnPressed.connect(self.submit)
        self.ui.quit_button.clicked.connect(self.quit_requested)
        self._retranslate()

    def _retranslate(self) -> None:
        self.ui.message_label.setText(_("The screen is locked. {name}, enter your password to continue.").format(
            name=self._ctx.user.display_name))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._retranslate()
        super().changeEvent(event)

    def reject(self) -> None:       # Esc must not bypass the lock
        pass

    def submit(self) -> None:
        password, ctx = self.ui.password_edit.text(), self._ctx
        self._errors.clear()
        self.ui.unlock_button.setEnabled(False)
        self._runner.submit(lambda: auth.unlock(ctx, password), self._on_unlocked, self._on_failed)

    def _on_unlocked(self, _result: object) -> None:
        self.ui.unlock_button.setEnabled(True)
        self.ui.password_edit.clear()
        self.accept()
        self.unlocked.emit()

    def _on_failed(self, error: object) -> None:
        self.ui.unlock_button.setEnabled(True)
        if isinstance(error, UserError):
            self._errors.show(error)
            self.ui.password_edit.selectAll()
        else:
            report_exception(error, self)


class IdleLock(QObject):
    """Watches application input; ``lock()`` hides the main window's content until unlocked."""

    locked = Signal()
    unlocked = Signal()

    def __init__(self, ctx: AppContext, runner: TaskRunner, window: QMainWindow, minutes: int = 10) -> None:
        super().__init__(window)
        self._ctx, self._runner, self._window = ctx, runner, window
        self.dialog: LockDialog | None = None
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.lock)
        self.set_timeout_ms(minutes * 60_000)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def is_locked(self) -> bool:
        return self.dialog is not None

    def set_timeout_ms(self, ms: int) -> None:
        self._timer.setInterval(max(ms, 1))
        if not self.is_locked:
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _INPUT_EVENTS and not self.is_locked:
            self._timer.start()
        return False

    def lock(self) -> None:
        if self.is_locked:
            return
        self._timer.stop()
        self._set_content_visible(False)
        dialog = LockDialog(self._ctx, self._runner, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.unlocked.connect(self._on_dialog_unlocked)
        dialog.quit_requested.connect(self._window.close)
        self.dialog = dialog
        dialog.open()
        dialog.ui.password_edit.setFocus()
        self.locked.emit()

    def _on_dialog_unlocked(self) -> None:
        self.dialog = None
        self._set_content_visible(True)
        self._timer.start()
        self.unlocked.emit()

    def _set_content_visible(self, visible: bool) -> None:
        for widget in (self._window.centralWidget(), self._window.menuBar()):
            if widget is not None:
                widget.setVisible(visible)
        for toolbar in self._window.findChildren(QWidget, "main_toolbar"):
            toolbar.setVisible(visible)

    def shutdown(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()
