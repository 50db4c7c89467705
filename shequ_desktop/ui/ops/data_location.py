"""数据位置: where the data lives, how to move it; and the one-time notice after the first login."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QEvent, QSettings, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout,
                               QWidget)

from shequ_desktop import paths
from shequ_desktop.i18n import _
from shequ_desktop.ui.ops._widgets import path_label
from shequ_desktop.ui.settings import app_settings

NOTICE_KEY = "ops/first_start_notice_shown"


def location_explanation() -> str:
    """What paths.data_dir() and app.py actually do (keep in step with them)."""
    return "\n\n".join([
        _("On Windows the installer creates one data folder for the whole PC (ProgramData\\shequ\\shequ-desktop), "
          "writable by every Windows account: clerks who share this PC share one station database, whichever "
          "account they use. Without that folder (e.g. a copy started without installing, or Linux) the data "
          "folder belongs to the logged-in user (AppData\\Local or ~/.local/share)."),
        _("To move the data: close the program, move the whole folder, then set the environment variable "
          "SHEQU_DATA_DIR to the new folder (Windows: System > Advanced system settings > Environment "
          "variables; as a system variable it applies to every Windows user). The database, the automatic "
          "backups and the logs then all live there."),
        _("Alternatively, start the program with --db followed by a database file. That file's automatic "
          "backups go to a \"backups\" folder next to it; the logs stay in the data folder."),
    ])


class DataLocationDialog(QDialog):
    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("data_location_dialog")
        self.data_dir = paths.data_dir()
        self.db_path = Path(db_path)
        self.data_dir_label = path_label("data_dir_label")
        self.db_label = path_label("db_label")
        self.log_label = path_label("log_label")
        self.env_label = QLabel(objectName="env_label", wordWrap=True)
        self.explanation_label = QLabel(objectName="explanation_label", wordWrap=True)
        self.open_folder_button = QPushButton(objectName="open_folder_button")
        self.open_folder_button.clicked.connect(self.open_folder)
        self.captions = [QLabel(), QLabel(), QLabel()]
        form = QFormLayout()
        for caption, label in zip(self.captions, (self.data_dir_label, self.db_label, self.log_label), strict=True):
            form.addRow(caption, label)
        button_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        button_box.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        button_box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.env_label)
        layout.addWidget(self.explanation_label)
        layout.addStretch(1)
        layout.addWidget(button_box)
        self._retranslate()
        self.resize(640, 420)

    def _retranslate(self) -> None:
        self.setWindowTitle(_("Data location"))
        for caption, text in zip(self.captions, (_("Data folder:"), _("Database file:"), _("Log files:")),
                                 strict=True):
            caption.setText(text)
        self.data_dir_label.setText(str(self.data_dir))
        self.db_label.setText(str(self.db_path))
        self.log_label.setText(str(paths.log_dir()))
        self.env_label.setText(self._source_text())
        self.explanation_label.setText(location_explanation())
        self.open_folder_button.setText(_("Open data folder"))

    def _source_text(self) -> str:
        """Why the data is where it is right now: the variable, --db, or the default."""
        lines = []
        if os.environ.get("SHEQU_DATA_DIR"):   # the variable paths.data_dir() reads
            lines.append(_("The data folder is set by the environment variable SHEQU_DATA_DIR."))
        else:
            lines.append(_("The data folder is the default one for this Windows user."))
        if self.db_path.parent.resolve() != self.data_dir.resolve():
            lines.append(_("The database file was given with --db and is outside the data folder."))
        return " ".join(lines)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir)))


def first_start_notice(parent: QWidget | None, data_dir: Path) -> QMessageBox | None:
    """Once per Windows user (remembered in QSettings): where the data lives, that backups are automatic."""
    settings: QSettings = app_settings()
    if settings.value(NOTICE_KEY, False, type=bool):
        return None
    text = "\n\n".join([
        _("The data of this workstation is stored on this PC in:\n{path}").format(path=data_dir),
        _("It is backed up automatically: at the first start of each day and before every program upgrade. "
          "Administrators find the backups, the data location and the diagnostics export in the System menu."),
    ])
    box = QMessageBox(QMessageBox.Icon.Information, _("Where your data is kept"), text,
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("first_start_notice")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setModal(False)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.show()
    settings.setValue(NOTICE_KEY, True)
    settings.sync()
    return box
