"""Errors a user can act on.

A ``UserError`` carries an English message id (extracted by Babel with the keyword
``UserError``) and named parameters; the layer that shows it translates it with
``shequ_desktop.i18n.error_text``. ``field`` names the input the message belongs next to.

A message with a count that can be 1 takes ``plural("{n} row has …", "{n} rows have …")`` as its msgid
(extracted by Babel as msgid + msgid_plural; ``error_text`` picks the form with ``ngettext``). The count is the
parameter named by ``count`` ("n" unless given).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Plural:
    """A message id in two English forms; the parameter named ``count`` chooses."""

    singular: str
    plural: str
    count: str = "n"

    def english(self, params: dict[str, Any]) -> str:
        """The English form for ``params[count]`` (English: 1 is singular, everything else plural)."""
        return self.singular if params.get(self.count) == 1 else self.plural

    def __str__(self) -> str:  # where a plain message id is expected (logs), the singular is the catalog key
        return self.singular


def plural(singular: str, plural: str, count: str = "n") -> Plural:
    """Mark a counted message id (Babel keyword ``plural:1,2``): ``UserError(plural("…", "…"), n=3)``."""
    return Plural(singular, plural, count)


Msgid = str | Plural


class UserError(Exception):
    """Validation, not found, permission or offline: something the user can fix or understand."""

    def __init__(self, msgid: Msgid, *, field: str | None = None, **params: Any) -> None:
        self.msgid = msgid
        self.field = field
        self.params = params
        super().__init__(self.english())

    def english(self) -> str:
        text = self.msgid.english(self.params) if isinstance(self.msgid, Plural) else self.msgid
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return text


class PermissionDenied(UserError):
    """The current role may not do this."""


class NotFound(UserError):
    """The record asked for does not exist (or was deleted)."""


class ValidationErrors(UserError):
    """Several field errors at once; ``errors`` lists them."""

    def __init__(self, errors: list[UserError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.msgid, field=first.field, **first.params)
