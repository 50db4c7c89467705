"""`shequ-admin care due --worker LOGIN [--date YYYY-MM-DD]`: a social worker's open tasks for scripts.

One line per task: ``YYYY-MM-DD<TAB>KIND<TAB>NAME<TAB>STATE`` — the due date, one of call / visit / assessment /
support / review, the name masked as in lists, ``due`` or ``overdue N`` (N days late); late tasks first.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from shequ_desktop.i18n import _


def register(sub: Any, ctx_factory: Callable[[argparse.Namespace], Any], parse_date: Callable[[str], Any]) -> None:
    care = sub.add_parser("care", help=_("special-group care: the tasks of a social worker"))
    cs = care.add_subparsers(dest="care_cmd", required=True)
    due = cs.add_parser("due", help=_("open tasks of a worker: DATE, KIND, NAME, STATE (late first)"))
    due.add_argument("--worker", required=True, help=_("the worker's login"))
    due.add_argument("--date", default=None, help="YYYY-MM-DD")

    def run(args: argparse.Namespace) -> int:
        from shequ_desktop.services.special_groups import schedule
        day = parse_date(args.date) if args.date else None
        for line in schedule.due_lines(ctx_factory(args), args.worker, day):
            print(line)
        return 0

    care.set_defaults(func=run)
