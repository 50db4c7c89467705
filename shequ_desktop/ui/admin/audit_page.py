"""审计日志: recent entries of the hash-chained audit log and a check that none was altered."""

from __future__ import annotations

import json

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain.policy import SETTINGS_BY_KEY
from shequ_desktop.domain.roles import Permission
from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import N_, _, error_text, ngettext
from shequ_desktop.services import audit as audit_service
from shequ_desktop.services import audit_remote
from shequ_desktop.services.audit_remote import HubComparison
from shequ_desktop.services.audit import AuditAction, AuditView, VerifyResult
from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.admin._common import compact_rows, local_text, message_label, show_error_inline, show_message
from shequ_desktop.ui.record_kinds import AUDIT_KINDS, RECORD_KINDS
from shequ_desktop.ui.tasks import TaskRunner

A = AuditAction
ACTION_LABELS = {A.LOGIN: N_("Login"), A.LOGIN_FAILED: N_("Failed login"), A.LOGOUT: N_("Logout"),
                 A.UNLOCK: N_("Unlock screen"), A.REVEAL: N_("Show full ID number"),
                 A.REVEAL_PHONE: N_("Show full phone number"), A.LOGIN_LOCKED: N_("Login attempt while locked"),
                 A.LOCKOUT: N_("Account locked"), A.PRINT: N_("Print"),
                 A.EXPORT: N_("Export"), A.IMPORT: N_("Import"), A.ADMIN: N_("Administration"),
                 A.BACKUP: N_("Backup"), A.RESTORE: N_("Restore"), A.REKEY: N_("New audit key")}
ENTITY_LABELS = {**RECORD_KINDS, **AUDIT_KINDS}     # every kind the log names (ui/record_kinds.py)
# Settings named by their key in the log (the record column shows these words instead).
SETTING_LABELS = {"backup": N_("Automatic backup"), "print_fonts": N_("Print fonts")}
REASONS = {"missing": N_("missing"), "link": N_("chain broken"), "changed": N_("content changed"),
           "emptied": N_("all entries removed"), "nokey": N_("this station's audit key is not on this PC")}
RECENT_LIMIT = 500


