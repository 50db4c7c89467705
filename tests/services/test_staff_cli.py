"""shequ-admin create-user writes the synced staff directory in the same transaction (journaled, no secrets);
staff list / staff unresolved print it (real processes, real database files)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.services.test_cli import run


def test_create_user_fills_the_synced_directory_and_staff_list_prints_it(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    assert run(db, "init-db").returncode == 0
    r = run(db, "create-user", "wangxm", "--role", "worker", "--name", "王小明", stdin="long-enough-pw\n")
    assert r.returncode == 0, r.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT login, display_name, role, active FROM staff_member").fetchall() == [
        ("wangxm", "王小明", "worker", 1)]
    [(fields,)] = conn.execute("SELECT fields FROM change_journal WHERE entity = 'staff_member'").fetchall()
    assert json.loads(fields)["login"] == "wangxm" and "password" not in fields and "$argon2" not in fields
    conn.close()
    out = run(db, "staff", "list").stdout.splitlines()
    assert out == ["wangxm\t王小明\tSocial worker\t-\taccount in use\tthis PC"]
    assert run(db, "staff", "unresolved").stdout == "Every synced record names its staff by login.\n"


def test_staff_edit_changes_only_the_options_given_and_refuses_bad_input(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    assert run(db, "init-db").returncode == 0
    assert run(db, "create-user", "wangxm", "--role", "worker", "--name", "王小明", stdin="long-enough-pw\n").returncode == 0
    bad = run(db, "staff", "edit", "wangxm", "--phone", "12345")
    assert bad.returncode != 0 and "phone" in bad.stderr
    assert run(db, "staff", "edit", "nobody", "--name", "x").returncode != 0
    r = run(db, "staff", "edit", "wangxm", "--phone", "13912345678")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "wangxm: 王小明, Social worker.\n"             # the name and role kept
    r = run(db, "staff", "edit", "wangxm", "--name", "王晓明", "--role", "chief")
    assert r.stdout == "wangxm: 王晓明, Station chief.\n"
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT display_name, role, phone FROM staff_member").fetchall() == [
        ("王晓明", "chief", "13912345678")]
    assert conn.execute("SELECT count(*) FROM change_journal WHERE entity = 'staff_member'").fetchone()[0] == 3
    conn.close()
