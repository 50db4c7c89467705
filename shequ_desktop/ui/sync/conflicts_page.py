"""同步冲突 (station chief): open conflicts side by side — field, local value, hub value, base version —
resolved by 保留本站 / 采用街道 / 编辑后保存; below, the changes the hub returned, with reason and 重试."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import N_, _, ngettext
from shequ_desktop.services import sync
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.sync import ConflictView, QuarantinedChange
from shequ_desktop.ui.admin._common import compact_rows, local_text, message_label, show_message
from shequ_desktop.ui.errors import message_for, report_exception
from shequ_desktop.ui.record_kinds import record_kind_text
from shequ_desktop.ui.tasks import TaskRunner

CONFLICT_COLUMNS = (N_("Record"), N_("Field"), N_("Local value"), N_("Hub value"), N_("Base version"),
                    N_("Edited by"), N_("Since"))
QUARANTINE_COLUMNS = (N_("Time"), N_("Record"), N_("Operation"), N_("User"), N_("Reason"))
OP_TEXT = {"insert": N_("New"), "update": N_("Changed"), "delete": N_("Deleted")}
ID_ROLE = Qt.ItemDataRole.UserRole
LOCAL_BACKGROUND = "#dcebfb"
HUB_BACKGROUND = "#e3f4e1"


FIELD_TEXT = {"name": N_("Name"), "phone": N_("Phone"), "address": N_("Address"), "code": N_("Code"),
              "note": N_("Note"), "relation": N_("Relation"), "birth_date": N_("Date of birth"), "sex": N_("Sex"),
              "id_number": N_("ID number"), "grid_id": N_("Grid"), "household_id": N_("Household"),
              "moved_in": N_("Moved in"), "status": N_("Status")}


def field_text(field: str) -> str:
    """The conflicting field in the reader's words; an edit-vs-removal conflict is about the record's removal."""
    if field == "deleted_at":
        return _("(removal of the record)")
    return _(FIELD_TEXT[field]) if field in FIELD_TEXT else field


def value_text(value: Any, field: str = "") -> str:
    if field == "deleted_at":
        return _("kept (not removed)") if value is None else _("record removed")
    if value is None:
        return _("(empty)")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def record_text(entity: str, entity_id: str, object_text: str = "") -> str:
    return f"{record_kind_text(entity)} {object_text or entity_id[:8]}"


def _item(text: str, key: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if key:
        item.setData(ID_ROLE, key)
    return item


class ConflictsPage(QWidget):
    conflict_resolved = Signal(str)        # conflict id
    retried = Signal(int)                  # how many changes go again
    loaded = Signal(int, int)              # open conflicts, quarantined changes

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflicts_page")
        self._ctx, self._runner = ctx, runner
        self.conflicts: list[ConflictView] = []
        self.quarantined: list[QuarantinedChange] = []
        self._build()
        self._retranslate()
        self.reload()

    def _build(self) -> None:
        self.conflicts_title = QLabel(objectName="conflicts_title")
        self.conflicts_title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.refresh_button = QPushButton(objectName="refresh_button")
        top = QHBoxLayout()
        top.addWidget(self.conflicts_title)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        self.hint_label = QLabel(objectName="hint_label", wordWrap=True)
        self.hint_label.setStyleSheet("color: #555555;")
        self.conflicts_table = self._table("conflicts_table", len(CONFLICT_COLUMNS))
        self.edit_value = QLineEdit(objectName="edit_value")
        self.keep_local_button = QPushButton(objectName="keep_local_button")
        self.use_hub_button = QPushButton(objectName="use_hub_button")
        self.save_edit_button = QPushButton(objectName="save_edit_button")
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_local_button)
        buttons.addWidget(self.use_hub_button)
        buttons.addSpacing(24)
        buttons.addWidget(self.edit_value, 1)
        buttons.addWidget(self.save_edit_button)
        self.message_label = message_label("message_label")
        self.quarantine_title = QLabel(objectName="quarantine_title")
        self.quarantine_title.setStyleSheet("font-size: 15px; font-weight: bold; margin-top: 12px;")
        self.quarantine_table = self._table("quarantine_table", len(QUARANTINE_COLUMNS))
        self.quarantine_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.retry_button = QPushButton(objectName="retry_button")
        self.retry_all_button = QPushButton(objectName="retry_all_button")
        retry_row = QHBoxLayout()
        retry_row.addStretch(1)
        retry_row.addWidget(self.retry_button)
        retry_row.addWidget(self.retry_all_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.conflicts_table, 2)
        layout.addLayout(buttons)
        layout.addWidget(self.message_label)
        layout.addWidget(self.quarantine_title)
        layout.addWidget(self.quarantine_table, 1)
        layout.addLayout(retry_row)
        self.refresh_button.clicked.connect(self.reload)
        self.keep_local_button.clicked.connect(lambda: self.resolve("local"))
        self.use_hub_button.clicked.connect(lambda: self.resolve("remote"))
        self.save_edit_button.clicked.connect(lambda: self.resolve("edit"))
        self.retry_button.clicked.connect(lambda: self.retry(selected_only=True))
        self.retry_all_button.clicked.connect(lambda: self.retry(selected_only=False))
        self.conflicts_table.currentCellChanged.connect(self._on_conflicts_table_current_cell_changed)
        self._update_buttons()

    def _table(self, name: str, columns: int) -> QTableWidget:
        table = QTableWidget(0, columns, objectName=name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        compact_rows(table)
        return table

    def _retranslate(self) -> None:
        self.conflicts_title.setText(_("Sync conflicts"))
        self.refresh_button.setText(_("Refresh"))
        self.hint_label.setText(_("The same field was changed here and at another workstation. The hub value is "
                                  "shown now; choose which one stays, or enter the right value."))
        self.conflicts_table.setHorizontalHeaderLabels([_(c) for c in CONFLICT_COLUMNS])
        self.quarantine_table.setHorizontalHeaderLabels([_(c) for c in QUARANTINE_COLUMNS])
        self.keep_local_button.setText(_("Keep local"))
        self.use_hub_button.setText(_("Use hub value"))
        self.edit_value.setPlaceholderText(_("Corrected value"))
        self.save_edit_button.setText(_("Save edited value"))
        self.retry_button.setText(_("Retry selected"))
        self.retry_all_button.setText(_("Retry all"))
        self._render_titles()

    def _render_titles(self) -> None:
        self.quarantine_title.setText(_("Changes returned by the hub ({n})").format(n=len(self.quarantined)))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # --- loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: (sync.conflicts(ctx), sync.quarantine(ctx)), self._on_loaded,
                            self._on_task_failed)

    def _on_loaded(self, loaded: tuple[list[ConflictView], list[QuarantinedChange]]) -> None:
        self.conflicts, self.quarantined = loaded
        t = self.conflicts_table
        t.setRowCount(len(self.conflicts))
        for row, c in enumerate(self.conflicts):
            cells = (record_text(c.entity, c.entity_id, c.object_text), field_text(c.field), value_text(c.local_value, c.field),
                     value_text(c.remote_value, c.field), str(c.base_version), c.from_user,
                     local_text(c.created_at))
            for col, text in enumerate(cells):
                item = _item(text, c.id if col == 0 else "")
                if col == 2:
                    item.setBackground(self._colour(LOCAL_BACKGROUND))
                    item.setToolTip(_("The value {user} entered; the hub kept the other one for now.").format(
                        user=c.from_user or "?"))
                elif col == 3:
                    item.setBackground(self._colour(HUB_BACKGROUND))
                t.setItem(row, col, item)
        q = self.quarantine_table
        q.setRowCount(len(self.quarantined))
        for row, j in enumerate(self.quarantined):
            cells = (local_text(j.at), record_text(j.entity, j.entity_id), _(OP_TEXT.get(j.op, j.op)),
                     j.user_login, j.reason)
            for col, text in enumerate(cells):
                q.setItem(row, col, _item(text, j.change_id if col == 0 else ""))
        if self.conflicts:
            t.selectRow(0)
        self._render_titles()
        self._update_buttons()
        self.loaded.emit(len(self.conflicts), len(self.quarantined))

    @staticmethod
    def _colour(name: str):  # noqa: ANN205
        from PySide6.QtGui import QColor
        return QColor(name)

    def current_conflict(self) -> ConflictView | None:
        row = self.conflicts_table.currentRow()
        return self.conflicts[row] if 0 <= row < len(self.conflicts) else None

    def _on_conflicts_table_current_cell_changed(self, *_args: object) -> None:
        c = self.current_conflict()
        self.edit_value.setText(value_text(c.local_value) if c is not None and c.local_value is not None
                                and c.field != "deleted_at" else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        c = self.current_conflict()
        has = c is not None
        for b in (self.keep_local_button, self.use_hub_button, self.save_edit_button, self.edit_value):
            b.setEnabled(has)
        if c is not None and c.field == "deleted_at":     # removed or kept: nothing to type
            self.save_edit_button.setEnabled(False)
            self.edit_value.setEnabled(False)
        self.retry_button.setEnabled(bool(self.quarantined))
        self.retry_all_button.setEnabled(bool(self.quarantined))

    # --- actions --------------------------------------------------------------------------------
    def resolve(self, choice: str) -> None:
        c = self.current_conflict()
        if c is None:
            return
        ctx, value = self._ctx, self._edited_value(c) if choice == "edit" else None
        show_message(self.message_label, "")
        self._runner.submit(lambda: sync.resolve_conflict(ctx, c.id, choice, value),
                            lambda done: self._on_resolved(done), self._on_task_failed)

    def _edited_value(self, c: ConflictView) -> Any:
        """Keep the field's type: numbers stay numbers when the other values were numbers."""
        text = self.edit_value.text()
        sample = c.remote_value if c.remote_value is not None else c.local_value
        if isinstance(sample, bool):
            return text.strip().lower() in ("1", "true", "yes", "是")
        if isinstance(sample, (int, float)):
            try:
                return type(sample)(text)
            except ValueError:
                return text
        return text

    def _on_resolved(self, done: ConflictView) -> None:
        show_message(self.message_label, _("Resolved; the decision is sent with the next sync."), "ok")
        self.conflict_resolved.emit(done.id)
        self.reload()

    def retry(self, selected_only: bool) -> None:
        ids: list[str] | None = None
        if selected_only:
            rows = sorted({i.row() for i in self.quarantine_table.selectedIndexes()})
            ids = [self.quarantined[r].change_id for r in rows if r < len(self.quarantined)]
            if not ids:
                return
        ctx = self._ctx
        self._runner.submit(lambda: sync.retry(ctx, ids), self._on_retried, self._on_task_failed)

    def _on_retried(self, n: int) -> None:
        show_message(self.message_label, ngettext("{n} change will be sent again with the next sync.",
                                                  "{n} changes will be sent again with the next sync.", n).format(n=n),
                     "ok")
        self.retried.emit(n)
        self.reload()

    def _on_task_failed(self, error: object) -> None:
        if isinstance(error, UserError):
            show_message(self.message_label, message_for(error), "error")
        else:
            report_exception(error, self)
