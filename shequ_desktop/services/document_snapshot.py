"""The data a printed document was built from, as JSON, and back: what makes a 补打 the same document.

A template's data class (``printing.templates.*Data``) is a tree of frozen dataclasses, tuples,
dates, datetimes and plain values. ``encode`` turns it into JSON-ready values (the register row's
``snapshot``); ``decode`` rebuilds the same object from them by the class's type hints. The
``header`` (serial number, code, 补打 mark) is not part of the snapshot: it belongs to each print.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any

SKIP = frozenset({"header"})


def encode(obj: Any) -> Any:
    """JSON-ready values for a template's data (dates as ISO text, dataclasses as objects)."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: encode(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.name not in SKIP}
    if isinstance(obj, (tuple, list)):
        return [encode(v) for v in obj]
    if isinstance(obj, dt.datetime | dt.date):
        return obj.isoformat()
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    raise TypeError(f"cannot keep {type(obj).__name__} in a document snapshot")


def decode(cls: type, data: dict[str, Any], **extra: Any) -> Any:
    """The dataclass ``cls`` rebuilt from ``encode``'s output; ``extra`` fills skipped fields (the header)."""
    hints = typing.get_type_hints(cls)
    values = {f.name: _value(hints[f.name], data[f.name]) for f in dataclasses.fields(cls)
              if f.name in data and f.name not in SKIP}
    return cls(**values, **extra)


def _value(hint: Any, raw: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if raw is None:
            return None
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _value(options[0], raw)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_value(args[0], v) for v in raw)
        return tuple(_value(a, v) for a, v in zip(args, raw))
    if origin is typing.Literal:
        return raw
    if hint is dt.datetime:
        return dt.datetime.fromisoformat(raw)
    if hint is dt.date:
        return dt.date.fromisoformat(raw)
    if dataclasses.is_dataclass(hint):
        return decode(hint, raw)  # type: ignore[arg-type]
    return raw
