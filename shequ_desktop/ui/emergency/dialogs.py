"""Dialogs of the emergency module: a new incident, a team member, a drill or training record, a plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateTimeEdit, QDialog, QDialogButtonBox,
                               QFormLayout, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import _
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.emergency import drills, incidents, plans, team
from shequ_desktop.ui.date_field import DateField
from shequ_desktop.ui.emergency import labels
from shequ_desktop.ui.field_errors import FieldErrors
from shequ_desktop.ui.tasks import TaskRunner

ID_ROLE = Qt.ItemDataRole.UserRole


def _error_label(parent: QWidget, key: str) -> QLabel:
    label = QLabel(parent, objectName=f"{key}_error")
    label.setStyleSheet("color: #c0392b;")
    label.setWordWrap(True)
    return label


def combo(parent: QWidget, name: str, items: list[tuple[str, str]]) -> QComboBox:
    box = QComboBox(parent, objectName=name)
    for value, text in items:
        box.addItem(text, value)
    return box


def to_aware(edit: QDateTimeEdit) -> dt.datetime:
    """The edit's wall time in Shanghai as an aware datetime."""
    q = edit.dateTime()
    d, t = q.date(), q.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=SHANGHAI)


def set_edit(edit: QDateTimeEdit, when: dt.datetime) -> None:
    local = when.astimezone(SHANGHAI)
    edit.setDateTime(QDateTime(QDate(local.year, local.month, local.day), local.time().replace(second=0)))


class _FormParts:
    """Form rows with an error label under each field; submit runs on the DB thread. Mixed into each dialog
    (a QDialog of its own, so the screen test opens every one of them)."""

    done_with: Signal

    def _setup(self, ctx: AppContext, runner: TaskRunner, name: str, title: str) -> None:
        self._ctx, self._runner = ctx, runner
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error_labels: dict[str, QLabel] = {}
        self.error_label = _error_label(self, "form")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def row(self, key: str, text: str, widget: QWidget) -> None:
        box = QVBoxLayout()
        box.setSpacing(1)
        box.addWidget(widget)
        self.error_labels[key] = _error_label(self, key)
        box.addWidget(self.error_labels[key])
        self.form.addRow(text, box)

    def finish(self) -> None:
        self.errors = FieldErrors(self.error_labels, self.error_label)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def work(self) -> Callable[[], Any]:
        raise NotImplementedError

    def submit(self) -> None:
        self.errors.clear()
        try:
            fn = self.work()
        except UserError as err:
            self.errors.show(err)
            return
        self.buttons.setEnabled(False)
        self._runner.submit(fn, self._on_done, self._on_failed)

    def _on_done(self, value: object) -> None:
        self.buttons.setEnabled(True)
        self.done_with.emit(value)
        self.accept()

    def _on_failed(self, error: object) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, UserError):
            self.errors.show(error)
        else:
            from shequ_desktop.ui.errors import report_exception
            report_exception(error, self)


