"""System-menu operations: backup settings, back up now, restore (checked first), diagnostics, data location."""

from __future__ import annotations

import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QMessageBox

from shequ_desktop import paths
from shequ_desktop.services import auto_backup, backup
from shequ_desktop.services.auto_backup import RotationPolicy
from shequ_desktop.ui.main_window import MainWindow
from shequ_desktop.ui.ops import BackupDialog, OpsMenu, first_start_notice, install_ops, prompts
from shequ_desktop.ui.ops import data_location as data_location_module
from tests.gui.conftest import login_as


@pytest.fixture
def admin_ctx(ctx):  # noqa: ANN001, ANN201
    return login_as(ctx, "admin")


@pytest.fixture
def restarts() -> list[Path]:
    return []


@pytest.fixture
def confirmations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The confirmation helper, patched to accept and to remember what it said."""
    asked: list[str] = []

    def confirm(_parent, _title, text, _accept_text) -> bool:  # noqa: ANN001
        asked.append(text)
        return True

    monkeypatch.setattr(prompts, "confirm", confirm)
    return asked


@pytest.fixture
def dialog(qtbot, admin_ctx, runner, restarts) -> BackupDialog:  # noqa: ANN001
    dlg = BackupDialog(admin_ctx, runner, restarts.append)
    qtbot.addWidget(dlg)
    dlg.refresh()
    dlg.show()
    qtbot.waitUntil(lambda: dlg.settings is not None and dlg.backup_now_button.isEnabled(), timeout=5000)
    return dlg


def make_main(qtbot, ctx, runner, restarts) -> MainWindow:  # noqa: ANN001
    window = MainWindow(ctx, runner, "幸福里社区")
    qtbot.addWidget(window)
    install_ops(window, ctx, runner, restarts.append)
    return window


def wait_idle(qtbot, dlg: BackupDialog) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: dlg.busy_bar.isHidden(), timeout=10_000)


def menu_names(window: MainWindow) -> list[str]:
    return [a.objectName() for a in window.ui.system_menu.actions() if a.objectName()]


def test_admin_gets_backup_and_diagnostics_clerk_only_data_location(qtbot, admin_ctx, clerk_ctx, runner,
                                                                     restarts) -> None:  # noqa: ANN001
    admin_menu = menu_names(make_main(qtbot, admin_ctx, runner, restarts))
    at = admin_menu.index("backup_action")
    assert admin_menu[at:at + 3] == ["backup_action", "diagnostics_action", "data_location_action"]
    assert admin_menu.index("logout_action") < at               # 注销/切换用户 beside 锁屏, before the ops
    assert admin_menu[-2:] == ["about_action", "quit_action"]
    clerk_menu = menu_names(make_main(qtbot, clerk_ctx, runner, restarts))
    assert "backup_action" not in clerk_menu and "diagnostics_action" not in clerk_menu
    assert "data_location_action" in clerk_menu


def test_rotation_and_second_folder_round_trip(qtbot, dialog, admin_ctx, runner, restarts, tmp_path,
                                               monkeypatch) -> None:  # noqa: ANN001
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(prompts, "choose_folder", lambda *_a: usb)
    qtbot.mouseClick(dialog.second_choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.second_state_label.text() == "connected", timeout=5000)
    dialog.daily_spin.setValue(10)
    dialog.weekly_spin.setValue(2)
    dialog.monthly_spin.setValue(24)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.settings_message_label.isVisible(), timeout=5000)
    assert dialog.settings_message_label.text() == "Backup settings saved."

    saved = auto_backup.load_settings(admin_ctx)
    assert (saved.second_folder, saved.policy) == (usb, RotationPolicy(10, 2, 24))
    again = BackupDialog(admin_ctx, runner, restarts.append)
    qtbot.addWidget(again)
    again.refresh()
    qtbot.waitUntil(lambda: again.settings is not None, timeout=5000)
    assert (again.daily_spin.value(), again.weekly_spin.value(), again.monthly_spin.value()) == (10, 2, 24)
    assert again.second_edit.text() == str(usb)


def test_missing_second_folder_shows_not_connected(qtbot, dialog, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(prompts, "choose_folder", lambda *_a: tmp_path / "unplugged-usb")
    qtbot.mouseClick(dialog.second_choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.second_state_label.text() == "not connected", timeout=5000)
    qtbot.mouseClick(dialog.backup_now_button, Qt.MouseButton.LeftButton)   # the main backup still works
    qtbot.waitUntil(lambda: dialog.message_label.isVisible(), timeout=10_000)
    wait_idle(qtbot, dialog)
    assert "second folder was not written" in dialog.message_label.text()
    assert dialog.selected_path() is not None and dialog.selected_path().is_file()


def test_back_up_now_writes_a_checked_file_that_appears_in_the_list(qtbot, dialog) -> None:  # noqa: ANN001
    assert dialog.entries == []
    qtbot.mouseClick(dialog.backup_now_button, Qt.MouseButton.LeftButton)
    assert dialog.busy_bar.isVisible() and not dialog.backup_now_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.message_label.isVisible(), timeout=10_000)
    wait_idle(qtbot, dialog)
    path = dialog.selected_path()
    assert path is not None and path.parent == dialog.settings.folder
    assert backup.check_backup_file(path) is not None
    assert dialog.message_label.text().startswith("Backup written and checked:")
    assert dialog.backup_table.item(dialog.row_of(path), 1).text() == "Manual"


@pytest.mark.parametrize("damage", ["garbage", "newer"])
def test_a_damaged_or_newer_file_is_refused_and_never_restored(qtbot, dialog, admin_ctx, tmp_path, monkeypatch,
                                                               restarts, confirmations, damage) -> None:  # noqa: ANN001
    bad = tmp_path / "shequ-20261120-100000.db"
    if damage == "garbage":
        bad.write_bytes(b"this is not a database " * 200)
    else:
        shutil.copyfile(admin_ctx.db.path, bad)
        with sqlite3.connect(bad) as conn:
            conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    monkeypatch.setattr(prompts, "choose_backup_file", lambda *_a: bad)
    qtbot.mouseClick(dialog.restore_file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message_label.isVisible(), timeout=10_000)
    expected = "not a usable database" if damage == "garbage" else "comes from a newer program version"
    assert expected in dialog.message_label.text() and bad.name in dialog.message_label.text()
    assert (confirmations, restarts) == ([], [])
    assert dialog.isVisible()


def test_a_good_backup_is_confirmed_then_restart_is_called(qtbot, admin_ctx, runner, restarts,
                                                           confirmations) -> None:  # noqa: ANN001
    good = backup.backup_to(admin_ctx, auto_backup.load_settings(admin_ctx).folder / "daily").path
    dlg = BackupDialog(admin_ctx, runner, restarts.append)
    qtbot.addWidget(dlg)
    dlg.refresh()
    dlg.show()
    qtbot.waitUntil(lambda: dlg.row_of(good) >= 0, timeout=5000)
    assert dlg.backup_table.item(dlg.row_of(good), 1).text() == "Daily"
    dlg.backup_table.selectRow(dlg.row_of(good))
    qtbot.mouseClick(dlg.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: restarts == [good], timeout=10_000)
    [text] = confirmations
    assert "kept as a copy" in text and "fetches the newer data from the hub" in text
    assert "log in again" in text
    assert not dlg.isVisible()


def test_cancelled_confirmation_changes_nothing(qtbot, dialog, admin_ctx, restarts, monkeypatch) -> None:  # noqa: ANN001
    good = backup.backup_to(admin_ctx, dialog.settings.folder).path
    asked: list[str] = []
    monkeypatch.setattr(prompts, "confirm", lambda _p, _t, text, _a: asked.append(text) or False)
    monkeypatch.setattr(prompts, "choose_backup_file", lambda *_a: good)
    qtbot.mouseClick(dialog.restore_file_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=10_000)
    assert restarts == [] and dialog.isVisible()


def test_diagnostics_export_writes_a_zip(qtbot, admin_ctx, runner, restarts, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    target = tmp_path / "out" / "diag.zip"
    monkeypatch.setattr(prompts, "choose_zip_target", lambda *_a: target)
    window = make_main(qtbot, admin_ctx, runner, restarts)
    window.findChild(OpsMenu).action("diagnostics_action").trigger()
    qtbot.waitUntil(lambda: target.is_file(), timeout=15_000)
    with zipfile.ZipFile(target) as zf:
        assert {"README.txt", "database.json", "versions.json", "settings.json"} <= set(zf.namelist())
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "diagnostics_done_box") is not None, timeout=5000)
    box = window.findChild(QMessageBox, "diagnostics_done_box")
    assert str(target) in box.text() and not box.isModal()


def test_data_location_shows_the_folders_and_opens_the_data_folder(qtbot, admin_ctx, runner, restarts,
                                                                   monkeypatch) -> None:  # noqa: ANN001
    opened: list[QUrl] = []
    monkeypatch.setattr(data_location_module.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window = make_main(qtbot, admin_ctx, runner, restarts)
    window.findChild(OpsMenu).action("data_location_action").trigger()
    dlg = window.findChild(OpsMenu).location_dialog
    assert dlg.data_dir_label.text() == str(paths.data_dir())
    assert dlg.db_label.text() == str(admin_ctx.db.path)
    assert "SHEQU_DATA_DIR" in dlg.explanation_label.text() and "--db" in dlg.explanation_label.text()
    assert "SHEQU_DATA_DIR" in dlg.env_label.text()      # the tests set the variable
    qtbot.mouseClick(dlg.open_folder_button, Qt.MouseButton.LeftButton)
    assert [Path(u.toLocalFile()) for u in opened] == [paths.data_dir()]


def test_first_start_notice_is_shown_once(qtbot, tmp_path) -> None:  # noqa: ANN001
    box = first_start_notice(None, tmp_path / "data")
    assert box is not None
    qtbot.addWidget(box)
    assert box.isVisible() and not box.isModal() and str(tmp_path / "data") in box.text()
    assert first_start_notice(None, tmp_path / "data") is None
