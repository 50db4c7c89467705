"""Sync benchmark: initial pull of 200,000 records into an empty station, and an incremental sync of 100.

Runs a throwaway PostgreSQL cluster (as the postgres user when run as root) on a free loopback port
and the hub under uvicorn on 127.0.0.1 in its own process (``shequ-hub serve``: in production the hub
is another machine; ``--hub thread`` serves it from a thread of this process instead, where it
competes with the station for the GIL), then a fresh SQLite station pulls over real HTTP.

    .venv/bin/python benchmarks/bench_sync.py [--records 200000] [--runs 3] [--hub process|thread]

Targets (issue #4): initial pull ≥ 60,000 records/s end to end; incremental sync of 100 changes ≤ 300 ms.

An empty station starts from the hub's seed store (see shequ_desktop/sync/bootstrap.py), else from
the NDJSON snapshot, else from the change log; each way is measured end to end (an empty station
until everything — rows, indexes, search index, cursor — is committed and searchable) beside its
raw transfer rate in the same run (download and decode only, nothing written). "Cold" means the
hub builds the snapshot and the seed for that very request; "cached" is what every later station
of the community gets (the hub keeps them until the community has 20,000 newer changes;
``shequ-hub snapshot`` builds them ahead).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("SHEQU_CREDENTIAL_STORE", "file")

from tests.hub.conftest import HubServer, INITDBS, PgServer, _as_pg, free_port  # noqa: E402


def start_pg() -> tuple[PgServer, str, Path]:
    import shutil
    import subprocess
    bindir = Path(INITDBS[-1]).parent
    tmp = tempfile.mkdtemp(prefix="shequ-bench-pg-")
    if os.geteuid() == 0:
        shutil.chown(tmp, "postgres", "postgres")
    data = os.path.join(tmp, "data")
    port = free_port()
    subprocess.run(_as_pg([str(bindir / "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                           "--locale=C.UTF-8"]), check=True, capture_output=True)
    subprocess.run(_as_pg([str(bindir / "pg_ctl"), "-D", data, "-l", os.path.join(tmp, "server.log"), "-o",
                           f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1", "-w", "start"]),
                   check=True, capture_output=True)
    return PgServer(port, tmp), data, bindir


def seed(store, community: str, n: int) -> None:
    """Residents pushed through the hub's own merge path (not timed)."""
    from shequ_desktop.domain.idnumber import make_id_number
    from shequ_desktop.domain.ids import new_id
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
    at = "2026-11-25T02:00:00+00:00"
    batch = []
    for i in range(n):
        rid = new_id()
        birth = dt.date(1940 + i % 70, 1 + i % 12, 1 + i % 28)
        fields = {"id": rid, "community_id": community, "household_id": None, "grid_id": None,
                  "name": surnames[i % 20] + given[i % len(given)] + given[(i // len(given)) % len(given)],
                  "id_number": make_id_number("110105", birth, i % 999), "id_number_original": "",
                  "id_kind": "citizen", "birth_date": birth.isoformat(), "sex": "MF"[i % 2],
                  "phone": f"138{i:08d}", "address": f"幸福里小区{i % 40 + 1}栋{i % 6 + 1}单元{i % 30 + 101}室",
                  "relation": "户主", "moved_in": None, "note": "", "deleted_at": None}
        batch.append({"change_id": new_id(), "entity": "resident", "entity_id": rid, "community_id": community,
                      "op": "insert", "fields": fields, "base_version": 0, "new_version": 1,
                      "station_id": "seed", "user_login": "seed", "at": at})
        if len(batch) == 5000:
            with store.engine.begin() as conn:
                store._apply(conn, "seed-station", community, batch)
            batch = []
    if batch:
        with store.engine.begin() as conn:
            store._apply(conn, "seed-station", community, batch)


class HubProcess:
    """``shequ-hub serve`` in a subprocess on a free loopback port."""

    def __init__(self, db_url: str) -> None:
        self.db_url = db_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self) -> HubProcess:
        import subprocess

        import httpx
        self.proc = subprocess.Popen([sys.executable, "-m", "shequ_desktop.hub.cli", "serve", "--database-url",
                                      self.db_url, "--host", "127.0.0.1", "--port", str(self.port),
                                      "--log-level", "warning", "--refresh-minutes", "0"],  # cold means cold
                                     stdout=subprocess.DEVNULL,
                                     cwd=str(Path(__file__).resolve().parents[1]))
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("hub did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--page", type=int, default=5000)
    ap.add_argument("--hub", choices=("process", "thread"), default="process")
    args = ap.parse_args()

    import subprocess

    from shequ_desktop.domain.clock import SystemClock
    from shequ_desktop.domain.ids import new_id
    from shequ_desktop.hub.store import HubStore
    from shequ_desktop.persistence.models import Resident
    from shequ_desktop.services import sync
    from shequ_desktop.persistence.db import head_revision
    from shequ_desktop.sync import bootstrap, engine
    from shequ_desktop.sync import protocol as P
    from shequ_desktop.sync.client import HubClient
    from tests.hub.conftest import make_station

    pg, data, bindir = start_pg()
    work = Path(tempfile.mkdtemp(prefix="shequ-bench-"))
    os.environ["SHEQU_DATA_DIR"] = str(work / "data")
    hub = None
    try:
        pg.admin("CREATE DATABASE hub")
        store = HubStore(pg.url("hub"))
        store.migrate()
        community = new_id()
        t0 = time.perf_counter()
        seed(store, community, args.records)
        with store.engine.connect() as conn:      # what autovacuum does soon after a bulk load
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        print(f"seeded {args.records:,} residents into the hub in {time.perf_counter() - t0:.1f} s "
              f"(orjson: {P.FAST_JSON})")
        hub = HubServer(store).start() if args.hub == "thread" else HubProcess(pg.url("hub")).start()
        clock = SystemClock()
        token = store.add_station("bench", community).token

        raw, e2e, snap_raw, snap_warm = [], [], [], []
        seed_raw, seed_cold, seed_warm = [], [], []
        snap_mb = seed_mb = 0.0
        stations = 0

        def fresh_station() -> Any:
            nonlocal stations
            stations += 1
            return make_station(work, f"station{stations}", community, clock)

        def count(ctx: Any) -> int:
            from sqlalchemy import func, select
            with ctx.transaction() as s:
                return int(s.execute(select(func.count()).select_from(Resident)).scalar_one())

        for run in range(args.runs):
            # 1. the change log page by page (what an older hub offers; and every sync after the first)
            with HubClient(hub.url, token, timeout=60) as c:
                t0 = time.perf_counter()
                cursor, n, nbytes = 0, 0, 0
                while True:
                    page = c.pull(cursor, args.page)
                    n += len(page.items)
                    nbytes += page.nbytes
                    cursor = page.cursor
                    if not page.more:
                        break
                raw.append(n / (time.perf_counter() - t0))
            ctx = fresh_station()
            with HubClient(hub.url, token, timeout=60) as c:
                t0 = time.perf_counter()
                rep = engine.pull(ctx.db, c, clock, page_size=args.page, rows_per_txn=20_000)
                secs = time.perf_counter() - t0
            assert count(ctx) == args.records
            e2e.append(rep.items / secs)
            ctx.db.dispose()
            print(f"run {run + 1}: change-log pull {rep.items:,} in {secs:.2f} s = {rep.items / secs:,.0f} rec/s; "
                  f"raw transfer {raw[-1]:,.0f} rec/s ({nbytes / 1e6:.1f} MB)")

            # 2. what a new station does: the seed store, cold (the hub builds snapshot and seed for it) ...
            with store.engine.begin() as conn:
                conn.exec_driver_sql("DELETE FROM hub_seed")
                conn.exec_driver_sql("DELETE FROM hub_snapshot")
            ctx = fresh_station()
            with HubClient(hub.url, token, timeout=600) as c:
                t0 = time.perf_counter()
                boot, rep = bootstrap.pull_all(ctx.db, c, clock, page_size=args.page)
                secs = time.perf_counter() - t0
            assert boot is not None and boot.source == "seed" and count(ctx) == args.records
            seed_cold.append(args.records / secs)
            ctx.db.dispose()
            # ... raw transfer of the cached seed (download + gunzip into a file, nothing else) ...
            with HubClient(hub.url, token, timeout=60) as c:
                target = work / f"raw-seed-{run}.db"
                t0 = time.perf_counter()
                info = c.seed(head_revision(), target)
                seed_raw.append(info.rows / (time.perf_counter() - t0))
                seed_mb = info.nbytes / 1e6
                target.unlink()
            # ... and end to end from the cached seed (what the 2nd..30th workstation sees)
            ctx = fresh_station()
            with HubClient(hub.url, token, timeout=60) as c:
                t0 = time.perf_counter()
                boot, rep = bootstrap.pull_all(ctx.db, c, clock, page_size=args.page)
                secs = time.perf_counter() - t0
            assert boot is not None and boot.source == "seed" and count(ctx) == args.records
            seed_warm.append(args.records / secs)
            print(f"run {run + 1}: seed cold {seed_cold[-1]:,.0f} rec/s; cached {args.records:,} in {secs:.2f} s "
                  f"= {seed_warm[-1]:,.0f} rec/s (download {boot.download_seconds:.2f} s, copy "
                  f"{boot.index_seconds:.2f} s); raw seed transfer {seed_raw[-1]:,.0f} rec/s ({seed_mb:.1f} MB)")
            ctx.db.dispose()

            # 3. the snapshot (a hub of another program version cannot build this station's seed)
            ctx = fresh_station()
            with HubClient(hub.url, token, timeout=60) as c:
                t0 = time.perf_counter()
                boot = bootstrap.bootstrap(ctx.db, c, clock)
                engine.pull(ctx.db, c, clock, page_size=args.page)
                secs = time.perf_counter() - t0
            assert count(ctx) == args.records
            snap_warm.append(args.records / secs)
            with HubClient(hub.url, token, timeout=60) as c:
                t0 = time.perf_counter()
                n = sum(len(obj.get("rows", ())) for obj in c.snapshot() if "entity" in obj)
                snap_raw.append(n / (time.perf_counter() - t0))
                snap_mb = c.nbytes / 1e6
            print(f"run {run + 1}: snapshot {args.records:,} in {secs:.2f} s = {snap_warm[-1]:,.0f} rec/s; "
                  f"raw snapshot transfer {snap_raw[-1]:,.0f} rec/s ({snap_mb:.1f} MB)")
            if run < args.runs - 1:
                ctx.db.dispose()

        # incremental: 100 local edits pushed + pulled by the same station (sync now), then by a second one
        sync.configure(ctx, hub.url, token)
        other = make_station(work, "other", community, clock)
        sync.configure(other, hub.url, store.add_station("bench-2", community).token)
        t0 = time.perf_counter()
        assert sync.sync_now(other).ok
        print(f"second station initial sync: {time.perf_counter() - t0:.2f} s")
        inc_push, inc_pull = [], []
        for _run in range(args.runs):
            from sqlalchemy import select
            with ctx.transaction() as s:
                rows = s.execute(select(Resident).limit(100).offset(_run * 100)).scalars().all()
                for r in rows:
                    r.phone = f"139{_run}{r.phone[4:]}"
            client = sync.make_client(ctx)
            t0 = time.perf_counter()
            res = sync.sync_now(ctx, client)
            inc_push.append(time.perf_counter() - t0)
            client.close()
            assert res.ok and res.pushed == 100, res
            client = sync.make_client(other)
            t0 = time.perf_counter()
            res = sync.sync_now(other, client)
            inc_pull.append(time.perf_counter() - t0)
            client.close()
            assert res.ok and res.pulled == 100, res
        hub.stop()
        med = statistics.median
        print()
        print(f"initial pull of {args.records:,} records into an empty station, hub in a {args.hub}, n={args.runs}:")
        print(f"  seed store, cached on the hub      median {med(seed_warm):,.0f} rec/s  "
              f"[{min(seed_warm):,.0f}..{max(seed_warm):,.0f}]  (target ≥ 60,000)")
        print(f"    raw seed transfer                median {med(seed_raw):,.0f} rec/s  "
              f"[{min(seed_raw):,.0f}..{max(seed_raw):,.0f}]  ({seed_mb:.1f} MB on the wire)")
        print(f"  seed built for the request (cold)  median {med(seed_cold):,.0f} rec/s  "
              f"[{min(seed_cold):,.0f}..{max(seed_cold):,.0f}]")
        print(f"  snapshot (hub of another version)  median {med(snap_warm):,.0f} rec/s  "
              f"[{min(snap_warm):,.0f}..{max(snap_warm):,.0f}]")
        print(f"    raw snapshot transfer            median {med(snap_raw):,.0f} rec/s  "
              f"[{min(snap_raw):,.0f}..{max(snap_raw):,.0f}]  ({snap_mb:.1f} MB on the wire)")
        print(f"  change log page by page ({args.page}/page) median {med(e2e):,.0f} rec/s  "
              f"[{min(e2e):,.0f}..{max(e2e):,.0f}]")
        print(f"    raw page transfer                median {med(raw):,.0f} rec/s  "
              f"[{min(raw):,.0f}..{max(raw):,.0f}]")
        print(f"incremental sync of 100 changes, n={args.runs}:")
        print(f"  push 100 + pull (sync now)   median {med(inc_push) * 1000:.0f} ms  "
              f"[{min(inc_push) * 1000:.0f}..{max(inc_push) * 1000:.0f}]  (target ≤ 300 ms)")
        print(f"  other station pulls the 100  median {med(inc_pull) * 1000:.0f} ms  "
              f"[{min(inc_pull) * 1000:.0f}..{max(inc_pull) * 1000:.0f}]")
        store.dispose()
    finally:
        if hub is not None:
            hub.stop()
        subprocess.run(_as_pg([str(bindir / "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"]), capture_output=True)
        import shutil
        shutil.rmtree(pg.sockdir, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