class NewIncidentDialog(_FormParts, QDialog):
    """The first seconds: hazard, grade, what, where (buildings), reported by whom and how; the time is now
    unless typed (then it is marked as entered later)."""

    done_with = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, plan_list: list[plans.PlanView],
                 buildings: list[tuple[str, str]], parent: QWidget | None = None, exercise: bool = False) -> None:
        QDialog.__init__(self, parent)
        self._setup(ctx, runner, "new_incident_dialog", _("New incident"))
        self.hazard_combo = combo(self, "hazard_combo", [(p.hazard, p.name) for p in plan_list if p.active])
        self.hazard_combo.setProperty("user_data", True)       # the station's plan names
        self.grade_combo = combo(self, "grade_combo", [(g, labels.grade(g)) for g in reversed(e.GRADES)])
        self.title_edit = QLineEdit(self, objectName="title_edit")
        self.title_edit.setPlaceholderText(_("What happened, in a few words"))
        self.place_edit = QLineEdit(self, objectName="place_edit")
        self.filter_edit = QLineEdit(self, objectName="building_filter_edit")
        self.filter_edit.setPlaceholderText(_("Filter buildings"))
        self.buildings_list = QListWidget(self, objectName="buildings_list")
        self.buildings_list.setProperty("data_role", int(ID_ROLE))
        self.buildings_list.setMaximumHeight(150)
        for bid, name in buildings:
            item = QListWidgetItem(name)
            item.setData(ID_ROLE, bid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.buildings_list.addItem(item)
        self.how_combo = combo(self, "report_how_combo", [(k, labels.report_how(k)) for k in e.REPORT_HOW])
        self.by_edit = QLineEdit(self, objectName="reported_by_edit")
        self.now_check = QCheckBox(_("Reported just now"), self, objectName="reported_now_check")
        self.now_check.setChecked(True)
        self.time_edit = QDateTimeEdit(self, objectName="reported_at_edit")
        self.time_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        set_edit(self.time_edit, ctx.clock.now())
        self.time_edit.setEnabled(False)
        self.exercise_check = QCheckBox(_("This is a drill (exercise)"), self, objectName="exercise_check")
        self.exercise_check.setChecked(exercise)
        self.now_check.toggled.connect(lambda on: self.time_edit.setEnabled(not on))
        self.filter_edit.textChanged.connect(self._filter)
        self.row("hazard", _("Hazard"), self.hazard_combo)
        self.row("grade", _("Grade"), self.grade_combo)
        self.row("title", _("What happened"), self.title_edit)
        self.row("place", _("Place"), self.place_edit)
        box = QWidget(self)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.filter_edit)
        inner.addWidget(self.buildings_list)
        self.row("buildings", _("Affected buildings"), box)
        self.row("report_how", _("Reported by"), self.how_combo)
        self.row("reported_by", _("Who reported"), self.by_edit)
        timing = QWidget(self)
        grid = QGridLayout(timing)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.now_check, 0, 0)
        grid.addWidget(self.time_edit, 0, 1)
        self.row("reported_at", _("Report time"), timing)
        self.form.addRow("", self.exercise_check)
        self.finish()
        self.resize(560, 600)

    def _filter(self, text: str) -> None:
        for i in range(self.buildings_list.count()):
            item = self.buildings_list.item(i)
            item.setHidden(bool(text) and text not in item.text())

    def check_building(self, building_id: str) -> None:
        for i in range(self.buildings_list.count()):
            item = self.buildings_list.item(i)
            if item.data(ID_ROLE) == building_id:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> tuple[str, ...]:
        return tuple(self.buildings_list.item(i).data(ID_ROLE) for i in range(self.buildings_list.count())
                     if self.buildings_list.item(i).checkState() == Qt.CheckState.Checked)

    def work(self) -> Callable[[], Any]:
        data = incidents.IncidentInput(
            self.hazard_combo.currentData() or "", self.grade_combo.currentData(), self.title_edit.text(),
            self.chosen(), self.how_combo.currentData(), self.by_edit.text(), self.place_edit.text(),
            None if self.now_check.isChecked() else to_aware(self.time_edit), None, self.exercise_check.isChecked())
        ctx = self._ctx
        return lambda: incidents.open_incident(ctx, data)


