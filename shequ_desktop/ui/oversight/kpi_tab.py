"""考核指标 dashboard: the five figures of a month, quarter or year (station or one worker), red below
target; a click opens the records behind the figure; trend by month and per worker; the printed report."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QSpinBox, QSplitter, QTableView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain import kpi as k
from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.indicators import Indicator
from shequ_desktop.domain.kpi import Period
from shequ_desktop.i18n import N_, _
from shequ_desktop.services import kpi, kpi_report
from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.oversight import kpi_labels as labels
from shequ_desktop.ui.oversight.drill_model import RecordTableModel
from shequ_desktop.ui.oversight.kpi_chart import PercentBarChart
from shequ_desktop.ui.tasks import TaskRunner

KINDS = (("month", N_("Monthly")), ("quarter", N_("Quarterly")), ("year", N_("Yearly")))
NOBODY_SCOPE = "\x00nobody"        # the scope entry for records credited to no worker (not a login)
COLUMNS = (N_("Indicator"), N_("Completion rate"), N_("Counted / all"), N_("Target"), N_("Verdict"))


def _pct(ind: Indicator) -> str:
    return "-" if ind.percent is None else f"{ind.percent_text()} %"


class KpiTab(QWidget):
    report_loaded = Signal(object)       # the KpiReport shown now
    printed = Signal(object)             # kpi_report.PrintedReport
    record_activated = Signal(str, str)  # indicator key, the record to open (a survey: its file) — double-click/Enter

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None, own: bool = False) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.own = own          # a worker's own figures: no other worker, no station report
        self.report: kpi.KpiReport | None = None
        self._loading = False
        today = local_today(ctx.clock)
        self.kind_combo = QComboBox(self, objectName="kpi_kind_combo")
        self.year_spin = QSpinBox(self, objectName="kpi_year_spin")
        self.year_spin.setRange(2000, 2099)
        self.year_spin.setValue(today.year)
        self.number_combo = QComboBox(self, objectName="kpi_number_combo")
        self.scope_combo = QComboBox(self, objectName="kpi_scope_combo")
        self.scope_combo.setProperty("user_data", True)      # workers' names as entered
        self.print_button = QPushButton(self, objectName="kpi_print_button")
        self.period_label, self.scope_label = QLabel(self), QLabel(self)
        self.table = QTableWidget(len(k.KEYS), len(COLUMNS), self, objectName="kpi_table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.month_chart = PercentBarChart(self)
        self.month_chart.setObjectName("kpi_month_chart")
        self.worker_chart = PercentBarChart(self)
        self.worker_chart.setObjectName("kpi_worker_chart")
        self.drill_label = QLabel(self, objectName="kpi_drill_label")
        self.misses_check = QCheckBox(self, objectName="kpi_misses_check")
        self.model = RecordTableModel(self)
        self.records = QTableView(self, objectName="kpi_records_view")
        self.records.setModel(self.model)
        self.records.verticalHeader().hide()
        self.records.verticalHeader().setDefaultSectionSize(24)
        self.records.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.records.horizontalHeader().setStretchLastSection(True)
        self.records.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.records.doubleClicked.connect(self._on_records_activated)
        self.records.installEventFilter(self)        # Enter opens the current record too
        for col, width in enumerate((28, 190, 110, 120, 120, 120)):
            self.records.setColumnWidth(col, width)
        self._build()
        for w in (self.scope_label, self.scope_combo, self.worker_chart, self.print_button):
            w.setVisible(not own)
        self.retranslate()
        self.kind_combo.setCurrentIndex(1)
        self._fill_numbers()
        self.number_combo.setCurrentIndex((today.month - 1) // 3)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_changed)
        self.year_spin.valueChanged.connect(lambda _v: self.refresh())
        self.number_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.scope_combo.currentIndexChanged.connect(lambda _i: self._show_figures())
        self.table.currentCellChanged.connect(lambda row, *_a: self._show_selected(row))
        self.misses_check.toggled.connect(lambda _on: self._show_selected(self.table.currentRow()))
        self.print_button.clicked.connect(self.print_report)
        self.refresh()

    def _build(self) -> None:
        bar = QHBoxLayout()
        for w in (self.period_label, self.kind_combo, self.year_spin, self.number_combo, self.scope_label,
                  self.scope_combo):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        charts = QHBoxLayout()
        charts.setContentsMargins(0, 0, 0, 0)
        charts.addWidget(self.month_chart, 1)
        charts.addWidget(self.worker_chart, 1)
        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(self.table)
        chart_box = QWidget(top)
        chart_box.setLayout(charts)
        top.addWidget(chart_box)
        top.setSizes([470, 700])
        bottom = QWidget(self)
        box = QVBoxLayout(bottom)
        box.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(self.drill_label, 1)
        head.addWidget(self.misses_check)
        box.addLayout(head)
        box.addWidget(self.records, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([260, 340])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(split, 1)

    def retranslate(self) -> None:
        self.period_label.setText(_("Reporting period"))
        self.scope_label.setText(_("Show"))
        self.print_button.setText(_("Print report"))
        self.print_button.setToolTip(_("The report of the chosen period, with these charts and the records that missed."))
        self.misses_check.setText(_("Only records not counted"))
        self.records.setToolTip(_("Double-click a record (or press Enter) to open it."))
        self.table.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        kind = self.kind_combo.currentData()
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        for key, title in KINDS:
            self.kind_combo.addItem(_(title), key)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind or "quarter")))
        self.kind_combo.blockSignals(False)
        self._fill_numbers()
        self._fill_scopes()
        self._show_figures()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1)
            self.model.layoutChanged.emit()
        super().changeEvent(event)

    # --- period ---------------------------------------------------------------------------------------
    def _fill_numbers(self) -> None:
        kind, current = self.kind_combo.currentData(), self.number_combo.currentData()
        self.number_combo.blockSignals(True)
        self.number_combo.clear()
        if kind == "month":
            for n in range(1, 13):
                self.number_combo.addItem(_("Month {n}").format(n=n), n)
        elif kind == "quarter":
            for n in range(1, 5):
                self.number_combo.addItem(_("Quarter {n}").format(n=n), n)
        self.number_combo.setVisible(kind != "year")
        if current is not None:
            self.number_combo.setCurrentIndex(max(0, self.number_combo.findData(current)))
        self.number_combo.blockSignals(False)

    def _on_kind_combo_changed(self, _index: int) -> None:
        previous = self.number_combo.currentData()
        kind = self.kind_combo.currentData()
        self._fill_numbers()
        if kind == "month" and previous and previous <= 4 and self.number_combo.count() == 12:
            self.number_combo.setCurrentIndex(3 * previous - 1)      # a quarter → its last month
        self.refresh()

    def period(self) -> Period:
        kind = str(self.kind_combo.currentData() or "quarter")
        return Period(self.year_spin.value(), kind, 0 if kind == "year" else int(self.number_combo.currentData() or 1))

    def set_period(self, period: Period) -> None:
        for w in (self.kind_combo, self.year_spin, self.number_combo):
            w.blockSignals(True)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(period.kind))
        self.year_spin.setValue(period.year)
        self._fill_numbers()
        if period.kind != "year":
            self.number_combo.setCurrentIndex(self.number_combo.findData(period.number))
        for w in (self.kind_combo, self.year_spin, self.number_combo):
            w.blockSignals(False)
        self.refresh()

    # --- figures --------------------------------------------------------------------------------------
    def refresh(self) -> None:
        ctx, period = self._ctx, self.period()
        self._loading = True
        compute = kpi.compute_mine if self.own else kpi.compute
        self._runner.submit(lambda: compute(ctx, period), self._on_report, self._on_error)

    def _on_error(self, error: object) -> None:
        self._loading = False
        report_exception(error, self)

    def _on_report(self, report: kpi.KpiReport) -> None:
        self._loading = False
        if not shiboken6.isValid(self.table):
            return                      # the window closed while the figures were computed
        if report.period != self.period():
            return                      # an older request: the user has moved on
        self.report = report
        self._fill_scopes()
        self._show_figures()
        self.report_loaded.emit(report)

    def _fill_scopes(self) -> None:
        current = self.scope_combo.currentData()
        self.scope_combo.blockSignals(True)
        self.scope_combo.clear()
        self.scope_combo.addItem(_("Station"), "")
        report = self.report
        for login in report.workers() if report else []:
            self.scope_combo.addItem(report.label(login), login)      # type: ignore[union-attr]
        if report is not None and not self.own and any("" in report.per_worker(key) for key in k.KEYS):
            self.scope_combo.addItem(_("Records credited to no worker"), NOBODY_SCOPE)
        self.scope_combo.setCurrentIndex(max(0, self.scope_combo.findData(current or "")))
        self.scope_combo.blockSignals(False)

    def worker(self) -> str:
        """The login whose figures are shown ("" the station's; NOBODY_SCOPE the records of no worker)."""
        return str(self.scope_combo.currentData() or "")

    def figure(self, key: str) -> Indicator:
        """The figure as shown: the station's, or the chosen worker's (a worker's own report: theirs)."""
        assert self.report is not None
        if self.own or not self.worker():
            return self.report[key]
        ind = self.report[key]
        login = "" if self.worker() == NOBODY_SCOPE else self.worker()
        return self.report.per_worker(key).get(login, Indicator(ind.key, ind.target, ()))

    def _show_figures(self) -> None:
        if self.report is None:
            return
        row = max(0, self.table.currentRow())
        for i, key in enumerate(k.KEYS):
            ind = self.figure(key)
            verdict = "—" if ind.met is None else (_("Met") if ind.met else _("Below target"))
            cells = (labels.title(key), _pct(ind), f"{ind.numerator} / {ind.denominator}",
                     f"≥ {kpi.target_text(ind.target)} %", verdict)
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if ind.met is False:
                    item.setForeground(QBrush(QColor(labels.RED)))
                self.table.setItem(i, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.selectRow(row)
        self._show_selected(row)

    def _show_selected(self, row: int) -> None:
        if self.report is None or not 0 <= row < len(k.KEYS):
            return
        key = k.KEYS[row]
        ind = self.figure(key)
        target = float(ind.target * 100)
        months = self.report.per_month(key) if not self.worker() else kpi.months_of(self.report.period, ind)
        self.month_chart.show_values(_("{indicator} by month (%)").format(indicator=labels.title(key)),
                                     [_("M{n}").format(n=m.number) for m, _i in months],
                                     [i.percent for _m, i in months], target)
        report = self.report
        per = report.per_worker(key)
        if not self.own:
            order = sorted(per, key=lambda x: (not x, report.label(x), x))      # nobody's bar last
            self.worker_chart.show_values(_("{indicator} per worker (%)").format(indicator=labels.title(key)),
                                          [report.label(x) or labels.nobody_text(key) for x in order],
                                          [per[x].percent for x in order], target)
        shown = ind.missing_records() if self.misses_check.isChecked() else ind.records
        self.model.set_records(key, shown, report.names)
        if self.worker() == NOBODY_SCOPE:
            scope = labels.nobody_text(key)
        else:
            scope = report.label(report.worker or self.worker()) or _("station")
        text = _("Records behind “{indicator}” ({scope}): {n} of {d} counted, {m} not").format(
            indicator=labels.title(key), scope=scope, n=ind.numerator, d=ind.denominator,
            m=ind.denominator - ind.numerator)
        nobody = per.get("") if not self.worker() and not self.own else None
        if nobody is not None and nobody.denominator:       # the chief sees them, not only a bar
            text += " · " + _("{label}: {n}").format(label=labels.nobody_text(key), n=nobody.denominator)
        self.drill_label.setText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (watched is self.records and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)  # type: ignore[attr-defined]
                and self.records.currentIndex().isValid()):
            self._on_records_activated(self.records.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def _on_records_activated(self, index: object) -> None:
        row = index.row()  # type: ignore[attr-defined]
        if 0 <= row < self.model.rowCount():
            record = self.model.record(row)
            target = str(record.detail.get("file_id") or "") if self.model.key == k.SPECIAL_SATISFACTION else record.ref
            if target:
                self.record_activated.emit(self.model.key, target)

    def open_figure(self, key: str) -> None:
        """Select a figure (what a click on its row does): charts and records follow."""
        self.table.selectRow(k.KEYS.index(key))

    # --- printing -------------------------------------------------------------------------------------
    def print_report(self) -> None:
        ctx, period = self._ctx, self.period()
        self.print_button.setEnabled(False)
        self._runner.submit(lambda: kpi_report.print_report(ctx, period), self._on_printed, self._on_print_failed)

    def _on_print_failed(self, error: object) -> None:
        self.print_button.setEnabled(True)
        report_exception(error, self)

    def _on_printed(self, paper: kpi_report.PrintedReport) -> None:
        self.print_button.setEnabled(True)
        from shequ_desktop.ui.counter import pdf_preview
        self.preview = pdf_preview.open_preview(paper.path, paper.title, self)
        self.printed.emit(paper)
