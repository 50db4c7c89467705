"""Font resolution prefers the workstation's official fonts; Chinese line breaking keeps numbers whole."""

from __future__ import annotations

import shutil

from reportlab import rl_config

from shequ_desktop.paths import fonts_dir
from shequ_desktop.printing.cjk_wrap import TextStyle, split_lines
from shequ_desktop.printing.fonts import FontRegistry, font_name


def test_official_windows_fonts_are_preferred_when_present(tmp_path, monkeypatch):
    monkeypatch.setattr(rl_config, "canvas_basefontname", rl_config.canvas_basefontname)
    # copies of bundled fonts stand in for 仿宋 and 黑体 (the file name is what is looked up)
    shutil.copy(fonts_dir() / "gkai00mp.ttf", tmp_path / "simfang.ttf")
    shutil.copy(fonts_dir() / "wqy-microhei.ttc", tmp_path / "simhei.ttf")
    registry = FontRegistry(system_dir=tmp_path)
    assert registry.font("body").path.name == "simfang.ttf"
    assert registry.font("heading").path.name == "simhei.ttf"
    assert registry.font("title").path.name == "gbsn00lp.ttf"  # no 小标宋/宋体 here: the bundled 宋体
    assert registry.font("subheading").path.name == "gkai00mp.ttf"
    assert rl_config.canvas_basefontname == registry.name("body")


def test_bundled_setting_ignores_the_system_fonts(tmp_path, monkeypatch):
    monkeypatch.setattr(rl_config, "canvas_basefontname", rl_config.canvas_basefontname)
    shutil.copy(fonts_dir() / "gkai00mp.ttf", tmp_path / "simfang.ttf")
    registry = FontRegistry(system_dir=tmp_path, source="bundled")
    assert registry.font("body").path.name == "gbsn00lp.ttf"


def test_without_official_fonts_each_role_uses_its_bundled_typeface(tmp_path, monkeypatch):
    monkeypatch.setattr(rl_config, "canvas_basefontname", rl_config.canvas_basefontname)
    registry = FontRegistry(system_dir=tmp_path)
    got = {role: registry.font(role).path.name for role in ("title", "heading", "subheading", "body", "table", "number")}
    assert got == {"title": "gbsn00lp.ttf", "heading": "wqy-microhei.ttc", "subheading": "gkai00mp.ttf",
                   "body": "gbsn00lp.ttf", "table": "gbsn00lp.ttf", "number": "gbsn00lp.ttf"}
    assert [f.path.name for f in registry.fallbacks()][:2] == ["HanaMinA.ttf", "HanaMinB.ttf"]


def test_damaged_official_font_falls_back_to_the_bundled_one(tmp_path, monkeypatch):
    monkeypatch.setattr(rl_config, "canvas_basefontname", rl_config.canvas_basefontname)
    (tmp_path / "simfang.ttf").write_bytes(b"not a font")
    assert FontRegistry(system_dir=tmp_path).font("body").path.name == "gbsn00lp.ttf"


def _style(size: float = 16) -> TextStyle:
    return TextStyle("t", font_name("body"), size, 29)


def test_long_digit_run_moves_to_the_next_line_whole():
    text = "兹证明张秀兰，女，公民身份号码：11010519491231002X，自2019年3月起居住于此。"
    lines = split_lines(text, 400.0, _style())
    assert len(lines) > 1
    assert any("11010519491231002X" in line for line in lines), lines
    assert "".join(lines) == text


def test_closing_punctuation_never_starts_a_line():
    text = "一二三四五六七八九十，一二三四五六七八九十。"
    lines = split_lines(text, 10 * 16.0, _style())
    assert all(line[0] not in "，。" for line in lines), lines


def test_a_date_stays_one_unit_when_that_leaves_a_small_gap():
    text = "一二三四五六七八九十一二三四五六七八九十一二三四2026年12月3日止"
    lines = split_lines(text, 27 * 16.0, _style())
    assert any("2026年12月3日" in line for line in lines), lines


def test_a_phone_number_with_a_space_stays_on_one_line():
    text = "经办人：陈晓燕联系电话一二三四五六七八：0755-8888 6601"
    lines = split_lines(text, 20 * 16.0, _style())
    assert any("0755-8888 6601" in line for line in lines), lines


def test_a_run_longer_than_the_line_is_cut_rather_than_lost():
    text = "编号" + "A" * 80
    lines = split_lines(text, 10 * 16.0, _style())
    assert "".join(lines) == text and len(lines) > 1


def test_qr_code_matches_an_independent_encoder():
    # the fixed mask keeps batches fast; the symbol must still be exactly what a standard encoder makes
    import qrcode

    from shequ_desktop.printing.qr import QR_MASK, qr_matrix

    for payload in ("shequ:verify:SAMPLE02", "https://example.org/v/ABCD-1234?x=1"):
        reference = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=QR_MASK)
        reference.add_data(payload)
        reference.make(fit=True)
        assert qr_matrix(payload) == reference.get_matrix()


def test_a_glyph_the_official_font_lacks_comes_from_the_system_song_first(tmp_path, monkeypatch):
    monkeypatch.setattr(rl_config, "canvas_basefontname", rl_config.canvas_basefontname)
    shutil.copy(fonts_dir() / "gkai00mp.ttf", tmp_path / "simfang.ttf")  # GB 2312 only: no 堃
    shutil.copy(fonts_dir() / "wqy-microhei.ttc", tmp_path / "simsun.ttc")  # stands in for 宋体 (GBK)
    registry = FontRegistry(system_dir=tmp_path)
    body = registry.font("body")
    assert registry.font_for(body, "张") is body
    assert registry.font_for(body, "堃").path.name == "simsun.ttc"
    assert registry.font_for(body, "䶮").path.name == "HanaMinA.ttf"
    assert registry.font_for(body, "\U0002A000").path.name == "HanaMinB.ttf"  # Ext B, not in HanaMinA
    assert registry.font_for(body, "\U00030000") is None  # Ext G: no font has it
