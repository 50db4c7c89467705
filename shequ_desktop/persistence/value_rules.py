"""The value rules of every synced column, read from the models' metadata (no hand-written lists).

The hub checks every value of a pushed change with them (hub/validate.py), and a workstation checks
every pulled change before applying it. The rules are read from the desktop's own SQLAlchemy models (every synced model in the registry,
so a new record kind is validated as soon as its model exists): the column type (text, integer,
number, yes/no, date, date and time, JSON), ``String(n)`` lengths, ``nullable``, and the ``info``
keys the models declare — ``info={"choices": (...)}`` for enum-like columns and
``info={"min": a, "max": b}`` for ranges.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Enum, Float, Integer, Numeric, String, Text

from shequ_desktop.persistence.base import Base, Synced, UTCDateTime, is_synced

INT_MIN, INT_MAX = -(2 ** 63), 2 ** 63 - 1      # what SQLite stores in an INTEGER
TEXT_MAX = 1_000_000                             # a Text column: generous, but not unbounded
_NOT_CONTENT = frozenset({"id", "community_id", *Synced.BOOKKEEPING})


@dataclass(frozen=True)
class Rule:
    """What one column accepts."""

    key: str
    kind: str                          # text / int / number / bool / date / datetime / json
    nullable: bool
    required: bool                     # an insert must carry it (not nullable, no default)
    max_len: int | None = None
    choices: tuple[Any, ...] | None = None
    min: Any = None
    max: Any = None


def _kind(col: Any) -> str:
    t = col.type
    if isinstance(t, (UTCDateTime, DateTime)):
        return "datetime"
    if isinstance(t, Date):
        return "date"
    if isinstance(t, Boolean):
        return "bool"
    if isinstance(t, Integer):
        return "int"
    if isinstance(t, (Float, Numeric)):
        return "number"
    if isinstance(t, JSON):
        return "json"
    if isinstance(t, (String, Text, Enum)):
        return "text"
    return "json"                      # an unknown type: only JSON-ness is checked


def _rule(col: Any) -> Rule:
    kind = _kind(col)
    info = col.info or {}
    choices = info.get("choices")
    if choices is None and isinstance(col.type, Enum) and col.type.enums:
        choices = tuple(col.type.enums)
    length = getattr(col.type, "length", None) if kind == "text" else None
    has_default = col.default is not None or col.server_default is not None
    return Rule(key=col.key, kind=kind, nullable=bool(col.nullable),
                required=not col.nullable and not has_default and col.key not in _NOT_CONTENT,
                max_len=length if length else (TEXT_MAX if kind == "text" else None),
                choices=tuple(choices) if choices is not None else None,
                min=info.get("min"), max=info.get("max"))


_RULES: dict[str, dict[str, Rule]] = {}
_FAST: dict[str, dict[str, tuple[Rule, Callable[[Any], bool]]]] = {}


def rules(entity: str) -> dict[str, Rule] | None:
    """The column rules of a synced record kind (None: not a synced kind). Models registered later
    (a new module imported) are found on their first use."""
    hit = _RULES.get(entity)
    if hit is not None:
        return hit
    for m in Base.registry.mappers:
        cls = m.class_
        if is_synced(cls) and cls.__tablename__ == entity:
            _RULES[entity] = {c.key: _rule(c) for c in cls.__table__.columns}
            return _RULES[entity]
    return None


def _fast_check(rule: Rule) -> Callable[[Any], bool]:
    """A quick yes for the common, valid value (the full check_value runs only when it says no)."""
    if rule.choices is not None or rule.min is not None or rule.max is not None:
        return lambda v: False
    kind, n = rule.kind, rule.max_len or TEXT_MAX
    if kind == "text":
        return lambda v: type(v) is str and len(v) <= n and "\x00" not in v
    if kind == "int":
        return lambda v: type(v) is int and INT_MIN <= v <= INT_MAX
    if kind == "bool":
        return lambda v: type(v) is bool
    if kind == "json":
        return lambda v: True
    if kind == "date":
        return _is_date
    if kind == "datetime":
        return _is_datetime
    return lambda v: False


def _is_date(v: Any) -> bool:
    try:
        return type(v) is str and len(v) == 10 and dt.date.fromisoformat(v) is not None
    except ValueError:
        return False


def _is_datetime(v: Any) -> bool:
    try:
        return type(v) is str and _datetime(v) is not None
    except ValueError:
        return False


def _fast(entity: str) -> dict[str, tuple[Rule, Callable[[Any], bool]]] | None:
    hit = _FAST.get(entity)
    if hit is None:
        table = rules(entity)
        if table is None:
            return None
        hit = _FAST[entity] = {k: (r, _fast_check(r)) for k, r in table.items()}
    return hit


def _date(v: str) -> dt.date:
    if len(v) != 10:
        raise ValueError
    return dt.date.fromisoformat(v)


def _datetime(v: str) -> dt.datetime:
    when = dt.datetime.fromisoformat(v.replace("Z", "+00:00") if v.endswith("Z") else v)
    if len(v) < 19 or v[10] not in "T ":
        raise ValueError
    return when


def check_value(rule: Rule, value: Any) -> str | None:
    """Why ``value`` does not fit the column (None: it fits)."""
    k = rule.key
    if value is None:
        return None if rule.nullable else f"{k} is required (it may not be empty/null)"
    kind = rule.kind
    if kind == "text":
        if not isinstance(value, str):
            return f"{k} must be text, not {type(value).__name__}"
        if rule.max_len is not None and len(value) > rule.max_len:
            return f"{k} is longer than {rule.max_len} characters ({len(value)})"
        if "\x00" in value:
            return f"{k} contains a NUL character"
    elif kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            return f"{k} must be a whole number, not {type(value).__name__}"
        if not INT_MIN <= value <= INT_MAX:
            return f"{k} is out of range (a 64-bit integer)"
    elif kind == "number":
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            return f"{k} must be a number"
    elif kind == "bool":
        if not isinstance(value, bool):
            return f"{k} must be true or false"
    elif kind == "date":
        try:
            if not isinstance(value, str):
                raise ValueError
            _date(value)
        except ValueError:
            return f"{k} must be a date YYYY-MM-DD, not {value!r:.40}"
    elif kind == "datetime":
        try:
            if not isinstance(value, str):
                raise ValueError
            _datetime(value)
        except ValueError:
            return f"{k} must be an ISO 8601 date and time, not {value!r:.40}"
    if rule.choices is not None and value not in rule.choices:
        return f"{k} must be one of {', '.join(map(str, rule.choices))}, not {value!r:.40}"
    if rule.min is not None or rule.max is not None:
        v = _date(value) if kind == "date" else _datetime(value) if kind == "datetime" else value
        try:
            if rule.min is not None and v < rule.min:
                return f"{k} must be at least {rule.min}, not {value}"
            if rule.max is not None and v > rule.max:
                return f"{k} must be at most {rule.max}, not {value}"
        except TypeError:
            return f"{k} cannot be compared with its range ({rule.min}…{rule.max})"
    return None


def check_fields(entity: str, op: str, fields: dict[str, Any]) -> str | None:
    """Why a change's values do not fit the workstation's schema (None: they all fit).

    Unknown kinds and fields are left to the caller (it names them); an insert must carry every
    required column."""
    table = _fast(entity)
    if table is None:
        return None
    for key, value in fields.items():
        hit = table.get(key)
        if hit is None or key == "id" or key == "community_id":
            continue
        rule, quick = hit
        if value is None:
            if rule.nullable:
                continue
        elif quick(value):
            continue
        why = check_value(rule, value)
        if why:
            return f"{entity}.{why}"
    if op == "insert":
        missing = sorted(r.key for r, _q in table.values() if r.required and r.key not in fields)
        if missing:
            return f"{entity}: an insert must carry {', '.join(missing)}"
    return None


def same_value(entity: str, key: str, a: Any, b: Any) -> bool:
    """Whether two wire values of a column are the same value (times compare as instants, so
    ``…Z`` and ``…+00:00`` or another offset are equal)."""
    if a == b:
        return True
    if not isinstance(a, str) or not isinstance(b, str):
        return False
    rule = (rules(entity) or {}).get(key)
    try:
        if rule is not None and rule.kind == "datetime":
            x, y = _datetime(a), _datetime(b)
            if (x.tzinfo is None) != (y.tzinfo is None):
                x, y = x.replace(tzinfo=x.tzinfo or dt.timezone.utc), y.replace(tzinfo=y.tzinfo or dt.timezone.utc)
            return x == y
        if rule is not None and rule.kind == "date":
            return _date(a) == _date(b)
    except ValueError:
        return False
    return False
