"""Sorting names by pinyin (王 after 李, 曾 as the surname zēng), the way a Chinese list is read.

``sort_key(name)`` is a plain string, so it sorts the same in Python and in SQLite's BINARY order:
one token per character, ``<syllable><tone><character>`` (``li3李 ming2明``), so that names compare
character by character — by reading, then tone, then the character itself (names with the same
surname stay together) — and a shorter name comes before a longer one that starts the same way.
Characters without a reading (Latin letters, digits, ·) stand for themselves, lower-cased.

The readings come from pypinyin's character table (imported on first use: it is large); the first
character of a name is read as a surname where that differs (曾 zeng1, 单 shan4, 解 xie4 …).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Surnames whose common reading is another one (the first character of a name).
SURNAME_READINGS = {
    "曾": "zeng1", "单": "shan4", "解": "xie4", "仇": "qiu2", "区": "ou1", "查": "zha1", "朴": "piao2",
    "乐": "yue4", "翟": "zhai2", "盖": "ge3", "覃": "qin2", "缪": "miao4", "尉": "yu4", "种": "chong2",
    "秘": "bi4", "燕": "yan1", "员": "yun4", "祭": "zhai4", "长": "chang2", "莘": "shen1", "隗": "wei3",
    "宓": "mi4", "贲": "ben1", "繁": "po2", "万": "wan4", "沈": "shen3", "柏": "bai3", "薄": "bo2",
    "重": "chong2", "黑": "he4", "那": "na1", "折": "she2", "洗": "xian3", "冼": "xian3", "阚": "kan4",
}

_MARKS = {"a": "āáǎà", "e": "ēéěè", "i": "īíǐì", "o": "ōóǒò", "u": "ūúǔù", "v": "ǖǘǚǜ", "n": "ńňǹ", "m": "ḿ"}
_TONE_OF = {mark: (base, tone) for base, marks in _MARKS.items() for tone, mark in enumerate(marks, 1)}
_TONE_OF["ǹ"] = ("n", 4)
_TONE_OF["ḿ"] = ("m", 2)


def _numbered(marked: str) -> str:
    """'lǚ' → 'lv3', 'wáng' → 'wang2', 'le' → 'le5'."""
    tone = 5
    out = []
    for ch in marked:
        if ch in _TONE_OF:
            base, tone = _TONE_OF[ch]
            out.append(base)
        elif ch == "ü":
            out.append("v")
        else:
            out.append(ch)
    return "".join(out) + str(tone)


@lru_cache(maxsize=1)
def _table() -> dict[int, str]:
    from pypinyin.pinyin_dict import pinyin_dict
    return pinyin_dict


@lru_cache(maxsize=20_000)
def char_token(ch: str) -> str:
    """The sort token of one character: its reading with the tone number, then the character."""
    readings = _table().get(ord(ch))
    if not readings:
        return ch.lower()
    return _numbered(readings.split(",", 1)[0]) + ch


def sort_key(name: str | None) -> str:
    """The pinyin sort key of a name (see the module docstring); '' for no name."""
    chars = [c for c in unicodedata.normalize("NFC", name or "") if not c.isspace()]
    if not chars:
        return ""
    tokens = [char_token(c) for c in chars]
    first = SURNAME_READINGS.get(chars[0])
    if first is not None:
        tokens[0] = first + chars[0]
    return " ".join(tokens)
