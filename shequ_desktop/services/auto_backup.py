"""Automatic verified backups: one per day on the first start, rotated; optional second target.

Layout (default ``paths.data_dir()/"backups"``)::

    backups/
      shequ-before-<rev>-<stamp>.db      taken by persistence.db.open_database before a migration
                                         (never rotated here: the name does not match the pattern)
      daily/shequ-YYYYMMDD-HHMMSS.db     taken by daily_backup_if_due, rotated by RotationPolicy

The second folder (a USB drive or a network share) gets the same ``daily/`` sub-folder. It may be
missing or unwritable: that is reported in the result, never raised, so the program always starts.
Rotation deletes only files whose names match ``shequ-YYYYMMDD-HHMMSS.db`` — nothing else in these
folders is ever touched.

Keep rules (like restic's ``--keep-daily/weekly/monthly``): the newest backup of each of the last
``daily`` days that have a backup, of each of the last ``weekly`` ISO weeks that have one, and of each
of the last ``monthly`` calendar months that have one. A backup may count for several rules. Counting
periods that *have* backups (rather than calendar periods back from today) means a PC that was off for
a month still keeps its older history.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import OperationalError

from shequ_desktop import paths
from shequ_desktop.domain.clock import local_today, to_local
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.db import backup_sqlite, default_backup_dir
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext, get_setting, put_setting

KEY_SECOND_FOLDER = "backup.second_folder"
KEY_DAILY = "backup.daily"
KEY_WEEKLY = "backup.weekly"
KEY_MONTHLY = "backup.monthly"

DAILY_SUBFOLDER = "daily"
NAME_RE = re.compile(r"^shequ-(\d{8})-(\d{6})\.db$")


@dataclass(frozen=True)
class RotationPolicy:
    daily: int = 7
    weekly: int = 4
    monthly: int = 12

    def normalized(self) -> RotationPolicy:
        """At least today's backup is always kept; negative counts mean 0."""
        return RotationPolicy(max(1, self.daily), max(0, self.weekly), max(0, self.monthly))


@dataclass(frozen=True)
class AutoBackupSettings:
    folder: Path
    second_folder: Path | None
    policy: RotationPolicy


@dataclass
class AutoBackupResult:
    taken: Path | None = None              # the new backup; None when today's already existed
    existing: Path | None = None           # today's earlier backup (when nothing was taken)
    second_copy: Path | None = None        # the copy in the second folder
    second_error: str | None = None        # why the second folder was not written (missing, unwritable …)
    deleted: list[Path] = field(default_factory=list)
    kept: int = 0                          # backups left in the primary daily folder

    @property
    def ok(self) -> bool:
        return self.second_error is None


# --- the pure rotation decision -------------------------------------------------------------

def _newest_per_period(dates: list[dt.datetime], key: Callable[[dt.datetime], Hashable],
                       count: int) -> set[dt.datetime]:
    """The newest date in each of the ``count`` most recent periods that contain a date."""
    keep: set[dt.datetime] = set()
    seen: set[Hashable] = set()
    for d in sorted(dates, reverse=True):
        period = key(d)
        if period in seen:
            continue
        if len(seen) >= count:
            break
        seen.add(period)
        keep.add(d)
    return keep


def select_to_keep(dates: Iterable[dt.datetime], policy: RotationPolicy) -> set[dt.datetime]:
    """Which backup times survive rotation (pure; local wall-clock times, all aware or all naive)."""
    dates = list(dates)
    policy = policy.normalized()
    return (_newest_per_period(dates, lambda d: d.date(), policy.daily)
            | _newest_per_period(dates, lambda d: d.isocalendar()[:2], policy.weekly)
            | _newest_per_period(dates, lambda d: (d.year, d.month), policy.monthly))


def parse_backup_name(name: str) -> dt.datetime | None:
    """The local time in ``shequ-YYYYMMDD-HHMMSS.db``; None for any other file name."""
    m = NAME_RE.match(name)
    if not m:
        return None
    try:
        return dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
    except ValueError:
        return None


