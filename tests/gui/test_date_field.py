"""The shared date field: typed dates in the usual forms, an error next to it, a calendar near a sensible day."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt

from shequ_desktop.domain.errors import UserError
from shequ_desktop.ui.date_field import DateField


def make(qtbot, **kwargs) -> DateField:  # noqa: ANN001, ANN003
    field = DateField(**kwargs)
    qtbot.addWidget(field)
    field.show()
    return field


def type_date(qtbot, field: DateField, text: str) -> None:  # noqa: ANN001
    field.line_edit.clear()
    field.line_edit.setFocus()
    qtbot.keyClicks(field.line_edit, text)
    qtbot.keyClick(field.line_edit, Qt.Key.Key_Return)


@pytest.mark.parametrize("text", ["2018-05-01", "20180501", "2018.5.1", "2018/5/1"])
def test_typed_forms_are_accepted_and_shown_back_the_same_way(qtbot, text: str) -> None:  # noqa: ANN001
    field = make(qtbot)
    with qtbot.waitSignal(field.dateChanged) as blocker:
        type_date(qtbot, field, text)
    assert blocker.args == [QDate(2018, 5, 1)]
    assert field.line_edit.text() == "2018-05-01"
    assert field.value() == dt.date(2018, 5, 1)
    assert field.error() == ""


def test_a_non_date_shows_an_error_next_to_the_field(qtbot) -> None:  # noqa: ANN001
    field = make(qtbot, date=dt.date(2020, 1, 2), field="day")
    type_date(qtbot, field, "2018-13-01")
    assert field.own_error_label.isVisible()
    assert "not a real date" in field.error()
    with pytest.raises(UserError) as info:
        field.value()
    assert info.value.field == "day"
    assert field.date() == QDate(2020, 1, 2)         # the last good date is kept, not a made-up one
    type_date(qtbot, field, "hello")
    assert "is not a date" in field.error()
    qtbot.keyClick(field.line_edit, Qt.Key.Key_Backspace)
    assert field.error() == "" and field.own_error_label.isHidden()   # typing again clears it


def test_outside_the_allowed_range_is_refused(qtbot) -> None:  # noqa: ANN001
    field = make(qtbot)
    field.setMaximumDate(QDate(2026, 11, 25))
    type_date(qtbot, field, "20261126")
    assert "2026-11-25 or earlier" in field.error()


def test_empty_is_fine_only_when_optional(qtbot) -> None:  # noqa: ANN001
    optional = make(qtbot, optional=True)
    assert optional.value() is None
    required = make(qtbot)
    with pytest.raises(UserError):
        required.value()


def test_popup_opens_on_the_value_else_the_context_default(qtbot) -> None:  # noqa: ANN001
    field = make(qtbot, optional=True, popup_default=dt.date(2026, 11, 25))
    field.setMinimumDate(QDate(1900, 1, 1))
    popup = field.open_popup()
    assert popup.calendar.selectedDate() == QDate(2026, 11, 25)       # not January 1900
    assert popup.calendar.yearShown() == 2026
    popup.hide()
    type_date(qtbot, field, "2019.3.4")
    popup = field.open_popup()
    assert popup.calendar.selectedDate() == QDate(2019, 3, 4)
    with qtbot.waitSignal(field.dateChanged):
        popup.calendar.clicked.emit(QDate(2019, 3, 9))
    assert field.line_edit.text() == "2019-03-09" and popup.isHidden()


def test_qdateedit_style_construction(qtbot) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QWidget
    parent = QWidget()
    qtbot.addWidget(parent)
    field = DateField(QDate(2024, 2, 29), parent, objectName="x_edit")
    assert field.parent() is parent and field.objectName() == "x_edit"
    assert field.date().toPython() == dt.date(2024, 2, 29)
    assert DateField(parent).parent() is parent
