"""The test PostgreSQL never outlives the test run: a run killed outright (SIGKILL, as a CI timeout or an
OOM kill does) takes its server with it, and a server left by a run that could not (an older conftest)
is stopped by the next run — while another live run's cluster is left alone."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pg_cluster import INITDBS, OWNER, PREFIX, process_start, sweep_leftovers

HERE = Path(__file__).resolve().parent
pytestmark = pytest.mark.skipif(not INITDBS, reason="PostgreSQL is not installed")

CHILD = """
import sys, time
sys.path.insert(0, {here!r})
from pg_cluster import start_cluster
c = start_cluster(die_with_parent={die}, parent={parent!r})
print(c.process.pid, c.sockdir, flush=True)
time.sleep(600)
"""


@pytest.fixture
def parent() -> Iterator[str]:
    """A folder the ``postgres`` user can reach (pytest's tmp_path is private to root)."""
    folder = tempfile.mkdtemp(prefix="shequ-pgtest-")
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    start = process_start(pid)
    if start is None:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while _running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def _killed_run(parent: str, die: bool) -> tuple[int, str]:
    """A test run that started its cluster and was then killed with SIGKILL: (postmaster pid, folder)."""
    child = subprocess.Popen([sys.executable, "-c", CHILD.format(here=str(HERE), die=die, parent=parent)],
                             stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline() if child.stdout else ""
        pid_text, folder = line.split()
        postmaster = int(pid_text)
        assert _running(postmaster)
    finally:
        child.kill()
        child.wait()
    return postmaster, folder


def test_a_run_killed_outright_takes_its_postgres_with_it(parent) -> None:
    postmaster, folder = _killed_run(parent, die=True)
    assert _gone_within(postmaster, 30), "the killed run's postgres is still running"
    assert Path(folder).exists()                   # the folder stays until the next run sweeps it
    assert sweep_leftovers(parent) == [folder]
    assert not Path(folder).exists()


def test_the_next_run_stops_a_leftover_server_and_leaves_a_live_run_alone(parent) -> None:
    postmaster, folder = _killed_run(parent, die=False)
    assert _running(postmaster)                    # as a run of the old conftest left it
    live = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))      # another worktree's run, still going
    (live / OWNER).write_text(f"{os.getpid()} {process_start(os.getpid())}\n")
    fresh = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))     # one being created right now (no owner yet)
    try:
        assert sweep_leftovers(parent) == [folder]
        assert _gone_within(postmaster, 30)
        assert not Path(folder).exists() and live.exists() and fresh.exists()
    finally:
        if _running(postmaster):
            os.kill(postmaster, signal.SIGKILL)
