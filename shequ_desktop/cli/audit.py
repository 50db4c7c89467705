"""shequ-admin audit verify: the local keyed chain, then (when connected) the hub's copy of it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import N_, _, error_text
from shequ_desktop.services import audit, audit_remote, backup, restore_check
from shequ_desktop.services.context import AppContext

REASONS = {"missing": N_("missing"), "link": N_("chain broken"), "changed": N_("content changed"),
           "emptied": N_("all entries removed"), "nokey": N_("this station's audit key is not on this PC")}


def reason_text(reason: str) -> str:
    return _(REASONS[reason]) if reason in REASONS else reason


def verify(ctx: AppContext) -> int:
    """The local chain (hash, link, station key, head), then the hub's copy when connected."""
    result = audit.verify(ctx)
    if result.ok:
        print(_("Audit log intact: {n} entries checked.").format(n=result.checked))
    else:
        print(_("Audit log BROKEN at entry {seq} ({reason}); {n} entries before it are intact.").format(
            seq=result.first_broken_seq, reason=reason_text(result.reason), n=result.checked), file=sys.stderr)
    try:
        hub = audit_remote.compare_with_hub(ctx)
    except UserError as e:                  # offline: the local check stands, and says so
        print(_("Warning: ") + error_text(e), file=sys.stderr)
        print(_("The hub's copy could not be compared; checked with this station's key only."))
        return 0 if result.ok else 1
    if hub is None:
        print(_("Not connected to a hub: checked with this station's key only."))
        return 0 if result.ok else 1
    print(_("Compared with the hub's copy: {n} entries held by both, {new} newer here not sent yet.").format(
        n=hub.compared, new=hub.not_on_hub))
    if hub.changed:
        print(_("Entries that differ from the hub's copy: {seqs}").format(seqs=_seqs(hub.changed)), file=sys.stderr)
    if hub.missing_here:
        print(_("Entries on the hub but missing here: {seqs}").format(seqs=_seqs(hub.missing_here)), file=sys.stderr)
    if hub.hub_problem:
        print(_("The hub refused this station's audit entries: {reason}").format(reason=hub.hub_problem),
              file=sys.stderr)
    return 0 if result.ok and hub.ok else 1


def _seqs(seqs: list[int]) -> str:
    """1, 2, 3, 7 → '1–3, 7'."""
    parts: list[str] = []
    start = prev = seqs[0]
    for q in seqs[1:] + [None]:  # type: ignore[list-item]
        if q is not None and q == prev + 1:
            prev = q
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if q is not None:
            start = prev = q
    return ", ".join(parts)


def restore(args: argparse.Namespace, target: Path, make_ctx: Callable[[], AppContext]) -> int:
    """Replace the database with a backup; warn and ask for --yes when it is another community's or its
    audit log does not verify."""
    backup.check_backup_file(Path(args.file))
    check = restore_check.check_backup(Path(args.file), target)
    warnings = []
    if check.other_community:
        warnings.append(_("The backup belongs to another community ({theirs}; this workstation: {ours}).").format(
            theirs=check.community_id or "-", ours=check.current_community_id))
    if not check.audit.ok:
        warnings.append(_("The backup's audit log does not verify: entry {seq} ({reason}).").format(
            seq=check.audit.first_broken_seq, reason=reason_text(check.audit.reason)))
    for w in warnings:
        print(_("Warning: ") + w, file=sys.stderr)
    if warnings and not args.yes:
        raise UserError("Nothing was restored; add --yes to restore this backup anyway.")
    backup.restore_file(target, Path(args.file))
    ctx = make_ctx()
    audit.record(ctx, audit.AuditAction.RESTORE, "database", "",
                 audit.describe(audit.MSG_RESTORED, file=Path(args.file).name) if not warnings else
                 audit.describe(audit.MSG_RESTORED_DESPITE, file=Path(args.file).name, warnings="；".join(warnings)))
    print(_("Restored {file} into {path}. The next sync fetches newer data from the hub.").format(
        file=args.file, path=target))
    return 0
