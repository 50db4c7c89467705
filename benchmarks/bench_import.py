"""Import of 20,000 residents from .xlsx into an empty station (target ≤ 10 s), dry run + import.

Usage: .venv/bin/python benchmarks/bench_import.py [--rows 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from shequ_desktop.domain.idnumber import make_id_number
from shequ_desktop.persistence.db import open_database
from shequ_desktop.services import demo, resident_io, residents, station
from shequ_desktop.services.context import AppContext


def write_xlsx(path: Path, rows: int) -> None:
    rng = random.Random(5)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("居民")
    ws.append(["姓名", "公民身份号码", "联系电话", "住址", "与户主关系", "入住日期"])
    for i in range(rows):
        sex = rng.choice("MF")
        birth = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randint(0, 33000))
        idn = make_id_number(rng.choice(demo.REGIONS), birth, (i % 400) * 2 + (1 if sex == "M" else 0))
        ws.append([demo._name(rng, sex), idn, rng.choice(demo.PREFIXES) + f"{rng.randint(0, 99_999_999):08d}",
                   f"湖北省武汉市洪山区珞南街道珞喻路{rng.randint(1, 200)}号{rng.randint(1, 30)}栋{rng.randint(101, 1802)}室",
                   rng.choice(("户主", "配偶", "子女")), f"20{rng.randint(10, 25)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"])
    wb.save(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "residents.xlsx"
        t = time.perf_counter()
        write_xlsx(xlsx, args.rows)
        print(f"wrote {args.rows} rows to xlsx in {time.perf_counter() - t:.2f} s ({xlsx.stat().st_size // 1024} KB)")
        db = open_database(Path(tmp) / "import.db")
        ctx = station.ensure_station(AppContext(db))
        t0 = time.perf_counter()
        plan = resident_io.plan_import(ctx, xlsx)
        t1 = time.perf_counter()
        result = resident_io.run_import(ctx, plan, skip_rejected=True)
        t2 = time.perf_counter()
        print(f"dry run: {t1 - t0:.2f} s  (add {len(plan.to_add)}, update {len(plan.to_update)}, "
              f"rejected {len(plan.rejected)})")
        print(f"import (one transaction): {t2 - t1:.2f} s  (added {result.added})")
        print(f"TOTAL dry run + import: {t2 - t0:.2f} s  -> {args.rows / (t2 - t0):.0f} rows/s; "
              f"residents now {residents.total(ctx)}")
        db.dispose()


if __name__ == "__main__":
    main()
