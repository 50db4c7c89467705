"""The small form for a 居住证明 issued on the spot (DOMAIN §4.5)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QSpinBox,
                               QVBoxLayout, QWidget)

from shequ_desktop.domain.errors import UserError
from shequ_desktop.services.documents import CertificateRequest
from shequ_desktop.ui.date_field import DateField
from shequ_desktop.ui.field_errors import FieldErrors

TENURES = ("自有住房", "租住", "借住")                 # printed on the certificate as they are
HOUSING_BASES = ("不动产权证书", "购房合同", "房屋租赁合同", "房主借住说明")
PURPOSES = ("子女入学", "办理居住证", "社保医保业务", "银行业务")
BASIS_BY_TENURE = {"自有住房": "不动产权证书", "租住": "房屋租赁合同", "借住": "房主借住说明"}   # printed: Chinese
FIELDS = ("certificate_type", "since", "tenure", "housing_basis", "purpose", "validity_days")


def _error_label(parent: QWidget, field: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(f"{field}_error_label")
    label.setStyleSheet("color: #a12622;")
    label.setWordWrap(True)
    return label


class CertificateForm(QGroupBox):
    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("certificate_form")
        self.type_edit = QLineEdit("居住证明", self)
        self.type_edit.setObjectName("certificate_type_edit")
        # year and month (2018-05, 201805, 2018.5); blank until the clerk fills it; the calendar opens on the
        # resident's registered move-in (set_moved_in), today when none is registered
        self._today = today
        self.since_edit = DateField(self, objectName="since_edit", field="since", month_only=True, optional=True,
                                    popup_default=today)
        self.since_edit.setMaximumDate(today)
        self.since_edit.setMinimumDate(dt.date(1900, 1, 1))
        self.tenure_combo = QComboBox(self)
        self.tenure_combo.setObjectName("tenure_combo")
        self.tenure_combo.addItems(TENURES)
        self.basis_combo = self._editable_combo("housing_basis_combo", HOUSING_BASES)
        self.purpose_combo = self._editable_combo("purpose_combo", PURPOSES)
        self.validity_spin = QSpinBox(self)
        self.validity_spin.setObjectName("validity_spin")
        self.validity_spin.setRange(1, 365)
        self.validity_spin.setValue(30)
        self.labels = {f: _error_label(self, f) for f in FIELDS}
        self.form_error_label = _error_label(self, "certificate_form")
        self.errors = FieldErrors(self.labels, self.form_error_label)
        self.since_edit.setErrorLabel(self.labels["since"])
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        self.captions = {f: QLabel(self) for f in FIELDS}
        widgets = {"certificate_type": self.type_edit, "since": self.since_edit, "tenure": self.tenure_combo,
                   "housing_basis": self.basis_combo, "purpose": self.purpose_combo,
                   "validity_days": self.validity_spin}
        for i, field in enumerate(FIELDS):
            row, column = divmod(i, 3)
            grid.addWidget(self.captions[field], row, column * 2)
            grid.addWidget(widgets[field], row, column * 2 + 1)
        for column in (1, 3, 5):
            grid.setColumnStretch(column, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(grid)
        for label in (*self.labels.values(), self.form_error_label):
            layout.addWidget(label)
        self.tenure_combo.currentTextChanged.connect(self._on_tenure_changed)
        self._on_tenure_changed(self.tenure_combo.currentText())
        self.retranslate()

    def _editable_combo(self, name: str, values: tuple[str, ...]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setEditable(True)
        combo.addItems(values)
        combo.setCurrentIndex(-1)
        combo.setMinimumWidth(110)
        return combo

    def retranslate(self) -> None:
        from shequ_desktop.i18n import _
        self.setTitle(_("Certificate"))
        for field, text in zip(FIELDS, (_("Certificate type"), _("Living there since"), _("Tenure"),
                                        _("Housing proof"), _("Purpose"), _("Valid for"))):
            self.captions[field].setText(text)
        self.type_edit.setToolTip(_("Certificate type"))
        self.since_edit.setToolTip(_("Living at the address since (year and month)"))
        self.basis_combo.lineEdit().setPlaceholderText(_("Housing proof"))
        self.purpose_combo.lineEdit().setPlaceholderText(_("Purpose"))
        self.validity_spin.setSuffix(_(" days"))

    def _on_tenure_changed(self, tenure: str) -> None:
        """The usual proof for the tenure is filled in (the clerk changes it when the resident brings another):
        a blank 居住依据 stopped every 当场办结 with "please fill in the housing proof"."""
        current = self.basis_combo.currentText().strip()
        if not current or current in BASIS_BY_TENURE.values():
            self.basis_combo.setEditText(BASIS_BY_TENURE.get(tenure, ""))

    def set_moved_in(self, moved_in: dt.date | None) -> None:
        """The case's resident: the "since" calendar opens on the registered move-in (not filled in for them)."""
        self.since_edit.set_popup_default(moved_in or self._today)

    def set_editable(self, editable: bool) -> None:
        for w in (self.type_edit, self.since_edit, self.tenure_combo, self.basis_combo, self.purpose_combo,
                  self.validity_spin):
            w.setEnabled(editable)

    def reset(self) -> None:
        self.type_edit.setText("居住证明")
        self.since_edit.setDate(None)
        self.tenure_combo.setCurrentIndex(0)
        self.basis_combo.setCurrentIndex(-1)
        self.basis_combo.setEditText("")
        self._on_tenure_changed(self.tenure_combo.currentText())
        self.purpose_combo.setCurrentIndex(-1)
        self.purpose_combo.setEditText("")
        self.validity_spin.setValue(30)
        self.errors.clear()

    def request(self) -> CertificateRequest:
        """The form's values; UserError (shown next to the field) when 'since' is not a month."""
        return CertificateRequest(
            certificate_type=self.type_edit.text().strip(),
            since=self.since_edit.value(),
            tenure=self.tenure_combo.currentText(), housing_basis=self.basis_combo.currentText(),
            purpose=self.purpose_combo.currentText(), validity_days=self.validity_spin.value())

    def show_error(self, error: UserError) -> None:
        self.errors.show(error)
