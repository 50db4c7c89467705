"""The diagnostics zip: the expected files and figures, no secrets and no personal data."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shequ_desktop import paths
from shequ_desktop.domain.errors import PermissionDenied
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.models import AuditEntry, ChangeJournal, Resident
from shequ_desktop.services import diagnostics, residents
from shequ_desktop.services.context import put_setting
from tests.conftest import as_role


def _read_all(zip_path: Path) -> dict[str, str]:
    with zipfile.ZipFile(zip_path) as zf:
        return {name: zf.read(name).decode("utf-8") for name in zf.namelist()}


def _some_residents(ctx, n: int = 6) -> list[dict[str, str]]:  # noqa: ANN001
    with ctx.transaction() as s:
        ids = list(s.execute(select(Resident.id).where(Resident.phone != "").order_by(Resident.id).limit(n)).scalars())
    people = []
    for rid in ids:
        detail = residents.get(ctx, rid)
        people.append({"name": detail.name, "address": detail.address,
                       "id_number": residents.reveal(ctx, rid, "id_number", "diagnostics test"),
                       "phone": residents.reveal(ctx, rid, "phone", "diagnostics test")})
    return people


def test_zip_has_the_expected_files_and_figures(demo_ctx, tmp_path: Path) -> None:  # noqa: ANN001
    ctx = demo_ctx
    (paths.log_dir() / "shequ-desktop.log").write_text("2026-11-25 10:00:00 INFO shequ: start 0.1.0\n",
                                                       encoding="utf-8")
    with ctx.transaction() as s:
        put_setting(s, "hub.password", "hunter2-secret-value")
        put_setting(s, "sync.TOKEN", "tok-123456")
        put_setting(s, "hub.client_secret", "s3cr3t")
        put_setting(s, "station.credential_file", "C:/creds.json")
        put_setting(s, "backup.daily", "7")
        resident_count = s.execute(select(func.count()).select_from(Resident)).scalar_one()
        pending = s.execute(select(func.count()).select_from(ChangeJournal)
                            .where(ChangeJournal.pushed_at.is_(None))).scalar_one()
    assert pending > 0 and resident_count > 0

    out = diagnostics.export_diagnostics(ctx, tmp_path / "out" / "diag.zip")
    assert out == tmp_path / "out" / "diag.zip"
    assert not list(out.parent.glob("*.part"))
    files = _read_all(out)
    assert set(files) == {"README.txt", "versions.json", "settings.json", "database.json", "calendar.json",
                          "logs/shequ-desktop.log"}

    versions = json.loads(files["versions.json"])
    assert versions["program"] == "0.1.0"
    assert versions["packages"]["PySide6-Essentials"] == metadata.version("PySide6-Essentials")
    assert versions["packages"]["SQLAlchemy"] and versions["packages"]["reportlab"]
    assert versions["sqlite_library"].count(".") == 2

    settings = json.loads(files["settings.json"])
    assert settings["backup.daily"] == "7" and settings["station_id"] == ctx.station_id
    assert not [k for k in settings if any(w in k.lower() for w in ("password", "token", "secret", "credential"))]
    for value in ("hunter2-secret-value", "tok-123456", "s3cr3t", "creds.json"):
        assert all(value not in text for text in files.values())

    db = json.loads(files["database.json"])
    assert db["row_counts"]["resident"] == resident_count
    assert db["row_counts"]["change_journal"] >= pending
    assert db["journal_pending"] == pending
    assert db["integrity_check"] == "ok"
    assert db["schema_revision"] == db["schema_head"]
    assert db["file_size"] == ctx.db.path.stat().st_size

    cal = json.loads(files["calendar.json"])
    assert cal["last_covered_year"] >= 2025
    assert cal["today"] == "2026-11-25"

    with ctx.transaction() as s:
        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).scalar_one()
    assert (last.action, last.entity, last.detail) == ("export", "diagnostics", "diag.zip")


def test_no_personal_data_in_the_zip(demo_ctx, tmp_path: Path) -> None:  # noqa: ANN001
    ctx = demo_ctx
    people = _some_residents(ctx)
    assert len(people) >= 5
    # a careless log line (the safety net): ID numbers and phones are scrubbed from log copies
    leak = "; ".join(f"id={p['id_number']} tel={p['phone']} tel2=+86 {p['phone'][:3]}-{p['phone'][3:7]}-"
                     f"{p['phone'][7:]}" for p in people)
    (paths.log_dir() / "shequ-desktop.log.1").write_text(f"2026-11-24 WARNING x: {leak}\n", encoding="utf-8")
    out = diagnostics.export_diagnostics(ctx, tmp_path / "diag.zip")
    files = _read_all(out)
    assert "logs/shequ-desktop.log.1" in files
    blob = "\n".join(files.values())
    for p in people:
        for key in ("name", "address", "id_number", "phone"):
            assert p[key] not in blob, (key, p[key])
    assert files["logs/shequ-desktop.log.1"].count("[ID-NUMBER]") == len(people)
    assert files["logs/shequ-desktop.log.1"].count("[PHONE]") == 2 * len(people)


def test_scrub() -> None:
    s = diagnostics.scrub
    assert s("id 11010519491231002X ok") == "id [ID-NUMBER] ok"
    assert s("id=110105194912310021,") == "id=[ID-NUMBER],"
    assert s("old 110105491231002") == "old [ID-NUMBER]"
    assert s("call 13812345678 or 138-1234-5678 or +86 138 1234 5678") == "call [PHONE] or [PHONE] or [PHONE]"
    # not personal: counts, times, longer digit runs, version numbers
    for keep in ("rows=12345", "2026-11-25 10:00:00,123", "seq 1234567890123456789012", "6.12.0", "12345678901"):
        assert s(keep) == keep


def test_secret_keys() -> None:
    for key in ("hub.password", "SYNC_TOKEN", "client_secret", "station.credential", "hub.api_key"):
        assert diagnostics.is_secret_key(key)
    for key in ("station_id", "community_id", "backup.second_folder", "audit_head", "ui.language"):
        assert not diagnostics.is_secret_key(key)


def test_needs_the_backup_permission(ctx, tmp_path: Path) -> None:  # noqa: ANN001
    with pytest.raises(PermissionDenied):
        diagnostics.export_diagnostics(as_role(ctx, Role.CLERK), tmp_path / "d.zip")
    assert not (tmp_path / "d.zip").exists()
    diagnostics.export_diagnostics(as_role(ctx, Role.CHIEF), tmp_path / "d.zip")


def test_services_never_import_qt() -> None:
    code = ("import sys, shequ_desktop.services.diagnostics, shequ_desktop.services.auto_backup; "
            "sys.exit(1 if any(m.startswith('PySide6') for m in sys.modules) else 0)")
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
