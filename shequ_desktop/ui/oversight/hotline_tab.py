"""24小时监督热线: the complaints with both clocks live in the list (contact within 1 h, result within 3
working days); overdue rows red; log, contact, feed back, explain, file and print the 情况说明."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QEvent, QTimer, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QPushButton, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from shequ_desktop.domain import governance as g
from shequ_desktop.i18n import N_, _, ngettext
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.governance import hotline
from shequ_desktop.services.governance import documents as papers
from shequ_desktop.services.governance.hotline import ComplaintInput, ComplaintView
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.mediation.form_dialog import ActionDialog, Field
from shequ_desktop.ui.mediation.labels import countdown
from shequ_desktop.ui.oversight import governance_labels as gl
from shequ_desktop.ui.tasks import TaskRunner

COLUMNS = (N_("Complaint no."), N_("Received at"), N_("Complainant"), N_("Complaint about"), N_("State"),
           N_("Contact (1 h)"), N_("Result (3 working days)"))
CONTACT_COL, RESULT_COL = 5, 6
_LATE = QColor("#f6d5d1")
FILTERS = (("open", N_("Open")), ("overdue", N_("Overdue / explanation due")), ("all", N_("All")))


def clock_text(due: dt.datetime, done: dt.datetime | None, now: dt.datetime, provisional: bool = False) -> str:
    """A running clock's countdown, or how it was met ("met at 10:42" / "late by 1 d 2 h")."""
    if done is not None:
        if done > due:
            return _("late by {span}").format(span=_span(done - due))
        return _("met at {time}").format(time=gl.when(done))
    return countdown(due, now, provisional=provisional)


