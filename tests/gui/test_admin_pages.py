"""Admin pages (calendar, policy, audit) driven through their real widgets on a real SQLite store."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt  # noqa: E402
import sqlite3  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402

from shequ_desktop.domain.clock import FixedClock  # noqa: E402
from shequ_desktop.domain.roles import Role  # noqa: E402
from shequ_desktop.persistence.db import open_database  # noqa: E402
from shequ_desktop.services import audit, calendar, policy  # noqa: E402
from shequ_desktop.services.context import AppContext, CurrentUser  # noqa: E402
from shequ_desktop.services.station import ensure_station  # noqa: E402
from shequ_desktop.ui.admin import AuditPage, CalendarPage, PolicyPage  # noqa: E402
from shequ_desktop.ui.tasks import TaskRunner  # noqa: E402
from tests.qt_tasks import runner_fixture  # noqa: E402

# 2026-11-05 10:00 Shanghai: after 1 November, and 2027 is not in the built-in data.
NOW = dt.datetime(2026, 11, 5, 2, 0, tzinfo=dt.timezone.utc)
GOOD_2027 = """日期,类型,文号
2027-01-01,休,国办发明电〔2026〕9号
2027-10-01,休,国办发明电〔2026〕9号
2027-10-09,班,国办发明电〔2026〕9号
"""
BAD_2027 = """日期,类型,文号
2027-01-01,休,国办发明电〔2026〕9号
2027-02-30,休,国办发明电〔2026〕9号
"""


@pytest.fixture
def admin_ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    monkeypatch.setenv("SHEQU_DATA_DIR", str(tmp_path / "data"))
    db = open_database(tmp_path / "station.db")
    admin = CurrentUser(id="u-admin", login="admin1", display_name="管理员", role=Role.ADMIN)
    yield ensure_station(AppContext(db, clock=FixedClock(NOW), user=admin))
    db.dispose()


@pytest.fixture
def clerk_ctx(admin_ctx: AppContext) -> AppContext:
    return admin_ctx.as_user(CurrentUser(id="u-clerk", login="clerk1", display_name="窗口", role=Role.CLERK))


@pytest.fixture
def runner(qtbot: Any) -> Iterator[TaskRunner]:
    yield from runner_fixture()


def _calendar_page(qtbot, ctx: AppContext, runner: TaskRunner) -> CalendarPage:  # noqa: ANN001
    with qtbot.waitSignal(runner.busy_changed, timeout=5000, check_params_cb=lambda busy: not busy):
        page = CalendarPage(ctx, runner)
    qtbot.addWidget(page)
    return page


def _row_texts(page: CalendarPage, day: dt.date) -> list[str]:
    table = page.days_table
    for row in range(table.rowCount()):
        if table.item(row, 0).text() == day.isoformat():
            return [table.item(row, c).text() for c in range(table.columnCount())]
    return []


def test_calendar_lists_make_up_and_rest_days_of_2026(qtbot, admin_ctx, runner) -> None:  # noqa: ANN001
    page = _calendar_page(qtbot, admin_ctx, runner)
    with qtbot.waitSignal(page.year_loaded, timeout=5000):
        page.year_spin.setValue(2026)  # the clock says 2026 already; the reload is what we wait for
        page.reload()
    assert _row_texts(page, dt.date(2026, 10, 10))[2:4] == ["Make-up working day", "国庆节"]
    assert _row_texts(page, dt.date(2026, 10, 1))[2:4] == ["Rest day", "国庆节"]
    assert _row_texts(page, dt.date(2026, 10, 12)) == []  # an ordinary Monday is not listed
    assert "2026" in page.coverage_label.text() and "complete" in page.coverage_label.text()
    # 5 November and 2027 not imported: the red banner names 2027.
    assert not page.next_year_warning_label.isHidden() and "2027" in page.next_year_warning_label.text()


def test_importing_a_2027_schedule_covers_2027(qtbot, admin_ctx, runner, tmp_path) -> None:  # noqa: ANN001
    page = _calendar_page(qtbot, admin_ctx, runner)
    csv_path = tmp_path / "2027.csv"
    csv_path.write_text(GOOD_2027, encoding="utf-8")
    with qtbot.waitSignal(page.year_loaded, timeout=5000, check_params_cb=lambda year: year == 2027):
        page.import_file(csv_path)
    assert "3" in page.status_label.text() and "2027" in page.status_label.text()
    assert "complete" in page.coverage_label.text()
    assert page.next_year_warning_label.isHidden()
    assert _row_texts(page, dt.date(2027, 10, 9))[2] == "Make-up working day"


def test_a_bad_line_shows_the_error_and_imports_nothing(qtbot, admin_ctx, runner, tmp_path) -> None:  # noqa: ANN001
    page = _calendar_page(qtbot, admin_ctx, runner)
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text(BAD_2027, encoding="utf-8")
    page.import_file(csv_path)
    qtbot.waitUntil(lambda: not page.error_label.isHidden(), timeout=5000)
    assert "Line 3" in page.error_label.text() and "2027-02-30" in page.error_label.text()
    assert runner.run_sync(lambda: calendar.year_report(admin_ctx, 2027).covered) is False
    assert runner.run_sync(lambda: calendar.working_calendar(admin_ctx).day_info(dt.date(2027, 1, 1))).provisional


def test_setting_a_day_to_rest_lists_it(qtbot, admin_ctx, runner) -> None:  # noqa: ANN001
    page = _calendar_page(qtbot, admin_ctx, runner)
    page.select_day(dt.date(2026, 12, 30))  # an ordinary Wednesday
    page.day_kind_combo.setCurrentIndex(page.day_kind_combo.findData(False))
    page.note_edit.setText("民族节日补休")
    with qtbot.waitSignal(page.year_loaded, timeout=5000):
        qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    assert _row_texts(page, dt.date(2026, 12, 30))[2:4] == ["Rest day", "民族节日补休"]


def test_deadline_tool_marks_2027_results_provisional(qtbot, admin_ctx, runner) -> None:  # noqa: ANN001
    page = _calendar_page(qtbot, admin_ctx, runner)
    page.start_date_edit.setDate(dt.date(2026, 12, 29))
    page.working_days_spin.setValue(5)
    with qtbot.waitSignal(page.due_date_computed, timeout=5000):
        qtbot.mouseClick(page.compute_button, Qt.MouseButton.LeftButton)
    assert page.due_label.text().startswith("Due: 2027-01-06") and "(provisional)" in page.due_label.text()


def _policy_page(qtbot, ctx: AppContext, runner: TaskRunner) -> PolicyPage:  # noqa: ANN001
    with qtbot.waitSignal(runner.busy_changed, timeout=5000, check_params_cb=lambda busy: not busy):
        page = PolicyPage(ctx, runner)
    qtbot.addWidget(page)
    return page


def test_policy_edit_saves_a_new_version(qtbot, admin_ctx, runner, monkeypatch) -> None:  # noqa: ANN001
    page = _policy_page(qtbot, admin_ctx, runner)
    before = len(page.history)
    page.set_value_text("complex_review_wd", "7")
    row = page.row_of("complex_review_wd")
    assert page.policy_table.item(row, 2).background().color().name() == "#fff3b0"  # changed, not saved yet
    monkeypatch.setattr(page, "_ask_note", lambda: "街道通知")
    with qtbot.waitSignal(page.policy_saved, timeout=5000):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert len(page.history) == before + 1 and page.history_table.rowCount() == before + 1
    assert page.history_table.item(0, 3).text() == "街道通知"
    assert "5→7" in page.history_table.item(0, 4).text()
    assert runner.run_sync(lambda: policy.current_policy(admin_ctx)["complex_review_wd"]) == 7


def test_negative_policy_value_is_refused_and_nothing_saved(qtbot, admin_ctx, runner, monkeypatch) -> None:  # noqa: ANN001
    page = _policy_page(qtbot, admin_ctx, runner)
    page.set_value_text("complex_review_wd", "-1")
    monkeypatch.setattr(page, "_ask_note", lambda: "试错")
    with qtbot.waitSignal(page.save_refused, timeout=5000) as refused:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert refused.args == ["complex_review_wd"]
    assert "复杂事项初审时限" in page.error_label.text() and "at least 1" in page.error_label.text()
    row = page.row_of("complex_review_wd")
    assert page.policy_table.item(row, 1).background().color().name() == "#f8c9c6"
    assert runner.run_sync(lambda: policy.policy_history(admin_ctx)) == []


def test_audit_verify_reports_an_intact_log(qtbot, admin_ctx, runner) -> None:  # noqa: ANN001
    audit.record(admin_ctx, audit.AuditAction.PRINT, "resident", "r1", "居住证明")
    audit.record(admin_ctx, audit.AuditAction.EXPORT, "resident", "", "导出 20 人")
    with qtbot.waitSignal(runner.busy_changed, timeout=5000, check_params_cb=lambda busy: not busy):
        page = AuditPage(admin_ctx, runner)
    qtbot.addWidget(page)
    assert page.entries_table.rowCount() == 2 and page.entries_table.item(0, 3).text() == "Export"
    with qtbot.waitSignal(page.log_verified, timeout=5000) as verified:
        qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert verified.args == [True]
    assert page.verify_label.text() == "The log is intact: 2 entries checked."
    with qtbot.waitSignal(page.entries_loaded, timeout=5000) as loaded:
        page.action_combo.setCurrentIndex(page.action_combo.findData(audit.AuditAction.PRINT))
    assert loaded.args == [1] and page.entries_table.item(0, 5).text() == "居住证明"


def test_clerk_sees_no_edit_controls(qtbot, clerk_ctx, runner) -> None:  # noqa: ANN001
    calendar_page = _calendar_page(qtbot, clerk_ctx, runner)
    assert calendar_page.import_button.isHidden() and calendar_page.edit_group.isHidden()
    assert calendar_page.days_table.rowCount() > 0  # still readable
    policy_page = _policy_page(qtbot, clerk_ctx, runner)
    assert policy_page.save_button.isHidden() and policy_page.reset_row_button.isHidden()
    item = policy_page.policy_table.item(policy_page.row_of("complex_review_wd"), 2)
    assert not policy_page.policy_table.editTriggers() & policy_page.policy_table.EditTrigger.DoubleClicked
    assert item.text() == "5"


def test_audit_verify_reports_a_changed_entry_in_red(qtbot, admin_ctx, runner, tmp_path) -> None:  # noqa: ANN001
    for i in range(3):
        audit.record(admin_ctx, audit.AuditAction.PRINT, "resident", f"r{i}", f"print {i}")
    conn = sqlite3.connect(tmp_path / "station.db")
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET detail='nothing printed' WHERE seq=2")
    conn.commit()
    conn.close()
    page = AuditPage(admin_ctx, runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.log_verified, timeout=5000) as verified:
        qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert verified.args == [False]
    assert page.verify_label.text().startswith("Entry 2 has been altered or removed")
    assert "background: #c62828" in page.verify_label.styleSheet()


def test_policy_choices_are_shown_and_typed_in_words(qtbot, admin_ctx, runner) -> None:  # noqa: ANN001
    from shequ_desktop.ui.admin import policy_page
    from shequ_desktop.ui.admin.policy_page import VALUE
    page = policy_page.PolicyPage(admin_ctx, runner)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.policy_table.item(page.row_of("major_matter_denominator"), VALUE) is not None,
                    timeout=5000)
    row = page.row_of("major_matter_denominator")
    qtbot.waitUntil(lambda: page.policy_table.item(row, VALUE).text() != "", timeout=5000)
    shown = page.policy_table.item(row, VALUE).text()
    assert shown != "seated" and shown == policy_page.value_text("seated")     # a word, not the stored code
    page.set_value_text("major_matter_denominator", policy_page.value_text("present"))
    assert page.pending_changes() == {"major_matter_denominator": "present"}
