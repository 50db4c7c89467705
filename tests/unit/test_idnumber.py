"""GB 11643 parsing, with the published example numbers of DOMAIN §3.3."""

from __future__ import annotations

import datetime as dt

import pytest

from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.idnumber import (
    WARN_UNKNOWN_PROVINCE,
    IdKind,
    Sex,
    age_on,
    check_character,
    is_valid,
    make_id_number,
    normalize,
    parse_id_number,
)

TODAY = dt.date(2026, 11, 24)


def _error(text: str) -> UserError:
    with pytest.raises(UserError) as info:
        parse_id_number(text, TODAY)
    assert info.value.field == "id_number"
    return info.value


@pytest.mark.parametrize(
    ("body", "expected"),
    [("11010519491231002", "X"), ("44052418800101001", "4"), ("34052419800101001", "X"),
     ("37010119010203997", "3")],
)
def test_check_character_published_examples(body: str, expected: str) -> None:
    assert check_character(body) == expected


def test_check_character_rejects_bad_body() -> None:
    with pytest.raises(ValueError):
        check_character("1101051949123100")


def test_standard_example_female() -> None:
    parsed = parse_id_number("11010519491231002X", TODAY)
    assert parsed.canonical == "11010519491231002X"
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex is Sex.FEMALE and parsed.sex.value == "F"
    assert parsed.kind is IdKind.CITIZEN
    assert parsed.province_code == "11"
    assert parsed.converted_from_15 is False
    assert parsed.warnings == ()


def test_standard_example_male_1880() -> None:
    parsed = parse_id_number("440524188001010014", TODAY)
    assert parsed.birth_date == dt.date(1880, 1, 1)
    assert parsed.sex is Sex.MALE
    assert parsed.province_code == "44"


def test_wrong_check_character_names_the_expected_one() -> None:
    err = _error("110105194912310021")
    assert err.params["expected"] == "X"
    assert err.params["given"] == "1"
    assert "X" in err.english()


def test_legacy_15_digit_is_converted_and_original_kept() -> None:
    parsed = parse_id_number(" 110105491231002 ", TODAY)
    assert parsed.canonical == "11010519491231002X"
    assert parsed.original == "110105491231002"
    assert parsed.converted_from_15 is True
    assert parsed.birth_date == dt.date(1949, 12, 31)


def test_full_width_and_lower_case_x_and_spaces() -> None:
    assert normalize("１１０１０５ １９４９１２３１ ００２ｘ") == "11010519491231002X"
    parsed = parse_id_number("１１０１０５１９４９１２３１００２ｘ", TODAY)
    assert parsed.canonical == "11010519491231002X"
    assert parsed.original == "１１０１０５１９４９１２３１００２ｘ"
    assert parse_id_number("11010519491231002x", TODAY).canonical == "11010519491231002X"


def test_hong_kong_permit() -> None:
    number = make_id_number("810000", dt.date(1990, 5, 6), 123)
    parsed = parse_id_number(number, TODAY)
    assert parsed.kind is IdKind.HKMT_PERMIT
    assert parsed.province_code == "81"
    assert parsed.warnings == ()
    assert parsed.sex is Sex.MALE


def test_unknown_province_is_a_warning_not_an_error() -> None:
    number = make_id_number("240101", dt.date(1980, 1, 1), 2)
    parsed = parse_id_number(number, TODAY)
    assert parsed.warnings == (WARN_UNKNOWN_PROVINCE,)
    assert parsed.sex is Sex.FEMALE


def test_foreigner_permanent_residence_number_is_not_supported() -> None:
    err = _error("9" + "1" * 17)
    assert "not supported" in err.english()
    assert "birth" not in err.english()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "enter"),
        ("   ", "enter"),
        ("1101051949123100", "16"),
        ("11010519491231002X1", "19"),
        ("11010519491231O02X", "digits"),
        ("1101051949123100XX", "digits"),
        ("11010549123100X", "15-digit"),
    ],
)
def test_input_errors(text: str, fragment: str) -> None:
    assert fragment in _error(text).english()


def test_impossible_birth_date() -> None:
    body = "11010520230229002"  # 2023 is not a leap year
    err = _error(body + check_character(body))
    assert "20230229" in err.english()
    assert "not a real date" in err.english()


def test_future_birth_date() -> None:
    number = make_id_number("110105", dt.date(2026, 11, 25), 1)
    err = _error(number)
    assert "future" in err.english()
    assert parse_id_number(make_id_number("110105", TODAY, 1), TODAY).birth_date == TODAY


def test_age_on_birthday_and_feb_29() -> None:
    born = dt.date(1966, 11, 24)
    assert age_on(born, dt.date(2026, 11, 23)) == 59
    assert age_on(born, dt.date(2026, 11, 24)) == 60
    leap = dt.date(2000, 2, 29)
    assert age_on(leap, dt.date(2001, 2, 28)) == 0
    assert age_on(leap, dt.date(2001, 3, 1)) == 1
    assert age_on(leap, dt.date(2004, 2, 29)) == 4
    assert age_on(leap, dt.date(2060, 2, 28)) == 59
    assert age_on(leap, dt.date(2060, 2, 29)) == 60


def test_make_id_number_round_trips() -> None:
    number = make_id_number("440305", dt.date(1958, 3, 9), 18)
    assert number == "44030519580309018" + check_character("44030519580309018")
    parsed = parse_id_number(number, TODAY)
    assert (parsed.birth_date, parsed.sex) == (dt.date(1958, 3, 9), Sex.FEMALE)
    assert is_valid(number, TODAY) and not is_valid("110105194912310021", TODAY)
    with pytest.raises(ValueError):
        make_id_number("11010", dt.date(1990, 1, 1), 1)
    with pytest.raises(ValueError):
        make_id_number("110105", dt.date(1990, 1, 1), 1000)
