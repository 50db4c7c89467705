"""Overdue hotline complaints are an alert the chief and the window clerk see (R40–R42), not only a number in the
status bar: a banner on the hotline tab, the chief's overview and 我的今日 lists each with what is late and by how
many days, a double-click opens the complaint; a click on the status bar's count opens the list filtered to
overdue — the same complaints the count counts."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from shequ_desktop import i18n, paths
from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.services.governance import hotline
from shequ_desktop.services.governance.hotline import ComplaintInput
from shequ_desktop.ui.main_window import MainWindow
from shequ_desktop.ui.oversight.complaint_alerts import late_text
from tests.gui.conftest import login_as
from tests.gui.screen_walk import SCREEN, unreachable_buttons


def local(y, mo, d, h=10, mi=0):  # noqa: ANN001, ANN201
    return dt.datetime(y, mo, d, h, mi, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def quiet_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))


@pytest.fixture
def complaints(ctx):  # noqa: ANN001, ANN201
    """Now is Wed 2026-11-25 10:00. ``result``: received Wed 18th, its 3 working days ran out Mon 23rd 17:30;
    ``contact``: received at 8:00 today, nobody called back within the hour; ``fresh``: 9:30, still in time."""
    clerk = login_as(ctx, "clerk1")
    made = {}
    for key, received, about in (("result", local(2026, 11, 18, 9, 0), "低保材料被退回"),
                                 ("contact", local(2026, 11, 25, 8, 0), "窗口态度"),
                                 ("fresh", local(2026, 11, 25, 9, 30), "噪音扰民")):
        made[key] = hotline.log_complaint(clerk, ComplaintInput(received, "赵敏", "投诉内容", about=about)).id
    return made


def _window(qtbot, ctx, runner, login: str = "chief") -> MainWindow:  # noqa: ANN001
    window = MainWindow(login_as(ctx, login), runner, "幸福里社区", with_sync=False)
    qtbot.addWidget(window)
    window.resize(SCREEN.size())
    window.show()
    return window


def _item(banner, complaint_id: str):  # noqa: ANN001, ANN202
    """The banner's row of a complaint, looked up now (a refresh rebuilds the rows)."""
    return next(banner.list.topLevelItem(i) for i in range(banner.list.topLevelItemCount())
                if banner.list.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole) == complaint_id)


def _settle(qtbot, runner) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: runner._pending == 0, timeout=15_000)
    QApplication.processEvents()


def test_the_alert_list_is_what_the_count_counts_and_what_the_overdue_filter_shows(ctx, complaints) -> None:  # noqa: ANN001
    chief, clerk, worker = (login_as(ctx, x) for x in ("chief", "clerk1", "worker1"))
    alerts = hotline.overdue_alerts(chief)
    by_id = {a.id: a for a in alerts}
    assert by_id[complaints["result"]].what == "result" and by_id[complaints["result"]].days_late == 1
    assert by_id[complaints["contact"]].what == "contact" and by_id[complaints["contact"]].days_late == 0
    assert by_id[complaints["contact"]].late_by == dt.timedelta(hours=1)
    assert complaints["fresh"] not in by_id
    assert hotline.overdue_count(chief) == len(alerts)
    assert {r.id for r in hotline.list_complaints(chief, "overdue")} == set(by_id)
    assert [a.id for a in hotline.overdue_alerts(clerk)] == [a.id for a in alerts]     # the clerk is told too
    assert hotline.overdue_alerts(worker) == [] and hotline.overdue_count(worker) == 0
    assert [a.late_by for a in alerts] == sorted((a.late_by for a in alerts), reverse=True)


