"""argparse's own words ("usage:", "error: …required…") in the program's language.

argparse translates through the stdlib ``gettext`` functions it imported; pointing those names at
our catalog makes ``shequ-admin --help`` and its usage errors Chinese in Chinese mode.
"""

from __future__ import annotations

import argparse

from shequ_desktop import i18n
from shequ_desktop.i18n import N_

# What an admin can meet on the command line; the rest of argparse's messages are for programmers.
MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("expected at most one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("can't open '%(filename)s': %(error)s"),
)


def install() -> None:
    """Route argparse's messages through the program's catalog (call after set_language)."""
    argparse._ = i18n._  # type: ignore[attr-defined]
    argparse.ngettext = i18n.ngettext  # type: ignore[attr-defined]
