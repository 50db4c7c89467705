"""工单 page: my work orders (or all of them for the station chief), with a live countdown and the steps
已反馈 / 已到场 / 记录进展 / 办结. Every service call runs on the DB thread."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateTimeEdit, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from shequ_desktop.domain.clock import SHANGHAI

from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.roles import Role
from shequ_desktop.i18n import N_, _, ngettext
from shequ_desktop.services import work_orders
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.work_orders import DispatchResult, WorkOrderView
from shequ_desktop.ui.admin._common import compact_rows, message_label, show_message
from shequ_desktop.ui.errors import message_for, report_exception
from shequ_desktop.ui.sync.work_order_model import REMAINING_COLUMN, WorkOrderModel
from shequ_desktop.ui.tasks import TaskRunner

TICK_MS = 30_000
EVENT_TEXT = {"dispatch": N_("dispatched"), "feedback": N_("answered"), "arrive": N_("on site"),
              "progress": N_("progress"), "result": N_("closed")}


class WorkOrdersPage(QWidget):
    """Lists work orders; the countdown is recomputed every 30 s from the app clock."""

    orders_loaded = Signal(int)            # number of rows shown
    step_recorded = Signal(str, str)       # order id, kind
    overdue_counted = Signal(int)          # overdue open orders in the loaded list

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("work_orders_page")
        self._ctx, self._runner = ctx, runner
        self._is_chief = ctx.user.role in (Role.CHIEF, Role.ADMIN)
        self._open_after_load: str | None = None
        self.model = WorkOrderModel(self)
        self._build()
        self.tick_timer = QTimer(self, interval=TICK_MS)
        self.tick_timer.timeout.connect(self.tick)
        self.tick_timer.start()
        self._retranslate()
        self.reload()

    # --- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.title_label = QLabel(objectName="title_label")
        self.title_label.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.scope_combo = QComboBox(objectName="scope_combo")
        self.scope_combo.addItems(["", ""])
        self.scope_combo.setVisible(self._is_chief)
        self.closed_check = QCheckBox(objectName="closed_check")
        self.dispatch_button = QPushButton(objectName="dispatch_button")
        self.dispatch_button.setVisible(self._is_chief)
        self.refresh_button = QPushButton(objectName="refresh_button")
        top = QHBoxLayout()
        for w in (self.title_label, self.scope_combo, self.closed_check):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.dispatch_button)
        top.addWidget(self.refresh_button)
        self.message_label = message_label("message_label")
        self.table = QTableView(objectName="orders_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        compact_rows(self.table)
        self.empty_label = QLabel(objectName="empty_label", alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setStyleSheet("color: #777777; padding: 12px;")
        self.note_edit = QLineEdit(objectName="note_edit")
        self.feedback_button = QPushButton(objectName="feedback_button")
        self.arrive_button = QPushButton(objectName="arrive_button")
        self.progress_button = QPushButton(objectName="progress_button")
        self.result_button = QPushButton(objectName="result_button")
        self.note_error_label = message_label("note_error_label")
        self.later_check = QCheckBox(objectName="later_check")       # 补录: the step happened earlier
        self.at_edit = QDateTimeEdit(objectName="at_edit")
        self.at_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.at_edit.setEnabled(False)
        self.at_error_label = message_label("at_error_label")
        self.later_check.toggled.connect(self._on_later_check_toggled)
        later = QHBoxLayout()
        later.addWidget(self.later_check)
        later.addWidget(self.at_edit)
        later.addWidget(self.at_error_label)
        later.addStretch(1)
        steps = QHBoxLayout()
        steps.addWidget(self.note_edit, 1)
        for b in (self.feedback_button, self.arrive_button, self.progress_button, self.result_button):
            steps.addWidget(b)
        self.events_label = QLabel(objectName="events_label")
        self.events_label.setWordWrap(True)
        self.events_label.setStyleSheet("color: #555555;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.events_label)
        layout.addLayout(later)
        layout.addLayout(steps)
        layout.addWidget(self.note_error_label)
        self.scope_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.closed_check.toggled.connect(lambda _c: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.dispatch_button.clicked.connect(self.dispatch)
        self.feedback_button.clicked.connect(lambda: self.record("feedback"))
        self.arrive_button.clicked.connect(lambda: self.record("arrive"))
        self.progress_button.clicked.connect(lambda: self.record("progress"))
        self.result_button.clicked.connect(lambda: self.record("result"))
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)
        self._update_buttons()

    def _retranslate(self) -> None:
        self.title_label.setText(_("Work orders"))
        self.scope_combo.setItemText(0, _("My work orders"))
        self.scope_combo.setItemText(1, _("All work orders"))
        self.closed_check.setText(_("Include closed"))
        self.dispatch_button.setText(_("Dispatch new"))
        self.refresh_button.setText(_("Refresh"))
        self.note_edit.setPlaceholderText(_("Progress note or result (needed to close)"))
        self.feedback_button.setText(_("Answered"))
        self.feedback_button.setToolTip(_("The resident was given feedback"))
        self.arrive_button.setText(_("On site"))
        self.progress_button.setText(_("Record progress"))
        self.result_button.setText(_("Close with result"))
        self.later_check.setText(_("Time entered later:"))
        self.later_check.setToolTip(_("The step happened earlier: record it with its real time (marked as entered later)."))
        self.empty_label.setText(_("No work orders."))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
            self.model.tick(self.model.now)
        super().changeEvent(event)

    # --- loading -----------------------------------------------------------------------------
    @property
    def mine(self) -> bool:
        return not self._is_chief or self.scope_combo.currentIndex() == 0

    def set_scope_all(self, all_orders: bool) -> None:
        self.scope_combo.setCurrentIndex(1 if all_orders and self._is_chief else 0)

    def open_order(self, order_id: str) -> None:
        """Show one request (from a KPI drill-down): closed ones included, all of them for the chief."""
        self._open_after_load = order_id
        for w in (self.scope_combo, self.closed_check):
            w.blockSignals(True)
        self.closed_check.setChecked(True)
        self.set_scope_all(True)
        for w in (self.scope_combo, self.closed_check):
            w.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        ctx, mine, open_only = self._ctx, self.mine, not self.closed_check.isChecked()

        def load() -> tuple[list[WorkOrderView], object]:
            return work_orders.list_orders(ctx, mine=mine, open_only=open_only), ctx.clock.now()

        self._runner.submit(load, self._on_orders_loaded, self._on_task_failed)

    def _on_orders_loaded(self, loaded: tuple[list[WorkOrderView], object]) -> None:
        orders, now = loaded
        current = self.current_order()
        self.model.set_orders(orders, now)  # type: ignore[arg-type]
        wanted = self._open_after_load or (current.id if current is not None else None)
        self._open_after_load = None
        row = self.model.row_of(wanted) if wanted is not None else -1
        if orders:
            self.table.selectRow(max(row, 0))      # the steps are one click away
        self.empty_label.setVisible(not orders)
        self._update_buttons()
        self.overdue_counted.emit(sum(1 for o in orders if o.overdue and o.status != "done"))
        self.orders_loaded.emit(len(orders))

    def tick(self) -> None:
        """Live countdown: the remaining time and the colours follow the clock."""
        self.model.tick(self._ctx.clock.now())

    def remaining_text(self, row: int) -> str:
        return str(self.model.index(row, REMAINING_COLUMN).data())

    # --- selection and steps -----------------------------------------------------------------
    def current_order(self) -> WorkOrderView | None:
        index = self.table.currentIndex()
        return self.model.order_at(index.row()) if index.isValid() else None

    def select_order(self, order_id: str) -> bool:
        row = self.model.row_of(order_id)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _on_table_current_row_changed(self, *_args: object) -> None:
        self._update_buttons()
        order = self.current_order()
        self.events_label.clear()
        if order is not None:
            ctx, oid = self._ctx, order.id
            self._runner.submit(lambda: work_orders.events(ctx, oid), self._on_events_loaded, lambda _e: None)

    def _on_events_loaded(self, events: list[work_orders.EventView]) -> None:
        from shequ_desktop.domain.clock import to_local
        lines = []
        for e in events[-4:]:
            step = _(EVENT_TEXT.get(e.kind, e.kind))
            if e.entered_later:
                step += " · " + _("entered later")
            lines.append(f"{to_local(e.at):%m-%d %H:%M} {e.by_user} {step}" + (f": {e.note}" if e.note else ""))
        # logins and notes are data as entered, inside the program's words
        self.events_label.setProperty("user_data_text", [e.by_user for e in events[-4:]] + [e.note for e in events[-4:]])
        self.events_label.setText(" · ".join(lines))

    def _update_buttons(self) -> None:
        o = self.current_order()
        open_order = o is not None and o.status != "done"
        for b in (self.progress_button, self.result_button):
            b.setEnabled(open_order)
        self.feedback_button.setEnabled(open_order and o is not None and o.deadline_kind == "feedback"
                                        and o.met_at is None)
        self.arrive_button.setEnabled(open_order and o is not None and o.deadline_kind == "arrival"
                                      and o.met_at is None)

    def record(self, kind: str) -> None:
        order = self.current_order()
        if order is None:
            return
        ctx, oid, note = self._ctx, order.id, self.note_edit.text()
        at = self.entered_time()
        show_message(self.note_error_label, "")
        show_message(self.at_error_label, "")
        self._runner.submit(lambda: work_orders.record(ctx, oid, kind, note, at=at),
                            lambda view: self._on_step_recorded(kind, view), self._on_step_failed)

    def entered_time(self) -> dt.datetime | None:
        """The real time of a step entered later (Shanghai wall time, to the minute); None = now."""
        if not self.later_check.isChecked():
            return None
        q = self.at_edit.dateTime()
        d, t = q.date(), q.time()
        return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=SHANGHAI)

    def _on_later_check_toggled(self, on: bool) -> None:
        self.at_edit.setEnabled(on)
        show_message(self.at_error_label, "")
        if on:      # start from now: the clerk moves it back to when it happened
            now = self._ctx.clock.now().astimezone(SHANGHAI)
            self.at_edit.setDateTime(QDateTime(QDate(now.year, now.month, now.day), QTime(now.hour, now.minute)))

    def _on_step_recorded(self, kind: str, view: WorkOrderView) -> None:
        self.note_edit.clear()
        self.later_check.setChecked(False)
        self.step_recorded.emit(view.id, kind)
        self.reload()

    def _on_step_failed(self, error: object) -> None:
        if isinstance(error, UserError) and error.field == "at":
            show_message(self.at_error_label, message_for(error), "error")
        elif isinstance(error, UserError):
            show_message(self.note_error_label, message_for(error), "error")
        else:
            report_exception(error, self)

    def dispatch(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: work_orders.dispatch_pending(ctx), self.show_dispatch_result,
                            self._on_task_failed)

    def show_dispatch_result(self, result: DispatchResult) -> None:
        if result.unassigned:
            show_message(self.message_label, ngettext("{n} new work order found no responsible worker: {numbers}",
                                                      "{n} new work orders found no responsible worker: {numbers}",
                                                      len(result.unassigned)).format(
                n=len(result.unassigned), numbers="、".join(result.unassigned[:5])), "warn")
        elif result.to_b:
            show_message(self.message_label, ngettext("{n} new work order dispatched ({b} to the B colleague: "
                                                      "A is absent)",
                                                      "{n} new work orders dispatched, {b} of them to the B colleague "
                                                      "(A is absent)", result.dispatched).format(
                n=result.dispatched, b=result.to_b), "ok")
        elif result.dispatched:
            show_message(self.message_label, ngettext("{n} new work order dispatched", "{n} new work orders dispatched",
                                                      result.dispatched).format(n=result.dispatched), "ok")
        self.reload()

    def _on_task_failed(self, error: object) -> None:
        if isinstance(error, UserError):
            show_message(self.message_label, message_for(error), "error")
        else:
            report_exception(error, self)
