"""Showing errors: UserErrors in the user's language; anything else an apology with the log path."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from shequ_desktop import paths
from shequ_desktop.domain.errors import UserError, ValidationErrors
from shequ_desktop.i18n import _, error_text

log = logging.getLogger("shequ")


def message_for(error: object) -> str:
    if isinstance(error, ValidationErrors):
        return "\n".join(error_text(e) for e in error.errors)
    if isinstance(error, UserError):
        return error_text(error)
    return _("Sorry, something went wrong. The details were written to {path}.").format(
        path=paths.log_dir() / "shequ-desktop.log")


def report_exception(error: object, parent: QWidget | None = None) -> None:
    """Non-blocking message box: UserError text, or an apology for a bug (logged with traceback)."""
    if not isinstance(error, UserError) and isinstance(error, BaseException):
        log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    box = QMessageBox(QMessageBox.Icon.Warning if isinstance(error, UserError) else QMessageBox.Icon.Critical,
                      _("Notice") if isinstance(error, UserError) else _("Sorry"), message_for(error),
                      QMessageBox.StandardButton.Ok, parent or QApplication.activeWindow())
    box.setModal(False)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()


def install_excepthook() -> None:
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("uncaught: %s", "".join(traceback.format_exception(kind, value, tb)))
        if QApplication.instance() is not None:
            report_exception(value)
        else:
            sys.__excepthook__(kind, value, tb)

    sys.excepthook = hook
