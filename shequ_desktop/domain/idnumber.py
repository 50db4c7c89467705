"""Resident identity numbers (公民身份号码, GB 11643-1999): parse, validate, derive.

Pure functions: no I/O, no clock (``today`` is passed in so tests never depend on the date).
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from dataclasses import dataclass

from shequ_desktop.domain.errors import UserError

FIELD = "id_number"

# ISO 7064 MOD 11-2 weights for positions 1–17 (GB 11643 §3.2).
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Check character for S mod 11 = 0…10.
_CHECK_CHARS = "10X98765432"

# GB/T 2260 province-level codes; anything else is only a warning (abolished codes stay valid).
PROVINCE_CODES = frozenset(
    {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
     50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}
)
# Residence permits for Hong Kong, Macao and Taiwan residents use these whole address codes.
HKMT_ADDRESS_CODES = frozenset({"810000", "820000", "830000"})

WARN_UNKNOWN_PROVINCE = "The first two digits are not a known province code; please check the number."


class IdKind(enum.Enum):
    CITIZEN = "citizen"
    HKMT_PERMIT = "hkmt_permit"  # 港澳台居民居住证


class Sex(enum.Enum):
    MALE = "M"
    FEMALE = "F"


@dataclass(frozen=True)
class IdNumber:
    canonical: str  # always 18 characters, upper-case X
    original: str  # as entered, after strip (keeps a legacy 15-digit form)
    kind: IdKind
    birth_date: dt.date
    sex: Sex
    converted_from_15: bool
    warnings: tuple[str, ...] = ()  # English message ids, translated by the UI

    @property
    def province_code(self) -> str:
        return self.canonical[:2]

    @property
    def address_code(self) -> str:
        return self.canonical[:6]


def normalize(text: str) -> str:
    """NFKC folds full-width digits and 'ｘ'; spaces anywhere are typing noise."""
    folded = unicodedata.normalize("NFKC", text or "")
    return "".join(folded.split()).upper()


def check_character(body17: str) -> str:
    """MOD 11-2 check character for the 17-digit body."""
    if len(body17) != 17 or not body17.isascii() or not body17.isdigit():
        raise ValueError(f"body must be 17 ASCII digits, got {body17!r}")
    total = sum(int(ch) * w for ch, w in zip(body17, _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def is_valid(text: str, today: dt.date) -> bool:
    """Convenience for filters and imports: True when parse_id_number would succeed."""
    try:
        parse_id_number(text, today)
    except UserError:
        return False
    return True


def _parse_birth(digits8: str) -> dt.date:
    try:
        return dt.date(int(digits8[:4]), int(digits8[4:6]), int(digits8[6:8]))
    except ValueError:
        raise UserError(
            "The birth date {digits} in the ID number is not a real date.",
            field=FIELD,
            digits=digits8,
        ) from None


def parse_id_number(text: str, today: dt.date) -> IdNumber:
    """Validate an 18-character or legacy 15-digit number; raise UserError(field="id_number")."""
    original = (text or "").strip()
    value = normalize(original)
    if not value:
        raise UserError("Please enter the ID number.", field=FIELD)
    # Checked before length: a foreigner permanent-residence number must not be read as a citizen's.
    if len(value) == 18 and value[0] == "9":
        raise UserError(
            "Foreigner permanent residence ID cards are not supported yet; "
            "please record this person with another document type.",
            field=FIELD,
        )
    if len(value) not in (15, 18):
        raise UserError(
            "An ID number has 18 characters (or 15 digits for an old card); this one has {length}.",
            field=FIELD,
            length=len(value),
        )
    converted = len(value) == 15
    if converted:
        if not (value.isascii() and value.isdigit()):
            raise UserError("An old 15-digit ID number may contain digits only.", field=FIELD)
        body = value[:6] + "19" + value[6:]
        canonical = body + check_character(body)
    else:
        body, given = value[:17], value[17]
        if not (body.isascii() and body.isdigit()) or given not in "0123456789X":
            raise UserError(
                "An ID number may only contain digits, with X allowed as the last character.",
                field=FIELD,
            )
        expected = check_character(body)
        if given != expected:
            raise UserError(
                "The check character should be {expected}, not {given}; please check the number.",
                field=FIELD,
                expected=expected,
                given=given,
            )
        canonical = value
    birth = _parse_birth(canonical[6:14])
    if birth > today:
        raise UserError(
            "The birth date {birth} in the ID number is in the future.",
            field=FIELD,
            birth=birth.isoformat(),
        )
    warnings: list[str] = []
    kind = IdKind.HKMT_PERMIT if canonical[:6] in HKMT_ADDRESS_CODES else IdKind.CITIZEN
    if int(canonical[:2]) not in PROVINCE_CODES:
        warnings.append(WARN_UNKNOWN_PROVINCE)
    sex = Sex.MALE if int(canonical[16]) % 2 == 1 else Sex.FEMALE
    return IdNumber(
        canonical=canonical,
        original=original,
        kind=kind,
        birth_date=birth,
        sex=sex,
        converted_from_15=converted,
        warnings=tuple(warnings),
    )


def age_on(birth: dt.date, on: dt.date) -> int:
    """Completed years (周岁); a Feb-29 birthday is reached on Mar 1 in common years."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def make_id_number(region: str, birth: dt.date, seq: int) -> str:
    """Build a valid 18-digit number (demo data and tests); odd seq → male, even → female."""
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if not 0 <= seq <= 999:
        raise ValueError(f"seq must be 0..999, got {seq}")
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + check_character(body)
