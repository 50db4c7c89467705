"""shequ-admin as the IT admin runs it: real processes, real database files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest


def run(db: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, SHEQU_LANG="en")
    return subprocess.run([sys.executable, "-m", "shequ_desktop.cli.admin", "--db", str(db), *args],
                          input=stdin, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    assert run(path, "init-db").returncode == 0
    return path


def test_calendar_due_prints_date_and_provisional_flag(db):
    assert run(db, "calendar", "due", "2025-09-30", "5").stdout == "2025-10-14\n"
    assert run(db, "calendar", "due", "2025-04-30", "3").stdout == "2025-05-08\n"
    # 2027-01-01 is 元旦 by law even before the 2027 schedule is imported: Jan 4, 5, 6.
    assert run(db, "calendar", "due", "2026-12-29", "5").stdout == "2027-01-06 provisional\n"


def test_calendar_due_refuses_negative_days_and_unreal_dates(db):
    negative = run(db, "calendar", "due", "2026-03-02", "-1")
    assert negative.returncode != 0 and negative.stdout == ""
    assert "0 or more" in negative.stderr
    unreal = run(db, "calendar", "due", "2026-02-30", "3")
    assert unreal.returncode != 0 and "not a real date" in unreal.stderr
    assert "form YYYY-MM-DD" in run(db, "calendar", "due", "2026/02/03", "3").stderr


def test_calendar_import_makes_next_year_covered(db, tmp_path):
    csv = tmp_path / "2027.csv"
    csv.write_text("date,kind,document\n2027-01-01,rest,国办发明电〔2026〕1号\n2027-01-04,rest,国办发明电〔2026〕1号\n",
                   encoding="utf-8")
    assert "NOT covered" in run(db, "calendar", "show", "2027").stdout
    r = run(db, "calendar", "import", str(csv))
    assert r.returncode == 0, r.stderr
    # 12-30, 12-31, (1-1 rest, weekend, 1-4 rest by the import), 1-5, 1-6, 1-7
    assert run(db, "calendar", "due", "2026-12-29", "5").stdout == "2027-01-07\n"
    show = run(db, "calendar", "show", "2027").stdout
    assert "2027-01-04" in show and "NOT covered" not in show


def test_calendar_show_lists_holidays_and_makeup_days(db):
    out = run(db, "calendar", "show", "2026").stdout
    assert "2026-10-10" in out and "2026-10-01" in out and "2026-02-14" in out


def test_create_user_reads_password_from_stdin(db):
    r = run(db, "create-user", "clerk7", "--role", "clerk", stdin="long-enough-pw\n")
    assert r.returncode == 0, r.stderr
    stored = sqlite3.connect(db).execute("SELECT role, password_hash FROM app_user WHERE login='clerk7'").fetchone()
    assert stored[0] == "clerk" and stored[1].startswith("$argon2")
    short = run(db, "create-user", "clerk8", "--role", "clerk", stdin="short\n")
    assert short.returncode != 0 and "Traceback" not in short.stderr and len(short.stderr.strip().splitlines()) == 1


def test_errors_are_one_line_without_traceback(db, tmp_path):
    for args in (("calendar", "due", "2026-13-01", "3"), ("import-residents", str(tmp_path / "missing.xlsx")),
                 ("restore", str(tmp_path / "nothing.db"))):
        r = run(db, *args)
        assert r.returncode != 0
        assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_import_residents_dry_run_then_real(db, tmp_path):
    csv = tmp_path / "people.csv"
    csv.write_text("姓名,公民身份号码,联系电话\n张三,11010519491231002X,13812348000\n"
                   "李四,110105194912310021,\n", encoding="utf-8")
    dry = run(db, "import-residents", str(csv), "--dry-run")
    assert dry.returncode == 0 and "1 to add" in dry.stdout and "1 rejected" in dry.stdout and "line 3" in dry.stdout
    assert sqlite3.connect(db).execute("SELECT count(*) FROM resident").fetchone()[0] == 0
    refused = run(db, "import-residents", str(csv))
    assert refused.returncode != 0
    ok = run(db, "import-residents", str(csv), "--skip-rejected")
    assert ok.returncode == 0 and sqlite3.connect(db).execute("SELECT count(*) FROM resident").fetchone()[0] == 1


def test_audit_verify_exit_codes(db):
    run(db, "calendar", "due", "2026-01-05", "1")
    run(db, "create-user", "u1", "--role", "worker", stdin="long-enough-pw\n")
    run(db, "create-user", "u2", "--role", "worker", stdin="long-enough-pw\n")
    assert run(db, "audit", "verify").returncode == 0
    conn = sqlite3.connect(db)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("UPDATE audit_log SET user_login='nobody' WHERE seq=1")
    conn.commit()
    r = run(db, "audit", "verify")
    assert r.returncode == 1 and "1" in r.stderr


def test_backup_and_restore_roundtrip(db, tmp_path):
    run(db, "create-user", "keepme", "--role", "chief", stdin="long-enough-pw\n")
    r = run(db, "backup", "--to", str(tmp_path / "bk"))
    assert r.returncode == 0, r.stderr
    backup_file = next((tmp_path / "bk").glob("*.db"))
    run(db, "create-user", "later", "--role", "chief", stdin="long-enough-pw\n")
    r = run(db, "restore", str(backup_file))
    assert r.returncode == 0, r.stderr
    logins = {x[0] for x in sqlite3.connect(db).execute("SELECT login FROM app_user")}
    assert "keepme" in logins and "later" not in logins


def test_diagnostics_zip_from_the_command_line(db, tmp_path):
    import zipfile
    r = run(db, "diagnostics", "--out", str(tmp_path / "diag.zip"))
    assert r.returncode == 0, r.stderr
    names = zipfile.ZipFile(tmp_path / "diag.zip").namelist()
    assert "database.json" in names and "versions.json" in names


def test_help_and_usage_errors_are_chinese_in_chinese_mode(db):
    env = dict(os.environ, SHEQU_LANG="zh_CN")
    def zh(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "shequ_desktop.cli.admin", *args],
                              capture_output=True, text=True, env=env, timeout=120)
    helped = zh("--help")
    assert "用法：" in helped.stdout and "显示本帮助并退出" in helped.stdout
    assert "usage:" not in helped.stdout and "show this help" not in helped.stdout
    missing = zh("--db", str(db), "calendar", "due", "2026-03-02")
    assert "缺少以下必需参数" in missing.stderr and "required" not in missing.stderr


def test_backup_daily_prints_sentences_not_an_object(db, tmp_path):
    r = run(db, "backup-daily")
    assert r.returncode == 0, r.stderr
    assert "AutoBackupResult" not in r.stdout and "backup" in r.stdout.lower()


def test_without_db_the_station_database_is_used_and_the_demo_one_named(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "demo.db").write_bytes(b"")
    env = dict(os.environ, SHEQU_LANG="en", SHEQU_DATA_DIR=str(data))
    r = subprocess.run([sys.executable, "-m", "shequ_desktop.cli.admin", "init-db"], capture_output=True, text=True,
                       env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "shequ.db" in r.stdout and str(data / "demo.db") in r.stderr and (data / "shequ.db").exists()
