"""Typesetting read back from the PDF (pdftotext -bbox-layout): unbroken numbers, justified lines, the
GB/T 9704 22 × 28 grid, the signature block, rare characters, tables across pages, the receipt."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from shequ_desktop.domain.service_catalogue import service_by_code
from shequ_desktop.printing.document import Document, Paragraph, SignatureBlock
from shequ_desktop.printing.pdf_backend import BODY_W, LEFT, RIGHT, PAGE_W, grid_pitch, render_pdf
from shequ_desktop.printing.templates import (
    SPECIMENS, AcceptanceReceiptData, Header, OneTimeNoticeData, ReceivedMaterial, ResidenceCertificateData,
    acceptance_receipt, one_time_notice, residence_certificate,
)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
RIGHT_EDGE = PAGE_W - RIGHT
NS = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    x1: float
    y0: float


def _lines(path: Path) -> list[list[Line]]:
    """Lines of each page in reading order: the words that share a baseline, table cells included."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    root = ET.fromstring(out)
    pages = []
    for page in root.iter(f"{NS}page"):
        words = sorted(((float(w.get("yMax")), float(w.get("xMin")), float(w.get("xMax")), float(w.get("yMin")),
                         w.text or "") for w in page.iter(f"{NS}word")))
        rows: list[list[tuple[float, float, float, float, str]]] = []
        for word in words:
            if rows and abs(rows[-1][0][0] - word[0]) < 2.0:
                rows[-1].append(word)
            else:
                rows.append([word])
        lines = []
        for row in rows:
            row.sort(key=lambda w: w[1])
            lines.append(Line("".join(w[4] for w in row), row[0][1], max(w[2] for w in row), min(w[3] for w in row)))
        pages.append(lines)
    return pages


def _write(tmp_path: Path, name: str, doc: Document, **kw: object) -> Path:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(render_pdf(doc, **kw))
    return path


def _cert(name: str) -> ResidenceCertificateData:
    return ResidenceCertificateData(
        Header("样本-0300"), "幸福里社区居民委员会", name, "女", "11010519491231002X", dt.date(2019, 3, 1),
        "深圳市福田区幸福里小区8栋2单元503室", "租住", "房屋租赁合同", "办理子女入学", "陈晓燕",
        "0755-8888 6601", dt.date(2026, 11, 25))


@pytest.mark.parametrize("name", ["张兰", "张秀兰", "欧阳秀兰"])
def test_id_number_is_whole_on_one_line_and_the_line_before_is_justified(tmp_path, name):
    lines = _lines(_write(tmp_path, "cert", residence_certificate(_cert(name))))[0]
    holding = [i for i, ln in enumerate(lines) if "11010519491231002X" in ln.text]
    assert holding, [ln.text for ln in lines]
    id_number = "11010519491231002X"
    assert not any(ln.text.endswith(id_number[:k]) or ln.text.startswith(id_number[k:])
                   for ln in lines for k in range(4, 18)), [ln.text for ln in lines]
    i = holding[0]
    if not lines[i].text.startswith("兹证明"):  # the number moved down: the line before is full
        before = lines[i - 1]
        assert abs(before.x1 - RIGHT_EDGE) < 1.0, (before, RIGHT_EDGE)
    first = next(ln for ln in lines if ln.text.startswith("兹证明"))
    assert abs(first.x1 - RIGHT_EDGE) < 1.0  # the first line of the paragraph is justified too


def test_body_is_set_on_the_22_by_28_grid(tmp_path):
    text = "社区工作站依法为居民提供公共服务" * 120  # Chinese only: every full line has exactly 28 characters
    doc = Document(kind="grid", title="网格", serial_no="", blocks=(Paragraph(text, "body_noindent"),))
    pages = _lines(_write(tmp_path, "grid", doc))
    assert len(pages) >= 3
    body = [ln for ln in pages[1] if ln.text and "—" not in ln.text]  # a full continuation page
    assert len(body) == 22
    assert all(len(ln.text) == 28 for ln in body), [len(ln.text) for ln in body]
    assert all(abs(ln.x0 - LEFT) < 1.0 and abs(ln.x1 - RIGHT_EDGE) < 1.0 for ln in body)
    char, _line = grid_pitch()
    assert abs(char * 27 + 16 - BODY_W) < 0.01


