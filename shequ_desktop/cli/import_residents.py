"""shequ-admin import-residents: the dry run lists every change (one line per field) before anything is written."""

from __future__ import annotations

import argparse
from pathlib import Path

from shequ_desktop.i18n import _, error_text, ngettext
from shequ_desktop.services import resident_io
from shequ_desktop.services.context import AppContext


def run(ctx: AppContext, args: argparse.Namespace) -> int:
    plan = resident_io.plan_import(ctx, Path(args.file))
    print(_("{file}: {add} to add, {update} to update, {same} unchanged, {reject} rejected").format(
        file=plan.source, add=len(plan.to_add), update=len(plan.to_update), same=plan.unchanged,
        reject=len(plan.rejected)))
    for row in plan.rejected:
        reasons = "；".join(error_text(e) for e in row.errors)
        print(_("  line {line} ({name}): {reasons}").format(line=row.line, name=row.name or "-", reasons=reasons))
    for u in plan.to_update:
        for c in u.changes:
            print(_("  line {line} {name} ({id}): {field}: {before} → {after}").format(
                line=u.line, name=u.name, id=u.id_masked, field=_(resident_io.FIELD_LABELS[c.field]),
                before=c.before or _("(empty)"), after=c.after))
    renames = plan.name_changes
    if renames:
        print(ngettext("{n} row gives a different name for a registered ID number; this may be a typo in the number. "
                       "It is refused unless you pass --accept-name-changes:",
                       "{n} rows give a different name for a registered ID number; this may be a typo in the number. "
                       "They are refused unless you pass --accept-name-changes:", len(renames)).format(n=len(renames)))
        for u in renames:
            new_name = next(c.after for c in u.changes if c.field == "name")
            print(_("  line {line} ({id}): registered as {old}, the file says {new}").format(
                line=u.line, id=u.id_masked, old=u.name, new=new_name))
    if args.dry_run:
        return 0
    result = resident_io.run_import(ctx, plan, skip_rejected=args.skip_rejected,
                                    accept_name_changes=args.accept_name_changes)
    print(_("Imported: {added} added, {updated} updated.").format(added=result.added, updated=result.updated))
    if result.renames_skipped:
        print(ngettext("Skipped {n} row with a changed name.", "Skipped {n} rows with a changed name.",
                       result.renames_skipped).format(n=result.renames_skipped))
    return 0
