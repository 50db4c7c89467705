"""The chief's overview: late calls, visits, sessions, assessments and reviews across all workers, each worker's
compliance for the current periods, and the satisfaction rate with the surveys behind it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.indicators import Indicator
from shequ_desktop.i18n import _, ngettext
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.special_groups import records, schedule
from shequ_desktop.services.special_groups.schedule import Overview
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.special_groups import labels as L
from shequ_desktop.ui.oversight.complaint_alerts import complaints_banner
from shequ_desktop.ui.tasks import TaskRunner

KINDS = ("call", "visit", "support", "assessment", "review")


class OverviewPanel(QWidget):
    worker_chosen = Signal(str)       # a worker double-clicked: show their compliance grid

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self._data: tuple[Overview, Indicator] | None = None
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("overview_summary_label")
        self.summary_label.setWordWrap(True)
        self.satisfaction_label = QLabel(self)
        self.satisfaction_label.setObjectName("satisfaction_label")
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("overview_refresh_button")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.satisfaction_label)
        self.surveys_button = QPushButton(self)
        self.surveys_button.setObjectName("survey_records_button")
        self.surveys_button.clicked.connect(lambda: self.open_surveys())
        top.addWidget(self.surveys_button)
        top.addWidget(self.refresh_button)
        self.worker_table = QTreeWidget(self)
        self.worker_table.setObjectName("worker_table")
        self.worker_table.setRootIsDecorated(False)
        self.worker_table.setColumnCount(2 + len(KINDS))
        self.worker_table.setColumnWidth(0, 130)
        # a handful of rows: columns as wide as their words (English headers are longer than Chinese ones)
        self.worker_table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.worker_table.itemDoubleClicked.connect(
            lambda item, _c: self.worker_chosen.emit(item.data(0, Qt.ItemDataRole.UserRole) or ""))
        self.late_list = QTreeWidget(self)
        self.late_list.setObjectName("late_list")
        self.late_list.setRootIsDecorated(False)
        self.late_list.setColumnCount(6)
        for c, w in enumerate((80, 90, 70, 90, 90)):
            self.late_list.setColumnWidth(c, w)
        self.late_list.header().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.worker_table)
        split.addWidget(self.late_list)
        split.setSizes([260, 360])
        self.banner = complaints_banner(self, ctx, runner)
        layout = QVBoxLayout(self)
        if self.banner is not None:
            layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.refresh_button.setText(_("Refresh"))
        self.surveys_button.setText(_("Survey records…"))
        self.worker_table.setHeaderLabels([_("Worker"), _("People")] + [_(L.TASK[k]) for k in KINDS])
        self.late_list.setHeaderLabels([_("State"), _("Task"), _("Name"), _("Flags"), _("Worker"), _("Address")])
        self._fill()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh(self) -> None:
        ctx = self._ctx
        today = local_today(ctx.clock)

        def load() -> tuple[Overview, Indicator]:
            since = today - dt.timedelta(days=365)
            return schedule.overview(ctx), records.satisfaction(ctx, since, today)
        self._runner.submit(load, self._on_loaded, report_exception)
        if self.banner is not None:
            self.banner.refresh()

    def _on_loaded(self, data: tuple[Overview, Indicator]) -> None:
        self._data = data
        self._fill()

    def _fill(self) -> None:
        self.worker_table.clear()
        self.late_list.clear()
        if self._data is None:
            self.summary_label.setText(_("Loading…"))
            return
        ov, sat = self._data
        late = L.join([f"{_(L.TASK[k])} {ov.late_by_kind.get(k, 0)}" for k in KINDS])
        self.summary_label.setText(ngettext("{files} open file · late: {late} · incomplete rosters {rosters} · "
                                            "up for review {reviews}",
                                            "{files} open files · late: {late} · incomplete rosters {rosters} · "
                                            "up for review {reviews}", ov.files).format(files=ov.files, late=late,
                                                                       rosters=ov.roster_incomplete,
                                                                       reviews=ov.reviews_requested))
        text = _("Satisfaction {rate} % ({n}/{d}, target {t} %)").format(
            rate=sat.percent_text(), n=sat.numerator, d=sat.denominator, t=f"{float(sat.target * 100):g}")
        self.satisfaction_label.setText(text)
        self.satisfaction_label.setStyleSheet(f"color: {L.RED};" if sat.met is False else "")
        red = QBrush(QColor(L.RED))
        late_word = _("late")      # not inside the f-string below: the catalog extractor does not look there
        for w in ov.workers:
            cells = [f"{w.name} ({w.login})" if w.login else _("(no worker)"), str(w.people)]
            for k in KINDS:
                rate = w.rate(k)
                lates = w.late.get(k, 0)
                cells.append("—" if rate is None and not lates else
                             (f"{rate:.0f} %" if rate is not None else "—") + (f" · {late_word} {lates}" if lates else ""))
            row = QTreeWidgetItem(cells)
            row.setData(0, Qt.ItemDataRole.UserRole, w.login)
            row.setToolTip(0, _("Double-click: this worker's compliance grid"))
            for c, k in enumerate(KINDS, start=2):
                if w.late.get(k):
                    row.setForeground(c, red)
            self.worker_table.addTopLevelItem(row)
        for it in ov.late_items:
            row = QTreeWidgetItem([L.state_text(it.state.value, it.days_late), _(L.TASK[it.kind]), it.name,
                                   L.flags_text(it.flags), it.worker_login, it.address])
            row.setForeground(0, red)
            self.late_list.addTopLevelItem(row)

    def open_surveys(self) -> QWidget:
        """The satisfaction rate with the survey records behind it."""
        from shequ_desktop.ui.special_groups.record_dialogs import SatisfactionDialog
        dialog = SatisfactionDialog(self._ctx, self._runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog
