"""The abstract printed document: a title, header data and a list of blocks.

Templates build a ``Document``; a backend (PDF, plain text) renders it. Blocks carry text and
a style *name* only — the concrete fonts and sizes live in the backend, as in Gramps' reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Union

ParagraphStyleName = Literal["body", "body_noindent", "small", "right", "center"]
Density = Literal["standard", "compact"]
FontRole = Literal["title", "heading", "subheading", "body", "table", "number"]  # which font prints a text


@dataclass(frozen=True)
class Heading:
    """A section heading such as 「一、申请条件」 (level 1, 黑体) or 「（一）」 (level 2, 楷体)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Plain text (no markup) in one of the named paragraph styles."""

    text: str
    style: ParagraphStyleName = "body"


@dataclass(frozen=True)
class Table:
    """A ruled table; ``col_widths_ratio`` gives relative column widths (empty = equal)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    col_widths_ratio: tuple[float, ...] = ()
    col_align: tuple[Literal["left", "center"], ...] = ()  # empty = centre only short columns
    dense: bool = False  # 10.5 pt cells with less padding: a long list that must stay on one page

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(f"table row has {len(row)} cells, expected {len(self.headers)}")
        for extra in (self.col_widths_ratio, self.col_align):
            if extra and len(extra) != len(self.headers):
                raise ValueError("col_widths_ratio and col_align need one entry per column")

    def centred(self) -> tuple[bool, ...]:
        """Which columns are centred: as given, else those whose cells are all short (序号, 份数)."""
        if self.col_align:
            return tuple(a == "center" for a in self.col_align)
        return tuple(all(len(row[i]) <= 3 for row in self.rows) for i in range(len(self.headers)))


@dataclass(frozen=True)
class SignatureBlock:
    """Handler lines (经办人, 电话) on the left, then issuer and date right-aligned for the seal."""

    issuer: str
    date_text: str
    seal_text: str = ""  # e.g. "（盖章）", printed after the issuer
    handler_lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Spacer:
    """Vertical space measured in body lines."""

    lines: float = 1.0


@dataclass(frozen=True)
class ReceiptLine:
    """The applicant's signature line: 「申请人签收：________　　年　月　日」."""

    label: str = "申请人签收："
    with_date: bool = True


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


@dataclass(frozen=True)
class BarChart:
    """A bar chart of percentages with a dashed target line; bars below the target print red.

    ``values`` has one entry per label; None = no records (no bar, 「-」 under the label)."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    target: float | None = None
    height_lines: float = 6.0          # the chart's height in body lines

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.values):
            raise ValueError("a bar chart needs one value per label")


@dataclass(frozen=True)
class ChartRow:
    """Bar charts side by side, sharing the line's width (e.g. by month | per worker)."""

    charts: tuple[BarChart, ...]
    height_lines: float = 5.0


Block = Union[Heading, Paragraph, Table, SignatureBlock, Spacer, ReceiptLine, PageBreak, BarChart, ChartRow]


@dataclass(frozen=True)
class Document:
    """One printed document: header data (serial number, verification code) and its blocks."""

    kind: str  # machine name, e.g. "supplement-notice"; goes to the PDF subject and the register
    title: str
    serial_no: str
    verification_code: str = ""
    verify_url_or_text: str = ""  # QR payload; empty = no QR code
    language: str = "zh_CN"
    blocks: tuple[Block, ...] = ()
    reprint: bool = False  # 补打: a second print of an already registered document
    draft: bool = False  # 样稿: an unnumbered preview, not a document
    org_line: str = ""  # issuing organisation printed above the title, e.g. 幸福里社区工作站
    author: str = ""  # PDF metadata author (the issuing organisation)
    subject: str = ""  # PDF metadata subject
    density: Density = "standard"  # "compact" = 四号 body for forms such as receipts

    def texts(self) -> Iterator[tuple[str, FontRole]]:
        """Every printed string with the font role it is printed in (for glyph checks)."""
        yield self.title, "title"
        if self.org_line:
            yield self.org_line, "title"
        for text in (self.serial_no, self.verification_code):
            if text:
                yield text, "table"  # the page header is set in the table font
        for block in self.blocks:
            yield from block_texts(block)


def block_texts(block: Block) -> Iterator[tuple[str, FontRole]]:
    """(text, font role) pairs printed by one block."""
    if isinstance(block, Heading):
        yield block.text, "heading" if block.level <= 1 else "subheading"
    elif isinstance(block, Paragraph):
        yield block.text, "table" if block.style == "small" else "body"
    elif isinstance(block, Table):
        for header in block.headers:
            yield header, "heading"
        for row in block.rows:
            for cell in row:
                yield cell, "table"
    elif isinstance(block, SignatureBlock):
        for text in (*block.handler_lines, block.issuer, block.seal_text, block.date_text):
            yield text, "body"
    elif isinstance(block, ReceiptLine):
        yield block.label, "body"
    elif isinstance(block, BarChart):
        yield block.title, "table"
        for label in block.labels:
            yield label, "table"
    elif isinstance(block, ChartRow):
        for chart in block.charts:
            yield from block_texts(chart)


_CN_DIGITS = "〇一二三四五六七八九"


def format_cn_date(date: dt.date) -> str:
    """2026年11月25日 — Arabic numerals without zero padding (GB/T 9704 §7.3.5)."""
    return f"{date.year}年{date.month}月{date.day}日"


def format_cn_month(date: dt.date) -> str:
    """2019年3月."""
    return f"{date.year}年{date.month}月"


def format_cn_datetime(when: dt.datetime) -> str:
    """2026年11月25日 09:05 (hours and minutes zero-padded like a clock)."""
    return f"{format_cn_date(when.date())} {when.hour:02d}:{when.minute:02d}"


def cn_ordinal(n: int) -> str:
    """Chinese numeral for headings 一、二、… (1–99)."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    prefix = "" if tens == 1 else _CN_DIGITS[tens]
    return prefix + "十" + (_CN_DIGITS[ones] if ones else "")


@dataclass
class DocumentBuilder:
    """Collects blocks; templates use it to keep their code flat."""

    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> DocumentBuilder:
        self.blocks.extend(blocks)
        return self

    def build(self) -> tuple[Block, ...]:
        return tuple(self.blocks)
