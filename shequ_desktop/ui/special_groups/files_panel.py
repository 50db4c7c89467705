"""档案: the files one may see (masked), and for the selected file its roster, history and tasks; close, reopen,
sign off the quarterly review, print the review worksheet, reveal health data (audited)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit,
                               QPushButton, QSplitter, QTextBrowser, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from shequ_desktop.domain.schedules import Task, TaskState
from shequ_desktop.i18n import _
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.special_groups import files, records, rosters, schedule
from shequ_desktop.services.special_groups.files import FileDetail, FileRow
from shequ_desktop.services.special_groups.rosters import RosterView
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.special_groups import labels as L
from shequ_desktop.ui.tasks import TaskRunner

ROW_ROLE = Qt.ItemDataRole.UserRole
CLOSE_REASONS = ("moved", "deceased", "ineligible", "other")


@dataclass(frozen=True)
class FileBundle:
    detail: FileDetail
    roster: RosterView
    tasks: tuple[Task, ...]


def _bundle(ctx: AppContext, file_id: str) -> FileBundle:
    return FileBundle(files.get(ctx, file_id), rosters.roster(ctx, file_id),
                      tuple(schedule.file_tasks(ctx, file_id)))


class FilesPanel(QWidget):
    file_changed = Signal(str)
    printed = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self._rows: list[FileRow] = []
        self._bundle: FileBundle | None = None
        self.group_combo = QComboBox(self)
        self.group_combo.setObjectName("group_combo")
        for code in ("", "elderly", "disabled", "child"):
            self.group_combo.addItem("", code)
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("file_search_edit")
        self.closed_check = QCheckBox(self)
        self.closed_check.setObjectName("include_closed_check")
        for signal in (self.group_combo.currentIndexChanged, self.closed_check.toggled):
            signal.connect(lambda *_a: self.refresh())
        self.search_edit.returnPressed.connect(self.refresh)
        self.proposals_button = QPushButton(self)
        self.proposals_button.setObjectName("proposals_button")
        self.proposals_button.clicked.connect(self.show_proposals)
        top = QHBoxLayout()
        top.addWidget(self.group_combo)
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.closed_check)
        top.addWidget(self.proposals_button)
        self.file_list = QTreeWidget(self)
        self.file_list.setObjectName("file_list")
        self.file_list.setRootIsDecorated(False)
        self.file_list.setColumnCount(6)
        for c, w in enumerate((70, 90, 90, 160, 80)):
            self.file_list.setColumnWidth(c, w)
        self.file_list.header().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.file_list.currentItemChanged.connect(self._on_file_list_current_item_changed)
        left = QWidget(self)
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(top)
        lv.addWidget(self.file_list, 1)
        self.detail = QTextBrowser(self)
        self.detail.setObjectName("file_detail")
        self.health_button = QPushButton(self)
        self.health_button.setObjectName("reveal_health_button")
        self.health_button.clicked.connect(self.reveal_health)
        self.review_button = QPushButton(self)
        self.review_button.setObjectName("sign_off_review_button")
        self.review_button.clicked.connect(self.sign_off_review)
        self.print_review_button = QPushButton(self)
        self.print_review_button.setObjectName("print_review_button")
        self.print_review_button.clicked.connect(self.print_review)
        self.close_button = QPushButton(self)
        self.close_button.setObjectName("close_file_button")
        self.close_button.clicked.connect(self.close_file)
        buttons = QHBoxLayout()
        for b in (self.health_button, self.review_button, self.print_review_button, self.close_button):
            buttons.addWidget(b)
        # the file's records and roster, each in its own dialog (services check §7 access on every call)
        self.record_buttons: dict[str, QPushButton] = {}
        records_row = QHBoxLayout()
        for key, slot in (("roster", self.open_roster), ("contacts", self.open_contacts),
                          ("assessment", self.open_assessment), ("package", self.open_package),
                          ("survey", self.open_survey)):
            b = QPushButton(self)
            b.setObjectName(f"{key}_button")
            b.clicked.connect(lambda _c=False, slot=slot: slot())
            self.record_buttons[key] = b
            records_row.addWidget(b)
        self.new_file_button = QPushButton(self)
        self.new_file_button.setObjectName("new_file_button")
        self.new_file_button.clicked.connect(lambda: self.open_new_file())
        top.addWidget(self.new_file_button)
        right = QWidget(self)
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.detail, 1)
        rv.addLayout(records_row)
        rv.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([620, 520])
        QVBoxLayout(self).addWidget(split)
        self._enable(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.group_combo.setItemText(0, _("All groups"))
        for i, code in enumerate(("elderly", "disabled", "child"), start=1):
            self.group_combo.setItemText(i, _(L.GROUP[code]))
        self.search_edit.setPlaceholderText(_("Name or address"))
        self.closed_check.setText(_("Closed files too"))
        self.proposals_button.setText(_("Turned 60…"))
        self.file_list.setHeaderLabels([_("Name"), _("Group"), _("Flags"), _("Worker"), _("Roster"), _("Address")])
        self.health_button.setText(_("Show health data"))
        self.review_button.setText(_("Sign off review…"))
        self.print_review_button.setText(_("Print review worksheet"))
        self.new_file_button.setText(_("New file…"))
        for key, text in (("roster", _("Roster…")), ("contacts", _("Contacts…")), ("assessment", _("Assessment…")),
                          ("package", _("Service package…")), ("survey", _("Survey…"))):
            self.record_buttons[key].setText(text)
        self._update_close_button()
        self._fill()
        self._show_bundle()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _enable(self, on: bool) -> None:
        for b in (self.health_button, self.review_button, self.print_review_button, self.close_button,
                  *self.record_buttons.values()):
            b.setEnabled(on)

    def refresh(self) -> None:
        ctx = self._ctx
        group, query, closed = self.group_combo.currentData() or None, self.search_edit.text(), \
            self.closed_check.isChecked()
        self._runner.submit(lambda: files.list_files(ctx, group, None, query, closed), self._on_loaded,
                            report_exception)

    def _on_loaded(self, rows: list[FileRow]) -> None:
        self._rows = rows
        self._fill()

    def _fill(self) -> None:
        self.file_list.clear()
        for r in self._rows:
            roster = _("complete") if not r.roster_problems else _("incomplete")
            item = QTreeWidgetItem([r.name, _(L.GROUP[r.group]), L.flags_text(r.flags),
                                    f"{r.worker_name} ({r.worker_login})" if r.worker_login else "—",
                                    roster if r.status == "open" else _("closed"), f"{r.building} {r.address}"])
            item.setData(0, ROW_ROLE, r.id)
            if r.roster_problems or r.review_requested:
                item.setForeground(4, Qt.GlobalColor.red)
            self.file_list.addTopLevelItem(item)

    def _on_file_list_current_item_changed(self, item: QTreeWidgetItem | None, _prev: object) -> None:
        if item is None:
            return
        self.load_file(item.data(0, ROW_ROLE))

    def load_file(self, file_id: str) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: _bundle(ctx, file_id), self._on_bundle, report_exception)

    def _on_bundle(self, bundle: FileBundle) -> None:
        self._bundle = bundle
        self._enable(True)
        self._update_close_button()
        self._show_bundle()

    def _update_close_button(self) -> None:
        closed = self._bundle is not None and self._bundle.detail.status == "closed"
        self.close_button.setText(_("Reopen") if closed else _("Close file…"))

    def _show_bundle(self) -> None:
        b = self._bundle
        if b is None:
            self.detail.setHtml("<p>" + _("Choose a file.") + "</p>")
            return
        d = b.detail
        red = L.RED
        # the words are translated outside the f-strings: the catalog extractor does not look inside them
        w = {"id": _("ID"), "phone": _("Phone"), "needs": _("Needs"), "roster_incomplete": _("Roster incomplete"),
             "roster": _("Roster"), "tasks": _("Tasks"), "history": _("History")}
        parts = [f"<h3>{d.name} · {_(L.GROUP[d.group])} · {d.sex_age}</h3>",
                 f"<p>{d.address}<br>{w['id']} {d.id_masked} · {w['phone']} {d.phone_masked}</p>"]
        if d.flags:
            parts.append(f"<p style='color:{red}'>{L.flags_text(d.flags)}</p>")
        if d.needs:
            parts.append(f"<p>{w['needs']}: {L.join([_(L.NEED[n]) for n in d.needs])}</p>")
        if d.status == "closed":
            closed = _("Closed on {date}").format(date=d.closed_on)
            parts.append(f"<p style='color:{red}'>{closed}</p>")
        if d.review_requested_on:
            review = _("Up for review since {date}: {reason}").format(date=d.review_requested_on,
                                                                       reason=d.review_reason)
            parts.append(f"<p style='color:{red}'>{review}</p>")
        if b.roster.problems:
            parts.append(f"<p style='color:{red}'>{w['roster_incomplete']}: "
                         + L.join([_(L.ROLE[p.split(':')[1]]) + (" ×2" if p.startswith("dup") else "")
                                   for p in b.roster.problems]) + "</p>")
        parts.append(f"<h4>{w['roster']}</h4><ul>")
        for m in b.roster.members:
            style = "" if m.active else " style='color:#8a8f98'"
            until = "" if m.active else f" — {m.active_to}"
            parts.append(f"<li{style}>{_(L.ROLE[m.role])}: {m.name} {m.relation} {m.phone_masked} "
                         f"({m.active_from}{until})</li>")
        parts.append("</ul>")
        late = [t for t in b.tasks if t.state is TaskState.OVERDUE]
        due = [t for t in b.tasks if t.state is TaskState.DUE]
        parts.append(f"<h4>{w['tasks']}</h4><p>")
        for t in late + due:
            parts.append(f"{_(L.TASK[t.key])} {t.period_first}–{t.period_last}: "
                         f"{L.state_text(t.state.value, t.days_late)}<br>")
        parts.append("</p>")
        parts.append(f"<h4>{w['history']}</h4><p>")
        for h in d.history[-12:]:
            parts.append(f"{h.at.date()} {h.detail} ({h.by_login})<br>")
        parts.append("</p>")
        self.detail.setHtml("".join(parts))

    # --- actions ----------------------------------------------------------------------------
    def _after_change(self, detail: object = None) -> None:
        if self._bundle is not None:
            self.file_changed.emit(self._bundle.detail.id)
            self.load_file(self._bundle.detail.id)
        self.refresh()

    def reveal_health(self) -> None:
        if self._bundle is None:
            return
        ctx, fid = self._ctx, self._bundle.detail.id
        self._runner.submit(lambda: files.reveal(ctx, fid, "health", files.MSG_PURPOSE_FILE),
                            lambda text: self.detail.append("<p><b>" + _("Health data") + "</b><br>"
                                                            f"{(text or '—').replace(chr(10), '<br>')}</p>"),
                            report_exception)

    def sign_off_review(self, text: str | None = None) -> None:
        if self._bundle is None:
            return
        if text is None:
            text, ok = QInputDialog.getMultiLineText(self, _("Sign off review"), _("What changed since the last review"))
            if not ok:
                return
        ctx, fid = self._ctx, self._bundle.detail.id
        self._runner.submit(lambda: records.sign_off_review(ctx, fid, text or "无变化"), self._after_change,
                            report_exception)

    def close_file(self, reason: str | None = None) -> None:
        if self._bundle is None:
            return
        ctx, fid = self._ctx, self._bundle.detail.id
        if self._bundle.detail.status == "closed":
            self._runner.submit(lambda: files.reopen_file(ctx, fid), self._after_change, report_exception)
            return
        if reason is None:
            names = [_(L.CLOSE_REASON[c]) for c in CLOSE_REASONS]
            chosen, ok = QInputDialog.getItem(self, _("Close file"), _("Why is the file closed?"), names, 0, False)
            if not ok:
                return
            reason = CLOSE_REASONS[names.index(chosen)]
        self._runner.submit(lambda: files.close_file(ctx, fid, reason), self._after_change, report_exception)

    def print_review(self) -> None:
        if self._bundle is None:
            return
        from shequ_desktop.services.special_groups import sheets
        ctx, fid = self._ctx, self._bundle.detail.id
        self._runner.submit(lambda: sheets.print_sheet(ctx, "file-review", file_id=fid), self.printed.emit,
                            report_exception)

    # --- residents who turned 60: the program proposes an elderly file -------------------------
    def show_proposals(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: files.proposals(ctx, limit=50), self._on_proposals, report_exception)

    def _on_proposals(self, proposals: list[files.Proposal], choice: int | None = None) -> None:
        if not proposals:
            self.detail.setHtml("<p>" + _("Every resident of 60 or more has an elderly file.") + "</p>")
            return
        if choice is None:
            names = [f"{p.name} · {p.age} · {p.address}" for p in proposals]
            chosen, ok = QInputDialog.getItem(self, _("Open an elderly file"),
                                              _("These residents reached 60 and have no elderly file:"), names, 0,
                                              False)
            if not ok:
                return
            choice = names.index(chosen)
        self.open_elderly_file(proposals[choice].resident_id)

    def open_elderly_file(self, resident_id: str) -> None:
        """Open the file with the current user as the responsible social worker (the volunteer comes next)."""
        ctx = self._ctx

        def work() -> str:
            d = files.open_file(ctx, files.FileInput(resident_id, "elderly"))
            rosters.add_member(ctx, d.id, "worker", login=ctx.user.login)
            return d.id
        self._runner.submit(work, lambda fid: (self.load_file(fid), self.refresh()), report_exception)

    # --- the file's dialogs --------------------------------------------------------------------
    def open_new_file(self, group: str = "elderly") -> QDialog:
        from shequ_desktop.ui.special_groups.file_dialogs import OpenFileDialog
        dialog = OpenFileDialog(self._ctx, self._runner, self, group)
        dialog.opened.connect(lambda fid: (self.load_file(fid), self.refresh()))
        dialog.show()
        return dialog

    def _file_dialog(self, make) -> QDialog | None:  # noqa: ANN001
        if self._bundle is None:
            return None
        dialog = make(self._bundle.detail.id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self._after_change())
        dialog.show()
        return dialog

    def open_roster(self) -> QDialog | None:
        from shequ_desktop.ui.special_groups.file_dialogs import RosterDialog
        group = self._bundle.detail.group if self._bundle else "elderly"
        return self._file_dialog(lambda fid: RosterDialog(self._ctx, self._runner, fid, group, self))

    def open_contacts(self) -> QDialog | None:
        from shequ_desktop.ui.special_groups.record_dialogs import ContactsDialog
        return self._file_dialog(lambda fid: ContactsDialog(self._ctx, self._runner, fid, self))

    def open_assessment(self) -> QDialog | None:
        from shequ_desktop.ui.special_groups.record_dialogs import AssessmentDialog
        return self._file_dialog(lambda fid: AssessmentDialog(self._ctx, self._runner, fid, self))

    def open_package(self) -> QDialog | None:
        from shequ_desktop.ui.special_groups.record_dialogs import PackageDialog
        return self._file_dialog(lambda fid: PackageDialog(self._ctx, self._runner, fid, self))

    def open_survey(self) -> QDialog | None:
        from shequ_desktop.ui.special_groups.record_dialogs import SurveyDialog
        return self._file_dialog(lambda fid: SurveyDialog(self._ctx, self._runner, fid, self))
