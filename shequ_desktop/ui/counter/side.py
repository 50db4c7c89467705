"""Right-hand tabs for the selected case: the timeline of its steps and the register of printed documents."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QListView, QListWidget, QListWidgetItem, QPushButton,
                               QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from shequ_desktop.i18n import _, ngettext
from shequ_desktop.services import documents
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.counter import EventView
from shequ_desktop.services.documents import RegisterRow
from shequ_desktop.ui.counter.case_panel import CaseBundle
from shequ_desktop.ui.counter.labels import event_label, short_time, state_label
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.tasks import TaskRunner

ROW_ROLE = Qt.ItemDataRole.UserRole


def event_detail(e: EventView, names: dict[str, str]) -> str:
    """Turn the service's terse detail (codes, 'due …') into words a colleague reads."""
    if e.kind == "materials":
        parts = (p.split("=", 1) for p in e.detail.split(", ") if "=" in p)
        return "、".join(f"{names.get(code, code)} {state_label(state)}" for code, state in parts)
    if e.kind == "supplement_requested":
        return "、".join(names.get(code, code) for code in e.detail.split(", ") if code)
    if e.kind == "accepted" and e.detail.startswith("due "):
        words = e.detail.split()
        return _("due {date}").format(date=words[1]) + (_("(provisional)") if "provisional" in words else "")
    if e.kind == "supplement_extended":
        days, _sep, reason = e.detail.partition(" ")
        count = int(days) if days.isdigit() else 2   # not a plain number: keep the plural wording
        return ngettext("+{n} working day: {reason}", "+{n} working days: {reason}", count).format(n=days,
                                                                                                   reason=reason)
    return e.detail


class CaseSideTabs(QTabWidget):
    document_printed = Signal(object)       # PrintedView of a 补打
    view_requested = Signal(object)         # RegisterRow to show again

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.timeline = QListWidget(self)
        self.timeline.setObjectName("timeline")
        self.timeline.setWordWrap(True)
        self.timeline.setResizeMode(QListView.ResizeMode.Adjust)
        self.timeline.setSpacing(2)
        self.timeline.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timeline.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.timeline.setStyleSheet("QListWidget::item { border-bottom: 1px solid #e4e7eb; padding: 3px; }")
        self.documents = QTreeWidget(self)
        self.documents.setObjectName("documents")
        self.documents.setRootIsDecorated(False)
        self.documents.setColumnCount(3)
        self.documents.setColumnWidth(0, 150)
        self.documents.setColumnWidth(1, 110)
        self.documents.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view_button = QPushButton(self)
        self.view_button.setObjectName("view_document_button")
        self.reprint_button = QPushButton(self)
        self.reprint_button.setObjectName("reprint_button")
        docs_page = QWidget(self)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.view_button)
        buttons.addWidget(self.reprint_button)
        layout = QVBoxLayout(docs_page)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.documents)
        layout.addLayout(buttons)
        self.addTab(self.timeline, "")
        self.addTab(docs_page, "")
        self.view_button.clicked.connect(self.view_selected)
        self.reprint_button.clicked.connect(self.reprint_selected)
        self.documents.itemActivated.connect(lambda _i, _c: self.view_selected())
        self.documents.currentItemChanged.connect(lambda _c, _p: self._update_buttons())
        self.retranslate()
        self._update_buttons()

    def retranslate(self) -> None:
        self.setTabText(0, _("Timeline"))
        self.setTabText(1, _("Printed documents"))
        self.documents.setHeaderLabels([_("No."), _("Document"), _("Printed")])
        self.view_button.setText(_("View"))
        self.reprint_button.setText(_("Reprint"))
        self.reprint_button.setToolTip(_("Show the same document again, marked 补打; printing it registers the reprint."))

    def show_bundle(self, bundle: CaseBundle | None) -> None:
        self.timeline.clear()
        self.documents.clear()
        if bundle is not None:
            names = {m.code: m.name for m in bundle.service.materials}
            for e in bundle.events:
                who = e.user_name + (_(" (for {login})").format(login=e.acting_for) if e.acting_for else "")
                detail = event_detail(e, names)
                item = QListWidgetItem(f"{short_time(e.at)}　{event_label(e.kind)}　· {who}"
                                       + (f"\n{detail}" if detail else ""))
                item.setToolTip(detail or who)
                self.timeline.addItem(item)
            for d in bundle.documents:
                title = d.title + (" · " + _("reprint") if d.reprint else "")
                item = QTreeWidgetItem([d.serial_no, title, short_time(d.printed_at)])
                item.setData(0, ROW_ROLE, d)
                item.setToolTip(1, d.printed_by)
                self.documents.addTopLevelItem(item)
            self.timeline.scrollToBottom()
            if bundle.documents:
                self.documents.setCurrentItem(self.documents.topLevelItem(0))
        self._update_buttons()

    def selected_document(self) -> RegisterRow | None:
        item = self.documents.currentItem()
        return item.data(0, ROW_ROLE) if item is not None else None

    def _update_buttons(self) -> None:
        row = self.selected_document()
        self.view_button.setEnabled(row is not None)
        self.reprint_button.setEnabled(row is not None and row.kind in documents.REPRINTABLE)

    def view_selected(self) -> None:
        row = self.selected_document()
        if row is not None:
            self.view_requested.emit(row)

    def reprint_selected(self) -> None:
        row = self.selected_document()
        if row is None:
            return
        ctx, doc_id = self._ctx, row.id
        self.reprint_button.setEnabled(False)
        self._runner.submit(lambda: documents.draft(ctx, documents.DocumentRequest.reprint(doc_id)),
                            self._on_reprinted,
                            lambda e: (self._update_buttons(), report_exception(e, self)))

    def _on_reprinted(self, view: object) -> None:
        self._update_buttons()
        self.document_printed.emit(view)
