"""The few modal questions of the operations menu, in one place so tests can patch them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from shequ_desktop.i18n import _


def confirm(parent: QWidget, title: str, text: str, accept_text: str) -> bool:
    """A warning with ``accept_text`` / Cancel; Cancel is the default so Enter never restores."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setObjectName("ops_confirm_box")
    accept = box.addButton(accept_text, QMessageBox.ButtonRole.AcceptRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is accept


def choose_folder(parent: QWidget, title: str, start: Path | None) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, title, str(start or ""))
    return Path(folder) if folder else None


def choose_backup_file(parent: QWidget, start: Path) -> Path | None:
    name, _filter = QFileDialog.getOpenFileName(parent, _("Choose a backup file"), str(start),
                                                _("Database backups (*.db);;All files (*)"))
    return Path(name) if name else None


def choose_zip_target(parent: QWidget, suggested: Path) -> Path | None:
    name, _filter = QFileDialog.getSaveFileName(parent, _("Export diagnostics"), str(suggested),
                                                _("Zip archives (*.zip)"))
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".zip" else path.with_name(path.name + ".zip")
