"""Wires hub sync into the main window: background sync, the status bar, 立即同步, 同步设置…, the pages.

Threads: BackgroundSync runs ``services.sync.sync_now`` on its own thread with its own SQLite
connections (each of its transactions is short; busy_timeout covers the DB thread's writes). Its
result comes back through a queued signal; everything else runs on the TaskRunner's DB thread.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMessageBox

from shequ_desktop.domain import messages
from shequ_desktop.domain.roles import Role
from shequ_desktop.i18n import N_, _, ngettext
from shequ_desktop.services import sync, work_orders
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.sync import BackgroundSync, SyncResult, SyncStatus
from shequ_desktop.ui.sync.settings_dialog import SyncSettingsDialog
from shequ_desktop.ui.sync.status_text import problem_text
from shequ_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
OVERDUE_REFRESH_MS = 60_000


class _ThreadGate:
    """The sync thread's only way into its controller: it emits while the controller lives, never after.
    ``BackgroundSync.stop`` waits 10 s; a sync still running then (a slow hub, a loaded PC) used to report its
    result and progress on the signals of a controller deleted with its window: an error or a crash."""

    def __init__(self, controller: SyncController) -> None:
        self._lock = threading.Lock()
        self._open = True
        self._result, self._progress = controller.result_arrived, controller.progress_arrived
        controller.destroyed.connect(self.close)

    def close(self, *_args: object) -> None:
        with self._lock:
            self._open = False

    def result(self, result: SyncResult) -> None:        # on the sync thread
        with self._lock:
            if self._open:
                self._result.emit(result)

    def progress(self, done: int, total: int) -> None:   # on the sync thread
        with self._lock:
            if self._open:
                self._progress.emit(done, total)


class SyncController(QObject):
    """One per main window. ``shutdown()`` stops the background thread (call it on close)."""

    result_arrived = Signal(object)       # SyncResult, emitted on the sync thread, delivered queued
    progress_arrived = Signal(int, int)   # records loaded, of total (first download), emitted on the sync thread
    sync_finished = Signal(object)        # SyncResult, after the status and pages were refreshed
    status_changed = Signal(object)       # SyncStatus
    overdue_changed = Signal(int)         # overdue open work orders (the chief: the whole station's)

    def __init__(self, window: Any, ctx: AppContext, runner: TaskRunner) -> None:
        super().__init__(window)
        self.window, self.ctx, self.runner = window, ctx, runner
        self.background: BackgroundSync | None = None
        self.last_status: SyncStatus | None = None
        self.last_result: SyncResult | None = None
        self.syncing = False
        self.resyncing = False
        self._overdue = 0
        self._closed = False
        self.is_chief = ctx.user.role in (Role.CHIEF, Role.ADMIN)
        self.result_arrived.connect(self._on_result_arrived, Qt.ConnectionType.QueuedConnection)
        self.progress_arrived.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self.work_orders_page: Any = None
        self.conflicts_page: Any = None
        self.settings_dialog: SyncSettingsDialog | None = None
        self._overdue_timer = QTimer(self, interval=OVERDUE_REFRESH_MS)
        self._overdue_timer.timeout.connect(self.refresh_overdue)
        self._gate = _ThreadGate(self)

    # --- set-up -------------------------------------------------------------------------------
    def install(self) -> SyncController:
        from shequ_desktop.ui.sync.conflicts_page import ConflictsPage
        from shequ_desktop.ui.sync.work_orders_page import WorkOrdersPage
        self._add_actions()
        self.work_orders_page = WorkOrdersPage(self.ctx, self.runner, self.window)
        self.work_orders_page.step_recorded.connect(lambda *_a: self._after_local_change())
        self.window.add_page("work_orders", N_("Work orders"), self.work_orders_page)
        if self.is_chief:
            self.work_orders_page.set_scope_all(True)
            self.conflicts_page = ConflictsPage(self.ctx, self.runner, self.window)
            self.conflicts_page.conflict_resolved.connect(lambda _id: self._after_local_change())
            self.conflicts_page.retried.connect(lambda _n: self.sync_now())
            self.window.add_page("sync_conflicts", N_("Sync conflicts"), self.conflicts_page)
        ctx = self.ctx
        self.runner.submit(lambda: (sync.hub_settings(ctx) is not None, sync.interval_minutes(ctx)),
                           self._on_settings_loaded, self._on_task_failed)
        self._overdue_timer.start()
        self.refresh_overdue()
        self.window.installEventFilter(self)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)     # safety net if the window forgets to call shutdown()
        return self

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.window and event.type() == QEvent.Type.LanguageChange and not self._closed:
            self.sync_menu.setTitle(_("S&ync"))
            self.sync_now_action.setText(_("Sync now"))
            self.sync_settings_action.setText(_("Sync settings…"))
            if self.resync_action is not None:
                self.resync_action.setText(_("Full resync…"))
            self.refresh_status()                    # the problem text is rebuilt in the new language
        return False

    def _add_actions(self) -> None:
        ui = self.window.ui
        self.sync_menu = QMenu(_("S&ync"), self.window)
        self.sync_menu.setObjectName("sync_menu")
        self.sync_now_action = QAction(_("Sync now"), self.window, objectName="sync_now_action")
        self.sync_now_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.sync_now_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.sync_now_action.triggered.connect(self.sync_now)
        self.sync_settings_action = QAction(_("Sync settings…"), self.window, objectName="sync_settings_action")
        self.sync_settings_action.triggered.connect(self.open_settings)
        self.sync_menu.addAction(self.sync_now_action)
        self.sync_menu.addAction(self.sync_settings_action)
        self.resync_action: QAction | None = None
        if self.ctx.user.role is Role.ADMIN:     # the recovery path, for the one who sets up the PC
            self.resync_action = QAction(_("Full resync…"), self.window, objectName="resync_action")
            self.resync_action.triggered.connect(self.start_resync)
            self.sync_menu.addSeparator()
            self.sync_menu.addAction(self.resync_action)
        ui.menu_bar.addMenu(self.sync_menu)
        self.window.addAction(self.sync_now_action)        # the shortcut works without opening the menu
        if hasattr(ui, "main_toolbar"):
            ui.main_toolbar.insertAction(ui.main_toolbar.actions()[0] if ui.main_toolbar.actions() else None,
                                         self.sync_now_action)

    @Slot(object)
    def _on_settings_loaded(self, loaded: tuple[bool, int]) -> None:
        configured, minutes = loaded
        if configured:
            self.start_background(minutes)
        self.refresh_status()

    def start_background(self, minutes: int | None = None) -> None:
        """(Re)start the background sync; the first run starts at once."""
        self.stop_background()
        if self._closed:
            return
        interval = 60.0 * (minutes or sync.DEFAULT_INTERVAL_MINUTES)
        self.background = BackgroundSync(self.ctx, interval_s=interval, on_result=self._gate.result,
                                         on_progress=self._gate.progress)
        self._set_syncing(True)
        self.background.start()

    def stop_background(self) -> None:
        if self.background is not None:
            self.background.stop()
            self.background = None

    def shutdown(self) -> None:
        """Stop the background sync cleanly (window close). A running sync finishes its transaction."""
        if self._closed:
            return
        self._closed = True
        self._gate.close()
        self._overdue_timer.stop()
        self.stop_background()
        if self.work_orders_page is not None:
            self.work_orders_page.tick_timer.stop()

    # --- syncing ----------------------------------------------------------------------------------
    @property
    def configured(self) -> bool:
        return self.background is not None

    def sync_now(self) -> None:
        """立即同步: wake the background thread; without a hub, explain (and offer the settings to the admin)."""
        if self.background is None:
            self.refresh_status()
            if self.ctx.user.role is Role.ADMIN:
                self.open_settings()
            return
        self._set_syncing(True)
        self.background.sync_now()

    def _set_syncing(self, on: bool) -> None:
        self.syncing = on
        self.sync_now_action.setEnabled(True)
        if on:
            self.window.status.set_sync_problem(_("Syncing…"), "info")

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        """The first download of the community's records (can take a while on a slow network)."""
        if self._closed or not self.syncing:
            return
        self.window.status.set_sync_problem(
            _("Downloading the community's records: {done} of {total}").format(
                done=f"{done:,}", total=f"{total:,}"), "info")

    @Slot(object)
    def _on_result_arrived(self, result: SyncResult) -> None:
        if self._closed:
            return
        self.last_result = result
        self._set_syncing(False)
        if result.ok and self.is_chief:
            ctx = self.ctx
            # New requests from the platform go to the grid's A worker (B when A is absent).
            self.runner.submit(lambda: work_orders.dispatch_pending(ctx), self._on_dispatched,
                               lambda e: self._after_sync(result))
            self._pending_result = result
        else:
            self._after_sync(result)

    def _on_dispatched(self, dispatched: work_orders.DispatchResult) -> None:
        result = getattr(self, "_pending_result", self.last_result)
        if dispatched.dispatched or dispatched.unassigned:
            self.work_orders_page.show_dispatch_result(dispatched)
            if dispatched.dispatched and self.background is not None:
                self.background.sync_now()     # send the dispatch to the hub right away
        self._after_sync(result)

    def _after_sync(self, result: SyncResult | None) -> None:
        self.refresh_status()
        if self.work_orders_page is not None:
            self.work_orders_page.reload()
        if self.conflicts_page is not None:
            self.conflicts_page.reload()
        self.refresh_overdue()
        self.sync_finished.emit(result)

    def _after_local_change(self) -> None:
        """A step or a conflict decision was saved: send it to the hub now (when connected)."""
        self.refresh_overdue()
        if self.background is not None:
            self._set_syncing(True)
            self.background.sync_now()
        self.refresh_status()

    # --- status bar ------------------------------------------------------------------------------
    def refresh_status(self) -> None:
        ctx = self.ctx
        self.runner.submit(lambda: sync.status(ctx), self._on_status_loaded, self._on_task_failed)

    def _on_status_loaded(self, st: SyncStatus) -> None:
        if self._closed:
            return
        self.last_status = st
        online = bool(st.configured and st.online)
        self.window.status.set_network_state(online, st.pending if st.configured else 0, st.last_success_at)
        text, kind = problem_text(st)
        if self.syncing and st.configured:
            text, kind = _("Syncing…"), "info"
        self.window.status.set_sync_problem(text, kind)
        self.status_changed.emit(st)

    def problem(self) -> str:
        return self.window.status.sync_problem_label.text()

    # --- overdue work orders ------------------------------------------------------------------------
    def overdue_count(self) -> int:
        """Overdue open work orders this user answers for (all of the station's for the chief)."""
        return self._overdue

    def refresh_overdue(self) -> None:
        ctx = self.ctx
        self.runner.submit(lambda: len(work_orders.overdue(ctx)), self._on_overdue_counted, lambda _e: None)

    def _on_overdue_counted(self, n: int) -> None:
        if n != self._overdue:
            self._overdue = n
            self.overdue_changed.emit(n)

    # --- settings --------------------------------------------------------------------------------
    def open_settings(self) -> None:
        """同步设置…: the dialog opens (non-modal to tests: ``open()``) once the stored settings are read."""
        ctx = self.ctx
        self.runner.submit(lambda: sync.hub_settings(ctx), self._show_settings, self._on_task_failed)

    def _show_settings(self, current: sync.HubSettings | None) -> None:
        if self.settings_dialog is not None:
            self.settings_dialog.raise_()
            return
        dialog = SyncSettingsDialog(self.ctx, self.runner, current, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.configured.connect(self._on_dialog_configured)
        dialog.finished.connect(self._on_settings_dialog_finished)
        self.settings_dialog = dialog
        dialog.open()

    def _on_settings_dialog_finished(self, _code: int) -> None:
        self.settings_dialog = None

    def _on_dialog_configured(self, _settings: sync.HubSettings) -> None:
        ctx = self.ctx
        self.runner.submit(lambda: sync.interval_minutes(ctx), self.start_background, self._on_task_failed)

    # --- full resync ------------------------------------------------------------------------------
    def start_resync(self) -> None:
        """完全重新同步…: explain and ask first (non-blocking box ``resync_box``); Yes → ``resync_confirmed``."""
        box = QMessageBox(QMessageBox.Icon.Question, _("Full resync"), _(
            "Load this community's records again from the hub?\n\nUse this when this workstation's data has "
            "drifted from the hub (an old backup restored, records removed by hand). A backup is taken first; "
            "changes not yet on the hub stop the resync so that nothing is lost."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)
        box.setObjectName("resync_box")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(self.resync_confirmed)
        box.open()

    def resync_confirmed(self) -> None:
        if self.resyncing:
            return
        self.resyncing = True
        self.stop_background()                      # one sync at a time; restarted when done
        self._set_syncing(True)
        self.window.status.set_sync_problem(_("Full resync: loading the community's records again…"), "info")
        ctx = self.ctx
        self.runner.submit_network(lambda: sync.resync(ctx), self._on_resynced, self._on_resync_failed)

    def _on_resynced(self, res: sync.ResyncResult) -> None:
        self.resyncing = False
        self.last_result = res.sync
        self._set_syncing(False)
        if res.sync.ok:
            text = ngettext("Full resync finished: {n} record loaded again from the hub. Backup taken before: {path}",
                            "Full resync finished: {n} records loaded again from the hub. Backup taken before: {path}",
                            res.sync.pulled).format(n=f"{res.sync.pulled:,}", path=str(res.backup))
        else:
            text = _("The records were cleared after a backup ({path}), but loading them again failed: {problem}. "
                     "The next sync loads them.").format(
                         path=str(res.backup),
                         problem=messages.render(res.sync.problem_detail or res.sync.problem, _, ngettext))
        box = QMessageBox(QMessageBox.Icon.Information if res.sync.ok else QMessageBox.Icon.Warning,
                          _("Full resync"), text, QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("resync_result_box")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._restart_after_resync()
        self._after_sync(res.sync)

    def _on_resync_failed(self, error: object) -> None:
        self.resyncing = False
        self._set_syncing(False)
        self._restart_after_resync()
        self.refresh_status()
        self._on_task_failed(error)

    def _restart_after_resync(self) -> None:
        ctx = self.ctx
        self.runner.submit(lambda: (sync.hub_settings(ctx) is not None, sync.interval_minutes(ctx)),
                           self._on_settings_loaded, self._on_task_failed)

    def _on_task_failed(self, error: object) -> None:
        from shequ_desktop.ui.errors import report_exception
        report_exception(error, self.window)
