"""Helpers for the screen tests: what a user sees on a page or dialog, and whether it fits the screen.

A widget whose dynamic property ``user_data`` is true shows data as entered (names, addresses, service
names from the catalogue): its text is not checked for the other script. Every other visible text is
the program's own words and must be in the current language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QComboBox, QGroupBox, QHeaderView, QLabel,
                               QLineEdit, QListWidget, QMenuBar, QTabBar, QTabWidget, QWidget)

SCREEN = QRect(0, 0, 1366, 728)
HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]")
# ASCII words that Chinese screens legitimately show (keys, file kinds, units of the trade).
ASCII_OK = {"PDF", "ID", "Enter", "Ctrl", "Shift", "Alt", "Esc", "Tab", "CSV", "csv", "xlsx", "Excel", "QR",
            "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12", "KB", "MB", "GB", "UTC",
            "https", "http", "Linux", "backups", "logs", "AB", "A", "B", "SQLite", "zip", "WAL", "SHA", "TLS", "CA", "URL", "Del"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
TAG = re.compile(r"<[^>]+>")
# File paths and addresses are data too, in any language mode.
# Technical tokens (environment variables, options, formats like station-id:secret, file names) are not words.
TECHNICAL = re.compile(r"\S*[_\\:]\S*|--\S+|\S+\.(?:pdf|csv|xlsx|db|zip|pem|log)\b|\bWindows\b")
PATHS = re.compile(r"(?:[A-Za-z]:\\|/)[^\s，。；：（）()]*|https?://\S+|\S+@\S+")


def is_user_data(widget: QWidget) -> bool:
    w: QWidget | None = widget
    while w is not None:
        if w.property("user_data"):
            return True
        w = w.parentWidget()
    return False


def _shown(widget: QWidget) -> bool:
    return widget.isVisible() and not is_user_data(widget)


def visible_texts(root: QWidget) -> Iterator[tuple[QWidget, str, str]]:
    """(where, text) for every program text a user can see in ``root`` now."""
    if root.isWindow() and root.windowTitle():
        yield root, "window title", root.windowTitle()
    for w in [root, *root.findChildren(QWidget)]:
        if not _shown(w):
            continue
        name = f"{type(w).__name__}#{w.objectName()}"
        if isinstance(w, QLabel):
            yield w, name, TAG.sub("", w.text())
        elif isinstance(w, QAbstractButton):
            yield w, name, w.text()
        elif isinstance(w, QGroupBox):
            yield w, name, w.title()
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                yield w, f"{name} tab {i}", w.tabText(i)
        elif isinstance(w, QLineEdit):
            yield w, f"{name} placeholder", w.placeholderText()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield w, f"{name} item {i}", w.itemText(i)
        elif isinstance(w, QHeaderView) and w.model() is not None:
            for section in range(w.count()):
                if not w.isSectionHidden(section):
                    yield w, f"{name} header {section}", str(w.model().headerData(section, w.orientation()) or "")
        elif isinstance(w, QListWidget):
            data_role = w.property("data_role")
            for i in range(w.count()):
                item = w.item(i)
                if data_role is None or item.data(int(data_role)) is None:
                    yield w, f"{name} item {i}", item.text()
        elif isinstance(w, QMenuBar):
            for action in w.actions():
                yield w, f"{name} menu", action.text()
                if action.menu() is not None:
                    for sub in action.menu().actions():
                        yield w, f"{name} menu item", sub.text()


def wrong_script(text: str, language: str) -> bool:
    """True when ``text`` is (partly) in the other language's script."""
    if language == "en":
        return bool(HAN.search(text))
    return any(word not in ASCII_OK for word in LATIN_WORD.findall(text))


def _data_strings(root: QWidget) -> list[str]:
    """Data as entered that a widget or its window shows inside program texts (property ``user_data_text``)."""
    found: list[str] = []
    w: QWidget | None = root
    while w is not None:
        found += [str(s) for s in (w.property("user_data_text") or []) if s]
        w = w.parentWidget()
    return sorted(found, key=len, reverse=True)


def foreign_texts(root: QWidget, language: str) -> list[tuple[str, str]]:
    result: list[tuple[str, str]] = []
    for widget, where, text in visible_texts(root):
        for s in _data_strings(widget):
            text = text.replace(s, "")
        text = TECHNICAL.sub("", PATHS.sub("", text))
        if text and wrong_script(text, language):
            words = HAN.findall(text) if language == "en" else [
                w for w in LATIN_WORD.findall(text) if w not in ASCII_OK]
            result.append((where, f"{' '.join(words)}  ← {text[:80]}"))
    return result


def unreachable_buttons(root: QWidget) -> list[str]:
    """Visible buttons (and tabs' buttons) of ``root`` that lie partly outside its window or the screen."""
    window = root.window()
    frame = window.rect()
    bad: list[str] = []
    for w in root.findChildren(QAbstractButton):
        if not w.isVisible() or w.width() == 0:
            continue
        if _inside_scroll_area(w):
            continue
        top_left = w.mapTo(window, w.rect().topLeft())
        rect = QRect(top_left, w.size())
        if not frame.contains(rect) or not _clipped_ok(w):
            bad.append(f"{type(w).__name__}#{w.objectName()} '{w.text()}' at {rect.getRect()} in {frame.getRect()}")
    return bad


def _inside_scroll_area(w: QWidget) -> bool:
    """Buttons inside a scrolled view or list are reached by scrolling."""
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, QAbstractItemView) or type(p).__name__ == "QScrollArea":
            return True
        p = p.parentWidget()
    return False


def _clipped_ok(w: QWidget) -> bool:
    """The whole button is within every ancestor (not cut off by a too-small parent)."""
    p = w.parentWidget()
    while p is not None and not p.isWindow():
        if isinstance(p, QTabWidget):
            break
        top_left = w.mapTo(p, w.rect().topLeft())
        if not p.rect().contains(QRect(top_left, w.size())):
            return False
        p = p.parentWidget()
    return True


def fits_screen(window: QWidget) -> bool:
    return window.width() <= SCREEN.width() and window.height() <= SCREEN.height() - 30  # title bar


def minimum_fits(window: QWidget) -> bool:
    hint = window.minimumSizeHint()
    return hint.width() <= SCREEN.width() and hint.height() <= SCREEN.height() - 30


__all__ = ["SCREEN", "foreign_texts", "fits_screen", "minimum_fits", "unreachable_buttons", "visible_texts",
           "wrong_script", "Qt"]
