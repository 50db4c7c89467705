"""Words stored for later reading (audit details, sync problems): a message id + parameters, not a sentence.

Stored as JSON ``{"msg": msgid, "params": {...}}`` and turned into the reader's language when shown. A parameter
whose name ends in ``_msg`` is itself a message id (or such a JSON) and is translated too; ``_msgs`` is a list of
them. Plain text stored by
older versions reads as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable


def describe(msgid: str, **params: object) -> str:
    """The message as stored: JSON of the message id and its parameters."""
    return json.dumps({"msg": msgid, "params": params}, ensure_ascii=False, sort_keys=True, default=str)


def render(detail: str, translate: Callable[[str], str]) -> str:
    """``detail`` in the reader's language via ``translate`` (the caller's ``_``); plain text as it is."""
    if not detail.startswith("{"):
        return detail
    try:
        data = json.loads(detail)
        text = translate(data["msg"])
        return text.format(**{k: _param(k, v, translate) for k, v in data["params"].items()}).strip()
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return detail


def _param(name: str, value: object, translate: Callable[[str], str]) -> object:
    """``*_msg``: a message id (or stored message) translated; ``*_msgs``: a list of them, joined by " · "."""
    if name.endswith("_msg") and isinstance(value, str):
        return render(value, translate) if value.startswith("{") else translate(value) if value else value
    if name.endswith("_msgs") and isinstance(value, list):
        return " · ".join(str(_param("item_msg", v, translate)) for v in value)
    return value


def english(detail: str) -> str:
    """The stored message in English (message ids are English): for logs, the CLI and older callers."""
    return render(detail, lambda s: s)
