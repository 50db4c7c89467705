"""Oversight part B over the full demo community (8,000 households, ≈20,000 residents): the evaluation view with
its coverage by grid (≈3,500 answers), the hotline list with both clocks, the chief's overdue count, the
residents' ranking with the 社区治理之星 proposals. Times each 9× after one warm-up (median / p95 / max, ms).

Builds benchmarks/data/governance-demo.db once (the whole demo, through the services).
Usage: .venv/bin/python benchmarks/bench_governance.py [--households 8000] [--rebuild]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from shequ_desktop.domain.clock import local_today
from shequ_desktop.persistence.db import open_database
from shequ_desktop.services import auth, demo, station
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.governance import evaluation, hotline, incentives

DATA = Path(__file__).resolve().parent / "data"


def build(path: Path, households: int) -> AppContext:
    fresh = not path.exists()
    db = open_database(path)
    ctx = station.ensure_station(AppContext(db))
    if fresh:
        t = time.perf_counter()
        demo.generate(ctx, households=households)
        print(f"demo built in {time.perf_counter() - t:.1f} s")
    return ctx.as_user(auth.login(ctx, "chief", demo.DEMO_PASSWORD))


def timed(label: str, fn, runs: int = 9) -> None:  # noqa: ANN001
    fn()
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    size = len(result) if hasattr(result, "__len__") else result
    print(f"{label:<44} median {statistics.median(samples):7.1f} ms  p95 {p95:7.1f}  max {samples[-1]:7.1f}  ({size})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=8000)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    DATA.mkdir(exist_ok=True)
    path = DATA / f"governance-demo-{args.households}.db"
    if args.rebuild and path.exists():
        path.unlink()
    ctx = build(path, args.households)
    evals = evaluation.list_evaluations(ctx)
    draft = next(e for e in evals if not e.final)
    print(f"evaluation {draft.period}: {draft.coverage.count} respondents of {draft.coverage.base}, "
          f"{len(draft.coverage.grids)} grids")
    timed("evaluation view (coverage by grid)", lambda: evaluation.get(ctx, draft.id).coverage.grids)
    timed("hotline list, all complaints", lambda: hotline.list_complaints(ctx, "all"))
    timed("hotline overdue count (status bar)", lambda: hotline.overdue_count(ctx))
    year = local_today(ctx.clock).year
    timed("residents' ranking with proposals", lambda: incentives.ranking(ctx, year))


if __name__ == "__main__":
    main()
