"""shequ-admin audit verify: the local keyed chain, then (when connected) the hub's copy of it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from shequ_desktop.domain.errors import UserError
from shequ_desktop.i18n import N_, _, error_text, ngettext
from shequ_desktop.services import audit, audit_remote
from shequ_desktop.services import restore as restore_service
from shequ_desktop.services.context import AppContext, CurrentUser

REASONS = {"missing": N_("missing"), "link": N_("chain broken"), "changed": N_("content changed"),
           "emptied": N_("all entries removed"), "nokey": N_("this station's audit key is not on this PC")}


def reason_text(reason: str) -> str:
    return _(REASONS[reason]) if reason in REASONS else reason


def verify(ctx: AppContext) -> int:
    """The local chain (hash, link, station key, head), then the hub's copy when connected."""
    result = audit.verify(ctx)
    if result.ok:
        print(ngettext("Audit log intact: {n} entry checked.", "Audit log intact: {n} entries checked.",
                       result.checked).format(n=result.checked))
    else:
        print(ngettext("Audit log BROKEN at entry {seq} ({reason}); {n} entry before it is intact.",
                       "Audit log BROKEN at entry {seq} ({reason}); {n} entries before it are intact.",
                       result.checked).format(
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
    print(ngettext("Compared with the hub's copy: {n} entry held by both, {new} newer here not sent yet.",
                   "Compared with the hub's copy: {n} entries held by both, {new} newer here not sent yet.",
                   hub.compared).format(n=hub.compared, new=hub.not_on_hub))
    if hub.changed:
        print(_("Entries that differ from the hub's copy: {seqs}").format(seqs=_seqs(hub.changed)), file=sys.stderr)
    if hub.missing_here:
        print(_("Entries on the hub but missing here: {seqs}").format(seqs=_seqs(hub.missing_here)), file=sys.stderr)
    if hub.hub_problem:
        print(_("The hub refused this station's audit entries: {reason}").format(reason=hub.hub_problem),
              file=sys.stderr)
    return 0 if result.ok and hub.ok else 1


def _seqs(seqs: list[int]) -> str:
    return audit_remote.seq_ranges(seqs)


def restore(args: argparse.Namespace, target: Path, user: CurrentUser) -> int:
    """Replace the database with a backup; warn and ask for --yes when it is another community's or its
    audit log does not verify. The restore entry lets the hub accept the restored audit history."""
    the_plan = restore_service.plan(Path(args.file), target)
    warnings = [warning_text(w) for w in the_plan.warnings]
    for w in warnings:
        print(_("Warning: ") + w, file=sys.stderr)
    if warnings and not args.yes:
        raise UserError("Nothing was restored; add --yes to restore this backup anyway.")
    restored = restore_service.restore(the_plan, target, user, "；".join(warnings))
    restored.db.dispose()
    print(_("Restored {file} into {path}. The next sync fetches newer data from the hub.").format(
        file=args.file, path=target))
    return 0


def warning_text(w: restore_service.Warning_) -> str:
    return audit.detail_text(audit.describe(w.msgid, **w.params), _, ngettext)