class MemberDialog(_FormParts, QDialog):
    """Add or change a team member; the phone is required (the team is called by phone)."""

    done_with = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, members: list[team.MemberView],
                 member: team.MemberView | None = None, parent: QWidget | None = None) -> None:
        QDialog.__init__(self, parent)
        self._setup(ctx, runner, "member_dialog", _("Team member"))
        self._member = member
        self.name_edit = QLineEdit(self, objectName="member_name_edit")
        self.kind_combo = combo(self, "member_kind_combo", [(k, labels.member_kind(k)) for k in e.MEMBER_KINDS])
        self.role_combo = combo(self, "member_role_combo", [(k, labels.team_role(k)) for k in e.TEAM_ROLES])
        self.phone_edit = QLineEdit(self, objectName="member_phone_edit")
        self.skill_checks = {k: QCheckBox(labels.skill(k), self, objectName=f"skill_{k}_check") for k in e.SKILLS}
        skills = QWidget(self)
        grid = QGridLayout(skills)
        grid.setContentsMargins(0, 0, 0, 0)
        for i, box in enumerate(self.skill_checks.values()):
            grid.addWidget(box, i // 4, i % 4)
        self.availability_combo = combo(self, "availability_combo",
                                        [(k, labels.availability(k)) for k in e.AVAILABILITY])
        self.caller_combo = combo(self, "caller_combo", [("", _("(nobody: at the top)"))] +
                                  [(m.id, m.name) for m in members if member is None or m.id != member.id])
        self.active_check = QCheckBox(_("Active"), self, objectName="active_check")
        self.active_check.setChecked(True)
        self.row("name", _("Name"), self.name_edit)
        self.row("kind", _("Kind"), self.kind_combo)
        self.row("role", _("Role"), self.role_combo)
        self.row("phone", _("Phone"), self.phone_edit)
        self.row("skills", _("Skills"), skills)
        self.row("availability", _("Available"), self.availability_combo)
        self.row("caller", _("Called by"), self.caller_combo)
        self.form.addRow("", self.active_check)
        if member is not None:
            self.name_edit.setText(member.name)
            self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(member.kind)))
            self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(member.role)))
            self.phone_edit.setText(member.phone)
            for k in member.skills:
                if k in self.skill_checks:
                    self.skill_checks[k].setChecked(True)
            self.availability_combo.setCurrentIndex(max(0, self.availability_combo.findData(member.availability)))
            self.caller_combo.setCurrentIndex(max(0, self.caller_combo.findData(member.caller_id or "")))
            self.active_check.setChecked(member.active)
        self.finish()

    def work(self) -> Callable[[], Any]:
        data = team.MemberInput(self.name_edit.text(), self.kind_combo.currentData(), self.role_combo.currentData(),
                                self.phone_edit.text(), tuple(k for k, b in self.skill_checks.items() if b.isChecked()),
                                self.availability_combo.currentData(), self.active_check.isChecked(),
                                self.caller_combo.currentData() or None,
                                self._member.login if self._member else "",
                                self._member.joined_on if self._member else None)
        ctx, member = self._ctx, self._member
        if member is None:
            return lambda: team.add_member(ctx, data)
        return lambda: team.update_member(ctx, member.id, data)


