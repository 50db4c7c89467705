"""Small pieces shared by the operations dialogs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from shequ_desktop.ui.admin._common import message_label, show_error_inline, show_message

__all__ = ["message_label", "show_error_inline", "show_message", "path_label", "size_text"]


def path_label(object_name: str) -> QLabel:
    """A file path the admin can select and copy (to tell the IT admin over the phone)."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"
