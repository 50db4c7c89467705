"""调解成功率 for any period: the station, each mediator, each grid — with the cases behind each figure."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListWidget, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.indicators import Indicator
from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import _
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.mediation import oversight
from shequ_desktop.ui.date_field import DateField
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.mediation import labels
from shequ_desktop.ui.tasks import TaskRunner


class RatesTab(QWidget):
    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self._figures: list[Indicator] = []
        today = local_today(ctx.clock)
        start = today.replace(month=1, day=1)
        self.start_edit = DateField(start, self, objectName="start_edit", field="start")
        self.end_edit = DateField(today, self, objectName="end_edit", field="end")
        self.compute_button = QPushButton(_("Compute"), self, objectName="compute_button")
        self.table = QTableWidget(0, 5, self, objectName="rates_table")
        self.table.setHorizontalHeaderLabels([_("Scope"), _("Settled"), _("Concluded"), _("Success rate"),
                                              _("Target met")])
        self.table.setColumnWidth(0, 200)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.cases_label = QLabel(_("Cases behind the selected figure (✗ = not settled):"), self)
        self.cases_list = QListWidget(self, objectName="rate_cases_list")
        top = QHBoxLayout()
        top.addWidget(QLabel(_("From"), self))
        top.addWidget(self.start_edit)
        top.addWidget(QLabel(_("to"), self))
        top.addWidget(self.end_edit)
        top.addWidget(self.compute_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.cases_label)
        layout.addWidget(self.cases_list, 1)
        self.compute_button.clicked.connect(self.compute)
        self.table.currentCellChanged.connect(lambda row, *_a: self.show_cases(row))

    def compute(self) -> None:
        try:
            start, end = self.start_edit.value(), self.end_edit.value()
        except UserError:
            return                     # the field shows why
        assert start is not None and end is not None
        ctx = self._ctx
        self._runner.submit(lambda: oversight.success_rate(ctx, start, end), self.show_rates,
                            lambda e: report_exception(e, self))

    def show_rates(self, rates: oversight.SuccessRates) -> None:
        rows = [(_("Station"), rates.station)]
        mediators = sorted(rates.by_mediator.items(), key=lambda kv: (rates.mediator_names.get(kv[0], kv[0]), kv[0]))
        rows += [(_("Mediator {name}").format(name=rates.mediator_names.get(k, k)), v) for k, v in mediators]
        rows += [(_("Grid {name}").format(name=k or "-"), v) for k, v in rates.by_grid.items()]
        self._figures = [ind for _t, ind in rows]
        self.table.setRowCount(len(rows))
        for i, (title, ind) in enumerate(rows):
            met = "—" if ind.met is None else (_("yes") if ind.met else _("no"))
            for col, text in enumerate((title, str(ind.numerator), str(ind.denominator), ind.percent_text() + " %", met)):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(i, col, item)
        if rows:
            self.table.selectRow(0)
            self.show_cases(0)

    def show_cases(self, row: int) -> None:
        self.cases_list.clear()
        if 0 <= row < len(self._figures):
            for r in self._figures[row].records:
                state = labels.state(str(r.detail.get("state", ""))) if r.detail else ""
                self.cases_list.addItem(("✓ " if r.counts else "✗ ") + r.label + (f"　{state}" if state else ""))