def backup_name(local_time: dt.datetime) -> str:
    return f"shequ-{local_time:%Y%m%d-%H%M%S}.db"


def list_backups(folder: Path) -> dict[Path, dt.datetime]:
    """Files in ``folder`` named like an automatic backup (nothing else), with their times."""
    found: dict[Path, dt.datetime] = {}
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        when = parse_backup_name(entry.name)
        if when is not None and entry.is_file():
            found[entry] = when
    return found


def rotate(folder: Path, policy: RotationPolicy) -> tuple[list[Path], int]:
    """Delete the automatic backups that ``policy`` does not keep; (deleted, kept count)."""
    backups = list_backups(folder)
    keep = select_to_keep(backups.values(), policy)
    deleted: list[Path] = []
    for path, when in sorted(backups.items(), key=lambda kv: kv[1]):
        if when not in keep:
            path.unlink(missing_ok=True)
            deleted.append(path)
    return deleted, len(backups) - len(deleted)


# --- settings -------------------------------------------------------------------------------

def default_folder(db_path: Path | None = None) -> Path:
    """Backups sit next to the store; a second store in the same folder (demo.db) gets its own folder."""
    if db_path is None:
        return paths.data_dir() / "backups"
    return default_backup_dir(db_path)


def _int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def load_settings(ctx: AppContext) -> AutoBackupSettings:
    d = RotationPolicy()
    with ctx.transaction() as s:
        second = get_setting(s, KEY_SECOND_FOLDER).strip()
        policy = RotationPolicy(_int(get_setting(s, KEY_DAILY), d.daily), _int(get_setting(s, KEY_WEEKLY), d.weekly),
                                _int(get_setting(s, KEY_MONTHLY), d.monthly))
    return AutoBackupSettings(default_folder(ctx.db.path), Path(second) if second else None, policy.normalized())


def save_settings(ctx: AppContext, second_folder: Path | None, policy: RotationPolicy) -> None:
    """Store the second folder ('' = none) and the rotation counts; audited."""
    ctx.require(Permission.BACKUP)
    policy = policy.normalized()
    with ctx.transaction() as s:
        put_setting(s, KEY_SECOND_FOLDER, str(second_folder) if second_folder else "")
        put_setting(s, KEY_DAILY, str(policy.daily))
        put_setting(s, KEY_WEEKLY, str(policy.weekly))
        put_setting(s, KEY_MONTHLY, str(policy.monthly))
        audit.append(s, ctx, audit.AuditAction.ADMIN, "setting", "backup",
                     audit.describe(audit.MSG_BACKUP_SETTINGS, folder=second_folder or "-", daily=policy.daily,
                                    weekly=policy.weekly, monthly=policy.monthly))


# --- taking the backups ---------------------------------------------------------------------

