"""Sync and 接诉即办 UI without a hub: single-machine mode, hub unreachable, work orders, conflicts."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from shequ_desktop import paths
from shequ_desktop.domain.clock import local_today
from shequ_desktop.persistence.models import Absence, ChangeJournal, Grid, PostAssignment
from shequ_desktop.persistence.sync_models import SyncConflict, WorkOrder
from shequ_desktop.services import sync, work_orders
from shequ_desktop.services.context import put_setting
from shequ_desktop.sync import credentials
from shequ_desktop.ui.main_window import MainWindow
from shequ_desktop.ui.sync import install_sync
from shequ_desktop.ui.sync.work_order_model import OVERDUE_BACKGROUND, REMAINING_COLUMN
from tests.hub.conftest import free_port

SHOTS = "/tmp/shots"


def shoot(widget, name: str) -> None:  # noqa: ANN001
    os.makedirs(SHOTS, exist_ok=True)
    widget.grab().save(f"{SHOTS}/sync_{name}.png")


@pytest.fixture(autouse=True)
def _demo_orders_closed(chief_ctx) -> None:  # noqa: ANN001
    """The demo's year of requests (services/demo_work_orders.py) closed: these tests count their own."""
    with chief_ctx.transaction() as s:
        for order in s.execute(select(WorkOrder).where(WorkOrder.status != "done")).scalars():
            order.status = "done"


@pytest.fixture
def window(qtbot, chief_ctx, runner):  # noqa: ANN001, ANN201
    w = MainWindow(chief_ctx, runner, "幸福里社区", with_sync=False)
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    return w


@pytest.fixture
def controller(qtbot, window, chief_ctx, runner):  # noqa: ANN001, ANN201
    c = install_sync(window, chief_ctx, runner)
    yield c
    c.shutdown()


def pending(ctx) -> int:  # noqa: ANN001
    with ctx.transaction() as s:
        return s.execute(select(func.count()).select_from(ChangeJournal).where(
            ChangeJournal.origin == "local", ChangeJournal.pushed_at.is_(None))).scalar_one()


def first_grid(ctx) -> tuple[str, str, str]:  # noqa: ANN001
    """(grid id, A worker login, B worker login) of the demo's first grid."""
    with ctx.transaction() as s:
        post = s.execute(select(PostAssignment).join(Grid, Grid.id == PostAssignment.grid_id)
                         .where(Grid.code == "G1")).scalars().first()
        return post.grid_id, post.a_login, post.b_login


def test_without_hub_status_says_single_machine_mode(qtbot, window, controller) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: controller.last_status is not None, timeout=5000)
    assert controller.background is None
    assert window.status.sync_problem_label.text() == "Not connected to the subdistrict platform (single-machine mode)"
    assert window.status.sync_problem_label.isVisible()
    assert window.page("work_orders") is controller.work_orders_page
    assert window.page("sync_conflicts") is controller.conflicts_page   # the chief sees conflicts
    assert controller.sync_now_action.shortcut().toString() == "Ctrl+Shift+S"


def test_hub_down_shows_plain_words_and_keeps_changes(qtbot, window, chief_ctx, runner, reported) -> None:  # noqa: ANN001
    with chief_ctx.transaction() as s:
        put_setting(s, sync.URL_KEY, f"http://127.0.0.1:{free_port()}")      # nobody listens there
    credentials.save_token(paths.data_dir(), f"station-{chief_ctx.station_id}", "st1:secret")
    before = pending(chief_ctx)
    assert before > 0
    controller = install_sync(window, chief_ctx, runner)
    try:
        qtbot.waitUntil(lambda: controller.last_result is not None and controller.last_status is not None
                        and not controller.syncing, timeout=10_000)
        assert controller.last_result.ok is False
        qtbot.waitUntil(lambda: window.status.sync_problem_label.text().startswith(
            "Cannot reach the subdistrict server"), timeout=5000)
        assert "never synced" in window.status.sync_problem_label.text()
        assert window.status.network_label.text().startswith("离线")      # "Offline" in the test catalog
        # the app keeps working: a work order is created and listed; nothing was lost
        work_orders.create_at_counter(chief_ctx, "咨询", "低保材料咨询", "幸福里1栋", "张先生")
        page = controller.work_orders_page
        page.reload()
        qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
        assert pending(chief_ctx) > before
        shoot(window, "hub_down")
    finally:
        controller.shutdown()
    assert reported == []


