"""考核指标报告: every record that missed is printed — a short list in its indicator's section, a list longer
than 30 in full in the annex (a table continued over pages with its header repeated)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from pypdf import PdfReader

from shequ_desktop.printing import kpi_report as paper
from shequ_desktop.printing.pdf_backend import render_pdf
from shequ_desktop.printing.templates import _st
from tests.printing.conftest import _pdf_text


def _with_misses(n_long: int) -> paper.KpiReportData:
    data = paper._specimen_data(_st())
    long = tuple(paper.MissLine(f"WO20261{i:03d}-LATE", "刘洋", "2026-11-04", f"反馈用时{25 + i}小时")
                 for i in range(n_long))
    figures = list(data.figures)
    figures[1] = dataclasses.replace(figures[1], misses=long, in_annex=True)
    return dataclasses.replace(data, figures=tuple(figures))


def test_a_long_list_of_misses_is_printed_in_full_in_the_annex(tmp_path: Path) -> None:
    data = _with_misses(75)
    path = tmp_path / "kpi.pdf"
    path.write_bytes(render_pdf(paper.kpi_report(data)))
    text = _pdf_text(path)
    assert "附件：未计入分子的全部记录" in text and "未计入分子的记录共75条，全部列于附件（二）" in text
    for i in range(75):                                          # every one of them, not the first 30
        assert f"WO20261{i:03d}-LATE" in text
    assert "WO20261118-DIBAO-0007" in text or "20261118-DIBAO-0007" in text   # a short list stays in its section
    pages = [p.extract_text() or "" for p in PdfReader(path).pages]
    annex_pages = [p for p in pages if "-LATE" in p]
    assert len(annex_pages) >= 2 and all("情况" in p for p in annex_pages)      # continued, header repeated
