"""Records of a file: the half-yearly needs assessment with the package changes it proposes, the service package
with the proposals accepted item by item, a satisfaction survey, the satisfaction rate with the surveys behind it,
and the contact log where an entry is corrected by a new one pointing at the old."""

from __future__ import annotations


from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QGridLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QRadioButton, QTableWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.indicators import Indicator
from shequ_desktop.i18n import _
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.special_groups import records
from shequ_desktop.services.special_groups.records import (AssessmentView, ContactInput, ContactView, PackageView,
                                                           Proposal)
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.special_groups import labels as L
from shequ_desktop.ui.special_groups.file_dialogs import date_edit, error_label, pydate
from shequ_desktop.ui.field_errors import FieldErrors
from shequ_desktop.ui.tasks import TaskRunner

NEEDS = ("medical", "meals", "cleaning", "repair", "rehab", "device", "psych", "study", "allowance", "other")
OPS = ("add", "change", "remove")
METHODS = ("phone", "visit", "questionnaire")
ITEM_ROLE = Qt.ItemDataRole.UserRole


class _SaveFlow:
    """What the record dialogs share (a mixin, not a dialog of its own): inline errors, Save/Cancel, a save
    through the DB worker. The dialog defines ``saved``, ``errors`` and ``work()``."""

    saved: Signal
    errors: FieldErrors

    def _init_save(self: QDialog, ctx: AppContext, runner: TaskRunner, file_id: str) -> None:  # type: ignore[misc]
        self._ctx, self._runner, self.file_id = ctx, runner, file_id
        self.error_label = error_label(self, "record_error_label")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("record_save_button")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def work(self):  # noqa: ANN201
        raise NotImplementedError

    def save(self) -> None:
        self.errors.clear()
        try:
            work = self.work()
        except UserError as e:
            self.errors.show(e)
            return
        self.save_button.setEnabled(False)
        self._runner.submit(work, self._on_saved, self._on_failed)

    def _on_saved(self, result: object) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(result)
        self.accept()

    def _on_failed(self, error: object) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, UserError):
            self.errors.show(error)
        else:
            report_exception(error, self)


