"""Errors a user can act on.

A ``UserError`` carries an English message id (extracted by Babel with the keyword
``UserError``) and named parameters; the layer that shows it translates it with
``shequ_desktop.i18n.error_text``. ``field`` names the input the message belongs next to.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Validation, not found, permission or offline: something the user can fix or understand."""

    def __init__(self, msgid: str, *, field: str | None = None, **params: Any) -> None:
        self.msgid = msgid
        self.field = field
        self.params = params
        super().__init__(self.english())

    def english(self) -> str:
        try:
            return self.msgid.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.msgid


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
