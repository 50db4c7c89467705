"""Plain-text backend: the same content in the same order as the PDF, for tests and logs."""

from __future__ import annotations

import unicodedata

from shequ_desktop.printing import document as d

WIDTH = 56  # columns: 28 Chinese characters, the GB/T 9704 line length
INDENT = "　　"  # two full-width spaces, the 左空二字 paragraph indent


def _columns(text: str) -> int:
    # Chinese characters and full-width punctuation take two terminal columns
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _right(text: str) -> str:
    return " " * max(0, WIDTH - _columns(text)) + text


def _center(text: str) -> str:
    return " " * max(0, (WIDTH - _columns(text)) // 2) + text


def _table(block: d.Table) -> list[str]:
    lines = [" | ".join(block.headers)]
    lines.append("-" * min(WIDTH, len(lines[0]) * 2))
    lines.extend(" | ".join(row) for row in block.rows)
    return lines


def _block(block: d.Block) -> list[str]:
    if isinstance(block, d.Heading):
        return [INDENT + block.text]
    if isinstance(block, d.Paragraph):
        if block.style == "body":
            return [INDENT + block.text]
        if block.style == "right":
            return [_right(block.text)]
        if block.style == "center":
            return [_center(block.text)]
        return [block.text]
    if isinstance(block, d.Table):
        return _table(block)
    if isinstance(block, d.SignatureBlock):
        lines = [INDENT + line for line in block.handler_lines]
        return [*lines, "", _right(block.issuer + block.seal_text), _right(block.date_text)]
    if isinstance(block, d.Spacer):
        return [""] * max(1, round(block.lines))
    if isinstance(block, d.BarChart):
        target = "" if block.target is None else f"（目标 {block.target:g}%）"
        return [f"〔图〕{block.title}{target}"] + [
            f"  {label}：{'-' if v is None else f'{v:.1f}%'}" for label, v in zip(block.labels, block.values)]
    if isinstance(block, d.ChartRow):
        return [line for chart in block.charts for line in _block(chart)]
    if isinstance(block, d.ReceiptLine):
        return [block.label + "__________" + ("　　年　月　日" if block.with_date else "")]
    return ["\f"]


def render_text(doc: d.Document) -> str:
    """The document as plain text: header (编号, 验证码, 补打), title, then every block."""
    lines: list[str] = []
    if doc.reprint:
        lines.append("【补打】")
    if doc.draft:
        lines.append("【样稿】")
    if doc.serial_no:
        lines.append(_right(f"编号：{doc.serial_no}"))
    if doc.verification_code:
        lines.append(f"验证码：{doc.verification_code}")
    if doc.org_line:
        lines.append(_center(doc.org_line))
    lines.append(_center(doc.title))
    lines.append("")
    for block in doc.blocks:
        lines.extend(_block(block))
    return "\n".join(lines) + "\n"


def render_text_many(docs: list[d.Document] | tuple[d.Document, ...]) -> str:
    """Several documents separated by form feeds, like the batch PDF's page breaks."""
    return "\f\n".join(render_text(doc) for doc in docs)
