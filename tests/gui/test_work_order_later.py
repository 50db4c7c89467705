"""Work-orders page: a step entered later with its real time (补录) — refused before the request or in the
future next to the time field, recorded and marked "entered later" otherwise; fits 1366×728."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, Qt, QTime

from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.services import work_orders
from shequ_desktop.ui.sync.work_orders_page import WorkOrdersPage


def _set(edit, when: dt.datetime) -> None:  # noqa: ANN001
    local = when.astimezone(SHANGHAI)
    edit.setDateTime(QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)))


def test_feedback_entered_later_with_its_real_time(qtbot, chief_ctx, runner, reported) -> None:  # noqa: ANN001
    order = work_orders.create_at_counter(chief_ctx, "环境卫生", "楼道堆放杂物", "幸福里3栋2单元", "李女士")
    chief_ctx.clock.set(order.received_at + dt.timedelta(hours=30))     # typed in the next day
    page = WorkOrdersPage(chief_ctx, runner)
    qtbot.addWidget(page)
    page.resize(1366 - 180, 728 - 60)
    page.show()
    page.set_scope_all(True)
    qtbot.waitUntil(lambda: page.select_order(order.id), timeout=5000)
    assert not page.at_edit.isEnabled()
    page.later_check.click()
    assert page.at_edit.isEnabled() and page.at_edit.isVisible()
    assert page.at_edit.geometry().bottom() < page.height() and page.feedback_button.geometry().right() < page.width()
    for wrong in (order.received_at - dt.timedelta(minutes=1), chief_ctx.clock.now() + dt.timedelta(minutes=5)):
        _set(page.at_edit, wrong)
        qtbot.mouseClick(page.feedback_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.at_error_label.isVisible() and page.at_error_label.text() != "", timeout=5000)
        assert page.note_error_label.text() == ""
        assert work_orders.events(chief_ctx, order.id) == []
    real = order.received_at + dt.timedelta(hours=2)
    _set(page.at_edit, real)
    with qtbot.waitSignal(page.step_recorded, timeout=5000):
        qtbot.mouseClick(page.feedback_button, Qt.MouseButton.LeftButton)
    [event] = work_orders.events(chief_ctx, order.id)
    assert event.entered_later and event.at == real.replace(second=0, microsecond=0)
    assert not page.later_check.isChecked() and not page.at_error_label.isVisible()
    qtbot.waitUntil(lambda: page.select_order(order.id) and "entered later" in page.events_label.text(), timeout=5000)
    assert page.model.orders[page.model.row_of(order.id)].overdue is False      # answered in time, by its real time
    assert reported == []
