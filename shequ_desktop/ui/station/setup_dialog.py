"""工作站设置: what every printed document says about the station. The administrator fills it in at the first
start (it opens by itself while the station is not set up) and changes it later from 系统 → 工作站信息….
The same values are set from the command line with ``shequ-admin station set``."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QMainWindow,
                               QVBoxLayout, QWidget)

from shequ_desktop.domain.errors import UserError, ValidationErrors
from shequ_desktop.domain.roles import Permission
from shequ_desktop.i18n import N_, _, error_text
from shequ_desktop.services import station
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.station import StationInfo
from shequ_desktop.ui.errors import report_exception
from shequ_desktop.ui.tasks import TaskRunner

# field → (label msgid, maximum length, example)
FIELDS: dict[str, tuple[str, int, str]] = {
    "community_name": (N_("Community name"), 64, "幸福里"),
    "station_name": (N_("Station name"), 100, "幸福里社区工作站"),
    "address": (N_("Address (where residents are served)"), 200, "幸福里社区党群服务中心一楼服务窗口"),
    "phone": (N_("Phone"), 32, "0755-8888 6601"),
    "hours": (N_("Office hours"), 200, "工作日 上午9:00—12:00、下午2:00—5:30"),
    "hotline": (N_("Supervision hotline"), 32, "12345"),
    "seal_name": (N_("Name on the seal line"), 100, "幸福里社区居民委员会"),
}


class StationSetupDialog(QDialog):
    """Edit the station's settings; every field shows its error below it (the dialog does not jump)."""

    saved = Signal(object)              # StationInfo

    def __init__(self, ctx: AppContext, runner: TaskRunner, info: StationInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("station_setup_dialog")
        self.ctx, self.runner = ctx, runner
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        self.names: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, (_label, limit, example) in FIELDS.items():
            edit = QLineEdit(getattr(info, key), self)
            edit.setObjectName(f"{key}_edit")
            edit.setMaxLength(limit)
            edit.setPlaceholderText(example)
            edit.setProperty("user_data", True)    # the station's own Chinese names: examples of data, not UI text
            error = QLabel(self)
            error.setObjectName(f"{key}_error")
            error.setStyleSheet("color: #c62828;")
            error.setFixedHeight(error.fontMetrics().height())   # reserved: the dialog does not jump
            column = QVBoxLayout()
            column.setSpacing(0)
            column.addWidget(edit)
            column.addWidget(error)
            name = QLabel(self)
            self.edits[key], self.errors[key], self.names[key] = edit, error, name
            form.addRow(name, column)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_button")
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.resize(640, 520)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setWindowTitle(_("Station settings"))
        self.intro.setText(_("These values are printed on every document: the station's name above the title, the "
                             "address, phone and office hours on notices, the supervision hotline, and the name on "
                             "the seal line of certificates."))
        for key, (label, _limit, _example) in FIELDS.items():
            self.names[key].setText(_(label))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802  (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def values(self) -> dict[str, str]:
        return {key: edit.text() for key, edit in self.edits.items()}

    def save(self) -> None:
        for label in self.errors.values():
            label.clear()
        ctx, values = self.ctx, self.values()
        self.save_button.setEnabled(False)
        self.runner.submit(lambda: station.set_station(ctx, **values), self._on_saved, self._on_failed)

    def _on_saved(self, info: object) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(info)
        self.accept()

    def _on_failed(self, error: object) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(error, UserError):
            report_exception(error, self)
            return
        for e in error.errors if isinstance(error, ValidationErrors) else [error]:
            target = self.errors.get(e.field or "", self.errors["station_name"])
            target.setText(error_text(e))


class _StationMenu(QObject):
    def __init__(self, window: QMainWindow, ctx: AppContext, runner: TaskRunner) -> None:
        super().__init__(window)
        self.setObjectName("station_menu")
        self._window, self._ctx, self._runner = window, ctx, runner
        self.dialog: StationSetupDialog | None = None
        self.action = QAction(_("Station settings..."), window)
        self.action.setObjectName("station_settings_action")
        self.action.triggered.connect(lambda _checked=False: self.open())
        window.ui.system_menu.insertAction(window.ui.settings_action, self.action)  # type: ignore[attr-defined]
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self._window and event.type() == QEvent.Type.LanguageChange:
            self.action.setText(_("Station settings..."))
        return False

    def open(self, only_if_new: bool = False) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: station.station_info(ctx), lambda info: self._show(info, only_if_new))

    def _show(self, info: object, only_if_new: bool) -> None:
        assert isinstance(info, StationInfo)
        if only_if_new and info.configured:
            return
        self.dialog = StationSetupDialog(self._ctx, self._runner, info, self._window)
        self.dialog.open()


def install_station_setup(window: QMainWindow, ctx: AppContext, runner: TaskRunner) -> QObject | None:
    """For the administrator: 系统 → 工作站信息…, and the set-up opens by itself while the station is not set up."""
    if not ctx.may(Permission.USER_ADMIN):
        return None
    menu = _StationMenu(window, ctx, runner)
    menu.open(only_if_new=True)
    return menu
