"""Opening a file (elderly, disabled with the certificate number, child with the kind of difficulty, guardian and
support team) and editing a 1+1+N roster (worker or volunteer change keeping the history, family contacts)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import _
from shequ_desktop.services import residents
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.special_groups import files, rosters
from shequ_desktop.services.special_groups.files import FileInput
from shequ_desktop.services.special_groups.rosters import MemberInput, RosterView, StaffChoice, VolunteerChoice
from shequ_desktop.ui.date_field import DateField
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.field_errors import FieldErrors
from shequ_desktop.ui.special_groups import labels as L
from shequ_desktop.ui.tasks import TaskRunner

GROUPS = ("elderly", "disabled", "child")
CHILD_KINDS = ("orphan", "no_care", "poverty", "disabled", "left_behind", "other")
FLAGS = ("alone", "dependent", "empty_nest", "severe", "low_income", "high_risk")
ITEM_ROLE = Qt.ItemDataRole.UserRole


def error_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setStyleSheet(f"color: {L.RED};")
    label.setWordWrap(True)
    return label


def date_edit(parent: QWidget, name: str, day: dt.date) -> DateField:
    return DateField(day, parent, objectName=name)


def pydate(edit: DateField) -> dt.date:
    """The typed date; a text that is no date is said next to the field (and raised for the form's errors)."""
    day = edit.value()
    if day is None:
        raise UserError("Enter a date.")
    return day


def staff_combo(parent: QWidget, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setProperty("user_data", True)       # names of people
    return combo


def fill_staff(combo: QComboBox, staff: list[StaffChoice], current: str) -> None:
    combo.clear()
    for s in staff:
        combo.addItem(f"{s.name} ({s.login})", s.login)
    combo.setCurrentIndex(max(0, combo.findData(current)))


def volunteer_combo(parent: QWidget, name: str) -> QComboBox:
    """An editable picker: a known volunteer (name · masked phone), or a new name typed in."""
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.setProperty("user_data", True)
    return combo


def fill_volunteers(combo: QComboBox, volunteers: list[VolunteerChoice]) -> None:
    combo.clear()
    combo.addItem("", None)
    for v in volunteers:
        combo.addItem(f"{v.name} · {v.phone_masked}", v)


def picked_volunteer(combo: QComboBox) -> tuple[str, str]:
    """(name, phone) of the chosen volunteer; a typed name keeps the phone field's number."""
    data = combo.currentData()
    text = combo.currentText().strip()
    if isinstance(data, VolunteerChoice) and text == combo.itemText(combo.currentIndex()):
        return data.name, data.phone
    return text.split(" · ")[0], ""


class OpenFileDialog(QDialog):
    """Open a special-group file for a registered resident, with the roster the group needs."""

    opened = Signal(str)              # the new file's id

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None,
                 group: str = "elderly") -> None:
        super().__init__(parent)
        self.setObjectName("open_file_dialog")
        self._ctx, self._runner = ctx, runner
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("resident_search_edit")
        self.search_edit.returnPressed.connect(self.search)
        self.search_button = QPushButton(self)
        self.search_button.setObjectName("resident_search_button")
        self.search_button.clicked.connect(self.search)
        self.resident_combo = QComboBox(self)
        self.resident_combo.setObjectName("resident_combo")
        self.resident_combo.setProperty("user_data", True)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.search_button)
        self.group_combo = QComboBox(self)
        self.group_combo.setObjectName("group_combo")
        for code in GROUPS:
            self.group_combo.addItem("", code)
        self.cert_edit = QLineEdit(self)
        self.cert_edit.setObjectName("disability_cert_edit")
        self.cert_edit.setMaxLength(20)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("child_kind_combo")
        self.kind_combo.addItem("", None)
        for code in CHILD_KINDS:
            self.kind_combo.addItem("", code)
        self.flag_boxes: dict[str, QCheckBox] = {}
        flags = QGridLayout()
        for i, code in enumerate(FLAGS):
            box = QCheckBox(self)
            box.setObjectName(f"flag_{code}_check")
            self.flag_boxes[code] = box
            flags.addWidget(box, i // 3, i % 3)
        self.worker_combo = staff_combo(self, "worker_login_combo")
        self.volunteer_combo = volunteer_combo(self, "volunteer_combo")
        self.volunteer_phone_edit = QLineEdit(self)
        self.volunteer_phone_edit.setObjectName("volunteer_phone_edit")
        self.teacher_edit = QLineEdit(self)
        self.teacher_edit.setObjectName("teacher_edit")
        self.psychologist_edit = QLineEdit(self)
        self.psychologist_edit.setObjectName("psychologist_edit")
        self.guardian_edit = QLineEdit(self)
        self.guardian_edit.setObjectName("guardian_name_edit")
        self.guardian_relation_edit = QLineEdit(self)
        self.guardian_relation_edit.setObjectName("guardian_relation_edit")
        self.guardian_phone_edit = QLineEdit(self)
        self.guardian_phone_edit.setObjectName("guardian_phone_edit")
        guardian_row = QHBoxLayout()
        for w, stretch in ((self.guardian_edit, 2), (self.guardian_relation_edit, 1), (self.guardian_phone_edit, 2)):
            guardian_row.addWidget(w, stretch)
        self.errors_by_field = {k: error_label(self, f"{k}_error_label") for k in (
            "resident", "group", "disability_cert", "child_kind", "members")}
        self.error_label = error_label(self, "open_file_error_label")
        self.form = QFormLayout()
        self.captions = {k: QLabel(self) for k in ("resident", "group", "cert", "kind", "flags", "worker",
                                                   "volunteer", "volunteer_phone", "teacher", "psychologist",
                                                   "guardian")}
        self.form.addRow(self.captions["resident"], search_row)
        self.form.addRow("", self.resident_combo)
        self.form.addRow("", self.errors_by_field["resident"])
        self.form.addRow(self.captions["group"], self.group_combo)
        self.form.addRow("", self.errors_by_field["group"])
        self.form.addRow(self.captions["cert"], self.cert_edit)
        self.form.addRow("", self.errors_by_field["disability_cert"])
        self.form.addRow(self.captions["kind"], self.kind_combo)
        self.form.addRow("", self.errors_by_field["child_kind"])
        self.form.addRow(self.captions["flags"], flags)
        self.form.addRow(self.captions["worker"], self.worker_combo)
        self.form.addRow(self.captions["volunteer"], self.volunteer_combo)
        self.form.addRow(self.captions["volunteer_phone"], self.volunteer_phone_edit)
        self.form.addRow(self.captions["teacher"], self.teacher_edit)
        self.form.addRow(self.captions["psychologist"], self.psychologist_edit)
        self.form.addRow(self.captions["guardian"], guardian_row)
        self.form.addRow("", self.errors_by_field["members"])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("open_file_ok_button")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.errors = FieldErrors({**self.errors_by_field, "name": self.errors_by_field["members"],
                                   "relation": self.errors_by_field["members"],
                                   "login": self.errors_by_field["members"]}, self.error_label)
        self.group_combo.currentIndexChanged.connect(lambda _i: self._show_group_fields())
        self.volunteer_combo.currentIndexChanged.connect(lambda _i: self.volunteer_phone_edit.clear())
        self.group_combo.setCurrentIndex(max(0, self.group_combo.findData(group)))
        self.retranslate()
        self._show_group_fields()
        ctx = self._ctx
        runner.submit(lambda: (rosters.staff_choices(ctx), rosters.known_volunteers(ctx)), self._on_choices,
                      report_exception)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Open a special-group file"))
        self.search_edit.setPlaceholderText(_("Name or ID number"))
        self.search_button.setText(_("Search"))
        for i, code in enumerate(GROUPS):
            self.group_combo.setItemText(i, _(L.GROUP[code]))
        self.kind_combo.setItemText(0, _("Choose…"))
        for i, code in enumerate(CHILD_KINDS, start=1):
            self.kind_combo.setItemText(i, _(L.CHILD_KIND[code]))
        for code, box in self.flag_boxes.items():
            box.setText(_(L.FLAG[code]))
        self.cert_edit.setPlaceholderText(_("ID number + category (1–7) + grade (1–4), 20 characters"))
        self.guardian_edit.setPlaceholderText(_("Name"))
        self.guardian_relation_edit.setPlaceholderText(_("Relation"))
        self.guardian_phone_edit.setPlaceholderText(_("Phone"))
        self.volunteer_phone_edit.setPlaceholderText(_("For a volunteer not in the list"))
        texts = {"resident": _("Resident"), "group": _("Group"), "cert": _("Disability certificate"),
                 "kind": _("Kind of difficulty"), "flags": _("Flags"), "worker": _("Social worker"),
                 "volunteer": _("Volunteer"), "volunteer_phone": _("Volunteer's phone"), "teacher": _("Teacher"),
                 "psychologist": _("Psychologist"), "guardian": _("Guardian")}
        for key, label in self.captions.items():
            label.setText(texts[key])
        self.ok_button.setText(_("Open file"))
        self._show_group_fields()

    def group(self) -> str:
        return str(self.group_combo.currentData())

    def _show_group_fields(self) -> None:
        group = self.group()
        self.captions["worker"].setText(_("Rehabilitation coordinator") if group == "disabled" else _("Social worker"))
        shown = {"cert": group == "disabled", "kind": group == "child", "volunteer": group == "elderly",
                 "volunteer_phone": group == "elderly", "teacher": group == "child",
                 "psychologist": group == "child", "guardian": group == "child"}
        for key, visible in shown.items():
            self.form.setRowVisible(self.captions[key], visible)

    def _on_choices(self, data: tuple[list[StaffChoice], list[VolunteerChoice]]) -> None:
        staff, volunteers = data
        fill_staff(self.worker_combo, staff, self._ctx.user.login)
        fill_volunteers(self.volunteer_combo, volunteers)

    def search(self) -> None:
        ctx, query = self._ctx, self.search_edit.text().strip()
        if not query:
            return
        self._runner.submit(lambda: residents.search(ctx, query, 0, 30), self._on_found, report_exception)

    def _on_found(self, rows: list[residents.ResidentRow]) -> None:
        self.resident_combo.clear()
        for r in rows:
            self.resident_combo.addItem(f"{r.name} · {r.sex} {r.age} · {r.id_masked} · {r.address}", r.id)
        self.errors.set("resident", "" if rows else _("No resident found."))

    def set_resident(self, resident_id: str, text: str) -> None:
        self.resident_combo.clear()
        self.resident_combo.addItem(text, resident_id)

    def file_input(self) -> tuple[FileInput, tuple[MemberInput, ...]]:
        rid = self.resident_combo.currentData()
        if not rid:
            raise UserError("Search for the resident and choose them.", field="resident")
        group = self.group()
        flags = tuple(c for c, b in self.flag_boxes.items() if b.isChecked())
        inp = FileInput(rid, group, flags=flags, disability_cert=self.cert_edit.text().strip(),
                        child_kind=self.kind_combo.currentData() if group == "child" else None)
        staff = self.worker_combo.currentData() or self._ctx.user.login
        members: list[MemberInput] = [MemberInput("coordinator" if group == "disabled" else "worker", login=staff)]
        if group == "elderly":
            name, phone = picked_volunteer(self.volunteer_combo)
            members.append(MemberInput("volunteer", name=name, phone=phone or self.volunteer_phone_edit.text()))
        if group == "child":
            members += [MemberInput("teacher", name=self.teacher_edit.text()),
                        MemberInput("psychologist", name=self.psychologist_edit.text())]
            if self.guardian_edit.text().strip():
                members.append(MemberInput("guardian", name=self.guardian_edit.text(),
                                           relation=self.guardian_relation_edit.text(),
                                           phone=self.guardian_phone_edit.text()))
        return inp, tuple(members)

    def save(self) -> None:
        self.errors.clear()
        try:
            inp, members = self.file_input()
        except UserError as e:
            self.errors.show(e)
            return
        ctx = self._ctx
        self.ok_button.setEnabled(False)
        self._runner.submit(lambda: rosters.open_with_roster(ctx, inp, members), self._on_saved, self._on_failed)

    def _on_saved(self, file_id: str) -> None:
        self.ok_button.setEnabled(True)
        self.opened.emit(file_id)
        self.accept()

    def _on_failed(self, error: object) -> None:
        self.ok_button.setEnabled(True)
        if isinstance(error, UserError):
            self.errors.show(error)
        else:
            report_exception(error, self)


ROSTER_ROLES = {"elderly": ("worker", "volunteer", "family"), "disabled": ("coordinator", "worker", "family"),
                "child": ("worker", "teacher", "psychologist", "guardian", "family")}
STAFF_ROLES = ("worker", "coordinator")
FAMILY_ROLES = ("family", "guardian")


class RosterDialog(QDialog):
    """A file's 1+1+N roster: active members and their history; add, replace (the old one keeps its dates) or end
    a member; family contacts with relation and phone."""

    changed = Signal(str)             # the file id

    def __init__(self, ctx: AppContext, runner: TaskRunner, file_id: str, group: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roster_dialog")
        self._ctx, self._runner, self.file_id, self.group = ctx, runner, file_id, group
        self.view: RosterView | None = None
        self.problems_label = error_label(self, "roster_problems_label")
        self.members = QTreeWidget(self)
        self.members.setObjectName("roster_members")
        self.members.setRootIsDecorated(False)
        self.members.setColumnCount(5)
        for c, w in enumerate((110, 110, 70, 110)):
            self.members.setColumnWidth(c, w)
        self.end_button = QPushButton(self)
        self.end_button.setObjectName("end_member_button")
        self.end_button.clicked.connect(self.end_selected)
        self.role_combo = QComboBox(self)
        self.role_combo.setObjectName("role_combo")
        for code in ROSTER_ROLES.get(group, ROSTER_ROLES["elderly"]):
            self.role_combo.addItem("", code)
        self.staff_combo = staff_combo(self, "staff_combo")
        self.volunteer_combo = volunteer_combo(self, "roster_volunteer_combo")
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("member_name_edit")
        self.relation_edit = QLineEdit(self)
        self.relation_edit.setObjectName("relation_edit")
        self.phone_edit = QLineEdit(self)
        self.phone_edit.setObjectName("member_phone_edit")
        self.from_edit = date_edit(self, "active_from_edit", local_today(ctx.clock))
        self.replace_check = QCheckBox(self)
        self.replace_check.setObjectName("replace_check")
        self.add_button = QPushButton(self)
        self.add_button.setObjectName("add_member_button")
        self.add_button.clicked.connect(self.add)
        self.field_errors = {k: error_label(self, f"member_{k}_error_label")
                             for k in ("role", "name", "relation", "active_from")}
        self.error_label = error_label(self, "roster_error_label")
        self.form = QFormLayout()
        self.captions = {k: QLabel(self) for k in ("role", "staff", "volunteer", "name", "relation", "phone", "from")}
        self.form.addRow(self.captions["role"], self.role_combo)
        self.form.addRow("", self.field_errors["role"])
        self.form.addRow(self.captions["staff"], self.staff_combo)
        self.form.addRow(self.captions["volunteer"], self.volunteer_combo)
        self.form.addRow(self.captions["name"], self.name_edit)
        self.form.addRow("", self.field_errors["name"])
        self.form.addRow(self.captions["relation"], self.relation_edit)
        self.form.addRow("", self.field_errors["relation"])
        self.form.addRow(self.captions["phone"], self.phone_edit)
        self.form.addRow(self.captions["from"], self.from_edit)
        self.form.addRow("", self.field_errors["active_from"])
        self.form.addRow("", self.replace_check)
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_box.rejected.connect(self.reject)
        member_buttons = QHBoxLayout()
        member_buttons.addStretch(1)
        member_buttons.addWidget(self.end_button)
        add_row = QHBoxLayout()
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.members, 1)
        layout.addLayout(member_buttons)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addLayout(add_row)
        layout.addWidget(self.close_box)
        self.errors = FieldErrors({**self.field_errors, "login": self.field_errors["name"]}, self.error_label)
        self.role_combo.currentIndexChanged.connect(lambda _i: self._show_role_fields())
        self.volunteer_combo.currentIndexChanged.connect(self._on_volunteer_combo_current_index_changed)
        self.resize(760, 640)
        self.retranslate()
        self._show_role_fields()
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Roster"))
        self.members.setHeaderLabels([_("Role"), _("Name"), _("Relation"), _("Phone"), _("Active")])
        self.end_button.setText(_("End the selected member"))
        for i in range(self.role_combo.count()):
            self.role_combo.setItemText(i, _(L.ROLE[self.role_combo.itemData(i)]))
        texts = {"role": _("Role"), "staff": _("Login"), "volunteer": _("Known volunteers"), "name": _("Name"),
                 "relation": _("Relation"), "phone": _("Phone"), "from": _("From")}
        for key, label in self.captions.items():
            label.setText(texts[key])
        self.relation_edit.setPlaceholderText(_("Son, daughter, spouse …"))
        self.replace_check.setText(_("Replace the current member (they stay in the history)"))
        self.add_button.setText(_("Add to the roster"))

    def role(self) -> str:
        return str(self.role_combo.currentData())

    def _show_role_fields(self) -> None:
        role = self.role()
        staff, family = role in STAFF_ROLES, role in FAMILY_ROLES
        self.form.setRowVisible(self.captions["staff"], staff)
        self.form.setRowVisible(self.captions["volunteer"], role == "volunteer")
        self.form.setRowVisible(self.captions["name"], not staff)
        self.form.setRowVisible(self.captions["relation"], family)
        self.form.setRowVisible(self.captions["phone"], not staff)
        self.form.setRowVisible(self.replace_check, role not in FAMILY_ROLES)

    def _on_volunteer_combo_current_index_changed(self, _index: int) -> None:
        data = self.volunteer_combo.currentData()
        if isinstance(data, VolunteerChoice):
            self.name_edit.setText(data.name)
            self.phone_edit.clear()
            self.phone_edit.setPlaceholderText(data.phone_masked)

    def reload(self) -> None:
        ctx, fid = self._ctx, self.file_id
        self._runner.submit(lambda: (rosters.roster(ctx, fid), rosters.staff_choices(ctx),
                                     rosters.known_volunteers(ctx)), self._on_loaded, report_exception)

    def _on_loaded(self, data: tuple[RosterView, list[StaffChoice], list[VolunteerChoice]]) -> None:
        view, staff, volunteers = data
        self.view = view
        fill_staff(self.staff_combo, staff, self._ctx.user.login)
        fill_volunteers(self.volunteer_combo, volunteers)
        self._fill()

    def _fill(self) -> None:
        view = self.view
        if view is None:
            return
        self.members.clear()
        for m in view.members:
            until = _("now") if m.active else m.active_to.isoformat() if m.active_to else ""
            item = QTreeWidgetItem([_(L.ROLE[m.role]), m.name + (f" ({m.login})" if m.login else ""), m.relation,
                                    m.phone_masked, f"{m.active_from.isoformat()} – {until}"])
            item.setData(0, ITEM_ROLE, m)
            if not m.active:
                for c in range(5):
                    item.setForeground(c, Qt.GlobalColor.gray)
            self.members.addTopLevelItem(item)
        self.members.setProperty("user_data_text", [m.name for m in view.members] + [m.relation for m in view.members])
        problems = [_(L.ROLE[p.split(":")[1]]) + (" ×2" if p.startswith("dup") else "") for p in view.problems]
        self.problems_label.setText(_("Roster incomplete") + ": " + L.join(problems) if problems else "")
        self.problems_label.setVisible(bool(problems))

    def member_input(self) -> tuple[MemberInput, dt.date, bool]:
        role = self.role()
        if role in STAFF_ROLES:
            m = MemberInput(role, login=self.staff_combo.currentData() or "")
        else:
            name, phone = self.name_edit.text(), self.phone_edit.text()
            data = self.volunteer_combo.currentData()
            if role == "volunteer" and isinstance(data, VolunteerChoice) and name.strip() == data.name and not phone:
                phone = data.phone
            m = MemberInput(role, name=name, phone=phone, relation=self.relation_edit.text())
        return m, pydate(self.from_edit), self.replace_check.isChecked() and role not in FAMILY_ROLES

    def add(self) -> None:
        self.errors.clear()
        try:
            m, on, replace = self.member_input()
        except UserError as e:
            self.errors.show(e)
            return
        ctx, fid = self._ctx, self.file_id
        self.add_button.setEnabled(False)
        self._runner.submit(lambda: rosters.add_member(ctx, fid, m.role, name=m.name, login=m.login, phone=m.phone,
                                                       relation=m.relation, on=on, replace=replace),
                            self._on_changed, self._on_failed)

    def end_selected(self) -> None:
        item = self.members.currentItem()
        if item is None:
            return
        member = item.data(0, ITEM_ROLE)
        try:
            ctx, on = self._ctx, pydate(self.from_edit)
        except UserError as e:
            self.errors.show(e)
            return
        self._runner.submit(lambda: rosters.end_member(ctx, member.id, on), self._on_changed, self._on_failed)

    def _on_changed(self, view: RosterView) -> None:
        self.add_button.setEnabled(True)
        self.view = view
        self.name_edit.clear()
        self.phone_edit.clear()
        self.relation_edit.clear()
        self.replace_check.setChecked(False)
        self._fill()
        self.changed.emit(self.file_id)

    def _on_failed(self, error: object) -> None:
        self.add_button.setEnabled(True)
        if isinstance(error, UserError):
            self.errors.show(error)
        else:
            report_exception(error, self)
