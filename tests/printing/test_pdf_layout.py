"""Layout rules a reader notices: page numbers, 补打, whole ID numbers, batches, rare characters."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from pypdf import PdfReader

from shequ_desktop.domain.errors import UserError
from shequ_desktop.printing.document import Document, Paragraph, format_cn_date
from shequ_desktop.printing.fonts import MissingGlyphError, missing_glyphs
from shequ_desktop.printing.pdf_backend import render_many, render_pdf
from shequ_desktop.printing.templates import SPECIMENS, Header, residence_certificate, supplement_notice
from shequ_desktop.printing.text_backend import render_text


def _page_texts(path) -> list[str]:
    return ["".join((page.extract_text() or "").split()) for page in PdfReader(path).pages]


def test_dates_use_arabic_numerals_without_padding():
    assert format_cn_date(dt.date(2026, 1, 5)) == "2026年1月5日"
    assert format_cn_date(dt.date(2026, 11, 25)) == "2026年11月25日"


def test_multi_page_document_is_numbered_and_single_page_is_not(write_pdf):
    pages = _page_texts(write_pdf("notice", render_pdf(SPECIMENS["one-time-notice"]())))
    assert len(pages) >= 2
    assert "—1—" in pages[0] and "—2—" in pages[1]
    single = _page_texts(write_pdf("cert", render_pdf(SPECIMENS["residence-certificate"]())))
    assert len(single) == 1 and "—1—" not in single[0]


def test_reprint_is_marked_on_every_page(write_pdf):
    doc = dataclasses.replace(SPECIMENS["one-time-notice"](), reprint=True)
    pages = _page_texts(write_pdf("reprint", render_pdf(doc)))
    assert all("补打" in page for page in pages)
    assert "补打" in render_text(doc)
    original = _page_texts(write_pdf("original", render_pdf(SPECIMENS["one-time-notice"]())))
    assert not any("补打" in page for page in original)


def test_id_number_is_never_split_across_lines(write_pdf):
    path = write_pdf("cert", render_pdf(SPECIMENS["residence-certificate"]()))
    lines = "".join(page.extract_text() for page in PdfReader(path).pages).splitlines()
    assert any("11010519491231002X" in line for line in lines), lines


NO_FONT_HAS_IT = "\U00030000"  # CJK Extension G: not in any bundled font (Hanazono predates it)


def test_only_characters_no_font_has_are_missing():
    assert missing_glyphs("王䶮 𠈌 𠮷野家 张堃 李喆 赵赟 朱镕基 \n\t") == []
    assert missing_glyphs(f"王{NO_FONT_HAS_IT}") == [NO_FONT_HAS_IT]


def test_a_character_no_font_has_stops_printing_and_says_how_to_go_on():
    doc = SPECIMENS["residence-certificate"]()
    with pytest.raises(MissingGlyphError) as caught:
        render_pdf(dataclasses.replace(doc, blocks=(*doc.blocks, Paragraph(f"申请人：王{NO_FONT_HAS_IT}"))))
    err = caught.value
    assert isinstance(err, UserError) and err.field is None
    assert err.characters == (NO_FONT_HAS_IT,)
    assert NO_FONT_HAS_IT in err.english() and "by hand" in err.english()


def test_the_clerk_may_print_with_a_blank_to_fill_by_hand(write_pdf):
    doc = SPECIMENS["residence-certificate"]()
    doc = dataclasses.replace(doc, blocks=(*doc.blocks, Paragraph(f"申请人：王{NO_FONT_HAS_IT}明")))
    text = "".join(_page_texts(write_pdf("blank", render_pdf(doc, allow_missing=True))))
    assert "申请人：王" in text and NO_FONT_HAS_IT not in text


def test_batch_of_50_starts_each_notice_on_a_new_page(write_pdf):
    base = SPECIMENS["supplement-notice"]()
    docs = [dataclasses.replace(base, serial_no=f"样本-{i:04d}") for i in range(1, 51)]
    path = write_pdf("batch", render_many(docs))
    pages = _page_texts(path)
    assert len(pages) >= 50
    starts = [page for page in pages if "补正材料通知书" in page]
    assert len(starts) == 50
    for i, page in enumerate(starts, 1):
        assert f"编号：样本-{i:04d}" in page


def test_batch_with_one_rare_name_names_the_notice():
    base = SPECIMENS["supplement-notice"]()
    bad = dataclasses.replace(base, serial_no="样本-0099", blocks=(*base.blocks, Paragraph(f"王{NO_FONT_HAS_IT}")))
    with pytest.raises(MissingGlyphError) as caught:
        render_many([base, bad])
    assert caught.value.serial_no == "样本-0099"


def test_markup_characters_in_names_print_literally(write_pdf, pdf_text):
    doc = residence_certificate(dataclasses.replace(_cert_data(), name="A&B<C>"))
    assert "兹证明A&B<C>" in pdf_text(write_pdf("escape", render_pdf(doc)))


def test_provisional_deadline_is_explained(write_pdf, pdf_text):
    text = pdf_text(write_pdf("supp", render_pdf(SPECIMENS["supplement-notice"]())))
    assert "（暂定）" in text and "国家公布该年度节假日安排后将重新计算" in text


def test_firm_deadline_has_no_provisional_mark():
    from shequ_desktop.printing.templates import SupplementItem, SupplementNoticeData

    data = SupplementNoticeData(Header("样本-0100"), "幸福里社区工作站", "赵敏", "居住证明开具", dt.date(2026, 11, 23),
                                (SupplementItem("房屋租赁合同", "缺少", "原件及复印件各1份"),), dt.date(2026, 11, 26), 3,
                                "陈晓燕", "0755-8888 6601", dt.date(2026, 11, 23))
    text = render_text(supplement_notice(data))
    assert "2026年11月26日前（3个工作日内）" in text and "暂定" not in text


def _cert_data():
    from shequ_desktop.printing.templates import ResidenceCertificateData

    return ResidenceCertificateData(Header("样本-0200"), "幸福里社区居民委员会", "张三", "男", "440524188001010014",
                                    dt.date(2020, 5, 1), "幸福里小区1栋101室", "自有住房", "不动产权证书",
                                    "办理居住证", "陈晓燕", "0755-8888 6601", dt.date(2026, 11, 25))


def test_document_texts_cover_every_printed_string():
    doc = Document(kind="x", title="标题", serial_no="样本-1", blocks=(Paragraph("正文"),))
    assert {text for text, _ in doc.texts()} == {"标题", "样本-1", "正文"}
