"""A throwaway PostgreSQL cluster for the hub tests that never outlives the test run.

- ``start_cluster`` runs initdb into ``<tmp>/shequ-pg-XXXX/data`` and starts ``postgres`` itself as a child of
  this process (not daemonised by pg_ctl): on Linux the server gets SIGKILL when this process dies, even by
  SIGKILL (``PR_SET_PDEATHSIG``); its backends follow their postmaster. ``Cluster.stop`` is idempotent and is
  registered with ``atexit``; SIGTERM and SIGHUP stop the server before the process ends as it would have.
- Each cluster folder holds ``owner`` (pid and start time of the process that started it). ``sweep_leftovers``
  — run before a new cluster starts — stops the server of a folder whose owner is gone (a run killed before
  this code, or where the death signal could not be set) and removes the folder; a folder of a live run (another
  worktree's pytest) is left alone. Folders of older runs without ``owner`` are removed once their server is
  gone.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PREFIX = "shequ-pg-"
OWNER = "owner"
PR_SET_PDEATHSIG = 1
STALE_WITHOUT_PID = 3600          # s: a folder with neither owner nor server this old is debris
INITDBS = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_pg(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def process_start(pid: int) -> str | None:
    """The start time of process ``pid`` (clock ticks since boot; None when there is no such process)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]          # field 22 of proc(5): starttime


def _alive(pid: int, start: str) -> bool:
    return process_start(pid) == start


def _postmaster_of(data: Path) -> int | None:
    """The pid of the live postmaster serving ``data`` (from its postmaster.pid, checked against /proc)."""
    try:
        pid = int((data / "postmaster.pid").read_text().split("\n", 1)[0])
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (OSError, ValueError):
        return None
    return pid if any(b"postgres" in part for part in cmdline[:1]) and str(data).encode() in cmdline else None


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process_start(pid) is None or Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return True
        time.sleep(0.05)
    return False


def _kill_postmaster(pid: int) -> None:
    """Immediate shutdown (SIGQUIT, as ``pg_ctl -m immediate``), then SIGKILL if it does not go."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGQUIT)
        if not _wait_gone(pid, 10):
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid, 5)


def sweep_leftovers(parent: str | None = None) -> list[str]:
    """Stop and remove the clusters of test runs that are gone; returns the folders removed."""
    removed: list[str] = []
    for folder in glob.glob(os.path.join(parent or tempfile.gettempdir(), PREFIX + "*")):
        root = Path(folder)
        owner = root / OWNER
        try:
            pid_text, start = owner.read_text().split()
            owner_alive = _alive(int(pid_text), start)
        except (OSError, ValueError):
            owner_alive = None                        # no owner file: an older run's folder (or one being made)
        postmaster = _postmaster_of(root / "data")
        if owner_alive is None:
            try:
                age = time.time() - root.stat().st_mtime
            except OSError:
                continue
            if postmaster is not None or ((root / "data" / "postmaster.pid").exists() is False
                                          and age < STALE_WITHOUT_PID):
                continue                              # a server without owner: maybe another run's, leave it
        elif owner_alive:
            continue
        elif postmaster is not None:
            _kill_postmaster(postmaster)
        shutil.rmtree(root, ignore_errors=True)
        removed.append(folder)
    return removed


def _child_setup(uid: int | None, gid: int | None, die_with_parent: bool) -> Callable[[], None]:
    def setup() -> None:                              # in the child, between fork and exec
        if uid is not None and gid is not None:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)                            # (a change of credentials clears the death signal:
        if die_with_parent:                           #  set it after)
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    return setup


@dataclass
class Cluster:
    port: int
    sockdir: str
    data: str
    process: subprocess.Popen[bytes]
    _stopped: bool = field(default=False, repr=False)

    def stop(self) -> None:
        """Immediate shutdown and removal of the folder; harmless when called again."""
        if self._stopped:
            return
        self._stopped = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.sockdir, ignore_errors=True)


def start_cluster(*, die_with_parent: bool = True, parent: str | None = None) -> Cluster:
    """initdb + postgres on a free loopback port, owned by this process (see the module's text)."""
    if not INITDBS:
        raise FileNotFoundError("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)")
    bindir = Path(INITDBS[-1]).parent
    tmp = tempfile.mkdtemp(prefix=PREFIX, dir=parent)
    Path(tmp, OWNER).write_text(f"{os.getpid()} {process_start(os.getpid())}\n")
    uid = gid = None
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        uid, gid = pw.pw_uid, pw.pw_gid
        os.chown(tmp, uid, gid)
    data = os.path.join(tmp, "data")
    subprocess.run(_as_pg([str(bindir / "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                           "--locale=C.UTF-8"]), check=True, capture_output=True)
    port = free_port()
    log = open(os.path.join(tmp, "server.log"), "ab")  # noqa: SIM115  (the child keeps it)
    try:
        process = subprocess.Popen(
            [str(bindir / "postgres"), "-D", data, "-p", str(port), "-k", tmp, "-c", "listen_addresses=127.0.0.1",
             "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, cwd=tmp, start_new_session=True,
            preexec_fn=_child_setup(uid, gid, die_with_parent))
    finally:
        log.close()
    cluster = Cluster(port, tmp, data, process)
    atexit.register(cluster.stop)
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            cluster.stop()
            raise RuntimeError("postgres did not start: " + Path(tmp, "server.log").read_text()[-2000:]
                               if Path(tmp, "server.log").exists() else "postgres did not start")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0 and _accepts(port):
                break
        if time.monotonic() > deadline:
            cluster.stop()
            raise RuntimeError("postgres did not accept connections within 60 s")
        time.sleep(0.05)
    return cluster


def _accepts(port: int) -> bool:
    import psycopg
    try:
        with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres", connect_timeout=5):
            return True
    except psycopg.OperationalError:
        return False


def stop_on_signals(stop: Callable[[], None]) -> Callable[[], None]:
    """SIGTERM / SIGHUP: ``stop`` first, then the signal's previous behaviour. Returns the undo."""
    previous: dict[int, object] = {}

    def handler(signum: int, frame: object) -> None:
        stop()
        old = previous.get(signum, signal.SIG_DFL)
        signal.signal(signum, old if old is not None else signal.SIG_DFL)  # type: ignore[arg-type]
        if callable(old):
            old(signum, frame)
        else:
            os.kill(os.getpid(), signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        previous[sig] = signal.getsignal(sig)
        signal.signal(sig, handler)

    def undo() -> None:
        for sig, old in previous.items():
            if signal.getsignal(sig) is handler:
                signal.signal(sig, old)  # type: ignore[arg-type]
    return undo
