"""Helpers for printing tests: real PDFs on disk, text and fonts read back with pypdf."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

BASE14 = frozenset({
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
    "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic",
    "Times-BoldItalic", "Symbol", "ZapfDingbats",
})


def _pdf_text(path: Path) -> str:
    """All page text with whitespace removed (line wrapping must not hide a string)."""
    reader = PdfReader(path)
    return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in reader.pages))


def _pdf_fonts(path: Path) -> list[tuple[str, bool]]:
    """(base font name without subset prefix, embedded?) for every font on every page."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(path).pages:
        resources = page.get("/Resources")
        font_dict = resources.get_object().get("/Font") if resources else None
        for ref in (font_dict.get_object().values() if font_dict else []):
            font = ref.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[name] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return sorted(fonts.items())


@pytest.fixture
def write_pdf(tmp_path: Path):
    def write(name: str, data: bytes) -> Path:
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(data)
        return path

    return write


@pytest.fixture
def pdf_text():
    """Text of a PDF file, whitespace removed."""
    return _pdf_text


@pytest.fixture
def pdf_fonts():
    """(font name, embedded?) pairs of a PDF file."""
    return _pdf_fonts


@pytest.fixture
def base14_fonts() -> frozenset[str]:
    return BASE14
