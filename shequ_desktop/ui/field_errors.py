"""Inline error labels: a UserError's message goes into the red label next to its field."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QLabel

from shequ_desktop.domain.errors import UserError, ValidationErrors
from shequ_desktop.i18n import error_text


class FieldErrors:
    """Maps field names (UserError.field) to their error labels; unknown fields go to ``fallback``.

    ``reserve``: every label keeps one line of space while empty, so a dialog does not jump when a
    message appears (the labels stay shown, blank)."""

    def __init__(self, labels: Mapping[str, QLabel], fallback: QLabel, reserve: bool = False) -> None:
        self._labels = dict(labels)
        self._fallback = fallback
        self._reserve = reserve
        if reserve:
            for label in (*self._labels.values(), fallback):
                label.setMinimumHeight(label.fontMetrics().height())
                label.setProperty("reserved", True)     # others showing messages here keep it shown too
        self.clear()

    def clear(self) -> None:
        for label in (*self._labels.values(), self._fallback):
            label.clear()
            label.setVisible(self._reserve)

    def set(self, field: str | None, text: str) -> None:
        label = self._labels.get(field or "", self._fallback)
        label.setText(text)
        label.setVisible(self._reserve or bool(text))

    def show(self, error: UserError) -> None:
        """Every message of ``error`` next to its field; several for one field are joined."""
        errors = error.errors if isinstance(error, ValidationErrors) else [error]
        texts: dict[str | None, list[str]] = {}
        for e in errors:
            key = e.field if e.field in self._labels else None
            texts.setdefault(key, []).append(error_text(e))
        for key, lines in texts.items():
            self.set(key, "\n".join(lines))

    def text(self, field: str) -> str:
        return self._labels[field].text()
