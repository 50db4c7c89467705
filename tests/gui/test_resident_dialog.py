"""Add/edit dialog: errors next to their field, nothing half-saved, derived fields, masked ID on edit."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from shequ_desktop.domain.idnumber import make_id_number
from shequ_desktop.domain.roles import Role
from shequ_desktop.services import audit, residents
from shequ_desktop.services.context import CurrentUser
from shequ_desktop.ui.residents.dialog import ResidentDialog
from shequ_desktop.ui.residents.page import ResidentPage

GOOD_ID = make_id_number("420111", dt.date(1990, 3, 7), 123)


def make_page(qtbot, ctx, runner) -> ResidentPage:  # noqa: ANN001
    page = ResidentPage(ctx, runner)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and bool(page._grids), timeout=5000)
    return page


def open_add_dialog(qtbot, page) -> ResidentDialog:  # noqa: ANN001
    with qtbot.waitSignal(page.dialog_opened) as blocker:
        qtbot.mouseClick(page.ui.add_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def click_save(qtbot, dialog: ResidentDialog) -> None:  # noqa: ANN001
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_bad_id_number_shows_message_next_to_field_and_saves_nothing(qtbot, clerk_ctx, runner) -> None:  # noqa: ANN001
    page = make_page(qtbot, clerk_ctx, runner)
    before = residents.total(clerk_ctx)
    dialog = open_add_dialog(qtbot, page)
    dialog.ui.name_edit.setText("测试人")
    dialog.ui.id_number_edit.setText("4201111990")      # too short: the live check stays quiet
    dialog.ui.phone_edit.setText("123")                 # a second bad field, reported at the same time
    assert dialog.ui.id_number_error_label.text() == ""
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.ui.id_number_error_label.text() != "", timeout=5000)
    assert "10" in dialog.ui.id_number_error_label.text()
    assert dialog.ui.phone_error_label.text() != ""
    assert dialog.ui.name_error_label.text() == ""
    assert dialog.isVisible()
    assert residents.total(clerk_ctx) == before


def test_live_check_derives_birth_date_or_shows_error(qtbot, clerk_ctx, runner) -> None:  # noqa: ANN001
    dialog = open_add_dialog(qtbot, make_page(qtbot, clerk_ctx, runner))
    dialog.ui.id_number_edit.setText(GOOD_ID[:17] + ("0" if GOOD_ID[17] != "0" else "1"))
    assert "check character" in dialog.ui.id_number_error_label.text()
    dialog.ui.id_number_edit.setText(GOOD_ID)
    assert dialog.ui.id_number_error_label.text() == ""
    assert "1990-03-07" in dialog.ui.derived_value_label.text()
    assert "男" in dialog.ui.derived_value_label.text()   # odd sequence → male


def test_good_resident_is_saved_and_found(qtbot, clerk_ctx, runner, reported) -> None:  # noqa: ANN001
    page = make_page(qtbot, clerk_ctx, runner)
    before = residents.total(clerk_ctx)
    dialog = open_add_dialog(qtbot, page)
    dialog.ui.name_edit.setText("欧阳测试")
    dialog.ui.id_number_edit.setText(GOOD_ID)
    dialog.ui.phone_edit.setText("13800001234")
    dialog.ui.grid_combo.setCurrentIndex(1)
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        click_save(qtbot, dialog)
    assert residents.total(clerk_ctx) == before + 1
    qtbot.waitUntil(lambda: page.model.query == "欧阳测试" and page.model.rowCount() == 1, timeout=5000)
    assert page.model.row_at(0).grid_name == "第一网格"
    assert reported == []


def test_duplicate_id_number_names_the_existing_resident(qtbot, clerk_ctx, runner) -> None:  # noqa: ANN001
    page = make_page(qtbot, clerk_ctx, runner)
    existing = page.model.row_at(0)
    full = residents.reveal(clerk_ctx, existing.id, "id_number")
    dialog = open_add_dialog(qtbot, page)
    dialog.ui.name_edit.setText("重复人")
    dialog.ui.id_number_edit.setText(full)
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.ui.id_number_error_label.text() != "", timeout=5000)
    assert existing.name in dialog.ui.id_number_error_label.text()
    assert dialog.isVisible()


def test_edit_keeps_masked_numbers_without_a_reveal(qtbot, clerk_ctx, runner, reported) -> None:  # noqa: ANN001
    page = make_page(qtbot, clerk_ctx, runner)
    page.ui.resident_table.selectRow(0)
    row = page.selected_row()
    with qtbot.waitSignal(page.dialog_opened, timeout=5000) as blocker:
        page.edit_selected()
    dialog: ResidentDialog = blocker.args[0]
    assert dialog.ui.id_number_edit.text() == row.id_masked and dialog.ui.id_number_edit.isReadOnly()
    audit_before = audit.count(clerk_ctx)
    dialog.ui.address_edit.setText("新地址1号")
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        click_save(qtbot, dialog)
    assert audit.count(clerk_ctx) == audit_before          # saving revealed nothing
    detail = residents.get(clerk_ctx, row.id)
    assert detail.address == "新地址1号" and detail.id_masked == row.id_masked
    assert detail.phone_masked == row.phone_masked
    assert reported == []


def test_reveal_in_editor_unlocks_the_id_field(qtbot, clerk_ctx, runner) -> None:  # noqa: ANN001
    page = make_page(qtbot, clerk_ctx, runner)
    page.ui.resident_table.selectRow(0)
    with qtbot.waitSignal(page.dialog_opened, timeout=5000) as blocker:
        page.edit_selected()
    dialog: ResidentDialog = blocker.args[0]
    qtbot.mouseClick(dialog.ui.id_reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.ui.id_number_edit.isReadOnly(), timeout=5000)
    assert "*" not in dialog.ui.id_number_edit.text()
    auditor = clerk_ctx.as_user(CurrentUser("t-admin", "tadmin", "审计", Role.ADMIN))
    assert audit.recent(auditor, limit=1)[0].action == "reveal"


def test_move_in_date_is_typed_in_the_usual_forms_and_checked(qtbot, clerk_ctx, runner) -> None:  # noqa: ANN001
    page = make_page(qtbot, clerk_ctx, runner)
    dialog = open_add_dialog(qtbot, page)
    moved_in = dialog.ui.moved_in_edit
    assert moved_in.open_popup().calendar.selectedDate().year() == 2026    # opens on today, not 1900/1950
    moved_in._popup.hide()
    dialog.ui.name_edit.setText("欧阳日期")
    dialog.ui.id_number_edit.setText(GOOD_ID)
    dialog.ui.grid_combo.setCurrentIndex(1)
    moved_in.line_edit.setFocus()
    qtbot.keyClicks(moved_in.line_edit, "2018.5")
    click_save(qtbot, dialog)
    assert dialog.ui.moved_in_error_label.text() != ""
    assert "is not a date" in dialog.ui.moved_in_error_label.text()
    assert dialog.isVisible()
    qtbot.keyClicks(moved_in.line_edit, ".1")
    with qtbot.waitSignal(dialog.saved, timeout=5000) as blocker:
        click_save(qtbot, dialog)
    assert blocker.args[0].moved_in == dt.date(2018, 5, 1)


def test_esc_asks_before_unsaved_edits_are_lost_and_errors_do_not_move_the_buttons(
        qtbot, clerk_ctx, runner, monkeypatch) -> None:  # noqa: ANN001
    from shequ_desktop.ui import unsaved
    asked: list[object] = []
    answer = [False]
    monkeypatch.setattr(unsaved, "ask_discard", lambda parent: (asked.append(parent), answer[0])[1])
    page = make_page(qtbot, clerk_ctx, runner)
    dialog = open_add_dialog(qtbot, page)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)                   # nothing typed: closes at once
    assert not dialog.isVisible() and asked == []
    dialog = open_add_dialog(qtbot, page)
    dialog.ui.name_edit.setText("半途")
    dialog.ui.phone_edit.setText("123")
    save_at = dialog.save_button.mapTo(dialog, dialog.save_button.rect().topLeft())
    click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.ui.phone_error_label.text() != "", timeout=5000)
    QApplication.processEvents()
    assert dialog.save_button.mapTo(dialog, dialog.save_button.rect().topLeft()) == save_at   # nothing jumped
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and asked == [dialog]             # asked, and the answer was "keep editing"
    dialog.close()                                              # the window's close button asks too
    assert dialog.isVisible() and len(asked) == 2
    answer[0] = True
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_cancel_button_asks_but_a_programmatic_reject_does_not(qtbot, clerk_ctx, runner, monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QDialogButtonBox

    from shequ_desktop.ui import unsaved
    asked: list[object] = []
    monkeypatch.setattr(unsaved, "ask_discard", lambda parent: asked.append(parent) or False)
    dialog = open_add_dialog(qtbot, make_page(qtbot, clerk_ctx, runner))
    dialog.ui.name_edit.setText("半途")
    qtbot.mouseClick(dialog.ui.button_box.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and asked == [dialog]
    dialog.reject()                                             # code closing it (e.g. a test, a restore) never asks
    assert not dialog.isVisible() and asked == [dialog]
