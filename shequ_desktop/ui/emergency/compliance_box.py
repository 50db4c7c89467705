"""The 5-minute (on site, R63) and 15-minute (reported, R64) compliance of a chosen period, with the incidents
behind each miss: this month / quarter / half year / year, the one before, or any from–to; a double click (or
Enter, or 「打开事件」) opens the incident."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.indicators import Indicator
from shequ_desktop.i18n import _, error_text
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.emergency import drills
from shequ_desktop.ui.date_field import DateField
from shequ_desktop.domain.clock import to_local
from shequ_desktop.ui.emergency.incident_panel import fill, table
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.tasks import TaskRunner


class ComplianceBox(QWidget):
    incident_chosen = Signal(str)          # the id of an incident behind a miss, to open
    loaded = Signal(object)                # drills.Compliance of the period shown

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.rates: drills.Compliance | None = None
        self.period: tuple[dt.date, dt.date] | None = None
        self.misses: list[tuple[str, str, dict]] = []        # (incident id, which limit, detail)
        today = local_today(ctx.clock)
        self.title_label = QLabel(self, objectName="compliance_title_label")
        self.period_combo = QComboBox(self, objectName="compliance_period_combo")
        self.first_field = DateField(dt.date(today.year, 1, 1), self, objectName="compliance_first_edit",
                                     field="period")
        self.dash_label = QLabel("–", self)
        self.last_field = DateField(today, self, objectName="compliance_last_edit", field="period")
        self.rates_label = QLabel(self, objectName="rates_label")
        self.rates_label.setWordWrap(True)
        self.error_label = QLabel(self, objectName="compliance_error_label")
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.setWordWrap(True)
        self.misses_table = table(self, "compliance_misses_table", 4)
        self.misses_table.setProperty("user_data", True)          # incident numbers and titles as entered
        self.misses_table.setMinimumHeight(96)
        self.misses_table.installEventFilter(self)               # Enter opens the incident too
        self.open_button = QPushButton(self, objectName="open_miss_button")
        self._build()
        self.retranslate()
        self.period_combo.setCurrentIndex(self.period_combo.findData("year"))
        self.period_combo.currentIndexChanged.connect(lambda _i: self._on_period_changed())
        for f in (self.first_field, self.last_field):
            f.dateChanged.connect(lambda _d: self.refresh())
        self.misses_table.cellDoubleClicked.connect(lambda r, _c: self.open_miss(r))
        self.misses_table.currentCellChanged.connect(lambda *_a: self._enable())
        self.open_button.clicked.connect(lambda: self.open_miss(self.misses_table.currentRow()))
        self._on_period_changed(load=False)

    def _build(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.title_label)
        bar.addWidget(self.period_combo)
        bar.addStretch(1)
        days = QHBoxLayout()            # a row of its own: shown, the two fields do not widen the window
        days.setContentsMargins(0, 0, 0, 0)
        for w in (self.first_field, self.dash_label, self.last_field):
            days.addWidget(w)
        days.addStretch(1)
        foot = QHBoxLayout()
        foot.setContentsMargins(0, 0, 0, 0)
        foot.addWidget(self.error_label, 1)
        foot.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addLayout(bar)
        layout.addLayout(days)
        layout.addWidget(self.rates_label)
        layout.addWidget(self.misses_table, 1)
        layout.addLayout(foot)

    def retranslate(self) -> None:
        self.title_label.setText(_("Response times:"))
        self.open_button.setText(_("Open incident"))
        self.open_button.setToolTip(_("Open the chosen incident (or double-click it, or press Enter)."))
        self.misses_table.setToolTip(_("The incidents behind the figures that missed a limit; double-click one to "
                                       "open it."))
        key = self.period_combo.currentData()
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for k in e.COMPLIANCE_PERIODS:
            self.period_combo.addItem(_(e.COMPLIANCE_PERIOD_MSGIDS[k]), k)
        self.period_combo.setCurrentIndex(max(0, self.period_combo.findData(key or "year")))
        self.period_combo.blockSignals(False)
        self.misses_table.setHorizontalHeaderLabels([_("No."), _("Reported"), _("Missed"), _("What happened")])
        self._show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (watched is self.misses_table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.open_miss(self.misses_table.currentRow())
            return True
        return super().eventFilter(watched, event)

    # --- the period ------------------------------------------------------------------------------------
    def set_period(self, key: str, first: dt.date | None = None, last: dt.date | None = None) -> None:
        """Choose a period as the chief would (``custom`` with its two days)."""
        for f, day in ((self.first_field, first), (self.last_field, last)):
            if day is not None:
                f.blockSignals(True)
                f.setDate(day)
                f.blockSignals(False)
        self.period_combo.setCurrentIndex(self.period_combo.findData(key))
        self.refresh()

    def _on_period_changed(self, load: bool = True) -> None:
        custom = self.period_combo.currentData() == "custom"
        for w in (self.first_field, self.dash_label, self.last_field):
            w.setVisible(custom)
        if load:
            self.refresh()

    def chosen_period(self) -> tuple[dt.date, dt.date]:
        """The period's first and last day; a custom one with a day missing or reversed is a UserError."""
        return e.compliance_period(self.period_combo.currentData() or "year", local_today(self._ctx.clock),
                                   self.first_field.value(), self.last_field.value())

    # --- loading ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.error_label.clear()
        try:
            first, last = self.chosen_period()
        except UserError as err:
            self.error_label.setText(error_text(err))
            return
        ctx = self._ctx
        self._runner.submit(lambda: ((first, last), drills.compliance(ctx, first, last)), self._on_loaded,
                            lambda err: report_exception(err, self))

    def _on_loaded(self, data: tuple) -> None:  # noqa: ANN001
        period, rates = data
        try:
            if period != self.chosen_period():
                return                        # the chief chose another period meanwhile: its answer follows
        except UserError:
            return
        self.period, self.rates = period, rates
        self._show()
        self.loaded.emit(rates)

    def _show(self) -> None:
        rates, period = self.rates, self.period
        if rates is None or period is None:
            return
        self.rates_label.setText(_("{first} to {last}: on site in time {a} of {b} ({p}), reported in time {c} of "
                                   "{d} ({q}); drills not counted.").format(
            first=f"{period[0]:%Y-%m-%d}", last=f"{period[1]:%Y-%m-%d}", a=rates.onsite.numerator,
            b=rates.onsite.denominator, p=_percent(rates.onsite), c=rates.report.numerator,
            d=rates.report.denominator, q=_percent(rates.report)))
        self.misses = []
        for which, ind in (("onsite", rates.onsite), ("report", rates.report)):
            for r in ind.missing_records():
                self.misses.append((r.ref, which, {**r.detail, "no": r.label}))
        self.misses.sort(key=lambda m: (m[2].get("reported_at") or dt.datetime.min.replace(tzinfo=dt.timezone.utc),
                                        m[1]))
        rows = []
        for _iid, which, d in self.misses:
            n = d.get("minutes")
            if which == "onsite":
                late = _("On site not recorded") if n is None else _("On site after {n} min").format(n=n)
            else:
                late = _("Report not recorded") if n is None else _("Reported after {n} min").format(n=n)
            when = d.get("reported_at")
            rows.append((d["no"], f"{to_local(when):%Y-%m-%d %H:%M}" if when else "", late, d.get("title", "")))
        self.misses_table.clearSpans()
        fill(self.misses_table, rows, [m[0] for m in self.misses])
        if not rows:
            self.misses_table.setRowCount(1)
            self.misses_table.setItem(0, 0, QTableWidgetItem(_("No incident missed a limit in this period.")))
            self.misses_table.setSpan(0, 0, 1, 4)
        self._enable()

    def _enable(self) -> None:
        self.open_button.setEnabled(0 <= self.misses_table.currentRow() < len(self.misses))

    def open_miss(self, row: int) -> None:
        if 0 <= row < len(self.misses):
            self.incident_chosen.emit(self.misses[row][0])


def _percent(ind: Indicator) -> str:
    return "—" if ind.denominator == 0 else ind.percent_text() + "%"