def test_date_is_four_characters_from_the_right_and_the_issuer_centred_on_it(tmp_path):
    doc = Document(kind="sig", title="签署", serial_no="", blocks=(
        Paragraph("特此证明。"), SignatureBlock("幸福里社区居民委员会", "2026年11月25日", "（盖章）")))
    lines = _lines(_write(tmp_path, "sig", doc))[0]
    date = next(ln for ln in lines if ln.text == "2026年11月25日")
    issuer = next(ln for ln in lines if ln.text.startswith("幸福里社区居民委员会"))
    char, _line = grid_pitch()
    assert abs((RIGHT_EDGE - date.x1) - 4 * char) < 1.5, (date, RIGHT_EDGE - date.x1, 4 * char)
    assert abs((issuer.x0 + issuer.x1) / 2 - (date.x0 + date.x1) / 2) < 1.5
    assert issuer.y0 < date.y0


def test_rare_characters_print_as_text_in_an_embedded_font_that_has_them(tmp_path):
    cert = residence_certificate(dataclasses.replace(_cert("王䶮"), handler_name="𠈌𠮷堃喆"))
    path = _write(tmp_path, "rare", cert)
    text = "".join(ln.text for page in _lines(path) for ln in page)
    for char in "䶮𠈌𠮷堃喆":
        assert char in text, char
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    hana = [row.split() for row in fonts.splitlines() if "HanaMin" in row]
    assert hana and all(row[-5:-2] == ["yes", "yes", "yes"] for row in hana), fonts  # emb, sub, uni


def test_receipt_shows_pages_the_station_phone_and_a_dated_signature(tmp_path):
    at = dt.datetime(2026, 11, 25, 9, 42)
    data = AcceptanceReceiptData(
        Header("样本-0400"), "幸福里社区工作站", "20261125-DIBAO-0008", "李建国", "11010519491231002X",
        "13812348000", "最低生活保障申请", at, at, (ReceivedMaterial("户口簿", "复印件", 2, 7),
                                                    ReceivedMaterial("申请书", "原件", 1)),
        5, dt.date(2026, 12, 2), "陈晓燕", "王海涛", station_phone="0755-8888 6601")
    lines = [ln.text for ln in _lines(_write(tmp_path, "receipt", acceptance_receipt(data)))[0]]
    row = next(t for t in lines if "户口簿" in t)
    assert row.endswith("复印件27"), row  # 份数 2, 页数 7 (not the copies twice)
    assert next(t for t in lines if "申请书" in t).endswith("原件1")  # pages not counted: a blank
    assert any("0755-88886601" in t for t in lines if t.startswith("进度查询")), lines
    sign = next(t for t in lines if t.startswith("申请人签字"))
    assert sign.endswith("年月日"), sign
    assert any("110***********002X" in t for t in lines)


def test_one_time_notice_keeps_two_rows_together_and_repeats_the_header(tmp_path):
    data = OneTimeNoticeData(Header("样本-0500"), "幸福里社区工作站", "李建国", service_by_code("DIBAO"),
                             dt.date(2026, 11, 25), "陈晓燕", "0755-8888 6601", "12345",
                             "幸福里社区党群服务中心一楼服务窗口", "工作日上午9:00—12:00", applied=True)
    pages = _lines(_write(tmp_path, "notice", one_time_notice(data)))
    text = "".join(ln.text for page in pages for ln in page)
    assert "提出“最低生活保障申请”" in text and "申请办理“最低生活保障申请”" not in text
    for number, page in enumerate(pages[1:], 2):
        header = [i for i, ln in enumerate(page) if ln.text.startswith("序号材料名称")]
        if not header:
            continue
        rows = [ln for ln in page[header[0] + 1:] if re.match(r"^\d+\S", ln.text) and ln.x0 < LEFT + 30]
        assert len(rows) >= 2, (number, [ln.text for ln in page])


def test_catalogue_sections_break_with_a_repeated_header_instead_of_leaving_pages_empty(tmp_path):
    pages = _lines(_write(tmp_path, "catalogue", SPECIMENS["catalogue"]()))
    continued = [page for page in pages[1:]
                 if [ln.text for ln in page if not ln.text.startswith(("验证码", "编号"))][0].startswith("序号材料名称")]
    assert continued, "no section continues on the next page with its header repeated"
    bottom = 297 * 72 / 25.4 - 35 * 72 / 25.4  # y of the text block's bottom, from the top
    for page in pages[:-1]:
        last = max(ln.y0 for ln in page if "—" not in ln.text)
        # a section starts on a new page only when its heading, notes, header and two rows do not fit (≤ ~70 mm);
        # keeping whole sections together left up to 127 mm empty
        assert bottom - last < 80 * 72 / 25.4, f"{(bottom - last) / 72 * 25.4:.0f} mm empty"


def test_papers_mask_as_domain_7_6_says():
    from shequ_desktop.printing.templates import mask_id_on_paper, mask_phone_on_paper
    assert mask_id_on_paper("11010519491231002X") == "110***********002X"
    assert mask_id_on_paper("110***********002X") == "110***********002X"
    assert mask_phone_on_paper("13812348000") == "138****8000"