def action_label(action: str, detail: str = "") -> str:
    if action == A.REVEAL and detail.startswith("phone"):      # entries written before reveal_phone existed
        action = A.REVEAL_PHONE
    return _(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def detail_text(entry: AuditView) -> str:
    """Policy changes are logged as JSON keys; show the settings' Chinese labels instead."""
    if entry.entity == "policy_version":
        try:
            changes = json.loads(entry.detail)
        except ValueError:
            return entry.detail
        if isinstance(changes, dict):
            return "；".join(f"{label_of(k)} = {v}" for k, v in changes.items())
    return audit_service.detail_text(entry.detail, _, ngettext)


def label_of(key: str) -> str:
    setting = SETTINGS_BY_KEY.get(key)
    return setting.label if setting else key


def entity_text(entry: AuditView) -> str:
    """The kind of record and the record as a reader knows it (masked name, case or serial number), no raw id."""
    entity = _(ENTITY_LABELS[entry.entity]) if entry.entity in ENTITY_LABELS else entry.entity
    shown = entry.object_text
    if entry.entity == "setting" and shown in SETTING_LABELS:
        shown = _(SETTING_LABELS[shown])
    return f"{entity} {shown}".strip()


class AuditPage(QWidget):
    """Read-only view for chiefs and admins; the verify button walks the whole hash chain."""

    entries_loaded = Signal(int)
    log_verified = Signal(bool)       # the local keyed chain
    hub_compared = Signal(bool)       # then the hub's copy (False: differs, or not compared)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.entries: list[AuditView] = []
        self._build()
        if ctx.may(Permission.AUDIT_VIEW):
            self.reload()
        else:
            for widget in (self.action_combo, self.refresh_button, self.verify_button, self.entries_table):
                widget.setEnabled(False)
            show_message(self.error_label, _("Only the station chief and the administrator may read the audit log."),
                         "error")

    def _build(self) -> None:
        self.action_combo = QComboBox(objectName="action_combo")
        self.action_combo.addItem(_("All actions"), None)
        for action, label in ACTION_LABELS.items():
            self.action_combo.addItem(_(label), action)
        self.action_combo.currentIndexChanged.connect(self._on_action_combo_current_index_changed)
        self.refresh_button = QPushButton(_("Refresh"), objectName="refresh_button")
        self.refresh_button.clicked.connect(lambda: self.reload())
        self.verify_button = QPushButton(_("Verify integrity"), objectName="verify_button")
        self.verify_button.clicked.connect(self._on_verify_button_clicked)
        self.count_label = QLabel(objectName="count_label")
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Action")))
        top.addWidget(self.action_combo)
        top.addWidget(self.refresh_button)
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(self.verify_button)
        self.verify_label = message_label("verify_label")
        self.hub_label = message_label("hub_label")
        self.error_label = message_label("error_label")
        self.entries_table = QTableWidget(0, 6, objectName="entries_table")
        self.entries_table.setHorizontalHeaderLabels([_("No."), _("Time"), _("User"), _("Action"), _("Record"),
                                                      _("Detail")])
        self.entries_table.verticalHeader().hide()
        self.entries_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.entries_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.entries_table.setWordWrap(False)
        compact_rows(self.entries_table)
        header = self.entries_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.verify_label)
        layout.addWidget(self.hub_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.entries_table, 1)

    def reload(self) -> None:
        ctx, action = self.ctx, self.action_combo.currentData()
        self.runner.submit(lambda: audit_service.recent(ctx, RECENT_LIMIT, action),
                           lambda entries: self._on_entries_loaded(action, entries), self._on_task_failed)

    def _on_action_combo_current_index_changed(self, _index: int) -> None:
        self.reload()

    def _on_entries_loaded(self, action: str | None, entries: list[AuditView]) -> None:
        if action != self.action_combo.currentData():
            return  # an older filter's answer
        self.entries = entries
        self.entries_table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            cells = (str(e.seq), local_text(e.at), e.user_login, action_label(e.action, e.detail), entity_text(e),
                     detail_text(e))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == len(cells) - 1:
                    item.setToolTip(text)
                self.entries_table.setItem(row, column, item)
        self.count_label.setText(ngettext("{n} entry shown (newest first)", "{n} entries shown (newest first)",
                                          len(entries)).format(n=len(entries)))
        self.entries_loaded.emit(len(entries))

    def _on_verify_button_clicked(self) -> None:
        ctx = self.ctx
        self.verify_button.setEnabled(False)
        show_message(self.verify_label, _("Checking…"))
        show_message(self.hub_label, "")
        self.runner.submit(lambda: audit_service.verify(ctx), self._on_log_verified, self._on_task_failed)

    def _on_log_verified(self, result: VerifyResult) -> None:
        if result.ok:
            show_message(self.verify_label, ngettext("The log is intact: {n} entry checked.",
                                                     "The log is intact: {n} entries checked.",
                                                     result.checked).format(n=result.checked), "ok")
        else:
            reason = _(REASONS[result.reason]) if result.reason in REASONS else result.reason
            show_message(self.verify_label, _("Entry {seq} has been altered or removed ({reason}).").format(
                seq=result.first_broken_seq, reason=reason), "alert")
        self.log_verified.emit(result.ok)
        # Then the hub's copy, as `shequ-admin audit verify` does — on the network pool, never the window's thread.
        show_message(self.hub_label, _("Comparing with the hub's copy…"))
        ctx = self.ctx
        self.runner.submit_network(lambda: audit_remote.compare_with_hub(ctx), self._on_hub_compared,
                                   self._on_hub_failed)

    def _on_hub_compared(self, hub: HubComparison | None) -> None:
        self.verify_button.setEnabled(True)
        if hub is None:
            show_message(self.hub_label, _("Not connected to a hub: checked with this station's key only."), "warn")
            self.hub_compared.emit(False)
            return
        lines = [ngettext("Compared with the hub's copy: {n} entry held by both, {new} newer here not sent yet.",
                          "Compared with the hub's copy: {n} entries held by both, {new} newer here not sent yet.",
                          hub.compared).format(n=hub.compared, new=hub.not_on_hub)]
        if hub.changed:
            lines.append(_("Entries that differ from the hub's copy: {seqs}").format(
                seqs=audit_remote.seq_ranges(hub.changed)))
        if hub.missing_here:
            lines.append(_("Entries on the hub but missing here: {seqs}").format(
                seqs=audit_remote.seq_ranges(hub.missing_here)))
        if hub.hub_problem:
            lines.append(_("The hub refused this station's audit entries: {reason}").format(reason=hub.hub_problem))
        show_message(self.hub_label, "\n".join(lines), "ok" if hub.ok else "alert")
        self.hub_compared.emit(hub.ok)

    def _on_hub_failed(self, error: object) -> None:
        """Offline or refused: the local check stands, and says so."""
        self.verify_button.setEnabled(True)
        if not isinstance(error, UserError):
            self._on_task_failed(error)
            return
        show_message(self.hub_label, _("Warning: ") + error_text(error) + "\n"
                     + _("The hub's copy could not be compared; checked with this station's key only."), "warn")
        self.hub_compared.emit(False)

    def _on_task_failed(self, error: object) -> None:
        self.verify_button.setEnabled(True)
        show_message(self.verify_label, "")
        show_error_inline(self.error_label, error, self)
