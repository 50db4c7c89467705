"""A drill-down row opens the record behind it (double-click or Enter): the counter case on the counter page,
the request on the work-orders page, the mediation case on the mediation page, the surveyed person's file on the
special-groups page — for the chief, and for a worker their own records."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from sqlalchemy import select

from shequ_desktop.domain import kpi as k
from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.domain.kpi import Period
from shequ_desktop.i18n import N_
from shequ_desktop.persistence.models import Resident
from shequ_desktop.services import counter
from shequ_desktop.ui.main_window import MainWindow
from shequ_desktop.ui.sync.work_orders_page import WorkOrdersPage
from tests.gui.conftest import login_as


def _window(qtbot, ctx, runner) -> MainWindow:  # noqa: ANN001
    window = MainWindow(ctx, runner, "幸福里社区", with_sync=False)
    qtbot.addWidget(window)
    window.add_page("work_orders", N_("Work orders"), WorkOrdersPage(ctx, runner, window))  # what sync installs
    window.resize(1366, 728)
    window.show()
    window.show_page("oversight")
    tab = window.oversight_page.kpi
    qtbot.waitUntil(lambda: tab.report is not None, timeout=10_000)
    with qtbot.waitSignal(tab.report_loaded, timeout=10_000):
        tab.set_period(Period(2026, "quarter", 4))
    return window


def _activate(qtbot, tab, key: str, row: int = 0, double_click: bool = False) -> str:  # noqa: ANN001
    tab.table.selectRow(k.KEYS.index(key))
    assert tab.model.rowCount() > row, key
    index = tab.model.index(row, 1)
    tab.records.setCurrentIndex(index)
    record = tab.model.record(row)
    if double_click:
        tab.records.scrollTo(index)
        qtbot.mouseClick(tab.records.viewport(), Qt.MouseButton.LeftButton, pos=tab.records.visualRect(index).center())
        qtbot.mouseDClick(tab.records.viewport(), Qt.MouseButton.LeftButton, pos=tab.records.visualRect(index).center())
    else:
        tab.records.setFocus()
        qtbot.keyClick(tab.records, Qt.Key.Key_Return)
    return record.detail.get("file_id") or record.ref


def _late_counter_case(ctx) -> str:  # noqa: ANN001
    clerk = login_as(ctx, "clerk1")
    counter.ensure_catalogue(ctx)
    with ctx.transaction() as s:
        resident_id = s.execute(select(Resident.id).limit(1)).scalar_one()
    case = counter.start_case(clerk, resident_id, "DIBAO")
    svc = counter.service(clerk, "DIBAO")
    counter.set_materials(clerk, case.id, {m.code: ("provided", "") for m in svc.required_materials()})
    counter.accept(clerk, case.id)                                    # due 2026-12-02, never reported: late
    ctx.clock.set(dt.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI))
    return case.id


def test_the_chief_opens_each_kind_of_record_from_its_figure(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    case_id = _late_counter_case(ctx)
    window = _window(qtbot, login_as(ctx, "chief"), runner)
    tab, stack = window.oversight_page.kpi, window.ui.page_stack

    assert _activate(qtbot, tab, k.ON_TIME) == case_id
    assert stack.currentWidget() is window.counter_page
    qtbot.waitUntil(lambda: window.counter_page.case_panel.case is not None
                    and window.counter_page.case_panel.case.id == case_id, timeout=5000)

    window.show_page("oversight")
    orders = window.page("work_orders")
    order_id = _activate(qtbot, tab, k.FEEDBACK_24H, row=3, double_click=True)
    assert stack.currentWidget() is orders
    qtbot.waitUntil(lambda: orders.current_order() is not None and orders.current_order().id == order_id, timeout=5000)
    assert orders.closed_check.isChecked()        # a request counted in a figure is usually closed

    window.show_page("oversight")
    order_id = _activate(qtbot, tab, k.ONSITE_30MIN)
    qtbot.waitUntil(lambda: orders.current_order() is not None and orders.current_order().id == order_id, timeout=5000)

    window.show_page("oversight")
    mediation_id = _activate(qtbot, tab, k.MEDIATION_SUCCESS)
    assert stack.currentWidget() is window.mediation_page
    qtbot.waitUntil(lambda: window.mediation_page.detail.file is not None
                    and window.mediation_page.detail.file.case.id == mediation_id, timeout=5000)

    window.show_page("oversight")
    file_id = _activate(qtbot, tab, k.SPECIAL_SATISFACTION)
    special = window.special_groups_page
    assert stack.currentWidget() is special and special.tabs.currentWidget() is special.files
    qtbot.waitUntil(lambda: special.files._bundle is not None and special.files._bundle.detail.id == file_id,
                    timeout=5000)
    assert reported == []


def test_a_worker_opens_their_own_request(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    window = _window(qtbot, login_as(ctx, "worker1"), runner)
    tab, orders = window.oversight_page.kpi, window.page("work_orders")
    order_id = _activate(qtbot, tab, k.FEEDBACK_24H)
    assert window.ui.page_stack.currentWidget() is orders
    qtbot.waitUntil(lambda: orders.current_order() is not None and orders.current_order().id == order_id, timeout=5000)
    assert orders.current_order().assignee_name == "张伟"
    assert reported == []
