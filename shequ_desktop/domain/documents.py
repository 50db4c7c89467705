"""Checking a printed document by its verification code (文书核验): the rules the desktop and the hub share.

The QR code of a document holds ``shequ:verify:<serial>:<code>`` or, with a hub configured, the hub's
``…/api/v1/verify/<code>``; a USB scanner types either, a person types the 8-character code printed
under the QR. A check shows minimal facts only: kind, serial, issue date, issuing station, the masked
name and the status — never an ID number or a phone.
"""

from __future__ import annotations

import datetime as dt
import re

VALID, VOID, EXPIRED = "valid", "void", "expired"
STATUS_TEXT = {VALID: "有效", VOID: "已作废", EXPIRED: "已过期"}          # as printed / shown to a school
# English message ids of the statuses, for the UI and CLI to translate (the domain cannot import i18n).
MSG_STATUS_VALID = "Valid"
MSG_STATUS_VOID = "Void"
MSG_STATUS_EXPIRED = "Expired"
STATUS_MSGIDS = {VALID: MSG_STATUS_VALID, VOID: MSG_STATUS_VOID, EXPIRED: MSG_STATUS_EXPIRED}
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_CODE = re.compile(rf"[{CODE_ALPHABET}]{{8}}")
_URL_TAIL = re.compile(r"/verify/([A-Za-z0-9]+)/?(?:[?#].*)?$")


def parse_code(text: str) -> str | None:
    """The 8-character code in what was typed or scanned (a bare code, the QR text or the hub's URL)."""
    raw = (text or "").strip()
    if not raw:
        return None
    if raw.lower().startswith("shequ:verify:"):
        raw = raw.rsplit(":", 1)[-1]
    else:
        m = _URL_TAIL.search(raw)
        if m:
            raw = m.group(1)
    code = re.sub(r"[\s-]", "", raw).upper()
    return code if _CODE.fullmatch(code) else None


def status(valid_until: dt.date | None, voided: bool, today: dt.date) -> str:
    """作废 wins; a certificate past its last valid day is 已过期; everything else is 有效."""
    if voided:
        return VOID
    if valid_until is not None and today > valid_until:
        return EXPIRED
    return VALID
