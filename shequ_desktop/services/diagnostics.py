"""A diagnostics zip for the IT admin: logs, versions, settings, database statistics — no personal data.

What goes in (all text, UTF-8):

- ``README.txt``      what this file is, when and where it was made
- ``versions.json``   program, Python, Qt (PySide6-Essentials *distribution metadata* — this layer never
                      imports Qt), SQLAlchemy, Alembic, ReportLab, the SQLite library, the OS
- ``settings.json``   the setting table without anything secret (keys with password/token/secret/…)
- ``database.json``   file sizes, schema revision, row counts per table, pending journal rows,
                      ``PRAGMA integrity_check``
- ``calendar.json``   working-day calendar coverage (last covered year, imported years, warning)
- ``logs/*``          copies of ``paths.log_dir()`` files with ID-number-like and phone-like strings
                      replaced (the logs should not contain them; this is the safety net)

Never included: any table's rows (names, ID numbers, phones, addresses), the audit log, the database.
"""

from __future__ import annotations

import json
import platform
import re
import sqlite3
import sys
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from shequ_desktop import __version__, paths
from shequ_desktop.domain.clock import local_today, to_local
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.db import current_revision, head_revision
from shequ_desktop.persistence.models import CalendarYear, Setting
from shequ_desktop.services import audit
from shequ_desktop.services.calendar import working_calendar
from shequ_desktop.services.context import AppContext

SECRET_WORDS = ("password", "passwd", "token", "secret", "credential", "private_key", "api_key")
DISTRIBUTIONS = ("shequ-desktop", "PySide6-Essentials", "PySide6-Addons", "shiboken6", "SQLAlchemy",
                 "alembic", "reportlab", "chinese-calendar", "tzdata", "platformdirs", "httpx", "keyring", "openpyxl",
                 "argon2-cffi", "qrcode", "pillow")

# 18-digit resident ID numbers (last char may be X), old 15-digit ones, and mainland mobile numbers;
# digit look-arounds so longer digit runs are left alone (a hex hash may lose a few digits: harmless).
_ID18_RE = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_ID15_RE = re.compile(r"(?<!\d)\d{15}(?!\d)")
_PHONE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_MAX_LOG_BYTES = 20_000_000


def is_secret_key(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in SECRET_WORDS)


def scrub(text_: str) -> str:
    """Replace ID-number-like and phone-like strings."""
    text_ = _ID18_RE.sub("[ID-NUMBER]", text_)
    text_ = _ID15_RE.sub("[ID-NUMBER]", text_)
    return _PHONE_RE.sub("[PHONE]", text_)


def _dist_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def versions() -> dict[str, Any]:
    return {
        "program": __version__,
        "python": sys.version,
        "python_implementation": platform.python_implementation(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "sqlite_library": sqlite3.sqlite_version,
        "schema_head": head_revision(),
        "packages": {name: _dist_version(name) for name in DISTRIBUTIONS},
    }


def visible_settings(ctx: AppContext) -> dict[str, str]:
    with ctx.transaction() as s:
        rows = s.execute(select(Setting.key, Setting.value).order_by(Setting.key)).all()
    return {key: value for key, value in rows if not is_secret_key(key)}


def database_stats(ctx: AppContext) -> dict[str, Any]:
    path = Path(ctx.db.path)

    def size(p: Path) -> int | None:
        return p.stat().st_size if p.exists() else None

    counts: dict[str, int] = {}
    with ctx.db.engine.connect() as conn:
        tables = [r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        for table in tables:
            try:
                counts[table] = int(conn.exec_driver_sql(f'SELECT COUNT(*) FROM "{table}"').scalar_one())
            except Exception as e:  # noqa: BLE001  (a damaged table is exactly what we want to report)
                counts[table] = -1
                counts[f"{table} (error)"] = str(e)[:200]  # type: ignore[assignment]
        pending = None
        if "change_journal" in tables:
            pending = int(conn.execute(text(
                "SELECT COUNT(*) FROM change_journal WHERE pushed_at IS NULL")).scalar_one())
        integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
        page_size = conn.exec_driver_sql("PRAGMA page_size").scalar()
        page_count = conn.exec_driver_sql("PRAGMA page_count").scalar()
        freelist = conn.exec_driver_sql("PRAGMA freelist_count").scalar()
        journal_mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    return {
        "file": path.name,
        "file_size": size(path),
        "wal_size": size(Path(str(path) + "-wal")),
        "page_size": page_size, "page_count": page_count, "freelist_count": freelist,
        "journal_mode": journal_mode,
        "schema_revision": current_revision(ctx.db.engine),
        "schema_head": head_revision(),
        "row_counts": counts,
        "journal_pending": pending,
        "integrity_check": integrity[0] if integrity == ["ok"] else integrity[:50],
    }


def calendar_coverage(ctx: AppContext) -> dict[str, Any]:
    cal = working_calendar(ctx)
    with ctx.transaction() as s:
        imported = sorted(s.execute(select(CalendarYear.year)).scalars())
    warning = cal.coverage_warning(local_today(ctx.clock))
    return {"last_covered_year": cal.last_covered_year(), "imported_years": imported,
            "needs_year": warning, "today": local_today(ctx.clock).isoformat()}


def _log_files() -> list[Path]:
    folder = paths.log_dir()
    return sorted(p for p in folder.iterdir() if p.is_file())


def export_diagnostics(ctx: AppContext, target_zip: Path) -> Path:
    """Write the diagnostics zip (atomically) and audit the export; returns its path."""
    ctx.require(Permission.BACKUP)
    target_zip = Path(target_zip)
    target_zip.parent.mkdir(parents=True, exist_ok=True)
    made = to_local(ctx.clock.now())
    sections: dict[str, Any] = {"versions.json": versions()}
    for name, fn in (("settings.json", visible_settings), ("database.json", database_stats),
                     ("calendar.json", calendar_coverage)):
        try:
            sections[name] = fn(ctx)
        except Exception as e:  # noqa: BLE001  (a diagnostics export must not fail on a broken part)
            sections[name] = {"error": f"{type(e).__name__}: {str(e)[:300]}"}
    logs = _log_files()
    readme = "\n".join([
        "shequ_desktop diagnostics / 社区工作站桌面端 诊断信息",
        f"made: {made:%Y-%m-%d %H:%M:%S} (Asia/Shanghai)",
        f"station: {ctx.station_id}",
        f"by: {ctx.user.login}",
        f"program: {__version__}",
        "",
        "Contains versions, settings (secrets removed), database statistics, calendar coverage and the",
        "program logs with ID-number-like and phone-like strings replaced. It contains no resident data.",
        "本文件不含居民个人信息（姓名、身份证号、电话、地址）。",
        "",
        "logs: " + (", ".join(p.name for p in logs) or "(none)"),
        "",
    ])
    tmp = target_zip.with_name(target_zip.name + ".part")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("README.txt", readme)
            for name, data in sections.items():
                zf.writestr(name, json.dumps(data, ensure_ascii=False, indent=2, default=str))
            for log in logs:
                with open(log, "rb") as fh:
                    raw = fh.read(_MAX_LOG_BYTES)
                zf.writestr(f"logs/{log.name}", scrub(raw.decode("utf-8", errors="replace")))
        tmp.replace(target_zip)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    audit.record(ctx, audit.AuditAction.EXPORT, "diagnostics", "", target_zip.name)
    return target_zip


__all__ = ["export_diagnostics", "scrub", "is_secret_key", "versions", "database_stats", "calendar_coverage",
           "visible_settings"]
