"""矛盾调解 page: a grid worker registers, records, settles, archives; bad input stays next to its field; the chief's clocks."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QPushButton

from shequ_desktop.domain import mediation as m
from shequ_desktop.services.mediation import cases
from shequ_desktop.ui.counter.pdf_preview import PdfPreviewDialog
from shequ_desktop.ui.mediation import MediationPage
from tests.gui.conftest import login_as


@pytest.fixture
def previews(monkeypatch: pytest.MonkeyPatch) -> list[PdfPreviewDialog]:
    opened: list[PdfPreviewDialog] = []
    monkeypatch.setattr(PdfPreviewDialog, "open", lambda self: opened.append(self))
    return opened


def make_page(qtbot, ctx, runner) -> MediationPage:  # noqa: ANN001
    page = MediationPage(ctx, runner)
    qtbot.addWidget(page)
    page.resize(1366, 728)
    page.show()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    return page


def submit(qtbot, dialog, runner) -> None:  # noqa: ANN001
    dialog.submit()
    qtbot.waitUntil(lambda: runner._pending == 0, timeout=10_000)


def test_worker_registers_mediates_settles_and_archives(qtbot, ctx, runner, reported, previews) -> None:  # noqa: ANN001
    worker = login_as(ctx, "worker1")
    page = make_page(qtbot, worker, runner)
    before = page.model.rowCount()
    dialog = page.new_case()
    dialog.facts_edit.setPlainText("楼上漏水致楼下天花板受损，双方就维修费用发生争执。")
    submit(qtbot, dialog, runner)
    assert dialog.isVisible() and dialog.error_labels["parties"].text() != ""        # no parties: said next to them
    dialog.search_edit.setText("王")
    dialog.search()
    qtbot.waitUntil(lambda: dialog.results.count() > 0, timeout=5000)
    dialog.add_selected_resident()
    dialog.outsider_name.setText("装修队负责人刘某")
    dialog.outsider_phone.setText("13907150011")
    dialog.add_outsider()
    with qtbot.waitSignal(dialog.registered, timeout=10_000) as got:
        dialog.submit()
    case = got.args[0]
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1, timeout=10_000)
    qtbot.waitUntil(lambda: page.detail.file is not None and page.detail.file.case.id == case.id, timeout=10_000)
    assert "*" in page.detail.parties_list.item(0).text()                          # masked
    row = next(r for r in page.model.rows if r.id == case.id)
    assert "24" in page.model.data(page.model.index(page.model.rows.index(row), 6)) or row.due_at is not None
    # a session dated before the case: the error stays in the dialog, next to the time
    session = page.detail.run_action("session")
    session.set_value("place", "社区调解室")
    session.set_value("attendees", "甲、乙、调解员")
    session.set_value("statements", "甲方称…；乙方称…")
    earlier = case.registered_at - dt.timedelta(days=2)
    from PySide6.QtCore import QDate, QDateTime, QTime
    from shequ_desktop.domain.clock import to_local
    e = to_local(earlier)
    session.widgets["held_at"].setDateTime(QDateTime(QDate(e.year, e.month, e.day), QTime(e.hour, e.minute)))
    submit(qtbot, session, runner)
    assert session.isVisible() and session.errors.text("held_at")
    session.reject()
    # the written agreement; afterwards no second one can be started
    written = page.detail.run_action("written")
    written.set_value("terms", "甲方修复防水层。\n甲方赔偿乙方800元。")
    written.set_value("performance", "2026年12月5日前一次性支付。")
    submit(qtbot, written, runner)
    assert not written.isVisible()
    qtbot.waitUntil(lambda: page.detail.file.case.state == m.SETTLED_WRITTEN, timeout=10_000)
    assert not page.detail.buttons["written"].isEnabled() and page.detail.buttons["marks"].isEnabled()
    page.detail.buttons["print_agreement"].click()
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=15_000)
    archive = page.detail.run_action("archive")
    submit(qtbot, archive, runner)
    qtbot.waitUntil(lambda: page.detail.file.case.archived, timeout=10_000)
    assert not page.detail.buttons["escalate"].isEnabled()
    stale = page.detail.run_action("escalate")          # a stale window: the service still refuses
    stale.set_value("reason", "再次升级")
    submit(qtbot, stale, runner)
    assert stale.isVisible() and "archived" in stale.error_label.text()
    stale.reject()
    assert reported == []


def test_chief_sees_clocks_by_level_and_everything_fits_1366x728(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    chief = login_as(ctx, "chief")
    page = make_page(qtbot, chief, runner)
    assert page.clocks is not None
    qtbot.waitUntil(lambda: page.clocks.model.rowCount() > 0, timeout=10_000)
    assert any(r.overdue for r in page.clocks.model.rows)
    assert "overdue" in page.clocks.summary_label.text()
    page.tabs.setCurrentWidget(page.rates)
    page.rates.compute()
    qtbot.waitUntil(lambda: page.rates.table.rowCount() > 2, timeout=10_000)
    page.rates.show_cases(0)
    assert page.rates.cases_list.count() == int(page.rates.table.item(0, 2).text())
    page.tabs.setCurrentIndex(0)
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.detail.file is not None, timeout=10_000)
    for button in page.findChildren(QPushButton):
        if button.isVisible():
            corner = button.mapTo(page, QPoint(button.width(), button.height()))
            assert 0 <= corner.x() <= page.width() and 0 <= corner.y() <= page.height(), button.objectName()
    assert reported == []


def test_patrol_lead_becomes_a_case(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    worker = login_as(ctx, "worker2")
    page = make_page(qtbot, worker, runner)
    page.tabs.setCurrentWidget(page.patrol)
    page.patrol.save()
    qtbot.waitUntil(lambda: runner._pending == 0, timeout=5000)
    assert page.patrol.route_error.isVisible()                     # no route
    page.patrol.route_edit.setText("书香苑1-10栋")
    page.patrol.leads_edit.setPlainText("6栋两户因漏水争吵")
    with qtbot.waitSignal(page.patrol.saved, timeout=10_000):
        page.patrol.save()
    tree = page.patrol.entries
    qtbot.waitUntil(lambda: tree.topLevelItemCount() > 0 and tree.topLevelItem(0).childCount() == 1
                    and tree.topLevelItem(0).child(0).text(2) == "6栋两户因漏水争吵", timeout=10_000)
    page.patrol.entries.setCurrentItem(tree.topLevelItem(0).child(0))
    dialog = page.patrol.lead_to_case()
    assert dialog is not None and dialog.facts_edit.toPlainText() == "6栋两户因漏水争吵"
    dialog.outsider_name.setText("住户甲")
    dialog.outsider_phone.setText("13900001111")
    dialog.add_outsider()
    with qtbot.waitSignal(dialog.registered, timeout=10_000) as got:
        dialog.submit()
    assert got.args[0].source == "patrol"
    qtbot.waitUntil(lambda: page.patrol.entries.topLevelItem(0).child(0).text(3) == got.args[0].case_no,
                    timeout=10_000)
    assert cases.get_case(worker, got.args[0].id).facts == "6栋两户因漏水争吵"
    assert reported == []
