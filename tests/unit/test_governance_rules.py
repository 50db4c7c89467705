"""Pure rules of oversight part B: periods, scores, coverage, committee warnings, awards, 社区治理之星."""

from __future__ import annotations

import datetime as dt

from shequ_desktop.domain import governance as g


def test_periods_quarters_months_years():
    assert g.parse_period("2026Q4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert g.parse_period("2026Q1") == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert g.parse_period("2026-02") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert g.parse_period("2026") == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert g.quarter_of(dt.date(2026, 7, 1)) == "2026Q3"


def test_score_and_composite_and_coverage_inclusive():
    qs = [{"key": "q1", "kind": g.SCORE5}, {"key": "q2", "kind": g.SCORE5}, {"key": "q3", "kind": g.TEXT}]
    assert g.response_score(qs, {"q1": 5, "q2": 4, "q3": ""}) == 87.5
    assert g.check_answers(qs, {"q1": 5, "q2": 0}) == "q2"
    assert g.check_answers(qs, {"q1": 5, "q2": 3, "zz": 1}) == "zz"
    assert g.composite(80, 90, 40, 60) == 86.0
    assert g.required_respondents(8000, 10) == 800 and g.required_respondents(8001, 10) == 801
    assert g.coverage_met(800, 8000, 10) and not g.coverage_met(799, 8000, 10)


def test_committee_warnings_and_terms():
    start, end = dt.date(2023, 3, 1), g.term_end(dt.date(2023, 3, 1), 5)
    assert end == dt.date(2028, 2, 29)
    ok = [g.MemberFacts(n, True, start, end) for n in ("甲", "乙", "丙")]
    assert g.committee_warnings(ok, start, end, 3) == []
    assert len(g.committee_warnings(ok[:2], start, end, 3)) == 1


def test_awards_and_stars():
    assert g.performance_award(g.EXCELLENT, 5000, 20) == 1000.0
    assert g.performance_award(g.COMPETENT, 5000, 20) == 0.0
    assert g.consecutive_excellent({2025: g.EXCELLENT, 2026: g.EXCELLENT}, 2026, 2)
    assert not g.consecutive_excellent({2024: g.EXCELLENT, 2026: g.EXCELLENT}, 2026, 2)
    assert g.star_quota(25, 10) == 3 and g.star_quota(1, 10) == 1 and g.star_quota(0, 10) == 0
    cands = [g.Candidate(str(i), f"r{i}", s, v) for i, (s, v) in enumerate([(95, 1), (90, 5), (90, 3), (80, 9)])]
    # 4 → 1 place; no tie at the top
    assert [c.name for c in g.star_proposals(cands, 10, "score", "include")] == ["r0"]
    assert [c.name for c in g.star_proposals(cands, 50, "score", "exclude")] == ["r0"]
    assert [c.name for c in g.star_proposals(cands, 50, "score", "include")] == ["r0", "r1", "r2"]
    assert [c.name for c in g.star_proposals(cands, 50, "score", "secondary")] == ["r0", "r1"]
