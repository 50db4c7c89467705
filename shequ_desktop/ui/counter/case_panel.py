"""One case at the window: header, material checklist, certificate form, step buttons and inline messages.

Every step runs on the DB thread: unsaved checklist changes are stored first, then the step, then the
document is printed (one-time notice, acceptance receipt, supplement notice, certificate) and shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import UserError, ValidationErrors
from shequ_desktop.domain.service_catalogue import ServiceDefinition
from shequ_desktop.i18n import _, error_text, ngettext
from shequ_desktop.services import counter, documents, residents
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.counter import CaseView, EventView, Status
from shequ_desktop.services.documents import DocumentRequest, DraftOrder, PrintedView, RegisterRow
from shequ_desktop.services.residents import ResidentDetail
from shequ_desktop.ui.counter.actions import ActionBar
from shequ_desktop.ui.counter.certificate_form import FIELDS as CERT_FIELDS, CertificateForm
from shequ_desktop.ui.counter.checklist import ChecklistWidget
from shequ_desktop.ui.counter.labels import due_text, status_label
from shequ_desktop.ui.counter.step_form import StepForm
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.tasks import TaskRunner

EDITABLE = frozenset({Status.INTAKE, Status.SUPPLEMENT, Status.ACCEPTED})
CHIP = {Status.INTAKE: "#e8eef7", Status.SUPPLEMENT: "#fff1c7", Status.ACCEPTED: "#e3effa",
        Status.REVIEWED: "#e3effa", Status.REPORTED: "#e3effa", Status.COMPLETED: "#dcf2e3",
        Status.ON_SPOT: "#dcf2e3", Status.REFUSED: "#e4e7eb", Status.RETURNED: "#e4e7eb",
        Status.WITHDRAWN: "#e4e7eb"}
CHANNELS = ("纸质材料当面移交", "民政业务系统报送", "邮寄")


PRINT_REASON = "print"


def confirm_refusal(parent: QWidget, certificate: str) -> bool | str:
    """Ask before 当场办结 closes the case as 不予办理 for a certificate the community must not issue:
    False (cancel: nothing changes), True (close as refused), or PRINT_REASON (close and print the written
    reason, 不予出具证明告知书, for the resident)."""
    from PySide6.QtWidgets import QMessageBox
    box = QMessageBox(QMessageBox.Icon.Warning, _("Certificate not issued by the community"),
                      _("The community must not issue 《{name}》 (national list of certificates no longer issued). "
                        "Close this case as refused?").format(name=certificate),
                      QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("refusal_box")
    box.setProperty("user_data_text", [certificate])
    with_paper = box.addButton(_("Close as refused and print the reason"), QMessageBox.ButtonRole.AcceptRole)
    close_only = box.addButton(_("Close as refused"), QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return PRINT_REASON if clicked is with_paper else clicked is close_only


@dataclass(frozen=True)
class CaseBundle:
    case: CaseView
    service: ServiceDefinition
    resident: ResidentDetail
    events: list[EventView]
    documents: list[RegisterRow]


def load_bundle(ctx: AppContext, case_id: str) -> CaseBundle:
    case = counter.get_case(ctx, case_id)
    return CaseBundle(case, counter.service(ctx, case.service_code), residents.get(ctx, case.resident_id),
                      counter.case_events(ctx, case_id), documents.register(ctx, case_id))


class CasePanel(QWidget):
    loaded = Signal(object)             # CaseBundle
    step_done = Signal(str, object)     # action key, CaseView after it
    document_printed = Signal(object)   # PrintedView or DraftOrder (a 样稿), to preview and print

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.bundle: CaseBundle | None = None
        self._busy = False
        self._generation = 0
        self._build()
        self.actions.triggered.connect(self._on_actions_triggered)
        self.show_bundle(None)

    @property
    def case(self) -> CaseView | None:
        return self.bundle.case if self.bundle else None

    def _build(self) -> None:
        self.case_no_label = QLabel(self)
        self.case_no_label.setObjectName("case_no_label")
        self.status_label = QLabel(self)
        self.status_label.setObjectName("status_label")
        self.title_label = QLabel(self)
        self.title_label.setObjectName("case_title_label")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title_label.setFont(font)
        self.due_label = QLabel(self)
        self.due_label.setObjectName("due_label")
        self.checklist = ChecklistWidget(self)
        self.checklist.changed.connect(self._update_actions)   # the highlighted next step follows the ticks
        self.certificate_form = CertificateForm(local_today(self._ctx.clock), self)
        self.step_form = StepForm(self)
        self.actions = ActionBar(self)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("case_message_label")
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #a12622; background: #fdecec; border-radius: 3px; padding: 4px 6px;")
        self.message_label.hide()
        head = QHBoxLayout()
        head.addWidget(self.title_label, 1)
        head.addWidget(self.status_label)
        # Both wrap rather than run off the right edge when the panel is narrow (1366×768 with the log open).
        for label in (self.case_no_label, self.due_label):
            label.setWordWrap(True)
        self.due_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        sub = QHBoxLayout()
        sub.addWidget(self.case_no_label, 3)
        sub.addWidget(self.due_label, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addLayout(sub)
        layout.addWidget(self.checklist, 1)
        layout.addWidget(self.certificate_form)
        layout.addWidget(self.step_form)
        layout.addWidget(self.message_label)
        layout.addWidget(self.actions)

    def retranslate(self) -> None:
        self.checklist.retranslate()
        self.certificate_form.retranslate()
        self.step_form.retranslate()
        self.actions.retranslate()
        self.show_bundle(self.bundle, keep_messages=True)

    # --- loading ---------------------------------------------------------------------------
    def load(self, case_id: str, keep_messages: bool = False) -> None:
        """Fetch the case, its checklist, timeline and printed documents; unsaved ticks are stored first."""
        self._generation += 1
        generation, ctx = self._generation, self._ctx
        dirty = self.checklist.dirty_states() if self.case and self.case.status in EDITABLE else {}
        previous = self.case.id if self.case else ""

        def job() -> CaseBundle:
            if dirty and previous != case_id:
                counter.set_materials(ctx, previous, dirty)     # switching cases never loses the ticks
            return load_bundle(ctx, case_id)

        self._runner.submit(job, lambda b: self._on_loaded(generation, b, keep_messages),
                            lambda e: report_exception(e, self))

    def _on_loaded(self, generation: int, bundle: CaseBundle, keep_messages: bool) -> None:
        if generation == self._generation:
            self.show_bundle(bundle, keep_messages)

    def show_bundle(self, bundle: CaseBundle | None, keep_messages: bool = False) -> None:
        same_case = bool(bundle and self.bundle and bundle.case.id == self.bundle.case.id)
        self.bundle = bundle
        errors = (self.checklist.error_label.text(), self.message_label.text())
        if bundle is None:
            self.title_label.setText(_("Find the resident, then pick a service to start a case."))
            for label in (self.case_no_label, self.status_label, self.due_label):
                label.clear()
            self.status_label.setStyleSheet("")
            self.checklist.clear()
            self.certificate_form.hide()
            self.step_form.close_form()
        else:
            self._show_header(bundle)
            c = bundle.case
            self.checklist.set_case(bundle.service, c.materials, c.status in EDITABLE and not self._busy)
            cert_visible = c.service_code == "RESIDENCE_CERT" and c.status == Status.INTAKE
            if not same_case:
                self.certificate_form.reset()
                self.step_form.close_form()
            self.certificate_form.set_moved_in(bundle.resident.moved_in if bundle.resident else None)
            self.certificate_form.setVisible(cert_visible or (same_case and keep_messages and
                                                              not self.certificate_form.isHidden()))
            self.certificate_form.set_editable(c.status == Status.INTAKE)
        self._set_message("")
        if keep_messages:
            self.checklist.set_error(errors[0])
            self._set_message(errors[1])
        self._update_actions()
        if bundle is not None:
            self.loaded.emit(bundle)

    def _show_header(self, b: CaseBundle) -> None:
        c, r = b.case, b.resident
        self.title_label.setText(f"{c.service_name}　·　{r.name}")
        kind = _("simple") if c.simple else _("complex")
        self.case_no_label.setText(_("Case {no} · {kind} · ID {id}").format(no=c.case_no, kind=kind, id=r.id_masked))
        self.status_label.setText(status_label(c.status))
        self.status_label.setStyleSheet(f"background: {CHIP.get(c.status, '#eceff3')}; border-radius: 9px;"
                                        " padding: 2px 10px; font-weight: bold;")
        self.due_label.setText(self._due_line(c, b.service))

    @staticmethod
    def _due_line(c: CaseView, svc: ServiceDefinition) -> str:
        if c.status == Status.SUPPLEMENT and c.supplement_due:
            return _("Supplement by {date}").format(date=due_text(c.supplement_due, c.supplement_provisional))
        if c.status == Status.INTAKE:
            return _("Finished at this visit") if c.simple else \
                ngettext("Review and report within {n} working day of acceptance",
                         "Review and report within {n} working days of acceptance",
                         svc.time_limit_wd or 5).format(n=svc.time_limit_wd or 5)
        if c.due_date and not c.simple and c.status in (Status.ACCEPTED, Status.REVIEWED):
            return _("Review and report by {date}").format(date=due_text(c.due_date, c.due_provisional))
        if c.status == Status.REPORTED:
            return _("Reported to the sub-district; waiting for its decision")
        return ""

    # --- steps -----------------------------------------------------------------------------
    def _on_actions_triggered(self, key: str) -> None:
        c = self.case
        if c is None or self._busy:
            return
        ctx, cid = self._ctx, c.id
        simple_steps: dict[str, Callable[[], Any]] = {   # documents open as a 样稿: numbered when printed
            "notice": lambda: documents.draft(ctx, DocumentRequest("one-time-notice", cid)),
            "accept": lambda: (counter.accept(ctx, cid),
                               documents.draft(ctx, DocumentRequest("acceptance-receipt", cid)))[1],
            "supplement_received": lambda: counter.supplement_received(ctx, cid),
        }
        if key in simple_steps:
            self.run_step(key, simple_steps[key])
        elif key == "finish":
            self._finish()
        elif key == "supplement":
            items = self.checklist.supplement_items()
            self.run_step(key, lambda: (counter.request_supplement(ctx, cid, items),
                                        documents.draft(ctx, DocumentRequest("supplement-notice", cid)))[1],
                          skip=set(items))
        else:
            self._ask(key)

    def _finish(self) -> None:
        ctx, cid = self._ctx, self.case.id  # type: ignore[union-attr]
        if self.case.service_code == "RESIDENCE_CERT":  # type: ignore[union-attr]
            self.certificate_form.errors.clear()
            try:
                req = self.certificate_form.request()
            except UserError:
                return          # the form shows why next to the field
            blocked = documents.blocked_reason(req.certificate_type)
            answer = confirm_refusal(self, blocked) if blocked else True
            if not answer:
                return          # nothing closed: the clerk may correct the certificate type
            if answer == PRINT_REASON:   # closed as refused; the written reason opens to print for the resident
                self.run_step("finish", lambda: documents.refuse_certificate(ctx, cid, req, print_reason=True))
            elif blocked:       # refused (and closed) at once, with the reason
                self.run_step("finish", lambda: documents.issue_residence_certificate(ctx, cid, req))
            else:   # a 样稿 first: printing it issues the certificate and closes the case as 当场办结
                self.run_step("finish", lambda: documents.draft(
                    ctx, DocumentRequest("residence-certificate", cid, certificate=req)))
        else:
            self.run_step("finish", lambda: counter.finish_on_spot(ctx, cid, ""))

    def _ask(self, key: str) -> None:
        ctx, cid = self._ctx, self.case.id  # type: ignore[union-attr]
        form = self.step_form
        if key == "review":
            form.ask(_("Initial review (community pre-screening, not the approval decision)"), _("Opinion"),
                     lambda text, _s: self.run_step(key, lambda: counter.review_done(ctx, cid, text)),
                     placeholder=_("e.g. materials complete, family income below the local standard; report"))
        elif key == "report":
            form.ask(_("Report to the sub-district"), _("To whom"),
                     lambda who, how: self.run_step(key, lambda: counter.report_to_subdistrict(ctx, cid, who, how)),
                     placeholder=_("e.g. civil affairs office of the sub-district, Mr Wang"),
                     second_label=_("How"), second_choices=CHANNELS)
        elif key == "complete":
            form.ask(_("Complete the case"), _("Result"),
                     lambda text, _s: self.run_step(key, lambda: counter.complete(ctx, cid, text)),
                     placeholder=_("e.g. approved by the sub-district"))
        elif key == "return":
            form.ask(_("Return the application"), _("Reason"),
                     lambda text, _s: self.run_step(key, lambda: counter.return_case(ctx, cid, text)),
                     placeholder=_("e.g. does not meet the conditions"))
        elif key == "withdraw":
            form.ask(_("The resident withdraws the application"), _("Reason"),
                     lambda text, _s: self.run_step(key, lambda: counter.withdraw(ctx, cid, text)),
                     placeholder=_("e.g. the resident no longer needs it"))

    def run_step(self, key: str, step: Callable[[], Any], skip: set[str] | None = None) -> None:
        """Store changed ticks, run ``step`` on the DB thread, then reload and show any printed document."""
        case = self.case
        if case is None:
            return
        ctx, cid = self._ctx, case.id
        dirty = {k: v for k, v in self.checklist.dirty_states().items() if k not in (skip or set())} \
            if case.status in EDITABLE else {}
        saved = {"materials": False}

        def job() -> Any:
            if dirty:
                counter.set_materials(ctx, cid, dirty)
                saved["materials"] = True
            return step()

        self._set_busy(True)
        self._clear_messages()
        self._runner.submit(job, lambda result: self._on_step_done(key, cid, result),
                            lambda error: self._on_step_failed(cid, error, saved["materials"]))

    def _on_step_done(self, key: str, case_id: str, result: object) -> None:
        self._set_busy(False)
        self.step_form.close_form()
        self.checklist.mark_saved()
        if isinstance(result, PrintedView | DraftOrder):
            self.document_printed.emit(result)
        self.load(case_id)
        self.step_done.emit(key, result)

    def _on_step_failed(self, case_id: str, error: object, materials_saved: bool) -> None:
        self._set_busy(False)
        if not isinstance(error, UserError):
            report_exception(error, self)
            return
        self.show_error(error)
        if materials_saved:
            self.checklist.mark_saved()
        if isinstance(error, UserError) and (materials_saved or error.field == "certificate_type"):
            self.load(case_id, keep_messages=True)      # the refusal or the stored ticks show in the timeline
            self.step_done.emit("failed", None)

    def show_error(self, error: UserError) -> None:
        """Next to its field: the checklist, the certificate form, the step form, else the case banner."""
        fields = {e.field for e in (error.errors if isinstance(error, ValidationErrors) else [error])}
        if fields & set(CERT_FIELDS):
            self.certificate_form.show()
            self.certificate_form.show_error(error)
        elif "materials" in fields:
            self.checklist.set_error(error_text(error))
        elif self.step_form.isVisible():
            self.step_form.set_error(error_text(error))
        else:
            self._set_message(error_text(error))

    def _clear_messages(self) -> None:
        self.checklist.set_error("")
        self.certificate_form.errors.clear()
        self.step_form.set_error("")
        self._set_message("")

    def _set_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def _update_actions(self) -> None:
        self.actions.update_for(self.case, self._busy, bool(self.case and self.checklist.supplement_items()),
                                materials_missing=bool(self.case and self.checklist.required_missing()))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_actions()
        self.step_form.confirm_button.setEnabled(not busy)
