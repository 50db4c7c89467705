"""The window does what the command line does: 校验 without a hub says only the local key was checked; a
restore warns about another community's backup (or one whose audit log does not verify) before asking, and
the restore is recorded with the entry that lets the hub accept the restored audit history."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from shequ_desktop.app import Application
from shequ_desktop.domain.clock import FixedClock
from shequ_desktop.persistence.db import open_database
from shequ_desktop.services import audit, backup
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.station import ensure_station
from shequ_desktop.ui.admin.audit_page import AuditPage
from shequ_desktop.ui.ops import BackupDialog, prompts
from tests.conftest import START
from tests.gui.conftest import login_as


@pytest.fixture
def admin_ctx(ctx):  # noqa: ANN001, ANN201
    return login_as(ctx, "admin")


def test_verify_without_a_hub_says_only_the_local_key_was_checked(qtbot, admin_ctx, runner) -> None:  # noqa: ANN001
    audit.record(admin_ctx, audit.AuditAction.PRINT, "printed_document", "", "x")
    page = AuditPage(admin_ctx, runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.hub_compared, timeout=10_000) as compared:
        qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert compared.args == [False]
    assert page.verify_label.text().startswith("The log is intact:")
    assert page.hub_label.text() == "Not connected to a hub: checked with this station's key only."
    qtbot.waitUntil(page.verify_button.isEnabled, timeout=5000)


def test_restoring_another_communitys_backup_warns_as_the_command_line_does(qtbot, admin_ctx, runner, tmp_path,
                                                                            monkeypatch) -> None:  # noqa: ANN001
    other_db = open_database(tmp_path / "other.db")
    other = ensure_station(AppContext(db=other_db, clock=FixedClock(START)))
    audit.record(other, audit.AuditAction.ADMIN, "", "", "x")
    foreign = backup.backup_to(other, tmp_path / "bk").path
    other_db.dispose()
    asked: list[tuple[str, str]] = []
    monkeypatch.setattr(prompts, "confirm", lambda _p, _t, text, accept: asked.append((text, accept)) or False)
    restarts: list[Path] = []
    dialog = BackupDialog(admin_ctx, runner, restarts.append)
    qtbot.addWidget(dialog)
    dialog.restore(foreign)
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=10_000)
    [(text, accept)] = asked
    assert "Warning: The backup belongs to another community" in text
    assert accept == "Restore anyway and log in again"
    assert restarts == []                             # cancelled: nothing restored


def test_a_restore_from_the_window_records_the_entry_the_hub_accepts(qtbot, ctx, runner, tmp_path) -> None:  # noqa: ANN001
    application = Application(QApplication.instance(), runner, with_demo=False)
    qtbot.addWidget(application.login)
    application.start(ctx.db.path)
    qtbot.waitUntil(lambda: application.login.ui.login_button.isEnabled(), timeout=10000)
    saved = backup.backup_to(ctx, tmp_path / "bk").path
    k = sqlite3.connect(saved).execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    for i in range(3):
        audit.record(ctx, audit.AuditAction.PRINT, "printed_document", "", f"after {i}")
    n = audit.count(ctx)
    ctx.db.dispose()
    application.restore_backup(saved)
    qtbot.waitUntil(lambda: application.login.ui.login_button.isEnabled(), timeout=10000)
    restored = application.ctx
    with restored.transaction() as s:
        entry = s.get(audit.AuditEntry, k + 1)
    assert entry.action == audit.AuditAction.RESTORE
    params = json.loads(entry.detail)["params"]
    assert params["branch_seq"] == k and params["file"] == saved.name
    text = audit.detail_text(entry.detail, lambda m: m)
    assert f"entries {k + 1}–{n} of the log before the restore are superseded" in text
    assert audit.verify(login_as(restored, "admin")).ok
    application.db.dispose()
