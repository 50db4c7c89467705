"""Benchmark: a drill's attached files in the program — storing a 10 MB phone photo (one transaction: the record
of the file, 40 parts of 256 KiB as base64, their journal rows), reading it back (parts joined, sha256 checked),
and how the outbox carries it (pushes of at most PUSH_BYTES). Prints figures; asserts nothing.

    python benchmarks/bench_emergency_files.py [--runs 5] [--mb 10]

A fresh station database in a temporary folder; no hub (the push batches are counted from the outbox).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from shequ_desktop.domain.clock import SHANGHAI, FixedClock
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.db import open_database
from shequ_desktop.persistence.models import ChangeJournal
from shequ_desktop.services.context import AppContext, CurrentUser
from shequ_desktop.services.emergency import drills, files, team
from shequ_desktop.services.emergency.files import NewFile
from shequ_desktop.services.station import ensure_station
from shequ_desktop.sync import engine


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--mb", type=float, default=10)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="em-files-"))
    db = open_database(folder / "station.db")
    chief = CurrentUser(id="c", login="chief", display_name="站长", role=Role.CHIEF)
    ctx = ensure_station(AppContext(db=db, clock=FixedClock(dt.datetime(2026, 12, 3, 10, tzinfo=SHANGHAI)),
                                    user=chief))
    member = team.add_member(ctx, team.MemberInput("李四", "volunteer", "member", "13800001111"))
    x = drills.record_exercise(ctx, drills.ExerciseInput("drill", dt.date(2026, 12, 1), "消防疏散演练", 60,
                                                         ((member.id, True),)))
    size = min(int(args.mb * 1048576), 10 * 1048576)
    store, read, cpu_store = [], [], []
    ids = []
    for i in range(args.runs):
        data = os.urandom(size)                 # incompressible, like a JPEG
        t, c = time.perf_counter(), time.process_time()
        [v] = files.attach(ctx, x.id, [NewFile(f"IMG_{i:04d}.jpg", data, "photo")])
        store.append(time.perf_counter() - t)
        cpu_store.append(time.process_time() - c)
        ids.append(v.id)
        t = time.perf_counter()
        _v, back = files.content(ctx, v.id)
        read.append(time.perf_counter() - t)
        assert back == data
    with db.session_factory() as s:
        journal = s.execute(select(func.count(), func.sum(func.length(ChangeJournal.fields))).where(
            ChangeJournal.entity == "em_file_part")).one()
        sizes = [n or 0 for (n,) in s.execute(select(func.length(ChangeJournal.fields)).where(
            ChangeJournal.origin == "local", ChangeJournal.pushed_at.is_(None)).order_by(ChangeJournal.seq))]
    batches, total, count = 0, 0, 0          # the grouping push_pending makes (PUSH_BYTES, at most 500 changes)
    for n in sizes:
        if count and (total + n > engine.PUSH_BYTES or count == 500):
            batches, total, count = batches + 1, 0, 0
        total, count = total + n, count + 1
    batches += 1 if count else 0
    print(f"file of {size / 1048576:.1f} MB ({-(-size // (256 * 1024))} parts), {args.runs} runs")
    print(f"store (attach: one transaction, parts + journal): median {statistics.median(store) * 1000:.0f} ms "
          f"[min {min(store) * 1000:.0f}, max {max(store) * 1000:.0f}], CPU {statistics.median(cpu_store) * 1000:.0f} ms")
    print(f"read back (parts joined, sha256 checked): median {statistics.median(read) * 1000:.0f} ms "
          f"[min {min(read) * 1000:.0f}, max {max(read) * 1000:.0f}]")
    print(f"outbox: {journal[0]} part changes, {int(journal[1] or 0) / 1048576:.1f} MB of values; "
          f"database file {os.path.getsize(folder / 'station.db') / 1048576:.1f} MB; "
          f"{len(sizes)} pending changes go in {batches} pushes of ≤ {engine.PUSH_BYTES / 1048576:.0f} MB")
    db.dispose()


if __name__ == "__main__":
    main()
