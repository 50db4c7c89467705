"""Font resolution for printed documents: official Windows fonts when present, else the bundled ones.

Roles follow GB/T 9704: 小标宋/宋体 for titles, 黑体 for level-1 headings, 楷体 for level-2 headings,
仿宋 for the body, 宋体 for tables and page numbers. On Windows the system's 仿宋/宋体/黑体/楷体 are
used when present (setting ``print_fonts`` = ``system``, the default); otherwise, and always with
``bundled``, the typefaces in resources/fonts (each with its licence file):

- 宋体 — AR PL SungtiL GB (``gbsn00lp.ttf``, Arphic Public License): all 6,763 GB 2312 characters;
  also the body on Linux (Debian has no 仿宋 that covers GB 2312: cwTeX 仿宋 has 4,384 of 6,763);
- 楷体 — AR PL KaitiM GB (``gkai00mp.ttf``, Arphic Public License): all of GB 2312;
- 黑体 — WenQuanYi Micro Hei (``wqy-microhei.ttc``, Apache-2.0 / GPL-3 with font exception);
- fallback glyph by glyph — Hanazono Mincho A and B (``HanaMinA.ttf``/``HanaMinB.ttf``, Hanazono
  Font License or OFL): the whole 通用规范汉字表, CJK Extension A and Extensions B–F.

Every font is TrueType, registered with ReportLab and embedded as a subset. ReportLab has no per-glyph
fallback, so ``runs`` splits a text into runs of one font each; a character that no font of the chain
has is reported by ``missing_glyphs`` *before* numbering (the clerk may then print with a blank).
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from shequ_desktop.domain.errors import UserError
from shequ_desktop.paths import fonts_dir
from shequ_desktop.printing.document import FontRole

ROLES: tuple[FontRole, ...] = ("title", "heading", "subheading", "body", "table", "number")
FontSource = Literal["system", "bundled"]
FONT_SOURCES: tuple[FontSource, ...] = ("system", "bundled")


@dataclass(frozen=True)
class FontFile:
    """A font file name (looked up in a folder) and the face index inside a .ttc collection."""

    filename: str
    subfont_index: int = 0


SONG = FontFile("gbsn00lp.ttf")  # AR PL SungtiL GB
KAI = FontFile("gkai00mp.ttf")  # AR PL KaitiM GB
HEI = FontFile("wqy-microhei.ttc")  # WenQuanYi Micro Hei
FALLBACK_FILES = (FontFile("HanaMinA.ttf"), FontFile("HanaMinB.ttf"))  # Hanazono Mincho: URO, Ext A, Ext B–F
BUNDLED_FONT_FILE = SONG.filename

# Preferred official fonts per role on Windows (方正小标宋 when installed, else 宋体).
_SYSTEM: dict[FontRole, tuple[FontFile, ...]] = {
    "title": (FontFile("FZXBSJW.TTF"), FontFile("simsun.ttc")),
    "heading": (FontFile("simhei.ttf"),),
    "subheading": (FontFile("simkai.ttf"), FontFile("STKAITI.TTF")),
    "body": (FontFile("simfang.ttf"), FontFile("STFANGSO.TTF"), FontFile("simsun.ttc")),
    "table": (FontFile("simsun.ttc"), FontFile("simfang.ttf")),
    "number": (FontFile("simsun.ttc"), FontFile("simfang.ttf")),
}
# Windows' 宋体 (GBK: 堃 喆 for a GB 2312-only 仿宋) and SimSun-ExtB are tried before the bundled fallback.
_SYSTEM_FALLBACK = (FontFile("simsun.ttc"), FontFile("simsunb.ttf"))
_BUNDLED: dict[FontRole, FontFile] = {
    "title": SONG, "heading": HEI, "subheading": KAI, "body": SONG, "table": SONG, "number": SONG,
}
# what a role is called on paper, for the admin's font listing
ROLE_LABELS: dict[FontRole, str] = {
    "title": "标题（小标宋/宋体）", "heading": "一级标题（黑体）", "subheading": "二级标题（楷体）",
    "body": "正文（仿宋）", "table": "表格（宋体）", "number": "页码（宋体）",
}


class MissingGlyphError(UserError):
    """The text contains characters that no printing font can draw."""

    def __init__(self, characters: list[str]) -> None:
        self.characters = tuple(characters)
        super().__init__(
            "No font can print these characters: {chars}. Check the name; or print with a blank in their "
            "place and write them in by hand (the register notes it).",
            field=None,
            chars="、".join(characters),
        )


@dataclass(frozen=True)
class ResolvedFont:
    """A registered font: the ReportLab name, its file and its character map."""

    name: str
    path: Path
    subfont_index: int
    cmap: frozenset[int]
    family: str = ""  # the face's own name, e.g. "AR PL SungtiL GB"


def windows_fonts_dir() -> Path | None:
    """%WINDIR%\\Fonts (or C:\\Windows\\Fonts) when it exists."""
    candidates = [Path(os.environ["WINDIR"]) / "Fonts"] if os.environ.get("WINDIR") else []
    candidates.append(Path("C:/Windows/Fonts"))
    return next((p for p in candidates if p.is_dir()), None)


class FontRegistry:
    """Resolves and registers the font of each role once per process (lazy, thread-safe)."""

    def __init__(self, system_dir: Path | None = None, bundled_dir: Path | None = None,
                 source: FontSource = "system") -> None:
        self._system_dir = system_dir
        self._bundled_dir = bundled_dir
        self.source: FontSource = source
        self._lock = threading.RLock()
        self._by_role: dict[FontRole, ResolvedFont] = {}
        self._by_file: dict[tuple[Path, int], ResolvedFont] = {}
        self._fallbacks: tuple[ResolvedFont, ...] | None = None
        self._by_name: dict[str, ResolvedFont] = {}

    # --- the fonts of the roles ---------------------------------------------------------------
    def font(self, role: FontRole) -> ResolvedFont:
        found = self._by_role.get(role)
        if found is None:
            with self._lock:
                if not self._by_role:
                    self._resolve_all()
                found = self._by_role[role]
        return found

    def name(self, role: FontRole) -> str:
        return self.font(role).name

    def by_name(self, name: str) -> ResolvedFont:
        return self._by_name[name]

    def system_dir(self) -> Path | None:
        if self.source == "bundled":
            return None
        return self._system_dir if self._system_dir is not None else windows_fonts_dir()

    def bundled_dir(self) -> Path:
        return self._bundled_dir or fonts_dir()

    def _resolve_all(self) -> None:
        system_dir = self.system_dir()
        for role in ROLES:
            self._by_role[role] = self._resolve(role, system_dir)
        # the canvas' initial font would otherwise add a non-embedded Helvetica to every PDF
        rl_config.canvas_basefontname = self._by_role["body"].name

    def _resolve(self, role: FontRole, system_dir: Path | None) -> ResolvedFont:
        if system_dir is not None:
            for pref in _SYSTEM[role]:
                font = self._register(system_dir / pref.filename, pref.subfont_index)
                if font is not None:
                    return font
        pref = _BUNDLED[role]
        font = self._register(self.bundled_dir() / pref.filename, pref.subfont_index)
        if font is None:  # a damaged bundle: any bundled face beats no document
            font = self._register(self.bundled_dir() / HEI.filename, 0)
        if font is None:
            raise RuntimeError(f"bundled font cannot be loaded: {self.bundled_dir() / pref.filename}")
        return font

    # --- glyph-by-glyph fallback ----------------------------------------------------------------
    def fallbacks(self) -> tuple[ResolvedFont, ...]:
        """Fonts tried, in order, for a character the role's font lacks (registered on first need)."""
        found = self._fallbacks
        if found is None:
            with self._lock:
                if self._fallbacks is None:
                    chain: list[ResolvedFont] = []
                    system_dir = self.system_dir()
                    files = [(system_dir / f.filename, f.subfont_index) for f in _SYSTEM_FALLBACK] if system_dir else []
                    files += [(self.bundled_dir() / f.filename, f.subfont_index) for f in FALLBACK_FILES]
                    # the bundled Song and Hei cover what a Windows face may lack (e.g. 堃 in a GB 2312 仿宋)
                    files += [(self.bundled_dir() / f.filename, f.subfont_index) for f in (SONG, HEI)]
                    for path, index in files:
                        font = self._register(path, index)
                        if font is not None and font not in chain:
                            chain.append(font)
                    self._fallbacks = tuple(chain)
                found = self._fallbacks
        return found

    def font_for(self, primary: ResolvedFont, char: str) -> ResolvedFont | None:
        """The font that prints ``char``: the primary when it has it, else the first fallback; None = none."""
        code = ord(char)
        if code in primary.cmap or not _printable(char):
            return primary
        for font in self.fallbacks():
            if code in font.cmap:
                return font
        return None

    def _register(self, path: Path, subfont_index: int) -> ResolvedFont | None:
        key = (path, subfont_index)
        if key in self._by_file:
            return self._by_file[key]
        if not path.is_file():
            return None
        name = f"SQ-{path.stem}-{subfont_index}"
        try:
            ttf = TTFont(name, str(path), subfontIndex=subfont_index)
        except (TTFError, OSError, KeyError, ValueError):
            return None  # restricted embedding, CFF outlines or a damaged file: try the next candidate
        _tune_face(ttf.face)
        pdfmetrics.registerFont(ttf)
        family = getattr(ttf.face, "familyName", b"")
        family_text = family.decode("utf-8", "replace") if isinstance(family, bytes) else str(family)
        font = ResolvedFont(name, path, subfont_index, frozenset(ttf.face.charToGlyph), family_text)
        self._by_file[key] = font
        self._by_name[name] = font
        return font


