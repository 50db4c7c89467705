"""Dialogs of the dual evaluation: typing in one paper questionnaire, and the subdistrict's sheet."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import _
from shequ_desktop.services import residents
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.governance import evaluation, surveys
from shequ_desktop.services.governance.evaluation import EvaluationView, ItemInput
from shequ_desktop.services.governance.surveys import QuestionnaireView
from shequ_desktop.ui.date_field import DateField
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.field_errors import FieldErrors
from shequ_desktop.ui.oversight import governance_labels as gl
from shequ_desktop.ui.tasks import TaskRunner


class _Submit:
    """The OK/Cancel buttons of a dialog and its submit on the DB thread; a UserError stays in the dialog."""

    def __init__(self, dialog: QDialog, runner: TaskRunner, saved: Any) -> None:
        self._dialog, self._runner, self._saved = dialog, runner, saved
        self.errors: FieldErrors | None = None
        self.error_label = gl.error_label(dialog, "error_label")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        dialog)
        self.buttons.accepted.connect(dialog.submit)          # type: ignore[attr-defined]
        self.buttons.rejected.connect(dialog.reject)

    def run(self, fn: Any) -> None:
        assert self.errors is not None
        self.errors.clear()
        self.buttons.setEnabled(False)
        self._runner.submit(fn, self._on_done, self.failed)

    def _on_done(self, result: object) -> None:
        self.buttons.setEnabled(True)
        self._saved.emit(result)
        self._dialog.accept()

    def failed(self, error: object) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, UserError) and self.errors is not None:
            self.errors.show(error)
        else:
            report_exception(error, self._dialog)


class PaperAnswerDialog(QDialog):
    """One paper form (线下测评): find the resident, then one answer per question."""

    saved = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, questionnaire: QuestionnaireView,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.form = _Submit(self, runner, self.saved)
        self.error_label, self.buttons = self.form.error_label, self.form.buttons
        self._ctx, self.questionnaire = ctx, questionnaire
        self.setObjectName("paper_answer_dialog")
        self.setProperty("user_data_text", [questionnaire.title])
        self.setWindowTitle(_("Paper questionnaire: {title}").format(title=questionnaire.title))
        self.search_edit = QLineEdit(self, objectName="resident_search_edit")
        self.search_edit.setPlaceholderText(_("Name, ID number or phone"))
        self.search_button = QPushButton(_("Find"), self, objectName="resident_search_button")
        self.resident_combo = QComboBox(self, objectName="resident_combo")
        self.paper_edit = QLineEdit(self, objectName="paper_no_edit")
        self.date_edit = DateField(ctx.clock.now().date(), self, objectName="answered_on_edit", field="answered_on")
        form = QFormLayout()
        find = QHBoxLayout()
        find.addWidget(self.search_edit, 1)
        find.addWidget(self.search_button)
        form.addRow(_("Resident"), find)
        labels: dict[str, QLabel] = {"resident": gl.error_label(self, "resident_error")}
        form.addRow("", self.resident_combo)
        form.addRow("", labels["resident"])
        form.addRow(_("Form number"), self.paper_edit)
        form.addRow(_("Filled in on"), self.date_edit)
        labels["answered_on"] = gl.error_label(self, "answered_on_error")
        self.date_edit.setErrorLabel(labels["answered_on"])
        form.addRow("", labels["answered_on"])
        self.answer_widgets: dict[str, QWidget] = {}
        for i, q in enumerate(questionnaire.questions, 1):
            key = q.key or f"q{i}"
            if q.kind == g.SCORE5:
                w: QWidget = QComboBox(self)
                w.addItem("—", None)
                for v in range(5, 0, -1):
                    w.addItem(f"{v} {gl.score5(v)}", v)
            elif q.kind == g.CHOICE:
                w = QComboBox(self)
                w.setProperty("user_data", True)           # the options are the questionnaire's words
                w.addItem("—", None)
                for o in q.options:
                    w.addItem(o, o)
            else:
                w = QLineEdit(self)
            w.setObjectName(f"answer_{key}")
            self.answer_widgets[key] = w
            question = QLabel(f"{i}. {q.text}", self)
            question.setProperty("user_data", True)            # as the station wrote it
            question.setWordWrap(True)
            form.addRow(question, w)
            labels[f"answer:{key}"] = gl.error_label(self, f"answer_{key}_error")
            form.addRow("", labels[f"answer:{key}"])
        self.errors = self.form.errors = FieldErrors(labels, self.error_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.search_button.clicked.connect(self.find)
        self.search_edit.returnPressed.connect(self.find)
        self.resize(620, min(700, 220 + 52 * len(questionnaire.questions)))

    def find(self) -> None:
        ctx, text = self._ctx, self.search_edit.text().strip()
        if not text:
            return
        self._runner.submit(lambda: residents.search(ctx, text, limit=20), self._on_found, self.form.failed)

    def _on_found(self, rows: list[Any]) -> None:
        self.resident_combo.clear()
        for r in rows:
            self.resident_combo.addItem(f"{r.name}  {r.id_masked}  {r.address}", r.id)

    def answers(self) -> dict[str, object]:
        out: dict[str, object] = {}
        for key, w in self.answer_widgets.items():
            out[key] = w.currentData() if isinstance(w, QComboBox) else w.text()   # type: ignore[attr-defined]
        return out

    def submit(self) -> None:
        ctx, q = self._ctx, self.questionnaire
        rid = self.resident_combo.currentData()
        if rid is None:
            self.errors.clear()
            self.errors.set("resident", _("Find and choose the resident who filled in the form."))
            return
        self.errors.clear()
        try:
            day = self.date_edit.value() or self.date_edit.date().toPython()
        except UserError as error:
            self.errors.show(error)
            return
        answers, paper = self.answers(), self.paper_edit.text()
        self.form.run(lambda: surveys.enter_paper_answers(ctx, q.id, rid, answers, day, paper))


class SheetDialog(QDialog):
    """The subdistrict's assessment sheet: one row per indicator with its maximum and the points given."""

    saved = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, ev: EvaluationView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.form = _Submit(self, runner, self.saved)
        self.error_label, self.buttons = self.form.error_label, self.form.buttons
        self._ctx, self.evaluation = ctx, ev
        self.setObjectName("subdistrict_sheet_dialog")
        self.setWindowTitle(_("Subdistrict assessment {period}").format(period=ev.period))
        self.table = QTableWidget(0, 3, self, objectName="sheet_table")
        self.table.setHorizontalHeaderLabels([_("Indicator"), _("Maximum"), _("Points")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 240)
        for it in ev.items:
            self.add_row(it.indicator, f"{it.max_points:g}", f"{it.points:g}")
        if not ev.items:
            for name, pts in (("党建引领", 20), ("为民服务", 30), ("平安建设", 20), ("社区治理", 20), ("作风建设", 10)):
                self.add_row(name, str(pts), "")
        self.add_button = QPushButton(_("Add row"), self, objectName="sheet_add_button")
        self.add_button.clicked.connect(lambda: self.add_row("", "", ""))
        self.errors = self.form.errors = FieldErrors({"items": gl.error_label(self, "items_error")}, self.error_label)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Enter the points from the subdistrict's sheet, indicator by indicator."), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.add_button)
        layout.addWidget(self.errors._labels["items"])
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.resize(560, 420)

    def add_row(self, name: str, maximum: str, points: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, text in enumerate((name, maximum, points)):
            self.table.setItem(row, col, QTableWidgetItem(text))

    def items(self) -> list[ItemInput] | None:
        out = []
        for row in range(self.table.rowCount()):
            cells = [(self.table.item(row, c).text() if self.table.item(row, c) else "").strip() for c in range(3)]
            if not any(cells):
                continue
            try:
                out.append(ItemInput(cells[0], float(cells[1]), float(cells[2])))
            except ValueError:
                self.errors.clear()
                self.errors.set("items", _("Row {n}: the maximum and the points are numbers.").format(n=row + 1))
                return None
        return out

    def submit(self) -> None:
        items = self.items()
        if items is None:
            return
        ctx, eid = self._ctx, self.evaluation.id
        self.form.run(lambda: evaluation.set_items(ctx, eid, items))


__all__ = ["PaperAnswerDialog", "SheetDialog"]
