"""New dispute case: kind, source, level, facts, parties (residents from the registry or outsiders)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QVBoxLayout,
                               QWidget)

from shequ_desktop.domain import mediation as m
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.masking import mask_phone
from shequ_desktop.i18n import _
from shequ_desktop.services import residents
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.mediation import cases
from shequ_desktop.services.mediation.cases import CaseInput, PartyInput
from shequ_desktop.ui.field_errors import FieldErrors
from shequ_desktop.ui.mediation import labels
from shequ_desktop.ui.tasks import TaskRunner
from shequ_desktop.ui.unsaved import GuardedDialog

PARTY_ROLE = Qt.ItemDataRole.UserRole


class NewCaseDialog(GuardedDialog):
    """Registers a case; with ``lead`` = (patrol entry id, lead index, text) the lead becomes the case."""

    registered = Signal(object)     # CaseView

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None,
                 lead: tuple[str, int, str] | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner, self._lead = ctx, runner, lead
        self.setObjectName("new_case_dialog")
        self.setWindowTitle(_("New dispute"))
        self.kind_combo = self._combo("kind_combo", [(k, labels.kind(k)) for k in m.KINDS])
        self.source_combo = self._combo("source_combo", [(k, labels.source(k)) for k in m.SOURCES])
        self.level_combo = self._combo("level_combo", [(k, labels.level(k)) for k in m.LEVELS])
        self.facts_edit = QPlainTextEdit(self, objectName="facts_edit")
        self.facts_edit.setMinimumHeight(60)
        self.facts_edit.setMaximumHeight(110)
        self.multi_check = QCheckBox(_("Several parties (deliberation council within 3 working days)"), self,
                                     objectName="multi_check")
        self.search_edit = QLineEdit(self, objectName="search_edit")
        self.search_edit.setPlaceholderText(_("Name, ID or phone of a resident"))
        self.search_button = QPushButton(_("Search"), self, objectName="search_button")
        self.results = QListWidget(self, objectName="results_list")
        self.results.setMaximumHeight(90)
        self.add_resident_button = QPushButton(_("Add as party"), self, objectName="add_resident_button")
        self.outsider_name = QLineEdit(self, objectName="outsider_name_edit")
        self.outsider_name.setPlaceholderText(_("Outsider's name"))
        self.outsider_phone = QLineEdit(self, objectName="outsider_phone_edit")
        self.outsider_phone.setPlaceholderText(_("Phone"))
        self.add_outsider_button = QPushButton(_("Add outsider"), self, objectName="add_outsider_button")
        self.parties_list = QListWidget(self, objectName="parties_list")
        self.parties_list.setMaximumHeight(80)
        self.remove_party_button = QPushButton(_("Remove"), self, objectName="remove_party_button")
        self.error_labels = {k: self._error(k) for k in ("kind", "source", "level", "facts", "parties")}
        self.error_label = self._error("form")
        self.errors = FieldErrors(self.error_labels, self.error_label, reserve=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self._layout()
        self.search_button.clicked.connect(self.search)
        self.search_edit.returnPressed.connect(self.search)
        self.add_resident_button.clicked.connect(self.add_selected_resident)
        self.add_outsider_button.clicked.connect(self.add_outsider)
        self.remove_party_button.clicked.connect(lambda: self.parties_list.takeItem(self.parties_list.currentRow()))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.cancel)
        if lead is not None:
            self.source_combo.setCurrentIndex(self.source_combo.findData("patrol"))
            self.source_combo.setEnabled(False)
            self.facts_edit.setPlainText(lead[2])
        self.resize(620, 640)
        self.parties_list.setProperty("edited_list", True)
        self.mark_clean()

    def _combo(self, name: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox(self, objectName=name)
        for value, text in items:
            combo.addItem(text, value)
        return combo

    def _error(self, key: str) -> QLabel:
        label = QLabel(self, objectName=f"{key}_error")
        label.setStyleSheet("color: #c0392b;")
        label.setWordWrap(True)
        return label

    def _layout(self) -> None:
        form = QFormLayout()
        for text, widget, key in ((_("Kind"), self.kind_combo, "kind"), (_("Source"), self.source_combo, "source"),
                                  (_("Level"), self.level_combo, "level"), (_("Facts"), self.facts_edit, "facts")):
            box = QVBoxLayout()
            box.addWidget(widget)
            box.addWidget(self.error_labels[key])
            form.addRow(text, box)
        search = QHBoxLayout()
        search.addWidget(self.search_edit, 1)
        search.addWidget(self.search_button)
        outsider = QHBoxLayout()
        outsider.addWidget(self.outsider_name, 2)
        outsider.addWidget(self.outsider_phone, 2)
        outsider.addWidget(self.add_outsider_button)
        parties = QVBoxLayout()
        parties.addLayout(search)
        parties.addWidget(self.results)
        parties.addWidget(self.add_resident_button, 0, Qt.AlignmentFlag.AlignLeft)
        parties.addLayout(outsider)
        parties.addWidget(self.parties_list)
        parties.addWidget(self.remove_party_button, 0, Qt.AlignmentFlag.AlignLeft)
        parties.addWidget(self.multi_check)
        parties.addWidget(self.error_labels["parties"])
        form.addRow(_("Parties"), parties)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def search(self) -> None:
        ctx, query = self._ctx, self.search_edit.text().strip()
        self._runner.submit(lambda: residents.search(ctx, query, limit=20), self._on_found)

    def _on_found(self, rows: list[residents.ResidentRow]) -> None:
        self.results.clear()
        for r in rows:
            item = QListWidgetItem(f"{r.name}　{r.id_masked}　{r.address}")
            item.setData(PARTY_ROLE, PartyInput(resident_id=r.id))
            item.setData(PARTY_ROLE + 1, r.name)
            self.results.addItem(item)
        if rows:
            self.results.setCurrentRow(0)

    def add_selected_resident(self) -> None:
        item = self.results.currentItem()
        if item is not None:
            self._add_party(item.data(PARTY_ROLE), item.data(PARTY_ROLE + 1) + " · " + _("registry"))

    def add_outsider(self) -> None:
        name, phone = self.outsider_name.text().strip(), self.outsider_phone.text().strip()
        self._add_party(PartyInput(name=name, phone=phone), f"{name} {mask_phone(phone)} · " + _("outsider"))
        self.outsider_name.clear()
        self.outsider_phone.clear()

    def _add_party(self, party: PartyInput, text: str) -> None:
        n = self.parties_list.count() + 1
        item = QListWidgetItem(f"{m.side_label(n - 1)}：{text}")
        item.setData(PARTY_ROLE, party)
        self.parties_list.addItem(item)

    def parties(self) -> tuple[PartyInput, ...]:
        return tuple(self.parties_list.item(i).data(PARTY_ROLE) for i in range(self.parties_list.count()))

    def case_input(self) -> CaseInput:
        multi = True if self.multi_check.isChecked() else None
        return CaseInput(self.kind_combo.currentData(), self.source_combo.currentData(),
                         self.facts_edit.toPlainText(), self.level_combo.currentData(), self.parties(),
                         multi_party=multi)

    def submit(self) -> None:
        self.errors.clear()
        ctx, data, lead = self._ctx, self.case_input(), self._lead

        def work() -> Any:
            if lead is not None:
                return cases.register_from_lead(ctx, lead[0], lead[1], data)
            return cases.register_case(ctx, data)
        self.buttons.setEnabled(False)
        self._runner.submit(work, self._on_done, self._on_failed)

    def _on_done(self, view: object) -> None:
        self.buttons.setEnabled(True)
        self.registered.emit(view)
        self.accept()

    def _on_failed(self, error: object) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, UserError):
            self.errors.show(error)
        else:
            from shequ_desktop.ui.errors import report_exception
            report_exception(error, self)
