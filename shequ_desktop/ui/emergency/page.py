"""应急管理: incidents in the first minutes, plans, the team and its phone tree, drills and training, the kit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QFileDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QSplitter,
                               QTabWidget, QVBoxLayout, QWidget)

from shequ_desktop.domain.roles import Permission
from shequ_desktop.i18n import N_, _, ngettext
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.emergency import incidents, kit, plans
from shequ_desktop.services.emergency.common import list_buildings
from shequ_desktop.ui.emergency import labels
from shequ_desktop.ui.emergency.compliance_box import ComplianceBox
from shequ_desktop.ui.emergency.dialogs import NewIncidentDialog
from shequ_desktop.ui.emergency.incident_panel import ID_ROLE, IncidentPanel, fill, table
from shequ_desktop.ui.emergency.tabs import DrillsTab, PlansTab, TeamTab
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.tasks import TaskRunner

FILTERS = (("open", N_("Ongoing incidents")), ("closed", N_("Closed incidents")), ("all", N_("All incidents")))


class EmergencyPage(QWidget):
    incidents_loaded = Signal(int)
    dialog_opened = Signal(QWidget)
    kit_written = Signal(object)          # kit.Kit
    kit_status_changed = Signal(object)   # kit.KitStatus

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.is_chief = ctx.may(Permission.EMERGENCY_ALL)
        self.rows: list[incidents.IncidentRow] = []
        self.plan_list: list[plans.PlanView] = []
        self.building_list: list[tuple[str, str]] = []
        self.new_button = QPushButton(self, objectName="new_incident_button")
        self.new_button.setMinimumHeight(36)
        self.filter_combo = QComboBox(self, objectName="incident_filter_combo")
        self.kit_button = QPushButton(self, objectName="kit_button")
        self.kit_button.setVisible(self.is_chief)
        self.kit_progress = QProgressBar(self, objectName="kit_progress")
        self.kit_progress.setMaximumWidth(200)
        self.kit_progress.hide()
        self.kit_label = QLabel(self, objectName="kit_label")
        self.table = table(self, "incidents_table", 5)
        self.compliance = ComplianceBox(ctx, runner, self)
        self.rates_label = self.compliance.rates_label
        self.panel = IncidentPanel(ctx, runner, self)
        self.plans_tab = PlansTab(ctx, runner, self.is_chief, self)
        self.team_tab = TeamTab(ctx, runner, self.is_chief, self)
        self.drills_tab = DrillsTab(ctx, runner, self.is_chief, self)
        self.tabs = QTabWidget(self, objectName="emergency_tabs")
        self._build()
        self.new_button.clicked.connect(lambda: self.new_incident())
        self.kit_button.clicked.connect(lambda: self.print_kit())
        self.filter_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.currentCellChanged.connect(lambda r, _c, _pr, _pc: self._open_row(r))
        self.panel.changed.connect(lambda _id: self.refresh())
        self.compliance.incident_chosen.connect(self.open_incident)
        for tab in (self.plans_tab, self.team_tab, self.drills_tab):
            tab.dialog_opened.connect(self.dialog_opened.emit)
        self.team_tab.team_changed.connect(self.refresh_kit_status)
        self.drills_tab.incident_opened.connect(lambda iid: (self.refresh(select=iid), self.drills_tab.refresh()))
        self.retranslate()
        self.refresh()
        self.refresh_tabs()

    def _build(self) -> None:
        bar = QHBoxLayout()
        for w in (self.new_button, self.filter_combo, self.kit_button, self.kit_progress):
            bar.addWidget(w)
        bar.addWidget(self.kit_label, 1)
        incidents_tab = QWidget(self)
        left = QSplitter(Qt.Orientation.Vertical, incidents_tab)
        left.setObjectName("incidents_left_split")
        left.addWidget(self.table)
        left.addWidget(self.compliance)
        left.setChildrenCollapsible(False)
        left.setSizes([330, 230])
        split = QSplitter(Qt.Orientation.Horizontal, incidents_tab)
        split.setObjectName("emergency_split")
        split.addWidget(left)
        split.addWidget(self.panel)
        split.setSizes([470, 700])
        box = QVBoxLayout(incidents_tab)
        box.setContentsMargins(0, 4, 0, 0)
        box.addLayout(bar)
        box.addWidget(split, 1)
        for w in (incidents_tab, self.plans_tab, self.team_tab, self.drills_tab):
            self.tabs.addTab(w, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)

    def retranslate(self) -> None:
        self.new_button.setText(_("New incident"))
        self.kit_button.setText(_("Print emergency kit"))
        which = self.filter_combo.currentData()
        self.filter_combo.blockSignals(True)
        self.filter_combo.clear()
        for key, title in FILTERS:
            self.filter_combo.addItem(_(title), key)
        self.filter_combo.setCurrentIndex(max(0, self.filter_combo.findData(which or "open")))
        self.filter_combo.blockSignals(False)
        self.table.setHorizontalHeaderLabels([_("No."), _("Hazard"), _("Reported"), _("On site"), _("Report")])
        for i, title in enumerate((_("Incidents"), _("Plans"), _("Team"), _("Drills and training"))):
            self.tabs.setTabText(i, title)
        self._fill()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            for w in (self.panel, self.plans_tab, self.team_tab, self.drills_tab):
                w.retranslate()
        super().changeEvent(event)

    # --- loading ---------------------------------------------------------------------------------
    def refresh(self, select: str | None = None) -> None:
        ctx, which = self._ctx, self.filter_combo.currentData() or "open"
        self._runner.submit(lambda: incidents.list_incidents(ctx, which), lambda rows: self._on_loaded(rows, select),
                            lambda e: report_exception(e, self))
        self.compliance.refresh()
        self.refresh_kit_status()

    def refresh_tabs(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: (plans.list_plans(ctx), list_buildings(ctx)), self._on_lookups,
                            lambda e: report_exception(e, self))
        for tab in (self.plans_tab, self.team_tab, self.drills_tab):
            tab.refresh()

    def _on_lookups(self, data: tuple) -> None:  # noqa: ANN001
        self.plan_list, self.building_list = data[0], data[1]
        self.drills_tab.set_lookups(self.plan_list, self.building_list)

    def _on_loaded(self, rows: list[incidents.IncidentRow], select: str | None) -> None:
        self.rows = rows
        current = select or (self.panel.view.id if self.panel.view else None)
        self._fill()
        for i, r in enumerate(self.rows):
            if r.id == current:
                self.table.selectRow(i)
        if current is None and self.rows:
            self.table.selectRow(0)
        self.incidents_loaded.emit(len(self.rows))

    def _fill(self) -> None:
        rows = []
        for r in self.rows:
            hazard = r.hazard_name + (" · " + _("drill") if r.is_exercise else "")
            rows.append((r.incident_no, hazard, labels.hm(r.reported_at), labels.hm(r.onsite_at),
                         labels.hm(r.subdistrict_at)))
        fill(self.table, rows, [r.id for r in self.rows])

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.panel.load(self.rows[row].id)

    def open_incident(self, incident_id: str) -> None:
        """Show an incident (one behind a compliance miss): in the list — all incidents if it is closed — and
        in the panel."""
        if not any(r.id == incident_id for r in self.rows) and self.filter_combo.currentData() != "all":
            self.filter_combo.blockSignals(True)
            self.filter_combo.setCurrentIndex(self.filter_combo.findData("all"))
            self.filter_combo.blockSignals(False)
        self.tabs.setCurrentIndex(0)
        self.panel.load(incident_id)
        ctx, which = self._ctx, self.filter_combo.currentData() or "all"
        self._runner.submit(lambda: incidents.list_incidents(ctx, which),
                            lambda rows: self._on_loaded(rows, incident_id), lambda e: report_exception(e, self))

    # --- actions ---------------------------------------------------------------------------------
    def new_incident(self, exercise: bool = False) -> NewIncidentDialog:
        dialog = NewIncidentDialog(self._ctx, self._runner, self.plan_list, self.building_list, self, exercise)
        dialog.done_with.connect(lambda v: self._on_opened(v))
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _on_opened(self, view: incidents.IncidentView) -> None:
        self.filter_combo.setCurrentIndex(0)
        self.refresh(select=view.id)
        self.panel.load(view.id)

    def choose_kit_path(self) -> str:
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the emergency kit"), "应急包.pdf", "PDF (*.pdf)")
        return path

    def print_kit(self, path: str | None = None) -> None:
        """The kit on the DB worker thread, with progress; then written to the chosen file."""
        target = path or self.choose_kit_path()
        if not target:
            return
        ctx = self._ctx
        self.kit_button.setEnabled(False)
        self.kit_progress.setRange(0, 0)
        self.kit_progress.show()

        def progress(done: int, total: int) -> None:
            self.kit_progress.setRange(0, total)
            self.kit_progress.setValue(done)
        self._runner.submit(lambda report: kit.build_kit(ctx, report), lambda k: self._on_kit(k, Path(target)),
                            self._on_kit_failed, progress)

    def _on_kit(self, made: kit.Kit, target: Path) -> None:
        target.write_bytes(made.pdf)
        self.kit_button.setEnabled(True)
        self.kit_progress.hide()
        self.kit_label.setText(ngettext("Kit saved: {pages} page, {people} in {buildings}.",
                                        "Kit saved: {pages} pages, {people} in {buildings}.", made.pages).format(
            pages=made.pages,
            people=ngettext("{n} person", "{n} people", made.people).format(n=made.people),
            buildings=ngettext("{n} building", "{n} buildings", made.buildings).format(n=made.buildings)))
        self.kit_written.emit(made)
        self.refresh_kit_status()

    def _on_kit_failed(self, error: object) -> None:
        self.kit_button.setEnabled(True)
        self.kit_progress.hide()
        report_exception(error, self)

    def refresh_kit_status(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: kit.status(ctx), self.kit_status_changed.emit, lambda _e: None)
