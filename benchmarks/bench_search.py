"""Resident search at the service layer over 200,000 residents (target: median ≤ 3 ms per query).

Builds benchmarks/data/search-200k.db once with the demo generator (≈80,000 households), then
runs each query category 7× after one warm-up and prints median / p95 / max in ms.
Usage: .venv/bin/python benchmarks/bench_search.py [--households 80000] [--rebuild]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from shequ_desktop.persistence.db import open_database
from shequ_desktop.services import demo, residents, station
from shequ_desktop.services.context import AppContext

DATA = Path(__file__).resolve().parent / "data"


def build(path: Path, households: int) -> AppContext:
    fresh = not path.exists()
    db = open_database(path)
    ctx = station.ensure_station(AppContext(db))
    if fresh:
        t = time.perf_counter()
        summary = demo.generate(ctx, households=households, seed=7)
        print(f"built {summary.residents} residents in {time.perf_counter() - t:.1f} s -> {path}")
    return ctx


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=80_000)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    DATA.mkdir(exist_ok=True)
    path = DATA / f"search-{args.households}.db"
    if args.rebuild:
        for p in DATA.glob(f"search-{args.households}.db*"):
            p.unlink()
    ctx = build(path, args.households)
    print(f"residents: {residents.total(ctx)}")
    rng = random.Random(1)
    sample = residents.search(ctx, "", limit=5000)
    rows = rng.sample(sample, 40)
    ids = [residents.reveal(ctx, r.id, "id_number") for r in rows[:10]]
    phones = [p for p in (residents.reveal(ctx, r.id, "phone") for r in rows[10:30]) if p][:10]
    cats = {
        "3-char full name": [r.name for r in rows if len(r.name) == 3][:10],
        "2-char full name": [r.name for r in sample if len(r.name) == 2][:10],
        "1-char surname": [r.name[0] for r in rows[:10]],
        "2-char given name": [r.name[-2:] for r in rows if len(r.name) == 3][:10],
        "no match (3 chars)": ["龘靐齉", "爨麤齾", "灪籱鱻"],
        "ID last 6 digits": [i[-6:] for i in ids],
        "full ID number": ids,
        "phone last 4": [p[-4:] for p in phones],
        "address fragment": ["幸福里小区12栋", "书香苑3栋2单元", "南湖大道", "珞南新村7栋"],
        "empty (first page)": [""],
    }
    print(f"{'category':<22}{'n':>4}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}{'avg rows':>10}")
    medians = []
    for cat, queries in cats.items():
        times, counts = [], []
        for q in queries:
            residents.search(ctx, q)  # warm-up
            for _ in range(7):
                t = time.perf_counter()
                found = residents.search(ctx, q)
                times.append((time.perf_counter() - t) * 1000)
            counts.append(len(found))
        times.sort()
        med = statistics.median(times)
        medians.append(med)
        print(f"{cat:<22}{len(times):>4}{med:>11.2f}{times[int(len(times) * 0.95) - 1]:>9.2f}"
              f"{times[-1]:>9.2f}{statistics.mean(counts):>10.1f}")
    t = time.perf_counter()
    n = residents.count(ctx, "王")
    print(f"count('王') = {n} in {(time.perf_counter() - t) * 1000:.2f} ms")
    print(f"overall median of category medians: {statistics.median(medians):.2f} ms")


if __name__ == "__main__":
    main()
