"""Composition root: ``shequ-desktop [--db PATH] [--demo] [--lang zh_CN|en]``.

Wires logging, translation, the database, the one DB worker thread and the windows.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from shequ_desktop import __version__, paths
from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import SUPPORTED, _, error_text
from shequ_desktop.persistence.db import open_database
from shequ_desktop.services import demo, residents, station
from shequ_desktop.services.context import AppContext, CurrentUser
from shequ_desktop.ui import qt_i18n
from shequ_desktop.ui.errors import install_excepthook, report_exception
from shequ_desktop.ui.login import LoginWindow
from shequ_desktop.ui.main_window import MainWindow
from shequ_desktop.ui.settings import saved_language
from shequ_desktop.ui.tasks import TaskRunner

log = logging.getLogger("shequ")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="shequ-desktop", description="社区工作站桌面端")
    parser.add_argument("--db", type=Path, help="database file (default: the per-user data folder)")
    parser.add_argument("--demo", action="store_true", help="use demo.db and fill it with a demo community")
    parser.add_argument("--lang", choices=SUPPORTED, help="user interface language")
    return parser.parse_args(argv)


def setup_logging() -> Path:
    path = paths.log_dir() / "shequ-desktop.log"
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


class Application:
    """Holds the long-lived objects; moves from (demo splash →) login → main window."""

    def __init__(self, qapp: QApplication, ctx: AppContext, runner: TaskRunner) -> None:
        self.qapp, self.ctx, self.runner = qapp, ctx, runner
        self.login: LoginWindow | None = None
        self.main: MainWindow | None = None
        self.community_name = ""

    def start(self, with_demo: bool) -> bool:
        """False when there is nobody to log in (the caller exits)."""
        ctx = self.ctx
        if with_demo and self.runner.run_sync(lambda: residents.total(ctx)) == 0:
            self._generate_demo()
            return True
        if not self.runner.run_sync(lambda: demo.users_present(ctx)):
            message = _("There are no users yet. Create the first one with:\n\nshequ-admin create-user")
            print(message, file=sys.stderr)
            QMessageBox.information(None, _("Community Workstation"), message)
            return False
        self.show_login()
        return True

    def _generate_demo(self) -> None:
        splash = QProgressDialog(_("Generating demo data..."), "", 0, 0)
        splash.setCancelButton(None)
        splash.setWindowTitle(_("Community Workstation"))
        splash.setWindowModality(Qt.WindowModality.ApplicationModal)
        splash.setMinimumDuration(0)
        splash.show()
        ctx = self.ctx

        def done(_summary: object) -> None:
            splash.close()
            self.show_login()

        def failed(error: object) -> None:
            splash.close()
            report_exception(error)
            self.show_login()

        self.runner.submit(lambda: demo.generate(ctx), done, failed)

    def show_login(self) -> None:
        ctx = self.ctx
        self.community_name = self.runner.run_sync(lambda: station.community(ctx)).name
        self.login = LoginWindow(ctx, self.runner, self.community_name, __version__)
        self.login.logged_in.connect(self._on_login_logged_in)
        self.login.quit_requested.connect(self.qapp.quit)
        self.login.show()

    def _on_login_logged_in(self, user: CurrentUser) -> None:
        self.main = MainWindow(self.ctx.as_user(user), self.runner, self.community_name)
        self.main.resize(1280, 800)
        self.main.show()
        if self.login is not None:
            self.login.close()
            self.login.deleteLater()
            self.login = None


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    log_path = setup_logging()
    install_excepthook()
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    qapp.setOrganizationName("shequ")
    qapp.setApplicationName("shequ-desktop")
    qapp.setApplicationVersion(__version__)
    qt_i18n.apply_language(args.lang or saved_language())
    log.info("start %s, log %s", __version__, log_path)
    db_path = args.db or (paths.data_dir() / "demo.db" if args.demo else paths.default_db_path())
    try:
        db = open_database(db_path)
    except UserError as e:
        QMessageBox.critical(None, _("Community Workstation"), error_text(e))
        return 1
    runner = TaskRunner()
    ctx = runner.run_sync(lambda: station.ensure_station(AppContext(db=db)))
    application = Application(qapp, ctx, runner)
    try:
        if not application.start(args.demo):
            return 0
        return qapp.exec()
    finally:
        runner.shutdown()
        db.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
