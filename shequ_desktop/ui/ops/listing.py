"""The backups an admin can restore from, as plain rows (no Qt: runs on the DB worker thread)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from shequ_desktop.services.auto_backup import DAILY_SUBFOLDER, list_backups

DAILY, MANUAL, BEFORE_UPGRADE, BEFORE_RESTORE = "daily", "manual", "before_upgrade", "before_restore"
BACKUP_KINDS = (DAILY, MANUAL, BEFORE_UPGRADE, BEFORE_RESTORE)
_STAMP_RE = re.compile(r"(\d{8})-(\d{6})\.db$")


@dataclass(frozen=True)
class BackupEntry:
    path: Path
    when: dt.datetime          # local wall-clock time from the file name (mtime when the name has none)
    kind: str                  # DAILY, MANUAL, BEFORE_UPGRADE or BEFORE_RESTORE
    size: int


def _stamp(path: Path) -> dt.datetime:
    m = _STAMP_RE.search(path.name)
    if m:
        try:
            return dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(path.stat().st_mtime)


def _entries(paths: list[Path], kind: str) -> list[BackupEntry]:
    rows = []
    for path in paths:
        try:
            rows.append(BackupEntry(path, _stamp(path), kind, path.stat().st_size))
        except OSError:        # deleted by rotation between listing and stat
            continue
    return rows


def find_backups(folder: Path, db_path: Path) -> list[BackupEntry]:
    """Daily and manual backups in ``folder``, pre-upgrade copies and pre-restore copies; newest first.

    Pre-upgrade copies are written by ``persistence.db.open_database`` into the store's backup folder
    (``backups`` for shequ.db, ``backups-<name>`` otherwise); pre-restore copies sit next to the store.
    """
    rows = _entries(sorted(list_backups(folder / DAILY_SUBFOLDER)), DAILY)
    rows += _entries(sorted(list_backups(folder)), MANUAL)
    upgrades: set[Path] = set()
    for upgrade_dir in {folder, db_path.parent / "backups"}:   # next to the store; older versions used backups/
        if upgrade_dir.is_dir():
            upgrades.update(upgrade_dir.glob(f"{db_path.stem}-before-*.db"))
    rows += _entries(sorted(upgrades), BEFORE_UPGRADE)
    rows += _entries(sorted(db_path.parent.glob(f"{db_path.stem}.before-restore-*.db")), BEFORE_RESTORE)
    return sorted(rows, key=lambda r: r.when, reverse=True)