def test_hotline_banner_lists_overdue_with_days_late_and_double_click_opens_it(qtbot, ctx, runner, complaints,
                                                                              reported) -> None:  # noqa: ANN001
    window = _window(qtbot, ctx, runner, "clerk1")
    window.show_page("oversight")
    page = window.oversight_page
    page.show_tab(page.hotline)
    _settle(qtbot, runner)
    banner = page.hotline.banner
    assert banner.isVisible()
    rows = {banner.list.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole): banner.list.topLevelItem(i)
            for i in range(banner.list.topLevelItemCount())}
    assert set(rows) == {a.id for a in hotline.overdue_alerts(login_as(ctx, "clerk1"))}
    assert rows[complaints["result"]].text(1) == "1 day late"
    assert rows[complaints["contact"]].text(1) == "1 h late"
    assert complaints["fresh"] not in rows
    assert str(len(rows)) in banner.title.text()
    # a double-click selects the complaint in the list below, whatever the list's filter was
    page.hotline.filter_combo.setCurrentIndex(page.hotline.filter_combo.findData("all"))
    _settle(qtbot, runner)
    page.hotline.table.clearSelection()
    banner.list.itemDoubleClicked.emit(_item(banner, complaints["contact"]), 0)
    _settle(qtbot, runner)
    assert page.hotline.selected() is not None and page.hotline.selected().id == complaints["contact"]
    assert unreachable_buttons(page.hotline) == []
    assert reported == []


def test_status_bar_count_opens_the_overdue_list_and_the_chiefs_overview_shows_the_banner(
        qtbot, ctx, runner, complaints, reported) -> None:  # noqa: ANN001
    window = _window(qtbot, ctx, runner)
    _settle(qtbot, runner)
    parts = dict(window.status.overdue_parts())
    alerts = hotline.overdue_alerts(login_as(ctx, "chief"))
    assert parts["hotline"] == len(alerts)
    with qtbot.waitSignal(window.status.overdue_clicked, timeout=2_000):
        qtbot.mouseClick(window.status.overdue_label, Qt.MouseButton.LeftButton)
    menu = window.open_overdue()                   # several modules have overdue items: a menu says where
    if len(parts) > 1:
        assert menu is not None and "hotline" in [a.data() for a in menu.actions()]
        menu.close()
    window.open_overdue("hotline")
    _settle(qtbot, runner)
    page = window.oversight_page
    assert window.ui.page_stack.currentWidget() is page and page.tabs.currentWidget() is page.hotline
    assert page.hotline.filter_combo.currentData() == "overdue"
    assert {r.id for r in page.hotline.rows} == {a.id for a in alerts}
    # the chief's overview and 我的今日 carry the same banner
    window.show_page("special_groups")
    special = window.special_groups_page
    special.tabs.setCurrentWidget(special.overview)
    _settle(qtbot, runner)
    assert special.overview.banner.isVisible() and len(special.overview.banner.alerts) == len(alerts)
    assert unreachable_buttons(special.overview) == []
    special.overview.banner.list.itemDoubleClicked.emit(_item(special.overview.banner, complaints["result"]), 0)
    _settle(qtbot, runner)
    assert window.ui.page_stack.currentWidget() is page
    assert page.hotline.selected() is not None and page.hotline.selected().id == complaints["result"]
    special.tabs.setCurrentWidget(special.my_day)
    window.show_page("special_groups")
    _settle(qtbot, runner)
    assert special.my_day.banner.isVisible()
    assert reported == []


def test_a_social_worker_gets_no_banner(qtbot, ctx, runner, complaints, reported) -> None:  # noqa: ANN001
    window = _window(qtbot, ctx, runner, "worker1")
    window.show_page("oversight")
    page = window.oversight_page
    page.show_tab(page.hotline)
    _settle(qtbot, runner)
    assert not page.hotline.banner.isVisible()
    assert reported == []


def test_late_words_in_both_languages(monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(i18n, "locale_dir", paths.locale_dir)      # the real catalogs
    try:
        i18n.set_language("zh_CN")
        assert late_text(dt.timedelta(days=3, hours=2)) == "逾期 3 天"
        assert late_text(dt.timedelta(hours=5)) == "逾期 5 小时"
        i18n.set_language("en")
        assert late_text(dt.timedelta(days=3, hours=2)) == "3 days late"
    finally:
        i18n.set_language("zh_CN")
