"""PDF backend: renders abstract ``Document``s with ReportLab Platypus in the GB/T 9704 layout.

A4, margins 37/28/26/35 mm, 22pt title, 16pt (三号) body on a 29pt line pitch, 编号 and QR code
in the top margin, page numbers 「— 1 —」 for multi-page documents. All fonts are embedded.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether, PageTemplate
from reportlab.platypus import PageBreak as RLPageBreak
from reportlab.platypus import PageBreakIfNotEmpty
from reportlab.platypus import Spacer as RLSpacer
from reportlab.platypus import Table as RLTable
from reportlab.platypus import TableStyle

from shequ_desktop.printing import document as d
from shequ_desktop.printing import fonts as f
from shequ_desktop.printing.cjk_wrap import GridParagraph, TextStyle
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
BODY_W, BODY_H = PAGE_W - LEFT - RIGHT, PAGE_H - TOP - BOTTOM  # the 156 × 225 mm 版心
# (body size, characters per line, lines per page): GB/T 9704 §5.2.3 三号 on 22 × 28; forms use 四号
GRID = {"standard": (16.0, 28, 22), "compact": (14.0, 31, 26)}
QR_SIZE = 20 * mm


@dataclass(frozen=True)
class _Styles:
    """Named paragraph styles, built once per set of fonts and density."""

    para: dict[str, TextStyle]
    fonts: dict[str, str]
    line: float  # body line pitch
    char: float  # the grid's character pitch (字), the unit of indents


def grid_pitch(density: str = "standard") -> tuple[float, float]:
    """(character pitch, line pitch) of the grid: 28 characters fill 156 mm, 22 lines fill 225 mm.

    The pitch is glyph + spacing; the last character of a line has no spacing after it, so 28 glyphs
    and 27 gaps make exactly the 156 mm line.
    """
    size, chars, lines = GRID[density]
    return size + (BODY_W - chars * size) / (chars - 1), BODY_H / lines - 1e-6  # a hair less: 22 always fit


@lru_cache(maxsize=8)
def _styles_for(fonts: tuple[str, ...], density: str) -> _Styles:
    title, heading, subheading, body, table, number = fonts
    size, _chars, _lines = GRID[density]
    char, line = grid_pitch(density)
    grid = char - size  # a tiny negative spacing puts 28 三号 characters on a 156 mm line

    def style(name: str, font: str, fsize: float, leading: float, **kw: Any) -> TextStyle:
        return TextStyle(name, font, fsize, leading, **kw)

    indent = 2 * char  # GB/T 9704: paragraphs indented two characters
    para = {
        "title": style("title", title, 22, 32, align="center", space_after=line - 10),
        "org": style("org", title, 18, line, align="center"),
        "heading1": style("heading1", heading, size, line, first_indent=indent, char_space=grid),
        "heading2": style("heading2", subheading, size, line, first_indent=indent, char_space=grid),
        "body": style("body", body, size, line, first_indent=indent, char_space=grid),
        "body_noindent": style("body_noindent", body, size, line, char_space=grid),
        "small": style("small", table, 12, 20),
        "right": style("right", body, size, line, align="right", char_space=grid),
        "center": style("center", body, size, line, align="center", char_space=grid),
        "cell": style("cell", table, 12, 16, align="left"),
        "cell_center": style("cell_center", table, 12, 16, align="center"),
        "cell_head": style("cell_head", heading, 12, 16, align="center"),
        "signature": style("signature", body, size, line, align="left", char_space=grid),
    }
    names = {"title": title, "heading": heading, "subheading": subheading, "body": body, "table": table,
             "number": number}
    return _Styles(para, names, line, char)


def _styles(density: str) -> _Styles:
    names = tuple(font_name(role) for role in f.ROLES)
    return _styles_for(names, density)


def _p(text: str, style: TextStyle) -> GridParagraph:
    return GridParagraph(text, style)


def text_width(text: str, style: TextStyle) -> float:
    """Width of a one-line text in a style (each glyph in the font that prints it)."""
    return sum(float(stringWidth(run, font, style.size)) + len(run) * style.char_space
               for font, run in f.runs(text, style.font))


def draw_text(canv: Canvas, x: float, y: float, text: str, style: TextStyle) -> None:
    """One line of text at (x, baseline y), glyph by glyph in the font that has it."""
    tx = canv.beginText(x, y)
    tx.setCharSpace(style.char_space)
    for font, run in f.runs(text, style.font):
        tx.setFont(font, style.size)
        tx.textOut(run)
    canv.drawText(tx)


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
            text = f"编号：{doc.serial_no}"
            style = TextStyle("serial", fonts["table"], 12, 16)
            draw_text(canv, PAGE_W - RIGHT - text_width(text, style), PAGE_H - TOP + 8, text, style)
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
        if doc.draft:  # an unnumbered preview: marked so that nobody takes it for the document
            canv.setFont(fonts["heading"], 14)
            canv.setLineWidth(1)
            canv.rect(PAGE_W / 2 - 26, PAGE_H - 24 * mm - 6, 52, 24, stroke=1, fill=0)
            canv.drawCentredString(PAGE_W / 2, PAGE_H - 24 * mm, "样 稿")
            canv.drawRightString(PAGE_W - RIGHT, PAGE_H - TOP + 8, "编号：打印时编号")

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


class _Table(RLTable):
    """A ruled table that never leaves one row alone: at least two rows on each side of a page break."""

    MIN_ROWS = 2

    def _getFirstPossibleSplitRowPosition(self, availHeight: float, ignoreSpans: int = 0) -> int:  # noqa: N802,N803
        n = super()._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans)
        header = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        total = len(self._rowHeights)
        if n <= 0:
            return n
        if total - n < self.MIN_ROWS:  # keep the last rows company on the next page
            n = total - self.MIN_ROWS
        if n - header < self.MIN_ROWS:
            return 0  # too few rows would stay behind: move the table on
        return n


def _table(block: d.Table, styles: _Styles, width: float) -> RLTable:
    ratios = block.col_widths_ratio or tuple(1.0 for _ in block.headers)
    widths = [width * r / sum(ratios) for r in ratios]
    centred = block.centred()
    ps = styles.para
    if block.dense:
        ps = {k: replace(ps[k], size=10.5, leading=13) for k in ("cell_head", "cell_center", "cell")}
    data = [[_p(h, ps["cell_head"]) for h in block.headers]]
    for row in block.rows:
        data.append([_p(c, ps["cell_center" if centred[i] else "cell"]) for i, c in enumerate(row)])
    table = _Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2 if block.dense else 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3 if block.dense else 5),
        ("FONTNAME", (0, 0), (-1, -1), styles.fonts["table"]),  # else Helvetica is set for the cells
    ]))
    return table


class _Signature(Flowable):
    """Issuer and date for the seal (GB/T 9704 §7.3.5.1): the date ends four characters from the right
    edge, the issuer is centred on the date (moved left only as far as it must to stay in the line)."""

    def __init__(self, issuer: str, date_text: str, style: TextStyle, char: float) -> None:
        super().__init__()
        self.issuer, self.date_text, self.style, self.char = issuer, date_text, style, char

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self.width = availWidth
        self.height = 2 * self.style.leading
        return self.width, self.height

    def positions(self) -> tuple[float, float]:
        """x of the issuer and of the date."""
        st = self.style
        date_w = text_width(self.date_text, st) - st.char_space
        date_x = self.width - 4 * self.char - date_w
        issuer_w = text_width(self.issuer, st) - st.char_space
        issuer_x = min(date_x + (date_w - issuer_w) / 2, self.width - issuer_w)
        return max(0.0, issuer_x), date_x

    def draw(self) -> None:
        st = self.style
        issuer_x, date_x = self.positions()
        base = st.leading - (st.leading - st.size) / 2 - 0.86 * st.size
        draw_text(self.canv, issuer_x, self.height - base, self.issuer, st)
        draw_text(self.canv, date_x, self.height - st.leading - base, self.date_text, st)


def _signature(block: d.SignatureBlock, styles: _Styles, width: float) -> list[Flowable]:
    ps = styles.para
    parts: list[Flowable] = [_p(line, ps["body"]) for line in block.handler_lines]
    sig = _Signature(block.issuer + block.seal_text, block.date_text, ps["signature"], styles.char)
    parts += [RLSpacer(width, styles.line * 0.75), sig]
    return parts


def chart_floor(values: tuple[float | None, ...], target: float | None) -> float:
    """The value axis starts here: ten below the lowest bar or target, in steps of ten (0 at least),
    so that 95 % and 100 % do not look alike."""
    seen = [v for v in (*values, target) if v is not None]
    low = min(seen) if seen else 0.0
    return max(0.0, (int(low) // 10) * 10 - 10.0)


class _Charts(Flowable):
    """Percent bar charts side by side, drawn on the canvas: axis with ticks, bars (red below the
    target), the value above each bar, labels under them, the target as a dashed red line."""

    RED, BAR = colors.HexColor("#C62828"), colors.HexColor("#1F5FA8")
    GAP = 14.0

    def __init__(self, charts: tuple[d.BarChart, ...], height: float, styles: _Styles, width: float) -> None:
        super().__init__()
        self.charts, self.width, self.height = charts, width, height
        self.label_style = replace(styles.para["cell_center"], size=8, leading=10)
        self.title_style = replace(styles.para["cell"], size=10, leading=12)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.width, self.height

    def draw(self) -> None:
        n = len(self.charts)
        each = (self.width - self.GAP * (n - 1)) / n
        for i, chart in enumerate(self.charts):
            self._chart(chart, i * (each + self.GAP), each)

    def _chart(self, b: d.BarChart, x0: float, width: float) -> None:
        c, lab, tit = self.canv, self.label_style, self.title_style
        left, bottom, top = x0 + 24.0, 22.0, self.height - 26.0
        plot_w, plot_h = width - 28.0, top - bottom
        draw_text(c, x0, self.height - 11.0, b.title, tit)
        floor = chart_floor(b.values, b.target)
        scale = plot_h / (100.0 - floor)
        c.setLineWidth(0.4)
        for tick in range(int(floor), 101, 10 if 100 - floor <= 50 else 20):
            y = bottom + (tick - floor) * scale
            c.setStrokeColor(colors.HexColor("#DDDDDD") if tick > floor else colors.black)
            c.line(left, y, left + plot_w, y)
            draw_text(c, left - 3 - text_width(str(tick), lab), y - 3, str(tick), lab)
        c.setStrokeColor(colors.black)
        c.line(left, bottom, left, top)
        slot = plot_w / max(1, len(b.labels))
        bar_w = min(slot * 0.6, 28.0)
        for i, (label, value) in enumerate(zip(b.labels, b.values)):
            x = left + i * slot + (slot - bar_w) / 2
            if value is not None:
                c.setFillColor(self.RED if b.target is not None and value < b.target else self.BAR)
                h = max(0.0, (value - floor) * scale)
                c.rect(x, bottom, bar_w, h, stroke=0, fill=1)
                c.setFillColor(colors.black)
                text = f"{value:.1f}"
                draw_text(c, x + (bar_w - text_width(text, lab)) / 2, bottom + h + 2, text, lab)
            shown = label if value is not None else f"{label}(-)"
            draw_text(c, left + i * slot + (slot - text_width(shown, lab)) / 2, bottom - 11, shown, lab)
        if b.target is not None:
            y = bottom + (b.target - floor) * scale
            c.setStrokeColor(self.RED)
            c.setDash(3, 2)
            c.line(left, y, left + plot_w, y)
            c.setDash()
            c.setStrokeColor(colors.black)


def _flowables(block: d.Block, styles: _Styles, width: float) -> list[Flowable]:
    ps = styles.para
    if isinstance(block, d.Heading):
        heading = _p(block.text, ps["heading1" if block.level <= 1 else "heading2"])
        heading.keepWithNext = True  # a heading never ends a page
        return [heading]
    if isinstance(block, d.Paragraph):
        return [_p(block.text, ps[block.style])]
    if isinstance(block, d.Table):
        return [RLSpacer(width, 4), _table(block, styles, width), RLSpacer(width, 8)]
    if isinstance(block, d.SignatureBlock):
        return _signature(block, styles, width)
    if isinstance(block, d.Spacer):
        return [RLSpacer(width, block.lines * styles.line)]
    if isinstance(block, (d.BarChart, d.ChartRow)):
        charts = block.charts if isinstance(block, d.ChartRow) else (block,)
        height = block.height_lines * styles.line
        return [RLSpacer(width, 4), _Charts(charts, height, styles, width)]
    if isinstance(block, d.ReceiptLine):
        date = "　　　　年　　月　　日" if block.with_date else ""
        return [_p(f"{block.label}{'_' * 14}{date}", replace(ps["body_noindent"], align="left"))]
    return [RLPageBreak()]


def _tail_start(blocks: tuple[d.Block, ...]) -> int:
    """Index where the closing part starts: the paragraph before the signature, to the end."""
    for i, block in enumerate(blocks):
        if isinstance(block, d.SignatureBlock):
            return i - 1 if i and isinstance(blocks[i - 1], d.Paragraph) else i
    return len(blocks)


def _lead_count(blocks: tuple[d.Block, ...], index: int) -> int:
    """How many blocks before the table at ``index`` introduce it (its heading, notes, the line before)."""
    n = 0
    while index - n - 1 >= 0:
        block = blocks[index - n - 1]
        if isinstance(block, d.Heading) or (isinstance(block, d.Paragraph) and (n == 0 or block.style == "small")):
            n += 1
            if isinstance(block, d.Heading):
                break
        else:
            break
    return n


def _height(flowables: list[Flowable], width: float) -> float:
    total = 0.0
    for fl in flowables:
        total += fl.wrap(width, BODY_H)[1] + fl.getSpaceBefore() + fl.getSpaceAfter()
    return total


def _story(state: _DocState, styles: _Styles, width: float) -> list[Flowable]:
    """The flowables of one document.

    A table may break across pages with its header repeated and at least two rows on each side; the
    heading and notes before it start a page only when they and the table's first rows would not fit
    (``CondPageBreak``), so no page ends half empty because a whole section was kept together.
    """
    doc = state.doc
    story: list[Flowable] = [_DocStart(state)]
    if doc.org_line:
        story.append(_p(doc.org_line, styles.para["org"]))
    story.append(_p(doc.title, styles.para["title"]))
    tail = _tail_start(doc.blocks)
    blocks = doc.blocks[:tail]
    made = [_flowables(block, styles, width) for block in blocks]
    leads: dict[int, int] = {}  # index of the first lead block → index of its table
    for i, block in enumerate(blocks):
        if isinstance(block, d.Table):
            leads[i - _lead_count(blocks, i)] = i
    for i, flowables in enumerate(made):
        table_at = leads.get(i)
        if table_at is not None:
            lead = [fl for part in made[i:table_at] for fl in part]
            need = _height(lead, width)
            table = next(fl for fl in made[table_at] if isinstance(fl, RLTable))
            table.wrap(width, BODY_H)
            need += sum(table._rowHeights[:1 + _Table.MIN_ROWS]) + 4
            story.append(CondPageBreak(need))
        story.extend(flowables)
    # GB/T 9704: the seal never stands alone on a page; the applicant's receipt stays with it
    closing = [fl for block in doc.blocks[tail:] for fl in _flowables(block, styles, width)]
    if closing:
        story.append(KeepTogether(closing))
    return story


def render_many(docs: list[d.Document] | tuple[d.Document, ...], allow_missing: bool = False) -> bytes:
    """One PDF with every document, each starting on a new page with its own page numbers.

    A character that no font has raises MissingGlyphError, unless ``allow_missing``: then it is printed
    as a blank for the clerk to fill in by hand (the caller notes that in the register).
    """
    if not docs:
        raise ValueError("nothing to render")
    for doc in docs if not allow_missing else ():
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


def render_pdf(doc: d.Document, allow_missing: bool = False) -> bytes:
    """The document as PDF bytes; raises MissingGlyphError before rendering a character no font has."""
    return render_many([doc], allow_missing)
