"""Before a restore: does the backup belong to this community, and does its audit chain verify?
Read from the backup file itself (read-only), before anything is replaced."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from shequ_desktop.services import audit, audit_key
from shequ_desktop.services.audit import VerifyResult

_COLUMNS = ("seq", "at", "station_id", "user_login", "action", "entity", "entity_id", "detail", "prev_hash", "hash")


@dataclass(frozen=True)
class BackupCheck:
    community_id: str
    current_community_id: str
    audit: VerifyResult

    @property
    def other_community(self) -> bool:
        return bool(self.current_community_id and self.community_id != self.current_community_id)


def _settings(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(conn.execute("SELECT key, value FROM setting"))
    except sqlite3.DatabaseError:
        return {}
    finally:
        conn.close()


def _at(text: str) -> str:
    """The stored UTC time in the chain's form (2026-11-25T02:00:00.000000)."""
    value = str(text).replace(" ", "T").split("+")[0]
    return value if "." in value else value + ".000000"


def check_backup(backup: Path, current_db: Path) -> BackupCheck:
    backup = Path(backup)
    settings = _settings(backup)
    conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        columns = {r[1] for r in conn.execute("PRAGMA table_info(audit_log)")}
        mac = "mac" if "mac" in columns else "''"
        rows = conn.execute(f"SELECT {', '.join(_COLUMNS)}, {mac} FROM audit_log ORDER BY seq").fetchall()
    finally:
        conn.close()
    entries = [SimpleNamespace(**dict(zip(_COLUMNS, r[:-1])), mac=r[-1]) for r in rows]
    for e in entries:
        e.at = _at(e.at)
    station = settings.get("station_id", "")
    key = audit_key.load_key(station) if station else None
    result = audit.check_chain(entries, settings.get("audit_head", ""), key)
    return BackupCheck(settings.get("community_id", ""), _settings(Path(current_db)).get("community_id", ""),
                       result)
