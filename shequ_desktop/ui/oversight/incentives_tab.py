"""激励: the annual ratings with the performance award (20 % of the monthly salary base the administrator
enters) and the flag for two excellent years; the residents' ranking with the 社区治理之星 proposals (top
10 %, ranking and tie rule from the policy settings), awarding them, and the titles kept by year."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.masking import mask_name
from shequ_desktop.domain.roles import Permission
from shequ_desktop.i18n import N_, _, error_text
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.governance import documents as papers
from shequ_desktop.services.governance import incentives
from shequ_desktop.services.governance.incentives import RankingView, RatingView, TitleView
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.mediation.form_dialog import ActionDialog, Field
from shequ_desktop.ui.oversight import governance_labels as gl
from shequ_desktop.ui.tasks import TaskRunner

RATING_COLUMNS = (N_("Social worker"), N_("Rating"), N_("Monthly salary base"), N_("Award"),
                  N_("Recommend for honours"))
RANKING_COLUMNS = (N_("Rank"), N_("Resident"), N_("Score"), N_("Votes"), N_("Proposed"), N_("Awarded"))
_STAR = QColor("#e3f1de")


def _list(names: list[str]) -> str:
    """Names joined as the language writes a list (、 in Chinese)."""
    from shequ_desktop.i18n import current_language
    return ("、" if current_language().startswith("zh") else ", ").join(names)


def _yuan(value: float | None) -> str:
    return "—" if value is None else f"¥{value:,.2f}"


class IncentivesTab(QWidget):
    loaded = Signal()

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.ratings: list[RatingView] = []
        self.ranking: list[RankingView] = []
        self.titles: list[TitleView] = []
        self.last_dialog: ActionDialog | None = None
        self.last_path: Any = None
        self.year_spin = QSpinBox(self, objectName="incentives_year_spin")
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(ctx.clock.now().year)
        top = QHBoxLayout()
        top.addWidget(gl.label(self, N_("Year")))
        top.addWidget(self.year_spin)
        top.addStretch(1)
        rbox = gl.group(self, N_("Annual ratings of the social workers"))
        self.rating_table = gl.table(rbox, "rating_table", RATING_COLUMNS)
        for col, width in enumerate((110, 90, 130, 100)):
            self.rating_table.setColumnWidth(col, width)
        self.rate_button = gl.button(rbox, "rate_button", N_("Rate…"))
        self.salary_button = gl.button(rbox, "salary_button", N_("Salary base…"))
        self.salary_button.setVisible(ctx.may(Permission.POLICY_EDIT))
        self.error_label = gl.error_label(self, "incentives_error_label")
        rbar = QHBoxLayout()
        rbar.addWidget(self.rate_button)
        rbar.addWidget(self.salary_button)
        rbar.addStretch(1)
        rl = QVBoxLayout(rbox)
        rl.addWidget(self.rating_table, 1)
        rl.addLayout(rbar)
        sbox = gl.group(self, N_("Residents' ranking and Community Governance Stars"))
        self.ranking_table = gl.table(sbox, "ranking_table", RANKING_COLUMNS)
        for col, width in enumerate((44, 90, 60, 60, 70)):
            self.ranking_table.setColumnWidth(col, width)
        self.rule_label = QLabel(sbox, objectName="star_rule_label")
        self.rule_label.setWordWrap(True)
        self.add_button = gl.button(sbox, "ranking_add_button", N_("Add to the ranking…"))
        self.award_button = gl.button(sbox, "award_button", N_("Award the titles"))
        self.notice_button = gl.button(sbox, "star_notice_button", N_("Print the public notice"))
        self.titles_label = QLabel(sbox, objectName="titles_label")
        self.titles_label.setWordWrap(True)
        sbar = QHBoxLayout()
        for b in (self.add_button, self.award_button, self.notice_button):
            sbar.addWidget(b)
        sbar.addStretch(1)
        sl = QVBoxLayout(sbox)
        sl.addWidget(self.rule_label)
        sl.addWidget(self.ranking_table, 1)
        sl.addLayout(sbar)
        sl.addWidget(self.titles_label)
        body = QHBoxLayout()
        body.addWidget(rbox, 1)
        body.addWidget(sbox, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(self.error_label)
        self.year_spin.valueChanged.connect(lambda _v: self.refresh())
        self.rate_button.clicked.connect(self.rate)
        self.salary_button.clicked.connect(self.set_salary)
        self.add_button.clicked.connect(self.add_to_ranking)
        self.award_button.clicked.connect(self.award)
        self.notice_button.clicked.connect(self.print_notice)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            gl.retranslate(self)           # buttons, titles, headers, filters
            if self.isVisible():
                self.refresh()             # texts built from the records
        super().changeEvent(event)

    def year(self) -> int:
        return self.year_spin.value()

    def refresh(self) -> None:
        ctx, year = self._ctx, self.year()
        self._runner.submit(lambda: (incentives.ratings(ctx, year), incentives.ranking(ctx, year),
                                     incentives.titles(ctx)), self._on_loaded, lambda e: report_exception(e, self))

    def _on_loaded(self, result: tuple[list[RatingView], list[RankingView], list[TitleView]]) -> None:
        self.ratings, self.ranking, self.titles = result
        self.error_label.hide()
        self.rating_table.setRowCount(len(self.ratings))
        for i, r in enumerate(self.ratings):
            cells = (r.worker_name, gl.rating(r.rating), _yuan(r.salary_base),
                     _yuan(r.award) if r.award is not None else _("salary base missing"),
                     _("two excellent years: recommend") if r.recommended else "")
            for col, text in enumerate(cells):
                self.rating_table.setItem(i, col, QTableWidgetItem(text))
        self.ranking_table.setRowCount(len(self.ranking))
        for i, r in enumerate(self.ranking):
            cells = (str(i + 1), mask_name(r.name), f"{r.score:g}", str(r.votes), _("yes") if r.proposed else "",
                     _("yes") if r.awarded else "")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if r.proposed:
                    item.setBackground(_STAR)
                self.ranking_table.setItem(i, col, item)
        proposed = sum(r.proposed for r in self.ranking)
        self.rule_label.setText(_("{n} of {total} proposed (top {pct} %, rounded up; ties per the policy settings)")
                                .format(n=proposed, total=len(self.ranking), pct=self._pct()))
        by_year: dict[int, list[str]] = {}
        for t in self.titles:
            by_year.setdefault(t.year, []).append(mask_name(t.name))
        self.titles_label.setProperty("user_data_text", sorted({n for names in by_year.values() for n in names}))
        self.titles_label.setText("\n".join(_("{year}: {names}").format(year=y, names=_list(n))
                                            for y, n in sorted(by_year.items(), reverse=True)))
        self.loaded.emit()

    def _pct(self) -> str:
        from shequ_desktop.services.policy import current_policy
        return f"{current_policy(self._ctx).float_value('star_resident_pct'):g}"

    def _show_error(self, error: object) -> None:
        if isinstance(error, UserError):
            self.error_label.setText(error_text(error))
            self.error_label.show()
        else:
            report_exception(error, self)

    def _dialog(self, title: str, fields: list[Field], submit: Any) -> ActionDialog:
        self.error_label.hide()
        dlg = ActionDialog(_(title), fields, self._runner, submit, self)
        dlg.done.connect(lambda _r: self.refresh())
        self.last_dialog = dlg
        dlg.open()
        return dlg

    def rate(self) -> None:
        ctx, year = self._ctx, self.year()

        def open_dialog(workers: list[tuple[str, str]]) -> None:
            self._dialog(N_("Annual rating"), [
                Field("worker", N_("Social worker"), "combo", workers),
                Field("rating", N_("Rating"), "combo", [(r, gl.rating(r)) for r in g.RATINGS]),
                Field("note", N_("Note"))],
                lambda v: incentives.rate_worker(ctx, year, v["worker"], v["rating"], v["note"]))
        self._runner.submit(lambda: incentives.rateable_workers(ctx), open_dialog, self._show_error)

    def set_salary(self) -> ActionDialog | None:
        row = self.rating_table.currentRow()
        if not 0 <= row < len(self.ratings):
            self.error_label.setText(_("Select a rating first."))
            self.error_label.show()
            return None
        ctx, r = self._ctx, self.ratings[row]

        def submit(v: dict[str, Any]) -> RatingView:
            try:
                amount = float(str(v["salary_base"]).replace(",", "").replace("¥", ""))
            except ValueError:
                raise UserError("Enter the monthly salary in yuan (above 0).", field="salary_base") from None
            return incentives.set_salary_base(ctx, r.id, amount)
        return self._dialog(N_("Monthly salary base"), [
            Field("salary_base", N_("Monthly salary base (yuan)"), value=r.salary_base or "")], submit)

    def add_to_ranking(self) -> ActionDialog:
        ctx, year = self._ctx, self.year()

        def submit(v: dict[str, Any]) -> RankingView:
            try:
                score, votes = float(v["score"]), int(v["votes"] or 0)
            except ValueError:
                raise UserError("The score must be between 0 and 100.", field="score") from None
            return incentives.add_to_ranking(ctx, year, score, votes, name=v["name"], deeds=v["deeds"])
        return self._dialog(N_("Add to the ranking"), [
            Field("name", N_("Resident")), Field("score", N_("Score")), Field("votes", N_("Votes"), value="0"),
            Field("deeds", N_("Deeds"), "text")], submit)

    def award(self) -> None:
        ctx, year = self._ctx, self.year()
        self._runner.submit(lambda: incentives.award_stars(ctx, year), lambda _r: self.refresh(), self._show_error)

    def print_notice(self) -> None:
        ctx, year = self._ctx, self.year()

        def done(paper: Any) -> None:
            self.last_path = paper.path
            self.rule_label.setText(_("Printed {serial}: {path}").format(serial=paper.serial_no, path=paper.path))
        self._runner.submit(lambda: papers.print_star_notice(ctx, year), done, self._show_error)
