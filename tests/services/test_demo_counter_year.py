"""The demo's year at the window: enough finished counter cases for the on-time rate (R32) to mean something
— simple and complex, a few late — left as the counter's use cases leave them."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select

from shequ_desktop.domain import kpi as k
from shequ_desktop.persistence.counter_models import Case, CaseEvent
from shequ_desktop.services import counter, counter_oversight, kpi
from shequ_desktop.services.counter import Status


def test_the_demo_has_a_year_of_simple_and_complex_cases_with_a_few_late(demo_ctx) -> None:  # noqa: ANN001
    ctx = demo_ctx
    today = ctx.clock.now().date()
    year = (today - dt.timedelta(days=365), today)
    rate = counter_oversight.on_time_rate(ctx, *year)
    assert rate.denominator >= 35                                   # was ≈ 5 from the 12 window cases
    assert 0 < rate.denominator - rate.numerator < rate.denominator * 0.1          # a few late, not many
    with ctx.transaction() as s:
        cases = s.execute(select(Case).where(Case.due_date >= year[0])).scalars().all()
        kinds = Counter(c.status for c in cases)
        assert kinds[Status.ON_SPOT] > kinds[Status.COMPLETED] > 0
        events = Counter(s.execute(select(CaseEvent.kind)).scalars())
        assert events["completed_on_spot"] >= kinds[Status.ON_SPOT] and events["reported"] >= kinds[Status.COMPLETED] - 1
        numbers = [c.case_no for c in s.execute(select(Case)).scalars()]
        assert len(numbers) == len(set(numbers))                    # numbered in one series with the window's cases
        for c in cases:
            if c.status == Status.COMPLETED:
                assert c.accepted_at <= c.reported_at <= c.closed_at and c.due_date is not None
    # a case of the year opens like any other (the counter's own view of it)
    late = next(line for line in rate.lines if not line.on_time and line.met_on is not None)   # reported late
    with ctx.transaction() as s:
        case_id = s.execute(select(Case.id).where(Case.case_no == late.case_no)).scalar_one()
    view = counter.get_case(ctx, case_id)
    assert view.status == Status.COMPLETED and view.reported_at is not None
    assert kpi.compute(ctx, f"{today.year}")[k.ON_TIME].denominator > 0
