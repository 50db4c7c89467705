"""Settings dialog (language, idle-lock time from the policy) and the per-user QSettings store."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QDialog, QWidget

from shequ_desktop.i18n import DEFAULT_LANGUAGE, SUPPORTED, _, ngettext
from shequ_desktop.ui.generated.ui_settings_dialog import Ui_SettingsDialog

LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}   # each in its own language, never translated
LANGUAGE_KEY = "ui/language"


def app_settings() -> QSettings:
    """Per-user preferences (INI file); tests point QSettings.setPath at a temp folder."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "shequ", "shequ-desktop")


def saved_language() -> str:
    value = str(app_settings().value(LANGUAGE_KEY, DEFAULT_LANGUAGE))
    return value if value in SUPPORTED else DEFAULT_LANGUAGE


def save_language(language: str) -> None:
    settings = app_settings()
    settings.setValue(LANGUAGE_KEY, language)
    settings.sync()


class SettingsDialog(QDialog):
    def __init__(self, language: str, idle_lock_minutes: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._idle_minutes = idle_lock_minutes
        self.ui = Ui_SettingsDialog()
        self.ui.setupUi(self)
        self.ui.language_combo.setProperty("user_data", True)   # each language named in itself
        for code in SUPPORTED:
            self.ui.language_combo.addItem(LANGUAGE_NAMES.get(code, code), code)
        self.ui.language_combo.setCurrentIndex(max(0, self.ui.language_combo.findData(language)))
        self.ui.button_box.accepted.connect(self.accept)
        self.ui.button_box.rejected.connect(self.reject)
        self._retranslate()

    def _retranslate(self) -> None:
        minutes = self._idle_minutes
        self.ui.idle_lock_value_label.setText(
            "-" if minutes is None else ngettext("after {n} minute", "after {n} minutes", minutes).format(n=minutes))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._retranslate()
        super().changeEvent(event)

    def chosen_language(self) -> str:
        return str(self.ui.language_combo.currentData())
