"""One incident in the first minutes: live 5/15-minute clocks, big 已到场 / 已上报 buttons, a typed time marked as
entered later, the checklist from the plan, the check on each vulnerable person, the timeline."""

from __future__ import annotations

from typing import Any

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateTimeEdit, QFileDialog, QGridLayout, QHBoxLayout,
                               QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem, QTabWidget,
                               QVBoxLayout, QWidget)

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import error_text, _, ngettext
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.emergency import incidents, kit, team
from shequ_desktop.ui.emergency import labels
from shequ_desktop.ui.emergency.dialogs import combo, set_edit, to_aware
from shequ_desktop.ui.tasks import TaskRunner

ID_ROLE = Qt.ItemDataRole.UserRole


def table(parent: QWidget, name: str, columns: int) -> QTableWidget:
    t = QTableWidget(0, columns, parent, objectName=name)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setStretchLastSection(True)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return t


def fill(t: QTableWidget, rows: list[tuple[Any, ...]], ids: list[str] | None = None) -> None:
    t.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            if ids is not None and c == 0:
                item.setData(ID_ROLE, ids[r])
            t.setItem(r, c, item)


class IncidentPanel(QWidget):
    changed = Signal(str)          # incident id
    lists_written = Signal(str)    # the PDF of the affected buildings' lists

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.view: incidents.IncidentView | None = None
        self.checks: list[incidents.CheckView] = []
        self.title_label = QLabel(self, objectName="incident_title_label")
        self.title_label.setProperty("user_data", True)       # number, hazard and what happened as entered
        self.title_label.setWordWrap(True)
        self.meta_label = QLabel(self, objectName="incident_meta_label")
        self.onsite_clock = QLabel(self, objectName="onsite_clock_label")
        self.report_clock = QLabel(self, objectName="report_clock_label")
        big = QFont()
        big.setPointSize(14)
        big.setBold(True)
        for w in (self.onsite_clock, self.report_clock):
            w.setFont(big)
        self.onsite_button = QPushButton(self, objectName="onsite_button")
        self.report_button = QPushButton(self, objectName="report_button")
        for b in (self.onsite_button, self.report_button):
            b.setMinimumHeight(44)
            b.setFont(big)
        self.channel_combo = combo(self, "channel_combo", [])
        self.later_edit = QDateTimeEdit(self, objectName="later_time_edit")
        self.later_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.later_onsite_button = QPushButton(self, objectName="later_onsite_button")
        self.later_report_button = QPushButton(self, objectName="later_report_button")
        self.error_label = QLabel(self, objectName="incident_error_label")
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.setWordWrap(True)
        self.tabs = QTabWidget(self, objectName="incident_tabs")
        self.checks_table = table(self, "checks_table", 6)
        self.check_state_combo = combo(self, "check_state_combo", [])
        self.check_button = QPushButton(self, objectName="set_check_button")
        self.print_lists_button = QPushButton(self, objectName="print_lists_button")
        self.tasks_table = table(self, "tasks_table", 4)
        self.task_done_button = QPushButton(self, objectName="task_done_button")
        self.team_table = table(self, "incident_team_table", 4)
        self.member_status_combo = combo(self, "member_status_combo", [])
        self.member_status_button = QPushButton(self, objectName="member_status_button")
        self.members: list = []
        self.timeline_table = table(self, "timeline_table", 4)
        # R65's further steps: the plan's configured list is offered, a free entry is still possible
        self.step_combo = QComboBox(self, objectName="step_combo")
        self.step_combo.setEditable(True)
        self.step_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.step_combo.setProperty("user_data", True)          # the station's configured steps
        self.step_edit = self.step_combo.lineEdit()
        self.step_edit.setObjectName("step_edit")
        self.step_button = QPushButton(self, objectName="add_step_button")
        self.close_button = QPushButton(self, objectName="close_incident_button")
        self._build()
        self.onsite_button.clicked.connect(lambda: self.mark_on_site())
        self.report_button.clicked.connect(lambda: self.mark_reported())
        self.later_onsite_button.clicked.connect(lambda: self.mark_on_site(to_aware(self.later_edit)))
        self.later_report_button.clicked.connect(lambda: self.mark_reported(to_aware(self.later_edit)))
        self.check_button.clicked.connect(self.set_check)
        self.print_lists_button.clicked.connect(lambda: self.print_lists())
        self.member_status_button.clicked.connect(self.set_member_status)
        self.task_done_button.clicked.connect(self.complete_task)
        self.step_button.clicked.connect(self.add_step)
        self.step_edit.returnPressed.connect(self.add_step)
        self.close_button.clicked.connect(self.close_incident)
        self.timer = QTimer(self, interval=1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.retranslate()
        self.setEnabled(False)

    def _build(self) -> None:
        clocks = QGridLayout()
        clocks.addWidget(self.onsite_clock, 0, 0)
        clocks.addWidget(self.onsite_button, 1, 0)
        clocks.addWidget(self.report_clock, 0, 1)
        report = QHBoxLayout()
        report.addWidget(self.report_button, 1)
        report.addWidget(self.channel_combo)
        clocks.addLayout(report, 1, 1)
        later = QHBoxLayout()
        self.later_label = QLabel(self, objectName="later_label")
        for w in (self.later_label, self.later_edit, self.later_onsite_button, self.later_report_button):
            later.addWidget(w)
        later.addStretch(1)
        checks = QWidget(self)
        box = QVBoxLayout(checks)
        box.addWidget(self.checks_table)
        row = QHBoxLayout()
        row.addWidget(self.check_state_combo)
        row.addWidget(self.check_button)
        row.addStretch(1)
        row.addWidget(self.print_lists_button)
        box.addLayout(row)
        tasks = QWidget(self)
        box = QVBoxLayout(tasks)
        box.addWidget(self.tasks_table)
        box.addWidget(self.task_done_button, 0, Qt.AlignmentFlag.AlignLeft)
        crew = QWidget(self)
        box = QVBoxLayout(crew)
        box.addWidget(self.team_table)
        row = QHBoxLayout()
        row.addWidget(self.member_status_combo)
        row.addWidget(self.member_status_button)
        row.addStretch(1)
        box.addLayout(row)
        timeline = QWidget(self)
        box = QVBoxLayout(timeline)
        box.addWidget(self.timeline_table)
        row = QHBoxLayout()
        row.addWidget(self.step_combo, 1)
        row.addWidget(self.step_button)
        row.addWidget(self.close_button)
        box.addLayout(row)
        for w in (checks, tasks, crew, timeline):
            self.tabs.addTab(w, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.meta_label)
        layout.addLayout(clocks)
        layout.addLayout(later)
        layout.addWidget(self.error_label)
        layout.addWidget(self.tabs, 1)

    def retranslate(self) -> None:
        self.onsite_button.setText(_("On site"))
        self.report_button.setText(_("Reported to the subdistrict"))
        self.later_label.setText(_("Time entered later:"))
        self.later_onsite_button.setText(_("Set on-site time"))
        self.later_report_button.setText(_("Set report time"))
        current = self.channel_combo.currentData()
        self.channel_combo.clear()
        for k in e.CHANNELS:
            self.channel_combo.addItem(labels.channel(k), k)
        self.channel_combo.setCurrentIndex(max(0, self.channel_combo.findData(current)))
        state = self.check_state_combo.currentData()
        self.check_state_combo.clear()
        for k in e.CHECK_STATES[1:]:
            self.check_state_combo.addItem(labels.check_state(k), k)
        self.check_state_combo.setCurrentIndex(max(0, self.check_state_combo.findData(state)))
        self.check_button.setText(_("Record check"))
        self.print_lists_button.setText(_("Print these lists…"))
        self.print_lists_button.setToolTip(_("The people to check of the affected buildings, one page per building, "
                                             "with the persons to call — to take along"))
        status = self.member_status_combo.currentData()
        self.member_status_combo.clear()
        for k in e.MEMBER_STATUSES:
            self.member_status_combo.addItem(labels.member_status(k), k)
        self.member_status_combo.setCurrentIndex(max(0, self.member_status_combo.findData(status)))
        self.member_status_button.setText(_("Set status"))
        self.team_table.setHorizontalHeaderLabels([_("Name"), _("Role"), _("Phone"), _("Status")])
        self.task_done_button.setText(_("Mark done"))
        self.step_edit.setPlaceholderText(_("Further step or note, e.g. plan started, residents evacuated"))
        self.step_button.setText(_("Add to timeline"))
        self.close_button.setText(_("Close incident"))
        for i, title in enumerate((_("People to check"), _("Checklist"), _("Team on call"), _("Incident log"))):
            self.tabs.setTabText(i, title)
        self.checks_table.setHorizontalHeaderLabels([_("Building"), _("Flat"), _("Name"), _("Who"),
                                                     _("Person to call"), _("Check result")])
        self.tasks_table.setHorizontalHeaderLabels([_("Step"), _("Role"), _("By"), _("Done")])
        self.timeline_table.setHorizontalHeaderLabels([_("Time"), _("What"), _("Details"), _("Recorded by")])
        self.show_view()

    # --- loading ---------------------------------------------------------------------------------
    def load(self, incident_id: str) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: (incidents.get_incident(ctx, incident_id), incidents.checks(ctx, incident_id),
                                     team.list_members(ctx, active_only=True)),
                            self._on_loaded, self._on_failed)

    def _on_loaded(self, data: tuple) -> None:  # noqa: ANN001
        self.view, self.checks, self.members = data
        self.setEnabled(True)
        self.show_view()

    def show_view(self) -> None:
        v = self.view
        if v is None:
            return
        mark = _("drill") + " · " if v.is_exercise else ""
        self.title_label.setText(f"{v.incident_no}　{v.hazard_name}　{v.title}")
        self.meta_label.setText(mark + ngettext("Grade: {grade} · reported {time} ({how}) · {n} building",
                                                "Grade: {grade} · reported {time} ({how}) · {n} buildings",
                                                len(v.buildings)).format(
            grade=labels.grade(v.grade), time=labels.hm(v.reported_at), how=labels.report_how(v.report_how),
            n=len(v.buildings)))
        open_ = not v.closed
        for w in (self.onsite_button, self.report_button, self.later_onsite_button, self.later_report_button,
                  self.check_button, self.task_done_button, self.close_button, self.channel_combo,
                  self.member_status_button):
            w.setEnabled(open_)
        set_edit(self.later_edit, self._ctx.clock.now())
        fill(self.checks_table, [(c.building_name, c.unit, c.name_masked, labels.flags(c.groups, c.flag_codes),
                                  c.contact, labels.check_state(c.state)) for c in self.checks],
             [c.id for c in self.checks])
        fill(self.tasks_table, [(t.title, t.role, labels.hm(t.due_at), labels.hm(t.done_at) if t.done_at else "")
                                for t in v.tasks], [t.id for t in v.tasks])
        status = dict(v.member_status)
        fill(self.team_table, [(m.name, labels.team_role(m.role), m.phone,
                                labels.member_status(status[m.id]) if m.id in status else "—") for m in self.members],
             [m.id for m in self.members])
        rows = []
        for x in v.entries:
            what = labels.entry_kind(x.kind)
            if x.entered_later:
                what += " · " + _("entered later")
            if x.superseded:
                what += " · " + _("corrected")
            detail = x.text
            if x.kind == e.SUBDISTRICT:
                detail = " ".join(filter(None, (labels.channel(x.channel), x.text)))
            elif x.kind == e.CHECK:
                detail = " ".join(filter(None, (labels.check_state(x.value), x.text)))
            elif x.kind == e.MEMBER:
                detail = f"{x.text} {labels.member_status(x.value)}"
            rows.append((labels.hm(x.at), what, detail, x.by_name))
        fill(self.timeline_table, rows)
        self._offer_steps(v)
        self.tick()

    def _offer_steps(self, v: incidents.IncidentView) -> None:
        """The plan's further steps, those not yet on the timeline first; the typed text stays."""
        typed = self.step_edit.text()
        done = {x.text for x in v.entries if x.kind == e.STEP and not x.superseded}
        choices = [s for s in v.step_choices if s not in done] + [s for s in v.step_choices if s in done]
        if [self.step_combo.itemText(i) for i in range(self.step_combo.count())] != choices:
            self.step_combo.blockSignals(True)
            self.step_combo.clear()
            self.step_combo.addItems(choices)
            self.step_combo.setCurrentIndex(-1)
            self.step_combo.blockSignals(False)
        self.step_edit.setText(typed)
        self.step_edit.setPlaceholderText(_("Further step or note, e.g. plan started, residents evacuated"))

    def tick(self) -> None:
        v = self.view
        if v is None:
            return
        now = self._ctx.clock.now()
        for label, title, due, done in ((self.onsite_clock, _("On site ≤ {m} min"), v.onsite_due_at, v.onsite_at),
                                        (self.report_clock, _("Report ≤ {m} min"), v.report_due_at, v.subdistrict_at)):
            text, colour = labels.clock_text(due, done, v.reported_at, now)
            limit = int((due - v.reported_at).total_seconds() // 60)
            label.setText(f"{title.format(m=limit)}: {text}")
            label.setStyleSheet(f"color: {colour};")

    # --- actions ---------------------------------------------------------------------------------
    def print_lists(self, path: str | None = None) -> None:
        """The affected buildings' vulnerable lists as a PDF (audited), opened with the system's viewer to print."""
        if self.view is None:
            return
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, _("Save the lists to print"),
                                                        f"重点人员名单-{self.view.incident_no}.pdf", "PDF (*.pdf)")
        if not path:
            return
        ctx, vid, target = self._ctx, self.view.id, path

        def done(lists: object) -> None:
            try:
                Path(target).write_bytes(lists.pdf)  # type: ignore[attr-defined]
            except OSError as err:
                self.error_label.setText(_("The file cannot be written: {reason}").format(
                    reason=err.strerror or str(err)))
                return
            self.lists_written.emit(target)
            QDesktopServices.openUrl(QUrl.fromLocalFile(target))
        self.error_label.clear()
        self._runner.submit(lambda: kit.incident_lists(ctx, vid), done, self._on_failed)

    def _run(self, fn: Any) -> None:
        self.error_label.clear()
        self._runner.submit(fn, self._on_changed, self._on_failed)

    def _on_changed(self, result: object) -> None:
        if self.view is not None:
            self.load(self.view.id)
            self.changed.emit(self.view.id)

    def _on_failed(self, error: object) -> None:
        if isinstance(error, UserError):
            self.error_label.setText(error_text(error))
        else:
            from shequ_desktop.ui.errors import report_exception
            report_exception(error, self)

    def mark_on_site(self, at: Any = None) -> None:
        if self.view is not None:
            ctx, vid = self._ctx, self.view.id
            self._run(lambda: incidents.mark_on_site(ctx, vid, at))

    def mark_reported(self, at: Any = None) -> None:
        if self.view is not None:
            ctx, vid, ch = self._ctx, self.view.id, self.channel_combo.currentData() or ""
            self._run(lambda: incidents.mark_reported(ctx, vid, ch, at))

    def _selected(self, t: QTableWidget) -> str | None:
        row = t.currentRow()
        item = t.item(row, 0) if row >= 0 else None
        return item.data(ID_ROLE) if item is not None else None

    def set_check(self) -> None:
        check_id = self._selected(self.checks_table)
        if check_id is None:
            self.error_label.setText(_("Choose a person in the list first."))
            return
        ctx, state = self._ctx, self.check_state_combo.currentData()
        self._run(lambda: incidents.set_check(ctx, check_id, state))

    def set_member_status(self) -> None:
        member_id = self._selected(self.team_table)
        if member_id is None or self.view is None:
            self.error_label.setText(_("Choose a team member first."))
            return
        ctx, vid, status = self._ctx, self.view.id, self.member_status_combo.currentData()
        self._run(lambda: incidents.set_member_status(ctx, vid, member_id, status))

    def complete_task(self) -> None:
        task_id = self._selected(self.tasks_table)
        if task_id is None:
            self.error_label.setText(_("Choose a checklist item first."))
            return
        ctx = self._ctx
        self._run(lambda: incidents.complete_task(ctx, task_id))

    def add_step(self) -> None:
        if self.view is None:
            return
        ctx, vid, text = self._ctx, self.view.id, self.step_edit.text()
        kind = e.NOTE if self.view.closed else e.STEP
        self.step_edit.clear()
        self._run(lambda: incidents.add_step(ctx, vid, text, kind=kind))

    def close_incident(self) -> None:
        if self.view is None:
            return
        ctx, vid, text = self._ctx, self.view.id, self.step_edit.text()
        self._run(lambda: incidents.close_incident(ctx, vid, text))
