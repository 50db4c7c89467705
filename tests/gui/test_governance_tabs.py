"""考核监督 part B on screen: the hotline with both clocks, the dual evaluation with its coverage by grid, the
supervision committee, the incentives — each flow with the bad input the issue names, at 1366×728 in both
languages."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from shequ_desktop import i18n, paths
from shequ_desktop.domain import governance as g
from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.services.governance import committee, evaluation, hotline
from shequ_desktop.ui import qt_i18n
from shequ_desktop.ui.main_window import MainWindow
from tests.gui.conftest import login_as
from tests.gui.screen_walk import SCREEN, foreign_texts, unreachable_buttons


@pytest.fixture(autouse=True)
def quiet_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))


def _page(qtbot, ctx, runner, login="chief"):  # noqa: ANN001, ANN202
    window = MainWindow(login_as(ctx, login), runner, "幸福里社区", with_sync=False)
    qtbot.addWidget(window)
    window.resize(SCREEN.size())
    window.show()
    window.show_page("oversight")
    return window, window.oversight_page


def _settle(qtbot, runner) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: runner._pending == 0, timeout=15_000)
    QApplication.processEvents()


def _open(qtbot, runner, page, tab):  # noqa: ANN001, ANN202
    page.show_tab(tab)
    _settle(qtbot, runner)
    return tab


def test_hotline_lists_both_clocks_and_refuses_a_feedback_before_the_complaint(qtbot, ctx, runner, reported):  # noqa: ANN001
    _window, page = _page(qtbot, ctx, runner)
    tab = _open(qtbot, runner, page, page.hotline)
    assert tab.rows and all(r.state != g.CLOSED or r.needs_filing(ctx.clock.now()) for r in tab.rows)
    now = ctx.clock.now()
    late = [i for i, r in enumerate(tab.rows) if r.feedback.late(now) or r.contact.late(now) and not r.contact.done_at]
    assert late and all(tab.is_late(i) for i in late)                       # overdue highlighted
    assert "*" in tab.table.item(0, 2).text()                               # complainant masked
    # a night call typed in the next morning keeps its real time
    dlg = tab.new_complaint()
    night = dt.datetime(2026, 11, 24, 23, 40, tzinfo=SHANGHAI)
    from PySide6.QtCore import QDate, QDateTime, QTime
    dlg.widgets["received_at"].setDateTime(QDateTime(QDate(2026, 11, 24), QTime(23, 40)))
    dlg.set_value("complainant_name", "赵敏")
    dlg.set_value("complainant_phone", "13912345678")
    dlg.set_value("content", "楼道灯坏了一周没人修")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        dlg.submit()
    row = next(i for i, r in enumerate(tab.rows) if r.received_at == night)
    assert tab.table.item(row, 1).text() == "2026-11-24 23:40"
    assert "overdue" in tab.table.item(row, 5).text()                        # the 1-hour clock ran out at night
    assert tab.is_late(row)
    tab.table.selectRow(row)
    dlg = tab.record_feedback()
    dlg.widgets["fed_back_at"].setDateTime(QDateTime(QDate(2026, 11, 24), QTime(20, 0)))
    dlg.set_value("result", "已修复")
    dlg.submit()
    _settle(qtbot, runner)
    assert dlg.isVisible() and "before the complaint was received" in dlg.errors.text("fed_back_at")
    assert reported == []


def test_overdue_complaint_explanation_and_letter(qtbot, ctx, runner, reported):  # noqa: ANN001
    _window, page = _page(qtbot, ctx, runner)
    tab = _open(qtbot, runner, page, page.hotline)
    now = ctx.clock.now()
    row = next(i for i, r in enumerate(tab.rows) if r.needs_explanation(now))
    complaint_id = tab.rows[row].id
    tab.table.selectRow(row)
    tab.print_letter()
    _settle(qtbot, runner)
    assert tab.error_label.isVisible()                                     # no explanation yet
    dlg = tab.record_explanation()
    dlg.set_value("explanation", "经办社工病假，AB岗未及时接手。")
    with qtbot.waitSignal(tab.loaded, timeout=10_000):
        dlg.submit()
    tab.select(complaint_id)
    tab.print_letter()
    _settle(qtbot, runner)
    text = subprocess.run(["pdftotext", str(tab.last_paper.path), "-"], capture_output=True, text=True).stdout
    assert "情况说明" in text and "经办社工病假" in text
    assert reported == []


def test_finalising_below_coverage_is_refused_and_grids_say_how_many_more(qtbot, ctx, runner, reported):  # noqa: ANN001
    _window, page = _page(qtbot, ctx, runner)
    tab = _open(qtbot, runner, page, page.evaluation)
    draft = next(e for e in tab.evaluations if not e.final)
    tab.eval_combo.setCurrentIndex(tab.eval_combo.findData(draft.id))
    assert "more answers needed" in tab.figures["coverage"].text()
    more = [int(tab.grid_table.item(i, 4).text()) for i in range(tab.grid_table.rowCount())]
    assert sum(more) >= draft.coverage.more_needed > 0
    tab.finalise()
    _settle(qtbot, runner)
    assert tab.error_label.isVisible() and "cannot be final yet" in tab.error_label.text()
    assert not evaluation.get(ctx, draft.id).final
    # a paper form typed in: the coverage moves by one
    tab.survey_table.selectRow(next(i for i, q in enumerate(tab.questionnaires) if q.period == draft.period))
    dlg = tab.enter_paper_form()
    dlg.search_edit.setText("张")
    dlg.find()
    _settle(qtbot, runner)
    assert dlg.resident_combo.count() > 0
    for w in dlg.answer_widgets.values():
        if hasattr(w, "setCurrentIndex"):
            w.setCurrentIndex(1)
        else:
            w.setText("希望多组织活动")
    before = tab.current().coverage.count
    for i in range(dlg.resident_combo.count()):     # someone who has not answered yet
        dlg.resident_combo.setCurrentIndex(i)
        dlg.submit()
        _settle(qtbot, runner)
        if not dlg.isVisible():
            break
    _settle(qtbot, runner)
    assert tab.current().coverage.count == before + 1
    assert reported == []


def test_a_fourth_committee_member_is_refused(qtbot, ctx, runner, reported):  # noqa: ANN001
    _window, page = _page(qtbot, ctx, runner)
    tab = _open(qtbot, runner, page, page.committee)
    assert tab.member_table.rowCount() == 3 and not tab.warning_label.isVisible()
    dlg = tab.add_member()
    dlg.set_value("name", "刘芳")
    dlg.submit()
    _settle(qtbot, runner)
    assert dlg.isVisible() and "already has 3 members" in dlg.error_label.text()
    assert len(committee.committee(ctx).members) == 3
    dlg.reject()
    tab.member_table.selectRow(2)
    tab.member_leaves()
    _settle(qtbot, runner)
    assert tab.member_table.rowCount() == 2 and "needs exactly 3" in tab.warning_label.text()
    assert reported == []


def test_incentives_show_awards_flags_and_star_proposals(qtbot, ctx, runner, reported):  # noqa: ANN001
    _window, page = _page(qtbot, ctx, runner)
    tab = _open(qtbot, runner, page, page.incentives)
    assert tab.rating_table.rowCount() > 0
    texts = [tab.rating_table.item(i, 4).text() for i in range(tab.rating_table.rowCount())]
    assert any(texts)                                                      # two excellent years flagged
    proposed = [r for r in tab.ranking if r.proposed]
    assert proposed and len(proposed) >= -(-len(tab.ranking) // 10)
    tab.print_notice()
    _settle(qtbot, runner)
    text = subprocess.run(["pdftotext", str(tab.last_path), "-"], capture_output=True, text=True).stdout
    assert "社区治理之星" in text
    assert tab.titles_label.text()
    assert reported == []


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_tabs_fit_1366x728_and_speak_one_language(qtbot, ctx, runner, monkeypatch, language):  # noqa: ANN001
    monkeypatch.setattr(i18n, "locale_dir", paths.locale_dir)
    qt_i18n.apply_language(language)
    window, page = _page(qtbot, ctx, runner)
    problems = []
    for tab in (page.hotline, page.evaluation, page.committee, page.incentives):
        _open(qtbot, runner, page, tab)
        problems += [f"{type(tab).__name__}: {w}: {t}" for w, t in foreign_texts(window, language)]
        problems += [f"{type(tab).__name__}: unreachable {b}" for b in unreachable_buttons(tab)]
    assert (window.width(), window.height()) == (SCREEN.width(), SCREEN.height())
    # the page leaves the navigation list its room (a too-wide tab squeezes it)
    assert page.minimumSizeHint().width() <= SCREEN.width() - 300, page.minimumSizeHint()
    assert problems == [], "\n".join(problems)


def test_tabs_follow_a_language_switch(qtbot, ctx, runner, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(i18n, "locale_dir", paths.locale_dir)
    qt_i18n.apply_language("zh_CN")
    window, page = _page(qtbot, ctx, runner)
    for tab in (page.hotline, page.evaluation, page.committee, page.incentives):
        _open(qtbot, runner, page, tab)
    assert page.hotline.buttons["new"].text() == "登记投诉…"
    window.set_language("en")
    qtbot.waitUntil(lambda: page.hotline.buttons["new"].text() == "New complaint…", timeout=3000)
    problems = []
    for tab in (page.hotline, page.evaluation, page.committee, page.incentives):
        _open(qtbot, runner, page, tab)
        problems += [f"{type(tab).__name__}: {w}: {t}" for w, t in foreign_texts(window, "en")]
    assert problems == [], "\n".join(problems)
