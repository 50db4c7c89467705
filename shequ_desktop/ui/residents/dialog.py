"""Add or edit one resident: derived birth date/sex/age shown live, errors next to their fields."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, Signal
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.idnumber import normalize, parse_id_number, age_on
from shequ_desktop.i18n import N_, _, error_text, ngettext
from shequ_desktop.services import residents
from shequ_desktop.services.residents import ResidentDetail, ResidentInput, SEX_LABEL
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.station import GridView
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.field_errors import FieldErrors
from shequ_desktop.ui.generated.ui_resident_dialog import Ui_ResidentDialog
from shequ_desktop.ui.tasks import TaskRunner
from shequ_desktop.ui.unsaved import GuardedDialog

FIELDS = ("name", "id_number", "phone", "address", "grid", "relation", "moved_in", "note")
RELATION_VALUES = ("户主", "配偶", "子女", "父母", "孙子女", "其他")   # stored data values, as in imports
RELATION_MSGIDS = dict(zip(RELATION_VALUES, (N_("Head of household"), N_("Spouse"), N_("Child"), N_("Parent"),
                                            N_("Grandchild"), N_("Other")), strict=True))
NO_DATE = QDate(1900, 1, 1)


class ResidentDialog(GuardedDialog):
    """Open with ``open()`` (window-modal, never blocks a test); emits ``saved`` on success."""

    saved = Signal(object)              # ResidentDetail

    def __init__(self, ctx: AppContext, runner: TaskRunner, grids: list[GridView],
                 detail: ResidentDetail | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner, self._detail = ctx, runner, detail
        self._id_revealed = detail is None
        self.ui = Ui_ResidentDialog()
        self.ui.setupUi(self)
        self.errors = FieldErrors({f: getattr(self.ui, f"{f}_error_label") for f in FIELDS},
                                  self.ui.form_error_label, reserve=True)
        self.ui.grid_combo.setProperty("user_data", True)     # the station's grid names
        self.ui.grid_combo.addItem("", None)
        for g in grids:
            self.ui.grid_combo.addItem(g.name, g.id)
        for value in RELATION_VALUES:     # shown in the screen's language, stored as the Chinese value
            self.ui.relation_combo.addItem(_(RELATION_MSGIDS[value]), value)
        today = local_today(ctx.clock)
        moved_in = self.ui.moved_in_edit        # optional; its calendar opens on today, not in 1900
        moved_in.setField("moved_in")
        moved_in.setErrorLabel(self.ui.moved_in_error_label)
        moved_in.setMinimumDate(NO_DATE)
        moved_in.setMaximumDate(today)
        moved_in.set_popup_default(today)
        self.ui.id_number_edit.textChanged.connect(self._on_id_number_edit_text_changed)
        self.ui.id_reveal_button.clicked.connect(self._on_id_reveal_button_clicked)
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.cancel)
        self._retranslate()
        if detail is not None:
            self._fill(detail)
        self.ui.id_reveal_button.setVisible(detail is not None)
        self.ui.name_edit.setFocus()
        self.mark_clean()               # Esc / Cancel / close ask first once something was typed

    @property
    def save_button(self):  # noqa: ANN201
        return self.ui.button_box.button(QDialogButtonBox.StandardButton.Save)

    def _retranslate(self) -> None:
        self.setWindowTitle(_("Edit resident") if self._detail else _("New resident"))
        self.ui.moved_in_edit.setSpecialValueText(_("Not filled"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._retranslate()
        super().changeEvent(event)

    def _fill(self, d: ResidentDetail) -> None:
        self.ui.name_edit.setText(d.name)
        self.ui.id_number_edit.setText(d.id_masked)
        self.ui.id_number_edit.setReadOnly(True)
        self.ui.phone_edit.setText(d.phone_masked)
        self.ui.phone_edit.setReadOnly(True)
        self.ui.address_edit.setText(d.address)
        self.ui.grid_combo.setCurrentIndex(max(0, self.ui.grid_combo.findData(d.grid_id)))
        index = self.ui.relation_combo.findData(d.relation)
        if index >= 0:
            self.ui.relation_combo.setCurrentIndex(index)
        else:
            self.ui.relation_combo.setCurrentText(d.relation)
        self.ui.moved_in_edit.setDate(d.moved_in)
        self.ui.note_edit.setPlainText(d.note)
        self._show_derived(d.birth_date, d.sex)

    # --- live ID check -------------------------------------------------------------------
    def _on_id_number_edit_text_changed(self, text: str) -> None:
        if not self._id_revealed:
            return
        value = normalize(text)
        self.errors.set("id_number", "")
        if len(value) not in (15, 18):
            self.ui.derived_value_label.setText("-")
            return
        try:
            idn = parse_id_number(value, local_today(self._ctx.clock))
        except UserError as e:
            self.errors.set("id_number", error_text(e))
            self.ui.derived_value_label.setText("-")
            return
        self._show_derived(idn.birth_date, idn.sex.value)
        if idn.warnings:
            self.errors.set("id_number", "\n".join(_(w) for w in idn.warnings))

    def _show_derived(self, birth: dt.date, sex: str) -> None:
        age = age_on(birth, local_today(self._ctx.clock))
        self.ui.derived_value_label.setText(
            ngettext("{birth} · {sex} · {age} year", "{birth} · {sex} · {age} years", age).format(
                birth=birth.isoformat(), sex=SEX_LABEL.get(sex, sex), age=age))

    def _on_id_reveal_button_clicked(self) -> None:
        assert self._detail is not None
        ctx, rid = self._ctx, self._detail.id
        self.ui.id_reveal_button.setEnabled(False)
        with_phone = bool(self._detail.phone_masked)

        def job() -> tuple[str, str]:
            phone = residents.reveal(ctx, rid, "phone", "edit") if with_phone else ""
            return residents.reveal(ctx, rid, "id_number", "edit"), phone

        self._runner.submit(job, self._on_id_revealed, self._on_error)

    def _on_id_revealed(self, values: tuple[str, str]) -> None:
        edited = self.has_unsaved_edits()
        self._id_revealed = True
        self.ui.id_reveal_button.hide()
        for edit, value in zip((self.ui.id_number_edit, self.ui.phone_edit), values):
            edit.setReadOnly(False)
            edit.setText(value)
        if not edited:
            self.mark_clean()           # showing the numbers is not an edit

    # --- save ----------------------------------------------------------------------------
    def collect(self) -> ResidentInput:
        """The form's values; UserError (shown next to the field) for a move-in that is not a date."""
        moved = self.ui.moved_in_edit.value()
        return ResidentInput(
            name=self.ui.name_edit.text(), id_number=self.ui.id_number_edit.text() if self._id_revealed else "",
            phone=self.ui.phone_edit.text() if self._id_revealed else "", address=self.ui.address_edit.text(),
            grid_id=self.ui.grid_combo.currentData(), relation=self._relation(),
            moved_in=moved, note=self.ui.note_edit.toPlainText(),
            household_id=self._detail.household_id if self._detail else None)

    def _relation(self) -> str:
        combo = self.ui.relation_combo
        index = combo.currentIndex()
        if index >= 0 and combo.itemText(index) == combo.currentText() and combo.itemData(index):
            return str(combo.itemData(index))
        return combo.currentText()

    def save(self) -> None:
        self.errors.clear()
        try:
            inp = self.collect()
        except UserError as error:
            self.errors.show(error)
            return
        ctx, d = self._ctx, self._detail
        if d is None:
            def job() -> ResidentDetail:
                return residents.create(ctx, inp)
        else:
            keep_numbers = not self._id_revealed    # masked numbers were never shown: keep the stored ones

            def job() -> ResidentDetail:
                return residents.update(ctx, d.id, inp, d.version, keep_numbers=keep_numbers)
        self.save_button.setEnabled(False)
        self._runner.submit(job, self._on_saved, self._on_error)

    def _on_saved(self, detail: ResidentDetail) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(detail)
        self.accept()

    def _on_error(self, error: object) -> None:
        self.save_button.setEnabled(True)
        self.ui.id_reveal_button.setEnabled(True)
        if isinstance(error, UserError):
            self.errors.show(error)
        else:
            report_exception(error, self)