def _copy_verified(src: Path, dest: Path) -> Path:
    """Plain file copy (works on SMB shares without SQLite locking), fsync, integrity check, rename."""
    tmp = dest.with_name(dest.name + ".part")
    try:
        with open(src, "rb") as fin, open(tmp, "wb") as fout:
            shutil.copyfileobj(fin, fout, 1024 * 1024)
            fout.flush()
            os.fsync(fout.fileno())
        uri = tmp.resolve().as_uri() + "?mode=ro&immutable=1"
        conn = sqlite3.connect(uri, uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
        if result != "ok":
            raise UserError("The backup failed its integrity check: {detail}", detail=str(result)[:80])
        tmp.replace(dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def copy_to_second(source: Path, second_folder: Path | None, policy: RotationPolicy | None = None,
                   subfolder: str = DAILY_SUBFOLDER) -> tuple[Path | None, str | None]:
    """Copy ``source`` into ``second_folder/subfolder`` (rotated there with ``policy``); never raises.

    Returns (the copy, None) or (None, why not). The second folder itself must exist — an unplugged
    USB drive is not re-created on whatever drive letter happens to be there.
    """
    if second_folder is None:
        return None, None
    try:
        if not second_folder.is_dir():
            return None, f"second folder not available: {second_folder}"
        target_dir = second_folder / subfolder if subfolder else second_folder
        target_dir.mkdir(exist_ok=True)
        copy = _copy_verified(source, target_dir / source.name)
        if policy is not None:
            rotate(target_dir, policy)
        return copy, None
    except UserError as e:
        return None, f"second folder {second_folder}: {e.english()}"
    except (OSError, sqlite3.Error) as e:
        reason = getattr(e, "strerror", None) or str(e)
        return None, f"second folder {second_folder}: {reason}"


def todays_backup(folder: Path, today: dt.date) -> Path | None:
    for path, when in sorted(list_backups(folder / DAILY_SUBFOLDER).items(), key=lambda kv: kv[1]):
        if when.date() == today:
            return path
    return None


def daily_backup_if_due(ctx: AppContext, folder: Path, second_folder: Path | None = None,
                        policy: RotationPolicy | None = None) -> AutoBackupResult:
    """Take today's backup into ``folder/daily`` unless one exists already (Asia/Shanghai date).

    A failure of the primary backup raises ``UserError`` (the caller shows a warning and goes on);
    a missing or unwritable second folder is only reported in the result.
    """
    policy = (policy or RotationPolicy()).normalized()
    folder = Path(folder)
    result = AutoBackupResult()
    existing = todays_backup(folder, local_today(ctx.clock))
    daily_dir = folder / DAILY_SUBFOLDER
    if existing is not None:
        result.existing = existing
        result.kept = len(list_backups(daily_dir))
        return result
    target = daily_dir / backup_name(to_local(ctx.clock.now()))
    try:
        backup_sqlite(ctx.db.path, target)
    except OSError as e:
        raise UserError("Cannot write the backup to {folder}: {reason}", field="folder", folder=str(daily_dir),
                        reason=e.strerror or str(e))
    result.taken = target
    result.second_copy, result.second_error = copy_to_second(target, second_folder, policy)
    result.deleted, result.kept = rotate(daily_dir, policy)
    extra = ""
    if result.second_copy is not None:
        extra = audit.describe(audit.MSG_BACKUP_COPIED, folder=str(result.second_copy.parent))
    elif result.second_error:
        extra = audit.describe(audit.MSG_BACKUP_NOT_COPIED, reason=result.second_error[:300])
    _record_with_retry(ctx, audit.describe(audit.MSG_DAILY_BACKUP, file=target.name, kept=result.kept,
                                           deleted=len(result.deleted), extra_msg=extra))
    return result


def _record_with_retry(ctx: AppContext, detail: str, attempts: int = 3) -> None:
    """The audit line. In WAL mode a deferred transaction that read before another connection committed
    cannot upgrade to a write (SQLITE_BUSY at once, busy_timeout does not help); a fresh transaction can."""
    for attempt in range(attempts):
        try:
            audit.record(ctx, audit.AuditAction.BACKUP, "database", "", detail)
            return
        except OperationalError as e:
            if "locked" not in str(e) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def startup_backups(ctx: AppContext) -> AutoBackupResult:
    """What the program calls once after opening the store (in the DB worker thread).

    Copies a just-taken pre-migration backup (``ctx.db.backup_path``) to the second folder too, then
    takes the daily backup if due — all with the settings from the setting table.
    """
    settings = load_settings(ctx)
    pre_error: str | None = None
    if ctx.db.backup_path is not None and settings.second_folder is not None:
        _copy, pre_error = copy_to_second(ctx.db.backup_path, settings.second_folder, subfolder="")
    result = daily_backup_if_due(ctx, settings.folder, settings.second_folder, settings.policy)
    if result.second_error is None and pre_error is not None:
        result.second_error = pre_error
    return result
