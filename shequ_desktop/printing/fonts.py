"""Font resolution for printed documents: official Windows fonts when present, else the bundled font.

Every font is a TrueType font registered with ReportLab, so it is embedded (subset) in each PDF.
ReportLab has no per-glyph fallback, so ``missing_glyphs`` finds the characters (生僻字) the chosen
font cannot draw *before* printing; the clerk is told instead of getting a blank box.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from shequ_desktop.domain.errors import UserError
from shequ_desktop.paths import fonts_dir
from shequ_desktop.printing.document import FontRole

ROLES: tuple[FontRole, ...] = ("title", "heading", "body", "table", "number")

BUNDLED_FONT_FILE = "wqy-microhei.ttc"


@dataclass(frozen=True)
class FontFile:
    """A font file name (looked up in a folder) and the face index inside a .ttc collection."""

    filename: str
    subfont_index: int = 0


# Preferred official fonts per role (GB/T 9704: 小标宋 title, 黑体 headings, 仿宋 body, 宋体 numbers).
_PREFERENCES: dict[FontRole, tuple[FontFile, ...]] = {
    "title": (FontFile("FZXBSJW.TTF"), FontFile("simhei.ttf")),
    "heading": (FontFile("simhei.ttf"),),
    "body": (FontFile("simfang.ttf"), FontFile("simsun.ttc")),
    "table": (FontFile("simsun.ttc"), FontFile("simfang.ttf")),
    "number": (FontFile("simsun.ttc"), FontFile("simfang.ttf")),
}


class MissingGlyphError(UserError):
    """The text contains characters the printing font cannot draw."""

    def __init__(self, characters: list[str]) -> None:
        self.characters = tuple(characters)
        super().__init__(
            "The font cannot print these characters: {chars}. Please check the name or write it by hand.",
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


def windows_fonts_dir() -> Path | None:
    """%WINDIR%\\Fonts (or C:\\Windows\\Fonts) when it exists."""
    candidates = [Path(os.environ["WINDIR"]) / "Fonts"] if os.environ.get("WINDIR") else []
    candidates.append(Path("C:/Windows/Fonts"))
    return next((p for p in candidates if p.is_dir()), None)


class FontRegistry:
    """Resolves and registers the font of each role once per process (lazy, thread-safe)."""

    def __init__(self, system_dir: Path | None = None, bundled_dir: Path | None = None) -> None:
        self._system_dir = system_dir
        self._bundled_dir = bundled_dir
        self._lock = threading.Lock()
        self._by_role: dict[FontRole, ResolvedFont] = {}
        self._by_file: dict[tuple[Path, int], ResolvedFont] = {}

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

    def _resolve_all(self) -> None:
        system_dir = self._system_dir if self._system_dir is not None else windows_fonts_dir()
        for role in ROLES:
            self._by_role[role] = self._resolve(role, system_dir)
        # the canvas' initial font would otherwise add a non-embedded Helvetica to every PDF
        rl_config.canvas_basefontname = self._by_role["body"].name

    def _resolve(self, role: FontRole, system_dir: Path | None) -> ResolvedFont:
        if system_dir is not None:
            for pref in _PREFERENCES[role]:
                path = system_dir / pref.filename
                if path.is_file():
                    font = self._register(path, pref.subfont_index)
                    if font is not None:
                        return font
        bundled = (self._bundled_dir or fonts_dir()) / BUNDLED_FONT_FILE
        font = self._register(bundled, 0)
        if font is None:
            raise RuntimeError(f"bundled font cannot be loaded: {bundled}")
        return font

    def _register(self, path: Path, subfont_index: int) -> ResolvedFont | None:
        key = (path, subfont_index)
        if key in self._by_file:
            return self._by_file[key]
        name = f"SQ-{path.stem}-{subfont_index}"
        try:
            ttf = TTFont(name, str(path), subfontIndex=subfont_index)
        except (TTFError, OSError):
            return None  # restricted embedding or damaged file: try the next candidate
        _tune_face(ttf.face)
        pdfmetrics.registerFont(ttf)
        font = ResolvedFont(name, path, subfont_index, frozenset(ttf.face.charToGlyph))
        self._by_file[key] = font
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


_registry = FontRegistry()


def registry() -> FontRegistry:
    """The process-wide font registry."""
    return _registry


def use_registry(new: FontRegistry) -> None:
    """Replace the process-wide registry (tests, or a settings change of the font folder)."""
    global _registry
    _registry = new


def font_name(role: FontRole = "body") -> str:
    """The registered ReportLab font name for a role (registers fonts on first use)."""
    return _registry.name(role)


def _printable(char: str) -> bool:
    return not (char.isspace() or unicodedata.category(char) in ("Cc", "Cf"))


def missing_glyphs(text: str, font_role: FontRole = "body") -> list[str]:
    """Distinct characters of ``text`` (in order) that the role's font cannot draw."""
    cmap = _registry.font(font_role).cmap
    missing: list[str] = []
    for char in text:
        if ord(char) not in cmap and _printable(char) and char not in missing:
            missing.append(char)
    return missing


def check_glyphs(pairs: Iterable[tuple[str, FontRole]]) -> None:
    """Raise MissingGlyphError listing every character any of the (text, role) pairs lacks."""
    missing: list[str] = []
    for text, role in pairs:
        for char in missing_glyphs(text, role):
            if char not in missing:
                missing.append(char)
    if missing:
        raise MissingGlyphError(missing)
