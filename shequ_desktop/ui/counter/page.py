"""一窗受理: the clerk's counter page — intake, the case at hand, its timeline, the case lists, oversight."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget

from shequ_desktop.domain.roles import Permission
from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import _, error_text
from shequ_desktop.services import counter, documents
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.counter import CaseView
from shequ_desktop.services.documents import DocumentRequest, DraftOrder, PrintedView, RegisterRow
from shequ_desktop.ui.counter import pdf_preview
from shequ_desktop.ui.counter.case_list import CaseListWidget
from shequ_desktop.ui.counter.case_panel import CaseBundle, CasePanel
from shequ_desktop.ui.counter.intake import IntakePanel
from shequ_desktop.ui.counter.oversight import OversightPanel
from shequ_desktop.ui.counter.side import CaseSideTabs
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.tasks import TaskRunner

BADGE_STYLE = {True: "QPushButton { background: #c62828; color: white; font-weight: bold; border-radius: 10px;"
                     " padding: 3px 12px; }",
               False: "QPushButton { background: #dcf2e3; color: #1d6b3a; border-radius: 10px; padding: 3px 12px; }"}


class CounterPage(QWidget):
    case_started = Signal(object)           # CaseView
    step_done = Signal(str, object)         # action key, result (CaseView / PrintedView)
    preview_opened = Signal(QWidget)        # the PdfPreviewDialog just shown
    document_issued = Signal(object)        # PrintedView: a 样稿 was printed or saved and so numbered

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self.is_chief = ctx.may(Permission.CASES_ALL)
        # A new station gets the 12 services before anything below asks for them (same DB thread, in order).
        runner.submit(lambda: counter.ensure_catalogue(ctx), None, lambda e: report_exception(e, self))
        self.intake = IntakePanel(ctx, runner, self)
        self.case_panel = CasePanel(ctx, runner, self)
        self.side = CaseSideTabs(ctx, runner, self)
        self.case_list = CaseListWidget(ctx, runner, self)
        self.oversight = OversightPanel(ctx, runner, self) if self.is_chief else None
        self._build()
        self.intake.service_chosen.connect(self.start_case)
        self.case_list.case_selected.connect(self.open_case)
        self.case_panel.loaded.connect(self._on_case_panel_loaded)
        self.case_panel.step_done.connect(self._on_case_panel_step_done)
        self.case_panel.document_printed.connect(self.show_document)
        self.side.document_printed.connect(self._on_side_reprinted)
        self.side.view_requested.connect(self._on_side_view_requested)
        self.catalogue_button.clicked.connect(self.print_catalogue)
        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence(Qt.Key.Key_F2), self, activated=self.focus_search)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=self.refresh)
        if self.oversight is not None:
            self.overdue_badge.clicked.connect(lambda: self.tabs.setCurrentWidget(self.oversight))
            self.oversight.overdue_changed.connect(self._show_overdue)
            self.oversight.case_opened.connect(self._on_oversight_case_opened)
        self.retranslate()
        self.refresh()

    def _build(self) -> None:
        self.catalogue_button = QPushButton(self)
        self.catalogue_button.setObjectName("catalogue_button")
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("refresh_button")
        self.overdue_badge = QPushButton(self)
        self.overdue_badge.setObjectName("overdue_badge")
        self.overdue_badge.setVisible(self.is_chief)
        self.overdue_badge.setCursor(Qt.CursorShape.PointingHandCursor)
        self.side_button = QPushButton(self)
        self.side_button.setObjectName("side_panel_button")
        self.side_button.setCheckable(True)
        self.side_button.setChecked(True)
        self.side_button.toggled.connect(self.set_side_visible)
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.catalogue_button)
        toolbar.addWidget(self.refresh_button)
        toolbar.addStretch(1)
        toolbar.addWidget(self.side_button)
        toolbar.addWidget(self.overdue_badge)
        # The intake keeps the whole height (search results and all 12 services visible); the case at
        # hand and its log share the right with the case list, each behind a splitter the clerk can drag.
        case_split = QSplitter(Qt.Orientation.Horizontal, self)
        case_split.setObjectName("counter_case_splitter")
        case_split.addWidget(self.case_panel)
        case_split.addWidget(self.side)
        case_split.setStretchFactor(0, 1)
        case_split.setCollapsible(0, False)
        case_split.setSizes([760, 300])
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.setObjectName("counter_list_splitter")
        right.addWidget(case_split)
        right.addWidget(self.case_list)
        right.setStretchFactor(0, 1)
        right.setCollapsible(0, False)
        right.setSizes([420, 200])
        work_split = QSplitter(Qt.Orientation.Horizontal, self)
        work_split.setObjectName("counter_intake_splitter")
        work_split.addWidget(self.intake)
        work_split.addWidget(right)
        work_split.setStretchFactor(1, 1)
        work_split.setCollapsible(0, False)
        work_split.setSizes([300, 1000])
        self.case_split, self.list_split = case_split, right
        self.work_area = work_split
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("counter_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(work_split, "")
        if self.oversight is not None:
            self.tabs.addTab(self.oversight, "")
        else:
            self.tabs.tabBar().hide()
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(toolbar)
        layout.addWidget(self.tabs, 1)

    def set_side_visible(self, visible: bool) -> None:
        """Fold the process log / printed documents away (or back) to give the checklist the room."""
        self.side.setVisible(visible)
        if self.side_button.isChecked() != visible:
            self.side_button.setChecked(visible)
        self.side_button.setText(_("Process log ▸") if visible else _("◂ Process log"))

    def retranslate(self) -> None:
        self.side_button.setText(_("Process log ▸") if self.side_button.isChecked() else _("◂ Process log"))
        self.side_button.setToolTip(_("Show or hide the process log and the printed documents of the case."))
        self.catalogue_button.setText(_("Print materials catalogue"))
        self.catalogue_button.setToolTip(_("The booklet of all services with their material lists (材料清单目录)."))
        self.refresh_button.setText(_("Refresh (F5)"))
        self.tabs.setTabText(0, _("Service window"))
        if self.oversight is not None:
            self.tabs.setTabText(1, _("Case supervision"))
            self.overdue_badge.setToolTip(_("Open cases past their deadline; click for the list."))
        self._show_overdue(getattr(self, "_overdue", 0))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.intake.retranslate()
            self.case_panel.retranslate()
            self.side.retranslate()
            self.case_list.retranslate()
            if self.oversight is not None:
                self.oversight.retranslate()
        super().changeEvent(event)

    # --- navigation ------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.intake.focus_search()

    def refresh(self) -> None:
        self.case_list.refresh()
        if self.oversight is not None:
            self.oversight.refresh()
        if self.case_panel.case is not None:
            self.case_panel.load(self.case_panel.case.id, keep_messages=True)

    def _show_overdue(self, n: int) -> None:
        self._overdue = n
        self.overdue_badge.setText(_("Overdue: {n}").format(n=n) if n else _("Nothing overdue"))
        self.overdue_badge.setStyleSheet(BADGE_STYLE[bool(n)])

    def _on_tabs_current_changed(self, index: int) -> None:
        if self.oversight is not None and self.tabs.widget(index) is self.oversight:
            self.oversight.refresh()

    def _on_oversight_case_opened(self, case_id: str) -> None:
        self.case_list.set_scope("all")
        self.tabs.setCurrentIndex(0)
        self.open_case(case_id)
        self.case_list.refresh(select_id=case_id)

    # --- cases -----------------------------------------------------------------------------
    def start_case(self, service_code: str) -> None:
        resident = self.intake.resident
        if resident is None:
            return
        ctx, rid = self._ctx, resident.id
        self.intake.start_button.setEnabled(False)
        self._runner.submit(lambda: counter.start_case(ctx, rid, service_code), self._on_case_started,
                            self._on_start_failed)

    def _on_case_started(self, case: CaseView) -> None:
        self.intake.start_button.setEnabled(True)
        self.open_case(case.id)
        self.case_list.refresh(select_id=case.id)
        self.case_panel.checklist.table.setFocus()
        self.case_started.emit(case)

    def _on_start_failed(self, error: object) -> None:
        self.intake.start_button.setEnabled(True)
        if isinstance(error, UserError):
            self.intake.show_service_error(error_text(error))
        else:
            report_exception(error, self)

    def open_case(self, case_id: str) -> None:
        if self.case_panel.case is None or self.case_panel.case.id != case_id:
            self.case_panel.load(case_id)

    def _on_case_panel_loaded(self, bundle: CaseBundle) -> None:
        self.side.show_bundle(bundle)
        self.intake.follow_case(bundle.case.service_code)     # the service list shows the case's service

    def _on_case_panel_step_done(self, key: str, result: object) -> None:
        self.case_list.refresh()
        if self.oversight is not None:
            self.oversight.refresh()
        self.step_done.emit(key, result)

    # --- documents -------------------------------------------------------------------------
    def show_document(self, view: PrintedView | DraftOrder) -> None:
        if isinstance(view, DraftOrder):
            self._show_draft(view)
            return
        dialog = pdf_preview.open_preview(view.path, f"{view.title} {view.serial_no}", self)
        self.preview_opened.emit(dialog)

    def _show_draft(self, order: DraftOrder) -> None:
        """The 样稿 in the preview; 打印 / 另存为PDF issue it (number, register) on the DB thread first."""
        title = _("{title} (draft, numbered when printed)").format(title=order.draft.title)
        dialog = pdf_preview.open_preview(order.draft.path, title, self, draft=True)
        ctx, request = self._ctx, order.request

        def issued(view: object) -> None:
            assert isinstance(view, PrintedView)
            dialog.issued(view.path, f"{view.title} {view.serial_no}")
            self.document_issued.emit(view)
            if self.case_panel.case is not None:
                self.case_panel.load(self.case_panel.case.id)
            self.case_list.refresh()

        def failed(error: object) -> None:
            if isinstance(error, UserError):
                dialog.issue_failed(error_text(error))
            else:
                dialog.issue_failed(_("The document could not be issued."))
                report_exception(error, self)

        dialog.issue_requested.connect(lambda: self._runner.submit(lambda: documents.issue(ctx, request),
                                                                   issued, failed))
        self.preview_opened.emit(dialog)

    def _on_side_view_requested(self, row: RegisterRow) -> None:
        dialog = pdf_preview.open_preview(row.path, f"{row.title} {row.serial_no}", self)
        self.preview_opened.emit(dialog)

    def _on_side_reprinted(self, view: PrintedView) -> None:
        self.show_document(view)
        if self.case_panel.case is not None:
            self.case_panel.load(self.case_panel.case.id)

    def print_catalogue(self) -> None:
        ctx = self._ctx
        self.catalogue_button.setEnabled(False)
        self._runner.submit(lambda: documents.draft(ctx, DocumentRequest("catalogue")),
                            lambda view: (self.catalogue_button.setEnabled(True), self.show_document(view)),
                            lambda e: (self.catalogue_button.setEnabled(True), report_exception(e, self)))
