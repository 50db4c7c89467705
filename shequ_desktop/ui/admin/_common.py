"""Small helpers shared by the admin pages: message labels, local times, error routing."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QTableWidget, QWidget

from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.errors import UserError
from shequ_desktop.ui.errors import message_for, report_exception

OK_COLOUR = "#1b7a2f"
WARN_COLOUR = "#9a5b00"
ERROR_COLOUR = "#c62828"
REST_BACKGROUND = QColor("#fde2e1")
WORK_BACKGROUND = QColor("#dcebfb")
CHANGED_BACKGROUND = QColor("#fff3b0")
ERROR_BACKGROUND = QColor("#f8c9c6")

_STYLES = {
    "ok": f"color: {OK_COLOUR};",
    "warn": f"color: {WARN_COLOUR}; background: #fff4e0; border: 1px solid #f0c36d; padding: 6px;",
    "error": f"color: {ERROR_COLOUR}; font-weight: bold;",
    "alert": f"color: white; background: {ERROR_COLOUR}; font-weight: bold; padding: 6px;",
    "info": "",
}


def message_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.hide()
    return label


def show_message(label: QLabel, text: str, kind: str = "info") -> None:
    """Put ``text`` into ``label`` in the colours of ``kind``; empty text hides the label."""
    label.setText(text)
    label.setStyleSheet(_STYLES[kind])
    label.setVisible(bool(text))


def show_error_inline(label: QLabel, error: object, parent: QWidget) -> None:
    """UserErrors go next to the input; anything else is a bug for the global handler."""
    if isinstance(error, UserError):
        show_message(label, message_for(error), "error")
    else:
        report_exception(error, parent)


def compact_rows(table: QTableWidget) -> None:
    """One text line per row instead of the style's roomy default."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)


def local_text(when: dt.datetime) -> str:
    """A stored UTC time as the clerk's wall-clock time (Asia/Shanghai)."""
    return to_local(when).strftime("%Y-%m-%d %H:%M:%S")
