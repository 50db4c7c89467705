"""Resident list: lazy search, total label, role-dependent buttons, audited reveal."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from shequ_desktop.domain.roles import Role
from shequ_desktop.services import audit, residents
from shequ_desktop.services.context import CurrentUser
from shequ_desktop.ui.main_window import MainWindow
from shequ_desktop.ui.residents.model import ResidentTableModel


def make_main(qtbot, ctx, runner) -> MainWindow:  # noqa: ANN001
    window = MainWindow(ctx, runner, "幸福里社区")
    qtbot.addWidget(window)
    window.show()
    page = window.resident_page
    qtbot.waitUntil(lambda: page.model.total is not None and page.model.rowCount() > 0, timeout=5000)
    return window


def search(qtbot, page, text: str) -> None:  # noqa: ANN001
    page.ui.search_edit.setText(text)       # debounced: the search starts ~200 ms later
    qtbot.waitUntil(lambda: page.model.query == text and page.model.total is not None
                    and not page.model._loading, timeout=5000)


def test_one_character_search_fills_model_lazily(qtbot, chief_ctx, runner, reported) -> None:  # noqa: ANN001
    page = make_main(qtbot, chief_ctx, runner).resident_page
    search(qtbot, page, "王")
    expected = residents.count(chief_ctx, "王")
    assert 0 < expected <= ResidentTableModel.PAGE_SIZE
    assert page.model.rowCount() == expected
    assert all(page.model.row_at(i).name.startswith("王") or "王" in page.model.row_at(i).name
               for i in range(page.model.rowCount()))
    assert str(expected) in page.ui.total_label.text()
    assert not page.model.canFetchMore(QModelIndex())
    assert reported == []


def test_two_character_name_search(qtbot, chief_ctx, runner) -> None:  # noqa: ANN001
    first = residents.search(chief_ctx, "", limit=1)[0]
    page = make_main(qtbot, chief_ctx, runner).resident_page
    search(qtbot, page, first.name[:2])
    names = [page.model.row_at(i).name for i in range(page.model.rowCount())]
    assert first.name in names


def test_long_list_loads_a_page_at_a_time(qtbot, chief_ctx, runner) -> None:  # noqa: ANN001
    page = make_main(qtbot, chief_ctx, runner).resident_page
    total = residents.total(chief_ctx)
    assert page.model.total == total > 2 * ResidentTableModel.PAGE_SIZE
    assert page.model.rowCount() == ResidentTableModel.PAGE_SIZE
    assert page.model.canFetchMore(QModelIndex())
    page.model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: page.model.rowCount() == 2 * ResidentTableModel.PAGE_SIZE, timeout=5000)
    assert str(total) in page.ui.total_label.text()


def test_masked_columns_in_the_list(qtbot, chief_ctx, runner) -> None:  # noqa: ANN001
    model = make_main(qtbot, chief_ctx, runner).resident_page.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[0] == "Name" and len(headers) == 7
    id_column = model.data(model.index(0, 3))
    assert "*" in id_column and len(id_column) == 18


def test_export_and_import_hidden_for_a_clerk(qtbot, clerk_ctx, runner) -> None:  # noqa: ANN001
    page = make_main(qtbot, clerk_ctx, runner).resident_page
    assert page.ui.export_button.isHidden() and page.ui.import_button.isHidden()
    assert not page.ui.add_button.isHidden() and not page.ui.reveal_button.isHidden()


def test_export_shown_for_the_chief(qtbot, chief_ctx, runner) -> None:  # noqa: ANN001
    page = make_main(qtbot, chief_ctx, runner).resident_page
    assert not page.ui.export_button.isHidden()


def test_reveal_shows_full_numbers_and_writes_audit(qtbot, clerk_ctx, runner, reported) -> None:  # noqa: ANN001
    page = make_main(qtbot, clerk_ctx, runner).resident_page
    search(qtbot, page, "王")
    page.ui.resident_table.selectRow(0)
    row = page.selected_row()
    before = audit.count(clerk_ctx)
    with qtbot.waitSignal(page.revealed, timeout=5000) as blocker:
        qtbot.mouseClick(page.ui.reveal_button, Qt.MouseButton.LeftButton)
    resident_id, id_number, phone = blocker.args
    assert resident_id == row.id
    assert len(id_number) == 18 and "*" not in id_number
    assert id_number[:6] == row.id_masked[:6] and id_number[-4:] == row.id_masked[-4:]
    assert audit.count(clerk_ctx) == before + (2 if row.phone_masked else 1)
    auditor = clerk_ctx.as_user(CurrentUser("t-admin", "tadmin", "审计", Role.ADMIN))
    newest = audit.recent(auditor, limit=1)[0]
    assert (newest.action, newest.entity_id, newest.user_login) == ("reveal", row.id, "clerk1")
    assert reported == []
