"""Intake: find the resident (search as you type, Enter picks) or register one, then pick the service."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from shequ_desktop.domain.service_catalogue import ServiceDefinition
from shequ_desktop.i18n import _, ngettext
from shequ_desktop.services import counter, station
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.residents import ResidentDetail, ResidentRow
from shequ_desktop.services.station import GridView
from shequ_desktop.ui.counter.labels import sex_label
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.residents.dialog import ResidentDialog
from shequ_desktop.ui.residents.model import ResidentTableModel
from shequ_desktop.ui.tasks import TaskRunner

SEARCH_DELAY_MS = 200
CODE_ROLE = Qt.ItemDataRole.UserRole
SHOWN_COLUMNS = (0, 2, 3)          # name, age, masked ID number (address in the tooltip line below)


@dataclass(frozen=True)
class PickedResident:
    id: str
    name: str
    sex: str
    age: int
    id_masked: str
    address: str


class IntakePanel(QWidget):
    resident_picked = Signal(object)        # PickedResident
    service_chosen = Signal(str)            # service code
    dialog_opened = Signal(QWidget)

    def __init__(self, ctx: AppContext, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self._grids: list[GridView] = []
        self._pick_first_when_loaded = False
        self.resident: PickedResident | None = None
        self.services: list[ServiceDefinition] = []
        self._build()
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.search_now)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_edit_return_pressed)
        self.search_edit.installEventFilter(self)
        self.results.activated.connect(self._on_results_activated)
        self.model.page_loaded.connect(self._on_page_loaded)
        self.model.total_changed.connect(self._on_total_changed)
        self.model.failed.connect(lambda e: report_exception(e, self))
        self.new_resident_button.clicked.connect(self.register_resident)
        self.service_list.itemActivated.connect(lambda _item: self.choose_selected_service())
        self.start_button.clicked.connect(self.choose_selected_service)
        runner.submit(lambda: (counter.services(ctx), station.grids(ctx)), self._on_catalogue_loaded,
                      lambda e: report_exception(e, self))

    def _build(self) -> None:
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("resident_search_edit")
        self.search_edit.setClearButtonEnabled(True)
        self.new_resident_button = QPushButton(_("New resident"), self)
        self.new_resident_button.setObjectName("new_resident_button")
        self.model = ResidentTableModel(self._ctx, self._runner, self)
        self.results = QTableView(self)
        self.results.setObjectName("resident_results")
        self.results.setModel(self.model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.verticalHeader().hide()
        self.results.verticalHeader().setDefaultSectionSize(24)
        self.results.horizontalHeader().setStretchLastSection(True)
        for column in range(self.model.columnCount()):
            self.results.setColumnHidden(column, column not in SHOWN_COLUMNS)
        self.results.setColumnWidth(0, 80)
        self.results.setColumnWidth(2, 44)
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("search_hint_label")
        self.hint_label.setStyleSheet("color: #5f6b7a;")
        self.resident_label = QLabel(self)
        self.resident_label.setObjectName("resident_label")
        self.resident_label.setWordWrap(True)
        self.resident_label.setStyleSheet("background: #eef4fb; border: 1px solid #c9d9ec; border-radius: 4px;"
                                          " padding: 6px;")
        self.service_title = QLabel(self)
        self.service_list = QListWidget(self)
        self.service_list.setObjectName("service_list")
        self.service_list.setProperty("data_role", int(CODE_ROLE))   # service names are the catalogue's data
        self.service_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.service_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.start_button = QPushButton(self)
        self.start_button.setObjectName("start_button")
        self.service_error_label = QLabel(self)
        self.service_error_label.setObjectName("service_error_label")
        self.service_error_label.setStyleSheet("color: #a12622;")
        self.service_error_label.setWordWrap(True)
        self.service_error_label.hide()
        top = QHBoxLayout()
        top.addWidget(self.search_edit, 1)
        top.addWidget(self.new_resident_button)
        self.resident_heading = self._heading("")
        self.service_heading = self._heading("")
        upper = QWidget(self)
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(self.resident_heading)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.results, 1)
        upper_layout.addWidget(self.hint_label)
        upper_layout.addWidget(self.resident_label)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 4, 0, 0)
        lower_layout.addWidget(self.service_heading)
        lower_layout.addWidget(self.service_list, 1)
        lower_layout.addWidget(self.service_error_label)
        lower_layout.addWidget(self.start_button)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("intake_splitter")
        self.splitter.addWidget(upper)
        self.splitter.addWidget(lower)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([300, 330])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.retranslate()
        self._show_resident()

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text, self)
        font = label.font()
        font.setBold(True)
        label.setFont(font)
        return label

    def retranslate(self) -> None:
        self.resident_heading.setText(_("1 · Resident"))
        self.service_heading.setText(_("2 · Service"))
        self.search_edit.setPlaceholderText(_("Name, ID number, phone or address (F2)"))
        self.new_resident_button.setText(_("New resident"))
        self.start_button.setText(_("Start case (Enter)"))
        self.hint_label.setText(_("Type to search; Enter picks the first match, ↑↓ choose."))

    # --- resident search -------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _on_search_edit_text_changed(self, text: str) -> None:
        if text.strip():
            self._search_timer.start()
        else:
            self._search_timer.stop()

    def search_now(self) -> None:
        self._search_timer.stop()
        text = self.search_edit.text().strip()
        if text and text != self.model.query:
            self.hint_label.setText(_("Searching..."))
            self.model.set_query(text)

    def _on_search_edit_return_pressed(self) -> None:
        pending = self._search_timer.isActive() or self.search_edit.text().strip() != self.model.query
        if pending:
            self._pick_first_when_loaded = True
            self.search_now()
            return
        current = self.results.currentIndex()
        self.pick_row(current.row() if current.isValid() else 0)

    def _on_page_loaded(self, rows: int) -> None:
        if rows and not self.results.currentIndex().isValid():
            self.results.selectRow(0)
        if self._pick_first_when_loaded:
            self._pick_first_when_loaded = False
            self.pick_row(0)

    def _on_total_changed(self, n: int) -> None:
        if n == 0:
            self.hint_label.setText(_("No resident found. Check the spelling or register a new resident."))
        else:
            self.hint_label.setText(ngettext("{n} resident found", "{n} residents found", n).format(n=n))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """↑/↓ in the search box move through the results without leaving the box."""
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            key = event.key() if isinstance(event, QKeyEvent) else None
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rowCount():
                row = self.results.currentIndex().row()
                step = 1 if key == Qt.Key.Key_Down else -1
                self.results.selectRow(max(0, min(self.model.rowCount() - 1, row + step)))
                return True
        return super().eventFilter(watched, event)

    def _on_results_activated(self, index: QModelIndex) -> None:
        self.pick_row(index.row())

    def pick_row(self, row: int) -> None:
        r: ResidentRow | None = self.model.row_at(row)
        if r is None:
            return
        self.set_resident(PickedResident(r.id, r.name, r.sex, r.age, r.id_masked, r.address))

    def set_resident(self, resident: PickedResident) -> None:
        self.resident = resident
        self.service_error_label.hide()
        self._show_resident()
        self.resident_picked.emit(resident)
        self.service_list.setFocus()
        if self.service_list.currentRow() < 0:
            self._select_first_service()

    def _show_resident(self) -> None:
        r = self.resident
        if r is None:
            self.resident_label.setText(_("No resident chosen yet."))
            return
        age = ngettext("{age} year", "{age} years", r.age).format(age=r.age)
        self.resident_label.setText(f"<b>{r.name}</b>　{sex_label(r.sex)} · " + age
                                    + f"<br>{r.id_masked}<br><span style='color:#5f6b7a'>{r.address}</span>")

    # --- on-the-spot registration ------------------------------------------------------------
    def register_resident(self) -> ResidentDialog:
        dialog = ResidentDialog(self._ctx, self._runner, self._grids, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        text = self.search_edit.text().strip()
        if text and not any(ch.isdigit() for ch in text):
            dialog.ui.name_edit.setText(text)       # the name the clerk already typed
        dialog.saved.connect(self._on_resident_registered)
        dialog.open()
        self.dialog_opened.emit(dialog)
        return dialog

    def _on_resident_registered(self, d: ResidentDetail) -> None:
        self.search_edit.blockSignals(True)
        self.search_edit.setText(d.name)
        self.search_edit.blockSignals(False)
        self.model.set_query(d.name)
        self.set_resident(PickedResident(d.id, d.name, d.sex, d.age, d.id_masked, d.address))

    # --- services ----------------------------------------------------------------------------
    def _on_catalogue_loaded(self, loaded: tuple[list[ServiceDefinition], list[GridView]]) -> None:
        self.services, self._grids = loaded
        self.service_list.clear()
        for simple, title in ((True, _("Simple · finished at this visit")),
                              (False, _("Complex · accept, review and report"))):
            header = QListWidgetItem(title)
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            font = QFont(header.font())
            font.setBold(True)
            header.setFont(font)
            header.setForeground(QBrush(QColor("#5f6b7a")))
            self.service_list.addItem(header)
            for svc in (s for s in self.services if s.simple == simple):
                item = QListWidgetItem("　" + svc.name)
                item.setData(CODE_ROLE, svc.code)
                limit = _("same visit") if svc.simple else ngettext(
                    "{n} working day", "{n} working days", svc.time_limit_wd).format(n=svc.time_limit_wd)
                item.setToolTip(f"{svc.name}\n{svc.category} · {limit}\n{svc.conditions}")
                self.service_list.addItem(item)

    def _select_first_service(self) -> None:
        for row in range(self.service_list.count()):
            if self.service_list.item(row).data(CODE_ROLE):
                self.service_list.setCurrentRow(row)
                return

    def follow_case(self, code: str) -> None:
        """Select the service of the case shown (nothing is started)."""
        row = self.service_row(code)
        if row >= 0 and row != self.service_list.currentRow():
            self.service_list.setCurrentRow(row)
            self.service_list.scrollToItem(self.service_list.item(row))

    def service_row(self, code: str) -> int:
        return next((row for row in range(self.service_list.count())
                     if self.service_list.item(row).data(CODE_ROLE) == code), -1)

    def choose_service(self, code: str) -> None:
        self.service_list.setCurrentRow(self.service_row(code))
        self.choose_selected_service()

    def choose_selected_service(self) -> None:
        item = self.service_list.currentItem()
        code = item.data(CODE_ROLE) if item is not None else None
        if self.resident is None:
            self.show_service_error(_("First find the resident (or register a new one)."))
            self.focus_search()
            return
        if not code:
            self.show_service_error(_("Choose a service from the list."))
            return
        self.service_error_label.hide()
        self.service_chosen.emit(str(code))

    def show_service_error(self, text: str) -> None:
        self.service_error_label.setText(text)
        self.service_error_label.show()
