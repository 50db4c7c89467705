"""Counter printing through the services (numbering, register, audit, PDF file) and GUI responsiveness.

1. first one-time notice after process start, and the warm median of 30 (button → PDF on disk);
2. 1,000 supplement notices as one batch PDF, run on the database worker thread while a 10 ms QTimer
   on the GUI thread measures how long the event loop is ever blocked (the window stays responsive
   when the longest gap stays well under ~100 ms).
Usage: .venv/bin/python benchmarks/bench_counter_print.py [--batch 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

T0 = time.perf_counter()
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=1000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp())
    os.environ["SHEQU_DATA_DIR"] = str(tmp)
    from shequ_desktop.domain.roles import Role
    from shequ_desktop.persistence.db import open_database
    from shequ_desktop.services import auth, counter, demo, documents, station
    from shequ_desktop.services.context import AppContext
    db = open_database(tmp / "bench.db")
    ctx = station.ensure_station(AppContext(db))
    counter.ensure_catalogue(ctx)
    demo.generate(ctx, households=400)
    clerk = ctx.as_user(auth.login(ctx, "clerk1", demo.DEMO_PASSWORD))
    people = [r.id for r in __import__("shequ_desktop.services.residents", fromlist=["x"]).search(ctx, "", limit=2000)]
    setup = time.perf_counter() - T0
    case = counter.start_case(clerk, people[0], "DIBAO")
    t = time.perf_counter()
    documents.print_one_time_notice(clerk, case.id)
    first = (time.perf_counter() - t) * 1000
    warm = []
    for i in range(30):
        c = counter.start_case(clerk, people[i + 1], "DIBAO")
        t = time.perf_counter()
        documents.print_one_time_notice(clerk, c.id)
        warm.append((time.perf_counter() - t) * 1000)
    code0 = counter.service(clerk, "DIBAO").required_materials()[0].code
    sup = []
    for i in range(30):
        c = counter.start_case(clerk, people[i + 40], "DIBAO")
        counter.request_supplement(clerk, c.id, {code0: ("missing", "")})
        t = time.perf_counter()
        documents.print_supplement_notice(clerk, c.id)
        sup.append((time.perf_counter() - t) * 1000)
    print(f"(setup incl. imports and a 1,000-resident demo store: {setup:.1f} s)")
    print(f"warm supplement notice (1 page), button → PDF on disk, median of 30: {statistics.median(sup):.1f} ms "
          f"[{min(sup):.1f}..{max(sup):.1f}]")
    print(f"first one-time notice after start (ReportLab import + fonts + numbering + PDF file): {first:.0f} ms")
    print(f"warm one-time notice, button → PDF on disk, median of 30: {statistics.median(warm):.1f} ms "
          f"[{min(warm):.1f}..{max(warm):.1f}]")

    code = counter.service(clerk, "DIBAO").required_materials()[0].code
    ids = []
    for i in range(args.batch):
        c = counter.start_case(clerk, people[i % len(people)], "DIBAO")
        counter.request_supplement(clerk, c.id, {code: ("missing", "")})
        ids.append(c.id)

    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication
    from shequ_desktop.ui.tasks import TaskRunner
    app = QApplication(sys.argv[:1])
    runner = TaskRunner()
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def tick() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer(interval=10)
    timer.timeout.connect(tick)
    timer.start()
    result: dict[str, float] = {}

    def done(batch: object) -> None:
        result["s"] = time.perf_counter() - result["t"]
        result["n"] = batch.count  # type: ignore[attr-defined]
        app.quit()

    result["t"] = time.perf_counter()
    runner.submit(lambda p: documents.print_batch(clerk, "supplement-notice", ids, p), done,
                  lambda e: (print("batch failed:", e), app.quit()), on_progress=lambda d, t: None)
    app.exec()
    runner.shutdown()
    gaps.sort()
    print(f"batch of {int(result['n'])} supplement notices (numbered, registered, one PDF) on the worker thread: "
          f"{result['s']:.2f} s")
    print(f"GUI event loop during the batch: {len(gaps)} ticks of 10 ms, median gap {statistics.median(gaps):.0f} ms, "
          f"p99 {gaps[int(len(gaps) * 0.99) - 1]:.0f} ms, longest {gaps[-1]:.0f} ms")
    db.dispose()


if __name__ == "__main__":
    main()
