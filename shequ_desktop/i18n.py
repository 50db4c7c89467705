"""Translations: one gettext catalog (Babel) for Python code, PDFs, the CLI and Qt forms.

Message ids are English; the zh_CN catalog is the default UI language.
``N_`` marks strings defined at import time; ``_`` translates at call time.
"""

from __future__ import annotations

import gettext
from typing import Any

from shequ_desktop.paths import locale_dir

SUPPORTED = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def set_language(language: str) -> None:
    """Switch the process-wide language (zh_CN or en)."""
    global _translation, _language
    if language not in SUPPORTED:
        language = DEFAULT_LANGUAGE
    if language == "en":
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation("messages", str(locale_dir()), languages=[language], fallback=True)
    _language = language


def current_language() -> str:
    return _language


def _(message: str) -> str:
    # gettext("") is the catalog's header (Project-Id-Version: …), never a text to show.
    return _translation.gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    """Plural forms by the catalog's Plural-Forms rule (Babel's CLDR rules: one form in Chinese)."""
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    return message


def lookup(message: str) -> str | None:
    """The translation of ``message`` or None when the catalog has none (for the Qt bridge)."""
    if _language == "en" or not message:
        return None
    result = _translation.gettext(message)
    return result if result != message else None


def error_text(err: Any) -> str:
    """Translate a domain UserError (msgid + params) into the current language.

    A counted msgid (``domain.errors.Plural``: ``singular``, ``plural``, ``count``) goes through ``ngettext``."""
    msgid = err.msgid
    if isinstance(msgid, str):
        text = _(msgid)
    else:
        count = err.params.get(msgid.count)
        text = ngettext(msgid.singular, msgid.plural, count if isinstance(count, int) else 2)
    try:
        params = {k: (_(v) if isinstance(v, str) and k.endswith("_msg") else v) for k, v in err.params.items()}
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text
