"""Backups: SQLite online backup with an integrity check; restore refuses a damaged file."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.db import backup_sqlite, known_revisions
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    size: int
    schema: str | None


def backup_to(ctx: AppContext, folder: Path) -> BackupInfo:
    """Copy the live store into ``folder`` while the program may keep writing."""
    ctx.require(Permission.BACKUP)
    stamp = to_local(ctx.clock.now()).strftime("%Y%m%d-%H%M%S")
    target = Path(folder) / f"shequ-{stamp}.db"
    if target.exists():
        target = target.with_name(f"shequ-{stamp}-{dt.datetime.now().microsecond}.db")
    try:
        backup_sqlite(ctx.db.path, target)
    except OSError as e:
        raise UserError("Cannot write the backup to {folder}: {reason}", field="folder", folder=str(folder),
                        reason=e.strerror or str(e))
    audit.record(ctx, audit.AuditAction.BACKUP, "database", "", str(target))
    return BackupInfo(target, target.stat().st_size, check_backup_file(target))


def check_backup_file(path: Path) -> str | None:
    """The schema revision of a backup file; UserError when it is not a healthy shequ database."""
    path = Path(path)
    if not path.is_file():
        raise UserError("The file {path} does not exist.", field="file", path=str(path))
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                raise UserError("The backup {path} is damaged ({detail}); it was not restored.",
                                field="file", path=path.name, detail=str(result)[:80])
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as e:
        raise UserError("The file {path} is not a usable database ({detail}); it was not restored.",
                        field="file", path=path.name, detail=str(e))
    revision = row[0] if row else None
    if revision not in known_revisions():
        raise UserError("The backup {path} comes from a newer program version; it was not restored.",
                        field="file", path=path.name)
    return revision


def restore_file(db_path: Path, backup: Path) -> Path:
    """Replace the store at ``db_path`` with ``backup`` (the program must not have it open).

    The current store is kept next to it as ``*.before-restore-*.db``; the sync cursor is
    cleared so the hub's newer data comes back and nothing stale is pushed over it.
    """
    check_backup_file(backup)
    db_path = Path(db_path)
    if db_path.exists():
        keep = db_path.with_name(f"{db_path.stem}.before-restore-{dt.datetime.now():%Y%m%d-%H%M%S}.db")
        backup_sqlite(db_path, keep)
    tmp = db_path.with_suffix(".restoring")
    shutil.copyfile(backup, tmp)
    for suffix in ("-wal", "-shm"):
        Path(str(db_path) + suffix).unlink(missing_ok=True)
    tmp.replace(db_path)
    conn = sqlite3.connect(str(db_path))
    try:
        # Forget where the pull stood (and the last status), keep the hub address and station identity:
        # the next sync then pulls everything again, so the hub's newer data comes back.
        conn.execute("DELETE FROM setting WHERE key IN ('sync.cursor', 'sync.last_success_at', 'sync.last_error', "
                     "'sync.problem', 'sync.last_attempt_at', 'sync.online')")
        conn.commit()
    finally:
        conn.close()
    return db_path
