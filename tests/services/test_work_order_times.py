"""A work-order step entered later with its real time (补录): feedback, arrival and the result keep the time
they happened, the event is marked as entered later, and a time before the request or in the future is refused
next to the field. The response figures count the real time."""

from __future__ import annotations

import datetime as dt

import pytest

from shequ_desktop.domain import kpi as k
from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.domain.errors import UserError
from shequ_desktop.services import kpi, work_orders


def _request(ctx, urgency: str = "general") -> work_orders.WorkOrderView:  # noqa: ANN001
    return work_orders.create_at_counter(ctx, "环境卫生", "楼道堆物", "幸福里小区3栋", "139", urgency=urgency)


def test_feedback_entered_later_keeps_its_real_time_and_is_marked(ctx, clock) -> None:  # noqa: ANN001
    order = _request(ctx)
    received = order.received_at
    clock.set(received + dt.timedelta(hours=30))          # typed in the next day, after the 24 h limit
    real = (received + dt.timedelta(hours=2, minutes=5)).replace(second=37)
    view = work_orders.record(ctx, order.id, "feedback", "电话告知已安排清理", at=real)
    assert view.met_at == real.replace(second=0) and not view.overdue
    progress = work_orders.record(ctx, order.id, "progress", "已清理")          # now: not marked
    events = work_orders.events(ctx, order.id)
    assert [(e.kind, e.at, e.entered_later) for e in events] == [
        ("feedback", real.replace(second=0), True), ("progress", clock.now(), False)]
    assert progress.met_at == real.replace(second=0)
    report = kpi.compute(ctx, f"{received.astimezone(SHANGHAI):%Y-%m}")
    assert [r.counts for r in report[k.FEEDBACK_24H].records] == [True]      # in time by its real time


def test_arrival_and_result_entered_later(ctx, clock) -> None:  # noqa: ANN001
    order = _request(ctx, "urgent")
    clock.set(order.received_at + dt.timedelta(hours=3))
    work_orders.record(ctx, order.id, "arrive", at=order.received_at + dt.timedelta(minutes=20))
    done = work_orders.record(ctx, order.id, "result", "已处理完毕", at=order.received_at + dt.timedelta(hours=1))
    assert done.status == "done" and done.met_at == order.received_at.replace(second=0) + dt.timedelta(minutes=20)
    assert all(e.entered_later for e in work_orders.events(ctx, order.id))


@pytest.mark.parametrize("offset", [dt.timedelta(minutes=-1), dt.timedelta(hours=5, minutes=1)])
def test_a_time_before_the_request_or_in_the_future_is_refused_next_to_the_field(ctx, clock, offset) -> None:  # noqa: ANN001
    order = _request(ctx)
    clock.set(order.received_at + dt.timedelta(hours=5))
    with pytest.raises(UserError) as caught:
        work_orders.record(ctx, order.id, "feedback", at=order.received_at.replace(second=0) + offset)
    assert caught.value.field == "at"
    assert work_orders.events(ctx, order.id) == []
    assert [o.met_at for o in work_orders.list_orders(ctx, mine=False, open_only=False) if o.id == order.id] == [None]
