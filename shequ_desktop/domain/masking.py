"""Masking of personal information for lists, receipts, notices and exports (DOMAIN §7.6).

Every function is total: odd input is masked more, never less, and never raises.
"""

from __future__ import annotations

import re

STAR = "*"
# Hard cap on visible characters of an ID-like string (6 + 4 for the standard 18).
_MAX_VISIBLE_ID = 10
# A building number followed by its marker; digits include full-width ones (re is Unicode).
_BUILDING = re.compile(r"[\dA-Za-zＡ-Ｚａ-ｚ一二三四五六七八九十百零〇]+(?:号楼|栋|幢)")
_DOOR_NUMBER = re.compile(r"[\d一二三四五六七八九十百零〇]+号(?!楼)")
_PHONE_NOISE = re.compile(r"[\s()（）]")


def mask_id_number(value: str, head: int = 6, tail: int = 4) -> str:
    """'11010519491231002X' → '110105********002X'; short strings show proportionally less."""
    text = (value or "").strip()
    n = len(text)
    if n == 0:
        return ""
    # Show at most a third at the front and a quarter at the end, so short junk stays hidden.
    keep_head = min(head, n // 3)
    keep_tail = min(tail, n // 4)
    overflow = keep_head + keep_tail - _MAX_VISIBLE_ID
    if overflow > 0:
        keep_head -= overflow
    body = STAR * (n - keep_head - keep_tail)
    return text[:keep_head] + body + (text[n - keep_tail:] if keep_tail else "")


def _mask_mobile(digits: str) -> str:
    return digits[:3] + STAR * 4 + digits[7:]


def mask_phone(value: str) -> str:
    """Mobiles '13812348000' → '138****8000'; landlines keep the area code and the last 2 digits."""
    text = _PHONE_NOISE.sub("", (value or "").strip())
    if not text:
        return ""
    # A +86 / 0086 prefix is kept as-is; only the subscriber part is masked.
    prefix = ""
    for country in ("+86-", "+86", "0086-", "0086"):
        if text.startswith(country):
            prefix, text = text[: len(country)], text[len(country):]
            break
    if len(text) == 11 and text.isdigit() and text.startswith("1"):
        return prefix + _mask_mobile(text)
    area, sep, local = text.partition("-")
    if not sep:
        area, local = _split_area_code(text)
    if not local:
        area, sep, local = "", "", area  # '0755-' or similar: treat it all as the local part
    visible = local[-2:] if len(local) > 4 else ""
    return prefix + area + sep + STAR * (len(local) - len(visible)) + visible


def _split_area_code(text: str) -> tuple[str, str]:
    """Mainland area codes: 010 and 02x have 3 digits, the others 4; no leading 0 → no area code."""
    if not text.startswith("0") or len(text) < 10:
        return "", text
    size = 3 if text[1] in "12" else 4
    return text[:size], text[size:]


def mask_name(value: str) -> str:
    """'张三' → '张*', '张三丰' → '张*丰', '欧阳小明' → '欧**明' (public notices, 公示)."""
    text = (value or "").strip()
    n = len(text)
    if n == 0:
        return ""
    if n == 1:
        return STAR
    if n == 2:
        return text[0] + STAR
    return text[0] + STAR * (n - 2) + text[-1]


def mask_address(value: str) -> str:
    """Keep the address up to the building ('…3栋', '…5号楼', '…2幢'); hide unit and room."""
    text = (value or "").strip()
    if not text:
        return ""
    match = _BUILDING.search(text)
    if match is None:
        # No building marker: a street door number ('…路12号') is building-level too.
        match = _DOOR_NUMBER.search(text)
    if match is not None:
        cut = match.end()
    else:
        cut = len(text) // 2  # unknown layout: hide the second half rather than reveal it
    if cut >= len(text):
        return text
    return text[:cut] + STAR * 4
