"""Windows that fit the screen, and the size, maximised state and splitter positions each user left.

Community office PCs run 1366×768 (≈1366×728 usable under the taskbar) and 1920×1080: a window or
dialog never opens larger than the screen's available area, and what a user arranged comes back at
the next login under that user's name.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QWidget

from shequ_desktop.ui.settings import app_settings

FRAME_MARGIN = 40    # title bar and frame that the available geometry does not include


def available_rect(widget: QWidget | None = None) -> QRect:
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def fit_size(preferred: QSize, widget: QWidget | None = None) -> QSize:
    """``preferred`` shrunk to the screen's available area (minus the window frame)."""
    area = available_rect(widget)
    return QSize(min(preferred.width(), area.width() - 16), min(preferred.height(), area.height() - FRAME_MARGIN))


def fit_to_screen(widget: QWidget, preferred: QSize) -> None:
    """Resize ``widget`` to ``preferred`` or less so that all of it is on the screen, centred."""
    size = fit_size(preferred, widget)
    widget.resize(size)
    area = available_rect(widget)
    widget.move(area.x() + max(0, (area.width() - size.width()) // 2),
                area.y() + max(0, (area.height() - size.height() - FRAME_MARGIN) // 2))


def _key(login: str, name: str) -> str:
    return f"users/{login}/{name}"


def restore_main_window(window: QWidget, login: str, preferred: QSize = QSize(1600, 1000)) -> None:
    """Show ``window`` as the user left it; the first time maximised on small screens, fitted on large."""
    settings = app_settings()
    geometry = settings.value(_key(login, "window/geometry"))
    maximised = settings.value(_key(login, "window/maximised"))
    fit_to_screen(window, preferred)
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
        if not available_rect(window).contains(window.frameGeometry().topLeft()):
            fit_to_screen(window, preferred)      # saved on a screen that is gone
    if maximised is None:
        area = available_rect(window)
        maximised = area.width() < preferred.width() or area.height() < preferred.height()
    if str(maximised).lower() in ("true", "1"):
        window.showMaximized()
    else:
        window.show()


def save_main_window(window: QWidget, login: str) -> None:
    settings = app_settings()
    settings.setValue(_key(login, "window/geometry"), window.saveGeometry())
    settings.setValue(_key(login, "window/maximised"), window.isMaximized())
    settings.sync()


def remember_splitter(splitter: QSplitter, login: str, name: str) -> None:
    """Put ``splitter`` where this user left it, and keep it remembered as they drag it."""
    key = _key(login, f"splitter/{name}")
    state = app_settings().value(key)
    if isinstance(state, QByteArray) and not state.isEmpty():
        splitter.restoreState(state)
    splitter.splitterMoved.connect(lambda *_a: _save_splitter(splitter, key))


def _save_splitter(splitter: QSplitter, key: str) -> None:
    settings = app_settings()
    settings.setValue(key, splitter.saveState())


def remember_splitters(root: QObject, login: str) -> None:
    """Every named QSplitter under ``root`` is remembered under its objectName."""
    for splitter in root.findChildren(QSplitter):
        if splitter.objectName():
            remember_splitter(splitter, login, splitter.objectName())
