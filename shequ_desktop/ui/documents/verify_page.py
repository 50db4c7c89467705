"""文书核验: type the code under a document's QR, or scan the QR with a USB scanner (it types like a
keyboard and ends with Enter); the page shows the minimal facts and the status. The chief may void
(作废) the document shown, with a reason."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout,
                               QWidget)

from shequ_desktop.domain.documents import STATUS_MSGIDS, VALID
from shequ_desktop.domain.roles import Permission
from shequ_desktop.i18n import _
from shequ_desktop.services import verify
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.verify import Verification
from shequ_desktop.ui.admin._common import message_label, show_error_inline, show_message
from shequ_desktop.ui.tasks import TaskRunner

STATUS_STYLE = {"valid": "color: #1b7a2f; font-weight: bold;", "void": "color: #c62828; font-weight: bold;",
                "expired": "color: #9a5b00; font-weight: bold;"}
FIELDS = ("title", "serial_no", "issued_on", "issuer", "holder", "status", "valid_until", "void")


class VerifyPage(QWidget):
    """Check a printed document by its verification code; void it (chief)."""

    checked = Signal(object)            # Verification
    voided = Signal(object)             # Verification after the void

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verify_page")
        self.ctx, self.runner = ctx, runner
        self.current: Verification | None = None
        self._build()
        self._retranslate()
        self._show(None)

    def _build(self) -> None:
        self.heading = QLabel(self)
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.hint_label = QLabel(self)
        self.hint_label.setWordWrap(True)
        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("code_edit")
        self.code_edit.setClearButtonEnabled(True)
        self.code_edit.setMaximumWidth(520)
        self.check_button = QPushButton(self)
        self.check_button.setObjectName("check_button")
        self.check_button.setDefault(True)
        row = QHBoxLayout()
        row.addWidget(self.code_edit, 1)
        row.addWidget(self.check_button)
        row.addStretch(0)
        self.error_label = message_label("verify_error_label")
        self.result_box = QGroupBox(self)
        self.result_box.setObjectName("result_box")
        form = QFormLayout(self.result_box)
        self.names: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        for key in FIELDS:
            name, value = QLabel(self.result_box), QLabel(self.result_box)
            value.setObjectName(f"{key}_value")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            self.names[key], self.values[key] = name, value
            form.addRow(name, value)
        self.void_box = QGroupBox(self)
        self.void_box.setObjectName("void_box")
        void_row = QHBoxLayout(self.void_box)
        self.reason_edit = QLineEdit(self.void_box)
        self.reason_edit.setObjectName("void_reason_edit")
        self.reason_edit.setMaxLength(200)
        self.void_button = QPushButton(self.void_box)
        self.void_button.setObjectName("void_button")
        void_row.addWidget(self.reason_edit, 1)
        void_row.addWidget(self.void_button)
        self.void_message = message_label("void_message_label")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.hint_label)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        layout.addWidget(self.result_box)
        layout.addWidget(self.void_box)
        layout.addWidget(self.void_message)
        layout.addStretch(1)
        self.code_edit.returnPressed.connect(self.check)        # a scanner ends its input with Enter
        self.check_button.clicked.connect(self.check)
        self.void_button.clicked.connect(self.void_current)
        self.reason_edit.textChanged.connect(lambda _t: self._update_void())

    def _retranslate(self) -> None:
        self.heading.setText(_("Check a document"))
        self.hint_label.setText(_("Type the 8-character code printed under the QR code, or scan the QR code "
                                  "with the scanner; then press Enter."))
        self.code_edit.setPlaceholderText(_("Verification code or scanned QR code"))
        self.check_button.setText(_("Check"))
        self.result_box.setTitle(_("Result of the check"))
        labels = {"title": _("Document"), "serial_no": _("Serial No."), "issued_on": _("Issued on"),
                  "issuer": _("Issued by"), "holder": _("Holder"), "status": _("Status"),
                  "valid_until": _("Valid until"), "void": _("Voided")}
        for key, text in labels.items():
            self.names[key].setText(text)
        self.void_box.setTitle(_("Void this document (station chief)"))
        self.reason_edit.setPlaceholderText(_("Reason for voiding, e.g. wrong address, issued again"))
        self.void_button.setText(_("Void the document"))
        if self.current is not None:
            self._show(self.current)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802  (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def focus_search(self) -> None:
        self.code_edit.setFocus()
        self.code_edit.selectAll()

    # --- check ---------------------------------------------------------------------------------
    def check(self) -> None:
        text, ctx = self.code_edit.text(), self.ctx
        show_message(self.error_label, "")
        show_message(self.void_message, "")
        self.check_button.setEnabled(False)
        self.runner.submit(lambda: verify.verify(ctx, text), self._on_checked, self._on_check_failed)

    def _on_checked(self, found: object) -> None:
        self.check_button.setEnabled(True)
        assert isinstance(found, Verification)
        self._show(found)
        self.code_edit.selectAll()                  # the next scan replaces the code
        self.checked.emit(found)

    def _on_check_failed(self, error: object) -> None:
        self.check_button.setEnabled(True)
        self._show(None)
        show_error_inline(self.error_label, error, self)
        self.code_edit.selectAll()

    def _show(self, v: Verification | None) -> None:
        self.current = v
        self.result_box.setVisible(v is not None)
        if v is not None:
            values = {"title": v.title, "serial_no": v.serial_no, "issued_on": v.issued_on.isoformat(),
                      "issuer": v.issuer or "—", "holder": v.holder or "—", "status": _(STATUS_MSGIDS[v.status]),
                      "valid_until": v.valid_until.isoformat() if v.valid_until else "",
                      "void": (f"{v.voided_on.isoformat() if v.voided_on else ''} {v.void_reason}".strip()
                               if v.void_reason else "")}
            for key, text in values.items():
                self.values[key].setText(text)
                visible = bool(text) or key not in ("valid_until", "void")
                self.values[key].setVisible(visible)
                self.names[key].setVisible(visible)
            self.values["status"].setStyleSheet(STATUS_STYLE[v.status])
        self.void_box.setVisible(self.ctx.may(Permission.DOCUMENT_VOID) and v is not None and v.status == VALID)
        self._update_void()

    def _update_void(self) -> None:
        self.void_button.setEnabled(bool(self.reason_edit.text().strip()) and self.current is not None)

    # --- void ----------------------------------------------------------------------------------
    def void_current(self) -> None:
        if self.current is None:
            return
        ctx, code, reason = self.ctx, self.current.code, self.reason_edit.text()
        self.void_button.setEnabled(False)
        self.runner.submit(lambda: verify.void(ctx, code, reason), self._on_voided, self._on_void_failed)

    def _on_voided(self, found: object) -> None:
        assert isinstance(found, Verification)
        self.reason_edit.clear()
        self._show(found)
        show_message(self.void_message, _("Document {serial} is now void.").format(serial=found.serial_no), "ok")
        self.voided.emit(found)

    def _on_void_failed(self, error: object) -> None:
        self._update_void()
        show_error_inline(self.void_message, error, self)
