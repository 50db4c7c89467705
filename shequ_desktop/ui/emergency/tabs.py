"""The emergency page's other tabs: plans, the team with its phone tree, drills and training."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QSplitter, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain.schedules import STATE_LABELS, TaskState
from shequ_desktop.i18n import N_, _, ngettext
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.emergency import drills, plans, team
from shequ_desktop.ui.emergency import labels
from shequ_desktop.ui.emergency.dialogs import ExerciseDialog, MemberDialog, PlanDialog
from shequ_desktop.ui.emergency.incident_panel import ID_ROLE, fill, table
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.tasks import TaskRunner

TASK_STATE = {TaskState.NOT_DUE: N_("Not due"), TaskState.DUE: N_("Due"), TaskState.OVERDUE: N_("Overdue"),
              TaskState.DONE: N_("Done"), TaskState.CANCELLED: N_("Cancelled")}
assert set(TASK_STATE) == set(STATE_LABELS)


class PlansTab(QWidget):
    dialog_opened = Signal(QWidget)

    def __init__(self, ctx: AppContext, runner: TaskRunner, chief: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner, self._chief = ctx, runner, chief
        self.plans: list[plans.PlanView] = []
        self.table = table(self, "plans_table", 3)
        self.detail = QPlainTextEdit(self, objectName="plan_detail")
        self.detail.setReadOnly(True)
        self.detail.setProperty("user_data", True)      # the plan's own text
        self.warning_label = QLabel(self, objectName="plans_warning_label")
        self.warning_label.setStyleSheet("color: #b9770e;")
        self.edit_button = QPushButton(self, objectName="edit_plan_button")
        self.add_button = QPushButton(self, objectName="add_plan_button")
        for b in (self.edit_button, self.add_button):
            b.setVisible(chief)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setSizes([420, 700])
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.warning_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        self.table.currentCellChanged.connect(lambda r, _c, _pr, _pc: self._show(r))
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.retranslate()

    def retranslate(self) -> None:
        self.edit_button.setText(_("Edit plan"))
        self.add_button.setText(_("New plan"))
        self.table.setHorizontalHeaderLabels([_("Hazard"), _("Steps"), _("Active")])
        self._fill()

    def refresh(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: (plans.list_plans(ctx), plans.plans_short(ctx)), self._on_loaded,
                            lambda e: report_exception(e, self))

    def _on_loaded(self, pair: tuple[list[plans.PlanView], int]) -> None:
        self.plans, short = pair
        self.warning_label.setText(ngettext("{n} hazard type has no active plan.",
                                            "{n} hazard types have no active plan.", short).format(n=short)
                                   if short else "")
        self._fill()
        if self.plans and self.table.currentRow() < 0:
            self.table.selectRow(0)

    def _fill(self) -> None:
        fill(self.table, [(p.name, len(p.steps), _("yes") if p.active else _("no")) for p in self.plans],
             [p.id for p in self.plans])

    def current(self) -> plans.PlanView | None:
        r = self.table.currentRow()
        return self.plans[r] if 0 <= r < len(self.plans) else None

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self.plans):
            return
        p = self.plans[row]
        lines = [p.name, ""] + [f"{i}. {s.title}（{s.role}，{s.minutes}′）" if s.minutes else f"{i}. {s.title}（{s.role}）"
                                for i, s in enumerate(p.steps, 1)]
        lines += [""] + [f"{r}：{d}" for r, d in p.roles]
        lines += [""] + [f"{c.name}（{c.role}）{c.phone}" for c in p.contacts]
        lines += ["", "；".join(p.assembly_points), "、".join(p.supplies)]
        lines += ["", _("Further steps")] + [f"（{i}）{step}" for i, step in enumerate(p.further_steps, 1)]
        self.detail.setPlainText("\n".join(lines))

    def edit(self, plan: plans.PlanView | None) -> PlanDialog:
        dialog = PlanDialog(self._ctx, self._runner, plan, self)
        dialog.done_with.connect(lambda _v: self.refresh())
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog


class TeamTab(QWidget):
    dialog_opened = Signal(QWidget)
    team_changed = Signal()

    def __init__(self, ctx: AppContext, runner: TaskRunner, chief: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.members: list[team.MemberView] = []
        self.status_label = QLabel(self, objectName="team_status_label")
        self.add_button = QPushButton(self, objectName="add_member_button")
        self.edit_button = QPushButton(self, objectName="edit_member_button")
        for b in (self.add_button, self.edit_button):
            b.setVisible(chief)
        self.table = table(self, "members_table", 6)
        self.tree = QTreeWidget(self, objectName="phone_tree")
        self.tree.setColumnCount(2)
        self.tree.setProperty("user_data", True)         # names and phones
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(self.tree)
        split.setSizes([760, 380])
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.status_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(split, 1)
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self.edit(self.current()))
        self.retranslate()

    def retranslate(self) -> None:
        self.add_button.setText(_("New member"))
        self.edit_button.setText(_("Edit member"))
        self.table.setHorizontalHeaderLabels([_("Name"), _("Role"), _("Kind"), _("Phone"), _("Skills"),
                                              _("Available")])
        self.tree.setHeaderLabels([_("Phone tree"), _("Phone")])
        self._fill()

    def refresh(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: (team.list_members(ctx), team.status(ctx), team.phone_tree(ctx)),
                            self._on_loaded, lambda e: report_exception(e, self))

    def _on_loaded(self, data: tuple[list[team.MemberView], team.TeamStatus, list[team.TreeLine]]) -> None:
        self.members, self.status, self.lines = data
        self._fill()

    def _fill(self) -> None:
        if not hasattr(self, "status"):
            return
        fill(self.table, [(m.name + ("" if m.active else " · " + _("inactive")), labels.team_role(m.role),
                           labels.member_kind(m.kind), m.phone, labels.sg_labels.join([labels.skill(k) for k in m.skills]),
                           labels.availability(m.availability)) for m in self.members], [m.id for m in self.members])
        st = self.status
        if st.short:
            self.status_label.setText(ngettext("Only {n} active member — the team needs at least {min}.",
                                               "Only {n} active members — the team needs at least {min}.",
                                               st.active).format(n=st.active, min=st.minimum))
            self.status_label.setStyleSheet("color: #c0392b; font-weight: bold;")
        else:
            self.status_label.setText(ngettext("{n} active member (at least {min}).",
                                               "{n} active members (at least {min}).",
                                               st.active).format(n=st.active, min=st.minimum))
            self.status_label.setStyleSheet("")
        self.tree.clear()
        stack: list[QTreeWidgetItem] = []
        for line in self.lines:
            item = QTreeWidgetItem([f"{line.member.name}（{labels.team_role(line.member.role)}）", line.member.phone])
            del stack[line.depth:]
            if stack:
                stack[-1].addChild(item)
            else:
                self.tree.addTopLevelItem(item)
            stack.append(item)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)

    def current(self) -> team.MemberView | None:
        r = self.table.currentRow()
        return self.members[r] if 0 <= r < len(self.members) else None

    def edit(self, member: team.MemberView | None) -> MemberDialog:
        dialog = MemberDialog(self._ctx, self._runner, self.members, member, self)
        dialog.caller_combo.setProperty("user_data", True)     # members' names
        dialog.done_with.connect(lambda _v: (self.refresh(), self.team_changed.emit()))
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog


class DrillsTab(QWidget):
    dialog_opened = Signal(QWidget)
    incident_opened = Signal(str)       # an exercise incident started from the drill dialog

    def __init__(self, ctx: AppContext, runner: TaskRunner, chief: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.record_button = QPushButton(self, objectName="record_exercise_button")
        self.record_button.setVisible(chief)
        self.open_button = QPushButton(self, objectName="open_exercise_button")
        self.schedule_table = table(self, "schedule_table", 3)
        self.records_table = table(self, "exercises_table", 7)
        self.untrained_label = QLabel(self, objectName="untrained_label")
        self.untrained_label.setWordWrap(True)
        self.untrained_names = QLabel(self, objectName="untrained_names_label")
        self.untrained_names.setProperty("user_data", True)
        self.untrained_names.setWordWrap(True)
        self.tasks: list = []
        self.records: list[drills.ExerciseView] = []
        self.untrained: list[team.MemberView] = []
        self.members: list[team.MemberView] = []
        self.exercise_incidents: list[drills.ExerciseIncident] = []
        self.plan_list: list[plans.PlanView] = []
        self.building_list: list[tuple[str, str]] = []
        left = QWidget(self)
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.schedule_table, 1)
        box.addWidget(self.untrained_label)
        box.addWidget(self.untrained_names)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.records_table)
        split.setSizes([420, 720])
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)
        self.record_button.clicked.connect(lambda: self.record())
        self.open_button.clicked.connect(lambda: self.open_current())
        self.records_table.cellDoubleClicked.connect(lambda r, _c: self.open_record(r))
        self.retranslate()

    def retranslate(self) -> None:
        self.record_button.setText(_("Record drill or training"))
        self.open_button.setText(_("Open record (files, exercise incident)"))
        self.schedule_table.setHorizontalHeaderLabels([_("Period"), _("What"), _("State")])
        self.records_table.setHorizontalHeaderLabels([_("Date"), _("Kind"), _("Topic"), _("Present"), _("Attached files"),
                                                      _("Exercise incident"), _("Findings")])
        self._fill()

    def set_lookups(self, plan_list: list[plans.PlanView], buildings: list[tuple[str, str]]) -> None:
        self.plan_list, self.building_list = plan_list, buildings

    def refresh(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: (drills.schedule(ctx), drills.list_exercises(ctx), drills.untrained_members(ctx),
                                     team.list_members(ctx), drills.exercise_incidents(ctx)),
                            self._on_loaded, lambda e: report_exception(e, self))

    def _on_loaded(self, data: tuple) -> None:  # noqa: ANN001
        self.tasks, self.records, self.untrained, self.members, self.exercise_incidents = data
        self._fill()

    def _fill(self) -> None:
        rows = []
        for t in reversed(self.tasks):
            state = _(TASK_STATE[t.state])
            if t.state is TaskState.OVERDUE:
                state = ngettext("Overdue by {n} day", "Overdue by {n} days", t.days_late).format(n=t.days_late)
            rows.append((f"{t.period_first:%Y-%m}—{t.period_last:%Y-%m}", labels.exercise_kind(t.key), state))
        fill(self.schedule_table, rows)
        for r, t in enumerate(reversed(self.tasks)):
            if t.state is TaskState.OVERDUE:
                for c in range(3):
                    self.schedule_table.item(r, c).setForeground(Qt.GlobalColor.red)
        fill(self.records_table, [(f"{x.held_on:%Y-%m-%d}", labels.exercise_kind(x.kind), x.topic,
                                   f"{x.present}/{x.present + x.absent}", x.files or "", x.incident_no,
                                   x.findings) for x in self.records],
             [x.id for x in self.records])
        self.untrained_label.setText(_("Not trained this year: {n}").format(n=len(self.untrained)))
        self.untrained_names.setText("、".join(m.name for m in self.untrained))

    def _dialog(self, exercise: drills.ExerciseView | None) -> ExerciseDialog:
        dialog = ExerciseDialog(self._ctx, self._runner, self.members, self, exercise, self.exercise_incidents,
                                self.plan_list, self.building_list)
        dialog.done_with.connect(lambda _v: self.refresh())
        dialog.files_box.changed.connect(lambda: self.refresh() if exercise is not None else None)
        dialog.incident_dialog_opened.connect(self.dialog_opened.emit)
        dialog.incident_started.connect(self.incident_opened.emit)
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def record(self) -> ExerciseDialog:
        return self._dialog(None)

    def open_record(self, row: int) -> ExerciseDialog | None:
        if not 0 <= row < len(self.records):
            return None
        return self._dialog(self.records[row])

    def open_current(self) -> ExerciseDialog | None:
        return self.open_record(self.records_table.currentRow() if self.records_table.currentRow() >= 0 else 0)
