"""One inline form for the steps that need a few words (初审意见, 上报对象, 退回理由 …): no modal dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from shequ_desktop.i18n import _


class StepForm(QFrame):
    """``ask(title, first_label, on_confirm, second_label=…, second_choices=…)``; Enter confirms, Esc cancels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("step_form")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#step_form { background: #f7f9fc; border: 1px solid #c9d9ec; border-radius: 4px; }")
        self.title_label = QLabel(self)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.first_label, self.second_label = QLabel(self), QLabel(self)
        self.first_edit = QLineEdit(self)
        self.first_edit.setObjectName("step_first_edit")
        self.second_combo = QComboBox(self)
        self.second_combo.setObjectName("step_second_combo")
        self.second_combo.setEditable(True)
        self.confirm_button = QPushButton(self)
        self.confirm_button.setObjectName("step_confirm_button")
        self.confirm_button.setDefault(True)
        self.cancel_button = QPushButton(self)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("step_error_label")
        self.error_label.setStyleSheet("color: #a12622;")
        self.error_label.setWordWrap(True)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.addWidget(self.title_label, 0, 0, 1, 2)
        grid.addWidget(self.first_label, 1, 0)
        grid.addWidget(self.first_edit, 1, 1)
        grid.addWidget(self.second_label, 2, 0)
        grid.addWidget(self.second_combo, 2, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.confirm_button)
        grid.addLayout(buttons, 3, 0, 1, 2)
        self._on_confirm: Callable[[str, str], None] | None = None
        self.first_edit.returnPressed.connect(self.confirm)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(self.close_form)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.close_form,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.confirm_button.setText(_("Confirm"))
        self.cancel_button.setText(_("Cancel"))

    def ask(self, title: str, first_label: str, on_confirm: Callable[[str, str], None], *, first_text: str = "",
            placeholder: str = "", second_label: str = "", second_choices: tuple[str, ...] = ()) -> None:
        self._on_confirm = on_confirm
        self.title_label.setText(title)
        self.first_label.setText(first_label)
        self.first_edit.setText(first_text)
        self.first_edit.setPlaceholderText(placeholder)
        self.second_label.setText(second_label)
        self.second_combo.clear()
        self.second_combo.addItems(second_choices)
        self.second_label.setVisible(bool(second_label))
        self.second_combo.setVisible(bool(second_label))
        self.error_label.clear()
        self.show()
        self.first_edit.setFocus()

    def confirm(self) -> None:
        if self._on_confirm is not None:
            self._on_confirm(self.first_edit.text().strip(), self.second_combo.currentText().strip())

    def set_error(self, text: str) -> None:
        self.error_label.setText(text)

    def close_form(self) -> None:
        self._on_confirm = None
        self.hide()