class AssessmentDialog(QDialog, _SaveFlow):
    """The half-yearly needs assessment (R22): the needs found (at least one) and the package changes proposed."""

    saved = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, file_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._init_save(ctx, runner, file_id)
        self.setObjectName("assessment_dialog")
        self.date_edit = date_edit(self, "assessed_on_edit", local_today(ctx.clock))
        self.need_boxes: dict[str, QCheckBox] = {}
        needs = QGridLayout()
        for i, code in enumerate(NEEDS):
            box = QCheckBox(self)
            box.setObjectName(f"assessment_need_{code}_check")
            self.need_boxes[code] = box
            needs.addWidget(box, i // 4, i % 4)
        self.notes_edit = QLineEdit(self)
        self.notes_edit.setObjectName("assessment_notes_edit")
        self.proposals = QTableWidget(0, 4, self)
        self.proposals.setObjectName("proposals_table")
        self.proposals.setProperty("user_data", True)
        for c, w in enumerate((90, 200, 140)):
            self.proposals.setColumnWidth(c, w)
        self.proposals.horizontalHeader().setStretchLastSection(True)
        self.add_row_button = QPushButton(self)
        self.add_row_button.setObjectName("add_proposal_button")
        self.add_row_button.clicked.connect(lambda: self.add_proposal())
        self.field_errors = {k: error_label(self, f"{k}_error_label") for k in ("assessed_on", "needs", "proposals")}
        self.captions = [QLabel(self) for _i in range(4)]
        form = QFormLayout()
        form.addRow(self.captions[0], self.date_edit)
        form.addRow("", self.field_errors["assessed_on"])
        form.addRow(self.captions[1], needs)
        form.addRow("", self.field_errors["needs"])
        form.addRow(self.captions[2], self.notes_edit)
        self.proposals_caption = self.captions[3]
        row = QHBoxLayout()
        row.addWidget(self.proposals_caption, 1)
        row.addWidget(self.add_row_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.proposals, 1)
        layout.addWidget(self.field_errors["proposals"])
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.errors = FieldErrors(self.field_errors, self.error_label)
        self.resize(720, 560)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Needs assessment"))
        for code, box in self.need_boxes.items():
            box.setText(_(L.NEED[code]))
        for label, text in zip(self.captions, (_("Date"), _("Needs found"), _("Notes"),
                                               _("Proposed changes to the service package"))):
            label.setText(text)
        self.proposals.setHorizontalHeaderLabels([_("Change"), _("Item"), _("Frequency"), _("Provider")])
        self.add_row_button.setText(_("Add a proposal"))
        for r in range(self.proposals.rowCount()):
            combo = self.proposals.cellWidget(r, 0)
            for i, op in enumerate(OPS):
                combo.setItemText(i, _(L.PROPOSAL_OP[op]))

    def add_proposal(self, op: str = "add", item: str = "", frequency: str = "", provider: str = "") -> None:
        from PySide6.QtWidgets import QTableWidgetItem
        r = self.proposals.rowCount()
        self.proposals.insertRow(r)
        combo = QComboBox(self.proposals)
        combo.setProperty("user_data", False)
        for code in OPS:
            combo.addItem(_(L.PROPOSAL_OP[code]), code)
        combo.setCurrentIndex(OPS.index(op))
        self.proposals.setCellWidget(r, 0, combo)
        for c, text in enumerate((item, frequency, provider), start=1):
            self.proposals.setItem(r, c, QTableWidgetItem(text))

    def proposal_list(self) -> tuple[Proposal, ...]:
        out = []
        for r in range(self.proposals.rowCount()):
            texts = [(self.proposals.item(r, c).text() if self.proposals.item(r, c) else "").strip() for c in (1, 2, 3)]
            if not any(texts):
                continue
            out.append(Proposal(self.proposals.cellWidget(r, 0).currentData(), *texts))
        return tuple(out)

    def work(self):  # noqa: ANN201
        ctx, fid = self._ctx, self.file_id
        needs = tuple(c for c, b in self.need_boxes.items() if b.isChecked())
        notes, proposals, on = self.notes_edit.text(), self.proposal_list(), pydate(self.date_edit)
        return lambda: records.record_assessment(ctx, fid, needs, notes, proposals, on)


class PackageDialog(QDialog):
    """The personalised service package (R17): the current version, and the latest assessment's proposals to
    accept item by item (each acceptance makes a new version; older versions stay)."""

    changed = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, file_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("package_dialog")
        self._ctx, self._runner, self.file_id = ctx, runner, file_id
        self.assessment: AssessmentView | None = None
        self.version_label = QLabel(self)
        self.version_label.setObjectName("package_version_label")
        self.items = QTreeWidget(self)
        self.items.setObjectName("package_items")
        self.items.setRootIsDecorated(False)
        self.items.setColumnCount(3)
        self.items.setColumnWidth(0, 220)
        self.items.setColumnWidth(1, 150)
        self.items.setProperty("user_data", True)
        self.proposals_label = QLabel(self)
        self.proposals_label.setObjectName("proposals_label")
        self.proposals_label.setWordWrap(True)
        self.proposals = QListWidget(self)
        self.proposals.setObjectName("proposals_list")
        self.proposals.setProperty("user_data", True)
        self.accept_button = QPushButton(self)
        self.accept_button.setObjectName("accept_proposals_button")
        self.accept_button.clicked.connect(self.accept_checked)
        self.error_label = error_label(self, "package_error_label")
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_box.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.version_label)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.proposals_label)
        layout.addWidget(self.proposals, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(row)
        layout.addWidget(self.close_box)
        self.errors = FieldErrors({}, self.error_label)
        self.resize(680, 560)
        self.package: PackageView | None = None
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Service package"))
        self.items.setHeaderLabels([_("Item"), _("Frequency"), _("Provider")])
        self.accept_button.setText(_("Accept the ticked changes"))
        self._fill()

    def reload(self) -> None:
        ctx, fid = self._ctx, self.file_id
        self._runner.submit(lambda: (records.package(ctx, fid), records.assessments(ctx, fid)), self._on_loaded,
                            report_exception)

    def _on_loaded(self, data: tuple[PackageView, list[AssessmentView]]) -> None:
        self.package, found = data
        self.assessment = next((a for a in found if a.proposals), None)
        self._fill()

    def _fill(self) -> None:
        p = self.package
        self.items.clear()
        self.proposals.clear()
        if p is None:
            return
        self.version_label.setText(_("Version {n} since {date}").format(n=p.version_no, date=p.valid_from)
                                   if p.version_no else _("No service package yet."))
        for i in p.items:
            self.items.addTopLevelItem(QTreeWidgetItem([i.item, i.frequency, i.provider]))
        a = self.assessment
        if a is None:
            self.proposals_label.setText(_("No assessment proposes changes."))
            self.accept_button.setEnabled(False)
            return
        self.proposals_label.setText(_("Proposed by the assessment of {date} ({name}); tick the changes to accept:")
                                     .format(date=a.assessed_on, name=a.by_name))
        self.proposals_label.setProperty("user_data_text", [a.by_name])
        self.accept_button.setEnabled(True)
        for p_ in a.proposals:
            item = QListWidgetItem(f"{_(L.PROPOSAL_OP[p_.op])}: {p_.item} {p_.frequency} {p_.provider}".strip())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.proposals.addItem(item)

    def set_checked(self, indexes: tuple[int, ...]) -> None:
        for i in range(self.proposals.count()):
            self.proposals.item(i).setCheckState(Qt.CheckState.Checked if i in indexes else Qt.CheckState.Unchecked)

    def accept_checked(self) -> None:
        self.errors.clear()
        a = self.assessment
        chosen = tuple(i for i in range(self.proposals.count())
                       if self.proposals.item(i).checkState() == Qt.CheckState.Checked)
        if a is None or not chosen:
            self.errors.set(None, _("Tick at least one change."))
            return
        ctx = self._ctx
        self._runner.submit(lambda: records.accept_proposals(ctx, a.id, chosen), self._on_accepted,
                            self._on_failed)

    def _on_accepted(self, package: PackageView) -> None:
        self.package = package
        self.assessment = None
        self._fill()
        self.changed.emit(package)

    def _on_failed(self, error: object) -> None:
        if isinstance(error, UserError):
            self.errors.show(error)
        else:
            report_exception(error, self)


class SurveyDialog(QDialog, _SaveFlow):
    """A satisfaction survey of special-group services (R36): score, date, surveyor, method."""

    saved = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, file_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._init_save(ctx, runner, file_id)
        self.setObjectName("survey_dialog")
        self.score_group = QButtonGroup(self)
        self.score_buttons: dict[int, QRadioButton] = {}
        scores = QGridLayout()
        for score in range(5, 0, -1):
            b = QRadioButton(self)
            b.setObjectName(f"score_{score}_radio")
            self.score_group.addButton(b, score)
            self.score_buttons[score] = b
            scores.addWidget(b, (5 - score) // 3, (5 - score) % 3)
        self.date_edit = date_edit(self, "surveyed_on_edit", local_today(ctx.clock))
        self.surveyor_edit = QLineEdit(self)
        self.surveyor_edit.setObjectName("surveyor_edit")
        self.surveyor_edit.setText(ctx.user.display_name)
        self.surveyor_edit.setProperty("user_data", True)
        self.method_combo = QComboBox(self)
        self.method_combo.setObjectName("method_combo")
        for code in METHODS:
            self.method_combo.addItem("", code)
        self.comment_edit = QLineEdit(self)
        self.comment_edit.setObjectName("survey_comment_edit")
        self.field_errors = {k: error_label(self, f"{k}_error_label") for k in ("score", "surveyed_on", "method")}
        self.captions = [QLabel(self) for _i in range(5)]
        form = QFormLayout()
        form.addRow(self.captions[0], scores)
        form.addRow("", self.field_errors["score"])
        form.addRow(self.captions[1], self.date_edit)
        form.addRow("", self.field_errors["surveyed_on"])
        form.addRow(self.captions[2], self.surveyor_edit)
        form.addRow(self.captions[3], self.method_combo)
        form.addRow("", self.field_errors["method"])
        form.addRow(self.captions[4], self.comment_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.errors = FieldErrors(self.field_errors, self.error_label)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Satisfaction survey"))
        for score, b in self.score_buttons.items():
            b.setText(f"{score} {_(L.SCORE[score])}")
        for i, code in enumerate(METHODS):
            self.method_combo.setItemText(i, _(L.SURVEY_METHOD[code]))
        for label, text in zip(self.captions, (_("Score"), _("Date"), _("Surveyor"), _("Method"), _("Comment"))):
            label.setText(text)

    def work(self):  # noqa: ANN201
        score = self.score_group.checkedId()
        if score < 1:
            raise UserError("The score is 1 to 5.", field="score")
        ctx, fid = self._ctx, self.file_id
        method, surveyor, on = self.method_combo.currentData(), self.surveyor_edit.text(), pydate(self.date_edit)
        comment = self.comment_edit.text()
        return lambda: records.record_survey(ctx, fid, score, method, surveyor, on, comment)


class SatisfactionDialog(QDialog):
    """The satisfaction rate (target ≥ 95 %), per responsible worker (as the KPI dashboard credits it; surveys of a
    file without one in their own row), and the surveys behind it, for a period."""

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("satisfaction_dialog")
        self._ctx, self._runner = ctx, runner
        today = local_today(ctx.clock)
        self.since_edit = date_edit(self, "since_edit", today.replace(month=1, day=1))
        self.until_edit = date_edit(self, "until_edit", today)
        self.show_button = QPushButton(self)
        self.show_button.setObjectName("show_rate_button")
        self.show_button.clicked.connect(self.reload)
        self.rate_label = QLabel(self)
        self.rate_label.setObjectName("rate_label")
        self.workers = QTreeWidget(self)
        self.workers.setObjectName("satisfaction_workers")
        self.workers.setRootIsDecorated(False)
        self.workers.setColumnCount(3)
        self.workers.setColumnWidth(0, 240)
        self.workers.setColumnWidth(1, 110)
        self.workers.setMaximumHeight(150)
        self.workers.setProperty("user_data", True)         # workers' names as entered
        self.workers.currentItemChanged.connect(lambda *_a: self._fill_records())
        self.records = QTreeWidget(self)
        self.records.setObjectName("survey_records")
        self.records.setRootIsDecorated(False)
        self.records.setColumnCount(6)
        for c, w in enumerate((200, 80, 90, 130, 110)):
            self.records.setColumnWidth(c, w)
        self.records.setProperty("user_data", True)
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_box.rejected.connect(self.reject)
        top = QHBoxLayout()
        self.captions = [QLabel(self), QLabel(self)]
        top.addWidget(self.captions[0])
        top.addWidget(self.since_edit)
        top.addWidget(self.captions[1])
        top.addWidget(self.until_edit)
        top.addWidget(self.show_button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.rate_label)
        layout.addWidget(self.workers)
        layout.addWidget(self.records, 1)
        layout.addWidget(self.close_box)
        self.view: records.SatisfactionView | None = None
        self.resize(820, 600)
        self.retranslate()
        self.reload()

    @property
    def indicator(self) -> Indicator | None:
        return self.view.figure if self.view is not None else None

    def retranslate(self) -> None:
        self.setWindowTitle(_("Satisfaction of special-group services"))
        self.captions[0].setText(_("From"))
        self.captions[1].setText(_("to"))
        self.show_button.setText(_("Show"))
        self.workers.setHeaderLabels([_("Responsible worker"), _("Satisfied / all"), _("Satisfaction")])
        self.records.setHeaderLabels([_("Person, date, score"), _("Group"), _("Method"), _("Responsible worker"),
                                      _("Surveyor"), _("Satisfied")])
        self._fill()

    def reload(self) -> None:
        try:
            ctx, since, until = self._ctx, pydate(self.since_edit), pydate(self.until_edit)
        except UserError:
            return                      # said next to the date field
        self._runner.submit(lambda: records.satisfaction_view(ctx, since, until), self._on_loaded, report_exception)

    def _on_loaded(self, view: records.SatisfactionView) -> None:
        self.view = view
        self._fill()

    def _fill(self) -> None:
        view = self.view
        self.workers.clear()
        if view is None:
            self.rate_label.setText(_("Loading…"))
            self.records.clear()
            return
        ind = view.figure
        self.rate_label.setText(_("Satisfaction {rate} % ({n}/{d}, target {t} %)").format(
            rate=ind.percent_text(), n=ind.numerator, d=ind.denominator, t=f"{float(ind.target * 100):g}"))
        self.rate_label.setStyleSheet(f"color: {L.RED};" if ind.met is False else "")
        red = QBrush(QColor(L.RED))
        everyone = QTreeWidgetItem([_("All surveys"), f"{ind.numerator} / {ind.denominator}",
                                    f"{ind.percent_text()} %" if ind.denominator else "—"])
        everyone.setData(0, Qt.ItemDataRole.UserRole, None)
        self.workers.addTopLevelItem(everyone)
        for w in view.per_worker:
            fig = w.figure
            row = QTreeWidgetItem([w.label or _("No responsible worker"), f"{fig.numerator} / {fig.denominator}",
                                   f"{fig.percent_text()} %" if fig.denominator else "—"])
            row.setData(0, Qt.ItemDataRole.UserRole, w.login)
            if not w.login:         # the chief sees them: surveys nobody answers for
                row.setForeground(0, red)
                row.setToolTip(0, _("Surveys of files that had no responsible worker on the survey day"))
            elif fig.met is False:
                row.setForeground(2, red)
            self.workers.addTopLevelItem(row)
        self.workers.setCurrentItem(everyone)
        self._fill_records()

    def _fill_records(self) -> None:
        self.records.clear()
        view, current = self.view, self.workers.currentItem()
        if view is None:
            return
        login = current.data(0, Qt.ItemDataRole.UserRole) if current is not None else None
        shown = view.figure.records if login is None else next(
            (w.figure.records for w in view.per_worker if w.login == login), ())
        labels = {w.login: w.label for w in view.per_worker}
        for r in shown:
            method = str(r.detail.get("method", ""))
            logins = r.detail.get("logins") or ()
            worker = "、".join(labels.get(x, x) for x in logins) or _("No responsible worker")
            self.records.addTopLevelItem(QTreeWidgetItem([
                r.label, _(L.GROUP[r.group]) if r.group in L.GROUP else r.group,
                _(L.SURVEY_METHOD[method]) if method in L.SURVEY_METHOD else method, worker,
                str(r.detail.get("surveyor") or ""), "✓" if r.counts else "✗"]))


class ContactsDialog(QDialog):
    """A file's contact log (newest first; corrected entries stay, greyed) and the correction of an entry: a new
    entry that points at the old one — or says there was no such contact."""

    corrected = Signal(object)

    def __init__(self, ctx: AppContext, runner: TaskRunner, file_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contacts_dialog")
        self._ctx, self._runner, self.file_id = ctx, runner, file_id
        self.log = QTreeWidget(self)
        self.log.setObjectName("contact_log")
        self.log.setRootIsDecorated(False)
        self.log.setColumnCount(5)
        for c, w in enumerate((100, 110, 110, 110)):
            self.log.setColumnWidth(c, w)
        self.log.setProperty("user_data", True)
        self.log.currentItemChanged.connect(self._on_log_current_item_changed)
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("correct_kind_combo")
        for code in ("call", "visit", "session", "other"):
            self.kind_combo.addItem("", code)
        self.outcome_combo = QComboBox(self)
        self.outcome_combo.setObjectName("correct_outcome_combo")
        for code in ("reached", "not_reached", "refused"):
            self.outcome_combo.addItem("", code)
        self.date_edit = date_edit(self, "correct_date_edit", local_today(ctx.clock))
        self.notes_edit = QLineEdit(self)
        self.notes_edit.setObjectName("correct_notes_edit")
        self.retract_check = QCheckBox(self)
        self.retract_check.setObjectName("retract_check")
        self.save_button = QPushButton(self)
        self.save_button.setObjectName("save_correction_button")
        self.save_button.clicked.connect(self.save)
        self.field_errors = {"contact_on": error_label(self, "correct_date_error_label")}
        self.error_label = error_label(self, "correct_error_label")
        self.captions = [QLabel(self) for _i in range(4)]
        form = QFormLayout()
        form.addRow(self.captions[0], self.kind_combo)
        form.addRow(self.captions[1], self.outcome_combo)
        form.addRow(self.captions[2], self.date_edit)
        form.addRow("", self.field_errors["contact_on"])
        form.addRow(self.captions[3], self.notes_edit)
        form.addRow("", self.retract_check)
        self.close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.close_box.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.log, 1)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(row)
        layout.addWidget(self.close_box)
        self.errors = FieldErrors(self.field_errors, self.error_label)
        self.entries: list[ContactView] = []
        self.resize(760, 600)
        self.retranslate()
        self._set_form_enabled(False)
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Contact log"))
        self.log.setHeaderLabels([_("Date"), _("Contact"), _("Outcome"), _("By"), _("Notes")])
        for i, code in enumerate(("call", "visit", "session", "other")):
            self.kind_combo.setItemText(i, _(L.CONTACT[code]))
        for i, code in enumerate(("reached", "not_reached", "refused")):
            self.outcome_combo.setItemText(i, _(L.OUTCOME[code]))
        for label, text in zip(self.captions, (_("Contact"), _("Outcome"), _("Date"), _("Notes"))):
            label.setText(text)
        self.retract_check.setText(_("There was no such contact (withdraw the entry)"))
        self.save_button.setText(_("Save the correction"))
        self._fill()

    def reload(self) -> None:
        ctx, fid = self._ctx, self.file_id
        self._runner.submit(lambda: records.contacts(ctx, fid), self._on_loaded, report_exception)

    def _on_loaded(self, entries: list[ContactView]) -> None:
        self.entries = entries
        self._fill()

    def _fill(self) -> None:
        self.log.clear()
        for c in self.entries:
            state = _("corrected") if c.superseded else _("withdrawn") if c.retracted else ""
            item = QTreeWidgetItem([c.contact_on.isoformat(), _(L.CONTACT[c.kind]), _(L.OUTCOME[c.outcome]),
                                    c.by_name, (f"[{state}] " if state else "") + c.notes])
            item.setData(0, ITEM_ROLE, c)
            if c.superseded or c.retracted:
                for col in range(5):
                    item.setForeground(col, Qt.GlobalColor.gray)
            self.log.addTopLevelItem(item)

    def select(self, contact_id: str) -> None:
        for i in range(self.log.topLevelItemCount()):
            item = self.log.topLevelItem(i)
            if item.data(0, ITEM_ROLE).id == contact_id:
                self.log.setCurrentItem(item)
                return

    def current(self) -> ContactView | None:
        item = self.log.currentItem()
        return item.data(0, ITEM_ROLE) if item is not None else None

    def _set_form_enabled(self, on: bool) -> None:
        for w in (self.kind_combo, self.outcome_combo, self.date_edit, self.notes_edit, self.retract_check,
                  self.save_button):
            w.setEnabled(on)

    def _on_log_current_item_changed(self, item: QTreeWidgetItem | None, _prev: object) -> None:
        c = item.data(0, ITEM_ROLE) if item is not None else None
        self.errors.clear()
        self._set_form_enabled(c is not None and not c.superseded)
        if c is None:
            return
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(c.kind)))
        self.outcome_combo.setCurrentIndex(max(0, self.outcome_combo.findData(c.outcome)))
        self.date_edit.setDate(c.contact_on)
        self.notes_edit.setText(c.notes)
        self.retract_check.setChecked(False)

    def correction(self) -> ContactInput:
        c = self.current()
        if c is None:
            raise UserError("Choose the entry to correct.")
        return ContactInput(self.file_id, self.kind_combo.currentData(), self.outcome_combo.currentData(),
                            pydate(self.date_edit), self.notes_edit.text(), c.needs, by_role=c.by_role,
                            by_name=c.by_name, corrects_id=c.id, retracted=self.retract_check.isChecked())

    def save(self) -> None:
        self.errors.clear()
        try:
            inp = self.correction()
        except UserError as e:
            self.errors.show(e)
            return
        ctx = self._ctx
        self.save_button.setEnabled(False)
        self._runner.submit(lambda: records.record_contact(ctx, inp), self._on_saved, self._on_failed)

    def _on_saved(self, view: ContactView) -> None:
        self.save_button.setEnabled(True)
        self.corrected.emit(view)
        self.reload()

    def _on_failed(self, error: object) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, UserError):
            self.errors.show(error)
        else:
            report_exception(error, self)
