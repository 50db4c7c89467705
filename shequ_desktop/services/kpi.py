"""考核指标 (R32–R36, DOMAIN §1.3): the five KPI figures for a month, a quarter or a year — for the
station, per worker and per month — each with the records behind it.

Every figure is an :class:`~shequ_desktop.domain.indicators.Indicator` over its records, so a figure and
the list that opens from it can never disagree. The rules live with their modules (the counter's
on-time rule, the work orders' deadlines, mediation's success rule, the special groups' satisfaction
rule); this module only gathers their records for a period, tags each with its month, and splits them.

Every record's ``detail`` carries ``date`` (the day that puts it in its period), and where they apply
``due`` and ``done`` (deadline and when it was met) — what the drill-down list shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from fractions import Fraction

from shequ_desktop.domain import kpi as k
from shequ_desktop.domain.clock import local_today, to_local
from shequ_desktop.domain.indicators import Indicator, IndicatorRecord, indicator, target_from_percent
from shequ_desktop.domain.kpi import Period, month_key
from shequ_desktop.domain.roles import Permission, Role
from shequ_desktop.services import counter_oversight, work_orders, worker_refs
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.mediation import oversight as mediation_oversight
from shequ_desktop.services.policy import current_policy
from shequ_desktop.services.special_groups import records as special_records


@dataclass(frozen=True)
class KpiReport:
    """The five figures of one period (station level), in :data:`~shequ_desktop.domain.kpi.KEYS` order.

    Workers are keyed by login everywhere (two workers may share a name); :meth:`label` gives the words
    that name one on screen and paper (the name, with grid and login where two share it)."""

    period: Period
    figures: dict[str, Indicator]
    worker: str = ""            # a worker's own figures (compute_mine): their login; "" = the station's
    names: dict[str, str] = field(default_factory=dict, compare=False)    # login → label
    _splits: dict[tuple[str, str], object] = field(default_factory=dict, compare=False, repr=False)

    def __getitem__(self, key: str) -> Indicator:
        return self.figures[key]

    def label(self, login: str) -> str:
        """The worker's name as shown ("" for nobody)."""
        return self.names.get(login, login) if login else ""

    def per_worker(self, key: str) -> dict[str, Indicator]:
        """The figure per worker login: each record counts for each worker it is credited to (a mediation
        case for each of its mediators); records of nobody (an undispatched request, a survey of a file
        without a responsible worker) under ""."""
        if self.worker:
            return {self.worker: self.figures[key]}
        cached = self._splits.get((key, "worker"))
        if cached is None:
            cached = self._splits[(key, "worker")] = split_by_worker(self.figures[key])
        return cached  # type: ignore[return-value]

    def per_month(self, key: str) -> list[tuple[Period, Indicator]]:
        """The figure for each month of the period (a month without records has an empty figure)."""
        cached = self._splits.get((key, "month"))
        if cached is None:
            cached = self._splits[(key, "month")] = months_of(self.period, self.figures[key])
        return cached  # type: ignore[return-value]

    def workers(self) -> list[str]:
        """The login of every worker with a record in any figure of the period, in the order of their
        labels; a worker's own report: them."""
        if self.worker:
            return [self.worker]
        logins = {x for ind in self.figures.values() for r in ind.records for x in owners(r) if x}
        return sorted(logins, key=lambda x: (self.label(x), x))

    def lines(self) -> list[str]:
        """``KEY<TAB>PERCENT<TAB>NUMERATOR/DENOMINATOR<TAB>TARGET<TAB>met|missed`` (``shequ-admin kpi``)."""
        return [cli_line(self.figures[key]) for key in k.KEYS]


def owners(record: IndicatorRecord) -> tuple[str, ...]:
    """The logins a record is credited to; ``("",)`` for nobody."""
    return worker_refs.credited_logins(record)


def split_by_worker(ind: Indicator) -> dict[str, Indicator]:
    """One pass over the records, by login (services/worker_refs.split_by_login)."""
    return worker_refs.split_by_login(ind)


def months_of(period: Period, ind: Indicator) -> list[tuple[Period, Indicator]]:
    """The figure for each month of ``period`` from the records' month groups, in one pass."""
    per: dict[str, list[IndicatorRecord]] = {}
    for r in ind.records:
        per.setdefault(r.group, []).append(r)
    return [(m, indicator(ind.key, ind.target, per.get(m.text(), ()))) for m in period.months()]


