"""居务监督委员会: the term, the three residents' representatives (warnings when it is otherwise; a fourth
active member is refused), and the quarterly inspections of the ledgers and funds with their 公示."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QLabel, QPushButton, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import N_, _, error_text, ngettext
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.governance import committee
from shequ_desktop.services.governance import documents as papers
from shequ_desktop.services.governance.committee import CommitteeView, InspectionInput, InspectionView, MemberInput
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.mediation.form_dialog import ActionDialog, Field
from shequ_desktop.ui.oversight import governance_labels as gl
from shequ_desktop.ui.tasks import TaskRunner

MEMBER_COLUMNS = (N_("Name"), N_("Role"), N_("Residents' representative"), N_("Term"), N_("Phone"))
INSPECTION_COLUMNS = (N_("Quarter"), N_("Inspected on"), N_("Inspectors"), N_("Result"), N_("Findings"))


class CommitteeTab(QWidget):
    loaded = Signal()

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.view: CommitteeView | None = None
        self.inspections: list[InspectionView] = []
        self.last_dialog: ActionDialog | None = None
        self.last_path: Any = None
        box = gl.group(self, N_("Supervision committee"))
        self.term_label = QLabel(box, objectName="committee_term_label")
        self.warning_label = QLabel(box, objectName="committee_warning_label")
        self.warning_label.setStyleSheet("color: #9a5b00;")
        self.warning_label.setWordWrap(True)
        self.member_table = gl.table(box, "member_table", MEMBER_COLUMNS)
        for col, width in enumerate((110, 70, 150, 190)):
            self.member_table.setColumnWidth(col, width)
        self.term_button = gl.button(box, "committee_term_button", N_("Set the term…"))
        self.add_button = gl.button(box, "committee_add_button", N_("Add a member…"))
        self.leave_button = gl.button(box, "committee_leave_button", N_("Member leaves"))
        self.error_label = gl.error_label(box, "committee_error_label")
        mbar = QHBoxLayout()
        for b in (self.term_button, self.add_button, self.leave_button):
            mbar.addWidget(b)
        mbar.addStretch(1)
        bl = QVBoxLayout(box)
        bl.addWidget(self.term_label)
        bl.addWidget(self.warning_label)
        bl.addWidget(self.member_table, 1)
        bl.addWidget(self.error_label)
        bl.addLayout(mbar)
        ibox = gl.group(self, N_("Quarterly inspections of the ledgers and funds"))
        self.inspection_table = gl.table(ibox, "inspection_table", INSPECTION_COLUMNS)
        for col, width in enumerate((70, 96, 170, 190)):
            self.inspection_table.setColumnWidth(col, width)
        self.missing_label = QLabel(ibox, objectName="missing_inspections_label")
        self.inspect_button = gl.button(ibox, "inspection_button", N_("Record an inspection…"))
        self.notice_button = gl.button(ibox, "inspection_notice_button", N_("Print the public notice"))
        ibar = QHBoxLayout()
        ibar.addWidget(self.inspect_button)
        ibar.addWidget(self.notice_button)
        ibar.addWidget(self.missing_label, 1)
        il = QVBoxLayout(ibox)
        il.addWidget(self.inspection_table, 1)
        il.addLayout(ibar)
        layout = QVBoxLayout(self)
        layout.addWidget(box, 1)
        layout.addWidget(ibox, 1)
        self.term_button.clicked.connect(self.set_term)
        self.add_button.clicked.connect(self.add_member)
        self.leave_button.clicked.connect(self.member_leaves)
        self.inspect_button.clicked.connect(self.record_inspection)
        self.notice_button.clicked.connect(self.print_notice)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            gl.retranslate(self)           # buttons, titles, headers, filters
            if self.isVisible():
                self.refresh()             # texts built from the records
        super().changeEvent(event)

    def refresh(self) -> None:
        ctx = self._ctx
        year = ctx.clock.now().year
        self._runner.submit(lambda: (committee.committee(ctx), committee.inspections(ctx),
                                     committee.quarters_without_inspection(ctx, year)),
                            self._on_loaded, lambda e: report_exception(e, self))

    def _on_loaded(self, result: tuple[CommitteeView, list[InspectionView], list[str]]) -> None:
        self.view, self.inspections, missing = result
        v = self.view
        if v.term_start is not None and v.term_end is not None:
            self.term_label.setText(ngettext("Term {start} – {end} (in step with the residents' committee); "
                                             "{n} of {req} member",
                                             "Term {start} – {end} (in step with the residents' committee); "
                                             "{n} of {req} members", v.required).format(
                start=v.term_start, end=v.term_end, n=len(v.members), req=v.required))
        else:
            self.term_label.setText(_("No term recorded."))
        self.warning_label.setProperty("user_data_text", [m.name for m in v.members])   # names as entered
        self.warning_label.setText("\n".join(gl.warning_text(m, p) for m, p in v.warnings))
        self.warning_label.setVisible(bool(v.warnings))
        self.member_table.setRowCount(len(v.members))
        for i, m in enumerate(v.members):
            for col, text in enumerate((m.name, gl.role(m.role), _("yes") if m.representative else _("no"),
                                        f"{m.term_start} – {m.term_end}", m.phone)):
                self.member_table.setItem(i, col, QTableWidgetItem(text))
        self.inspection_table.setRowCount(len(self.inspections))
        for i, x in enumerate(self.inspections):
            for col, text in enumerate((x.quarter, x.inspected_on.isoformat(), x.inspectors,
                                        gl.inspection_result(x.result), x.findings)):
                self.inspection_table.setItem(i, col, QTableWidgetItem(text))
        self.missing_label.setText(_("No inspection yet for: {quarters}").format(quarters=", ".join(missing))
                                   if missing else "")
        self.loaded.emit()

    def _show_error(self, error: object) -> None:
        if isinstance(error, UserError):
            self.error_label.setText(error_text(error))
            self.error_label.show()
        else:
            report_exception(error, self)

    def _dialog(self, title: str, fields: list[Field], submit: Any) -> ActionDialog:
        self.error_label.hide()
        dlg = ActionDialog(_(title), fields, self._runner, submit, self)
        dlg.done.connect(lambda _r: self.refresh())
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def set_term(self) -> ActionDialog:
        ctx = self._ctx
        today = ctx.clock.now().date()
        return self._dialog(N_("Committee term"), [
            Field("term_start", N_("Term starts (the residents' committee's term)"), "date", value=today),
            Field("elected_on", N_("Elected on"), "date", value=today)],
            lambda v: committee.set_term(ctx, v["term_start"], elected_on=v["elected_on"]))

    def add_member(self) -> ActionDialog:
        ctx = self._ctx
        fields = [Field("name", N_("Name")), Field("phone", N_("Phone")),
                  Field("role", N_("Role"), "combo", [(r, gl.role(r)) for r in g.COMMITTEE_ROLES], g.MEMBER),
                  Field("representative", N_("Residents' representative"), "check", value=True)]
        # a refused fourth member shows its reason next to the member list
        return self._dialog(N_("Add a member"), fields, lambda v: committee.add_member(ctx, MemberInput(
            name=v["name"], phone=v["phone"], role=v["role"], representative=v["representative"])))

    def member_leaves(self) -> None:
        row = self.member_table.currentRow()
        if self.view is None or not 0 <= row < len(self.view.members):
            self.error_label.setText(_("Select a member first."))
            self.error_label.show()
            return
        ctx, mid = self._ctx, self.view.members[row].id
        self._runner.submit(lambda: committee.member_leaves(ctx, mid), lambda _r: self.refresh(), self._show_error)

    def record_inspection(self) -> ActionDialog:
        ctx = self._ctx
        today = ctx.clock.now().date()
        quarter = g.quarter_of(today)
        fields = [Field("quarter", N_("Quarter"), value=quarter),
                  Field("inspected_on", N_("Inspected on"), "date", value=today),
                  Field("inspectors", N_("Inspectors"),
                        value="、".join(m.name for m in (self.view.members if self.view else ())))]
        fields += [Field(f"ledger_{x}", g.LEDGER_MSGIDS[x], "check", value=True) for x in g.LEDGERS]
        fields += [Field("findings", N_("Findings"), "text"), Field("funds_findings", N_("Use of funds"), "text"),
                   Field("result", N_("Result"), "combo", [(r, gl.inspection_result(r)) for r in g.INSPECTION_RESULTS])]

        def submit(v: dict[str, Any]) -> InspectionView:
            ledgers = tuple(x for x in g.LEDGERS if v[f"ledger_{x}"])
            return committee.record_inspection(ctx, InspectionInput(v["quarter"], v["inspected_on"], v["inspectors"],
                                                                    ledgers, v["findings"], v["result"],
                                                                    v["funds_findings"]))
        return self._dialog(N_("Quarterly inspection"), fields, submit)

    def print_notice(self) -> None:
        row = self.inspection_table.currentRow()
        if not 0 <= row < len(self.inspections):
            self.error_label.setText(_("Select an inspection first."))
            self.error_label.show()
            return
        ctx, iid = self._ctx, self.inspections[row].id

        def done(paper: Any) -> None:
            self.last_path = paper.path
            self.missing_label.setText(_("Printed {serial}: {path}").format(serial=paper.serial_no, path=paper.path))
        self._runner.submit(lambda: papers.print_inspection_notice(ctx, iid), done, self._show_error)
