"""Words of oversight part B in the user's language, and small widget helpers shared by its tabs."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QGroupBox, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QWidget)

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.clock import to_local
from shequ_desktop.i18n import N_, _, ngettext


def channel(code: str) -> str:
    return _(g.COMPLAINT_CHANNEL_MSGIDS.get(code, code))


def complaint_state(code: str) -> str:
    return _(g.COMPLAINT_STATE_MSGIDS.get(code, code))


def survey_channel(code: str) -> str:
    return _(g.CHANNEL_MSGIDS.get(code, code))


def survey_state(code: str) -> str:
    return _(g.SURVEY_STATE_MSGIDS.get(code, code))


def rating(code: str) -> str:
    return _(g.RATING_MSGIDS.get(code, code))


def role(code: str) -> str:
    return _(g.COMMITTEE_ROLE_MSGIDS.get(code, code))


def ledger(code: str) -> str:
    return _(g.LEDGER_MSGIDS.get(code, code))


def inspection_result(code: str) -> str:
    return _(g.INSPECTION_RESULT_MSGIDS.get(code, code))


def score5(value: int) -> str:
    return _(g.SCORE5_MSGIDS[value - 1])


def when(value: dt.datetime | None) -> str:
    return to_local(value).strftime("%Y-%m-%d %H:%M") if value is not None else "—"


def warning_text(msgid: str, params: dict[str, object]) -> str:
    if msgid == g.COMMITTEE_SIZE_MSGID:   # a count: singular and plural forms
        n = int(params["n"])  # type: ignore[call-overload]
        return ngettext("The supervision committee has {n} member; it needs exactly {required}.",
                        "The supervision committee has {n} members; it needs exactly {required}.", n).format(**params)
    return _(msgid).format(**params)


def error_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent, objectName=name)
    label.setStyleSheet("color: #c0392b;")
    label.setWordWrap(True)
    label.hide()
    return label


def table(parent: QWidget, name: str, headers: tuple[str, ...]) -> QTableWidget:
    """A read-only, row-selecting table with translated headers (message ids)."""
    t = QTableWidget(0, len(headers), parent, objectName=name)
    t.setHorizontalHeaderLabels([_(h) for h in headers])
    t.setProperty("header_msgids", list(headers))
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.verticalHeader().hide()
    t.verticalHeader().setDefaultSectionSize(24)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    t.horizontalHeader().setStretchLastSection(True)
    return t


# The domain's English message ids (the domain cannot import i18n): marked here so Babel extracts them.
_DOMAIN_MSGIDS = (
    N_("Very dissatisfied"), N_("Dissatisfied"), N_("Neutral"), N_("Satisfied"), N_("Very satisfied"),
    N_("Draft"), N_("Open"), N_("Closed"), N_("Offline (paper)"), N_("Online"),
    N_("Chair"), N_("Member"),
    N_("Counter register"), N_("Case list"), N_("Special-group contacts"), N_("Mediation cases"), N_("Use of funds"),
    N_("No problems found"), N_("Problems found, rectification ordered"),
    N_("Hotline call"), N_("Walk-in"), N_("Letter"), N_("Smart-community platform"),
    N_("Waiting for contact"), N_("Contacted"), N_("Result fed back"),
    N_("Excellent"), N_("Competent"), N_("Basically competent"), N_("Incompetent"),
    N_("{name} is not a residents' representative."),
    N_("The term of {name} is not in step with the residents' committee ({start} – {end})."),
    N_("The committee's term ended on {day}; record the new term."),
    N_("No supervision committee is recorded yet."),
)


# --- texts that follow a language switch -----------------------------------------------------------
def button(parent: QWidget, name: str, msgid: str) -> QPushButton:
    b = QPushButton(_(msgid), parent, objectName=name)
    b.setProperty("msgid", msgid)
    return b


def group(parent: QWidget, msgid: str) -> QGroupBox:
    box = QGroupBox(_(msgid), parent)
    box.setProperty("msgid", msgid)
    return box


def label(parent: QWidget, msgid: str) -> QLabel:
    lab = QLabel(_(msgid), parent)
    lab.setProperty("msgid", msgid)
    return lab


def combo_items(combo: QComboBox, items: tuple[tuple[str, str], ...]) -> None:
    """(value, message id) items whose texts follow the language."""
    for value, msgid in items:
        combo.addItem(_(msgid), value)
    combo.setProperty("item_msgids", [m for _v, m in items])


def retranslate(root: QWidget) -> None:
    """Every text marked by the helpers above, in the current language (on LanguageChange)."""
    for w in root.findChildren(QWidget):
        msgid = w.property("msgid")
        if msgid:
            if isinstance(w, QGroupBox):
                w.setTitle(_(msgid))
            elif isinstance(w, (QPushButton, QLabel)):
                w.setText(_(msgid))
        headers = w.property("header_msgids")
        if headers and isinstance(w, QTableWidget):
            w.setHorizontalHeaderLabels([_(h) for h in headers])
        items = w.property("item_msgids")
        if items and isinstance(w, QComboBox):
            for i, m in enumerate(items):
                w.setItemText(i, _(m))
