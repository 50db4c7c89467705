"""shequ-admin emergency: the vulnerable residents of a building and the paper kit for an outage.

``emergency vulnerable --building NAME`` prints one line per person: ``UNIT<TAB>NAME<TAB>FLAGS<TAB>CONTACT``
(NAME masked, FLAGS comma-separated like 独居,失能, CONTACT the responsible person's name and full phone number);
the export is in the audit log. ``emergency kit --out FILE.pdf`` writes the plan cards, the phone tree and the
vulnerable list of every building in one PDF (audited; the status bar's reminder counts from it).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shequ_desktop.i18n import _, ngettext


def cmd_emergency(args: argparse.Namespace, make_ctx: Callable[[argparse.Namespace], Any]) -> int:
    from shequ_desktop.domain.errors import UserError
    ctx = make_ctx(args)
    if args.emergency_cmd == "vulnerable":
        from shequ_desktop.services.emergency import vulnerable
        for line in vulnerable.export_lines(ctx, args.building):
            print(line)
        return 0
    from shequ_desktop.services.emergency import kit
    if not args.out:
        raise UserError("Please give --out FILE.pdf.")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    made = kit.build_kit(ctx)
    out.write_bytes(made.pdf)
    print(_("Emergency kit written: {path} ({plans}, phone tree of {members}, {people} in {buildings})").format(
        path=out, members=made.members,
        plans=ngettext("{n} plan card", "{n} plan cards", made.plans).format(n=made.plans),
        people=ngettext("{n} vulnerable resident", "{n} vulnerable residents", made.people).format(n=made.people),
        buildings=ngettext("{n} building", "{n} buildings", made.buildings).format(n=made.buildings)))
    return 0


def add_parser(sub: Any, make_ctx: Callable[[argparse.Namespace], Any]) -> None:
    em = sub.add_parser("emergency", help=_("emergency management"))
    es = em.add_subparsers(dest="emergency_cmd", required=True)
    vu = es.add_parser("vulnerable", help=_("the vulnerable residents of a building, one line per person"))
    vu.add_argument("--building", required=True, help=_("the building's name as in the registry"))
    kt = es.add_parser("kit", help=_("print the emergency kit (plan cards, phone tree, vulnerable lists) as one PDF"))
    kt.add_argument("--out", required=True)
    em.set_defaults(func=lambda a: cmd_emergency(a, make_ctx))
