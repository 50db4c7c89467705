"""应急管理 page: the grid worker's first minutes (big buttons, live clocks, checks on people), the chief's team,
drills and kit; the bad input the issue names stays next to its field; everything fits 1366×728."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from shequ_desktop.services.emergency import vulnerable
from shequ_desktop.services.emergency.common import list_buildings
from shequ_desktop.ui.emergency import EmergencyPage
from tests.gui.conftest import login_as
from tests.gui.screen_walk import unreachable_buttons


def make_page(qtbot, ctx, runner) -> EmergencyPage:  # noqa: ANN001
    page = EmergencyPage(ctx, runner)
    qtbot.addWidget(page)
    page.resize(1366, 728)
    page.show()
    qtbot.waitUntil(lambda: runner._pending == 0 and bool(page.building_list), timeout=20_000)
    return page


def settle(qtbot, runner) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: runner._pending == 0, timeout=20_000)


def busiest_building(ctx) -> str:  # noqa: ANN001
    ids = [b for b, _n in list_buildings(ctx)]
    people = vulnerable.for_buildings(ctx, ids)
    return max(ids, key=lambda b: sum(1 for p in people if p.building_id == b))


def test_grid_worker_first_minutes(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    worker = login_as(ctx, "worker1")
    page = make_page(qtbot, worker, runner)
    assert unreachable_buttons(page) == []
    assert not page.kit_button.isVisible()                   # the kit is the chief's
    dialog = page.new_incident()
    dialog.title_edit.setText("3栋楼道杂物起火")
    dialog.submit()
    settle(qtbot, runner)
    assert dialog.isVisible() and dialog.error_labels["buildings"].isVisible()     # no building: said there
    building = busiest_building(worker)
    dialog.check_building(building)
    dialog.hazard_combo.setCurrentIndex(dialog.hazard_combo.findData("fire"))
    with qtbot.waitSignal(dialog.done_with, timeout=20_000) as got:
        dialog.submit()
    view = got.args[0]
    panel = page.panel
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.id == view.id, timeout=20_000)
    settle(qtbot, runner)
    assert panel.tasks_table.rowCount() == len(view.tasks) > 0
    assert panel.checks_table.rowCount() > 0                                 # the vulnerable people, at once
    assert "*" in panel.checks_table.item(0, 2).text()
    contact = panel.checks_table.item(0, 4).text()                          # the person to call, full phone
    assert sum(ch.isdigit() for ch in contact) >= 7, contact
    assert "5" in panel.onsite_clock.text() and "15" in panel.report_clock.text()
    # a typed on-site time before the report time is refused, shown in the panel
    panel.later_edit.setDateTime(panel.later_edit.dateTime().addSecs(-3600))
    panel.later_onsite_button.click()
    settle(qtbot, runner)
    assert panel.error_label.text() and panel.view.onsite_at is None
    worker.clock.advance(minutes=3)
    panel.onsite_button.click()
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: panel.view.onsite_at is not None, timeout=20_000)
    panel.tick()
    assert panel.view.onsite_met and "3" in panel.onsite_clock.text()
    worker.clock.advance(minutes=9)
    panel.channel_combo.setCurrentIndex(panel.channel_combo.findData("gov_wechat"))
    panel.report_button.click()
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: panel.view.subdistrict_at is not None, timeout=20_000)
    assert panel.view.report_met
    panel.checks_table.selectRow(0)
    panel.check_state_combo.setCurrentIndex(panel.check_state_combo.findData("needs_help"))
    panel.check_button.click()
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: any(c.state == "needs_help" for c in panel.checks), timeout=20_000)
    panel.tasks_table.selectRow(0)
    panel.task_done_button.click()
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: panel.view.tasks[0].done_at is not None, timeout=20_000)
    assert panel.team_table.rowCount() == 24
    panel.team_table.selectRow(1)
    panel.member_status_combo.setCurrentIndex(panel.member_status_combo.findData("on_the_way"))
    panel.member_status_button.click()
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: len(panel.view.member_status) == 1, timeout=20_000)
    assert panel.timeline_table.rowCount() >= 6
    assert reported == []


def test_chief_team_member_without_phone_drills_and_kit(qtbot, ctx, runner, reported, tmp_path) -> None:  # noqa: ANN001
    chief = login_as(ctx, "chief")
    page = make_page(qtbot, chief, runner)
    page.tabs.setCurrentWidget(page.team_tab)
    qtbot.waitUntil(lambda: page.team_tab.table.rowCount() == 24, timeout=20_000)
    assert page.team_tab.tree.topLevelItemCount() == 1 and "24" in page.team_tab.status_label.text()
    assert unreachable_buttons(page) == []
    dialog = page.team_tab.edit(None)
    dialog.name_edit.setText("新队员")
    dialog.submit()
    settle(qtbot, runner)
    assert dialog.isVisible() and dialog.error_labels["phone"].isVisible()       # no phone: refused there
    dialog.phone_edit.setText("13812345678")
    with qtbot.waitSignal(dialog.done_with, timeout=20_000):
        dialog.submit()
    qtbot.waitUntil(lambda: page.team_tab.table.rowCount() == 25, timeout=20_000)
    page.tabs.setCurrentWidget(page.drills_tab)
    qtbot.waitUntil(lambda: page.drills_tab.schedule_table.rowCount() > 0, timeout=20_000)
    states = [page.drills_tab.schedule_table.item(r, 2).text() for r in range(page.drills_tab.schedule_table.rowCount())]
    assert any("逾期" in s or "Overdue" in s for s in states)
    assert "2" in page.drills_tab.untrained_label.text()
    page.tabs.setCurrentIndex(0)
    target = tmp_path / "kit.pdf"
    with qtbot.waitSignal(page.kit_written, timeout=120_000) as got:
        page.print_kit(str(target))
    assert target.read_bytes().startswith(b"%PDF") and got.args[0].plans == 7
    assert not page.kit_progress.isVisible() and page.kit_label.text()
    settle(qtbot, runner)
    assert reported == []


def test_kit_reminder_in_the_status_bar(qtbot, ctx, runner) -> None:  # noqa: ANN001
    from shequ_desktop.services.emergency import kit
    from shequ_desktop.ui.main_window import MainWindow
    chief = login_as(ctx, "chief")
    window = MainWindow(chief, runner, "幸福里社区", with_sync=False)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: window.status.kit_label.isVisible(), timeout=20_000)    # never printed
    runner.submit(lambda: kit.build_kit(chief))
    settle(qtbot, runner)
    window.refresh_alerts()
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: not window.status.kit_label.isVisible(), timeout=20_000)
    chief.clock.advance(days=31)
    window.refresh_alerts()
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: window.status.kit_label.isVisible(), timeout=20_000)
    assert "31" in window.status.kit_label.text()
    window.show_page("emergency")
    assert window.ui.page_stack.currentWidget() is window.emergency_page
    window.shutdown()


@pytest.mark.parametrize("login", ["worker1", "chief"])
def test_every_tab_fits_1366x728(qtbot, ctx, runner, login) -> None:  # noqa: ANN001
    page = make_page(qtbot, login_as(ctx, login), runner)
    for i in range(page.tabs.count()):
        page.tabs.setCurrentIndex(i)
        settle(qtbot, runner)
        assert unreachable_buttons(page) == [], page.tabs.tabText(i)


def test_chief_chooses_the_compliance_period_and_opens_an_incident_behind_a_miss(qtbot, ctx, runner,
                                                                                  reported) -> None:  # noqa: ANN001
    """The 5/15-minute figures of any period (this year by default; last quarter; the previous year; from–to) with
    the incidents behind each miss; one of them opens in the panel, closed or not. The demo's five incidents are
    placed by days before the fixed clock (2026-11-25): 2025-03-25, 2025-10-01 (reported after 18 min),
    2026-03-20 (on site after 7 min), 2026-08-22, 2026-11-04."""
    import datetime as dt

    from shequ_desktop.services.emergency import drills
    chief = login_as(ctx, "chief")
    page = make_page(qtbot, chief, runner)
    box = page.compliance
    qtbot.waitUntil(lambda: box.rates is not None, timeout=20_000)
    assert box.period == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))                  # this year by default
    assert (box.rates.onsite.numerator, box.rates.onsite.denominator) == (2, 3)
    assert not box.first_field.isVisible()

    box.set_period("last_quarter")
    qtbot.waitUntil(lambda: box.period == (dt.date(2026, 7, 1), dt.date(2026, 9, 30)), timeout=20_000)
    assert (box.rates.onsite.denominator, box.rates.report.denominator) == (1, 1) and box.misses == []
    assert "2026-07-01" in box.rates_label.text() and not box.open_button.isEnabled()

    box.set_period("last_year")
    qtbot.waitUntil(lambda: box.period == (dt.date(2025, 1, 1), dt.date(2025, 12, 31)), timeout=20_000)
    expected = drills.compliance(chief, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert (box.rates.report.numerator, box.rates.report.denominator) == (1, 2) == (
        expected.report.numerator, expected.report.denominator)
    late = expected.report.missing_records()[0]
    assert [m[0] for m in box.misses] == [late.ref]
    assert box.misses_table.item(0, 0).text() == late.label and "18" in box.misses_table.item(0, 2).text()
    assert "1 of 2" in box.rates_label.text()

    box.misses_table.setCurrentCell(0, 0)
    assert box.open_button.isEnabled()
    qtbot.mouseClick(box.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.panel.view is not None and page.panel.view.id == late.ref, timeout=20_000)
    settle(qtbot, runner)
    assert page.filter_combo.currentData() == "all"                     # the incident is closed: all are listed
    row = page.table.currentRow()
    assert row >= 0 and page.rows[row].id == late.ref

    narrowest = page.minimumSizeHint().width()
    box.set_period("custom", dt.date(2026, 3, 1), dt.date(2025, 1, 1))
    assert box.first_field.isVisible() and box.last_field.isVisible()
    assert page.minimumSizeHint().width() <= narrowest                 # the two dates do not widen the window
    assert box.error_label.text() and box.period == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))   # refused
    assert unreachable_buttons(page) == []
    box.set_period("custom", dt.date(2025, 1, 1), dt.date(2026, 12, 31))
    qtbot.waitUntil(lambda: box.period == (dt.date(2025, 1, 1), dt.date(2026, 12, 31)), timeout=20_000)
    assert (box.rates.onsite.denominator, len(box.misses)) == (5, 2) and not box.error_label.text()
    settle(qtbot, runner)
    assert reported == []
