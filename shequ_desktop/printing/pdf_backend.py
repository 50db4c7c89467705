"""PDF backend: renders abstract ``Document``s with ReportLab Platypus in the GB/T 9704 layout.

A4, margins 37/28/26/35 mm, 22pt title, 16pt (三号) body on a 29pt line pitch, 编号 and QR code
in the top margin, page numbers 「— 1 —」 for multi-page documents. All fonts are embedded.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepTogether, PageTemplate
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import PageBreakIfNotEmpty
from reportlab.platypus import Spacer as RLSpacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from shequ_desktop.printing import document as d
from shequ_desktop.printing.cjk_wrap import CJKParagraph
from shequ_desktop.printing.fonts import MissingGlyphError, check_glyphs, font_name
from shequ_desktop.printing.qr import draw_qr, qr_matrix

rl_config.useA85 = 0  # binary streams: a quarter smaller, and pure-Python ASCII85 cost ~1 ms a page


def _flate(data: str | bytes) -> bytes:
    # zlib level 1 instead of 6: deflating the embedded font subsets was ~15% of a notice's render
    # time; the files grow by ~4% (59 → 62 KB for a one-time notice) and stay deterministic
    return zlib.compress(data.encode("utf8") if isinstance(data, str) else data, 1)


pdfdoc.PDFZCompress.encode = _flate  # the one FlateDecode filter object every stream of every PDF uses

PAGE_W, PAGE_H = A4
TOP, LEFT, RIGHT, BOTTOM = 37 * mm, 28 * mm, 26 * mm, 35 * mm
# (body size, line pitch): 三号 on the 22-lines-per-page grid; forms use 四号 to stay on one page
DENSITY = {"standard": (16.0, 29.0), "compact": (14.0, 24.0)}
QR_SIZE = 20 * mm


@dataclass(frozen=True)
class _Styles:
    """Named paragraph styles, built once per set of fonts and density."""

    para: dict[str, ParagraphStyle]
    fonts: dict[str, str]
    line: float  # body line pitch
    char: float  # width of one character (字), the unit of indents


@lru_cache(maxsize=8)
def _styles_for(fonts: tuple[str, str, str, str, str], density: str) -> _Styles:
    title, heading, body, table, number = fonts
    size, line = DENSITY[density]

    def style(name: str, font: str, fsize: float, leading: float, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=fsize, leading=leading, wordWrap="CJK", **kw)

    indent = 2 * size  # GB/T 9704: paragraphs indented two characters
    para = {
        "title": style("title", title, 22, 32, alignment=TA_CENTER, spaceAfter=line - 10),
        "org": style("org", title, 18, line, alignment=TA_CENTER),
        "heading1": style("heading1", heading, size, line, firstLineIndent=indent, spaceBefore=6),
        "heading2": style("heading2", body, size, line, firstLineIndent=indent),
        "body": style("body", body, size, line, firstLineIndent=indent),
        "body_noindent": style("body_noindent", body, size, line),
        "small": style("small", table, 12, 20),
        "right": style("right", body, size, line, alignment=TA_RIGHT),
        "center": style("center", body, size, line, alignment=TA_CENTER),
        "cell": style("cell", table, 12, 16, alignment=TA_LEFT),
        "cell_center": style("cell_center", table, 12, 16, alignment=TA_CENTER),
        "cell_head": style("cell_head", heading, 12, 16, alignment=TA_CENTER),
        "signature": style("signature", body, size, line, alignment=TA_CENTER),
    }
    names = {"title": title, "heading": heading, "body": body, "table": table, "number": number}
    return _Styles(para, names, line, size)


def _styles(density: str) -> _Styles:
    fonts = (font_name("title"), font_name("heading"), font_name("body"), font_name("table"), font_name("number"))
    return _styles_for(fonts, density)


@lru_cache(maxsize=16)
def _ideographic_space(font: str, size: float) -> str:
    # ReportLab collapses U+3000 like any blank; no-break spaces of the same total width survive
    nbsp_width = float(stringWidth("\u00a0", font, size))
    return "\u00a0" * max(1, round(size / nbsp_width))


@lru_cache(maxsize=4096)
def _parsed(text: str, style: ParagraphStyle) -> tuple[str, list[Any]]:
    """Markup and parsed fragments of a plain text in a style (styles are cached, hashed by identity).

    Most of a notice is fixed template wording: parsing it once instead of per document saves
    ReportLab's XML parser about a tenth of a notice's render time. Paragraphs only read their
    fragments (line breaking works on clones), so sharing them between documents is safe.
    """
    # model text is plain: escape so a name like "A&B" cannot break the paragraph markup
    markup = escape(text).replace("\n", "<br/>")
    if "\u3000" in markup:
        markup = markup.replace("\u3000", _ideographic_space(style.fontName, style.fontSize))
    return markup, CJKParagraph(markup, style).frags


def _p(text: str, style: ParagraphStyle) -> CJKParagraph:
    markup, frags = _parsed(text, style)
    return CJKParagraph(markup, style, frags=frags)


class _DocState:
    """Per-document page bookkeeping while several documents share one PDF."""

    def __init__(self, index: int, doc: d.Document) -> None:
        self.index = index
        self.doc = doc
        self.pages = 0
        self.qr = qr_matrix(doc.verify_url_or_text) if doc.verify_url_or_text else None


class _DocStart(Flowable):
    """Zero-size marker: the following pages belong to this document."""

    def __init__(self, state: _DocState) -> None:
        super().__init__()
        self.state = state
        self.width = self.height = 0

    def draw(self) -> None:
        self.canv._doctemplate.current = self.state


class _DocLater(Flowable):
    """Placeholder for one document of a batch: its flowables are made only when layout reaches it.

    A 1,000-notice batch then never holds 1,000 stories at once, so the heap (and the time any
    full garbage collection holds the GIL, stalling the GUI thread) stays small.
    """

    def __init__(self, index: int, doc: d.Document) -> None:
        super().__init__()
        self.index = index
        self.doc = doc
        self.width = self.height = 0


class _Template(BaseDocTemplate):
    """A4 GB/T 9704 page; draws headers per page and fills page-number forms at the end."""

    def __init__(self, buffer: io.BytesIO, styles: _Styles, **meta: Any) -> None:
        super().__init__(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
                         bottomMargin=BOTTOM, invariant=1, creator="shequ_desktop",
                         initialFontName=styles.fonts["body"], **meta)  # never a non-embedded Helvetica
        self.sq_styles = styles
        self.current: _DocState | None = None
        self.states: list[_DocState] = []
        frame = Frame(LEFT, BOTTOM, PAGE_W - LEFT - RIGHT, PAGE_H - TOP - BOTTOM, 0, 0, 0, 0, id="body")
        self.addPageTemplates([PageTemplate("page", [frame], onPageEnd=self._page_end)])

    def filterFlowables(self, flowables: list[Flowable]) -> None:
        first = flowables[0]
        if isinstance(first, _DocLater):
            state = _DocState(first.index, first.doc)
            self.states.append(state)
            flowables[0:1] = _story(state, _styles(first.doc.density), self.width)

    def _page_end(self, canv: Canvas, _doc: BaseDocTemplate) -> None:
        state = self.current
        if state is None:
            return
        state.pages += 1
        canv.saveState()
        self._draw_header(canv, state)
        canv.doForm(f"sqpn{state.index}_{state.pages}")  # filled in once the page count is known
        canv.restoreState()

    def _draw_header(self, canv: Canvas, state: _DocState) -> None:
        fonts = self.sq_styles.fonts
        doc = state.doc
        if doc.serial_no:
            canv.setFont(fonts["table"], 12)
            canv.drawRightString(PAGE_W - RIGHT, PAGE_H - TOP + 8, f"编号：{doc.serial_no}")
        if state.qr is not None:
            draw_qr(canv, state.qr, LEFT, PAGE_H - 10 * mm - QR_SIZE, QR_SIZE)
        if doc.verification_code:
            canv.setFont(fonts["table"], 8)
            canv.drawString(LEFT, PAGE_H - 10 * mm - QR_SIZE - 10, f"验证码：{doc.verification_code}")
        if doc.reprint:
            canv.setFont(fonts["heading"], 14)
            canv.setLineWidth(1)
            canv.rect(PAGE_W / 2 - 26, PAGE_H - 24 * mm - 6, 52, 24, stroke=1, fill=0)
            canv.drawCentredString(PAGE_W / 2, PAGE_H - 24 * mm, "补 打")

    def _endBuild(self) -> None:
        self._doSave = 0  # define the page-number forms before the canvas is saved
        super()._endBuild()
        canv = self.canv
        for state in self.states:
            for page in range(1, state.pages + 1):
                canv.beginForm(f"sqpn{state.index}_{page}")
                if state.pages > 1:
                    self._draw_page_number(canv, page)
                canv.endForm()
        canv.save()

    def _draw_page_number(self, canv: Canvas, page: int) -> None:
        canv.setFont(self.sq_styles.fonts["number"], 14)
        text, y = f"— {page} —", BOTTOM - 7 * mm - 12
        if page % 2:  # GB/T 9704 §7.5: odd pages right, even pages left, one character in
            canv.drawRightString(PAGE_W - RIGHT - 14, y, text)
        else:
            canv.drawString(LEFT + 14, y, text)


def _table(block: d.Table, styles: _Styles, width: float) -> RLTable:
    ratios = block.col_widths_ratio or tuple(1.0 for _ in block.headers)
    widths = [width * r / sum(ratios) for r in ratios]
    centred = block.centred()
    ps = styles.para
    data = [[_p(h, ps["cell_head"]) for h in block.headers]]
    for row in block.rows:
        data.append([_p(c, ps["cell_center" if centred[i] else "cell"]) for i, c in enumerate(row)])
    table = RLTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("FONTNAME", (0, 0), (-1, -1), styles.fonts["table"]),  # else Helvetica is set for the cells
    ]))
    return table


def _signature(block: d.SignatureBlock, styles: _Styles, width: float) -> list[Flowable]:
    ps = styles.para
    parts: list[Flowable] = [_p(line, ps["body"]) for line in block.handler_lines]
    issuer = block.issuer + block.seal_text
    # GB/T 9704 §7.3.5.1: date 4 characters from the right, issuer centred above it
    char = styles.char
    text_w = max(len(issuer), len(block.date_text) * 0.75, 6) * char + char
    cells = [[_p(issuer, ps["signature"]), ""], [_p(block.date_text, ps["signature"]), ""]]
    sig = RLTable(cells, colWidths=[text_w, 2 * char], hAlign="RIGHT")
    sig.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                             ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                             # empty string cells would otherwise select the table default, Helvetica
                             ("FONTNAME", (0, 0), (-1, -1), styles.fonts["body"])]))
    parts += [RLSpacer(width, styles.line * 0.75), sig]
    return parts


def _flowables(block: d.Block, styles: _Styles, width: float) -> list[Flowable]:
    ps = styles.para
    if isinstance(block, d.Heading):
        return [_p(block.text, ps["heading1" if block.level <= 1 else "heading2"])]
    if isinstance(block, d.Paragraph):
        return [_p(block.text, ps[block.style])]
    if isinstance(block, d.Table):
        return [RLSpacer(width, 4), _table(block, styles, width), RLSpacer(width, 8)]
    if isinstance(block, d.SignatureBlock):
        return _signature(block, styles, width)
    if isinstance(block, d.Spacer):
        return [RLSpacer(width, block.lines * styles.line)]
    if isinstance(block, d.ReceiptLine):
        date = "　　　　年　　月　　日" if block.with_date else ""
        return [_p(f"{block.label}{'_' * 14}{date}", ps["body_noindent"])]
    return [RLPageBreak()]


def _tail_start(blocks: tuple[d.Block, ...]) -> int:
    """Index where the closing part starts: the paragraph before the signature, to the end."""
    for i, block in enumerate(blocks):
        if isinstance(block, d.SignatureBlock):
            return i - 1 if i and isinstance(blocks[i - 1], d.Paragraph) else i
    return len(blocks)


def _story(state: _DocState, styles: _Styles, width: float) -> list[Flowable]:
    doc = state.doc
    story: list[Flowable] = [_DocStart(state)]
    if doc.org_line:
        story.append(_p(doc.org_line, styles.para["org"]))
    story.append(_p(doc.title, styles.para["title"]))
    tail = _tail_start(doc.blocks)
    section: list[Flowable] | None = None  # a heading stays on the page of its first table
    for block in doc.blocks[:tail]:
        if isinstance(block, (d.Heading, d.PageBreak)) and section:
            story.append(KeepTogether(section))
            section = None
        flowables = _flowables(block, styles, width)
        if isinstance(block, d.Heading):
            section = flowables
        elif section is not None:
            section.extend(flowables)
            if isinstance(block, d.Table):
                story.append(KeepTogether(section))
                section = None
        else:
            story.extend(flowables)
    if section:
        story.append(KeepTogether(section))
    # GB/T 9704: the seal never stands alone on a page; the applicant's receipt stays with it
    closing = [f for block in doc.blocks[tail:] for f in _flowables(block, styles, width)]
    if closing:
        story.append(KeepTogether(closing))
    return story


def render_many(docs: list[d.Document] | tuple[d.Document, ...]) -> bytes:
    """One PDF with every document, each starting on a new page with its own page numbers."""
    if not docs:
        raise ValueError("nothing to render")
    for doc in docs:
        try:
            check_glyphs(doc.texts())
        except MissingGlyphError as err:
            err.serial_no = doc.serial_no  # type: ignore[attr-defined]  # which notice to fix
            raise
    styles = _styles("standard")
    first = docs[0]
    title = first.title if len(docs) == 1 else f"{first.title}等{len(docs)}份"
    buffer = io.BytesIO()
    template = _Template(buffer, styles, title=title, author=first.author, subject=first.subject or first.kind,
                         lang="zh-CN")
    story: list[Flowable] = []
    for index, doc in enumerate(docs):
        if index:
            story.append(PageBreakIfNotEmpty())
        story.append(_DocLater(index, doc))  # expanded by _Template.filterFlowables
    template.build(story)
    return buffer.getvalue()


def render_pdf(doc: d.Document) -> bytes:
    """The document as PDF bytes; raises MissingGlyphError before rendering a character the font lacks."""
    return render_many([doc])
