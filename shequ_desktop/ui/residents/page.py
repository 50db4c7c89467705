"""居民信息: search as you type over a lazy list; add, edit, reveal, import, export."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QMessageBox, QWidget

from shequ_desktop.domain.roles import Permission
from shequ_desktop.i18n import _, ngettext
from shequ_desktop.services import residents, station
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.residents import ResidentDetail, ResidentRow
from shequ_desktop.services.station import GridView
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.generated.ui_resident_page import Ui_ResidentPage
from shequ_desktop.ui.residents.dialog import ResidentDialog
from shequ_desktop.ui.residents.export import ExportAction
from shequ_desktop.ui.residents.import_dialog import ImportDialog
from shequ_desktop.ui.residents.model import ResidentTableModel
from shequ_desktop.ui.tasks import TaskRunner

SEARCH_DELAY_MS = 200


class ResidentPage(QWidget):
    revealed = Signal(str, str, str)    # resident id, id number, phone
    dialog_opened = Signal(QWidget)     # the add/edit/import dialog just shown (tests, main window)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self._grids: list[GridView] = []
        self.ui = Ui_ResidentPage()
        self.ui.setupUi(self)
        self.model = ResidentTableModel(ctx, runner, self)
        self.ui.resident_table.setModel(self.model)
        header = self.ui.resident_table.horizontalHeader()
        for column, width in enumerate((90, 50, 50, 170, 110, 420, 90)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)
        self.ui.search_edit.textChanged.connect(self._search_timer.start)
        self.ui.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self.model.total_changed.connect(self._show_total)
        self.model.failed.connect(lambda e: report_exception(e, self))
        self.ui.resident_table.activated.connect(self._on_resident_table_activated)
        self.ui.add_button.clicked.connect(self.add_resident)
        self.ui.edit_button.clicked.connect(self.edit_selected)
        self.ui.reveal_button.clicked.connect(self.reveal_selected)
        self.ui.import_button.clicked.connect(self.open_import)
        self.export_action = ExportAction(ctx, runner, self)
        self.ui.export_button.clicked.connect(lambda: self.export_action.run(self.model.query))
        self._apply_permissions()
        runner.submit(lambda: station.grids(ctx), self._on_grids_loaded, lambda e: report_exception(e, self))
        self.model.set_query("")

    def _apply_permissions(self) -> None:
        may = self._ctx.may
        for button in (self.ui.add_button, self.ui.edit_button):
            button.setVisible(may(Permission.RESIDENT_EDIT))
        self.ui.reveal_button.setVisible(may(Permission.RESIDENT_REVEAL))
        self.ui.import_button.setVisible(may(Permission.RESIDENT_IMPORT))
        self.ui.export_button.setVisible(may(Permission.RESIDENT_EXPORT))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self.model.retranslate()
            if self.model.total is not None:
                self._show_total(self.model.total)
        super().changeEvent(event)

    # --- search --------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.ui.search_edit.setFocus()
        self.ui.search_edit.selectAll()

    def search_now(self) -> None:
        self._search_timer.stop()
        self.ui.total_label.setText(_("Searching..."))
        self.model.set_query(self.ui.search_edit.text())

    def _on_search_edit_return_pressed(self) -> None:
        if self._search_timer.isActive() or self.ui.search_edit.text() != self.model.query:
            self.search_now()
        self.ui.resident_table.setFocus()
        if self.model.rowCount():
            self.ui.resident_table.selectRow(0)

    def _show_total(self, n: int) -> None:
        self.ui.total_label.setText(ngettext("{n} resident", "{n} residents", n).format(n=n))

    def _on_grids_loaded(self, grids: list[GridView]) -> None:
        self._grids = grids

    def selected_row(self) -> ResidentRow | None:
        index = self.ui.resident_table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    # --- actions -------------------------------------------------------------------------
    def _show_dialog(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog_opened.emit(dialog)

    def add_resident(self) -> None:
        dialog = ResidentDialog(self._ctx, self._runner, self._grids, None, self)
        dialog.saved.connect(self._on_resident_saved)
        self._show_dialog(dialog)

    def _on_resident_table_activated(self, _index: QModelIndex) -> None:
        if self._ctx.may(Permission.RESIDENT_EDIT):
            self.edit_selected()

    def edit_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        ctx = self._ctx
        self._runner.submit(lambda: residents.get(ctx, row.id), self._open_editor, lambda e: report_exception(e, self))

    def _open_editor(self, detail: ResidentDetail) -> None:
        dialog = ResidentDialog(self._ctx, self._runner, self._grids, detail, self)
        dialog.saved.connect(self._on_resident_saved)
        self._show_dialog(dialog)

    def _on_resident_saved(self, detail: ResidentDetail) -> None:
        if not self.ui.search_edit.text().strip():
            self.ui.search_edit.setText(detail.name)    # show the saved record
        self.search_now()

    def reveal_selected(self) -> None:
        """Full ID number and phone of the selected row only; each reveal is audited by the service."""
        row = self.selected_row()
        if row is None:
            return
        ctx = self._ctx

        def job() -> tuple[str, str]:
            phone = residents.reveal(ctx, row.id, "phone", "list") if row.phone_masked else ""
            return residents.reveal(ctx, row.id, "id_number", "list"), phone

        self._runner.submit(job, lambda values: self._on_revealed(row, *values),
                            lambda e: report_exception(e, self))

    def _on_revealed(self, row: ResidentRow, id_number: str, phone: str) -> None:
        text = _("{name}\nID number: {id_number}\nPhone: {phone}").format(
            name=row.name, id_number=id_number, phone=phone or "-")
        box = QMessageBox(QMessageBox.Icon.Information, _("Full numbers"), text, QMessageBox.StandardButton.Close, self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.show()
        self.revealed.emit(row.id, id_number, phone)

    def open_import(self) -> None:
        dialog = ImportDialog(self._ctx, self._runner, self)
        dialog.imported.connect(lambda _result: self.search_now())
        self._show_dialog(dialog)
