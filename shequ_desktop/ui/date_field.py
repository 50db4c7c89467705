"""The program's one date field: typed as people type dates, a calendar popup near a sensible day.

``DateField`` replaces QDateEdit wherever a date is entered. It is a line edit (2018-05-01, 20180501,
2018.5.1, 2018/5/1 and 2018年5月1日 are accepted and shown back as 2018-05-01), a calendar button and
a red message next to the field for a text that is not a date. The QDateEdit methods the program
used (``date``, ``setDate``, ``dateChanged``, ``setMinimumDate``/``setMaximumDate``, ``setCalendarPopup``,
``setDisplayFormat``, ``setSpecialValueText``) keep working, so a QDateEdit can be swapped for it.

An ``optional`` field may stay empty (``value()`` is then None). The popup opens on the field's date,
else on ``popup_default`` (a date or a callable giving one: today for a move-in), else today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QCalendarWidget, QFrame, QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QToolButton,
                               QVBoxLayout, QWidget)

from shequ_desktop.domain.dates import check_range, parse_date_text, parse_month_text
from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import _, error_text

DayLike = QDate | dt.date | None


def to_date(value: DayLike) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, QDate):
        return dt.date(value.year(), value.month(), value.day()) if value.isValid() else None
    return value


def to_qdate(value: dt.date | None) -> QDate:
    return QDate(value.year, value.month, value.day) if value is not None else QDate()


class CalendarPopup(QFrame):
    """The calendar under the field; a click picks the day and closes it, Esc closes it unchanged."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self, objectName="popup_calendar")
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._on_calendar_clicked)
        self.calendar.activated.connect(self._on_calendar_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.calendar)

    def _on_calendar_clicked(self, day: QDate) -> None:
        self.picked.emit(day)
        self.hide()


