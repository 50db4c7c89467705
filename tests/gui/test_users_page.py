"""用户管理 and 注销: the administrator adds users, resets a password, unlocks and deactivates — audited;
a clerk logs out to the login window without quitting the program."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from shequ_desktop.app import Application
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.roles import Role
from shequ_desktop.services import audit, auth, users
from shequ_desktop.services.demo import DEMO_PASSWORD
from shequ_desktop.ui.admin.users_page import HEADERS, AddUserDialog, ResetPasswordDialog, UsersPage
from shequ_desktop.ui.main_window import MainWindow

from tests.gui.conftest import login_as

STATE_COLUMN = HEADERS.index("State")


def make_page(qtbot, ctx, runner) -> UsersPage:  # noqa: ANN001
    page = UsersPage(ctx, runner)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: bool(page.rows), timeout=5000)
    return page


def reload(qtbot, page: UsersPage) -> None:  # noqa: ANN001
    with qtbot.waitSignal(page.users_loaded, timeout=5000):
        page.reload()


def test_only_the_administrator_sees_the_users_page(qtbot, ctx, runner) -> None:  # noqa: ANN001
    admin = MainWindow(login_as(ctx, "admin"), runner, "幸福里社区", with_sync=False)
    chief = MainWindow(login_as(ctx, "chief"), runner, "幸福里社区", with_sync=False)
    qtbot.addWidget(admin)
    qtbot.addWidget(chief)
    assert isinstance(admin.page("users"), UsersPage)
    assert chief.page("users") is None
    with pytest.raises(UserError):
        users.users(login_as(ctx, "chief"))


def test_admin_adds_a_user_who_can_then_log_in(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    admin_ctx = login_as(ctx, "admin")
    page = make_page(qtbot, admin_ctx, runner)
    dialog = page.open_add_dialog()
    assert isinstance(dialog, AddUserDialog)
    dialog.login_edit.setText("clerk9")
    dialog.name_edit.setText("新来的")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(Role.CLERK.value))
    dialog.password_edit.setText("long-enough-1")
    dialog.repeated_edit.setText("long-enough-2")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors.text("repeated") != "", timeout=5000)
    assert dialog.isVisible()
    dialog.repeated_edit.setText("long-enough-1")
    with qtbot.waitSignal(page.users_loaded, timeout=5000):
        dialog.submit()
    assert "clerk9" in [r.login for r in page.rows]
    assert auth.login(ctx, "clerk9", "long-enough-1").role == Role.CLERK
    added = [e for e in audit.recent(ctx, 10) if e.detail.startswith("{") and "clerk9" in e.detail]
    assert any(json.loads(e.detail)["msg"] == users.MSG_USER_ADDED for e in added)
    assert reported == []


def test_admin_unlocks_resets_and_deactivates(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    for _ in range(5):                                  # clerk1 locks herself out
        with pytest.raises(UserError):
            auth.login(ctx, "clerk1", "wrong-password")
    with pytest.raises(UserError, match="Too many"):
        auth.login(ctx, "clerk1", DEMO_PASSWORD)
    admin_ctx = login_as(ctx, "admin")
    page = make_page(qtbot, admin_ctx, runner)
    page.select("clerk1")
    row = page.selected()
    assert row is not None and row.locked and page.unlock_button.isEnabled()
    assert page.table.item(page.rows.index(row), STATE_COLUMN).text().startswith("Locked until")
    with qtbot.waitSignal(page.users_loaded, timeout=5000):
        qtbot.mouseClick(page.unlock_button, Qt.MouseButton.LeftButton)
    assert not page.selected().locked and not page.unlock_button.isEnabled()
    assert auth.login(ctx, "clerk1", DEMO_PASSWORD).login == "clerk1"

    dialog = page.open_reset_dialog()
    assert isinstance(dialog, ResetPasswordDialog)
    dialog.password_edit.setText("short")
    dialog.repeated_edit.setText("short")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors.text("password") != "", timeout=5000)
    dialog.password_edit.setText("a-new-password")
    dialog.repeated_edit.setText("a-new-password")
    with qtbot.waitSignal(page.users_loaded, timeout=5000):
        dialog.submit()
    assert auth.login(ctx, "clerk1", "a-new-password").login == "clerk1"

    with qtbot.waitSignal(page.users_loaded, timeout=5000):
        qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert not page.selected().active
    with pytest.raises(UserError, match="Wrong login"):
        auth.login(ctx, "clerk1", "a-new-password")
    page.select("admin")
    assert not page.active_button.isEnabled()           # nobody deactivates their own account
    with pytest.raises(UserError, match="own account"):
        users.set_active(admin_ctx, admin_ctx.user.id, False)

    details = [e.detail for e in audit.recent(ctx, 50)]
    texts = [audit.detail_text(d, lambda s: s) for d in details]
    assert "Unlocked the account clerk1." in texts
    assert "Reset the password of clerk1." in texts
    assert "Deactivated the account clerk1." in texts
    assert not any("a-new-password" in d for d in details)
    assert reported == []


def test_log_out_returns_to_the_login_window_without_quitting(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    application = Application(QApplication.instance(), runner, with_demo=False)
    login = application.login
    qtbot.addWidget(login)
    application.start(ctx.db.path)
    qtbot.waitUntil(lambda: login.ui.login_button.isEnabled(), timeout=10000)
    login.ui.login_edit.setText("clerk1")
    login.ui.password_edit.setText(DEMO_PASSWORD)
    qtbot.mouseClick(login.ui.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: application.main is not None and application.main.isVisible(), timeout=5000)
    main = application.main
    assert main.idle_lock is not None                       # the idle lock stays as it was
    main.ui.logout_action.trigger()
    qtbot.waitUntil(lambda: application.main is None and login.isVisible(), timeout=5000)
    assert login.ui.password_edit.text() == ""
    assert login.ui.login_button.isEnabled()
    login.ui.login_edit.setText("worker1")                   # 切换用户: the next person logs in
    login.ui.password_edit.setText(DEMO_PASSWORD)
    qtbot.mouseClick(login.ui.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: application.main is not None and application.main.isVisible(), timeout=5000)
    assert "张伟" in application.main.status.user_label.text()
    qtbot.addWidget(application.main)
    assert reported == []
    application.db.dispose()


def test_the_staff_of_other_stations_are_listed_from_the_synced_directory(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    from shequ_desktop.domain.staff import staff_member_id
    from shequ_desktop.persistence.staff_models import StaffMember
    with ctx.transaction() as s:       # as a pull from the hub leaves them: logins of another station
        for login, name, role, phone, active in (("wangxm", "王小明", "worker", "13812348000", True),
                                                 ("zhaolei", "赵磊", "clerk", "", False)):
            s.add(StaffMember(id=staff_member_id(ctx.community_id, login), community_id=ctx.community_id,
                              login=login, display_name=name, role=role, phone=phone, active=active))
    page = make_page(qtbot, login_as(ctx, "admin"), runner)
    qtbot.waitUntil(lambda: page.directory_table.rowCount() == 2, timeout=5000)
    rows = [[page.directory_table.item(i, c).text() for c in range(5)] for i in range(2)]
    assert rows == [["wangxm", "王小明", "Social worker", "138****8000", "In use"],
                    ["zhaolei", "赵磊", "窗口社工", "", "Deactivated"]]   # the tests' small catalog
    assert "clerk1" in [r.login for r in page.rows] and "wangxm" not in [r.login for r in page.rows]
    page.resize(1366, 728)
    qtbot.wait(50)
    for w in (page.table, page.directory_table, page.add_button, page.active_button):
        assert w.isVisible() and page.rect().contains(w.geometry())
    assert reported == []


def test_admin_edits_a_users_name_grid_and_phone_everywhere(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    """修改资料: before this there was no way to correct a user's name, grid or work phone after creating the
    login. The change reaches the staff directory (synced: other stations and KPI credit name the person by
    it) and the audit log, bad input stays next to its field and nothing is half-saved."""
    from shequ_desktop.services import staff, station
    from shequ_desktop.ui.admin.users_page import EditUserDialog

    admin_ctx = login_as(ctx, "admin")
    page = make_page(qtbot, admin_ctx, runner)
    page.select("worker1")
    assert page.edit_button.isEnabled()
    dialog = page.open_edit_dialog()
    assert isinstance(dialog, EditUserDialog) and dialog.name_edit.text() == "张伟"
    grid2 = station.grids(ctx)[1]
    dialog.name_edit.setText("张伟民")
    dialog.grid_combo.setCurrentIndex(dialog.grid_combo.findData(grid2.id))
    dialog.phone_edit.setText("1381234")                       # too short
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors.text("phone") != "", timeout=5000)
    assert staff.display_names(ctx)["worker1"] == "张伟"        # nothing half-saved
    dialog.phone_edit.setText("１３８１２３４５６７８")            # full-width digits fold
    with qtbot.waitSignal(page.users_loaded, timeout=5000):
        dialog.submit()
    row = next(r for r in page.rows if r.login == "worker1")
    assert (row.display_name, row.grid_id, row.phone) == ("张伟民", grid2.id, "13812345678")
    assert staff.display_names(ctx)["worker1"] == "张伟民"
    shown = [page.table.item(page.table.currentRow(), c).text() for c in range(page.table.columnCount())]
    assert shown[1:5] == ["张伟民", page.table.item(page.table.currentRow(), 2).text(), grid2.name, "138****5678"]
    entry = next(e for e in staff.directory(ctx) if e.login == "worker1")
    assert entry.grid_id == grid2.id and entry.phone_masked == "138****5678"
    text = audit.detail_text(audit.recent(ctx, 1)[0].detail, lambda m: m)
    assert "worker1" in text and "张伟 → 张伟民" in text and "phone number changed" in text
    assert "13812345678" not in text
    assert reported == []


def test_roles_are_guarded_when_editing(ctx) -> None:  # noqa: ANN001
    admin_ctx = login_as(ctx, "admin")
    me = next(r for r in users.users(admin_ctx) if r.login == "admin")
    with pytest.raises(UserError) as own:
        users.edit(admin_ctx, me.id, me.display_name, Role.CLERK, me.grid_id, me.phone)
    assert own.value.field == "role"
    chief = next(r for r in users.users(admin_ctx) if r.login == "chief")
    with pytest.raises(UserError) as bad:
        users.edit(admin_ctx, chief.id, "  ", chief.role, "no-such-grid", "")
    assert {e.field for e in bad.value.errors} == {"display_name", "grid"}
    users.edit(admin_ctx, chief.id, chief.display_name, Role.ADMIN, None, "")     # a second administrator
    assert auth.login(ctx, "chief", DEMO_PASSWORD).role == Role.ADMIN
    with pytest.raises(UserError):
        users.edit(login_as(ctx, "clerk1"), chief.id, "x", Role.CLERK, None, "")  # only the administrator
