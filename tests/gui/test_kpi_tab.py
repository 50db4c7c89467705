"""KPI dashboard: a period's five figures (red below target), a click opens the records behind the
figure (the same count as the figure), a worker's own figures, bad input, printing, 1366×728."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from shequ_desktop.domain import kpi as k
from shequ_desktop.domain.kpi import Period
from shequ_desktop.ui.counter.pdf_preview import PdfPreviewDialog
from shequ_desktop.ui.oversight import OversightPage
from shequ_desktop.ui.oversight.kpi_labels import RED
from tests.gui.conftest import login_as
from tests.gui.screen_walk import unreachable_buttons


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[PdfPreviewDialog]:
    opened: list[PdfPreviewDialog] = []
    monkeypatch.setattr(PdfPreviewDialog, "open", lambda self: opened.append(self))
    return opened


def make_tab(qtbot, ctx, runner):  # noqa: ANN001, ANN201
    page = OversightPage(login_as(ctx, "chief"), runner)
    qtbot.addWidget(page)
    page.resize(1366 - 180, 728 - 60)
    page.show()
    tab = page.kpi
    qtbot.waitUntil(lambda: tab.report is not None, timeout=10_000)
    return page, tab


def _load(qtbot, tab, period: Period) -> None:  # noqa: ANN001
    with qtbot.waitSignal(tab.report_loaded, timeout=10_000):
        tab.set_period(period)


def test_year_figures_open_into_their_records(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    _page, tab = make_tab(qtbot, ctx, runner)
    _load(qtbot, tab, Period(2026, "year"))
    for row, key in enumerate(k.KEYS):
        tab.table.selectRow(row)
        ind = tab.report[key]
        assert tab.table.item(row, 2).text() == f"{ind.numerator} / {ind.denominator}"
        red = tab.table.item(row, 1).foreground().color().name() == RED
        assert red == (ind.met is False)
        # the list behind the figure: exactly its records, ✗ for those outside the numerator
        while tab.model.canFetchMore():
            tab.model.fetchMore()
        assert tab.model.rowCount() == ind.denominator
        crosses = sum(tab.model.index(i, 0).data() == "✗" for i in range(tab.model.rowCount()))
        assert crosses == ind.denominator - ind.numerator
    assert tab.report[k.FEEDBACK_24H].denominator > 0      # the demo's work orders are there
    assert reported == []


def test_only_misses_and_one_workers_figures(qtbot, ctx, runner) -> None:  # noqa: ANN001
    _page, tab = make_tab(qtbot, ctx, runner)
    _load(qtbot, tab, Period(2026, "year"))
    tab.open_figure(k.FEEDBACK_24H)
    station = tab.report[k.FEEDBACK_24H]
    tab.misses_check.setChecked(True)
    assert tab.model.total() == station.denominator - station.numerator
    tab.misses_check.setChecked(False)
    worker = tab.report.per_worker(k.FEEDBACK_24H)
    login = next(n for n in worker if n)
    tab.scope_combo.setCurrentIndex(tab.scope_combo.findData(login))
    assert tab.scope_combo.currentText() == tab.report.label(login)
    assert tab.table.item(k.KEYS.index(k.FEEDBACK_24H), 2).text() == \
        f"{worker[login].numerator} / {worker[login].denominator}"
    assert tab.model.total() == worker[login].denominator
    assert all(login in tab.model.record(i).detail["logins"] for i in range(tab.model.rowCount()))


def test_a_period_without_records_shows_dashes(qtbot, ctx, runner) -> None:  # noqa: ANN001
    _page, tab = make_tab(qtbot, ctx, runner)
    _load(qtbot, tab, Period(2019, "month", 3))
    for row in range(len(k.KEYS)):
        assert tab.table.item(row, 1).text() == "-"
        assert tab.table.item(row, 4).text() == "—"
    assert tab.model.rowCount() == 0


def test_print_opens_the_numbered_report(qtbot, ctx, runner, previews) -> None:  # noqa: ANN001
    _page, tab = make_tab(qtbot, ctx, runner)
    with qtbot.waitSignal(tab.printed, timeout=20_000) as blocker:
        tab.print_button.click()
    paper = blocker.args[0]
    assert paper.serial_no.startswith("KH2026-") and paper.path.exists()
    assert previews and tab.print_button.isEnabled()


def test_fits_1366x728_in_both_languages(qtbot, ctx, runner) -> None:  # noqa: ANN001
    from shequ_desktop.ui import qt_i18n
    page, tab = make_tab(qtbot, ctx, runner)
    for language in ("zh_CN", "en"):
        qt_i18n.apply_language(language)
        QApplication.processEvents()
        assert unreachable_buttons(page) == []
        assert tab.print_button.isVisible() and tab.records.height() > 150
