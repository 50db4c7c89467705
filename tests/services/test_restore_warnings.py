"""shequ-admin restore warns and needs --yes for a backup of another community or with a broken audit log."""

from __future__ import annotations

import sqlite3

from shequ_desktop.cli import admin
from shequ_desktop.domain.clock import FixedClock
from shequ_desktop.persistence.db import open_database
from shequ_desktop.services import audit, backup
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.station import ensure_station
from tests.conftest import START


def _community(path) -> str:  # noqa: ANN001
    return sqlite3.connect(path).execute("SELECT value FROM setting WHERE key='community_id'").fetchone()[0]


def test_a_backup_of_another_community_needs_yes(ctx, db_path, tmp_path, capsys):
    other_db = open_database(tmp_path / "other.db")
    other = ensure_station(AppContext(db=other_db, clock=FixedClock(START)))
    audit.record(other, audit.AuditAction.ADMIN, "", "", "x")
    info = backup.backup_to(other, tmp_path / "bk")
    other_db.dispose()
    mine = _community(db_path)
    assert admin.main(["--db", str(db_path), "restore", str(info.path)]) != 0
    err = capsys.readouterr().err
    assert "another community" in err and "--yes" in err
    assert _community(db_path) == mine
    ctx.db.dispose()
    assert admin.main(["--db", str(db_path), "restore", str(info.path), "--yes"]) == 0
    assert _community(db_path) == other.community_id


def test_a_backup_whose_audit_log_does_not_verify_needs_yes(ctx, db_path, tmp_path, capsys):
    for i in range(3):
        audit.record(ctx, audit.AuditAction.PRINT, "", "", f"print {i}")
    clean = backup.backup_to(ctx, tmp_path / "bk").path
    tampered = tmp_path / "tampered.db"
    tampered.write_bytes(clean.read_bytes())
    conn = sqlite3.connect(tampered)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
    conn.commit()
    conn.close()
    ctx.db.dispose()
    assert admin.main(["--db", str(db_path), "restore", str(tampered)]) != 0
    assert "audit log does not verify" in capsys.readouterr().err
    assert admin.main(["--db", str(db_path), "restore", str(clean)]) == 0      # its own, intact: no question
    assert "Warning" not in capsys.readouterr().err
    assert admin.main(["--db", str(db_path), "restore", str(tampered), "--yes"]) == 0
