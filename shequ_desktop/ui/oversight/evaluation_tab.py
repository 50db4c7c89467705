"""双重考核评价: questionnaires (define, print the blank form, type in paper answers) and the evaluation of a
period — the subdistrict's sheet (40 %), the residents' score (60 %), the coverage by grid with how many
more answers each grid needs; finalising is refused below the coverage."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import (QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import N_, _, error_text, ngettext
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.governance import documents as papers
from shequ_desktop.services.governance import evaluation, surveys
from shequ_desktop.services.governance.evaluation import EvaluationView
from shequ_desktop.services.governance.surveys import Question, QuestionnaireView
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.mediation.form_dialog import ActionDialog, Field
from shequ_desktop.ui.oversight import governance_labels as gl
from shequ_desktop.ui.oversight.evaluation_dialogs import PaperAnswerDialog, SheetDialog
from shequ_desktop.ui.tasks import TaskRunner

SURVEY_COLUMNS = (N_("Period"), N_("Questionnaire"), N_("State"), N_("Answers"), N_("Online"))
GRID_COLUMNS = (N_("Grid"), N_("Base"), N_("Respondents"), N_("Needed"), N_("More needed"))


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} %"


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


class EvaluationTab(QWidget):
    loaded = Signal()

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.questionnaires: list[QuestionnaireView] = []
        self.evaluations: list[EvaluationView] = []
        self.last_dialog: Any = None
        self.last_path: Any = None
        # questionnaires
        surveys_box = gl.group(self, N_("Questionnaires (online and on paper)"))
        self.survey_table = gl.table(surveys_box, "survey_table", SURVEY_COLUMNS)
        for col, width in enumerate((64, 250, 60, 60, 50)):
            self.survey_table.setColumnWidth(col, width)
        self.survey_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.survey_table.horizontalHeader().setStretchLastSection(False)
        self.new_survey_button = gl.button(surveys_box, "new_survey_button", N_("New questionnaire…"))
        self.paper_button = gl.button(surveys_box, "paper_answer_button", N_("Enter a paper form…"))
        self.form_button = gl.button(surveys_box, "blank_form_button", N_("Print the blank form"))
        sbar = QHBoxLayout()
        for b in (self.new_survey_button, self.paper_button, self.form_button):
            sbar.addWidget(b)
        sbar.addStretch(1)
        sl = QVBoxLayout(surveys_box)
        sl.addWidget(self.survey_table, 1)
        sl.addLayout(sbar)
        # evaluation
        eval_box = gl.group(self, N_("Dual evaluation"))
        self.eval_combo = QComboBox(eval_box, objectName="evaluation_combo")
        self.new_eval_button = gl.button(eval_box, "new_evaluation_button", N_("New evaluation…"))
        self.sheet_button = gl.button(eval_box, "sheet_button", N_("Subdistrict sheet…"))
        self.finalise_button = gl.button(eval_box, "finalise_button", N_("Finalise"))
        self.notice_button = gl.button(eval_box, "evaluation_notice_button", N_("Print the public notice"))
        self.figures = {k: QLabel("—", eval_box, objectName=f"{k}_label")
                        for k in ("subdistrict", "residents", "score", "coverage", "state")}
        grid = QGridLayout()
        for row, (key, text) in enumerate((("subdistrict", N_("Subdistrict assessment")),
                                           ("residents", N_("Residents' evaluation")), ("score", N_("Score")),
                                           ("coverage", N_("Coverage")), ("state", N_("State")))):
            grid.addWidget(gl.label(eval_box, text), row, 0)
            grid.addWidget(self.figures[key], row, 1)
        self.grid_table = gl.table(eval_box, "coverage_table", GRID_COLUMNS)
        for col, width in enumerate((100, 64, 90, 64)):
            self.grid_table.setColumnWidth(col, width)
        self.error_label = gl.error_label(eval_box, "evaluation_error_label")
        ebar = QHBoxLayout()
        ebar.addWidget(self.eval_combo, 1)
        ebar.addWidget(self.new_eval_button)
        ebar2 = QHBoxLayout()
        for b in (self.sheet_button, self.finalise_button, self.notice_button):
            ebar2.addWidget(b)
        ebar2.addStretch(1)
        for label in self.figures.values():
            label.setWordWrap(True)
        el = QVBoxLayout(eval_box)
        el.addLayout(ebar)
        el.addLayout(ebar2)
        el.addLayout(grid)
        el.addWidget(self.grid_table, 1)
        el.addWidget(self.error_label)
        self.status_label = QLabel(self, objectName="evaluation_status_label")
        self.status_label.setWordWrap(True)
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        left.addWidget(surveys_box, 1)
        left.addWidget(self.status_label)
        layout.addLayout(left, 5)
        layout.addWidget(eval_box, 6)
        self.new_survey_button.clicked.connect(self.new_questionnaire)
        self.paper_button.clicked.connect(self.enter_paper_form)
        self.form_button.clicked.connect(self.print_form)
        self.new_eval_button.clicked.connect(self.new_evaluation)
        self.sheet_button.clicked.connect(self.edit_sheet)
        self.finalise_button.clicked.connect(self.finalise)
        self.notice_button.clicked.connect(self.print_notice)
        self.eval_combo.currentIndexChanged.connect(lambda _i: self.show_evaluation(self.current()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            gl.retranslate(self)           # buttons, titles, headers, filters
            if self.isVisible():
                self.refresh()             # texts built from the records
        super().changeEvent(event)

    # --- loading -------------------------------------------------------------------------------
    def refresh(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: (surveys.list_questionnaires(ctx), evaluation.list_evaluations(ctx)),
                            self._on_loaded, lambda e: report_exception(e, self))

    def _on_loaded(self, result: tuple[list[QuestionnaireView], list[EvaluationView]]) -> None:
        self.questionnaires, self.evaluations = result
        self.survey_table.setRowCount(len(self.questionnaires))
        for i, q in enumerate(self.questionnaires):
            for col, text in enumerate((q.period, q.title, gl.survey_state(q.state), str(q.answers), str(q.online))):
                self.survey_table.setItem(i, col, QTableWidgetItem(text))
        keep = self.current().id if self.current() else None
        self.eval_combo.blockSignals(True)
        self.eval_combo.clear()
        for e in self.evaluations:
            self.eval_combo.addItem(e.period + ("" if not e.final else " ✓"), e.id)
        if keep:
            self.eval_combo.setCurrentIndex(max(0, self.eval_combo.findData(keep)))
        self.eval_combo.blockSignals(False)
        self.show_evaluation(self.current())
        self.loaded.emit()

    def current(self) -> EvaluationView | None:
        eid = self.eval_combo.currentData()
        return next((e for e in self.evaluations if e.id == eid), None)

    def show_evaluation(self, e: EvaluationView | None) -> None:
        self.error_label.hide()
        if e is None:
            for label in self.figures.values():
                label.setText("—")
            self.grid_table.setRowCount(0)
            return
        cov = e.coverage
        self.figures["subdistrict"].setText(_("{score} (weight {w} %)").format(score=_score(e.subdistrict_score),
                                                                              w=f"{e.subdistrict_weight:g}"))
        self.figures["residents"].setText(ngettext("{score} (weight {w} %, {n} answer)",
                                                   "{score} (weight {w} %, {n} answers)", e.answers).format(
            score=_score(e.residents_score), w=f"{e.resident_weight:g}", n=e.answers))
        self.figures["score"].setText(_score(e.score))
        unit = _("households") if cov.basis == g.HOUSEHOLDS else _("residents")
        text = _("{count} of {base} {unit} ({pct}); at least {target} % = {required}").format(
            count=cov.count, base=cov.base, unit=unit, pct=_pct(cov.percent), target=f"{cov.target_pct:g}",
            required=cov.required)
        if not cov.met:
            text += " — " + ngettext("{more} more answer needed", "{more} more answers needed",
                                     cov.more_needed).format(more=cov.more_needed)
        self.figures["coverage"].setText(text)
        self.figures["coverage"].setStyleSheet("" if cov.met else "color: #c0392b;")
        self.figures["state"].setText(_("Final") if e.final else _("Draft"))
        self.grid_table.setRowCount(len(cov.grids))
        for i, gr in enumerate(cov.grids):
            name = gr.grid_name or _("(no grid)")
            for col, value in enumerate((name, str(gr.base), str(gr.respondents), str(gr.required), str(gr.more_needed))):
                self.grid_table.setItem(i, col, QTableWidgetItem(value))
        self.finalise_button.setEnabled(not e.final)
        self.sheet_button.setEnabled(not e.final)
        self.notice_button.setEnabled(e.final)

    def selected_questionnaire(self) -> QuestionnaireView | None:
        row = self.survey_table.currentRow()
        return self.questionnaires[row] if 0 <= row < len(self.questionnaires) else None

    # --- actions -------------------------------------------------------------------------------
    def _show_error(self, error: object) -> None:
        if isinstance(error, UserError):
            self.error_label.setText(error_text(error))
            self.error_label.show()
        else:
            report_exception(error, self)

    def _need_questionnaire(self) -> QuestionnaireView | None:
        q = self.selected_questionnaire()
        if q is None:
            self.status_label.setText(_("Select a questionnaire in the list first."))
        return q

    def new_questionnaire(self) -> ActionDialog:
        ctx = self._ctx
        today = ctx.clock.now().date()
        period = g.quarter_of(today)
        first, last = g.parse_period(period)
        fields = [Field("title", N_("Title"), value=_("Residents' satisfaction survey {period}").format(period=period)),
                  Field("period", N_("Evaluation period"), value=period),
                  Field("opens_on", N_("Opens on"), "date", value=first),
                  Field("closes_on", N_("Closes on"), "date", value=last),
                  Field("questions", N_("Rating questions (one per line, answered 1–5)"), "text",
                        value="您对社区工作站的服务总体是否满意？\n社区工作人员对您的诉求是否及时回应？"),
                  Field("opinion", N_("Add a question for comments"), "check", value=True)]

        def submit(v: dict[str, Any]) -> QuestionnaireView:
            qs = [Question(line.strip()) for line in str(v["questions"]).splitlines() if line.strip()]
            if v["opinion"]:
                qs.append(Question("您对社区工作的意见和建议", g.TEXT))
            return surveys.define(ctx, v["title"], v["period"], tuple(qs), v["opens_on"], v["closes_on"])
        dlg = ActionDialog(_("New questionnaire"), fields, self._runner, submit, self)
        dlg.done.connect(lambda _r: self.refresh())
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def enter_paper_form(self) -> PaperAnswerDialog | None:
        q = self._need_questionnaire()
        if q is None:
            return None
        dlg = PaperAnswerDialog(self._ctx, self._runner, q, self)
        dlg.saved.connect(lambda _r: self.refresh())
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def print_form(self) -> None:
        q = self._need_questionnaire()
        if q is None:
            return
        ctx = self._ctx

        def done(path: Any) -> None:
            self.last_path = path
            self.status_label.setText(_("Blank form saved: {path}").format(path=path))
        self._runner.submit(lambda: papers.print_questionnaire_form(ctx, q.id), done, self._show_error)

    def new_evaluation(self) -> ActionDialog:
        ctx = self._ctx
        dlg = ActionDialog(_("New evaluation"), [Field("period", N_("Evaluation period"),
                                                        value=g.quarter_of(ctx.clock.now().date()))],
                           self._runner, lambda v: evaluation.create(ctx, v["period"]), self)
        dlg.done.connect(lambda _r: self.refresh())
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def edit_sheet(self) -> SheetDialog | None:
        e = self.current()
        if e is None:
            return None
        dlg = SheetDialog(self._ctx, self._runner, e, self)
        dlg.saved.connect(lambda _r: self.refresh())
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def finalise(self) -> None:
        e = self.current()
        if e is None:
            return
        ctx = self._ctx
        self.error_label.hide()
        self._runner.submit(lambda: evaluation.finalise(ctx, e.id), lambda _r: self.refresh(), self._show_error)

    def print_notice(self) -> None:
        e = self.current()
        if e is None:
            return
        ctx = self._ctx

        def done(paper: Any) -> None:
            self.last_path = paper.path
            self.status_label.setText(_("Printed {serial}: {path}").format(serial=paper.serial_no, path=paper.path))
        self._runner.submit(lambda: papers.print_evaluation_notice(ctx, e.id), done, self._show_error)


__all__ = ["EvaluationTab"]
