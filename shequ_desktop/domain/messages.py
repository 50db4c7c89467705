"""Words stored for later reading (audit details, sync problems): a message id + parameters, not a sentence.

Stored as JSON ``{"msg": msgid, "params": {...}}`` and turned into the reader's language when shown. A parameter
whose name ends in ``_msg`` is itself a message id (or such a JSON) and is translated too; ``_msgs`` is a list of
them. A counted message id (``errors.Plural``) is stored with its English plural and the name of its count:
``{"msg": singular, "plural": plural, "count": "n", "params": {...}}``. Plain text stored by
older versions reads as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from shequ_desktop.domain.errors import Msgid, Plural

Translate = Callable[[str], str]
NGettext = Callable[[str, str, int], str]


def describe(msgid: Msgid, **params: object) -> str:
    """The message as stored: JSON of the message id and its parameters."""
    data: dict[str, object] = {"msg": msgid, "params": params}
    if isinstance(msgid, Plural):
        data = {"msg": msgid.singular, "plural": msgid.plural, "count": msgid.count, "params": params}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)


def english_ngettext(singular: str, plural: str, n: int) -> str:
    """The English rule (and the message ids are English): 1 is singular, everything else plural."""
    return singular if n == 1 else plural


def render(detail: str, translate: Translate, ngettext: NGettext | None = None) -> str:
    """``detail`` in the reader's language via ``translate`` (the caller's ``_``) and, for counted messages,
    ``ngettext`` (the caller's ``ngettext``: a caller that translates must pass it; without it the English form
    is chosen and passed to ``translate``); plain text as it is."""
    if not detail.startswith("{"):
        return detail
    try:
        data = json.loads(detail)
        params = data["params"]
        if "plural" in data:
            count = params.get(data.get("count", "n"))
            n = count if isinstance(count, int) else 2
            if ngettext is None:
                text = translate(english_ngettext(data["msg"], data["plural"], n))
            else:
                text = ngettext(data["msg"], data["plural"], n)
        else:
            text = translate(data["msg"])
        return text.format(**{k: _param(k, v, translate, ngettext) for k, v in params.items()}).strip()
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        return detail


def _param(name: str, value: object, translate: Translate, ngettext: NGettext | None) -> object:
    """``*_msg``: a message id (or stored message) translated; ``*_msgs``: a list of them, joined by " · "."""
    if name.endswith("_msg") and isinstance(value, str):
        return render(value, translate, ngettext) if value.startswith("{") else translate(value) if value else value
    if name.endswith("_msgs") and isinstance(value, list):
        return " · ".join(str(_param("item_msg", v, translate, ngettext)) for v in value)
    return value


def english(detail: str) -> str:
    """The stored message in English (message ids are English): for logs, the CLI and older callers."""
    return render(detail, lambda s: s, english_ngettext)