class DateField(QWidget):
    """A date the user types or picks; see the module docstring."""

    dateChanged = Signal(QDate)          # noqa: N815 (QDateEdit's name) — a new valid date was entered
    errorChanged = Signal(str)           # noqa: N815 — the message next to the field ("" when fine)

    def __init__(self, date: DayLike | QWidget = None, parent: QWidget | None = None, *,
                 objectName: str = "",  # noqa: N803
                 optional: bool = False, popup_default: DayLike | Callable[[], DayLike] = None,
                 field: str | None = None, month_only: bool = False,
                 calendarPopup: bool = True) -> None:  # noqa: N803, ARG002
        if isinstance(date, QWidget):          # DateField(parent), as QDateEdit(parent)
            date, parent = None, date
        super().__init__(parent)
        if objectName:
            self.setObjectName(objectName)
        self._optional = optional
        self._month_only = month_only
        self._popup_default = popup_default
        self._field = field
        self._lowest: dt.date | None = None
        self._highest: dt.date | None = None
        self._value: dt.date | None = None
        self._error_label: QLabel | None = None
        self._popup: CalendarPopup | None = None

        self.line_edit = QLineEdit(self, objectName="date_line_edit")
        self.line_edit.setMaxLength(16)
        self.line_edit.editingFinished.connect(self._commit)
        self.line_edit.textEdited.connect(self._on_line_edit_text_edited)
        self.line_edit.installEventFilter(self)
        self.popup_button = QToolButton(self, objectName="date_popup_button")
        self.popup_button.setText("▾")
        self.popup_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.popup_button.clicked.connect(self.open_popup)
        self.own_error_label = QLabel(self, objectName="date_error_label")
        self.own_error_label.setStyleSheet("color: #c0392b;")
        self.own_error_label.setWordWrap(False)
        self.own_error_label.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.popup_button)
        layout.addWidget(self.own_error_label)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFocusProxy(self.line_edit)
        self._retranslate()
        if date is not None:
            self.setDate(date)

    # --- QDateEdit-compatible API -------------------------------------------------------------
    def date(self) -> QDate:
        """The date typed so far (an invalid QDate while empty). A text that is not a date is shown as an
        error next to the field and the last good date is returned; use ``value()`` to refuse it."""
        self._commit()
        return to_qdate(self._value)

    def setDate(self, date: DayLike) -> None:  # noqa: N802
        day = to_date(date)
        if day is not None and self._month_only:
            day = day.replace(day=1)
        self._set_value(day, emit=True)
        self.line_edit.setText(self._shown(day))
        self._show_error("")

    def setMinimumDate(self, date: DayLike) -> None:  # noqa: N802
        self._lowest = to_date(date)

    def setMaximumDate(self, date: DayLike) -> None:  # noqa: N802
        self._highest = to_date(date)

    def minimumDate(self) -> QDate:  # noqa: N802
        return to_qdate(self._lowest)

    def maximumDate(self) -> QDate:  # noqa: N802
        return to_qdate(self._highest)

    def setDateRange(self, lowest: DayLike, highest: DayLike) -> None:  # noqa: N802
        self.setMinimumDate(lowest)
        self.setMaximumDate(highest)

    def setCalendarPopup(self, enabled: bool) -> None:  # noqa: N802
        self.popup_button.setVisible(enabled)

    def setDisplayFormat(self, _format: str) -> None:  # noqa: N802
        """Dates are always shown as 2018-05-01 (the form every paper and list uses)."""

    def setSpecialValueText(self, text: str) -> None:  # noqa: N802
        """An empty optional field shows ``text`` greyed out."""
        self._optional = True
        self.line_edit.setProperty("auto_placeholder", False)
        self.line_edit.setPlaceholderText(text)

    def text(self) -> str:
        return self.line_edit.text()

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802
        self.line_edit.setReadOnly(read_only)
        self.popup_button.setEnabled(not read_only)

    # --- checked value --------------------------------------------------------------------------
    def value(self) -> dt.date | None:
        """The date in the field now; UserError (shown next to the field too) when it is not one."""
        try:
            day = self._parse(self.line_edit.text())
        except UserError as error:
            self._show_error(error_text(error))
            raise
        self._show_error("")
        self._set_value(day, emit=True)
        return day

    def is_valid(self) -> bool:
        try:
            self._parse(self.line_edit.text())
        except UserError:
            return False
        return True

    def error(self) -> str:
        return self.own_error_label.text() if self._error_label is None else self._error_label.text()

    def setErrorLabel(self, label: QLabel | None) -> None:  # noqa: N802
        """Show messages in ``label`` (a form's own error label) instead of next to the field."""
        self._error_label = label
        self.own_error_label.hide()

    def set_popup_default(self, default: DayLike | Callable[[], DayLike]) -> None:
        """The day the calendar opens on while the field is empty (a date or a callable)."""
        self._popup_default = default

    def setField(self, field: str) -> None:  # noqa: N802
        """The UserError field name used for this input's messages."""
        self._field = field

    def _shown(self, day: dt.date | None) -> str:
        if day is None:
            return ""
        return day.isoformat()[:7] if self._month_only else day.isoformat()

    def _parse(self, text: str) -> dt.date | None:
        day = (parse_month_text if self._month_only else parse_date_text)(text, field=self._field)
        if day is None:
            if self._optional:
                return None
            raise UserError("Please enter a date.", field=self._field)
        lowest = self._lowest.replace(day=1) if self._month_only and self._lowest else self._lowest
        check_range(day, lowest, self._highest, field=self._field)
        return day

    def _commit(self) -> None:
        try:
            day = self._parse(self.line_edit.text())
        except UserError as error:
            self._show_error(error_text(error))
            return
        self._show_error("")
        if day is not None and self.line_edit.text() != self._shown(day):
            self.line_edit.setText(self._shown(day))
        self._set_value(day, emit=True)

    def _set_value(self, day: dt.date | None, *, emit: bool) -> None:
        if day == self._value:
            return
        self._value = day
        if emit:
            self.dateChanged.emit(to_qdate(day))

    def _on_line_edit_text_edited(self, _text: str) -> None:
        if self.error():
            self._show_error("")

    def _show_error(self, text: str) -> None:
        label = self._error_label or self.own_error_label
        if label.text() == text:
            return
        label.setText(text)
        label.setVisible(bool(text) or bool(label.property("reserved")))
        self.line_edit.setStyleSheet("QLineEdit { border: 1px solid #c0392b; }" if text else "")
        self.errorChanged.emit(text)

    # --- popup ----------------------------------------------------------------------------------
    def popup_start(self) -> dt.date:
        """The day the calendar opens on: the field's date, else the context default, else today."""
        try:
            typed = self._parse(self.line_edit.text())
        except UserError:
            typed = None
        if typed is not None:
            return typed
        default = self._popup_default() if callable(self._popup_default) else self._popup_default
        day = to_date(default) or dt.date.today()
        if self._highest is not None and day > self._highest:
            day = self._highest
        if self._lowest is not None and day < self._lowest:
            day = self._lowest
        return day

    def open_popup(self) -> CalendarPopup:
        if self._popup is None:
            self._popup = CalendarPopup(self)
            self._popup.picked.connect(self._on_popup_picked)
        calendar = self._popup.calendar
        calendar.setMinimumDate(to_qdate(self._lowest) if self._lowest else QDate(1900, 1, 1))
        calendar.setMaximumDate(to_qdate(self._highest) if self._highest else QDate(2100, 12, 31))
        start = to_qdate(self.popup_start())
        calendar.setSelectedDate(start)
        calendar.setCurrentPage(start.year(), start.month())
        self._popup.adjustSize()
        self._popup.move(self._popup_position())
        self._popup.show()
        return self._popup

    def _popup_position(self) -> QPoint:
        below = self.mapToGlobal(QPoint(0, self.height()))
        screen = self.screen().availableGeometry() if self.screen() is not None else None
        if screen is None:
            return below
        size = self._popup.sizeHint() if self._popup is not None else self.size()
        x = min(below.x(), screen.right() - size.width())
        y = below.y() if below.y() + size.height() <= screen.bottom() else self.mapToGlobal(QPoint(0, 0)).y() - size.height()
        return QPoint(max(screen.left(), x), max(screen.top(), y))

    def _on_popup_picked(self, day: QDate) -> None:
        self.line_edit.setText(self._shown(to_date(day)))
        self._commit()
        self.line_edit.setFocus()

    def eventFilter(self, watched: object, event: QEvent) -> bool:  # noqa: N802
        if (watched is self.line_edit and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.open_popup()
            return True
        return super().eventFilter(watched, event)

    # --- language -------------------------------------------------------------------------------
    def _retranslate(self) -> None:
        self.popup_button.setToolTip(_("Pick the date in a calendar (Alt+Down)"))
        if self.line_edit.property("auto_placeholder") is not False:
            self.line_edit.setPlaceholderText(_("e.g. 2018-05") if self._month_only else _("e.g. 2018-05-01"))
            self.line_edit.setProperty("auto_placeholder", True)
        if self.error():
            self._commit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
