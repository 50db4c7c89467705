"""The audit page's 校验 against a live hub (PostgreSQL + uvicorn): it compares with the hub's copy and
says what `shequ-admin audit verify` says — on the network pool, never on the window's thread; offline it
says only the local key was checked."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from shequ_desktop.services import audit, audit_remote, sync
from shequ_desktop.ui.admin.audit_page import AuditPage
from shequ_desktop.ui.tasks import TaskRunner
from tests.qt_tasks import runner_fixture
from shequ_desktop.sync import audit_chain


@pytest.fixture
def runner(qtbot: Any) -> Iterator[TaskRunner]:
    yield from runner_fixture()


def _verify(qtbot, page: AuditPage) -> bool:  # noqa: ANN001
    with qtbot.waitSignal(page.hub_compared, timeout=30_000) as compared:
        qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.verify_button.isEnabled, timeout=5000)
    return bool(compared.args[0])


def test_verify_button_compares_with_the_hub_off_the_window_thread(qtbot, stations, hub, runner, monkeypatch):
    a, _b = stations
    for i in range(5):
        audit.record(a, audit.AuditAction.PRINT, "printed_document", "", f"print {i}")
    assert sync.sync_now(a).ok
    n = audit.count(a)
    threads: list[threading.Thread] = []
    real_compare = audit_remote.compare_with_hub

    def compare(ctx):  # noqa: ANN001, ANN202
        threads.append(threading.current_thread())
        return real_compare(ctx)

    monkeypatch.setattr(audit_remote, "compare_with_hub", compare)
    page = AuditPage(a, runner)
    qtbot.addWidget(page)
    page.resize(1366, 728)
    page.show()
    assert _verify(qtbot, page)
    assert threads and threads[0] is not threading.main_thread()
    assert page.verify_label.text() == f"The log is intact: {n} entries checked."
    assert page.hub_label.text() == f"Compared with the hub's copy: {n} entries held by both, 0 newer here not " \
                                    "sent yet."

    # Rewritten and re-hashed here: the page names the entries that differ from the hub's copy.
    conn = sqlite3.connect(a.db.path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    rows = conn.execute("SELECT seq, at, station_id, user_login, action, entity, entity_id, detail "
                        "FROM audit_log ORDER BY seq").fetchall()
    prev = conn.execute("SELECT prev_hash FROM audit_log WHERE seq=3").fetchone()[0]
    for seq, at, station, login, action, entity, entity_id, detail in rows[2:]:
        detail = "nothing printed" if seq == 3 else detail
        h = audit_chain.digest(prev, seq, at.replace(" ", "T"), station, login, action, entity, entity_id, detail)
        conn.execute("UPDATE audit_log SET detail=?, prev_hash=?, hash=? WHERE seq=?", (detail, prev, h, seq))
        prev = h
    conn.commit()
    conn.close()
    assert not _verify(qtbot, page)
    assert f"Entries that differ from the hub's copy: 3–{n}" in page.hub_label.text()
    assert "background: #c62828" in page.hub_label.styleSheet()

    hub.stop()                                        # offline: the local check stands, and says so
    assert not _verify(qtbot, page)
    assert "checked with this station's key only" in page.hub_label.text()
    assert page.verify_button.isVisible() and page.hub_label.isVisible()
