from fractions import Fraction

from shequ_desktop.domain.indicators import IndicatorRecord, indicator, target_from_percent


def _recs(flags, owners=None):
    owners = owners or ["w1"] * len(flags)
    return [IndicatorRecord(str(i), f"#{i}", f, owner=o) for i, (f, o) in enumerate(zip(flags, owners))]


def test_figure_and_list_agree_and_target_is_at_least():
    ind = indicator("on_time", target_from_percent(98), _recs([True] * 49 + [False]))
    assert (ind.numerator, ind.denominator) == (49, 50)
    assert ind.percent == 98.0 and ind.met is True          # 「不低于」: exactly the target meets it
    assert [r.ref for r in ind.missing_records()] == ["49"]


def test_no_records_is_neither_met_nor_missed():
    ind = indicator("mediation_success", Fraction(9, 10), [])
    assert ind.ratio is None and ind.met is None and ind.percent_text() == "-"


def test_per_owner_split_sums_to_the_whole():
    ind = indicator("x", Fraction(1, 2), _recs([True, False, True], ["a", "b", "b"]))
    parts = ind.by_owner()
    assert {k: (v.numerator, v.denominator) for k, v in parts.items()} == {"a": (1, 1), "b": (1, 2)}
    assert sum(v.denominator for v in parts.values()) == ind.denominator
    assert parts["b"].met is True and ind.restricted(lambda r: not r.counts).met is False
