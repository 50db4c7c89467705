"""Masking patterns (DOMAIN §7.6)."""

from __future__ import annotations

import pytest

from shequ_desktop.domain.masking import mask_address, mask_id_number, mask_name, mask_phone


def test_mask_id_number_standard() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number(" 11010519491231002X ") == "110105********002X"


@pytest.mark.parametrize("value", ["110105491231002", "12345", "1", "1234567", "A" * 40, "110105194912310021999"])
def test_mask_id_number_never_reveals_much(value: str) -> None:
    masked = mask_id_number(value)
    assert len(masked) == len(value)
    visible = sum(ch != "*" for ch in masked)
    assert visible <= 10
    assert visible <= len(value) * 6 // 10


def test_mask_id_number_short_values() -> None:
    assert mask_id_number("") == ""
    assert mask_id_number("12") == "**"
    assert mask_id_number("110105491231002") == "11010*******002"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("13812348000", "138****8000"),
        ("138 1234 8000", "138****8000"),
        ("+8613812348000", "+86138****8000"),
        ("0755-26881234", "0755-******34"),
        ("010-12345678", "010-******78"),
        ("075526881234", "0755******34"),
        ("01012345678", "010******78"),
        ("26881234", "******34"),
        ("", ""),
    ],
)
def test_mask_phone(value: str, expected: str) -> None:
    assert mask_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("张三", "张*"), ("张三丰", "张*丰"), ("欧阳小明", "欧**明"), ("王", "*"), ("", "")],
)
def test_mask_name(value: str, expected: str) -> None:
    assert mask_name(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("广东省深圳市南山区桃源街道桃源村3栋2单元501", "广东省深圳市南山区桃源街道桃源村3栋****"),
        ("北京市朝阳区某小区5号楼1单元302", "北京市朝阳区某小区5号楼****"),
        ("某某花园Ａ幢1201", "某某花园Ａ幢****"),
        ("某某苑十二栋301", "某某苑十二栋****"),
        ("人民路12号301室", "人民路12号****"),
        ("某小区3栋", "某小区3栋"),
        ("没有门牌的地址", "没有门****"),
        ("", ""),
    ],
)
def test_mask_address(value: str, expected: str) -> None:
    assert mask_address(value) == expected