def target_text(target: Fraction) -> str:
    """98 → "98", 97.5 → "97.5" (a percent, as the policy profile holds it)."""
    value = target * 100
    return str(value.numerator // value.denominator) if value.denominator == 1 else f"{float(value):g}"


def cli_line(ind: Indicator) -> str:
    verdict = "-" if ind.met is None else ("met" if ind.met else "missed")
    return f"{ind.key}\t{ind.percent_text()}\t{ind.numerator}/{ind.denominator}\t{target_text(ind.target)}\t{verdict}"


def _tagged(key: str, target: Fraction, records: Iterable[IndicatorRecord], day_of) -> Indicator:  # noqa: ANN001
    """The records under the KPI key, each with its day in ``detail["date"]`` and its month as the group."""
    def tag(r: IndicatorRecord) -> IndicatorRecord:
        day = day_of(r)
        return IndicatorRecord(r.ref, r.label, r.counts, r.owner, month_key(day),
                               r.detail if "date" in r.detail else {**r.detail, "date": day})
    return indicator(key, target, (tag(r) for r in records))


def compute(ctx: AppContext, period: Period | str) -> KpiReport:
    """All five figures of ``period`` (``Period`` or its text: 2026, 2026Q4, 2026-11)."""
    ctx.require(Permission.OVERSIGHT)
    return _gather(ctx, Period.parse(period) if isinstance(period, str) else period)


def compute_mine(ctx: AppContext, period: Period | str) -> KpiReport:
    """The signed-in worker's own five figures: only the records credited to their login (a mediation
    case to each of its mediators, a survey to the file's responsible worker on its day). Every role
    that works cases may see its own; nobody sees another worker's figures here."""
    ctx.require(Permission.OVERSIGHT_WORK)
    period = Period.parse(period) if isinstance(period, str) else period
    # reading every module's records is what the chief may do; only this user's records leave the function
    full = _gather(ctx.as_user(replace(ctx.user, role=Role.CHIEF)), period)
    login = ctx.user.login
    mine = {key: ind.restricted(lambda r: login in worker_refs.logins_of(r.detail)) for key, ind in full.figures.items()}
    return KpiReport(period, mine, worker=login, names={login: ctx.user.display_name})


def _gather(ctx: AppContext, period: Period) -> KpiReport:
    start, end = period.start, period.end
    policy = current_policy(ctx)
    targets = {key: target_from_percent(policy.float_value(setting)) for key, setting in k.TARGET_SETTINGS.items()}
    feedback, onsite = work_orders.response_records(ctx, start, end)
    mediation = mediation_oversight.success_rate(ctx, start, end).station
    satisfaction = special_records.satisfaction(ctx, start, end)
    day = lambda r: r.detail["date"]  # noqa: E731
    figures = {
        k.ON_TIME: _tagged(k.ON_TIME, targets[k.ON_TIME], counter_oversight.on_time_records(ctx, start, end), day),
        k.FEEDBACK_24H: _tagged(k.FEEDBACK_24H, targets[k.FEEDBACK_24H], feedback, day),
        k.ONSITE_30MIN: _tagged(k.ONSITE_30MIN, targets[k.ONSITE_30MIN], onsite, day),
        k.MEDIATION_SUCCESS: _tagged(k.MEDIATION_SUCCESS, targets[k.MEDIATION_SUCCESS], mediation.records,
                                     lambda r: to_local(r.detail["closed_at"]).date()),
        k.SPECIAL_SATISFACTION: _tagged(k.SPECIAL_SATISFACTION, targets[k.SPECIAL_SATISFACTION],
                                        _by_person(satisfaction.records), day),
    }
    logins = {x for ind in figures.values() for r in ind.records for x in worker_refs.logins_of(r.detail)}
    with ctx.transaction() as s:
        names = worker_refs.labels(s, logins)
    return KpiReport(period, figures, names=names)


def _by_person(records: tuple[IndicatorRecord, ...]) -> list[IndicatorRecord]:
    """A survey's line names the (masked) person: the date and score have their own columns."""
    return [replace(r, label=str(r.detail.get("who") or r.label)) for r in records]


def default_period(ctx: AppContext) -> Period:
    """The quarter that contains today (what the chief reports on)."""
    return Period.containing(local_today(ctx.clock), "quarter")