class ExerciseDialog(_FormParts, QDialog):
    """Record a drill or a training: date, kind, topic, duration, findings, attached files (stored in the
    program), attendance, and the exercise incident the drill ran through (picked, or started from here).
    Given a stored record (``exercise``) it shows it: its files can be opened, saved, added or removed and
    the exercise incident linked; the record's own facts stay as recorded."""

    done_with = Signal(object)
    incident_dialog_opened = Signal(QWidget)
    incident_started = Signal(str)          # the id of an exercise incident opened from here

    def __init__(self, ctx: AppContext, runner: TaskRunner, members: list[team.MemberView],
                 parent: QWidget | None = None, exercise: drills.ExerciseView | None = None,
                 incident_list: list[drills.ExerciseIncident] | None = None,
                 plan_list: list[plans.PlanView] | None = None,
                 buildings: list[tuple[str, str]] | None = None) -> None:
        QDialog.__init__(self, parent)
        self._setup(ctx, runner, "exercise_dialog", _("Drill or training"))
        from shequ_desktop.domain.roles import Permission
        from shequ_desktop.ui.emergency.files_box import FilesBox
        self.exercise = exercise
        self._plans, self._buildings = plan_list or [], buildings or []
        chief = ctx.may(Permission.EMERGENCY_ALL)
        self.kind_combo = combo(self, "exercise_kind_combo", [(k, labels.exercise_kind(k)) for k in e.EXERCISE_KINDS])
        self.date_edit = DateField(ctx.clock.now().astimezone(SHANGHAI).date(), self, objectName="held_on_edit",
                                   field="held_on")
        self.topic_edit = QLineEdit(self, objectName="topic_edit")
        self.exercise_hazard_combo = combo(self, "exercise_hazard_combo",
                                           [("", "—")] + [(p.hazard, p.name) for p in self._plans])
        self.exercise_hazard_combo.setProperty("user_data", True)    # the station's plan names
        self.place_edit = QLineEdit(self, objectName="exercise_place_edit")
        self.duration_spin = QSpinBox(self, objectName="duration_spin")
        self.duration_spin.setRange(0, 1440)
        self.duration_spin.setValue(90)
        self.duration_spin.setSuffix(" " + _("min"))
        self.findings_edit = QPlainTextEdit(self, objectName="findings_edit")
        self.findings_edit.setMaximumHeight(52)
        self.incident_combo = QComboBox(self, objectName="exercise_incident_combo")
        self.incident_combo.setProperty("user_data", True)          # incident numbers and titles
        self.incident_combo.addItem(_("(none)"), "")
        for inc in incident_list or []:
            if inc.linked_to is None or (exercise is not None and inc.linked_to == exercise.id):
                self._add_incident(inc.id, inc.incident_no, inc.title, inc.reported_at)
        if exercise is not None and exercise.incident_id:
            self.incident_combo.setCurrentIndex(max(0, self.incident_combo.findData(exercise.incident_id)))
        self.start_incident_button = QPushButton(_("Start exercise incident…"), self,
                                                 objectName="start_incident_button")
        self.start_incident_button.setVisible(bool(self._plans))
        self.start_incident_button.clicked.connect(lambda: self.start_incident())
        incident_box = QWidget(self)
        inc_row = QHBoxLayout(incident_box)
        inc_row.setContentsMargins(0, 0, 0, 0)
        inc_row.addWidget(self.incident_combo, 1)
        inc_row.addWidget(self.start_incident_button)
        self.files_box = FilesBox(ctx, runner, exercise.id if exercise else None, chief, self)
        self.files_box.failed.connect(self._files_failed)
        self.attendance_list = QListWidget(self, objectName="attendance_list")
        self.attendance_list.setProperty("data_role", int(ID_ROLE))
        self.attendance_list.setMaximumHeight(130)
        if exercise is None:
            for m in members:
                item = QListWidgetItem(m.name)
                item.setData(ID_ROLE, m.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if m.active else Qt.CheckState.Unchecked)
                self.attendance_list.addItem(item)
        self.row("kind", _("Kind"), self.kind_combo)
        self.row("held_on", _("Date"), self.date_edit)
        self.row("topic", _("Topic"), self.topic_edit)
        hazard_place = QWidget(self)
        hp = QHBoxLayout(hazard_place)
        hp.setContentsMargins(0, 0, 0, 0)
        hp.addWidget(self.exercise_hazard_combo)
        hp.addWidget(QLabel(_("Place"), self))
        hp.addWidget(self.place_edit, 1)
        self.row("hazard", _("Hazard"), hazard_place)
        self.row("duration", _("Duration"), self.duration_spin)
        self.row("findings", _("Findings"), self.findings_edit)
        self.row("incident", _("Exercise incident"), incident_box)
        self.row("attachments", _("Attached files"), self.files_box)
        self.row("attendance", _("Present (checked)"), self.attendance_list)
        self.may_link = chief               # the service checks it too (drills.link_incident)
        if exercise is not None:
            self._show_record(exercise)
        self.finish()
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._update_incident_field())
        self._update_incident_field()

    def incident_field_note(self) -> str:
        """Why the exercise-incident field cannot be changed here ("" when it can): a training has none, and only
        the chief changes a record's link."""
        if not self.may_link:
            return _("Only the station chief may change which exercise incident a record belongs to.")
        if self.kind_combo.currentData() != e.DRILL:
            return _("Only a drill runs through an exercise incident; a training has none.")
        return ""

    def _update_incident_field(self) -> None:
        why = self.incident_field_note()
        for w in (self.incident_combo, self.start_incident_button):
            w.setEnabled(not why)
            w.setToolTip(why)
        if why and self.may_link and self.exercise is None:     # a training being written keeps no incident
            self.incident_combo.setCurrentIndex(0)

    def _add_incident(self, iid: str, no: str, title: str, reported_at: dt.datetime) -> None:
        local = reported_at.astimezone(SHANGHAI)
        self.incident_combo.addItem(f"{no} · {title} · {local:%Y-%m-%d}", iid)

    def _show_record(self, x: drills.ExerciseView) -> None:
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(x.kind)))
        if x.hazard and self.exercise_hazard_combo.findData(x.hazard) < 0:
            self.exercise_hazard_combo.addItem(e.HAZARD_ZH.get(x.hazard, x.hazard), x.hazard)
        self.exercise_hazard_combo.setCurrentIndex(max(0, self.exercise_hazard_combo.findData(x.hazard)))
        self.place_edit.setText(x.place)
        self.place_edit.setReadOnly(True)
        self.exercise_hazard_combo.setEnabled(False)
        self.date_edit.setDate(x.held_on)
        self.topic_edit.setText(x.topic)
        self.duration_spin.setValue(x.duration_minutes)
        self.findings_edit.setPlainText(x.findings)
        for w in (self.kind_combo, self.date_edit, self.duration_spin):
            w.setEnabled(False)
        self.topic_edit.setReadOnly(True)
        self.findings_edit.setReadOnly(True)
        for w in (self.topic_edit, self.findings_edit, self.attendance_list):
            w.setProperty("user_data", True)
        if x.attachments:                 # an old record: only the names were kept
            self.files_box.note_label.setText(_("Named earlier but not stored: {names}").format(
                names="、".join(x.attachments)))
        ctx, xid = self._ctx, x.id
        self._runner.submit(lambda: drills.attendance(ctx, xid), self._show_attendance, self._on_failed)

    def _show_attendance(self, marks: list[tuple[str, bool]]) -> None:
        self.attendance_list.clear()
        for name, present in marks:
            item = QListWidgetItem(name)
            item.setCheckState(Qt.CheckState.Checked if present else Qt.CheckState.Unchecked)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)          # shown as recorded, not changed here
            self.attendance_list.addItem(item)

    def _files_failed(self, error: object) -> None:
        if isinstance(error, UserError):
            self.errors.clear()
            self.errors.show(error)
        else:
            self._on_failed(error)

    def start_incident(self) -> NewIncidentDialog:
        """A new incident flagged as an exercise; once opened it is chosen here."""
        dialog = NewIncidentDialog(self._ctx, self._runner, self._plans, self._buildings, self, exercise=True)
        if self.topic_edit.text().strip():
            dialog.title_edit.setText(self.topic_edit.text().strip())
        if self.exercise_hazard_combo.currentData():
            dialog.hazard_combo.setCurrentIndex(max(0, dialog.hazard_combo.findData(
                self.exercise_hazard_combo.currentData())))
        dialog.place_edit.setText(self.place_edit.text())
        dialog.exercise_check.setEnabled(False)

        def opened(view: object) -> None:
            self._add_incident(view.id, view.incident_no, view.title, view.reported_at)  # type: ignore[attr-defined]
            self.incident_combo.setCurrentIndex(self.incident_combo.count() - 1)
            self.incident_started.emit(view.id)  # type: ignore[attr-defined]
        dialog.done_with.connect(opened)
        dialog.open()
        self.incident_dialog_opened.emit(dialog)
        return dialog

    def work(self) -> Callable[[], Any]:
        ctx = self._ctx
        incident_id = self.incident_combo.currentData() or None
        if not self.may_link and self.exercise is not None:
            incident_id = self.exercise.incident_id         # a worker only looks: nothing to store
        if self.exercise is not None:
            x = self.exercise
            if incident_id == x.incident_id:
                return lambda: x
            return lambda: drills.link_incident(ctx, x.id, incident_id)
        held_on = self.date_edit.value()
        if held_on is None:
            raise UserError("Enter the date.", field="held_on")
        marks = tuple((self.attendance_list.item(i).data(ID_ROLE),
                       self.attendance_list.item(i).checkState() == Qt.CheckState.Checked)
                      for i in range(self.attendance_list.count()))
        data = drills.ExerciseInput(self.kind_combo.currentData(), held_on,
                                    self.topic_edit.text(), self.duration_spin.value(), marks,
                                    hazard=self.exercise_hazard_combo.currentData() or "",
                                    place=self.place_edit.text(),
                                    findings=self.findings_edit.toPlainText(), incident_id=incident_id,
                                    files=tuple(self.files_box.pending))
        return lambda: drills.record_exercise(ctx, data)


