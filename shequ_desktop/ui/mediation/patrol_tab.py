"""巡查日志: today's patrol (route, what was seen, leads), my entries, leads → cases, days without a patrol."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.roles import Permission
from shequ_desktop.i18n import _
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.mediation import patrol
from shequ_desktop.ui.date_field import DateField
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.field_errors import FieldErrors
from shequ_desktop.ui.mediation.new_case import NewCaseDialog
from shequ_desktop.ui.tasks import TaskRunner

LEAD_ROLE = Qt.ItemDataRole.UserRole


class PatrolTab(QWidget):
    saved = Signal(object)
    case_registered = Signal(object)
    dialog_opened = Signal(QWidget)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        today = local_today(ctx.clock)
        self.day_edit = DateField(today, self, objectName="day_edit", field="day")
        self.day_edit.setMaximumDate(today)
        self.route_edit = QLineEdit(self, objectName="route_edit")
        self.seen_edit = QPlainTextEdit(self, objectName="seen_edit")
        self.seen_edit.setMaximumHeight(60)
        self.leads_edit = QPlainTextEdit(self, objectName="leads_edit")
        self.leads_edit.setMaximumHeight(60)
        self.leads_edit.setPlaceholderText(_("One dispute lead per line"))
        self.save_button = QPushButton(_("Save patrol"), self, objectName="save_patrol_button")
        self.route_error = QLabel(self, objectName="route_error")
        self.day_error = QLabel(self, objectName="day_error")
        self.form_error = QLabel(self, objectName="patrol_error")
        for label in (self.route_error, self.day_error, self.form_error):
            label.setStyleSheet("color: #c0392b;")
        self.errors = FieldErrors({"route": self.route_error, "day": self.day_error}, self.form_error)
        self.entries = QTreeWidget(self, objectName="patrol_tree")
        self.entries.setHeaderLabels([_("Date"), _("Route"), _("Seen / lead"), _("Case")])
        self.entries.setColumnWidth(0, 150)
        self.entries.setColumnWidth(1, 220)
        self.entries.setColumnWidth(2, 360)
        self.to_case_button = QPushButton(_("Lead → case"), self, objectName="to_case_button")
        self.missing_label = QLabel(self, objectName="missing_label")
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet("color: #b9770e;")
        form = QFormLayout()
        day_box = QVBoxLayout()
        day_box.addWidget(self.day_edit)
        day_box.addWidget(self.day_error)
        form.addRow(_("Date"), day_box)
        route_box = QVBoxLayout()
        route_box.addWidget(self.route_edit)
        route_box.addWidget(self.route_error)
        form.addRow(_("Route or area"), route_box)
        form.addRow(_("What was seen"), self.seen_edit)
        form.addRow(_("Dispute leads"), self.leads_edit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.form_error, 1)
        buttons.addWidget(self.to_case_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.entries, 1)
        self.save_button.clicked.connect(self.save)
        self.to_case_button.clicked.connect(self.lead_to_case)
        self.refresh()

    def save(self) -> None:
        self.errors.clear()
        try:
            day = self.day_edit.value()
        except UserError:
            return                     # the field shows why
        route, seen = self.route_edit.text(), self.seen_edit.toPlainText()
        leads = self.leads_edit.toPlainText().splitlines()
        ctx = self._ctx
        self._runner.submit(lambda: patrol.add_entry(ctx, day, route, seen, leads), self._on_saved, self._on_failed)

    def _on_saved(self, entry: patrol.PatrolView) -> None:
        self.route_edit.clear()
        self.seen_edit.clear()
        self.leads_edit.clear()
        self.saved.emit(entry)
        self.refresh()

    def _on_failed(self, error: object) -> None:
        if isinstance(error, UserError):
            self.errors.show(error)
        else:
            report_exception(error, self)

    def refresh(self) -> None:
        ctx = self._ctx
        today = local_today(ctx.clock)
        start = today - dt.timedelta(days=30)
        everyone = ctx.may(Permission.MEDIATION_ALL)
        grid = None if everyone else ctx.user.grid_id

        def load() -> tuple[list[patrol.PatrolView], list[patrol.MissingPatrol]]:
            missing = patrol.missing_days(ctx, start, today - dt.timedelta(days=1), grid) \
                if (everyone or grid) else []
            return patrol.entries(ctx, start, today, mine_only=not everyone), missing
        self._runner.submit(load, self._on_loaded, lambda e: report_exception(e, self))

    def _on_loaded(self, result: tuple[list[patrol.PatrolView], list[patrol.MissingPatrol]]) -> None:
        entries, missing = result
        self.entries.clear()
        for e in entries:
            top = QTreeWidgetItem([f"{e.day:%Y-%m-%d} {e.worker_name}", e.route, e.seen, ""])
            for lead in e.leads:
                child = QTreeWidgetItem(["", "", lead.text, lead.case_no])
                child.setData(0, LEAD_ROLE, (e.id, lead.index, lead.text) if not lead.case_no else None)
                top.addChild(child)
            self.entries.addTopLevelItem(top)
            top.setExpanded(bool(e.leads))
        if missing:
            days = " · ".join(f"{x.grid_name} {x.day:%m-%d}" for x in missing[:20])
            self.missing_label.setProperty("user_data_text", sorted({x.grid_name for x in missing[:20]}))
            more = "" if len(missing) <= 20 else " …"
            self.missing_label.setText(_("Working days without a patrol in the last 30 days: {days}").format(
                days=days + more))
        else:
            self.missing_label.setText("")

    def lead_to_case(self) -> NewCaseDialog | None:
        item = self.entries.currentItem()
        lead = item.data(0, LEAD_ROLE) if item is not None else None
        if not lead:
            self.form_error.setText(_("Choose a lead that is not a case yet."))
            self.form_error.show()
            return None
        dialog = NewCaseDialog(self._ctx, self._runner, self, lead=tuple(lead))
        dialog.registered.connect(lambda v: (self.case_registered.emit(v), self.refresh()))
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog
