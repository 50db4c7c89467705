"""Font resolution prefers the workstation's official fonts; Chinese line breaking keeps numbers whole."""

from __future__ import annotations

import shutil

from reportlab import rl_config

from shequ_desktop.paths import fonts_dir
from shequ_desktop.printing.cjk_wrap import split_lines
from shequ_desktop.printing.fonts import FontRegistry, font_name


def test_official_windows_fonts_are_preferred_when_present(tmp_path, monkeypatch):
    monkeypatch.setattr(rl_config, "canvas_basefontname", rl_config.canvas_basefontname)
    # a copy of the bundled font stands in for 仿宋 (TrueType collections load whatever the file name)
    shutil.copy(fonts_dir() / "wqy-microhei.ttc", tmp_path / "simfang.ttf")
    registry = FontRegistry(system_dir=tmp_path)
    assert registry.font("body").path.name == "simfang.ttf"
    assert registry.font("title").path.name == "wqy-microhei.ttc"  # no 黑体 here: bundled fallback
    assert rl_config.canvas_basefontname == registry.name("body")


def test_without_official_fonts_every_role_uses_the_bundled_font(tmp_path):
    registry = FontRegistry(system_dir=tmp_path)
    assert {registry.font(role).path.name for role in ("title", "heading", "body", "table", "number")} == {
        "wqy-microhei.ttc"
    }


def test_damaged_official_font_falls_back_to_the_bundled_one(tmp_path):
    (tmp_path / "simfang.ttf").write_bytes(b"not a font")
    assert FontRegistry(system_dir=tmp_path).font("body").path.name == "wqy-microhei.ttc"


def test_long_digit_run_moves_to_the_next_line_whole():
    text = "兹证明张秀兰，女，公民身份号码：11010519491231002X，自2019年3月起居住于此。"
    lines = [line for _, line in split_lines(text, [400.0], font_name(), 16)]
    assert len(lines) > 1
    assert any("11010519491231002X" in line for line in lines), lines
    assert "".join(lines) == text


def test_closing_punctuation_never_starts_a_line():
    text = "一二三四五六七八九十，一二三四五六七八九十。"
    lines = [line for _, line in split_lines(text, [10 * 16.0], font_name(), 16)]
    assert all(line[0] not in "，。" for line in lines), lines


def test_qr_code_matches_an_independent_encoder():
    # the fixed mask keeps batches fast; the symbol must still be exactly what a standard encoder makes
    import qrcode

    from shequ_desktop.printing.qr import QR_MASK, qr_matrix

    for payload in ("shequ:verify:SAMPLE02", "https://example.org/v/ABCD-1234?x=1"):
        reference = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK)
        reference.add_data(payload)
        reference.make(fit=True)
        assert qr_matrix(payload) == reference.get_matrix()
