"""Indicators: a ratio with its numerator, denominator, target and the records behind each (§1.3).

The on-time rate, the mediation success rate, the satisfaction rate, the survey coverage … are all
instances of :class:`Indicator`, built from one list of :class:`IndicatorRecord` by :func:`indicator`.
The figure is computed from the list it is given, never stored beside it, so a figure and the list
behind it can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any


@dataclass(frozen=True)
class IndicatorRecord:
    """One record behind a figure: in the denominator always, in the numerator when ``counts``."""

    ref: str                        # the record's id (case id, mediation case id, survey id …)
    label: str                      # what a person reads in the drill-down list (case number, masked name …)
    counts: bool                    # True: in the numerator (on time, settled, satisfied …)
    owner: str = ""                 # the worker it is attributed to ("" = the station)
    group: str = ""                 # an optional grouping key (grid, month, level …)
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Indicator:
    key: str                        # e.g. "on_time", "mediation_success"
    target: Fraction                # e.g. Fraction(98, 100); compared with >= (「不低于」)
    records: tuple[IndicatorRecord, ...]

    @property
    def numerator(self) -> int:
        return sum(1 for r in self.records if r.counts)

    @property
    def denominator(self) -> int:
        return len(self.records)

    @property
    def ratio(self) -> Fraction | None:
        """None when there are no records: no figure, neither met nor missed."""
        return Fraction(self.numerator, self.denominator) if self.denominator else None

    @property
    def percent(self) -> float | None:
        r = self.ratio
        return None if r is None else float(r * 100)

    @property
    def met(self) -> bool | None:
        r = self.ratio
        return None if r is None else r >= self.target

    def percent_text(self, digits: int = 1) -> str:
        """"97.5" or "-" when there are no records (the form scripts and reports use)."""
        p = self.percent
        return "-" if p is None else f"{p:.{digits}f}"

    def numerator_records(self) -> list[IndicatorRecord]:
        return [r for r in self.records if r.counts]

    def missing_records(self) -> list[IndicatorRecord]:
        """The records that keep the figure below 100 % (late cases, failed mediations …)."""
        return [r for r in self.records if not r.counts]

    def restricted(self, keep: Callable[[IndicatorRecord], bool]) -> Indicator:
        return Indicator(self.key, self.target, tuple(r for r in self.records if keep(r)))

    def by_owner(self) -> dict[str, Indicator]:
        """The same indicator per worker (each record counts for its owner)."""
        return {o: self.restricted(lambda r, o=o: r.owner == o) for o in sorted({r.owner for r in self.records})}

    def by_group(self) -> dict[str, Indicator]:
        return {g: self.restricted(lambda r, g=g: r.group == g) for g in sorted({r.group for r in self.records})}


def target_from_percent(value: float | int | str) -> Fraction:
    """A policy value like 98, 98.0 or "98" (percent) as an exact fraction."""
    return Fraction(str(value)) / 100


def indicator(key: str, target: Fraction, records: Iterable[IndicatorRecord]) -> Indicator:
    return Indicator(key, target, tuple(records))
