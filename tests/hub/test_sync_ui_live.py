"""The sync UI against a live hub (PostgreSQL + uvicorn): 立即同步, conflicts, 接诉即办 round trip."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from shequ_desktop.persistence.models import ChangeJournal, Grid
from shequ_desktop.services import sync
from shequ_desktop.ui.main_window import MainWindow
from shequ_desktop.ui.sync import install_sync
from shequ_desktop.ui.tasks import TaskRunner
from tests.qt_tasks import runner_fixture
from tests.hub.test_sync import add_grid, edit_grid, grid, ok
from tests.hub.test_work_orders import _setup_grid, platform  # noqa: F401  (fixture)

SHOTS = "/tmp/shots"


@pytest.fixture
def runner(qtbot: Any) -> Iterator[TaskRunner]:
    yield from runner_fixture()


def open_window(qtbot, ctx, runner):  # noqa: ANN001, ANN201
    window = MainWindow(ctx, runner, "幸福里社区", with_sync=False)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    controller = install_sync(window, ctx, runner)
    qtbot.waitUntil(lambda: controller.last_result is not None and controller.last_status is not None
                    and not controller.syncing, timeout=15_000)
    return window, controller


def pending(ctx) -> int:  # noqa: ANN001
    with ctx.transaction() as s:
        return s.execute(select(func.count()).select_from(ChangeJournal).where(
            ChangeJournal.origin == "local", ChangeJournal.pushed_at.is_(None))).scalar_one()


def test_sync_now_pushes_pending_changes(qtbot, stations, runner, hub) -> None:  # noqa: ANN001
    a, b = stations
    window, controller = open_window(qtbot, a, runner)
    try:
        assert controller.background is not None and controller.last_result.ok, controller.last_result
        gid = add_grid(a, "G7", "第七网格")
        controller.refresh_status()
        qtbot.waitUntil(lambda: controller.last_status.pending == 1, timeout=5000)
        assert "1 to send" in window.status.network_label.text()
        controller.sync_now_action.trigger()               # 立即同步 (Ctrl+Shift+S)
        qtbot.waitUntil(lambda: controller.last_status.pending == 0 and not controller.syncing, timeout=15_000)
        assert pending(a) == 0
        text = window.status.network_label.text()
        assert text.startswith("Online") and "last sync 11-25 10:00" in text
        assert window.status.sync_problem_label.text() == ""
        window.grab().save(f"{SHOTS}/sync_online.png")
        ok(sync.sync_now(b))
        assert grid(b, gid).name == "第七网格"
    finally:
        controller.shutdown()


def test_hub_conflict_is_shown_side_by_side_and_resolved(qtbot, stations, runner) -> None:  # noqa: ANN001
    a, b = stations
    gid = add_grid(a, "G1", "一网格")
    ok(sync.sync_now(a))
    ok(sync.sync_now(b))
    edit_grid(a, gid, name="A改的名字")
    edit_grid(b, gid, name="B改的名字")
    ok(sync.sync_now(a))
    assert ok(sync.sync_now(b)).conflicts >= 1
    window, controller = open_window(qtbot, b, runner)
    try:
        page = controller.conflicts_page
        table = page.conflicts_table
        qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=5000)
        assert [table.item(0, c).text() for c in (1, 2, 3)] == ["Name", "B改的名字", "A改的名字"]
        qtbot.waitUntil(lambda: "conflicting edit" in window.status.sync_problem_label.text(), timeout=5000)
        window.show_page("sync_conflicts")
        window.grab().save(f"{SHOTS}/sync_hub_conflict.png")
        page.edit_value.setText("第一网格")
        with qtbot.waitSignal(page.conflict_resolved, timeout=5000):
            qtbot.mouseClick(page.save_edit_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: table.rowCount() == 0, timeout=5000)
        # the decision goes to the hub with the sync the controller starts, and reaches station A
        qtbot.waitUntil(lambda: controller.last_status.pending == 0 and not controller.syncing, timeout=15_000)
        qtbot.waitUntil(lambda: window.status.sync_problem_label.text() == "", timeout=5000)
    finally:
        controller.shutdown()
    ok(sync.sync_now(a))
    assert grid(a, gid).name == "第一网格" and sync.conflicts(a) == []


def test_request_from_platform_is_dispatched_counted_down_and_answered(qtbot, stations, runner, hub,  # noqa: ANN001
                                                                       platform, clock) -> None:  # noqa: F811
    a, _b = stations
    grid_id, worker_a, _worker_b = _setup_grid(a)
    window, controller = open_window(qtbot, a, runner)
    try:
        req = {"community_id": a.community_id, "category": "环境卫生", "description": "楼道堆放杂物",
               "address": "幸福里3栋2单元", "contact": "李女士 13800001111", "urgency": "general", "grid_id": grid_id}
        r = httpx.post(f"{hub.url}/api/v1/requests", json=req, headers=platform)
        assert r.status_code == 201, r.text
        rid = r.json()["id"]
        page = controller.work_orders_page
        window.show_page("work_orders")
        controller.sync_now_action.trigger()
        qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.orders[0].assignee_login == worker_a,
                        timeout=15_000)
        order = page.model.orders[0]
        assert (order.id, order.assigned_as, order.deadline_kind) == (rid, "A", "feedback")
        clock.set(order.received_at + dt.timedelta(minutes=10))
        page.tick()
        assert page.remaining_text(0) == "23 h 50 min"
        window.grab().save(f"{SHOTS}/sync_hub_work_order.png")
        page.select_order(rid)
        with qtbot.waitSignal(page.step_recorded, timeout=5000):
            qtbot.mouseClick(page.feedback_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.model.rowCount() == 1 and page.model.orders[0].met_at is not None,
                        timeout=5000)
        assert page.remaining_text(0) == "Answered in time"

        def hub_has_feedback() -> bool:
            got = httpx.get(f"{hub.url}/api/v1/requests/{rid}", headers=platform).json()
            return got["feedback_at"] is not None and "feedback" in [p["kind"] for p in got["progress"]]

        # the controller syncs after a step; wait for that sync, then the platform sees it
        qtbot.waitUntil(lambda: controller.last_status.pending == 0 and not controller.syncing, timeout=15_000)
        qtbot.waitUntil(hub_has_feedback, timeout=15_000)
        got = httpx.get(f"{hub.url}/api/v1/requests/{rid}", headers=platform).json()
        assert [p["kind"] for p in got["progress"]] == ["dispatch", "feedback"]
    finally:
        controller.shutdown()


def test_first_sync_shows_the_download_progress(qtbot, hub, tmp_path, clock, community_id, runner,  # noqa: ANN001
                                                monkeypatch) -> None:
    """An empty workstation's first sync: the status bar follows the download of the community's records."""
    from shequ_desktop.sync import bootstrap
    from tests.hub.conftest import make_station
    from tests.hub.test_bulk_pull import N, _seed
    monkeypatch.setenv("SHEQU_CREDENTIAL_STORE", "file")
    monkeypatch.setattr(bootstrap, "SNAPSHOT_MIN_HEAD", 1)
    _seed(hub.store, community_id)
    # a new PC as the program leaves it at first start: placeholder community and default catalogue
    from shequ_desktop.persistence.db import open_database
    from shequ_desktop.services import counter, station
    from shequ_desktop.services.context import AppContext, CurrentUser
    from shequ_desktop.domain.roles import Role
    ctx = station.ensure_station(AppContext(db=open_database(tmp_path / "fresh.db"), clock=clock,
                                            user=CurrentUser(id="u", login="fresh_admin", display_name="管理员",
                                                             role=Role.ADMIN)))
    assert counter.ensure_catalogue(ctx) == 12
    sync.configure(ctx, hub.url, hub.store.add_station("fresh", community_id).token)
    assert ctx.community_id == community_id
    shown: list[str] = []
    real = MainWindow.__init__

    def spy_init(self, *a: Any, **k: Any) -> None:  # noqa: ANN001
        real(self, *a, **k)
        original = self.status.set_sync_problem
        self.status.set_sync_problem = lambda text, kind="warn": (shown.append(text), original(text, kind))[1]
    monkeypatch.setattr(MainWindow, "__init__", spy_init)
    loads: list[Any] = []
    real_seed = bootstrap.seed_load
    monkeypatch.setattr(bootstrap, "seed_load", lambda *a, **k: loads.append(real_seed(*a, **k)) or loads[-1])
    window, controller = open_window(qtbot, ctx, runner)
    try:
        assert controller.last_result.ok, controller.last_result
        # the counter page seeded the default catalogue (fixed keys), the sync pushed it, and the seed
        # brought it back with the residents: 12 services, not 24
        assert controller.last_result.pushed == 12 and controller.last_result.pulled == N + 12
        assert len(loads) == 1 and loads[0].source == "seed", loads
        assert len(counter.services(ctx)) == 12
        assert any(t.startswith("Downloading the community's records:") and t.endswith(f"{N + 12:,} of {N + 12:,}")
                   for t in shown), shown
        import os
        os.makedirs(SHOTS, exist_ok=True)
        window.grab().save(f"{SHOTS}/first-sync-done.png")
    finally:
        controller.shutdown()
        qtbot.waitUntil(lambda: runner._pending == 0, timeout=10_000)


def test_the_admin_runs_a_full_resync_from_the_sync_menu(qtbot, stations, runner, hub) -> None:  # noqa: ANN001
    import sqlite3

    from PySide6.QtWidgets import QMessageBox
    a, _b = stations
    for i in range(3):
        add_grid(a, f"R{i}", f"网格{i}")
    window, controller = open_window(qtbot, a, runner)
    try:
        assert controller.last_result.ok and controller.resync_action is not None
        conn = sqlite3.connect(a.db.path)            # drift: a record removed behind the program's back
        conn.execute("DELETE FROM grid WHERE code = 'R0'")
        conn.commit()
        conn.close()
        controller.resync_action.trigger()
        box = window.findChild(QMessageBox, "resync_box")
        assert box is not None and box.isVisible()
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.findChild(QMessageBox, "resync_result_box") is not None, timeout=30_000)
        result = window.findChild(QMessageBox, "resync_result_box")
        assert "Full resync finished" in result.text(), result.text()
        window.grab().save(f"{SHOTS}/sync_full_resync.png")
        with a.transaction() as s:
            assert {g.code for g in s.execute(select(Grid)).scalars()} >= {"R0", "R1", "R2"}
        qtbot.waitUntil(lambda: controller.background is not None and not controller.syncing, timeout=15_000)
    finally:
        controller.shutdown()
