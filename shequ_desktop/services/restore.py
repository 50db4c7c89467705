"""Restoring a backup, for the command line and the window alike: the checks first (another
community? does its audit log verify?), then the file put in place, then the restore entry that opens
the restored audit history.

The restore entry names the backup's newest audit entry, which it continues (``branch_seq``), and the
entries of the log before the restore that it supersedes. The hub accepts such a history (it holds the
entry the restore continues), keeps the superseded entries and flags the restore for its operator —
instead of refusing every later audit push of the station as a rewritten history.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from shequ_desktop.domain.clock import to_local
from shequ_desktop.persistence.db import open_database
from shequ_desktop.services import audit, backup
from shequ_desktop.services.context import AppContext, CurrentUser
from shequ_desktop.services.restore_check import BackupCheck, check_backup
from shequ_desktop.services.station import ensure_station

WARN_OTHER_COMMUNITY = "The backup belongs to another community ({theirs}; this workstation: {ours})."
WARN_AUDIT_BROKEN = "The backup's audit log does not verify: entry {seq} ({reason_msg})."
# Why a chain does not verify (services.audit.check_chain's reasons), for a reader.
REASON_MESSAGES = {"missing": "missing", "link": "chain broken", "changed": "content changed",
                   "emptied": "all entries removed", "nokey": "this station's audit key is not on this PC"}


@dataclass(frozen=True)
class Warning_:
    msgid: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class RestorePlan:
    backup: Path
    check: BackupCheck
    backup_at: str              # when the backup was made (local time of the file)
    current_head: int           # the newest audit entry of the store about to be replaced (0: none)

    @property
    def warnings(self) -> list[Warning_]:
        found = []
        if self.check.other_community:
            found.append(Warning_(WARN_OTHER_COMMUNITY, {"theirs": self.check.community_id or "-",
                                                         "ours": self.check.current_community_id}))
        if not self.check.audit.ok:
            found.append(Warning_(WARN_AUDIT_BROKEN, {"seq": self.check.audit.first_broken_seq,
                                                      "reason_msg": REASON_MESSAGES.get(self.check.audit.reason,
                                                                                        self.check.audit.reason)}))
        return found


def _audit_head(path: Path) -> int:
    if not path.is_file():
        return 0
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return int(conn.execute("SELECT coalesce(max(seq), 0) FROM audit_log").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return 0


def plan(backup_file: Path, current_db: Path) -> RestorePlan:
    """Check a backup before anything is replaced (UserError for a damaged or newer file)."""
    backup_file, current_db = Path(backup_file), Path(current_db)
    backup.check_backup_file(backup_file)
    made = dt.datetime.fromtimestamp(backup_file.stat().st_mtime, dt.timezone.utc)
    return RestorePlan(backup_file, check_backup(backup_file, current_db),
                       to_local(made).strftime("%Y-%m-%d %H:%M"), _audit_head(current_db))


def restore(the_plan: RestorePlan, db_path: Path, user: CurrentUser, warnings_text: str = "") -> AppContext:
    """Put the backup in place (the program must not have the store open) and record the restore
    entry as ``user``; returns a context on the restored store. ``warnings_text``: the warnings the
    person restoring accepted, in their words (empty when there were none)."""
    backup.restore_file(Path(db_path), the_plan.backup)
    ctx = ensure_station(AppContext(db=open_database(Path(db_path)), user=user))
    audit.record_restore(ctx, the_plan.backup.name, the_plan.backup_at, the_plan.current_head, warnings_text)
    return ctx
