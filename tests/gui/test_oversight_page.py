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


def test_chief_has_the_oversight_page_a_clerk_has_not(qtbot, ctx, runner) -> None:  # noqa: ANN001
    chief = _window(qtbot, login_as(ctx, "chief"), runner)
    assert chief.page("oversight") is chief.oversight_page
    clerk = _window(qtbot, login_as(ctx, "clerk1"), runner)
    assert clerk.page("oversight") is None


def test_add_tab_appends_a_tab_whose_title_follows_the_language(qtbot, ctx, runner) -> None:  # noqa: ANN001
    page = _window(qtbot, login_as(ctx, "chief"), runner).oversight_page
    label = QLabel("x")
    index = page.add_tab(label, N_("Residents"))      # a msgid of the test catalog (居民信息)
    assert page.tabs.widget(0) is page.kpi and page.tabs.widget(index) is label
    assert page.tabs.tabText(index) == "居民信息"
    qt_i18n.apply_language("en")
    qtbot.waitUntil(lambda: page.tabs.tabText(index) == "Residents", timeout=2000)
