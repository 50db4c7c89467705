"""The main window's smallest width leaves room on a 1366-pixel screen, in both languages and for every role."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from shequ_desktop import i18n, paths
from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.ui import qt_i18n

from tests.gui.conftest import login_as
from tests.gui.test_screens import _main, _settle, quiet_boxes, small_screen  # noqa: F401  (fixtures)

MARGIN = 60     # window frame, a docked taskbar or a desktop border: the window must not need the whole width


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_minimum_width_fits_1366_with_margins(qtbot, ctx, runner, monkeypatch, language: str) -> None:  # noqa: ANN001
    monkeypatch.setattr(i18n, "locale_dir", paths.locale_dir)
    qt_i18n.apply_language(language)
    widths = {}
    for login in ("admin", "clerk1"):
        window = _main(qtbot, login_as(ctx, login), runner)
        for key in list(window._pages):
            window.show_page(key)
            _settle(qtbot, runner)
            widths[(login, key)] = window.minimumSizeHint().width()
        window.close()
    too_wide = {k: w for k, w in widths.items() if w > 1366 - MARGIN}
    assert too_wide == {}, too_wide


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_status_bar_reminders_give_way_and_keep_their_words(qtbot, ctx, runner, monkeypatch,
                                                             language: str) -> None:  # noqa: ANN001
    """The reminders are cut with "…" only when the window is narrow, and the whole sentence is the tooltip."""
    monkeypatch.setattr(i18n, "locale_dir", paths.locale_dir)
    qt_i18n.apply_language(language)
    window = _main(qtbot, login_as(ctx, "admin"), runner)
    _settle(qtbot, runner)
    status = window.status
    status.set_sync_problem(i18n._("Team or files changed: print the emergency kit again") * 2, "warn")
    window.resize(window.minimumSizeHint().width(), 700)
    qtbot.waitUntil(lambda: status.sync_problem_label.is_elided())
    assert status.sync_problem_label.text() in status.sync_problem_label.toolTip()
    overdue = status.overdue_label
    assert overdue.width() >= overdue.sizeHint().width()        # the overdue count itself is never cut


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_no_navigation_label_is_cut(qtbot, ctx, runner, monkeypatch, language: str) -> None:  # noqa: ANN001
    monkeypatch.setattr(i18n, "locale_dir", paths.locale_dir)
    qt_i18n.apply_language(language)
    cut = []
    for login in ("admin", "clerk1"):
        window = _main(qtbot, login_as(ctx, login), runner)
        _settle(qtbot, runner)
        nav = window.ui.nav_list
        metrics = nav.fontMetrics()
        for row in range(nav.count()):
            item = nav.item(row)
            room = nav.viewport().width() - 2 * 8        # the item's padding in the style sheet
            if metrics.horizontalAdvance(item.text()) > room:
                cut.append((login, item.text(), metrics.horizontalAdvance(item.text()), room))
        assert not nav.horizontalScrollBar().isVisible()
        window.close()
    assert cut == []


def test_the_overdue_count_says_where_the_items_are(qtbot, ctx, runner, monkeypatch) -> None:  # noqa: ANN001
    """The clerk's case list showed 2 overdue and the status bar 70 (special-group calls): the tooltip explains."""
    monkeypatch.setattr(i18n, "locale_dir", paths.locale_dir)
    qt_i18n.apply_language("zh_CN")
    from shequ_desktop.services import counter, overview, residents
    # clerk1 has an overdue case of their own (whether the demo made them late calls too depends on the weekday
    # that each person's random file id gives their calls)
    clerk = login_as(ctx, "clerk1")
    counter.ensure_catalogue(ctx)
    case = counter.start_case(clerk, residents.search(clerk, "", limit=1)[0].id, "DIBAO")
    counter.set_materials(clerk, case.id, {m.code: ("provided", "")
                                           for m in counter.service(clerk, "DIBAO").required_materials()})
    counter.accept(clerk, case.id)                                        # due 2026-12-02
    ctx.clock.set(dt.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI))
    window = _main(qtbot, clerk, runner)
    _settle(qtbot, runner)
    alerts = overview.alerts(clerk)
    assert alerts.overdue == sum(n for _k, n in alerts.by_kind) and dict(alerts.by_kind)["counter"] >= 1
    label = window.status.overdue_label
    qtbot.waitUntil(lambda: bool(label.toolTip()))
    shown = [n for _k, n in alerts.by_kind if n]
    *lines, hint = label.toolTip().split("\n")
    assert [int(re.findall(r"\d+", line)[-1]) for line in lines] == shown
    assert hint == "点击打开清单。"                                          # a click opens the list behind it
    assert not any(c.isascii() and c.isalpha() for c in label.toolTip())     # in Chinese, module by module