def _span(delta: dt.timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return _("{d} d {h} h").format(d=days, h=hours)
    if hours:
        return _("{h} h {m} min").format(h=hours, m=mins)
    return _("{m} min").format(m=mins)


class HotlineTab(QWidget):
    loaded = Signal(int)                 # rows shown
    changed = Signal()

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.rows: list[ComplaintView] = []
        self.filter_combo = QComboBox(self, objectName="hotline_filter_combo")
        gl.combo_items(self.filter_combo, FILTERS)
        self.summary_label = QLabel(self, objectName="hotline_summary_label")
        self.table = gl.table(self, "hotline_table", COLUMNS)
        for col, width in enumerate((104, 128, 70, 120, 96, 150, 170)):
            self.table.setColumnWidth(col, width)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, text in (("new", N_("New complaint…")), ("contact", N_("Contacted…")), ("feedback", N_("Result fed back…")),
                          ("explain", N_("Explanation…")), ("file", N_("Filed with the subdistrict…")),
                          ("letter", N_("Print the explanation letter")), ("reveal", N_("Show complainant"))):
            b = gl.button(self, f"hotline_{key}_button", text)
            self.buttons[key] = b
            bar.addWidget(b)
        bar.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.filter_combo)
        top.addWidget(self.summary_label, 1)
        self.error_label = gl.error_label(self, "hotline_error_label")
        from shequ_desktop.ui.oversight.complaint_alerts import OverdueComplaintsBanner
        self.banner = OverdueComplaintsBanner(ctx, runner, self)
        self.banner.complaint_activated.connect(self.open_complaint)
        self._pending_select: str | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(bar)
        self.filter_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.buttons["new"].clicked.connect(self.new_complaint)
        self.buttons["contact"].clicked.connect(self.record_contact)
        self.buttons["feedback"].clicked.connect(self.record_feedback)
        self.buttons["explain"].clicked.connect(self.record_explanation)
        self.buttons["file"].clicked.connect(self.record_filing)
        self.buttons["letter"].clicked.connect(self.print_letter)
        self.buttons["reveal"].clicked.connect(self.reveal)
        self.timer = QTimer(self, interval=30_000)     # the clocks tick in the list
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.last_dialog: ActionDialog | None = None
        self.last_paper: Any = None

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            gl.retranslate(self)           # buttons, titles, headers, filters
            if self.isVisible():
                self.refresh()             # texts built from the records
        super().changeEvent(event)

    # --- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        ctx, which = self._ctx, self.filter_combo.currentData()
        self._runner.submit(lambda: hotline.list_complaints(ctx, which),
                            lambda rows: self._on_loaded(rows, which), lambda e: report_exception(e, self))
        self.banner.refresh()

    def show_overdue(self) -> None:
        """The list filtered to the overdue complaints (what the status bar's count opens)."""
        index = self.filter_combo.findData("overdue")
        if self.filter_combo.currentIndex() == index:
            self.refresh()
        else:
            self.filter_combo.setCurrentIndex(index)        # reloads

    def open_complaint(self, complaint_id: str) -> None:
        """Select the complaint in the list (switching to the overdue list, or to all, if it is not shown)."""
        if any(r.id == complaint_id for r in self.rows):
            self.select(complaint_id)
            return
        self._pending_select = complaint_id
        alerts = {a.id for a in self.banner.alerts}
        which = "overdue" if complaint_id in alerts else "all"
        index = self.filter_combo.findData(which)
        if self.filter_combo.currentIndex() == index:
            self.refresh()
        else:
            self.filter_combo.setCurrentIndex(index)

    def _on_loaded(self, rows: list[ComplaintView], which: str | None = None) -> None:
        if which is not None and which != self.filter_combo.currentData():
            return                      # an older request: the filter has changed since
        self.rows = rows
        now = self._ctx.clock.now()
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = (r.complaint_no, gl.when(r.received_at), r.complainant_name, r.about or r.content[:20],
                     gl.complaint_state(r.state), "", "")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                self.table.setItem(i, col, item)
        self.tick()
        overdue = sum(1 for r in rows if r.overdue(now) or r.contact.late(now) and r.state == g.OPEN)
        self.summary_label.setText(ngettext("{n} complaint, {late} past a deadline",
                                            "{n} complaints, {late} past a deadline",
                                            len(rows)).format(n=len(rows), late=overdue))
        if self._pending_select is not None:
            self.select(self._pending_select)
            self._pending_select = None
        self.loaded.emit(len(rows))

    def tick(self) -> None:
        """Both clocks, recomputed from ``now``; a row past either deadline is red."""
        now = self._ctx.clock.now()
        for i, r in enumerate(self.rows):
            contact = clock_text(r.contact.due_at, r.contact.done_at, now)
            result = clock_text(r.feedback.due_at, r.feedback.done_at, now, r.feedback.provisional)
            if r.needs_explanation(now):
                result += " · " + _("explanation due")
            elif r.needs_filing(now):
                result += " · " + _("filing due")
            for col, text in ((CONTACT_COL, contact), (RESULT_COL, result)):
                item = self.table.item(i, col)
                if item is not None:
                    item.setText(text)
            late = r.feedback.late(now) or (r.contact.late(now) and r.contact.done_at is None)
            for col in range(len(COLUMNS)):
                item = self.table.item(i, col)
                if item is not None:
                    item.setBackground(_LATE if late else QColor(Qt.GlobalColor.transparent))

    def selected(self) -> ComplaintView | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def select(self, complaint_id: str) -> None:
        for i, r in enumerate(self.rows):
            if r.id == complaint_id:
                self.table.selectRow(i)
                self.table.scrollToItem(self.table.item(i, 0))
                self.table.setFocus()
                return

    def is_late(self, row: int) -> bool:
        item = self.table.item(row, 0)
        return item is not None and item.background().color() == _LATE

    # --- actions -------------------------------------------------------------------------------
    def _dialog(self, title: str, fields: list[Field], submit: Any) -> ActionDialog:
        self.error_label.hide()
        dlg = ActionDialog(_(title), fields, self._runner, submit, self)
        dlg.done.connect(lambda _r: (self.changed.emit(), self.refresh()))
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def _need_selection(self) -> ComplaintView | None:
        c = self.selected()
        if c is None:
            self.error_label.setText(_("Select a complaint in the list first."))
            self.error_label.show()
        return c

    def new_complaint(self) -> ActionDialog:
        ctx = self._ctx
        fields = [Field("received_at", N_("Received at (the real time of the call)"), "datetime", value=ctx.clock.now()),
                  Field("channel", N_("Channel"), "combo", [(c, gl.channel(c)) for c in g.COMPLAINT_CHANNELS]),
                  Field("complainant_name", N_("Complainant")), Field("complainant_phone", N_("Phone")),
                  Field("about", N_("About (worker, service or matter)")), Field("content", N_("Complaint"), "text")]

        def submit(v: dict[str, Any]) -> ComplaintView:
            return hotline.log_complaint(ctx, ComplaintInput(v["received_at"], v["complainant_name"], v["content"],
                                                             v["channel"], v["complainant_phone"], v["about"]))
        return self._dialog(N_("New complaint"), fields, submit)

    def record_contact(self) -> ActionDialog | None:
        c = self._need_selection()
        if c is None:
            return None
        ctx = self._ctx
        fields = [Field("contacted_at", N_("Contacted at"), "datetime", value=ctx.clock.now()),
                  Field("contact_note", N_("What was said"), "text")]
        return self._dialog(N_("Contact with the complainant"), fields,
                            lambda v: hotline.record_contact(ctx, c.id, v["contacted_at"], v["contact_note"]))

    def record_feedback(self) -> ActionDialog | None:
        c = self._need_selection()
        if c is None:
            return None
        ctx = self._ctx
        fields = [Field("fed_back_at", N_("Fed back at"), "datetime", value=ctx.clock.now()),
                  Field("result", N_("Result"), "text"),
                  Field("explanation", N_("Why late (only when overdue)"), "text", value=c.explanation)]
        return self._dialog(N_("Result fed back to the complainant"), fields,
                            lambda v: hotline.record_feedback(ctx, c.id, v["fed_back_at"], v["result"],
                                                              v["explanation"]))

    def record_explanation(self) -> ActionDialog | None:
        c = self._need_selection()
        if c is None:
            return None
        ctx = self._ctx
        return self._dialog(N_("Written explanation for the subdistrict"),
                            [Field("explanation", N_("Why the result is late"), "text", value=c.explanation)],
                            lambda v: hotline.record_explanation(ctx, c.id, v["explanation"]))

    def record_filing(self) -> ActionDialog | None:
        c = self._need_selection()
        if c is None:
            return None
        ctx = self._ctx
        return self._dialog(N_("Filed with the subdistrict"),
                            [Field("filed_on", N_("Filing date"), "date", value=ctx.clock.now().date())],
                            lambda v: hotline.record_filing(ctx, c.id, v["filed_on"]))

    def print_letter(self) -> None:
        c = self._need_selection()
        if c is None:
            return
        ctx = self._ctx
        self._runner.submit(lambda: papers.print_explanation_letter(ctx, c.id), self._on_printed, self._on_error)

    def _on_printed(self, paper: Any) -> None:
        self.last_paper = paper
        self.summary_label.setText(_("Printed {serial}: {path}").format(serial=paper.serial_no, path=paper.path))

    def _on_error(self, error: object) -> None:
        from shequ_desktop.domain.errors import UserError
        from shequ_desktop.i18n import error_text
        if isinstance(error, UserError):
            self.error_label.setText(error_text(error))
            self.error_label.show()
        else:
            report_exception(error, self)

    def reveal(self) -> None:
        c = self._need_selection()
        if c is None:
            return
        ctx, row = self._ctx, self.table.currentRow()

        def shown(full: hotline.Complainant) -> None:
            self.table.item(row, 2).setText(f"{full.name} {full.phone}".strip())
        self._runner.submit(lambda: hotline.reveal_complainant(ctx, c.id, c.complaint_no), shown, self._on_error)
