"""KPI dashboard: all five figures for a year over the demo community (target ≤ 300 ms) and the drill-down
list of 10,000 records to its first rows (target ≤ 100 ms).

Builds once (benchmarks/data/):
- ``kpi-demo.db``  — the demo community as ``shequ-admin demo`` makes it (8,000 households, a year of work
  orders, mediation cases, special-group surveys, counter cases), with the clock at 2026-12-31 10:00;
- ``kpi-10000.db`` — a smaller demo (2,000 households) plus ~10,900 work orders of 2026 (the demo generator
  scaled up), so that the year's "feedback within 24 h" figure stands on ~10,000 records.
Times each step 9× after one warm-up (median / p95 / max, ms).
Usage: .venv/bin/python benchmarks/bench_kpi.py [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from shequ_desktop.domain.clock import SHANGHAI, FixedClock  # noqa: E402
from shequ_desktop.persistence.db import open_database  # noqa: E402
from shequ_desktop.services import auth, demo, demo_work_orders, kpi, station  # noqa: E402
from shequ_desktop.services.context import AppContext  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
NOW = dt.datetime(2026, 12, 31, 10, 0, tzinfo=SHANGHAI)


def build(path: Path, households: int, extra_orders_households: int = 0, rebuild: bool = False) -> AppContext:
    if rebuild and path.exists():
        path.unlink()
    fresh = not path.exists()
    DATA.mkdir(exist_ok=True)
    db = open_database(path)
    ctx = station.ensure_station(AppContext(db, clock=FixedClock(NOW)))
    if fresh:
        t = time.perf_counter()
        demo.generate(ctx, households=households)
        if extra_orders_households:
            demo_work_orders.generate(ctx, extra_orders_households, seed=7)
        print(f"built {path.name} in {time.perf_counter() - t:.1f} s")
    return ctx.as_user(auth.login(ctx, "chief", demo.DEMO_PASSWORD))


def timed(label: str, fn: Callable[[], object], runs: int = 9) -> list[float]:
    fn()                                                   # warm-up (caches, first queries)
    wall, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    wall.sort()
    print(f"{label}: median {statistics.median(wall):.1f} ms, p95 {wall[int(0.95 * (len(wall) - 1))]:.1f} ms, "
          f"max {wall[-1]:.1f} ms (CPU median {statistics.median(cpu):.1f} ms)")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    ctx = build(DATA / "kpi-demo.db", 8000, rebuild=args.rebuild)
    report = kpi.compute(ctx, "2026")
    print("year 2026 over the demo community: " + ", ".join(
        f"{key} {ind.numerator}/{ind.denominator}" for key, ind in report.figures.items()))
    timed("all five figures, year 2026 (target ≤ 300 ms)", lambda: kpi.compute(ctx, "2026"))
    timed("all five figures, 2026Q4", lambda: kpi.compute(ctx, "2026Q4"))
    timed("all five figures, 2026-11", lambda: kpi.compute(ctx, "2026-11"))
    timed("per worker + per month splits of the year (uncached)", lambda: [
        (fresh.per_worker(key), fresh.per_month(key)) for fresh in (kpi.KpiReport(report.period, report.figures),)
        for key in report.figures])

    big = build(DATA / "kpi-10000.db", 2000, extra_orders_households=39000, rebuild=args.rebuild)
    big_report = kpi.compute(big, "2026")
    records = big_report["feedback_24h"].denominator
    print(f"year 2026 on kpi-10000.db: feedback_24h stands on {records} records")
    timed("all five figures, year 2026 on kpi-10000.db", lambda: kpi.compute(big, "2026"))
    drill_down(big, big_report, records)


def drill_down(ctx: AppContext, report: kpi.KpiReport, records: int) -> None:
    """The click on a figure → the first rows of its list painted (charts and splits included)."""
    from PySide6.QtWidgets import QApplication
    from shequ_desktop.domain.kpi import Period
    from shequ_desktop.ui.oversight.drill_model import RecordTableModel
    from shequ_desktop.ui.oversight.kpi_tab import KpiTab
    from shequ_desktop.ui.tasks import TaskRunner
    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    tab = KpiTab(ctx, runner)
    tab.resize(1180, 660)
    tab.show()
    tab.set_period(Period(2026, "year"))
    while tab.report is None or tab.report.period != Period(2026, "year"):
        app.processEvents()

    wall, cpu = [], []
    for run in range(10):
        tab.table.selectRow(0)             # another figure first (not timed)
        app.processEvents()
        t, c = time.perf_counter(), time.process_time()
        tab.table.selectRow(1)             # the click on feedback_24h: the figure with ~10,000 records
        tab.records.viewport().repaint()   # its first rows painted now (charts and splits included)
        if run:                            # the first run is the warm-up
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        assert tab.model.total() == records and 0 < tab.model.rowCount() <= 200
    wall.sort()
    print(f"click on a figure → first rows of its {records:,} records (target ≤ 100 ms): median "
          f"{statistics.median(wall):.1f} ms, max {wall[-1]:.1f} ms (CPU median {statistics.median(cpu):.1f} ms)")
    model = RecordTableModel()
    view_records = report["feedback_24h"].records

    def model_only() -> None:
        model.set_records("feedback_24h", view_records)
        [model.index(r, c).data() for r in range(30) for c in range(7)]

    timed(f"list model alone: {records:,} records set, first 30 rows formatted", model_only)
    runner.shutdown()


if __name__ == "__main__":
    main()
