"""The main window: module navigation on the left, pages on the right, status bar, idle lock."""

from __future__ import annotations

import logging

from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QListWidgetItem, QMainWindow, QMenu, QMessageBox, QStyle, QWidget

from shequ_desktop import i18n
from shequ_desktop.domain.roles import Permission, Role
from shequ_desktop.i18n import N_, _
from shequ_desktop.services import overview
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.policy import current_policy
from shequ_desktop.ui import qt_i18n
from shequ_desktop.ui.generated.ui_main_window import Ui_MainWindow
from shequ_desktop.ui.lock import IdleLock
from shequ_desktop.ui.residents import ResidentPage
from shequ_desktop.ui.settings import SettingsDialog, save_language
from shequ_desktop.ui.status import StatusBarWidget
from shequ_desktop.ui.sync import SyncController, install_sync
from shequ_desktop.ui.tasks import TaskRunner
from shequ_desktop.ui.window_state import remember_splitters, restore_main_window, save_main_window

log = logging.getLogger(__name__)
KEY_ROLE = Qt.ItemDataRole.UserRole
TITLE_ROLE = Qt.ItemDataRole.UserRole + 1
COMING_SOON: tuple[tuple[str, str], ...] = ()
ADMIN_PAGES = (("calendar", N_("Working days"), "CalendarPage"), ("policy", N_("Policy"), "PolicyPage"),
               ("audit", N_("Audit log"), "AuditPage"), ("users", N_("Users"), "UsersPage"))
ADMIN_ONLY_PAGES = {"users"}
NAV_ITEM_PADDING = 8               # forms/main_window.ui: QListWidget::item { padding: 8px; }
NAV_MIN_WIDTH, NAV_MAX_WIDTH = 120, 230       # the administrator's alone (USER_ADMIN)


