"""Qt side of translation: one gettext catalog for uic forms, plus Qt's own 确定/取消.

The bridge returns None when the catalog has no entry: an empty string would blank Qt's
own texts, because Qt takes the first translator that answers.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from shequ_desktop import i18n
from shequ_desktop.i18n import N_

log = logging.getLogger(__name__)
_installed: list[QTranslator] = []   # kept alive here: Qt does not own installed translators

# Qt's own texts that qtbase_zh_CN.qm lacks (Qt 6.11 renamed them); answered from our catalog.
_QT_GAPS: dict[str, frozenset[str]] = {
    "QFileDialog": frozenset({N_("&Look in:"), N_("Files of &type:")}),
}


class GettextTranslator(QTranslator):
    """Answers QCoreApplication.translate() (retranslateUi of uic forms) from the gettext catalog."""

    def translate(self, context: str, source_text: str, disambiguation: str | None = None,  # noqa: ARG002
                  n: int = -1) -> str | None:  # noqa: ARG002
        if context.startswith("Q"):  # Qt's own classes: only the known gaps ("Name" is not 姓名 there)
            return i18n.lookup(source_text) if source_text in _QT_GAPS.get(context, ()) else None
        return i18n.lookup(source_text)

    def isEmpty(self) -> bool:  # noqa: N802  (Qt API)
        return False


def _qt_base_translator(language: str) -> QTranslator | None:
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        return translator
    log.warning("no qtbase_%s.qm in %s; Qt's own buttons stay English", language, folder)
    return None


def apply_language(language: str) -> str:
    """Switch gettext and Qt to ``language`` (zh_CN or en); widgets get a LanguageChange event."""
    i18n.set_language(language)
    language = i18n.current_language()
    app = QCoreApplication.instance()
    if app is None:
        return language
    while _installed:
        app.removeTranslator(_installed.pop())
    QLocale.setDefault(QLocale(language))
    if language != "en":
        base = _qt_base_translator(language)
        if base is not None:
            _installed.append(base)
    _installed.append(GettextTranslator())
    for translator in _installed:
        app.installTranslator(translator)
    _relocalise_date_widgets()
    return language


def _relocalise_date_widgets() -> None:
    """Month and weekday names of calendars and date edits that exist already follow the switch too."""
    from PySide6.QtWidgets import QApplication, QCalendarWidget, QDateTimeEdit
    if not isinstance(QCoreApplication.instance(), QApplication):
        return
    for widget in QApplication.allWidgets():
        if isinstance(widget, (QCalendarWidget, QDateTimeEdit)):
            widget.setLocale(QLocale())
