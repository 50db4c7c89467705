"""shequ-admin sync connect / now / status against a live hub — how the IT admin sets up thirty PCs."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path


def admin(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SHEQU_LANG="en", SHEQU_CREDENTIAL_STORE="file")
    return subprocess.run([sys.executable, "-m", "shequ_desktop.cli.admin", "--db", str(db), *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=120)


def test_connect_sync_and_status_from_the_command_line(tmp_path, hub, community_id) -> None:  # noqa: ANN001
    db = tmp_path / "pc07.db"
    assert admin(db, "init-db").returncode == 0
    cred = hub.store.add_station("七号机", community_id)
    wrong = admin(db, "sync", "connect", hub.url, stdin="nobody:wrong\n")
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr and len(wrong.stderr.strip().splitlines()) == 1
    ok = admin(db, "sync", "connect", hub.url, stdin=cred.token + "\n")
    assert ok.returncode == 0, ok.stderr
    assert admin(db, "create-user", "clerk7", "--role", "clerk", stdin="long-enough-pw\n").returncode == 0
    status = admin(db, "sync", "status").stdout
    assert "configured: yes" in status
    now = admin(db, "sync", "now")
    assert now.returncode == 0, now.stderr
    assert "pending: 0" in admin(db, "sync", "status").stdout
    pending = sqlite3.connect(db).execute(
        "SELECT count(*) FROM change_journal WHERE origin='local' AND pushed_at IS NULL").fetchone()[0]
    assert pending == 0
