"""Composition root: ``shequ-desktop [--db PATH] [--demo] [--lang zh_CN|en]``.

Wires logging, translation, the database, the one DB worker thread and the windows.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from shequ_desktop import __version__, paths
from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import SUPPORTED, _, error_text
from shequ_desktop.ui import qt_i18n
from shequ_desktop.ui.errors import install_excepthook, report_exception
from shequ_desktop.ui.login import LoginWindow
from shequ_desktop.ui.settings import saved_language
from shequ_desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:  # SQLAlchemy/Alembic/ReportLab load on the worker thread, after the login window shows
    from shequ_desktop.persistence.db import Database
    from shequ_desktop.services.context import AppContext, CurrentUser
    from shequ_desktop.ui.main_window import MainWindow

log = logging.getLogger("shequ")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="shequ-desktop", description="社区工作站桌面端")
    parser.add_argument("--db", type=Path, help="database file (default: the per-user data folder)")
    parser.add_argument("--demo", action="store_true", help="use demo.db and fill it with a demo community")
    parser.add_argument("--lang", choices=SUPPORTED, help="user interface language")
    parser.add_argument("--version", action="version", version=f"shequ-desktop {__version__}")
    return parser.parse_args(argv)


def setup_logging() -> Path:
    import logging.handlers   # after the first paint: the handlers module pulls in socket, pickle …
    path = paths.log_dir() / "shequ-desktop.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


class Opened(NamedTuple):
    ctx: AppContext
    community_name: str
    has_users: bool
    residents: int


def open_store(db_path: Path) -> Opened:
    """Runs on the DB thread: open/upgrade the store, make sure the station and catalogue exist."""
    from shequ_desktop.persistence.db import open_database
    from shequ_desktop.services import counter, demo, residents, station
    from shequ_desktop.services.context import AppContext
    db = open_database(db_path)
    ctx = station.ensure_station(AppContext(db=db))
    counter.ensure_catalogue(ctx)
    _startup_backup(ctx)
    return Opened(ctx, station.community(ctx).name, demo.users_present(ctx), residents.total(ctx))


def _startup_backup(ctx: AppContext) -> None:
    """The first start of each day takes a verified backup; a failure is logged, never fatal."""
    from shequ_desktop.services import auto_backup
    try:
        result = auto_backup.startup_backups(ctx)
        log.info("startup backup: %s", result)
    except Exception:  # a full disk must not keep the clerks from working; the log says why
        log.exception("startup backup failed")


def first_user_command(db_path: Path) -> str:
    """The whole ``create-user`` command for the first administrator of this store (typed as it is shown)."""
    return f'shequ-admin --db "{db_path}" create-user admin --role admin --name 系统管理员'


def settle_heap() -> None:
    """Move everything built at start-up (modules, SQLAlchemy metadata, widgets) out of the cycle collector's
    reach: a full collection otherwise walks those hundreds of thousands of objects again whenever a large
    list is built (the chief's overview of 2,500 files spent a third of its time there). They live as long
    as the program does; later garbage is still collected. Once per process: a second login (switch user)
    must not freeze the first one's garbage."""
    if gc.get_freeze_count() == 0:
        gc.collect()
        gc.freeze()


class Application:
    """Holds the long-lived objects; login window first, then (demo →) store ready → main window."""

    def __init__(self, qapp: QApplication, runner: TaskRunner, with_demo: bool) -> None:
        self.qapp, self.runner, self.with_demo = qapp, runner, with_demo
        self.ctx: AppContext | None = None
        self.db: Database | None = None
        self.main: MainWindow | None = None
        self.community_name = ""
        self.exit_code = 0
        self.login = LoginWindow(None, runner, "", __version__)
        self.login.logged_in.connect(self._on_login_logged_in)
        self.login.quit_requested.connect(self.qapp.quit)

    def start(self, db_path: Path) -> None:
        # Open the store once the window has painted: importing SQLAlchemy on the worker thread
        # would otherwise compete for the GIL with the first paint.
        self._first_paint = _OnFirstPaint(lambda: self._after_first_paint(db_path), self.login)
        self.login.installEventFilter(self._first_paint)
        self.login.show()

    def _after_first_paint(self, db_path: Path) -> None:
        log_path = setup_logging()
        log.info("start %s, log %s, database %s", __version__, log_path, db_path)
        self.runner.submit(lambda: open_store(db_path), self._on_store_opened, self._on_store_failed)

    def _on_store_failed(self, error: object) -> None:
        if isinstance(error, UserError):
            QMessageBox.critical(self.login, _("Community Workstation"), error_text(error))
        else:
            report_exception(error, self.login)
        self.exit_code = 1
        QTimer.singleShot(0, self.qapp.quit)   # without a store there is nothing to log in to

    def _on_store_opened(self, opened: Opened) -> None:
        self.ctx, self.db, self.community_name = opened.ctx, opened.ctx.db, opened.community_name
        if self.with_demo and opened.residents == 0:
            self._generate_demo(opened.ctx)
            return
        if not opened.has_users:
            message = _("There are no users yet. Create the first one (the administrator) with:\n\n{command}\n\n"
                        "then start the program again and log in.").format(command=first_user_command(opened.ctx.db.path))
            print(message, file=sys.stderr)
            QMessageBox.information(self.login, _("Community Workstation"), message)
            self.qapp.quit()
            return
        self.login.set_context(opened.ctx, opened.community_name)

    def _generate_demo(self, ctx: AppContext) -> None:
        splash = QProgressDialog(_("Generating demo data..."), "", 0, 0, self.login)
        splash.setCancelButton(None)
        splash.setWindowTitle(_("Community Workstation"))
        splash.setWindowModality(Qt.WindowModality.ApplicationModal)
        splash.setMinimumDuration(0)
        splash.show()

        def work() -> str:
            from shequ_desktop.services import demo, station
            demo.generate(ctx)
            return station.community(ctx).name

        def done(name: object) -> None:
            splash.close()
            self.community_name = str(name)
            self.login.set_context(ctx, self.community_name)

        def failed(error: object) -> None:
            splash.close()
            report_exception(error, self.login)
            self.login.set_context(ctx, self.community_name)

        self.runner.submit(work, done, failed)

    def _on_login_logged_in(self, user: CurrentUser) -> None:
        from shequ_desktop.ui.main_window import MainWindow
        from shequ_desktop.ui.ops import first_start_notice, install_ops
        assert self.ctx is not None
        user_ctx = self.ctx.as_user(user)
        self.main = MainWindow(user_ctx, self.runner, self.community_name)
        self.main.restore_requested.connect(self.restore_backup)
        self.main.logged_out.connect(self.log_out)
        install_ops(self.main, user_ctx, self.runner, self.main.restore_requested.emit)
        from shequ_desktop.ui.station import install_station_setup
        install_station_setup(self.main, user_ctx, self.runner)   # the admin's first-start 工作站设置
        self.main.show_as_left()
        self.login.hide()
        first_start_notice(self.main, paths.data_dir())
        settle_heap()

    def log_out(self) -> None:
        """注销 / 切换用户: the main window closes, the login window waits for the next person."""
        self.login.next_user()
        self.login.show()                  # first, so closing the main window does not quit the program
        if self.main is not None:
            self.main.shutdown()
            self.main.close()
            self.main.deleteLater()
            self.main = None

    def restore_backup(self, backup: Path) -> None:
        """Close the store, put the backup in its place (the current data is kept as a copy), reopen, log in."""
        assert self.db is not None
        db_path = self.db.path
        user = self.main._ctx.user if self.main is not None else None
        self.login.reset(_("Restoring the backup..."))
        self.login.show()                  # first, so closing the main window does not quit the program
        if self.main is not None:
            self.main.shutdown()
            self.main.close()
            self.main.deleteLater()
            self.main = None
        db, self.db, self.ctx = self.db, None, None

        def work() -> Opened:
            from shequ_desktop.services import restore as restore_service
            from shequ_desktop.services.context import SYSTEM_USER
            from shequ_desktop.ui.ops.backup_dialog import restore_warning_text
            db.dispose()
            plan = restore_service.plan(backup, db_path)        # the warnings the admin was shown and accepted
            accepted = "；".join(restore_warning_text(w) for w in plan.warnings)
            restore_service.restore(plan, db_path, user or SYSTEM_USER, accepted).db.dispose()
            return open_store(db_path)

        def failed(error: object) -> None:
            report_exception(error, self.login)
            self.runner.submit(lambda: open_store(db_path), self._on_store_opened, self._on_store_failed)

        self.runner.submit(work, self._on_store_opened, failed)


class _OnFirstPaint(QObject):
    """Calls ``action`` once, right after the watched widget's first paint."""

    def __init__(self, action: Callable[[], object], parent: QObject) -> None:
        super().__init__(parent)
        self._action: Callable[[], object] | None = action

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self._action is not None:
            action, self._action = self._action, None
            QTimer.singleShot(0, action)
        return False


class _ExitOnFirstPaint(QObject):
    """For benchmarks/bench_startup.py: report the first paint of the login window and quit."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            print("PAINTED", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    install_excepthook()
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    qapp.setOrganizationName("shequ")
    qapp.setApplicationName("shequ-desktop")
    qapp.setApplicationVersion(__version__)
    qt_i18n.apply_language(args.lang or saved_language())
    db_path = args.db or (paths.data_dir() / "demo.db" if args.demo else paths.default_db_path())
    runner = TaskRunner()
    application = Application(qapp, runner, args.demo)
    if os.environ.get("SHEQU_BENCH_EXIT_ON_PAINT"):
        probe = _ExitOnFirstPaint(qapp)
        application.login.installEventFilter(probe)
    try:
        application.start(db_path)
        code = qapp.exec()
        return application.exit_code or code
    finally:
        runner.shutdown()
        if application.db is not None:
            application.db.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
