"""Benchmark: the vulnerable residents of an incident affecting 10 buildings among ~22,000 residents (target
≤ 100 ms) and the whole emergency kit for 110 buildings (target ≤ 10 s). Prints figures; asserts nothing.

    python benchmarks/bench_emergency.py [--db /tmp/em-bench.db] [--runs 20] [--kit-runs 3]

Builds the demo community (8,000 households, ~22,000 residents in 110 buildings, 3,840 special-group files,
the emergency demo) once into --db. Times, as the grid worker ``worker1``:
- ``vulnerable.for_buildings`` for the 10 buildings with the most vulnerable residents (what the incident page
  shows at once, audited reading included);
- ``incidents.open_incident`` for those 10 buildings (plan → checklist, clocks, one check task per person);
and as the chief ``kit.build_kit`` (7 plan cards, the phone tree, a list per building, rendered to one PDF).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from pathlib import Path

from sqlalchemy import func, select

from shequ_desktop.domain.clock import SHANGHAI, FixedClock
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.db import open_database
from shequ_desktop.persistence.models import Building, Resident, User
from shequ_desktop.services import demo
from shequ_desktop.services.context import AppContext, CurrentUser
from shequ_desktop.services.emergency import incidents, kit, vulnerable
from shequ_desktop.services.station import ensure_station

NOW = dt.datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI)


def timed(fn, runs: int) -> tuple[float, float, float, float, object]:  # noqa: ANN001
    """Median and max wall time, median CPU time of this process (ms), and the minimum wall time."""
    fn()                                   # warm-up (imports, SQLite page cache, fonts)
    wall, cpu, result = [], [], None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), max(wall), statistics.median(cpu), min(wall), result


def _user(ctx: AppContext, login: str) -> AppContext:
    with ctx.transaction() as s:
        u = s.execute(select(User).where(User.login == login)).scalar_one()
        return ctx.as_user(CurrentUser(u.id, u.login, u.display_name, Role(u.role), u.grid_id))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", default="/tmp/em-bench.db")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--kit-runs", type=int, default=3)
    args = ap.parse_args()
    path = Path(args.db)
    fresh = not path.exists()
    ctx = ensure_station(AppContext(db=open_database(path), clock=FixedClock(NOW)))
    if fresh:
        t0 = time.perf_counter()
        demo.generate(ctx)
        print(f"demo built in {time.perf_counter() - t0:.1f} s")
    with ctx.transaction() as s:
        residents = s.execute(select(func.count()).select_from(Resident)).scalar_one()
        buildings = [b for b, in s.execute(select(Building.id).order_by(Building.name))]
    worker, chief = _user(ctx, "worker1"), _user(ctx, "chief")
    everyone = vulnerable.for_buildings(chief, buildings)
    ten = sorted(buildings, key=lambda b: -sum(1 for p in everyone if p.building_id == b))[:10]
    print(f"{residents} residents, {len(buildings)} buildings, {len(everyone)} vulnerable residents in all")

    med, mx, cpu, lo, rows = timed(lambda: vulnerable.for_buildings(worker, ten, reason="bench"), args.runs)
    print(f"vulnerable list, 10 buildings ({len(rows)} people): median {med:.1f} ms [min {lo:.1f}, max {mx:.1f}], "
          f"CPU {cpu:.1f} ms  (target ≤ 100 ms)")

    med, mx, cpu, lo, view = timed(lambda: incidents.open_incident(worker, incidents.IncidentInput(
        "fire", "general", "基准测试", tuple(ten), "phone")), max(3, args.runs // 4))
    print(f"open an incident on those 10 buildings (checklist {len(view.tasks)} items, check tasks for every "
          f"person): median {med:.1f} ms [min {lo:.1f}, max {mx:.1f}], CPU {cpu:.1f} ms")

    med, mx, cpu, lo, made = timed(lambda: kit.build_kit(chief), args.kit_runs)
    print(f"emergency kit, {made.buildings} buildings ({made.plans} plan cards, phone tree of {made.members}, "
          f"{made.people} people, {made.pages} papers, {len(made.pdf) / 1e6:.1f} MB): median {med / 1000:.2f} s "
          f"[min {lo / 1000:.2f}, max {mx / 1000:.2f}], CPU {cpu / 1000:.2f} s  (target ≤ 10 s)")


if __name__ == "__main__":
    main()