def test_work_order_countdown_colours_and_feedback(qtbot, window, controller, chief_ctx) -> None:  # noqa: ANN001
    grid_id, worker_a, worker_b = first_grid(chief_ctx)
    with chief_ctx.transaction() as s:       # A is on leave: B gets it
        s.add(Absence(community_id=chief_ctx.community_id, login=worker_a, day=local_today(chief_ctx.clock),
                      reason="年假"))
    order = work_orders.create_at_counter(chief_ctx, "环境卫生", "楼道堆放杂物，影响通行", "幸福里3栋2单元",
                                          "李女士 13800001111", grid_id=grid_id)
    page = controller.work_orders_page
    window.show_page("work_orders")
    with qtbot.waitSignal(page.orders_loaded, timeout=5000):
        qtbot.mouseClick(page.dispatch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.orders[0].assignee_login == worker_b,
                    timeout=5000)
    assert page.model.orders[0].assigned_as == "B"
    assert page.remaining_text(0) == "24 h 0 min"
    assert page.model.index(0, 6).data().startswith("Feedback by 11-26 10:00")
    chief_ctx.clock.set(order.received_at + dt.timedelta(hours=21, minutes=30))
    page.tick()                                            # the 30-second timer does this
    assert page.remaining_text(0) == "2 h 30 min"
    assert page.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is not None     # due soon
    chief_ctx.clock.set(order.received_at + dt.timedelta(hours=25))
    page.tick()
    assert page.remaining_text(0) == "Overdue by 1 h 0 min"
    assert page.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    controller.refresh_overdue()
    qtbot.waitUntil(lambda: controller.overdue_count() == 1, timeout=5000)
    shoot(window, "work_orders")
    assert page.select_order(order.id)
    assert page.feedback_button.isEnabled() and not page.arrive_button.isEnabled()
    with qtbot.waitSignal(page.step_recorded, timeout=5000):
        qtbot.mouseClick(page.feedback_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.orders[0].met_at is not None, timeout=5000)
    assert page.remaining_text(0) == "Answered, 1 h 0 min late"
    assert [e.kind for e in work_orders.events(chief_ctx, order.id)] == ["dispatch", "feedback"]
    # closing needs a result text, shown next to the field
    page.select_order(order.id)
    qtbot.mouseClick(page.result_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.note_error_label.isVisible(), timeout=5000)
    page.note_edit.setText("杂物已清理")
    with qtbot.waitSignal(page.orders_loaded, timeout=5000):
        qtbot.mouseClick(page.result_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=5000)   # closed orders leave the open list


def test_conflict_shown_side_by_side_and_resolved(qtbot, window, controller, chief_ctx) -> None:  # noqa: ANN001
    grid_id, _a, _b = first_grid(chief_ctx)
    for waiting in sync.conflicts(chief_ctx):          # the demo's own conflicts, decided first
        sync.resolve_conflict(chief_ctx, waiting.id, "remote")
    with chief_ctx.transaction() as s:
        s.add(SyncConflict(community_id=chief_ctx.community_id, entity="grid", entity_id=grid_id, field="name",
                           local_value=json.dumps("一网格（本站）"), remote_value=json.dumps("第一网格"),
                           base_version=3, target_version=4, from_user="b_admin"))
    page = controller.conflicts_page
    window.show_page("sync_conflicts")
    page.reload()
    t = page.conflicts_table
    qtbot.waitUntil(lambda: t.rowCount() == 1, timeout=5000)
    assert [t.item(0, c).text() for c in range(1, 6)] == ["Name", "一网格（本站）", "第一网格", "3", "b_admin"]
    shoot(window, "conflicts")
    with qtbot.waitSignal(page.conflict_resolved, timeout=5000):
        qtbot.mouseClick(page.keep_local_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: t.rowCount() == 0, timeout=5000)
    with chief_ctx.transaction() as s:
        assert s.get(Grid, grid_id).name == "一网格（本站）"
    assert sync.conflicts(chief_ctx) == []


