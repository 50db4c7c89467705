"""The hub checks every value of a pushed change against the workstation's schema.

The rules come from the desktop's SQLAlchemy models (``persistence/value_rules.py`` reads column
types, ``String(n)`` lengths, ``nullable``, dates and times, and the ``info`` keys ``choices`` /
``min`` / ``max``) for every synced model, so a new record kind is validated as soon as its model is
registered. A value the workstation could not store — one that would break every station's pull and
the seed build — is refused with its reason; the sending station quarantines that one change.
"""

from __future__ import annotations

from shequ_desktop.persistence import models as _models  # noqa: F401  (fills the registry)
from shequ_desktop.persistence import sync_models as _sync_models  # noqa: F401
from shequ_desktop.persistence.value_rules import Rule, check_fields, check_value, rules, same_value

__all__ = ["Rule", "check_fields", "check_value", "rules", "same_value", "rule_of_column"]


def rule_of_column(col: object) -> Rule:
    """The rule of one column (for columns outside the models, e.g. in tests)."""
    from shequ_desktop.persistence.value_rules import _rule
    return _rule(col)
