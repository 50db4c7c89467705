"""考核监督 page: the chief finds it in the navigation; other parts of the module add tabs with add_tab."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from shequ_desktop.i18n import N_
from shequ_desktop.ui import qt_i18n
from shequ_desktop.ui.main_window import MainWindow
from tests.gui.conftest import login_as


def _window(qtbot, ctx, runner) -> MainWindow:  # noqa: ANN001
    window = MainWindow(ctx, runner, "幸福里社区", with_sync=False)
    qtbot.addWidget(window)
    return window


def test_chief_has_the_whole_oversight_page_a_clerk_and_a_worker_their_own_figures_and_the_hotline(
        qtbot, ctx, runner) -> None:  # noqa: ANN001
    chief = _window(qtbot, login_as(ctx, "chief"), runner)
    assert chief.page("oversight") is chief.oversight_page
    assert chief.oversight_page.tabs.count() == 5 and not chief.oversight_page.kpi.own
    for login in ("clerk1", "worker1"):
        window = _window(qtbot, login_as(ctx, login), runner)
        page = window.page("oversight")
        assert page is window.oversight_page
        assert [page.tabs.widget(i) for i in range(page.tabs.count())] == [page.kpi, page.hotline]
        assert page.tabs.tabText(0) == "My figures" or page.tabs.tabText(0) == "我的指标"
        assert not hasattr(page, "evaluation") and not hasattr(page, "committee")
        assert page.kpi.own


def test_a_workers_figures_are_their_own_records_only(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    from shequ_desktop.domain import kpi as k
    from shequ_desktop.domain.kpi import Period
    from shequ_desktop.services import kpi, worker_refs
    me = login_as(ctx, "worker1")
    window = _window(qtbot, me, runner)
    window.resize(1366, 728)
    window.show()
    window.show_page("oversight")
    tab = window.oversight_page.kpi
    qtbot.waitUntil(lambda: tab.report is not None, timeout=10_000)
    with qtbot.waitSignal(tab.report_loaded, timeout=10_000):
        tab.set_period(Period(2026, "year"))
    assert not tab.scope_combo.isVisible() and not tab.print_button.isVisible()
    assert not tab.worker_chart.isVisible() and tab.month_chart.isVisible()
    station = kpi.compute(ctx, "2026")
    shown = 0
    for row, key in enumerate(k.KEYS):
        tab.table.selectRow(row)
        while tab.model.canFetchMore():
            tab.model.fetchMore()
        refs = [tab.model.record(i).ref for i in range(tab.model.rowCount())]
        assert refs == [r.ref for r in station[key].records if "worker1" in worker_refs.logins_of(r.detail)]
        assert tab.table.item(row, 2).text() == f"{len(refs) and tab.report[key].numerator} / {len(refs)}"
        assert all("张伟" in tab.model.index(i, 2).data() for i in range(tab.model.rowCount()))  # (co-mediators too)
        shown += len(refs)
    assert shown > 0 and "张伟" in tab.drill_label.text()
    assert reported == []


def test_add_tab_appends_a_tab_whose_title_follows_the_language(qtbot, ctx, runner) -> None:  # noqa: ANN001
    page = _window(qtbot, login_as(ctx, "chief"), runner).oversight_page
    label = QLabel("x")
    index = page.add_tab(label, N_("Residents"))      # a msgid of the test catalog (居民信息)
    assert page.tabs.widget(0) is page.kpi and page.tabs.widget(index) is label
    assert page.tabs.tabText(index) == "居民信息"
    qt_i18n.apply_language("en")
    qtbot.waitUntil(lambda: page.tabs.tabText(index) == "Residents", timeout=2000)