class MainWindow(QMainWindow):
    restore_requested = Signal(Path)   # the admin chose a backup to restore (the Application reopens)
    logged_out = Signal()              # 注销 / 切换用户: back to the login window, the program keeps running
    def __init__(self, ctx: AppContext, runner: TaskRunner, community_name: str,
                 parent: QWidget | None = None, with_sync: bool = True) -> None:
        super().__init__(parent)
        self._ctx, self._runner = ctx, runner
        self._pages: dict[str, QWidget] = {}
        self.idle_minutes: int | None = None
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.status = StatusBarWidget(ctx.user, community_name, self)
        self.ui.status_bar.addPermanentWidget(self.status, 1)
        self.status.overdue_clicked.connect(lambda: self.open_overdue())
        self.ui.nav_list.currentItemChanged.connect(self._on_nav_list_current_item_changed)
        self.ui.settings_action.triggered.connect(self.open_settings)
        self.ui.quit_action.triggered.connect(self.close)
        self.idle_lock = IdleLock(ctx, runner, self)
        self.ui.lock_action.triggered.connect(self.idle_lock.lock)
        self.ui.logout_action.triggered.connect(self.log_out)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.focus_search)
        from shequ_desktop.ui.counter import CounterPage
        if ctx.may(Permission.COUNTER_WORK):
            self.counter_page = CounterPage(ctx, runner, self)
            self.add_page("counter", N_("One-window service"), self.counter_page)
        self.resident_page = ResidentPage(ctx, runner, self)
        self.add_page("residents", N_("Residents"), self.resident_page)
        if ctx.may(Permission.SPECIAL_WORK):
            from shequ_desktop.ui.special_groups import SpecialGroupsPage
            self.special_groups_page = SpecialGroupsPage(ctx, runner, self)
            self.add_page("special_groups", N_("Special groups"), self.special_groups_page)
        if ctx.may(Permission.MEDIATION_WORK):
            from shequ_desktop.ui.mediation import MediationPage
            self.mediation_page = MediationPage(ctx, runner, self)
            self.add_page("mediation", N_("Mediation"), self.mediation_page)
        if ctx.may(Permission.OVERSIGHT) or ctx.may(Permission.OVERSIGHT_WORK):    # workers: their own figures
            from shequ_desktop.ui.oversight import OversightPage
            self.oversight_page = OversightPage(ctx, runner, self)
            self.add_page("oversight", N_("Oversight"), self.oversight_page)
        if ctx.may(Permission.EMERGENCY_WORK):
            from shequ_desktop.ui.emergency import EmergencyPage
            self.emergency_page = EmergencyPage(ctx, runner, self)
            self.add_page("emergency", N_("Emergency"), self.emergency_page)
            self.emergency_page.kit_status_changed.connect(self._on_kit_status)
        for key, title in COMING_SOON:
            self.add_placeholder(key, title)
        if ctx.may(Permission.COUNTER_WORK):
            from shequ_desktop.ui.documents import VerifyPage
            self.add_page("verify", N_("Check a document"), VerifyPage(ctx, runner, self))
        if ctx.user.role in (Role.CHIEF, Role.ADMIN):
            self._add_admin_pages()
        self.ui.nav_list.setCurrentRow(0)
        # Names as entered, shown inside program texts (title, status bar): not words to translate.
        self.setProperty("user_data_text", [ctx.user.display_name, community_name])
        remember_splitters(self, ctx.user.login)
        self.ui.about_action.triggered.connect(self.show_about)
        self._retranslate()
        self.reload_policy()
        self.sync: SyncController | None = None
        if with_sync:   # tests that drive the hub connection install it themselves, after configuring
            self.install_sync(install_sync(self, ctx, runner))
        self._alert_timer = QTimer(self, interval=5 * 60_000)   # overdue items appear while the app runs
        self._alert_timer.timeout.connect(self.refresh_alerts)
        self._alert_timer.start()
        self.refresh_alerts()

    def install_sync(self, controller: SyncController) -> None:
        self.sync = controller
        controller.overdue_changed.connect(lambda _n: self.refresh_alerts())

    # --- alerts (computed locally: works offline) -------------------------------------------
    def refresh_alerts(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: overview.alerts(ctx), self._on_alerts_loaded, lambda _e: None)
        if getattr(self, "emergency_page", None) is not None:
            self.emergency_page.refresh_kit_status()

    def _on_kit_status(self, status: object) -> None:
        """The chief is reminded when the last printed emergency kit is old or the team/files changed much."""
        from shequ_desktop.domain.roles import Permission
        if self._ctx.may(Permission.EMERGENCY_ALL):
            self.status.set_kit_status(status)

    def _on_alerts_loaded(self, alerts: overview.Alerts) -> None:
        orders = self.sync.overdue_count() if self.sync else 0
        self.status.set_overdue(alerts.overdue + orders,   # cases + work orders; the tooltip says which
                                (*alerts.by_kind, ("work_orders", orders)))
        self.status.set_calendar_warning(alerts.calendar_missing_year)

    def open_overdue(self, kind: str | None = None) -> QMenu | None:
        """The status bar's overdue count was clicked: open the list behind it — with items in several modules,
        a menu says where they are (returned, shown at the count); ``kind`` opens one module's list."""
        parts = self.status.overdue_parts()
        if kind is None and len(parts) == 1:
            kind = parts[0][0]
        if kind is None:
            if not parts:
                return None
            from shequ_desktop.ui.status import OVERDUE_KINDS
            menu = QMenu(self)
            menu.setObjectName("overdue_menu")
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            for key, n in parts:
                action = menu.addAction(_("{where}: {n} overdue").format(where=_(OVERDUE_KINDS.get(key, key)), n=n))
                action.setData(key)
                action.triggered.connect(lambda _c=False, key=key: self.open_overdue(key))
            label = self.status.overdue_label     # above the count: the status bar is at the screen's foot
            menu.popup(label.mapToGlobal(QPoint(0, -menu.sizeHint().height())))
            return menu
        if kind == "hotline" and getattr(self, "oversight_page", None) is not None:
            self.show_page("oversight")
            self.oversight_page.show_overdue_complaints()
        elif kind == "counter" and getattr(self, "counter_page", None) is not None:
            self.show_page("counter")
            if self.counter_page.overdue_badge.isVisible():
                self.counter_page.overdue_badge.click()
        elif kind in self._pages:
            self.show_page(kind)
        return None

    def show_about(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: overview.about(ctx), self._on_about_loaded)

    def _on_about_loaded(self, facts: overview.AboutFacts) -> None:
        coverage = _("holiday data up to {year}").format(year=facts.calendar_last_year)
        if facts.calendar_missing_year:
            coverage += " · " + _("{year} not imported yet: deadlines are provisional").format(
                year=facts.calendar_missing_year)
        text = "\n".join([
            _("Community Workstation") + f" {facts.version}",
            _("Database: {path}").format(path=facts.database),
            _("Data folder: {path}").format(path=facts.data_folder),
            _("Schema version: {rev}").format(rev=facts.schema),
            _("Working-day calendar: {coverage}").format(coverage=coverage)])
        box = QMessageBox(QMessageBox.Icon.Information, _("About"), text, QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("about_box")
        box.open()

    # --- pages ---------------------------------------------------------------------------
    def add_page(self, key: str, title: str, widget: QWidget) -> None:
        """Plug a module page in; ``title`` is an English message id (translated when shown)."""
        item = self._nav_item(key, title)
        self.ui.page_stack.addWidget(widget)
        self._pages[key] = widget
        self.ui.nav_list.addItem(item)
        self._fit_nav()

    def add_placeholder(self, key: str, title: str) -> None:
        """A module not built yet: listed, disabled, no fake page."""
        item = self._nav_item(key, title)
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)
        item.setToolTip(_("Coming soon"))
        self.ui.nav_list.addItem(item)
        self._fit_nav()

    def _nav_item(self, key: str, title: str) -> QListWidgetItem:
        item = QListWidgetItem(_(title))
        item.setData(KEY_ROLE, key)
        item.setData(TITLE_ROLE, title)
        return item

    def page(self, key: str) -> QWidget | None:
        return self._pages.get(key)

    def show_page(self, key: str) -> None:
        for row in range(self.ui.nav_list.count()):
            if self.ui.nav_list.item(row).data(KEY_ROLE) == key:
                self.ui.nav_list.setCurrentRow(row)

    def _add_admin_pages(self) -> None:
        try:
            from shequ_desktop.ui import admin
        except ImportError:
            log.info("admin pages not available")
            return
        for key, title, class_name in ADMIN_PAGES:
            page_class = getattr(admin, class_name, None)
            if key in ADMIN_ONLY_PAGES and not self._ctx.may(Permission.USER_ADMIN):
                continue
            if page_class is not None:
                page = page_class(self._ctx, self._runner, self)
                self.add_page(key, title, page)
                if hasattr(page, "policy_saved"):   # a new idle-lock time applies to this session at once
                    page.policy_saved.connect(lambda _v: self.reload_policy())

    def _on_nav_list_current_item_changed(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is not None and item.data(KEY_ROLE) in self._pages:
            self.ui.page_stack.setCurrentWidget(self._pages[item.data(KEY_ROLE)])

    def focus_search(self) -> None:
        page = self.ui.page_stack.currentWidget()
        if hasattr(page, "focus_search"):
            page.focus_search()

    # --- language, settings, lock --------------------------------------------------------
    def _retranslate(self) -> None:
        self.setWindowTitle(_("Community Workstation") + " · " + self._ctx.user.display_name)
        for row in range(self.ui.nav_list.count()):
            item = self.ui.nav_list.item(row)
            item.setText(_(item.data(TITLE_ROLE)))
            if not item.flags() & Qt.ItemFlag.ItemIsEnabled:
                item.setToolTip(_("Coming soon"))
        self._fit_nav()

    def _fit_nav(self) -> None:
        """The navigation is as wide as its longest label in the current language (none is cut with "…")."""
        nav = self.ui.nav_list
        nav.ensurePolished()
        metrics = nav.fontMetrics()
        longest = max((metrics.horizontalAdvance(nav.item(row).text()) for row in range(nav.count())), default=0)
        # item padding (2 × 8 px in the form's style sheet), the frame, and room for a vertical scroll bar
        needed = longest + 2 * NAV_ITEM_PADDING + 2 * nav.frameWidth() + nav.style().pixelMetric(
            QStyle.PixelMetric.PM_ScrollBarExtent) + 8
        width = max(NAV_MIN_WIDTH, min(NAV_MAX_WIDTH, needed))
        nav.setMinimumWidth(width)
        nav.setMaximumWidth(width)
        nav.setWordWrap(needed > NAV_MAX_WIDTH)   # a label longer than the cap wraps rather than being cut

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.ui.retranslateUi(self)
            self._retranslate()
        super().changeEvent(event)

    def reload_policy(self) -> None:
        ctx = self._ctx
        self._runner.submit(lambda: int(current_policy(ctx).get("idle_lock_minutes")), self._on_policy_loaded)

    def _on_policy_loaded(self, minutes: int) -> None:
        self.idle_minutes = minutes
        self.idle_lock.set_timeout_ms(minutes * 60_000)

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(i18n.current_language(), self.idle_minutes, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.set_language(dialog.chosen_language()))
        dialog.open()
        return dialog

    def set_language(self, language: str) -> None:
        """Remember the choice and switch every open window now."""
        save_language(language)
        if language != i18n.current_language():
            qt_i18n.apply_language(language)

    def show_as_left(self) -> None:
        """Open as this user left it (size, maximised, splitters); the first time fitted to the screen."""
        restore_main_window(self, self._ctx.user.login)

    def log_out(self) -> None:
        """注销: the logout is written to the audit log, then ``logged_out`` (the Application shows the login)."""
        from shequ_desktop.services import users
        ctx = self._ctx
        self.ui.logout_action.setEnabled(False)
        self._runner.submit(lambda: users.log_out(ctx), lambda _r: self.logged_out.emit(),
                            lambda error: (log.error("logout audit failed: %s", error), self.logged_out.emit()))

    def shutdown(self) -> None:
        """Stop timers and background work before the window goes away."""
        if self.isVisible():
            save_main_window(self, self._ctx.user.login)
        self._alert_timer.stop()
        self.idle_lock.shutdown()
        if self.sync is not None:
            self.sync.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)
