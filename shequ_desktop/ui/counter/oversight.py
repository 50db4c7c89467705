"""站长督办: overdue cases, the on-time completion rate (按时办结率) with its lines, AB-post absences."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.roles import Role
from shequ_desktop.domain.roles import ROLE_MSGIDS
from shequ_desktop.i18n import _
from shequ_desktop.services import counter_oversight, staff
from shequ_desktop.services.staff import StaffEntry
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.counter_oversight import AbsenceWarning, CaseRow, OnTimeRate, RateLine
from shequ_desktop.ui.counter.case_list import make_case_table
from shequ_desktop.ui.counter.case_model import ID_ROLE, CaseFilterProxy, CaseTableModel
from shequ_desktop.ui.counter.labels import PROBLEM_TEXT, RED
from shequ_desktop.ui.date_field import DateField
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.tasks import TaskRunner

TARGET = 0.98                       # R32: 按时办结率 ≥ 98 %
LINES_ROLE = Qt.ItemDataRole.UserRole
STAFF_ROLES = (Role.CLERK, Role.WORKER, Role.CHIEF)


def rate_text(on_time: int, total: int) -> str:
    return "—" if total == 0 else f"{on_time / total:.1%}"


class OversightPanel(QWidget):
    overdue_changed = Signal(int)
    case_opened = Signal(str)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        today = local_today(ctx.clock)
        # overdue
        self.overdue_group = QGroupBox(self)
        self.overdue_model = CaseTableModel(self)
        proxy = CaseFilterProxy(self)
        proxy.setSourceModel(self.overdue_model)
        self.overdue_table = make_case_table(self)
        self.overdue_table.setObjectName("overdue_table")
        self.overdue_table.setModel(proxy)
        for column, width in enumerate((200, 130, 70, 240, 120, 90, 90)):
            self.overdue_table.setColumnWidth(column, width)
        self.overdue_table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.overdue_table.activated.connect(self._on_overdue_table_activated)
        QVBoxLayout(self.overdue_group).addWidget(self.overdue_table)
        # absences
        self.absence_group = QGroupBox(self)
        self.user_combo = QComboBox(self)
        self.user_combo.setObjectName("absent_user_combo")
        self.absent_date = DateField(today, self, objectName="absent_date_edit", field="day")
        self.absent_reason = QLineEdit(self)
        self.absent_reason.setObjectName("absent_reason_edit")
        self.absent_button = QPushButton(self)
        self.absent_button.setObjectName("mark_absent_button")
        self.absence_label = QLabel(self)
        self.absence_label.setObjectName("absence_label")
        self.absence_label.setWordWrap(True)
        grid = QGridLayout(self.absence_group)
        self.absence_captions = [QLabel(self) for _ in range(3)]
        for row, widget in enumerate((self.user_combo, self.absent_date, self.absent_reason)):
            grid.addWidget(self.absence_captions[row], row, 0)
            grid.addWidget(widget, row, 1)
        grid.addWidget(self.absent_button, 3, 1)
        grid.addWidget(self.absence_label, 4, 0, 1, 2)
        grid.setRowStretch(5, 1)
        # on-time rate
        self.rate_group = QGroupBox(self)
        first = today.replace(day=1)
        self.from_date = DateField(first, self, objectName="rate_from_edit", field="start")
        self.to_date = DateField((first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1), self,
                                 objectName="rate_to_edit", field="end")
        self.rate_button = QPushButton(self)
        self.rate_button.setObjectName("rate_button")
        self.rate_note = QLabel(self)
        self.rate_note.setStyleSheet("color: #5f6b7a;")
        self.rate_note.setWordWrap(True)
        self.summary = QTreeWidget(self)
        self.summary.setObjectName("rate_summary")
        self.summary.setRootIsDecorated(False)
        self.summary.setColumnCount(4)
        self.summary.setColumnWidth(0, 110)
        self.lines = QTreeWidget(self)
        self.lines.setObjectName("rate_lines")
        self.lines.setRootIsDecorated(False)
        self.lines.setColumnCount(6)
        for column, width in enumerate((170, 190, 70, 90, 90)):
            self.lines.setColumnWidth(column, width)
        period = QHBoxLayout()
        self.period_label = QLabel(self)
        for w in (self.period_label, self.from_date, QLabel("—", self), self.to_date, self.rate_button):
            period.addWidget(w)
        period.addStretch(1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.summary)
        split.addWidget(self.lines)
        split.setSizes([380, 820])
        rate_layout = QVBoxLayout(self.rate_group)
        rate_layout.addLayout(period)
        rate_layout.addWidget(self.rate_note)
        rate_layout.addWidget(split, 1)
        top = QHBoxLayout()
        top.addWidget(self.overdue_group, 3)
        top.addWidget(self.absence_group, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 2)
        layout.addWidget(self.rate_group, 3)
        self.absent_button.clicked.connect(self.mark_absent)
        self.rate_button.clicked.connect(self.compute_rate)
        self.summary.currentItemChanged.connect(lambda item, _p: self._show_lines(item))
        self._rate: OnTimeRate | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.overdue_group.setTitle(_("Overdue cases ({n})").format(n=self.overdue_model.rowCount()))
        self.absence_group.setTitle(_("AB posts: mark a colleague absent"))
        self.rate_group.setTitle(_("On-time completion rate"))
        for label, text in zip(self.absence_captions, (_("Colleague"), _("Day"), _("Reason"))):
            label.setText(text)
        self.absent_reason.setPlaceholderText(_("e.g. sick leave, training"))
        self.absent_button.setText(_("Mark absent"))
        self.period_label.setText(_("Due between"))
        self.rate_button.setText(_("Calculate"))
        self.rate_note.setText(_("Cases whose deadline fell in the period: met by the deadline ÷ all (withdrawn "
                                 "and refused excluded; cases still running are not counted yet). Target ≥ 98%."))
        self.summary.setHeaderLabels([_("Handled by"), _("On time"), _("Counted"), _("Rate")])
        self.lines.setHeaderLabels([_("Case no."), _("Service"), _("Handled by"), _("Due date"), _("Met on"),
                                    _("Result")])
        self.overdue_model.retranslate()

    # --- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: (counter_oversight.overdue_cases(ctx), staff.directory(ctx)),
                            self._on_loaded, lambda e: report_exception(e, self))

    def _on_loaded(self, loaded: tuple[list[CaseRow], list[StaffEntry]]) -> None:
        rows, users = loaded
        self.overdue_model.set_rows(rows)
        self.overdue_group.setTitle(_("Overdue cases ({n})").format(n=len(rows)))
        current = self.user_combo.currentData()
        self.user_combo.clear()
        self.user_combo.setProperty("user_data_text", [u.display_name for u in users])   # names as entered
        for u in users:
            if u.active and u.role in STAFF_ROLES and u.login != self._ctx.user.login:
                self.user_combo.addItem(f"{u.display_name} · {_(ROLE_MSGIDS[u.role])}", u.login)
        if current:
            self.user_combo.setCurrentIndex(max(0, self.user_combo.findData(current)))
        self.overdue_changed.emit(len(rows))

    def _on_overdue_table_activated(self, index: QModelIndex) -> None:
        self.case_opened.emit(str(index.data(ID_ROLE)))

    # --- absences --------------------------------------------------------------------------
    def mark_absent(self) -> None:
        login, name = self.user_combo.currentData(), self.user_combo.currentText()
        if not login:
            return
        try:
            day = self.absent_date.value()
        except UserError:
            return                     # the field shows why
        ctx, reason = self._ctx, self.absent_reason.text().strip()
        self.absent_button.setEnabled(False)
        self._runner.submit(lambda: counter_oversight.mark_absent(ctx, login, day, reason),
                            lambda warnings: self._on_marked(name, day, warnings),
                            lambda e: (self.absent_button.setEnabled(True), report_exception(e, self)))

    def _on_marked(self, name: str, day: dt.date, warnings: list[AbsenceWarning]) -> None:
        self.absent_button.setEnabled(True)
        self.absent_reason.clear()
        text = _("{name} is marked absent on {day}; their cases go to the B post.").format(
            name=name.split("（")[0], day=day.isoformat())
        if warnings:
            lines = [_("Warning: on {post} both A ({a}) and B ({b}) are away that day. Arrange cover, or the "
                       "station chief takes over.").format(post=w.post or "—", a=w.a_name, b=w.b_name)
                     for w in warnings]
            self.absence_label.setStyleSheet("color: #8a5300; background: #fff1c7; padding: 4px;")
            text = "\n".join([text, *lines])
        else:
            self.absence_label.setStyleSheet("color: #1d6b3a;")
        self.absence_label.setText(text)

    # --- on-time rate ----------------------------------------------------------------------
    def compute_rate(self) -> None:
        try:
            start, end = self.from_date.value(), self.to_date.value()
        except UserError:
            return                     # the field shows why
        ctx = self._ctx
        self.rate_button.setEnabled(False)
        self._runner.submit(lambda: counter_oversight.on_time_rate(ctx, start, end), self._on_rate,
                            lambda e: (self.rate_button.setEnabled(True), report_exception(e, self)))

    def _on_rate(self, rate: OnTimeRate) -> None:
        self.rate_button.setEnabled(True)
        self._rate = rate
        self.summary.clear()
        per_owner: dict[str, list[RateLine]] = defaultdict(list)
        for line in rate.lines:
            per_owner[line.owner_name].append(line)
        station = self._summary_item(_("Whole station"), rate.lines)
        font = station.font(0)
        font.setBold(True)
        for column in range(4):
            station.setFont(column, font)
        self.summary.addTopLevelItem(station)
        for owner in sorted(per_owner):
            self.summary.addTopLevelItem(self._summary_item(owner or "—", per_owner[owner]))
        self.summary.setCurrentItem(station)

    @staticmethod
    def _summary_item(title: str, lines: list[RateLine]) -> QTreeWidgetItem:
        on_time = sum(1 for x in lines if x.on_time)
        item = QTreeWidgetItem([title, str(on_time), str(len(lines)), rate_text(on_time, len(lines))])
        item.setData(0, LINES_ROLE, lines)
        for column in (1, 2, 3):
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if lines and on_time / len(lines) < TARGET:
            item.setForeground(3, QBrush(PROBLEM_TEXT))
        return item

    def _show_lines(self, item: QTreeWidgetItem | None) -> None:
        self.lines.clear()
        for x in (item.data(0, LINES_ROLE) if item is not None else None) or []:
            row = QTreeWidgetItem([x.case_no, x.service_name, x.owner_name, x.due_date.isoformat(),
                                   x.met_on.isoformat() if x.met_on else "—", _("On time") if x.on_time else _("Late")])
            if not x.on_time:
                for column in range(6):
                    row.setBackground(column, QBrush(RED))
            self.lines.addTopLevelItem(row)
