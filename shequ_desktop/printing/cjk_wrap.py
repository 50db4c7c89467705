"""Chinese typesetting for the PDF backend: a paragraph flowable on the GB/T 9704 character grid.

``GridParagraph`` replaces ReportLab's Paragraph for every text of a document:

- a run of digits or Latin letters (公民身份号码, phone numbers, serials, ``110***002X``) never breaks
  inside a line, and a date such as 2026年12月3日 stays one unit where that leaves no large gap;
- 避头尾: no closing mark starts a line, no opening mark ends one;
- every line but a paragraph's last is justified (the spare width is shared between the characters,
  as Chinese typesetting does), so a number moved to the next line leaves no ragged hole;
- the body is set on a grid: ``char_space`` is added after each character, so 28 三号 characters
  fill the 156 mm line (16 pt glyphs on a 15.8 pt pitch, the "tiny negative character spacing");
- each glyph is printed in the first font that has it (``fonts.runs``): the role's font, then the
  rare-character fallbacks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from shequ_desktop.printing import fonts

CANNOT_START = frozenset("，。、；：？！）》」』】〕〉”’…·%,.;:?!)]}")
CANNOT_END = frozenset("（《「『【〔〈“‘([{")
_SPACES = " \u00a0\u3000"
_FUZZ = 0.01
# 2026年12月3日, 2026年12月, 12月3日: digits glued to their 年/月/日; the whole date is kept together
# unless pushing it down would leave more than this many characters empty
_DATE = re.compile(r"\d{2,4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日")
_DATE_PART = re.compile(r"\d+[年月日]")
_DATE_MAX_GAP_CHARS = 3.0

Align = Literal["justify", "left", "center", "right"]


@dataclass(frozen=True)
class TextStyle:
    """How a paragraph is set: primary font, size, line pitch, alignment, indent, grid spacing."""

    name: str
    font: str
    size: float
    leading: float
    align: Align = "justify"
    first_indent: float = 0.0  # in points
    char_space: float = 0.0  # added after every character (the grid pitch minus the glyph width)
    space_before: float = 0.0
    space_after: float = 0.0


def _in_run(char: str) -> bool:
    # Latin letters, digits and the punctuation inside them ("0755-8888", "110***002X", "9:00—12:00")
    return ord(char) < 0x3000 and char not in _SPACES and char not in CANNOT_START and char != "\n"


def _digit_gap(text: str, j: int) -> bool:
    # one space inside a number ("0755-8888 6601") belongs to it
    return text[j] == " " and 0 < j < len(text) - 1 and text[j - 1].isdigit() and text[j + 1].isdigit()


@lru_cache(maxsize=16384)
def _width(char: str, font: str, size: float) -> float:
    return float(stringWidth(char, font, size))


@dataclass(frozen=True)
class _Unit:
    """Characters [start, end) that never break apart; ``date_group`` ties the parts of a date."""

    start: int
    end: int
    date_group: int = -1


def _units(text: str) -> list[_Unit]:
    n = len(text)
    dates: dict[int, tuple[int, int]] = {}  # start index of a date part → (end, group)
    for group, m in enumerate(_DATE.finditer(text)):
        for part in _DATE_PART.finditer(m.group()):
            dates[m.start() + part.start()] = (m.start() + part.end(), group)
    units: list[_Unit] = []
    i = 0
    while i < n:
        if i in dates:
            end, group = dates[i]
            units.append(_Unit(i, end, group))
            i = end
            continue
        j = i + 1
        if _in_run(text[i]):
            while j < n and j not in dates and (_in_run(text[j]) or _digit_gap(text, j)):
                j += 1
        units.append(_Unit(i, j))
        i = j
    # 避头尾: a closing mark joins the unit before it, an opening mark the unit after it
    merged: list[_Unit] = []
    for unit in units:
        if merged and (text[unit.start] in CANNOT_START or text[merged[-1].end - 1] in CANNOT_END) \
                and text[unit.start] != "\n" and text[merged[-1].end - 1] != "\n":
            last = merged[-1]
            group = last.date_group if last.date_group == unit.date_group else -1
            merged[-1] = _Unit(last.start, unit.end, group)
        else:
            merged.append(unit)
    return merged


@dataclass(frozen=True)
class Line:
    """One set line: characters [start, end), whether it is justified, its left indent."""

    start: int
    end: int
    justify: bool
    indent: float
    natural: float  # width of the characters, with the grid spacing
    width: float  # the width available


def break_lines(text: str, advances: list[float], max_width: float, first_indent: float = 0.0,
                char_size: float = 16.0, justify: bool = True) -> list[Line]:
    """Greedy line breaking over unbreakable units (see the module docstring)."""
    units = _units(text)
    lines: list[Line] = []
    n_units = len(units)
    k = 0

    def width_of(a: int, b: int) -> float:
        return sum(advances[a:b])

    while k < n_units:
        if lines:  # blanks never start a continuation line
            while k < n_units and text[units[k].start] in _SPACES:
                k += 1
            if k >= n_units:
                break
        indent = first_indent if not lines else 0.0
        avail = max_width - indent
        k0, start, used, forced, end = k, units[k].start, 0.0, False, -1
        while k < n_units:
            unit = units[k]
            if text[unit.start] == "\n":
                end, forced = unit.start, True
                k += 1
                break
            w = width_of(unit.start, unit.end)
            if used + w <= avail + _FUZZ:
                used += w
                k += 1
                continue
            if k == k0:  # a unit longer than the whole line: cut it where it overflows
                cut = unit.start
                while cut < unit.end and used + advances[cut] <= avail + _FUZZ:
                    used += advances[cut]
                    cut += 1
                end = max(cut, unit.start + 1)
                if end < unit.end:
                    units[k] = _Unit(end, unit.end, unit.date_group)
                else:
                    k += 1
                break
            # keep a date whole by moving it down, when that leaves a small gap only
            group = unit.date_group
            if group >= 0 and units[k - 1].date_group == group:
                g = k - 1
                while g - 1 >= k0 and units[g - 1].date_group == group:
                    g -= 1
                if g > k0 and avail - width_of(start, units[g].start) <= _DATE_MAX_GAP_CHARS * char_size:
                    k = g
            break
        else:
            forced = True  # the paragraph's last line
        if end < 0:
            end = units[k - 1].end
        while end > start and text[end - 1] in _SPACES:
            end -= 1
        lines.append(Line(start, end, justify and not forced, indent, width_of(start, end), avail))
    return lines


@lru_cache(maxsize=4096)
def _layout(text: str, style: TextStyle, width: float) -> tuple[tuple[Line, ...], tuple[tuple[str, str], ...], tuple[float, ...]]:
    """Lines, font runs and advances of a text in a style (cached: template wording repeats)."""
    runs = fonts.runs(text, style.font)
    advances: list[float] = []
    for font, run in runs:
        advances.extend(_width(c, font, style.size) + style.char_space for c in run)
    lines = break_lines(text, advances, width + style.char_space, style.first_indent, style.size,
                        style.align == "justify")
    return tuple(lines), runs, tuple(advances)


def _runs_between(runs: tuple[tuple[str, str], ...], start: int, end: int) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    for font, text in runs:
        a, b = max(start, pos), min(end, pos + len(text))
        if a < b:
            out.append((font, text[a - pos:b - pos]))
        pos += len(text)
        if pos >= end:
            break
    return out


class GridParagraph(Flowable):
    """A paragraph of plain text set by ``break_lines``; splits between lines across pages."""

    def __init__(self, text: str, style: TextStyle, _lines: tuple[Line, ...] | None = None,
                 _first: bool = True, _last: bool = True) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self._fixed = _lines
        self._first = _first
        self._last = _last
        self._lines: tuple[Line, ...] = ()
        self._runs: tuple[tuple[str, str], ...] = ()
        self._advances: tuple[float, ...] = ()
        self._wrapped_for = -1.0
        self.width = self.height = 0.0

    # Platypus protocol -------------------------------------------------------------------------
    def getSpaceBefore(self) -> float:  # noqa: N802 (ReportLab's name)
        return self.style.space_before if self._first else 0.0

    def getSpaceAfter(self) -> float:  # noqa: N802
        return self.style.space_after if self._last else 0.0

    def _ensure(self, width: float) -> None:
        if self._wrapped_for == width:
            return
        lines, runs, advances = _layout(self.text, self.style, width)
        if self._fixed is not None:
            lines = self._fixed
        self._lines, self._runs, self._advances = lines, runs, advances
        self._wrapped_for = width

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._ensure(availWidth)
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self._ensure(availWidth)
        fit = int((availHeight + _FUZZ) // self.style.leading)
        n = len(self._lines)
        if fit <= 0 or n <= 1:
            return []
        if fit >= n:
            return [self]
        head = GridParagraph(self.text, self.style, self._lines[:fit], self._first, False)
        tail = GridParagraph(self.text, self.style, self._lines[fit:], False, self._last)
        return [head, tail]

    def line_texts(self) -> list[str]:
        return [self.text[line.start:line.end] for line in self._lines]

    def draw(self) -> None:
        style = self.style
        canv = self.canv
        size, leading = style.size, style.leading
        tx = canv.beginText()
        baseline = self.height - (leading - size) / 2 - 0.86 * size
        current_font: str | None = None
        for i, line in enumerate(self._lines):
            spacing = style.char_space
            count = line.end - line.start
            if line.justify and count > 1:
                spacing += (line.width - line.natural) / (count - 1)
                offset = line.indent
            else:
                slack = line.width - line.natural
                offset = line.indent + {"center": slack / 2, "right": slack}.get(style.align, 0.0)
            tx.setTextOrigin(offset, baseline - i * leading)
            tx.setCharSpace(spacing)
            for font, text in _runs_between(self._runs, line.start, line.end):
                if font != current_font:
                    tx.setFont(font, size)
                    current_font = font
                tx.textOut(text)
        canv.drawText(tx)


def paragraph(text: str, style: TextStyle) -> GridParagraph:
    return GridParagraph(text, style)


def with_font(style: TextStyle, **changes: Any) -> TextStyle:
    return replace(style, **changes)


def split_lines(text: str, max_width: float, style: TextStyle) -> list[str]:
    """The lines ``text`` is set in at ``max_width`` (for tests and the plain-text preview)."""
    lines, _runs, _adv = _layout(text, style, max_width)
    return [text[line.start:line.end] for line in lines]
