"""Cold start to the login window vs a bare PySide6 QMainWindow, in the same run (target ratio ≤ 1.5).

Each case is a fresh process; the time is the parent's wall clock from spawn until the child
prints that its window painted for the first time (the child then exits). Cases are interleaved.
Usage: .venv/bin/python benchmarks/bench_startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.setCentralWidget(QLabel("社区工作站")); w.resize(480, 320)
class F(QObject):
    def eventFilter(self, o, e):
        if e.type() == QEvent.Type.Paint:
            print("PAINTED", flush=True); QTimer.singleShot(0, app.quit)
        return False
f = F(); w.installEventFilter(f); w.show(); app.exec()
"""


def run(cmd: list[str], env: dict[str, str]) -> float:
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert proc.stdout is not None
    for line in proc.stdout:
        if "PAINTED" in line:
            elapsed = time.perf_counter() - t
            break
    else:
        raise RuntimeError(f"{cmd} never painted")
    proc.wait(timeout=30)
    return elapsed * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    with tempfile.TemporaryDirectory() as tmp:
        env["SHEQU_DATA_DIR"] = tmp
        db = Path(tmp) / "bench.db"
        subprocess.run([sys.executable, "-m", "shequ_desktop.cli.admin", "--db", str(db), "create-user", "admin",
                        "--role", "admin"], input="benchmark-pw\n", text=True, check=True, env=env,
                       capture_output=True)
        app_env = dict(env, SHEQU_BENCH_EXIT_ON_PAINT="1")
        cases = {"bare PySide6 QMainWindow": ([sys.executable, "-c", BARE], env),
                 "shequ-desktop login window": ([sys.executable, "-m", "shequ_desktop", "--db", str(db)], app_env)}
        for cmd, e in cases.values():
            run(cmd, e)  # warm the page cache
        times: dict[str, list[float]] = {k: [] for k in cases}
        for _ in range(args.runs):
            for name, (cmd, e) in cases.items():
                times[name].append(run(cmd, e))
    med = {k: statistics.median(v) for k, v in times.items()}
    for k, v in times.items():
        print(f"{k:<30} median {med[k]:7.1f} ms  [{min(v):.1f}..{max(v):.1f}]  n={len(v)}")
    names = list(cases)
    print(f"ratio login/bare: {med[names[1]] / med[names[0]]:.2f}  (target ≤ 1.5)")


if __name__ == "__main__":
    main()
