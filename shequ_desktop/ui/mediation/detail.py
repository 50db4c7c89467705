"""One dispute: its summary, parties (masked, reveal audited), sessions, agreement, and every step as a button."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QGridLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from shequ_desktop.domain import mediation as m
from shequ_desktop.domain.clock import to_local
from shequ_desktop.i18n import N_, _
from shequ_desktop.services import meetings
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.mediation import agreement, cases, council, documents
from shequ_desktop.services.mediation.cases import CaseFile, SessionInput
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.mediation import labels
from shequ_desktop.ui.mediation.form_dialog import ActionDialog, Field
from shequ_desktop.ui.tasks import TaskRunner

ACTIONS = (  # key, message id
    ("session", N_("Record session")), ("escalate", N_("Escalate")), ("report", N_("Report to subdistrict")),
    ("council", N_("Deliberation council")), ("pause", N_("Pause / resume clock")),
    ("oral", N_("Settled orally")), ("written", N_("Written agreement")), ("marks", N_("Signatures")),
    ("failed", N_("Mediation failed")), ("refused", N_("Party refuses")), ("followup", N_("Follow-up visit")),
    ("archive", N_("Archive")), ("print_agreement", N_("Print agreement")), ("print_notice", N_("Print notice")),
    ("print_file", N_("Print file")),
)


class CaseDetailPanel(QWidget):
    changed = Signal(str)               # case id after a step
    printed = Signal(object)            # PrintedPaper
    dialog_opened = Signal(QWidget)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.file: CaseFile | None = None
        self.summary_label = QLabel(self, objectName="summary_label")
        self.summary_label.setWordWrap(True)
        self.parties_list = QListWidget(self, objectName="detail_parties_list")
        self.parties_list.setMaximumHeight(80)
        self.reveal_button = QPushButton(_("Show full data"), self, objectName="reveal_button")
        self.history_list = QListWidget(self, objectName="history_list")
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(4)
        for i, (key, title) in enumerate(ACTIONS):
            button = QPushButton(_(title), self, objectName=f"{key}_button")
            button.clicked.connect(lambda _c=False, k=key: self.run_action(k))
            self.buttons[key] = button
            grid.addWidget(button, i // 3, i % 3)
        inner = QWidget(self)
        box = QVBoxLayout(inner)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.summary_label)
        box.addWidget(self.parties_list)
        box.addWidget(self.reveal_button)
        box.addWidget(self.history_list, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(grid)
        self.reveal_button.clicked.connect(self.reveal_party)
        self.show_file(None)

    # --- loading ------------------------------------------------------------------------------
    def load(self, case_id: str) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: cases.case_file(ctx, case_id), self.show_file,
                            lambda e: report_exception(e, self))

    def show_file(self, file: CaseFile | None) -> None:
        self.file = file
        self.parties_list.clear()
        self.history_list.clear()
        if file is None:
            self.summary_label.setText(_("Choose a case in the list."))
            for b in self.buttons.values():
                b.setEnabled(False)
            self.reveal_button.setEnabled(False)
            return
        c = file.case
        lines = [f"<b>{c.case_no}</b>　{labels.kind(c.kind)} · {labels.source(c.source)} · {labels.level(c.level)}"
                 f" · {labels.state(c.state)}",
                 _("Received {when}; mediators: {names}").format(
                     when=f"{to_local(c.registered_at):%Y-%m-%d %H:%M}", names=c.mediator_names or "-"),
                 c.facts]
        if c.clock.running:
            lines.append(_("Clock: {what}, ends {when}").format(
                what=labels.clock_kind(c.clock.kind), when=f"{to_local(c.clock.due_at):%Y-%m-%d %H:%M}")
                + (" " + _("(provisional)") if c.clock.provisional else ""))
        if c.judicial_office or c.law_firm:
            lines.append(_("Joined by: {who}").format(who="　".join(x for x in (c.judicial_office, c.law_firm) if x)))
        if c.outcome_text or c.refused_by:
            lines.append(_("Outcome: {text}").format(text=(c.refused_by + " " + c.outcome_text).strip()))
        if c.archived:
            lines.append(_("Archived: file {file_no} (read-only)").format(file_no=c.file_no))
        self.summary_label.setText("<br>".join(x.replace("\n", "<br>") for x in lines))
        for p in c.parties:
            role = _("party") if p.role == m.PARTY else _("agent")
            item = QListWidgetItem(f"{p.name}　{p.phone}　{role}"
                                   + ("" if p.from_registry else " · " + _("outsider")))
            item.setData(256, p.id)
            self.parties_list.addItem(item)
        for e in file.escalations:
            self.history_list.addItem(f"{to_local(e.at):%m-%d %H:%M} {labels.level(e.from_level)} → "
                                      f"{labels.level(e.to_level)}：{e.reason}")
        for s in file.sessions:
            self.history_list.addItem(f"{to_local(s.held_at):%m-%d %H:%M} " + _("Session at {place}: {text}").format(
                place=s.place, text=s.statements[:60]))
        for f in file.followups:
            self.history_list.addItem(f"{f.visited_on:%Y-%m-%d} " + _("Follow-up: {note}").format(note=f.note))
        self._enable(file)

    def _enable(self, file: CaseFile) -> None:
        c = file.case
        writable, is_open = not c.archived, c.state == m.OPEN
        rules = {"session": is_open, "escalate": is_open and c.level != m.SUBDISTRICT,
                 "report": is_open and c.level == m.SUBDISTRICT and c.reported_at is None,
                 "council": is_open and file.council_id is None, "pause": is_open and c.clock.running,
                 "oral": is_open, "written": is_open, "marks": file.agreement_id is not None,
                 "failed": is_open, "refused": is_open, "followup": c.state in m.SETTLED,
                 "archive": not is_open, "print_agreement": file.agreement_id is not None,
                 "print_notice": c.state == m.FAILED, "print_file": c.archived}
        for key, button in self.buttons.items():
            button.setEnabled(rules[key] and (writable or key.startswith("print")))
        self.buttons["escalate"].setEnabled(is_open and c.level != m.SUBDISTRICT)   # archived: refused by the service
        self.reveal_button.setEnabled(self.parties_list.count() > 0)

    # --- actions ---------------------------------------------------------------------------------
    def run_action(self, key: str) -> ActionDialog | None:
        if self.file is None:
            return None
        ctx, case_id, c = self._ctx, self.file.case.id, self.file.case
        now = ctx.clock.now()
        handlers: dict[str, tuple[str, list[Field], Callable[[dict[str, Any]], Any]]] = {
            "session": (N_("Record session"), [Field("held_at", N_("Time"), "datetime", value=now),
                                              Field("place", N_("Place")), Field("attendees", N_("Attendees")),
                                              Field("statements", N_("What each side said"), "text"),
                                              Field("proposal", N_("Proposal"), "text")],
                        lambda v: cases.record_session(ctx, case_id, SessionInput(
                            v["held_at"], v["place"], v["attendees"], v["statements"], v["proposal"]))),
            "escalate": (N_("Escalate"), [Field("level", N_("To level"), "combo", [
                (x, labels.level(x)) for x in m.LEVELS if m.level_rank(x) > m.level_rank(c.level)]),
                Field("reason", N_("Reason"), "text"), Field("judicial_office", N_("Judicial office")),
                Field("law_firm", N_("Law firm"))],
                lambda v: cases.escalate(ctx, case_id, v["level"] or "", v["reason"], v["judicial_office"],
                                         v["law_firm"])),
            "report": (N_("Report to subdistrict"), [Field("judicial_office", N_("Judicial office")),
                                                     Field("law_firm", N_("Law firm"))],
                       lambda v: cases.report_to_subdistrict(ctx, case_id, v["judicial_office"], v["law_firm"])),
            "council": (N_("Deliberation council"), [
                Field("held_at", N_("Time"), "datetime", value=now), Field("place", N_("Place")),
                Field("parties", N_("Parties")), Field("building_heads", N_("Building heads")),
                Field("party_members", N_("Party-member representatives")),
                Field("minutes", N_("Minutes"), "text"), Field("outcome", N_("Outcome"), "text")],
                lambda v: self._council(case_id, v)),
            "pause": (N_("Pause / resume clock"), [],
                      lambda v: cases.resume_clock_now(ctx, case_id) if c.clock.paused
                      else cases.pause_clock(ctx, case_id)),
            "oral": (N_("Settled orally"), [Field("outcome_text", N_("Content of the oral agreement"), "text")],
                     lambda v: cases.settle_orally(ctx, case_id, v["outcome_text"])),
            "written": (N_("Written agreement"), [
                Field("facts", N_("Facts and matters in dispute"), "text", value=c.facts),
                Field("responsibilities", N_("Responsibilities"), "text"),
                Field("terms", N_("Terms (one per line)"), "text"),
                Field("performance", N_("Manner and time of performance"), "text")],
                lambda v: agreement.make_agreement(ctx, case_id, agreement.AgreementInput(
                    v["facts"], tuple(v["terms"].splitlines()), v["performance"], v["responsibilities"]))),
            "marks": (N_("Signatures"), self._mark_fields(), lambda v: self._marks(case_id, v)),
            "failed": (N_("Mediation failed"), [Field("outcome_text", N_("Why it failed"), "text")],
                       lambda v: cases.fail(ctx, case_id, v["outcome_text"])),
            "refused": (N_("Party refuses"), [Field("refused_by", N_("Party who refuses")),
                                              Field("note", N_("Note"), "text")],
                        lambda v: cases.refuse(ctx, case_id, v["refused_by"], v["note"])),
            "followup": (N_("Follow-up visit"), [
                Field("visited_on", N_("Date"), "date", value=to_local(now).date()),
                Field("performance", N_("Performance"), "combo", [(x, _(m.PERFORMANCE_MSGIDS[x])) for x in m.PERFORMANCE]),
                Field("note", N_("Note"), "text")],
                lambda v: agreement.record_followup(ctx, case_id, v["visited_on"], v["performance"], v["note"])),
            "archive": (N_("Archive"), [], lambda v: cases.archive(ctx, case_id)),
        }
        if key.startswith("print_"):
            printers = {"print_agreement": documents.print_agreement, "print_notice": documents.print_failure_notice,
                        "print_file": documents.print_case_file}
            self._runner.submit(lambda: printers[key](ctx, case_id), self.printed.emit,
                                lambda e: report_exception(e, self))
            return None
        title, fields, submit = handlers[key]
        dialog = ActionDialog(_(title), fields, self._runner, submit, self)
        dialog.done.connect(lambda _r: (self.changed.emit(case_id), self.load(case_id)))
        dialog.setObjectName(f"{key}_dialog")
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _council(self, case_id: str, v: dict[str, Any]) -> Any:
        invitees = [meetings.Invitee(cat, name.strip()) for cat, key in
                    (("party", "parties"), ("building_head", "building_heads"), ("party_member_rep", "party_members"))
                    for name in v[key].replace("，", "、").replace(",", "、").split("、") if name.strip()]
        planned = council.convene(self._ctx, case_id, v["held_at"], v["place"], invitees)
        return council.record_council(self._ctx, planned.id, v["held_at"], {i.id: True for i in planned.invitees},
                                      v["minutes"], v["outcome"])

    def _mark_fields(self) -> list[Field]:
        if self.file is None:
            return []
        fields = [Field(f"p:{p.id}", _("Signed / sealed / fingerprinted: {name}").format(name=p.name), "check")
                  for p in self.file.case.parties if p.role == m.PARTY]
        return fields + [Field("mediator", N_("Mediator signed"), "check"),
                         Field("seal", N_("Committee seal applied"), "check")]

    def _marks(self, case_id: str, v: dict[str, Any]) -> Any:
        marks = {k[2:]: {"signed": bool(flag)} for k, flag in v.items() if k.startswith("p:")}
        return agreement.set_marks(self._ctx, case_id, marks, bool(v.get("mediator")), bool(v.get("seal")))

    def reveal_party(self) -> None:
        item = self.parties_list.currentItem() or self.parties_list.item(0)
        if item is None:
            return
        ctx, party_id = self._ctx, item.data(256)
        self._runner.submit(lambda: cases.reveal_party(ctx, party_id, "mediation"),
                            lambda d: item.setText(f"{d.name}　{d.phone}　{d.id_number}　{d.address}"),
                            lambda e: report_exception(e, self))
