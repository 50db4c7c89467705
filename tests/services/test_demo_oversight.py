"""The demo community's oversight records: a year of complaints (some late, explained and filed), last
quarter's evaluation final with its coverage met, this quarter's short of it, a committee of three with
its inspections, ratings and last year's 社区治理之星."""

from __future__ import annotations

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.clock import local_today
from shequ_desktop.services.governance import committee, evaluation, hotline, incentives


def test_demo_has_every_oversight_record(demo_ctx, clock):
    now = clock.now()
    complaints = hotline.list_complaints(demo_ctx)
    assert len(complaints) >= 24
    days = {c.received_at.date() for c in complaints}
    assert (max(days) - min(days)).days > 300
    late = [c for c in complaints if c.overdue(now)]
    assert late and any(c.explanation and c.filed_on for c in late)
    assert any(c.state != g.CLOSED for c in complaints)
    draft, final = sorted(evaluation.list_evaluations(demo_ctx), key=lambda e: e.state)
    assert draft.state == g.EVAL_DRAFT and final.state == g.EVAL_FINAL
    assert final.coverage.met and not draft.coverage.met and draft.coverage.more_needed > 0
    assert final.score is not None and final.final_score == final.score
    view = committee.committee(demo_ctx)
    assert len(view.members) == 3 and view.warnings == ()
    assert len(committee.inspections(demo_ctx)) >= 2
    year = local_today(clock).year
    ratings = incentives.ratings(demo_ctx, year)
    assert any(r.recommended for r in ratings) and all(r.award is not None for r in ratings)
    assert [t for t in incentives.titles(demo_ctx) if t.year == year - 1]
    assert any(r.proposed for r in incentives.ranking(demo_ctx, year))