def _tune_face(face: Any) -> None:
    """Make embedding a subset cheaper; the PDF bytes are unchanged.

    Every subset (each PDF, and every 256 characters) copies the font's tables, among them the
    whole ``glyf`` table (megabytes for a CJK font): keep one copy per face instead. The
    glyph→characters map is only needed while the font is parsed; dropped, it spares the garbage
    collector some 35,000 small lists it would otherwise walk on every full collection.
    """
    tables: dict[str, bytes] = {}
    parse_table = face.get_table

    def get_table(tag: str) -> bytes:
        data = tables.get(tag)
        if data is None:
            data = tables[tag] = parse_table(tag)
        return data

    face.get_table = get_table
    face.glyphToChar = {}


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, with characters beyond the BMP (𠮷) written as UTF-16 pairs.

    ReportLab writes ``<%04X>``, so U+20BB7 came out as five hex digits and text extraction (search,
    copy, pdftotext) read U+20BB. PDF 32000 §9.10.3: the destination is UTF-16BE.
    """
    def utf16(code: int) -> str:
        if code < 0x10000:
            return f"{code:04X}"
        return "".join(f"{unit:04X}" for unit in _utf16_units(code))

    cmap = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar",
        *[f"<{i:02X}> <{utf16(v)}>" for i, v in enumerate(subset)],
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ]
    return "\n".join(cmap)


def _utf16_units(code: int) -> tuple[int, ...]:
    if code < 0x10000:
        return (code,)
    code -= 0x10000
    return (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF))


ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # looked up by name when each subset is written


_registry = FontRegistry()


def registry() -> FontRegistry:
    """The process-wide font registry."""
    return _registry


def use_registry(new: FontRegistry) -> None:
    """Replace the process-wide registry (tests, or a settings change of the font source)."""
    global _registry
    _registry = new
    runs.cache_clear()


def use_source(source: FontSource) -> None:
    """Apply the ``print_fonts`` setting: official system fonts when present, or always the bundled ones."""
    if source not in FONT_SOURCES:
        raise ValueError(source)
    if source != _registry.source:
        use_registry(FontRegistry(source=source))


def font_name(role: FontRole = "body") -> str:
    """The registered ReportLab font name for a role (registers fonts on first use)."""
    return _registry.name(role)


def _printable(char: str) -> bool:
    return not (char.isspace() or unicodedata.category(char) in ("Cc", "Cf"))


@lru_cache(maxsize=8192)
def runs(text: str, primary_name: str) -> tuple[tuple[str, str], ...]:
    """``text`` as (font name, text) runs: the primary font, and a fallback for each glyph it lacks.

    A character no font has stays in the primary font (printed blank; ``check_glyphs`` stops it
    unless the clerk chose to write it by hand).
    """
    reg = _registry
    primary = reg.by_name(primary_name)
    cmap = primary.cmap
    if all(ord(c) in cmap for c in text):
        return ((primary_name, text),) if text else ()
    out: list[tuple[str, str]] = []
    for char in text:
        font = reg.font_for(primary, char)
        if font is None:  # no font has it: a blank the clerk fills in by hand
            font, char = primary, "\u3000"
        if out and out[-1][0] == font.name:
            out[-1] = (font.name, out[-1][1] + char)
        else:
            out.append((font.name, char))
    return tuple(out)


def missing_glyphs(text: str, font_role: FontRole = "body") -> list[str]:
    """Distinct characters of ``text`` (in order) that neither the role's font nor any fallback can draw."""
    primary = _registry.font(font_role)
    missing: list[str] = []
    for char in text:
        if ord(char) not in primary.cmap and char not in missing and _registry.font_for(primary, char) is None:
            missing.append(char)
    return missing


def check_glyphs(pairs: Iterable[tuple[str, FontRole]]) -> None:
    """Raise MissingGlyphError listing every character none of the fonts has, for the (text, role) pairs."""
    missing: list[str] = []
    for text, role in pairs:
        for char in missing_glyphs(text, role):
            if char not in missing:
                missing.append(char)
    if missing:
        raise MissingGlyphError(missing)


def describe() -> list[tuple[str, str, str]]:
    """(role label, font family, file) for each role — what the admin sees."""
    out = []
    for role in ROLES:
        font = _registry.font(role)
        out.append((ROLE_LABELS[role], font.family or font.path.stem, str(font.path)))
    for font in _registry.fallbacks():
        out.append(("生僻字后备", font.family or font.path.stem, str(font.path)))
    return out
