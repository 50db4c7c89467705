"""The material checklist of one case: what to bring, and per item 已收 / 缺少 / … with a note."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain.service_catalogue import MaterialItem, ServiceDefinition
from shequ_desktop.i18n import N_, _
from shequ_desktop.ui.counter.labels import MATERIAL_STATE_LABELS, PROBLEM_TEXT, SUPPLEMENT_STATES

COLUMNS = (N_("Material"), N_("Form"), N_("Copies"), N_("Notes"), N_("Check result"),
           N_("What to supplement"))
STATE_COLUMN, NOTE_COLUMN = 4, 5


class ChecklistWidget(QWidget):
    """Shows the service's 材料清单 with the case's recorded states; remembers what the clerk changed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[MaterialItem] = []
        self._saved: dict[str, tuple[str, str]] = {}
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("checklist_table")
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)       # Tab goes straight to the combos
        header = self.table.horizontalHeader()
        # The check-result combo and the short columns keep their full width; the material name and the notes
        # share what is left (cut with "…", whole text as tooltip): at 1366 px in English the fixed widths
        # pushed the check result off the table's right edge.
        Mode = QHeaderView.ResizeMode
        for column, mode in enumerate((Mode.Stretch, Mode.ResizeToContents, Mode.ResizeToContents, Mode.Stretch,
                                       Mode.ResizeToContents, Mode.Interactive)):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(NOTE_COLUMN, 110)
        header.setStretchLastSection(False)
        self.all_received_button = QPushButton(self)
        self.all_received_button.setObjectName("all_received_button")
        self.all_received_button.clicked.connect(self.mark_required_received)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("checklist_summary_label")
        self.summary_label.setStyleSheet("color: #5f6b7a;")
        self.error_label = QLabel(self)
        self.error_label.setObjectName("materials_error_label")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #a12622; background: #fdecec; border-radius: 3px; padding: 4px 6px;")
        self.error_label.hide()
        bar = QHBoxLayout()
        bar.addWidget(self.summary_label, 1)
        bar.addWidget(self.all_received_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(bar)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        self.all_received_button.setText(_("All required received"))
        self.all_received_button.setToolTip(_("Mark every required item as received (conditional items stay as they are)."))
        for row in range(self.table.rowCount()):
            combo = self.state_combo(row)
            for i, (_code, label) in enumerate(MATERIAL_STATE_LABELS):
                combo.setItemText(i, _(label))
            self.note_edit(row).setPlaceholderText(_("e.g. needs the unit's seal"))
        self._update_summary()

    # --- filling -------------------------------------------------------------------------
    def set_case(self, svc: ServiceDefinition, states: dict[str, dict[str, str]], editable: bool) -> None:
        self._items = list(svc.materials)
        self._saved = {m.code: (states.get(m.code, {}).get("state", ""), states.get(m.code, {}).get("note", ""))
                       for m in self._items}
        self.table.setRowCount(len(self._items))
        for row, m in enumerate(self._items):
            self._fill_row(row, m, *self._saved[m.code], editable)
        self.set_error("")
        self.all_received_button.setEnabled(editable)
        self._update_summary()

    def clear(self) -> None:
        self._items, self._saved = [], {}
        self.table.setRowCount(0)
        self.all_received_button.setEnabled(False)
        self.set_error("")
        self._update_summary()

    def _fill_row(self, row: int, m: MaterialItem, state: str, note: str, editable: bool) -> None:
        name = QTableWidgetItem(m.name)
        if m.conditional:
            font = QFont(name.font())
            font.setItalic(True)
            name.setFont(font)
        name.setToolTip(m.name)
        notes = "；".join(x for x in (m.condition and f"（{m.condition}）", m.note) if x)
        cells = (name, QTableWidgetItem(m.form_text), QTableWidgetItem(str(m.copies)), QTableWidgetItem(notes))
        for column, cell in enumerate(cells):
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.table.setItem(row, column, cell)
        self.table.item(row, 2).setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        self.table.item(row, 3).setToolTip(notes)
        combo = QComboBox(self.table)
        combo.setObjectName(f"state_combo_{m.code}")
        for code, label in MATERIAL_STATE_LABELS:
            combo.addItem(_(label), code)
        combo.setCurrentIndex(max(0, combo.findData(state)))
        combo.setEnabled(editable)
        combo.currentIndexChanged.connect(lambda _i, r=row: self._on_state_changed(r))
        self.table.setCellWidget(row, STATE_COLUMN, combo)
        edit = QLineEdit(note, self.table)
        edit.setObjectName(f"note_edit_{m.code}")
        edit.setPlaceholderText(_("e.g. needs the unit's seal"))
        edit.setEnabled(editable)
        edit.setFrame(False)
        edit.textEdited.connect(lambda _t: self.changed.emit())
        self.table.setCellWidget(row, NOTE_COLUMN, edit)
        self._paint_row(row)

    def state_combo(self, row: int) -> QComboBox:
        return self.table.cellWidget(row, STATE_COLUMN)  # type: ignore[return-value]

    def note_edit(self, row: int) -> QLineEdit:
        return self.table.cellWidget(row, NOTE_COLUMN)  # type: ignore[return-value]

    def row_of(self, code: str) -> int:
        return next((i for i, m in enumerate(self._items) if m.code == code), -1)

    # --- editing -------------------------------------------------------------------------
    def set_state(self, code: str, state: str, note: str | None = None) -> None:
        row = self.row_of(code)
        combo = self.state_combo(row)
        combo.setCurrentIndex(combo.findData(state))
        if note is not None:
            self.note_edit(row).setText(note)

    def mark_required_received(self) -> None:
        for row, m in enumerate(self._items):
            if not m.conditional and self.state_combo(row).isEnabled():
                combo = self.state_combo(row)
                combo.setCurrentIndex(combo.findData("provided"))

    def _on_state_changed(self, row: int) -> None:
        self._paint_row(row)
        self._update_summary()
        self.set_error("")
        self.changed.emit()

    def _paint_row(self, row: int) -> None:
        problem = self.state_combo(row).currentData() in SUPPLEMENT_STATES
        brush = QBrush(PROBLEM_TEXT) if problem else QBrush()
        self.table.item(row, 0).setForeground(brush)

    def _update_summary(self) -> None:
        states = [self.state_combo(r).currentData() for r in range(self.table.rowCount())]
        required = [s for m, s in zip(self._items, states) if not m.conditional]
        got = sum(1 for s in required if s == "provided")
        problems = sum(1 for s in states if s in SUPPLEMENT_STATES)
        text = _("Required received: {got}/{total}").format(got=got, total=len(required)) if self._items else ""
        if problems:
            text += " · " + _("to supplement: {n}").format(n=problems)
        self.summary_label.setText(text)

    def set_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    # --- reading -------------------------------------------------------------------------
    def current(self) -> dict[str, tuple[str, str]]:
        return {m.code: (self.state_combo(r).currentData() or "", self.note_edit(r).text().strip())
                for r, m in enumerate(self._items)}

    def dirty_states(self) -> dict[str, tuple[str, str]]:
        """Checked items whose state or note differ from what is stored (unchecked ones are not sent)."""
        return {code: v for code, v in self.current().items() if v != self._saved.get(code) and v[0]}

    def required_missing(self) -> list[str]:
        """Codes of the required (not conditional) materials not yet ticked as received."""
        return [m.code for r, m in enumerate(self._items)
                if not m.conditional and self.state_combo(r).currentData() != "provided"]

    def supplement_items(self) -> dict[str, tuple[str, str]]:
        return {code: v for code, v in self.current().items() if v[0] in SUPPLEMENT_STATES}

    def mark_saved(self) -> None:
        self._saved = self.current()
