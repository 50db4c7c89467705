"""我的今日: a social worker's day — who to call today, whom to visit this week, who is late — and recording a
contact in a few keystrokes (select a person, press 1/2/3 for the outcome, type a note, Enter)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QFormLayout,
                               QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QRadioButton, QSplitter, QTabBar, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.schedules import TaskState
from shequ_desktop.i18n import _, ngettext
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.special_groups import files, records, schedule
from shequ_desktop.services.special_groups.records import ContactInput, FollowUpInput
from shequ_desktop.services.special_groups.schedule import DueItem, MyDay
from shequ_desktop.ui.date_field import DateField
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.field_errors import FieldErrors
from shequ_desktop.ui.special_groups import labels as L
from shequ_desktop.ui.tasks import TaskRunner

ITEM_ROLE = Qt.ItemDataRole.UserRole
SECTIONS = ("all", "calls", "visits", "late", "other")
QUICK_NEEDS = ("medical", "meals", "cleaning", "repair", "rehab", "psych", "other")


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class MyDayPanel(QWidget):
    contact_recorded = Signal(str)        # the file id
    loaded = Signal(int)                  # number of items shown

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self._day: MyDay | None = None
        self._current: DueItem | None = None
        # --- top line
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("my_day_summary_label")
        self.worker_combo = QComboBox(self)
        self.worker_combo.setObjectName("worker_combo")
        self.worker_combo.setVisible(False)
        self.worker_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("refresh_button")
        self.refresh_button.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.worker_combo)
        top.addWidget(self.refresh_button)
        # --- sections and the list
        self.section_bar = QTabBar(self)
        self.section_bar.setObjectName("section_bar")
        for _s in SECTIONS:
            self.section_bar.addTab("")
        self.section_bar.currentChanged.connect(lambda _i: self._fill())
        self.task_list = QTreeWidget(self)
        self.task_list.setObjectName("task_list")
        self.task_list.setRootIsDecorated(False)
        self.task_list.setColumnCount(7)
        self.task_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.task_list.setAlternatingRowColors(True)
        for column, width in enumerate((80, 90, 70, 90, 250, 90)):
            self.task_list.setColumnWidth(column, width)
        self.task_list.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.task_list.currentItemChanged.connect(self._on_task_list_current_item_changed)
        self.task_list.installEventFilter(self)
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.section_bar)
        lv.addWidget(self.task_list)
        # --- the person and the record form
        self.record_group = QGroupBox(self)
        self.person_label = QLabel(self)
        self.person_label.setObjectName("person_label")
        self.person_label.setWordWrap(True)
        self.person_label.setTextFormat(Qt.TextFormat.RichText)
        self.phone_label = QLabel(self)
        self.phone_label.setObjectName("phone_label")
        self.phone_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reveal_button = QPushButton(self)
        self.reveal_button.setObjectName("reveal_phone_button")
        self.reveal_button.clicked.connect(self.reveal_phone)
        phone_row = QHBoxLayout()
        phone_row.addWidget(self.phone_label, 1)
        phone_row.addWidget(self.reveal_button)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("kind_combo")
        for code in ("call", "visit", "session", "other"):
            self.kind_combo.addItem("", code)
        self.outcome_group = QButtonGroup(self)
        self.outcome_buttons: dict[str, QRadioButton] = {}
        outcome_row = QHBoxLayout()
        for i, code in enumerate(("reached", "not_reached", "refused")):
            b = QRadioButton(self)
            b.setObjectName(f"outcome_{code}_radio")
            self.outcome_group.addButton(b, i)
            self.outcome_buttons[code] = b
            outcome_row.addWidget(b)
        self.date_edit = DateField(self)
        self.date_edit.setObjectName("contact_date_edit")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.notes_edit = QLineEdit(self)
        self.notes_edit.setObjectName("notes_edit")
        self.notes_edit.returnPressed.connect(self.save)
        self.need_boxes: dict[str, QCheckBox] = {}
        needs = QGridLayout()
        for i, code in enumerate(QUICK_NEEDS):
            box = QCheckBox(self)
            box.setObjectName(f"need_{code}_check")
            self.need_boxes[code] = box
            needs.addWidget(box, i // 4, i % 4)
        self.follow_due_edit = DateField(self)
        self.follow_due_edit.setObjectName("follow_up_due_edit")
        self.follow_due_edit.setCalendarPopup(True)
        self.follow_due_edit.setDisplayFormat("yyyy-MM-dd")
        self.work_order_check = QCheckBox(self)
        self.work_order_check.setObjectName("work_order_check")
        follow_row = QHBoxLayout()
        follow_row.addWidget(self.follow_due_edit)
        follow_row.addWidget(self.work_order_check, 1)
        self.next_check = QCheckBox(self)
        self.next_check.setObjectName("next_date_check")
        self.next_edit = DateField(self)
        self.next_edit.setObjectName("next_date_edit")
        self.next_edit.setCalendarPopup(True)
        self.next_edit.setDisplayFormat("yyyy-MM-dd")
        self.next_check.toggled.connect(self.next_edit.setEnabled)
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_check)
        next_row.addWidget(self.next_edit, 1)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("record_error_label")
        self.error_label.setStyleSheet(f"color: {L.RED};")
        self.error_label.setWordWrap(True)
        self.date_error = QLabel(self)
        self.date_error.setStyleSheet(f"color: {L.RED};")
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("save_contact_button")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.form = QFormLayout()
        self.form_captions = [QLabel(self) for _ in range(6)]
        self.form.addRow(self.form_captions[0], self.kind_combo)
        self.form.addRow(self.form_captions[1], outcome_row)
        self.form.addRow(self.form_captions[2], self.date_edit)
        self.form.addRow("", self.date_error)
        self.form.addRow(self.form_captions[3], self.notes_edit)
        self.form.addRow(self.form_captions[4], needs)
        self.form.addRow(self.form_captions[5], follow_row)
        self.form.addRow("", next_row)
        rv = QVBoxLayout(self.record_group)
        rv.addWidget(self.person_label)
        rv.addLayout(phone_row)
        rv.addLayout(self.form)
        rv.addWidget(self.error_label)
        rv.addWidget(self.save_button)
        rv.addStretch(1)
        self.errors = FieldErrors({"contact_on": self.date_error, "next_date": self.date_error,
                                   "follow_ups": self.date_error}, self.error_label)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.record_group)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([700, 420])
        from shequ_desktop.ui.oversight.complaint_alerts import complaints_banner
        self.banner = complaints_banner(self, ctx, runner)
        layout = QVBoxLayout(self)
        if self.banner is not None:
            layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        QShortcut(QKeySequence("Ctrl+S"), self, activated=self.save)
        self._reset_form()
        self._set_record_enabled(False)
        self.retranslate()

    # --- texts ------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.refresh_button.setText(_("Refresh"))
        self.task_list.setHeaderLabels([_("State"), _("Task"), _("Name"), _("Flags"), _("Address"),
                                        _("Last contact"), _("Phone")])
        self.record_group.setTitle(_("Record a contact"))
        self.reveal_button.setText(_("Show number"))
        for i, code in enumerate(("call", "visit", "session", "other")):
            self.kind_combo.setItemText(i, _(L.CONTACT[code]))
        for i, (code, b) in enumerate(self.outcome_buttons.items()):
            b.setText(f"&{i + 1} " + _(L.OUTCOME[code]))
        for code, box in self.need_boxes.items():
            box.setText(_(L.NEED[code]))
        self.work_order_check.setText(_("Work order to the responsible worker"))
        self.next_check.setText(_("Next contact on"))
        self.save_button.setText(_("Save (Enter)"))
        for label, text in zip(self.form_captions, (_("Contact"), _("Outcome"), _("Date"), _("Notes"),
                                                    _("Needs found"), _("Follow up by"))):
            label.setText(text)
        self._update_summary()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self._fill()
        super().changeEvent(event)

    # --- loading ----------------------------------------------------------------------------
    def set_workers(self, workers: list[tuple[str, str]]) -> None:
        """The chief may look at any worker's day."""
        self.worker_combo.blockSignals(True)
        self.worker_combo.clear()
        for login, name in workers:
            self.worker_combo.addItem(f"{name} ({login})", login)
        self.worker_combo.blockSignals(False)
        self.worker_combo.setVisible(bool(workers))

    def login(self) -> str:
        return self.worker_combo.currentData() or self._ctx.user.login

    def refresh(self) -> None:
        ctx, login = self._ctx, self.login()
        self._runner.submit(lambda: schedule.my_day(ctx, login), self._on_loaded, report_exception)
        if self.banner is not None:
            self.banner.refresh()

    def _on_loaded(self, day: MyDay) -> None:
        keep = self._current.file_id if self._current else None
        self._day = day
        self._update_summary()
        self._fill(keep)
        self.loaded.emit(self.task_list.topLevelItemCount())

    def _update_summary(self) -> None:
        d = self._day
        if d is None:
            self.summary_label.setText(_("Loading…"))
            return
        calls, visits = len(d.calls_today), len(d.visits_this_week)
        self.summary_label.setText(" · ".join((
            ngettext("{n} person in my care", "{n} people in my care", d.people).format(n=d.people),
            ngettext("{n} call today", "{n} calls today", calls).format(n=calls),
            ngettext("{n} visit this week", "{n} visits this week", visits).format(n=visits),
            _("{late} late").format(late=len(d.late)),
            ngettext("{n} follow-up due", "{n} follow-ups due", d.follow_ups_due).format(n=d.follow_ups_due))))
        counts = (len(d.items), len(d.calls_today), len(d.visits_this_week), len(d.late), len(d.other_due))
        titles = (_("All"), _("Call today"), _("Visit this week"), _("Late"), _("Other"))
        for i, (title, n) in enumerate(zip(titles, counts)):
            self.section_bar.setTabText(i, f"{title} ({n})")

    def _section_items(self) -> tuple[DueItem, ...]:
        d = self._day
        if d is None:
            return ()
        return {0: d.items, 1: d.calls_today, 2: d.visits_this_week, 3: d.late, 4: d.other_due}[
            max(0, self.section_bar.currentIndex())]

    def _fill(self, keep_file: str | None = None) -> None:
        self.task_list.clear()
        red = QBrush(QColor(L.RED))
        select = None
        for it in self._section_items():
            row = QTreeWidgetItem([
                L.state_text(it.state.value, it.days_late),
                _(L.TASK[it.kind]) + (f" {it.done}/{it.required}" if it.required > 1 else ""),
                it.name, L.flags_text(it.flags), f"{it.building} {it.unit}-{it.room}".strip() if it.building
                else it.address, it.last_contact_on.isoformat() if it.last_contact_on else "—", it.phone_masked])
            row.setData(0, ITEM_ROLE, it)
            if it.state is TaskState.OVERDUE:
                row.setForeground(0, red)
            self.task_list.addTopLevelItem(row)
            if keep_file and it.file_id == keep_file and select is None:
                select = row
        if select is None and self.task_list.topLevelItemCount():
            select = self.task_list.topLevelItem(0)
        if select is not None:
            self.task_list.setCurrentItem(select)
        else:
            self._show(None)

    # --- the selected person ----------------------------------------------------------------
    def _on_task_list_current_item_changed(self, item: QTreeWidgetItem | None, _prev: object) -> None:
        self._show(item.data(0, ITEM_ROLE) if item is not None else None)

    def _show(self, it: DueItem | None) -> None:
        self._current = it
        self._set_record_enabled(it is not None)
        if it is None:
            self.person_label.setText(_("Nobody needs you right now."))
            self.phone_label.clear()
            return
        due = _("due {date}").format(date=it.due.isoformat())
        last = (_("Last contact {date}: {notes}").format(date=it.last_contact_on.isoformat(), notes=it.last_notes)
                if it.last_contact_on else _("No contact recorded yet."))
        flags = L.flags_text(it.flags)
        self.person_label.setText(
            f"<b>{it.full_name}</b> · {_(L.GROUP[it.group])}"
            + (f" · <span style='color:{L.RED}'>{flags}</span>" if flags else "")
            + f"<br>{it.address}<br>{_(L.TASK[it.kind])} · {L.state_text(it.state.value, it.days_late)} · {due}"
            + f"<br><span style='color:#5f6b7a'>{last}</span>")
        self.person_label.setProperty("user_data_text", [it.full_name, it.address, it.last_notes or ""])
        self.phone_label.setText(_("Phone: {phone}").format(phone=it.phone_masked or "—"))
        # Nothing to reveal without a number on file (and no audit entry for revealing nothing).
        self.reveal_button.setEnabled(bool(it.phone_masked))
        self._reset_form(L.CONTACT_FOR_TASK.get(it.kind, "call"))

    def _set_record_enabled(self, enabled: bool) -> None:
        for w in (self.kind_combo, self.date_edit, self.notes_edit, self.save_button, self.reveal_button,
                  *self.outcome_buttons.values(), *self.need_boxes.values(), self.work_order_check,
                  self.follow_due_edit, self.next_check):
            w.setEnabled(enabled)
        self.next_edit.setEnabled(enabled and self.next_check.isChecked())

    def _reset_form(self, kind: str = "call") -> None:
        today = local_today(self._ctx.clock)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(kind)))
        self.outcome_group.setExclusive(False)
        for b in self.outcome_buttons.values():
            b.setChecked(False)
        self.outcome_group.setExclusive(True)
        self.date_edit.setDate(_qdate(today))
        self.notes_edit.clear()
        for box in self.need_boxes.values():
            box.setChecked(False)
        self.follow_due_edit.setDate(_qdate(today + dt.timedelta(days=3)))
        self.work_order_check.setChecked(False)
        self.next_check.setChecked(False)
        self.next_edit.setDate(_qdate(today + dt.timedelta(days=7)))
        self.errors.clear()

    # --- keystrokes: 1/2/3 set the outcome and jump to the notes --------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.task_list and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            keys = {Qt.Key.Key_1: "reached", Qt.Key.Key_2: "not_reached", Qt.Key.Key_3: "refused"}
            if event.key() in keys and self._current is not None:
                self.set_outcome(keys[Qt.Key(event.key())])
                self.notes_edit.setFocus()
                return True
        return super().eventFilter(watched, event)

    def set_outcome(self, code: str) -> None:
        self.outcome_buttons[code].setChecked(True)

    def outcome(self) -> str | None:
        for code, b in self.outcome_buttons.items():
            if b.isChecked():
                return code
        return None

    # --- actions ----------------------------------------------------------------------------
    def contact_input(self) -> ContactInput:
        it = self._current
        assert it is not None
        outcome = self.outcome()
        if outcome is None:
            raise UserError("Choose the outcome.", field="outcome")
        needs = tuple(code for code, box in self.need_boxes.items() if box.isChecked())
        due = _pydate(self.follow_due_edit.date())
        follow = tuple(FollowUpInput(n, due, self.notes_edit.text(), self.work_order_check.isChecked())
                       for n in needs)
        return ContactInput(it.file_id, self.kind_combo.currentData(), outcome, _pydate(self.date_edit.date()),
                            self.notes_edit.text(), needs, _pydate(self.next_edit.date())
                            if self.next_check.isChecked() else None, follow_ups=follow)

    def save(self) -> None:
        if self._current is None:
            return
        self.errors.clear()
        try:
            inp = self.contact_input()
        except UserError as e:
            self.errors.show(e)
            return
        ctx = self._ctx
        self.save_button.setEnabled(False)
        self._runner.submit(lambda: records.record_contact(ctx, inp), self._on_saved, self._on_save_failed)

    def _on_saved(self, view: records.ContactView) -> None:
        self.save_button.setEnabled(True)
        if self._current is not None:
            self.contact_recorded.emit(self._current.file_id)
        self._advance()
        self.refresh()

    def _advance(self) -> None:
        """After saving, the next person in the list is selected (the saved one usually leaves the list)."""
        row = self.task_list.indexOfTopLevelItem(self.task_list.currentItem())
        nxt = self.task_list.topLevelItem(row + 1)
        self._current = nxt.data(0, ITEM_ROLE) if nxt is not None else None

    def _on_save_failed(self, error: object) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, UserError):
            self.errors.show(error)
        else:
            report_exception(error, self)

    def reveal_phone(self) -> None:
        it = self._current
        if it is None or not it.phone_masked:
            return
        ctx = self._ctx
        self._runner.submit(lambda: files.reveal(ctx, it.file_id, "phone", files.MSG_PURPOSE_MY_DAY),
                            lambda phone: self.phone_label.setText(_("Phone: {phone}").format(phone=phone or "—")),
                            report_exception)

    def visible_items(self) -> list[DueItem]:
        return [self.task_list.topLevelItem(i).data(0, ITEM_ROLE) for i in range(self.task_list.topLevelItemCount())]
