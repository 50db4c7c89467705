"""``shequ-admin fonts``: which typeface prints each part of a document, and the ``print_fonts`` setting."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from shequ_desktop.i18n import N_, _

ROLE_NAMES = {
    "title": N_("title (Xiaobiaosong / Song)"),
    "heading": N_("heading 1 (Hei)"),
    "subheading": N_("heading 2 (Kai)"),
    "body": N_("body (Fangsong)"),
    "table": N_("tables (Song)"),
    "number": N_("page numbers (Song)"),
    "fallback": N_("rare-character fallback"),
}


def cmd_fonts(args: argparse.Namespace, make_ctx: Callable[[argparse.Namespace], Any]) -> int:
    from shequ_desktop.services import print_fonts
    ctx = make_ctx(args)
    if getattr(args, "fonts_cmd", None) == "set":
        print_fonts.set_source(ctx, args.source)
    rep = print_fonts.report(ctx)
    print(_("print_fonts = {source} (system: the official fonts of this PC when present; bundled: always "
            "the bundled typefaces)").format(source=rep.source))
    for row in rep.rows:
        print(f"{_(ROLE_NAMES[row.role])}\t{row.family}\tGB2312 {row.gb2312}/6763\tExt-A {row.ext_a}/6592\t"
              f"Ext-B–F {row.ext_b_to_f}\t{row.file}")
    return 0


def register(sub: Any, make_ctx: Callable[[argparse.Namespace], Any]) -> None:
    fo = sub.add_parser("fonts", help=_("show the typefaces that print documents; set system or bundled"))
    fs = fo.add_subparsers(dest="fonts_cmd")
    fs.add_parser("show", help=_("list each role's typeface and its coverage"))
    fs.add_parser("set", help=_("system or bundled")).add_argument("source", choices=("system", "bundled"))
    fo.set_defaults(func=lambda a: cmd_fonts(a, make_ctx))
