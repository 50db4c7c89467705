"""Dialogs that ask before unsaved edits are thrown away (Esc, Cancel or the window's close button).

``GuardedDialog`` remembers what its inputs held at ``mark_clean()`` (called once the form is
filled); Esc, the close button and ``cancel()`` (connect the Cancel button to it) ask first when any
input differs. A programmatic ``reject()`` closes without asking, as QDialog's does; saving ends in
``accept()``, which never asks.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (QAbstractButton, QAbstractSpinBox, QComboBox, QDialog, QLineEdit, QListWidget,
                               QMessageBox, QPlainTextEdit, QTextEdit, QWidget)

from shequ_desktop.i18n import _


def input_state(root: QWidget) -> list[tuple[str, object]]:
    """What the user can change in ``root``: texts, choices, ticks, numbers (by object name and position)."""
    state: list[tuple[str, object]] = []
    for i, w in enumerate(root.findChildren(QWidget)):
        key = f"{i}:{w.objectName()}"
        if isinstance(w, QLineEdit) and not w.isReadOnly():
            state.append((key, w.text()))
        elif isinstance(w, (QPlainTextEdit, QTextEdit)) and not w.isReadOnly():
            state.append((key, w.toPlainText()))
        elif isinstance(w, QComboBox):
            state.append((key, (w.currentIndex(), w.currentText())))
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            state.append((key, w.isChecked()))
        elif isinstance(w, QAbstractSpinBox):
            state.append((key, w.text()))
        elif isinstance(w, QListWidget) and w.property("edited_list"):     # e.g. the parties added so far
            state.append((key, [w.item(r).text() for r in range(w.count())]))
    return state


def ask_discard(parent: QWidget) -> bool:
    """True when the user agrees to throw the edits away (patched in tests)."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Unsaved changes"),
                      _("What you typed in this window is not saved yet. Close it and discard the changes?"),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("discard_changes_box")
    discard = box.addButton(_("Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(_("Keep editing"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


class GuardedDialog(QDialog):
    """A QDialog whose ``reject()`` asks before unsaved edits are lost; call ``mark_clean()`` once filled."""

    _clean: list[tuple[str, object]] | None = None

    def mark_clean(self) -> None:
        self._clean = input_state(self)

    def has_unsaved_edits(self) -> bool:
        return self._clean is not None and input_state(self) != self._clean

    def may_close(self) -> bool:
        """True when nothing was typed, or the user agrees to discard it."""
        return not self.has_unsaved_edits() or ask_discard(self)

    def cancel(self) -> None:
        """The Cancel button: asks first when there are unsaved edits."""
        if self.may_close():
            self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            event.accept()
            self.cancel()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.isVisible() and not self.may_close():
            event.ignore()
            return
        super().closeEvent(event)
