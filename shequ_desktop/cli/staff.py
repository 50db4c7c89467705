"""shequ-admin staff list (the community's staff directory as this station knows it),
staff edit (a login's name, role, grid, work phone: only the options given) and
staff unresolved (synced values that still hold an old local user id of another station)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from shequ_desktop.i18n import _, ngettext

ContextFactory = Callable[[argparse.Namespace], Any]


def cmd_staff(args: argparse.Namespace, make_ctx: ContextFactory) -> int:
    from shequ_desktop.domain.roles import ROLE_MSGIDS
    from shequ_desktop.services import staff
    ctx = make_ctx(args)
    if args.staff_cmd == "edit":
        return _edit(ctx, args)
    if args.staff_cmd == "unresolved":
        rows = staff.unresolved(ctx)
        for r in rows:
            print(f"{r.table}\t{r.column}\t{r.record_id}\t{r.value[1:]}")
        print(ngettext("{n} value names a user of another station by its old local id; it stays marked until that "
                       "station's upgrade sends the login.",
                       "{n} values name a user of another station by its old local id; they stay marked until that "
                       "station's upgrade sends the login.", len(rows)).format(n=len(rows)) if rows
              else _("Every synced record names its staff by login."))
        return 0
    for e in staff.directory(ctx, include_inactive=True):
        print("\t".join((e.login, e.display_name, _(ROLE_MSGIDS[e.role]), e.phone_masked or "-",
                         _("account in use") if e.active else _("account deactivated"),
                         _("this PC") if e.local else _("other station"))))
    return 0


def _edit(ctx: Any, args: argparse.Namespace) -> int:
    from shequ_desktop.domain.errors import UserError
    from shequ_desktop.domain.roles import ROLE_MSGIDS, Role
    from shequ_desktop.services import station, users
    row = next((r for r in users.users(ctx) if r.login == args.login), None)
    if row is None:
        raise UserError("No user with login {login}.", field="login", login=args.login)
    grid_id = row.grid_id
    if args.grid is not None:
        codes = {g.code: g.id for g in station.grids(ctx)} | {g.name: g.id for g in station.grids(ctx)}
        if args.grid not in ("", "-") and args.grid not in codes:
            raise UserError("No such grid.", field="grid")
        grid_id = None if args.grid in ("", "-") else codes[args.grid]
    after = users.edit(ctx, row.id, args.name if args.name is not None else row.display_name,
                       Role(args.role) if args.role else row.role, grid_id,
                       args.phone if args.phone is not None else row.phone)
    print(_("{login}: {name}, {role}.").format(login=after.login, name=after.display_name,
                                                 role=_(ROLE_MSGIDS[after.role])))
    return 0


def add_commands(sub: Any, make_ctx: ContextFactory) -> None:
    """Register ``staff`` on shequ-admin's sub-parsers."""
    st = sub.add_parser("staff", help=_("the community's staff directory (logins, names, roles of every station)"))
    ss = st.add_subparsers(dest="staff_cmd", required=True)
    ss.add_parser("list", help=_("every login of the community: name, role, masked phone, active, where it logs in"))
    se = ss.add_parser("edit", help=_("change a login's name, role, grid or work phone (only the options given)"))
    se.add_argument("login")
    se.add_argument("--name")
    se.add_argument("--role", choices=("clerk", "worker", "chief", "admin"))
    se.add_argument("--grid", help=_("grid code or name; '-' for none"))
    se.add_argument("--phone")
    ss.add_parser("unresolved", help=_("synced values that still hold another station's old local user id"))
    st.set_defaults(func=lambda a: cmd_staff(a, make_ctx))
