"""Chinese line breaking for ReportLab paragraphs that never cuts an ID number, phone or case number.

ReportLab's CJK wrapping looks back only half a line for the start of a Latin/digit run, so an
18-digit 公民身份号码 after a long Chinese clause is cut before its last digit. ``CJKParagraph``
keeps such runs whole and applies the basic 避头尾 rules (no closing mark starts a line, no
opening mark ends one).
"""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

CANNOT_START = frozenset("，。、；：？！）》」』】〕〉”’…·%,.;:?!)]}")
CANNOT_END = frozenset("（《「『【〔〈“‘([{")
_SPACES = " \u00a0"


@lru_cache(maxsize=8192)
def _width(char: str, font: str, size: float) -> float:
    return float(stringWidth(char, font, size))


def _in_run(char: str) -> bool:
    # Latin letters, digits and their punctuation ("0755-8888", "110***002X", "9:00—12:00")
    return ord(char) < 0x3000 and char not in _SPACES and char not in CANNOT_START


def _break_at(text: str, start: int, overflow: int) -> int:
    """Where to end the line [start, …) whose character ``overflow`` does not fit."""
    brk = overflow
    if _in_run(text[overflow]) and _in_run(text[overflow - 1]):
        run = overflow
        while run > start and _in_run(text[run - 1]):
            run -= 1
        if run > start:  # a run longer than the whole line is cut like Chinese text
            brk = run
    elif text[overflow] in CANNOT_START and overflow - 1 > start:
        brk = overflow - 1  # take the previous character down with the closing mark
    if brk - 1 > start and text[brk - 1] in CANNOT_END:
        brk -= 1
    return brk


def split_lines(text: str, max_widths: list[float], font: str, size: float) -> list[tuple[float, str]]:
    """Greedy line breaking; returns (unused width, line text) per line, as ReportLab's wordSplit."""
    lines: list[tuple[float, str]] = []
    start, used, i, n = 0, 0.0, 0, len(text)
    max_w = max_widths[0]
    while i < n:
        used += _width(text[i], font, size)
        if used > max_w + 1e-6 and i > start:
            brk = _break_at(text, start, i)
            line = text[start:brk].rstrip(_SPACES)
            lines.append((max_w - sum(_width(c, font, size) for c in line), line))
            start = brk
            while start < n and text[start] in _SPACES:
                start += 1
            i, used = start, 0.0
            max_w = max_widths[min(len(lines), len(max_widths) - 1)]
            continue
        i += 1
    if start < n:
        line = text[start:]
        lines.append((max_w - sum(_width(c, font, size) for c in line), line))
    return lines


class CJKParagraph(Paragraph):
    """A Paragraph whose single-style CJK text is broken by ``split_lines``."""

    def breakLinesCJK(self, maxWidths):  # type: ignore[no-untyped-def]  # ReportLab's signature
        frags = self.frags
        simple = len(frags) == 1 and not hasattr(frags[0], "cbDefn") and not self.style.endDots
        if not simple or not hasattr(frags[0], "text"):
            return super().breakLinesCJK(maxWidths)
        if not isinstance(maxWidths, (list, tuple)):
            maxWidths = [maxWidths]
        self.height = 0
        f = frags[0]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", False):
            return f.clone(kind=0, lines=self.blPara.lines)
        lines = split_lines(f.text, list(maxWidths), f.fontName, f.fontSize)
        wrapped = [(space, [line]) for space, line in lines]
        return f.clone(kind=0, lines=wrapped, ascent=f.fontSize, descent=-0.2 * f.fontSize)

