"""shequ-admin mediation: the dispute clocks from the command line.

``mediation due [--date YYYY-MM-DD]`` prints the cases whose clock ends by that date, one line per case:
``DUE<TAB>LEVEL<TAB>CASE_NO<TAB>STATE`` (DUE ``YYYY-MM-DD HH:MM`` Shanghai time, LEVEL grid / community /
subdistrict, STATE due / overdue), overdue first.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from shequ_desktop.i18n import _


def cmd_mediation(args: argparse.Namespace, make_ctx: Callable[[argparse.Namespace], Any],
                  parse_date: Callable[[str], Any]) -> int:
    from shequ_desktop.services.mediation import oversight
    day = parse_date(args.date) if args.date else None
    for line in oversight.due_by(make_ctx(args), day):
        print(line.line())
    return 0


def add_parser(sub: Any, make_ctx: Callable[[argparse.Namespace], Any], parse_date: Callable[[str], Any]) -> None:
    md = sub.add_parser("mediation", help=_("dispute mediation"))
    ms = md.add_subparsers(dest="mediation_cmd", required=True)
    due = ms.add_parser("due", help=_("cases whose clock ends by the date (default today), overdue first"))
    due.add_argument("--date", help=_("YYYY-MM-DD"))
    md.set_defaults(func=lambda a: cmd_mediation(a, make_ctx, parse_date))
