"""A small form dialog built from a field list, with the error shown next to its field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateTimeEdit, QDialogButtonBox,
                               QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget)

from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import _
from shequ_desktop.ui.date_field import DateField
from shequ_desktop.ui.field_errors import FieldErrors
from shequ_desktop.ui.tasks import TaskRunner
from shequ_desktop.ui.unsaved import GuardedDialog


@dataclass(frozen=True)
class Field:
    key: str
    label: str                       # message id
    kind: str = "line"               # line | text | combo | datetime | date | check
    choices: Sequence[tuple[str, str]] = ()   # (value, shown text) for combos
    value: Any = None


class ActionDialog(GuardedDialog):
    """Fields → ``submit(values)`` on the DB thread; a UserError stays in the dialog next to its field."""

    done = Signal(object)

    def __init__(self, title: str, fields: Sequence[Field], runner: TaskRunner,
                 submit: Callable[[dict[str, Any]], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("mediation_action_dialog")
        self._runner, self._submit = runner, submit
        self.widgets: dict[str, QWidget] = {}
        form = QFormLayout()
        labels: dict[str, QLabel] = {}
        for f in fields:
            widget = self._widget(f)
            widget.setObjectName(f"{f.key}_input")
            self.widgets[f.key] = widget
            error = QLabel(self)
            error.setObjectName(f"{f.key}_error")
            error.setStyleSheet("color: #c0392b;")
            error.setWordWrap(True)
            labels[f.key] = error
            if isinstance(widget, DateField):
                widget.setErrorLabel(error)
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(widget)
            box.addWidget(error)
            form.addRow(_(f.label), box)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("error_label")
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.setWordWrap(True)
        self.errors = FieldErrors(labels, self.error_label, reserve=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(560, min(640, 120 + 60 * len(fields)))
        self.mark_clean()

    def _widget(self, f: Field) -> QWidget:
        if f.kind == "text":
            w = QPlainTextEdit(self)
            w.setPlainText(str(f.value or ""))
            w.setMinimumHeight(70)
            return w
        if f.kind == "combo":
            c = QComboBox(self)
            for value, text in f.choices:
                c.addItem(text, value)
            if f.value is not None:
                c.setCurrentIndex(max(0, c.findData(f.value)))
            return c
        if f.kind == "datetime":
            when = (f.value or dt.datetime.now(dt.timezone.utc)).astimezone(SHANGHAI)
            d = QDateTimeEdit(QDateTime(QDate(when.year, when.month, when.day), QTime(when.hour, when.minute)), self)
            d.setDisplayFormat("yyyy-MM-dd HH:mm")
            d.setCalendarPopup(True)
            return d
        if f.kind == "date":
            day = f.value or dt.date.today()
            return DateField(day, self, field=f.key)
        if f.kind == "check":
            b = QCheckBox(self)
            b.setChecked(bool(f.value))
            return b
        line = QLineEdit(self)
        line.setText(str(f.value or ""))
        return line

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, w in self.widgets.items():
            if isinstance(w, QPlainTextEdit):
                out[key] = w.toPlainText()
            elif isinstance(w, QComboBox):
                out[key] = w.currentData()
            elif isinstance(w, QDateTimeEdit):
                q = w.dateTime()
                out[key] = dt.datetime(q.date().year(), q.date().month(), q.date().day(), q.time().hour(),
                                       q.time().minute(), tzinfo=SHANGHAI)
            elif isinstance(w, DateField):
                out[key] = w.value()        # UserError (shown next to the field) for a non-date
            elif isinstance(w, QCheckBox):
                out[key] = w.isChecked()
            elif isinstance(w, QLineEdit):
                out[key] = w.text()
        return out

    def set_value(self, key: str, value: Any) -> None:
        w = self.widgets[key]
        if isinstance(w, DateField):
            w.setDate(value)
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(str(value))
        elif isinstance(w, QLineEdit):
            w.setText(str(value))
        elif isinstance(w, QComboBox):
            w.setCurrentIndex(max(0, w.findData(value)))

    def submit(self) -> None:
        self.errors.clear()
        try:
            values = self.values()
        except UserError as error:
            self.errors.show(error)
            return
        self.buttons.setEnabled(False)
        self._runner.submit(lambda: self._submit(values), self._on_done, self._on_failed)

    def _on_done(self, result: object) -> None:
        self.buttons.setEnabled(True)
        self.done.emit(result)
        self.accept()

    def _on_failed(self, error: object) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, UserError):
            self.errors.show(error)
        else:
            from shequ_desktop.ui.errors import report_exception
            report_exception(error, self)


__all__ = ["ActionDialog", "Field"]
