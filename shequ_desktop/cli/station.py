"""shequ-admin station set/show (the station's own name, address, phones, hours on every paper),
verify CODE (文书核验) and void CODE --reason R (作废)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from shequ_desktop.i18n import _

ContextFactory = Callable[[argparse.Namespace], Any]


def _station_lines(info: Any) -> list[str]:
    return [
        _("Community: {v}").format(v=info.community_name),
        _("Station name: {v}").format(v=info.station_name),
        _("Address: {v}").format(v=info.address or "-"),
        _("Phone: {v}").format(v=info.phone or "-"),
        _("Office hours: {v}").format(v=info.hours),
        _("Supervision hotline: {v}").format(v=info.hotline),
        _("Name on the seal line: {v}").format(v=info.seal_name),
    ]


def cmd_station(args: argparse.Namespace, make_ctx: ContextFactory) -> int:
    from shequ_desktop.services import station
    ctx = make_ctx(args)
    if args.station_cmd == "set":
        info = station.set_station(ctx, community_name=args.community, station_name=args.name,
                                   address=args.address, phone=args.phone, hours=args.hours,
                                   hotline=args.hotline, seal_name=args.seal_name)
        print(_("Station settings saved; every document printed from now on uses them."))
    else:
        info = station.station_info(ctx)
    for line in _station_lines(info):
        print(line)
    return 0


def verification_lines(v: Any) -> list[str]:
    from shequ_desktop.domain.documents import STATUS_MSGIDS
    lines = [
        _("Document: {v}").format(v=v.title),
        _("Serial No.: {v}").format(v=v.serial_no),
        _("Issued on: {v}").format(v=v.issued_on.isoformat()),
        _("Issued by: {v}").format(v=v.issuer or "-"),
        _("Holder: {v}").format(v=v.holder or "-"),
        _("Status: {v}").format(v=_(STATUS_MSGIDS[v.status])),
    ]
    if v.valid_until is not None:
        lines.append(_("Valid until: {v}").format(v=v.valid_until.isoformat()))
    if v.void_reason:
        lines.append(_("Voided on {day}: {reason}").format(day=v.voided_on.isoformat() if v.voided_on else "-",
                                                           reason=v.void_reason))
    return lines


def cmd_verify(args: argparse.Namespace, make_ctx: ContextFactory) -> int:
    """Exit 0 for a valid document, 1 for a void or expired one (errors: 2)."""
    from shequ_desktop.services import verify
    found = verify.verify(make_ctx(args), args.code)
    for line in verification_lines(found):
        print(line)
    return 0 if found.status == "valid" else 1


def cmd_void(args: argparse.Namespace, make_ctx: ContextFactory) -> int:
    from shequ_desktop.services import verify
    found = verify.void(make_ctx(args), args.code, args.reason)
    print(_("Document {serial} is now void.").format(serial=found.serial_no))
    return 0


def add_commands(sub: Any, make_ctx: ContextFactory) -> None:
    """Register ``station``, ``verify`` and ``void`` on shequ-admin's sub-parsers."""
    st = sub.add_parser("station", help=_("the station's name, address, phones and office hours on every paper"))
    ss = st.add_subparsers(dest="station_cmd", required=True)
    ss.add_parser("show", help=_("show the station's settings"))
    se = ss.add_parser("set", help=_("change the station's settings (only the options given)"))
    se.add_argument("--name", help=_("station name, e.g. 幸福里社区工作站"))
    se.add_argument("--address", help=_("address where residents are served"))
    se.add_argument("--phone", help=_("the station's phone number"))
    se.add_argument("--hours", help=_("office hours as printed"))
    se.add_argument("--hotline", help=_("supervision hotline"))
    se.add_argument("--community", help=_("community name"))
    se.add_argument("--seal-name", dest="seal_name", help=_("the name on the seal line of certificates"))
    st.set_defaults(func=lambda a: cmd_station(a, make_ctx))
    ve = sub.add_parser("verify", help=_("check a printed document by its verification code or QR text"))
    ve.add_argument("code")
    ve.set_defaults(func=lambda a: cmd_verify(a, make_ctx))
    vo = sub.add_parser("void", help=_("void a printed document (with a reason)"))
    vo.add_argument("code")
    vo.add_argument("--reason", required=True)
    vo.set_defaults(func=lambda a: cmd_void(a, make_ctx))
