"""政策参数: every number of the regulation, editable by admins, saved as audited versions."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
                               QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain.errors import UserError, ValidationErrors
from shequ_desktop.domain.policy import SETTINGS, PolicyProfile, PolicySetting, Value
from shequ_desktop.domain.roles import Permission
from shequ_desktop.i18n import N_, _, error_text
from shequ_desktop.services import policy as policy_service
from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.admin._common import (CHANGED_BACKGROUND, ERROR_BACKGROUND, compact_rows, local_text,
                                            message_label, show_error_inline, show_message)
from shequ_desktop.ui.tasks import TaskRunner

UNITS = {"working_days": N_("working days"), "hours": N_("hours"), "minutes": N_("minutes"), "percent": "%",
         "count": N_("count"), "per_week": N_("per week"), "per_month": N_("per month"),
         "per_year": N_("per year"), "years": N_("years"), "months": N_("months"), "days": N_("days"),
         "yuan": N_("yuan"), "time": N_("time of day"), "ratio": N_("fraction"), "text": ""}
RULE, LABEL, VALUE, UNIT, DEFAULT, HELP = range(6)
# The stored codes of the choice settings, shown (and typed) in words of the current language.
CHOICE_TEXTS = {"seated": N_("all members in office"), "present": N_("members present"),
                "working": N_("every working day"), "calendar": N_("every calendar day"),
                "persons": N_("registered residents"), "households": N_("households")}


def value_text(value: Value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str) and value in CHOICE_TEXTS:
        return _(CHOICE_TEXTS[value])
    return str(value)


def parse_value(setting: PolicySetting, text: str) -> Any:
    """The typed value the service expects; the service does the range checks."""
    text = text.strip()
    for code in setting.choices:            # typed as shown (in words) or as the stored code
        if text in (code, value_text(code)):
            return code
    if isinstance(setting.default, bool) or not isinstance(setting.default, (int, float)):
        return text
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    raise UserError("Enter a number.", field=setting.key)


def tooltip(setting: PolicySetting) -> str:
    lines = [setting.help]
    if setting.minimum is not None:
        lines.append(_("Smallest allowed: {lo}").format(lo=value_text(setting.minimum)))
    if setting.maximum is not None:
        lines.append(_("Largest allowed: {hi}").format(hi=value_text(setting.maximum)))
    if setting.choices:
        lines.append(_("Choices: {choices}").format(choices=", ".join(value_text(c) for c in setting.choices)))
    return "\n".join(line for line in lines if line)


class PolicyPage(QWidget):
    """Table of the policy profile; changed cells are yellow, refused ones red."""

    policy_loaded = Signal()
    policy_saved = Signal(int)
    save_refused = Signal(str)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.runner = ctx, runner
        self.profile = PolicyProfile.defaults()
        self.history: list[policy_service.PolicyVersionView] = []
        self._filling = False
        self._build()
        editable = ctx.may(Permission.POLICY_EDIT)
        for button in (self.save_button, self.reset_row_button, self.discard_button):
            button.setVisible(editable)
        if not editable:
            self.policy_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.reload()

    def _build(self) -> None:
        self.policy_table = QTableWidget(len(SETTINGS), 6, objectName="policy_table")
        self.policy_table.setHorizontalHeaderLabels([_("Rule"), _("Setting"), _("Value"), _("Unit"), _("Default"),
                                                     _("Explanation")])
        self.policy_table.verticalHeader().hide()
        self.policy_table.setWordWrap(False)
        compact_rows(self.policy_table)
        self.policy_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.policy_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.policy_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HELP, QHeaderView.ResizeMode.Stretch)
        self.policy_table.itemChanged.connect(self._on_policy_table_item_changed)
        self.error_label = message_label("error_label")
        self.status_label = message_label("status_label")
        self.save_button = QPushButton(_("Save…"), objectName="save_button")
        self.reset_row_button = QPushButton(_("Restore default value"), objectName="reset_row_button")
        self.discard_button = QPushButton(_("Discard changes"), objectName="discard_button")
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.reset_row_button.clicked.connect(self._on_reset_row_button_clicked)
        self.discard_button.clicked.connect(lambda: self._fill_table())
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_row_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        self.history_table = QTableWidget(0, 5, objectName="history_table")
        self.history_table.setHorizontalHeaderLabels([_("Version"), _("Changed by"), _("Changed at"), _("Note"),
                                                      _("Changes")])
        self.history_table.verticalHeader().hide()
        compact_rows(self.history_table)
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history_table.horizontalHeader().setStretchLastSection(True)
        history_group = QGroupBox(_("Version history"))
        QVBoxLayout(history_group).addWidget(self.history_table)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.policy_table, self.error_label, self.status_label):
            top_layout.addWidget(widget)
        top_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(history_group)
        splitter.setSizes([500, 200])
        QVBoxLayout(self).addWidget(splitter)

    # ---- loading ----

    def reload(self) -> None:
        ctx = self.ctx
        self.runner.submit(lambda: (policy_service.current_policy(ctx), policy_service.policy_history(ctx)),
                           self._on_policy_loaded, self._on_task_failed)

    def _on_policy_loaded(self, result: tuple[PolicyProfile, list[policy_service.PolicyVersionView]]) -> None:
        self.profile, self.history = result
        self._fill_table()
        self._fill_history()
        self.policy_loaded.emit()

    def _fill_table(self) -> None:
        self._filling = True
        editable = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
        for row, setting in enumerate(SETTINGS):
            cells = (setting.rule, setting.label, value_text(self.profile[setting.key]), _(UNITS[setting.unit]),
                     value_text(setting.default), setting.help)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == HELP:
                    item.setForeground(self.palette().placeholderText())
                item.setToolTip(tooltip(setting))
                item.setFlags(editable if column == VALUE else editable & ~Qt.ItemFlag.ItemIsEditable)
                self.policy_table.setItem(row, column, item)
        self._filling = False
        show_message(self.error_label, "")

    def _fill_history(self) -> None:
        self.history_table.setRowCount(len(self.history))
        older = {v.version: v for v in self.history}
        for row, v in enumerate(self.history):
            before = older[v.version - 1].values if v.version - 1 in older else PolicyProfile.defaults().to_dict()
            changes = "；".join(f"{s.label} {value_text(before.get(s.key, s.default))}→{value_text(v.values[s.key])}"
                               for s in SETTINGS if s.key in v.values and before.get(s.key) != v.values[s.key])
            for column, text in enumerate((str(v.version), v.changed_by, local_text(v.changed_at), v.note, changes)):
                self.history_table.setItem(row, column, QTableWidgetItem(text))

    # ---- editing ----

    def row_of(self, key: str) -> int:
        return next(i for i, s in enumerate(SETTINGS) if s.key == key)

    def set_value_text(self, key: str, text: str) -> None:
        """Type a value into a row, as a user editing the cell would."""
        self.policy_table.item(self.row_of(key), VALUE).setText(text)

    def pending_changes(self) -> dict[str, Any]:
        """Typed values of every edited row; a value that is not even a number raises UserError."""
        changes: dict[str, Any] = {}
        for row, setting in enumerate(SETTINGS):
            value = parse_value(setting, self.policy_table.item(row, VALUE).text())
            if value != self.profile[setting.key]:
                changes[setting.key] = value
        return changes

    def _on_policy_table_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != VALUE:
            return
        setting = SETTINGS[item.row()]
        changed = item.text().strip() != value_text(self.profile[setting.key])
        self._paint_row(item.row(), CHANGED_BACKGROUND if changed else None)

    def _paint_row(self, row: int, colour: Any) -> None:
        self._filling = True
        for column in range(self.policy_table.columnCount()):
            cell = self.policy_table.item(row, column)
            if colour is None:
                cell.setData(Qt.ItemDataRole.BackgroundRole, None)
            else:
                cell.setBackground(colour)
        self._filling = False

    def _on_reset_row_button_clicked(self) -> None:
        row = self.policy_table.currentRow()
        if row >= 0:
            self.policy_table.item(row, VALUE).setText(value_text(SETTINGS[row].default))

    def _ask_note(self) -> str | None:
        note, ok = QInputDialog.getText(self, _("Save policy"), _("Why are these values changed?"))
        return note.strip() if ok else None

    def _on_save_button_clicked(self) -> None:
        try:
            changes = self.pending_changes()
        except UserError as error:
            self._show_refusal(error)
            return
        if not changes:
            show_message(self.status_label, _("Nothing was changed."), "info")
            return
        note = self._ask_note()
        if note is not None:
            self.save(changes, note)

    def save(self, changes: dict[str, Any], note: str) -> None:
        ctx = self.ctx
        show_message(self.error_label, "")
        self.runner.submit(lambda: (policy_service.update_policy(ctx, changes, note),
                                    policy_service.policy_history(ctx)),
                           self._on_policy_saved, self._on_task_failed)

    def _on_policy_saved(self, result: tuple[PolicyProfile, list[policy_service.PolicyVersionView]]) -> None:
        self._on_policy_loaded(result)
        version = self.history[0].version if self.history else 0
        show_message(self.status_label, _("Saved as version {version}.").format(version=version), "ok")
        self.policy_saved.emit(version)

    def _show_refusal(self, error: UserError) -> None:
        errors = error.errors if isinstance(error, ValidationErrors) else [error]
        lines = []
        for e in errors:
            row = self.row_of(e.field) if e.field in {s.key for s in SETTINGS} else -1
            if row >= 0:
                self._paint_row(row, ERROR_BACKGROUND)
                self.policy_table.scrollToItem(self.policy_table.item(row, VALUE))
                lines.append(f"{SETTINGS[row].rule} {SETTINGS[row].label}: {error_text(e)}")
            else:
                lines.append(error_text(e))
        show_message(self.status_label, "")
        show_message(self.error_label, _("Nothing was saved.") + "\n" + "\n".join(lines), "error")
        self.save_refused.emit(errors[0].field or "")

    def _on_task_failed(self, error: object) -> None:
        if isinstance(error, UserError):
            self._show_refusal(error)
        else:
            show_error_inline(self.error_label, error, self)
