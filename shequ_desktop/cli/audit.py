"""shequ-admin audit verify: the local keyed chain, then (when connected) the hub's copy of it."""

from __future__ import annotations

import sys

from shequ_desktop.i18n import N_, _
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext

REASONS = {"missing": N_("missing"), "link": N_("chain broken"), "changed": N_("content changed"),
           "emptied": N_("all entries removed"), "nokey": N_("this station's audit key is not on this PC")}


def reason_text(reason: str) -> str:
    return _(REASONS[reason]) if reason in REASONS else reason


def verify(ctx: AppContext) -> int:
    result = audit.verify(ctx)
    if result.ok:
        print(_("Audit log intact: {n} entries checked.").format(n=result.checked))
        return 0
    print(_("Audit log BROKEN at entry {seq} ({reason}); {n} entries before it are intact.").format(
        seq=result.first_broken_seq, reason=reason_text(result.reason), n=result.checked), file=sys.stderr)
    return 1