def test_settings_dialog_masks_token_and_reports_unreachable_hub(qtbot, window, controller) -> None:  # noqa: ANN001
    controller.open_settings()
    qtbot.waitUntil(lambda: controller.settings_dialog is not None, timeout=5000)
    dialog = controller.settings_dialog
    assert dialog.token_edit.echoMode() == dialog.token_edit.EchoMode.Password
    dialog.url_edit.setText(f"http://127.0.0.1:{free_port()}")
    dialog.token_edit.setText("st1:secret")
    shoot(dialog, "settings")
    with qtbot.waitSignal(dialog.connection_checked, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [False]
    assert dialog.url_error.isVisible() and "The hub cannot be reached" in dialog.url_error.text()
    dialog.reject()


def test_returned_changes_are_listed_with_reason_and_retried(qtbot, window, controller, chief_ctx) -> None:  # noqa: ANN001
    with chief_ctx.transaction() as s:
        rows = s.execute(select(ChangeJournal).where(ChangeJournal.origin == "local", ChangeJournal.entity == "grid")
                         .order_by(ChangeJournal.seq).limit(2)).scalars().all()
        for j in rows:
            j.push_error = "field code too long"
    page = controller.conflicts_page
    page.reload()
    qtbot.waitUntil(lambda: page.quarantine_table.rowCount() == 2, timeout=5000)
    assert page.quarantine_table.item(0, 4).text() == "field code too long"
    assert page.quarantine_title.text() == "Changes returned by the hub (2)"
    page.quarantine_table.selectRow(0)
    with qtbot.waitSignal(page.retried, timeout=5000) as blocker:
        qtbot.mouseClick(page.retry_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [1]
    qtbot.waitUntil(lambda: page.quarantine_table.rowCount() == 1, timeout=5000)
    assert len(sync.quarantine(chief_ctx)) == 1          # the other one still waits, shown, never deleted


def test_problem_text_in_plain_words() -> None:
    from shequ_desktop.services.sync import SyncStatus
    from shequ_desktop.ui.sync.status_text import problem_text
    last = dt.datetime(2026, 11, 25, 1, 30, tzinfo=dt.timezone.utc)
    down = SyncStatus(True, False, 4, 0, 0, last, last, "The hub cannot be reached (offline?).")
    assert problem_text(down) == ("Cannot reach the subdistrict server (last success 11-25 09:30)", "warn")
    returned = SyncStatus(True, True, 0, 3, 0, last, last, "")
    assert problem_text(returned)[0] == ("3 changes were returned by the subdistrict server; "
                                         "the station chief must handle them")
    assert problem_text(SyncStatus(True, True, 0, 0, 0, last, last, "")) == ("", "info")


def test_worker_sees_only_own_orders_and_no_conflicts_page(qtbot, clerk_ctx, runner) -> None:  # noqa: ANN001
    w = MainWindow(clerk_ctx, runner, "幸福里社区", with_sync=False)
    qtbot.addWidget(w)
    controller = install_sync(w, clerk_ctx, runner)
    try:
        assert w.page("sync_conflicts") is None and controller.conflicts_page is None
        page = controller.work_orders_page
        assert page.mine and not page.scope_combo.isVisibleTo(page) and not page.dispatch_button.isVisibleTo(page)
        qtbot.waitUntil(lambda: controller.last_status is not None, timeout=5000)
    finally:
        controller.shutdown()
