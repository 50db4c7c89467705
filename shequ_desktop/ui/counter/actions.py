"""The step buttons of a case, shown for its kind (simple/complex) and enabled by its status."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from shequ_desktop.i18n import N_, _
from shequ_desktop.services.counter import OPEN, CaseView, Status

# key, label, row, column; the labels are the words a clerk uses at the window.
BUTTONS = (("notice", N_("One-time notice"), 0, 0), ("finish", N_("Finish on the spot"), 0, 1),
           ("accept", N_("Accept"), 0, 1), ("supplement", N_("Request supplement"), 0, 2),
           ("supplement_received", N_("Supplement received"), 0, 3), ("review", N_("Initial review"), 1, 0),
           ("report", N_("Report to sub-district"), 1, 1), ("complete", N_("Complete"), 1, 2),
           ("return", N_("Return"), 1, 3), ("withdraw", N_("Withdraw"), 1, 4))
SIMPLE_ONLY = frozenset({"finish"})
COMPLEX_ONLY = frozenset({"accept", "review", "report", "complete"})
ENABLED_IN: dict[str, frozenset[str]] = {
    "notice": frozenset({Status.INTAKE, Status.SUPPLEMENT}),
    "finish": frozenset({Status.INTAKE}), "accept": frozenset({Status.INTAKE}),
    "supplement": frozenset({Status.INTAKE, Status.ACCEPTED}),
    "supplement_received": frozenset({Status.SUPPLEMENT}), "review": frozenset({Status.ACCEPTED}),
    "report": frozenset({Status.REVIEWED}), "complete": frozenset({Status.REPORTED}),
    "return": OPEN | {Status.REPORTED}, "withdraw": OPEN}
NEXT_STEP = {(Status.INTAKE, True): "finish", (Status.INTAKE, False): "accept",
             (Status.SUPPLEMENT, True): "supplement_received", (Status.SUPPLEMENT, False): "supplement_received",
             (Status.ACCEPTED, False): "review", (Status.REVIEWED, False): "report",
             (Status.REPORTED, False): "complete"}
PRIMARY_STYLE = ("QPushButton[primary=\"true\"]:enabled { background: #1f6fb2; color: white; font-weight: bold;"
                 " border: 1px solid #17588f; border-radius: 3px; padding: 4px 10px; }")


class ActionBar(QWidget):
    triggered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        # Two independent rows (not a grid): a row is only as wide as its own buttons, so the long English
        # labels do not add up column by column (the main window fits 1366 px in English too).
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(4)
        lines = [QHBoxLayout(), QHBoxLayout()]
        for line in lines:
            line.setSpacing(6)
            rows.addLayout(line)
        self.setStyleSheet(PRIMARY_STYLE)
        for key, _label, row, _column in BUTTONS:
            button = QPushButton(self)
            button.setObjectName(f"{key}_button")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, k=key: self.triggered.emit(k))
            lines[row].addWidget(button)
            self.buttons[key] = button
        for line in lines:
            line.addStretch(1)
        self.retranslate()
        self.update_for(None, busy=False)

    def retranslate(self) -> None:
        for key, label, _r, _c in BUTTONS:
            self.buttons[key].setText(_(label))
        self.buttons["notice"].setToolTip(_("Print the one-time notice with the complete materials list."))
        self.buttons["supplement"].setToolTip(_("Print the supplement notice for the items marked missing, "
                                                "not as required or inconsistent."))

    def update_for(self, case: CaseView | None, busy: bool, needs_supplement: bool = False,
                   materials_missing: bool = False) -> None:
        """Show/enable the steps for ``case``; highlight the next one. While required materials are not
        all ticked as received, 受理 / 当场办结 is not the highlighted step."""
        simple = bool(case and case.simple)
        primary = NEXT_STEP.get((case.status, simple)) if case else None
        if materials_missing and primary in ("accept", "finish"):
            primary = None
        if needs_supplement and case is not None and case.status in ENABLED_IN["supplement"]:
            primary = "supplement"    # items are marked missing/wrong: the supplement notice comes next
        for key, button in self.buttons.items():
            button.setVisible(case is None or not ((simple and key in COMPLEX_ONLY) or
                                                   (not simple and key in SIMPLE_ONLY)))
            if case is None and key in SIMPLE_ONLY:
                button.setVisible(False)
            button.setEnabled(bool(case) and not busy and case.status in ENABLED_IN[key])  # type: ignore[union-attr]
            is_primary = key == primary
            if button.property("primary") != is_primary:
                button.setProperty("primary", is_primary)
                button.style().unpolish(button)
                button.style().polish(button)
