"""Mediation: the chief's list of clocks running out and the success rate over 5,000 cases (target ≤ 100 ms each).

Builds benchmarks/data/mediation-5000.db once: the demo community (2,000 households) plus 5,000 dispute cases
of the past year (two parties each; ~4 % still running, a share of them overdue), written through the ORM
and the change journal like any case. Then times each query 9× after one warm-up (median / p95 / max, ms).
Usage: .venv/bin/python benchmarks/bench_mediation.py [--cases 5000] [--rebuild]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from pathlib import Path

from sqlalchemy import select

from shequ_desktop.domain import mediation as m
from shequ_desktop.domain.clocks import ClockRule, deadline
from shequ_desktop.persistence.db import open_database
from shequ_desktop.persistence.mediation_models import MediationCase, MediationParty
from shequ_desktop.persistence.models import Grid, User
from shequ_desktop.services import auth, calendar, demo, station
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.mediation import oversight

DATA = Path(__file__).resolve().parent / "data"


def build(path: Path, n: int) -> AppContext:
    fresh = not path.exists()
    db = open_database(path)
    ctx = station.ensure_station(AppContext(db))
    if not fresh:
        return ctx
    t = time.perf_counter()
    demo.generate(ctx, households=2000, seed=11)
    rng = random.Random(5)
    now = ctx.clock.now()
    cal = calendar.working_calendar(ctx)
    with ctx.transaction() as s:
        grids = list(s.execute(select(Grid.id)).scalars())
        workers = list(s.execute(select(User.login).where(User.role == "worker")).scalars())
        for i in range(n):
            running = i % 25 == 0
            received = now - dt.timedelta(hours=rng.randint(2, 24 * (6 if running else 360)))
            level = rng.choice(m.LEVELS)
            kind, rule = m.clock_for(level, True, {"onspot_mediation_hours": 24, "council_wd": 3,
                                                   "complex_dispute_wd": 5})
            due = deadline(received, rule or ClockRule.hours(24), cal)
            state = m.OPEN if running else rng.choices(
                (m.SETTLED_WRITTEN, m.SETTLED_ORAL, m.FAILED, m.REFUSED), (38, 45, 10, 7))[0]
            c = MediationCase(community_id=ctx.community_id, case_no=f"TJB-{i:05d}", kind=rng.choice(m.KINDS),
                              source=rng.choice(m.SOURCES), facts="基准测试纠纷", level=level, state=state,
                              multi_party=True, grid_id=rng.choice(grids), registered_at=received,
                              registered_by=workers[i % len(workers)], mediator_logins=[workers[i % len(workers)]],
                              mediator_names="", clock_kind=kind, clock_rule=str(rule), clock_started_at=received,
                              clock_due_at=due.due, clock_provisional=due.provisional,
                              clock_met_at=None if running else received + dt.timedelta(hours=3),
                              closed_at=None if running else received + dt.timedelta(hours=3))
            s.add(c)
            s.flush()
            for side in range(2):
                s.add(MediationParty(community_id=ctx.community_id, case_id=c.id, role=m.PARTY, position=side,
                                     name=rng.choice(("王建华", "李秀英", "张伟", "刘洋")), phone="13800000000"))
    print(f"built {n} cases in {time.perf_counter() - t:.1f} s -> {path}")
    return ctx


def timed(fn, runs: int = 9) -> tuple[float, float, float, float]:  # noqa: ANN001
    """Wall-clock median / p95 / max and the median CPU time of this process (ms)."""
    fn()
    samples, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))], samples[-1], statistics.median(cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    DATA.mkdir(exist_ok=True)
    path = DATA / f"mediation-{args.cases}.db"
    if args.rebuild:
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
    ctx = build(path, args.cases)
    chief = ctx.as_user(auth.login(ctx, "chief", demo.DEMO_PASSWORD))
    listed = oversight.chief_list(chief)
    rates = oversight.success_rate(chief, dt.date.today() - dt.timedelta(days=365), dt.date.today())
    print(f"chief's list: {sum(map(len, listed.values()))} cases "
          f"({', '.join(f'{k} {len(v)}' for k, v in listed.items())}); "
          f"success rate {rates.station.percent_text()} % of {rates.station.denominator} concluded")
    for name, fn in (("chief_list", lambda: oversight.chief_list(chief)),
                     ("success_rate (station + per mediator + per grid)", lambda: oversight.success_rate(
                         chief, dt.date.today() - dt.timedelta(days=365), dt.date.today())),
                     ("due_by (CLI)", lambda: oversight.due_by(chief)),
                     ("overdue_count (status bar)", lambda: oversight.overdue_count(chief))):
        med, p95, worst, cpu = timed(fn)
        print(f"{name:50s} median {med:7.1f} ms  p95 {p95:7.1f} ms  max {worst:7.1f} ms  (CPU median {cpu:6.1f} ms)")


if __name__ == "__main__":
    main()
