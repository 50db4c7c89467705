"""工作日历: the year's holidays and make-up working days, schedule import, overrides, a deadline tool."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QTextCharFormat
from PySide6.QtWidgets import (QAbstractItemView, QCalendarWidget, QComboBox, QFileDialog,
                               QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain.calendar import DayInfo, DaySource, Deadline
from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.roles import Permission
from shequ_desktop.i18n import N_, _, ngettext
from shequ_desktop.services import calendar as calendar_service
from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.admin._common import (REST_BACKGROUND, WORK_BACKGROUND, compact_rows, message_label,
                                            show_error_inline, show_message)
from shequ_desktop.ui.date_field import DateField
from shequ_desktop.ui.tasks import TaskRunner

WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
SOURCES = {DaySource.OVERRIDE: N_("Local setting or imported notice"), DaySource.PACKAGE: N_("Built-in data"),
           DaySource.IMPORTED_YEAR: N_("Imported notice"), DaySource.FALLBACK: N_("Provisional (Mon–Fri)")}
DAY_CHOICES = ((N_("Working day"), True), (N_("Rest day"), False), (N_("Restore default"), None))


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def kind_text(info: DayInfo) -> str:
    return _("Make-up working day") if info.is_workday else _("Rest day")


class CalendarPage(QWidget):
    """Shows every non-ordinary day of a year; admins import schedules and override single days."""

    year_loaded = Signal(int)
    schedule_imported = Signal(int)
    day_changed = Signal(object)
    due_date_computed = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.exceptions: dict[dt.date, DayInfo] = {}
        self._build()
        editable = ctx.may(Permission.CALENDAR_EDIT)
        self.import_button.setVisible(editable)
        self.edit_group.setVisible(editable)
        self.year_spin.setValue(local_today(ctx.clock).year)
        self.year_spin.valueChanged.connect(self._on_year_spin_value_changed)
        self.reload()

    # ---- building ----

    def _build(self) -> None:
        self.year_spin = QSpinBox(objectName="year_spin", minimum=2004, maximum=2100)
        self.import_button = QPushButton(_("Import State Council holiday schedule…"), objectName="import_button")
        self.import_button.clicked.connect(self._on_import_button_clicked)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Year")))
        top.addWidget(self.year_spin)
        top.addStretch(1)
        top.addWidget(self.import_button)
        self.next_year_warning_label = message_label("next_year_warning_label")
        self.coverage_label = message_label("coverage_label")
        self.status_label = message_label("status_label")
        self.error_label = message_label("error_label")
        self.calendar_widget = QCalendarWidget(objectName="calendar_widget")
        self.calendar_widget.setGridVisible(True)
        self.calendar_widget.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.calendar_widget.selectionChanged.connect(self._on_calendar_widget_selection_changed)
        self.days_table = QTableWidget(0, 5, objectName="days_table")
        self.days_table.setHorizontalHeaderLabels([_("Date"), _("Weekday"), _("Kind"), _("Holiday"), _("Source")])
        self.days_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.days_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.days_table.verticalHeader().hide()
        compact_rows(self.days_table)
        self.days_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.days_table.horizontalHeader().setStretchLastSection(True)
        self.days_table.itemSelectionChanged.connect(self._on_days_table_selection_changed)
        left = QVBoxLayout()
        left.addWidget(self.calendar_widget)
        self.selected_day_label = QLabel(objectName="selected_day_label")
        left.addWidget(self.selected_day_label)
        left.addWidget(self._build_edit_group())
        left.addWidget(self._build_deadline_group())
        left.addStretch(1)
        middle = QHBoxLayout()
        middle.addLayout(left, 0)
        middle.addWidget(self.days_table, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        for label in (self.next_year_warning_label, self.coverage_label, self.error_label, self.status_label):
            layout.addWidget(label)
        layout.addLayout(middle, 1)

    def _build_edit_group(self) -> QGroupBox:
        self.edit_group = QGroupBox(_("Change the selected day"), objectName="edit_group")
        self.day_kind_combo = QComboBox(objectName="day_kind_combo")
        for text, value in DAY_CHOICES:
            self.day_kind_combo.addItem(_(text), value)
        self.note_edit = QLineEdit(objectName="note_edit", placeholderText=_("Reason or notice number"))
        self.apply_button = QPushButton(_("Apply"), objectName="apply_button")
        self.apply_button.clicked.connect(self._on_apply_button_clicked)
        form = QFormLayout(self.edit_group)
        form.addRow(_("Set to"), self.day_kind_combo)
        form.addRow(_("Note"), self.note_edit)
        form.addRow("", self.apply_button)
        return self.edit_group

    def _build_deadline_group(self) -> QGroupBox:
        group = QGroupBox(_("Compute a deadline"), objectName="deadline_group")
        self.start_date_edit = DateField(objectName="start_date_edit", field="start")
        self.start_date_edit.setDate(_qdate(local_today(self.ctx.clock)))
        self.working_days_spin = QSpinBox(objectName="working_days_spin", minimum=0, maximum=365, value=5)
        self.working_days_spin.setSuffix(_(" working days"))
        self.compute_button = QPushButton(_("Compute"), objectName="compute_button")
        self.compute_button.clicked.connect(self._on_compute_button_clicked)
        self.due_label = QLabel(objectName="due_label")
        self.due_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout(group)
        form.addRow(_("Accepted on"), self.start_date_edit)
        form.addRow(_("Time limit"), self.working_days_spin)
        form.addRow(self.compute_button, self.due_label)
        return group

    # ---- loading ----

    def reload(self) -> None:
        year, ctx = self.year_spin.value(), self.ctx
        self.runner.submit(lambda: (calendar_service.year_report(ctx, year), calendar_service.coverage_warning(ctx)),
                           self._on_year_report_loaded, self._on_task_failed)

    def _on_year_spin_value_changed(self, _year: int) -> None:
        self.reload()

    def _on_year_report_loaded(self, result: tuple[calendar_service.YearReport, int | None]) -> None:
        report, warn_year = result
        if report.year != self.year_spin.value():
            return  # the user moved on to another year meanwhile
        self._show_warning(warn_year)
        rest = sum(not d.is_workday for d in report.exceptions)
        work = len(report.exceptions) - rest
        counts = ngettext("{rest} weekday rest day, {work}.", "{rest} weekday rest days, {work}.", rest).format(
            rest=rest, work=ngettext("{n} weekend working day", "{n} weekend working days", work).format(n=work))
        if report.covered:
            show_message(self.coverage_label, _("Holiday data for {year} is complete.").format(year=report.year)
                         + " " + counts, "ok")
        else:
            show_message(self.coverage_label, _("Holiday data for {year} is missing: deadlines are provisional, "
                                                "counted Monday to Friday.").format(year=report.year), "warn")
        self.exceptions = {info.day: info for info in report.exceptions}
        self._fill_table(report.exceptions)
        self._paint_calendar(report.year)
        self.year_loaded.emit(report.year)

    def _show_warning(self, year: int | None) -> None:
        text = _("The holiday schedule for {year} has not been imported yet.").format(year=year) if year else ""
        if text and not self.ctx.may(Permission.CALENDAR_EDIT):
            text += " " + _("Please ask the administrator to import it.")
        show_message(self.next_year_warning_label, text, "alert")

    def _fill_table(self, days: list[DayInfo]) -> None:
        self.days_table.setRowCount(len(days))
        for row, info in enumerate(days):
            cells = (info.day.isoformat(), _(WEEKDAYS[info.day.weekday()]), kind_text(info), info.name or "",
                     _(SOURCES[info.source]))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setBackground(WORK_BACKGROUND if info.is_workday else REST_BACKGROUND)
                self.days_table.setItem(row, column, item)

    def _paint_calendar(self, year: int) -> None:
        cal = self.calendar_widget
        cal.setDateTextFormat(QDate(), QTextCharFormat())  # forget last year's colours
        cal.setDateRange(QDate(year, 1, 1), QDate(year, 12, 31))
        for day, info in self.exceptions.items():
            fmt = QTextCharFormat()
            fmt.setBackground(QBrush(WORK_BACKGROUND if info.is_workday else REST_BACKGROUND))
            fmt.setForeground(QBrush(Qt.GlobalColor.black if info.is_workday else Qt.GlobalColor.darkRed))
            fmt.setToolTip(f"{kind_text(info)} {info.name or ''}".strip())
            cal.setDateTextFormat(_qdate(day), fmt)
        self._on_calendar_widget_selection_changed()

    # ---- selection ----

    def selected_day(self) -> dt.date:
        return _pydate(self.calendar_widget.selectedDate())

    def select_day(self, day: dt.date) -> None:
        self.calendar_widget.setSelectedDate(_qdate(day))

    def _on_days_table_selection_changed(self) -> None:
        rows = self.days_table.selectionModel().selectedRows()
        if rows:
            self.select_day(dt.date.fromisoformat(self.days_table.item(rows[0].row(), 0).text()))

    def _on_calendar_widget_selection_changed(self) -> None:
        day = self.selected_day()
        info = self.exceptions.get(day)
        if info is None:
            kind = _("Working day") if day.weekday() < 5 else _("Weekend rest day")
        else:
            kind = f"{kind_text(info)} {info.name or ''}".strip()
        self.selected_day_label.setText(f"{day.isoformat()} {_(WEEKDAYS[day.weekday()])}: {kind}")

    # ---- actions ----

    def _on_import_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Import holiday schedule"), "",
                                                    _("CSV files (*.csv *.txt)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> None:
        """Import a schedule CSV (date, rest/work, notice number) in the background."""
        ctx = self.ctx
        show_message(self.error_label, "")
        show_message(self.status_label, _("Importing {name}…").format(name=path.name))
        self.runner.submit(lambda: calendar_service.import_schedule(ctx, path),
                           self._on_schedule_imported, self._on_task_failed)

    def _on_schedule_imported(self, report: calendar_service.ImportReport) -> None:
        show_message(self.status_label, ngettext("Imported {days} day for {years}.",
                                                 "Imported {days} days for {years}.", report.days).format(
            days=report.days, years="、".join(map(str, report.years))), "ok")
        self.schedule_imported.emit(report.days)
        if report.years and self.year_spin.value() not in report.years:
            self.year_spin.setValue(report.years[-1])  # reloads through valueChanged
        else:
            self.reload()

    def _on_apply_button_clicked(self) -> None:
        ctx, day = self.ctx, self.selected_day()
        is_workday, note = self.day_kind_combo.currentData(), self.note_edit.text().strip()
        show_message(self.error_label, "")
        self.runner.submit(lambda: calendar_service.set_day(ctx, day, is_workday, note),
                           lambda _r: self._on_day_set(day), self._on_task_failed)

    def _on_day_set(self, day: dt.date) -> None:
        show_message(self.status_label, _("{day} was changed.").format(day=day.isoformat()), "ok")
        self.note_edit.clear()
        self.day_changed.emit(day)
        self.reload()

    def _on_compute_button_clicked(self) -> None:
        try:
            start = self.start_date_edit.value()
        except UserError:
            return                     # the field shows why
        ctx, n = self.ctx, self.working_days_spin.value()
        self.runner.submit(lambda: calendar_service.due_date(ctx, start, n),
                           self._on_due_date_computed, self._on_task_failed)

    def _on_due_date_computed(self, deadline: Deadline) -> None:
        text = _("Due: {date} {weekday}").format(date=deadline.due.isoformat(),
                                                 weekday=_(WEEKDAYS[deadline.due.weekday()]))
        if deadline.provisional:
            text += " " + _("(provisional)")
        self.due_label.setText(text)
        self.due_label.setStyleSheet("color: #9a5b00; font-weight: bold;" if deadline.provisional
                                     else "font-weight: bold;")
        self.due_date_computed.emit(deadline)

    def _on_task_failed(self, error: object) -> None:
        show_message(self.status_label, "")
        show_error_inline(self.error_label, error, self)
