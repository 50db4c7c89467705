"""Login window: inline errors, Enter submits, success opens the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from shequ_desktop import __version__
from shequ_desktop.app import Application
from shequ_desktop.services import audit
from shequ_desktop.services.demo import DEMO_PASSWORD
from shequ_desktop.ui.login import LoginWindow


def make_login(qtbot, ctx, runner) -> LoginWindow:  # noqa: ANN001
    window = LoginWindow(ctx, runner, "幸福里社区", __version__)
    qtbot.addWidget(window)
    window.show()
    return window


def test_wrong_password_shows_inline_error(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    window = make_login(qtbot, ctx, runner)
    window.ui.login_edit.setText("clerk1")
    window.ui.password_edit.setText("not-the-password")
    with qtbot.assertNotEmitted(window.logged_in, wait=100):
        qtbot.mouseClick(window.ui.login_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.ui.password_error_label.isVisible())
    assert window.ui.password_error_label.text() == "账号或密码错误。"
    assert window.ui.login_button.isEnabled()
    assert reported == []


def test_enter_in_password_field_submits(qtbot, ctx, runner) -> None:  # noqa: ANN001
    window = make_login(qtbot, ctx, runner)
    window.ui.login_edit.setText("worker1")
    window.ui.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(window.logged_in, timeout=5000) as blocker:
        qtbot.keyClick(window.ui.password_edit, Qt.Key.Key_Return)
    assert blocker.args[0].display_name == "张伟"


def test_login_window_shows_community_and_version(qtbot, ctx, runner) -> None:  # noqa: ANN001
    window = make_login(qtbot, ctx, runner)
    assert window.ui.community_label.text() == "幸福里社区"
    assert __version__ in window.ui.version_label.text()
    assert window.ui.login_button.text() == "登录"


def test_login_success_opens_main_window_with_user_name(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    """The real start-up path: window first, store opened on the worker thread, then login."""
    application = Application(QApplication.instance(), runner, with_demo=False)
    login = application.login
    qtbot.addWidget(login)
    assert not login.ui.login_button.isEnabled()          # until the store is open
    application.start(ctx.db.path)
    qtbot.waitUntil(lambda: login.ui.login_button.isEnabled(), timeout=10000)
    assert login.ui.community_label.text() == "幸福里社区"
    before = audit.count(ctx)
    login.ui.login_edit.setText("clerk1")
    login.ui.password_edit.setText(DEMO_PASSWORD)
    qtbot.mouseClick(login.ui.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: application.main is not None and application.main.isVisible(), timeout=5000)
    main = application.main
    qtbot.addWidget(main)
    assert "李晓梅" in main.status.user_label.text()
    assert "窗口社工" in main.status.user_label.text()
    assert main.status.community_label.text() == "幸福里社区"
    assert main.status.network_label.text() == "离线"
    assert not login.isVisible()
    assert audit.count(ctx) == before + 1      # the login itself is audited
    assert reported == []
    application.db.dispose()


def test_main_window_shows_calendar_warning_and_about(qtbot, ctx, runner, monkeypatch) -> None:  # noqa: ANN001
    """On 2026-11-25 the 2027 holiday schedule is not imported: the status bar says so; About lists facts."""
    from shequ_desktop.services.auth import login
    from shequ_desktop.ui.main_window import MainWindow
    user = login(ctx, "chief", DEMO_PASSWORD)
    window = MainWindow(ctx.as_user(user), runner, "幸福里社区")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.status.calendar_label.isVisible(), timeout=5000)
    assert "2027" in window.status.calendar_label.text()
    window.show_about()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "about_box") is not None, timeout=5000)
    text = window.findChild(QMessageBox, "about_box").text()
    from shequ_desktop.persistence.db import head_revision
    assert str(ctx.db.path) in text and head_revision() in text


def test_restore_from_the_gui_reopens_the_restored_store(qtbot, ctx, runner, tmp_path) -> None:  # noqa: ANN001
    """Backup → a later change → restore: the change is gone, the login window is back, the old file is kept."""
    from shequ_desktop.services import backup, residents
    application = Application(QApplication.instance(), runner, with_demo=False)
    qtbot.addWidget(application.login)
    application.start(ctx.db.path)
    qtbot.waitUntil(lambda: application.login.ui.login_button.isEnabled(), timeout=10000)
    before = residents.total(ctx)
    saved = backup.backup_to(ctx, tmp_path / "bk").path
    first = residents.search(ctx, "", limit=1)[0]
    residents.remove(ctx, first.id, "测试")
    assert residents.total(ctx) == before - 1
    ctx.db.dispose()
    application.restore_backup(saved)
    assert not application.login.ui.login_button.isEnabled()
    qtbot.waitUntil(lambda: application.login.ui.login_button.isEnabled(), timeout=10000)
    assert residents.total(application.ctx) == before
    assert list(ctx.db.path.parent.glob("*.before-restore-*.db"))
    application.db.dispose()
