"""Settings (language switch, remembered) and the idle lock."""

from __future__ import annotations

from PySide6.QtCore import Qt

from shequ_desktop.services.demo import DEMO_PASSWORD
from shequ_desktop.ui.main_window import MainWindow
from shequ_desktop.ui.settings import saved_language


def make_main(qtbot, ctx, runner) -> MainWindow:  # noqa: ANN001
    window = MainWindow(ctx, runner, "幸福里社区")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.idle_minutes is not None, timeout=5000)
    return window


def test_navigation_lists_residents_and_disabled_modules(qtbot, clerk_ctx, runner) -> None:  # noqa: ANN001
    window = make_main(qtbot, clerk_ctx, runner)
    nav = window.ui.nav_list
    assert [nav.item(i).text() for i in range(2)] == ["一窗受理", "居民信息"]   # the clerk's counter first
    assert window.ui.page_stack.currentWidget() is window.counter_page
    keys = [nav.item(i).data(Qt.ItemDataRole.UserRole) for i in range(nav.count())]
    for key in ("special_groups", "mediation", "emergency"):       # issues 12, 13 and 14: enabled now
        assert nav.item(keys.index(key)).flags() & Qt.ItemFlag.ItemIsEnabled
    assert all(nav.item(i).flags() & Qt.ItemFlag.ItemIsEnabled for i in range(nav.count()))   # none greyed


def test_language_switch_to_english_changes_labels(qtbot, clerk_ctx, runner) -> None:  # noqa: ANN001
    window = make_main(qtbot, clerk_ctx, runner)
    page = window.resident_page
    assert page.ui.add_button.text() == "新增"
    dialog = window.open_settings()
    assert dialog.ui.idle_lock_value_label.text() != "-"       # the policy's minutes are shown
    dialog.ui.language_combo.setCurrentIndex(dialog.ui.language_combo.findData("en"))
    dialog.accept()
    qtbot.waitUntil(lambda: page.ui.add_button.text() == "Add", timeout=3000)
    assert window.ui.nav_list.item(1).text() == "Residents"
    assert window.status.network_label.text() == "Offline"
    assert saved_language() == "en"


def test_lock_hides_content_until_the_right_password(qtbot, clerk_ctx, runner, reported) -> None:  # noqa: ANN001
    window = make_main(qtbot, clerk_ctx, runner)
    with qtbot.waitSignal(window.idle_lock.locked):
        window.ui.lock_action.trigger()
    dialog = window.idle_lock.dialog
    assert not window.centralWidget().isVisible()
    assert dialog.isVisible()
    dialog.ui.password_edit.setText("wrong-password")
    qtbot.mouseClick(dialog.ui.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.ui.password_error_label.isVisible(), timeout=5000)
    assert window.idle_lock.is_locked
    dialog.reject()                                          # Esc does not bypass the lock
    assert dialog.isVisible()
    dialog.ui.password_edit.setText(DEMO_PASSWORD)
    with qtbot.waitSignal(window.idle_lock.unlocked, timeout=5000):
        qtbot.mouseClick(dialog.ui.unlock_button, Qt.MouseButton.LeftButton)
    assert window.centralWidget().isVisible()
    assert not window.idle_lock.is_locked
    assert reported == []


def test_idle_timeout_locks(qtbot, clerk_ctx, runner) -> None:  # noqa: ANN001
    window = make_main(qtbot, clerk_ctx, runner)
    with qtbot.waitSignal(window.idle_lock.locked, timeout=3000):
        window.idle_lock.set_timeout_ms(50)
    assert not window.centralWidget().isVisible()


def test_ctrl_f_focuses_search(qtbot, clerk_ctx, runner) -> None:  # noqa: ANN001
    window = make_main(qtbot, clerk_ctx, runner)
    window.activateWindow()
    window.show_page("residents")
    window.resident_page.ui.resident_table.setFocus()
    window.focus_search()
    qtbot.waitUntil(lambda: window.resident_page.ui.search_edit.hasFocus(), timeout=2000)


def test_qt_file_dialog_is_chinese_and_file_names_are_not_person_names(qtbot, monkeypatch) -> None:
    from PySide6.QtWidgets import QFileDialog, QLabel, QTreeView
    from shequ_desktop import i18n, paths
    from shequ_desktop.ui import qt_i18n
    monkeypatch.setattr(i18n, "locale_dir", paths.locale_dir)
    qt_i18n.apply_language("zh_CN")
    dialog = QFileDialog(None, "x")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels
    model = dialog.findChild(QTreeView).model()
    assert model.headerData(0, Qt.Orientation.Horizontal) != "姓名"


def test_changed_idle_lock_minutes_apply_to_the_running_session(qtbot, ctx, runner, monkeypatch) -> None:  # noqa: ANN001
    from tests.gui.conftest import login_as
    window = make_main(qtbot, login_as(ctx, "admin"), runner)
    assert window.idle_minutes != 3
    page = window.page("policy")
    qtbot.waitUntil(lambda: page.row_of("idle_lock_minutes") >= 0, timeout=5000)
    page.set_value_text("idle_lock_minutes", "3")
    monkeypatch.setattr(page, "_ask_note", lambda: "窗口电脑离开时间短")
    with qtbot.waitSignal(page.policy_saved, timeout=5000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.idle_minutes == 3, timeout=5000)