class PlanDialog(_FormParts, QDialog):
    """Edit a hazard plan: one step per line as 「step | role | minutes」, contacts as 「name | kind | phone」."""

    done_with = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, plan: plans.PlanView | None,
                 parent: QWidget | None = None) -> None:
        QDialog.__init__(self, parent)
        self._setup(ctx, runner, "plan_dialog", _("Hazard plan"))
        self._plan = plan
        self.name_edit = QLineEdit(self, objectName="plan_name_edit")
        self.steps_edit = QPlainTextEdit(self, objectName="plan_steps_edit")
        self.roles_edit = QPlainTextEdit(self, objectName="plan_roles_edit")
        self.contacts_edit = QPlainTextEdit(self, objectName="plan_contacts_edit")
        self.assembly_edit = QLineEdit(self, objectName="plan_assembly_edit")
        self.supplies_edit = QLineEdit(self, objectName="plan_supplies_edit")
        self.further_edit = QPlainTextEdit(self, objectName="plan_further_edit")
        self.further_edit.setPlaceholderText(_("One step per line, offered on the incident's timeline"))
        self.active_check = QCheckBox(_("Plan in use"), self, objectName="plan_active_check")
        for w, h in ((self.steps_edit, 130), (self.roles_edit, 80), (self.contacts_edit, 80),
                     (self.further_edit, 80)):
            w.setMaximumHeight(h)
        self.steps_edit.setPlaceholderText(_("One step per line: step | role | minutes"))
        self.contacts_edit.setPlaceholderText(_("One contact per line: name | kind | phone"))
        self.row("name", _("Hazard"), self.name_edit)
        self.row("steps", _("Steps"), self.steps_edit)
        self.row("roles", _("Roles"), self.roles_edit)
        self.row("contacts", _("Contacts"), self.contacts_edit)
        self.row("assembly_points", _("Assembly points"), self.assembly_edit)
        self.row("supplies", _("Supplies"), self.supplies_edit)
        self.row("further_steps", _("Further steps"), self.further_edit)
        self.form.addRow("", self.active_check)
        self.active_check.setChecked(True)
        self.further_edit.setPlainText("\n".join(e.FURTHER_STEPS))
        if plan is not None:
            self.name_edit.setText(plan.name)
            self.steps_edit.setPlainText("\n".join(f"{s.title} | {s.role} | {s.minutes}" for s in plan.steps))
            self.roles_edit.setPlainText("\n".join(f"{r} | {d}" for r, d in plan.roles))
            self.contacts_edit.setPlainText("\n".join(f"{c.name} | {c.role} | {c.phone}" for c in plan.contacts))
            self.assembly_edit.setText("；".join(plan.assembly_points))
            self.supplies_edit.setText("、".join(plan.supplies))
            self.further_edit.setPlainText("\n".join(plan.further_steps))
            self.active_check.setChecked(plan.active)
        self.finish()
        self.resize(620, 640)

    @staticmethod
    def _cells(text: str, n: int) -> list[list[str]]:
        out = []
        for line in text.splitlines():
            if line.strip():
                cells = [c.strip() for c in line.replace("｜", "|").split("|")]
                out.append((cells + [""] * n)[:n])
        return out

    def work(self) -> Callable[[], Any]:
        steps = []
        for title, role, minutes in self._cells(self.steps_edit.toPlainText(), 3):
            if minutes and not minutes.isdigit():
                raise UserError("Step {n}: the minutes must be between 0 and 10080.", field="steps",
                                n=len(steps) + 1)
            steps.append(plans.Step(title, role, int(minutes or 0)))
        split = lambda text: tuple(x.strip() for x in text.replace("；", "、").replace(";", "、").split("、")  # noqa: E731
                                   if x.strip())
        data = plans.PlanInput(self.name_edit.text(), tuple(steps),
                               tuple((r, d) for r, d in self._cells(self.roles_edit.toPlainText(), 2)),
                               tuple(plans.Contact(*c) for c in self._cells(self.contacts_edit.toPlainText(), 3)),
                               split(self.assembly_edit.text()), split(self.supplies_edit.text()),
                               self.active_check.isChecked(),
                               further_steps=tuple(x.strip() for x in self.further_edit.toPlainText().splitlines()
                                                   if x.strip()))
        ctx, plan = self._ctx, self._plan
        if plan is None:
            return lambda: plans.add_plan(ctx, data)
        return lambda: plans.update_plan(ctx, plan.id, data)
