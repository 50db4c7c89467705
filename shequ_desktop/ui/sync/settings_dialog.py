"""同步设置…: hub URL, the station credential (masked), a custom CA file, and 测试连接.

Only the administrator may save (services.sync.configure checks it). The dialog never blocks:
it is opened with ``open()``; network checks run on the runner's network pool.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.roles import Role
from shequ_desktop.i18n import _
from shequ_desktop.services import sync
from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.admin._common import message_label, show_message
from shequ_desktop.ui.errors import message_for, report_exception
from shequ_desktop.ui.field_errors import FieldErrors
from shequ_desktop.ui.tasks import TaskRunner


class SyncSettingsDialog(QDialog):
    configured = Signal(object)        # sync.HubSettings after a successful save
    connection_checked = Signal(bool)

    def __init__(self, ctx: AppContext, runner: TaskRunner, current: sync.HubSettings | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_settings_dialog")
        self._ctx, self._runner = ctx, runner
        self.setWindowTitle(_("Sync settings"))
        self.url_edit = QLineEdit(objectName="url_edit")
        self.url_edit.setPlaceholderText("https://hub.example.gov.cn")
        self.token_edit = QLineEdit(objectName="token_edit")
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(_("station-id:secret (from the subdistrict administrator)"))
        self.ca_edit = QLineEdit(objectName="ca_edit")
        self.ca_edit.setPlaceholderText(_("Optional: the intranet's CA certificate (.pem)"))
        self.ca_button = QPushButton(_("Choose…"), objectName="ca_button")
        self.url_error = message_label("url_error_label")
        self.token_error = message_label("token_error_label")
        self.general_error = message_label("general_error_label")
        self.result_label = message_label("result_label")
        self.errors = FieldErrors({"url": self.url_error, "token": self.token_error}, self.general_error)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_edit, 1)
        ca_row.addWidget(self.ca_button)
        form = QFormLayout()
        form.addRow(_("Hub address"), self.url_edit)
        form.addRow("", self.url_error)
        form.addRow(_("Station credential"), self.token_edit)
        form.addRow("", self.token_error)
        form.addRow(_("CA certificate"), ca_row)
        self.note_label = QLabel(objectName="note_label", wordWrap=True)
        self.note_label.setStyleSheet("color: #555555;")
        self.test_button = QPushButton(_("Test connection"), objectName="test_button")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note_label)
        layout.addWidget(self.general_error)
        layout.addWidget(self.result_label)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())
        if current is not None:
            self.url_edit.setText(current.url)
            self.ca_edit.setText(current.ca_file)
            self.token_edit.setPlaceholderText(_("Stored; leave empty to keep it"))
        else:
            from shequ_desktop import paths
            # The hub address the IT admin gave the Windows installer (/HUB=…), if any.
            self.url_edit.setText(paths.install_settings().get("hub_url", ""))
        if ctx.user.role is not Role.ADMIN:
            self.note_label.setText(_("Only the administrator may change the connection."))
            self.save_button.setEnabled(False)
        else:
            self.note_label.setText(
                _("The credential is kept for this PC, encrypted with the Windows machine key: every clerk "
                  "of this PC can sync with it, no other PC can use it.") if sys.platform == "win32"
                else _("The credential is kept in the system keyring or in a file only you can read."))
        self.ca_button.clicked.connect(self._on_ca_button_clicked)
        self.test_button.clicked.connect(self.test_connection)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._has_stored_token = current is not None

    def _values(self) -> tuple[str, str, str]:
        return self.url_edit.text().strip(), self.token_edit.text().strip(), self.ca_edit.text().strip()

    def _token_or_stored(self, token: str) -> str:
        if token or not self._has_stored_token:
            return token
        from shequ_desktop import paths
        from shequ_desktop.sync import credentials
        return credentials.load_token(paths.data_dir(), f"station-{self._ctx.station_id}") or ""

    def _check_filled(self, url: str, token: str) -> bool:
        self.errors.clear()
        show_message(self.result_label, "")
        if not url.startswith(("http://", "https://")):
            self.errors.set("url", _("Enter the hub address, starting with https://"))
            return False
        if not token:
            self.errors.set("token", _("Enter the station credential."))
            return False
        return True

    def _on_ca_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("CA certificate"), "",
                                                    _("Certificates (*.pem *.crt *.cer);;All files (*)"))
        if path:
            self.ca_edit.setText(path)

    def test_connection(self) -> None:
        url, token, ca = self._values()
        token = self._token_or_stored(token)
        if not self._check_filled(url, token):
            return
        self.test_button.setEnabled(False)
        self._runner.submit_network(lambda: sync.check_connection(url, token, ca), self._on_test_ok,
                                    self._on_test_failed)

    def _on_test_ok(self, name: str) -> None:
        self.test_button.setEnabled(True)
        show_message(self.result_label, _("Connected: the hub knows this workstation as {name}.").format(name=name),
                     "ok")
        self.connection_checked.emit(True)

    def _on_test_failed(self, error: object) -> None:
        self.test_button.setEnabled(True)
        self._show_error(error)
        self.connection_checked.emit(False)

    def save(self) -> None:
        url, token, ca = self._values()
        token = self._token_or_stored(token)
        if not self._check_filled(url, token):
            return
        ctx = self._ctx
        self.save_button.setEnabled(False)
        # configure() talks to the hub and then writes a few settings in short transactions:
        # it runs on the network pool so a slow hub never holds the DB thread.
        self._runner.submit_network(lambda: sync.configure(ctx, url, token, ca), self._on_saved,
                                    self._on_save_failed)

    def _on_saved(self, settings: sync.HubSettings) -> None:
        self.save_button.setEnabled(True)
        self.configured.emit(settings)
        self.accept()

    def _on_save_failed(self, error: object) -> None:
        self.save_button.setEnabled(True)
        self._show_error(error)

    def _show_error(self, error: object) -> None:
        if isinstance(error, UserError):
            self.errors.show(error)
        else:
            report_exception(error, self)
            self.errors.set(None, message_for(error))
