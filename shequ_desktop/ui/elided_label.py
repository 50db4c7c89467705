"""A label that gives up width before the window does: it shows "…" and keeps the whole text as its tooltip.

Status-bar reminders (sync trouble, holidays not imported, the emergency kit) can be long in English; a plain
QLabel would make the main window's minimum wider than a 1366-pixel screen. This one asks for little width,
shows as much as fits, and the full sentence stays one hover away.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QStyleOption, QWidget

MIN_CHARS = 8   # shown before the text is cut: enough to recognise which reminder it is


class ElidedLabel(QLabel):
    """``text()`` is the whole text (tests and screen readers see it); painting cuts it with "…" to fit."""

    def __init__(self, parent: QWidget | None = None, objectName: str = "") -> None:  # noqa: N803
        super().__init__(parent)
        if objectName:
            self.setObjectName(objectName)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._own_tooltip = ""

    def setText(self, text: str) -> None:  # noqa: N802
        super().setText(text)
        self._update_tooltip()

    def setToolTip(self, tip: str) -> None:  # noqa: N802
        """An explicit tooltip (a hint beyond the text) is shown under the whole text when that is cut."""
        self._own_tooltip = tip
        self._update_tooltip()

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        metrics = self.fontMetrics()
        short = metrics.horizontalAdvance(self.text()[:MIN_CHARS] + "…")
        margins = self.contentsMargins()
        return QSize(min(hint.width(), short + margins.left() + margins.right()), hint.height())

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._update_tooltip()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        self.style().drawItemText(painter, rect, int(self.alignment()), option.palette,
                                  self.isEnabled(), text, self.foregroundRole())

    def _update_tooltip(self) -> None:
        parts = [self.text()] if self.is_elided() else []
        if self._own_tooltip:
            parts.append(self._own_tooltip)
        super().setToolTip("\n".join(parts))
