"""Special-group papers read back from the PDFs: field sheet, volunteer sheet (no ID numbers, diagnoses or
disability grades), blank visit record, review worksheet; fonts embedded; the `care due` command's format."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from shequ_desktop.cli import admin
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.models import AuditEntry
from shequ_desktop.persistence.special_groups_models import SpecialFile
from shequ_desktop.services.context import CurrentUser
from shequ_desktop.services.special_groups import files, sheets

ID_RE = re.compile(r"\d{17}[\dX]")


def text(path: Path) -> str:
    """The text in content order with all whitespace removed (table cells wrap over lines)."""
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", "", raw)


@pytest.fixture
def w1(demo_ctx):
    return demo_ctx.as_user(CurrentUser(id="w1", login="worker1", display_name="张伟", role=Role.WORKER))


@pytest.mark.parametrize("kind,words", [("field-sheet", ("特殊群体走访清单", "张秀兰", "上门探访（逾期3天）")),
                                        ("visit-record", ("上门探访记录表", "□已联系上", "走访人签字")),
                                        ("file-review", ("特殊群体档案季度复核表", "上次复核以来的变化", "复核人签字"))])
def test_specimens(tmp_path, kind, words, capsys):
    out = tmp_path / f"{kind}.pdf"
    assert admin.main(["--db", str(tmp_path / "x.db"), "specimen", kind, "--out", str(out)]) == 0
    body = text(out)
    for w in words:
        assert w in body
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())   # embedded


def test_field_sheet_sorted_by_building_and_audited(w1, tmp_path):
    out = sheets.print_sheet(w1, "field-sheet", out=tmp_path / "f.pdf")
    body = text(out)
    assert "特殊群体走访清单" in body and "张伟" in body
    with w1.transaction() as s:
        assert s.execute(select(AuditEntry).where(AuditEntry.action == "print",
                                                  AuditEntry.entity == "sg_field_sheet")).first()


def test_volunteer_sheet_never_shows_id_numbers_diagnoses_or_grades(w1, tmp_path):
    with w1.transaction() as s:   # give worker1's people diagnoses, so a leak would show
        for f in s.execute(select(SpecialFile).where(SpecialFile.group == "elderly")).scalars():
            f.health_notes = "阿尔茨海默病"
    out = sheets.print_sheet(w1, "volunteer-sheet", out=tmp_path / "v.pdf")
    body = text(out)
    assert "志愿者关爱联系表" in body
    flat = body
    assert not ID_RE.search(flat)
    for word in ("阿尔茨海默", "残疾", "级", "失能", "身份证"):
        assert word not in flat


def test_review_worksheet_for_a_real_file(w1, tmp_path):
    fid = files.list_files(w1, group="elderly", worker_login="worker1")[0].id
    body = text(sheets.print_sheet(w1, "file-review", file_id=fid, out=tmp_path / "r.pdf"))
    assert "季度复核表" in body and "联系人（1+1+N）" in body and "责任社工" in body
    assert not ID_RE.search(body)      # the ID number is masked


def test_care_due_command_format(demo_ctx, capsys, db_path):
    demo_ctx.db.dispose()
    assert admin.main(["--db", str(db_path), "care", "due", "--worker", "worker1", "--date", "2026-11-25"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines
    pattern = re.compile(r"^\d{4}-\d{2}-\d{2}\t(call|visit|assessment|support|review)\t\S+\t(due|overdue \d+)$")
    assert all(pattern.match(line) for line in lines), lines[:3]
    states = [line.split("\t")[3] for line in lines]
    late = [s.startswith("overdue") for s in states]
    assert late == sorted(late, reverse=True)                       # late tasks first
    assert all("*" in line.split("\t")[2] for line in lines)          # names masked as in lists
    assert admin.main(["--db", str(db_path), "care", "due", "--worker", "worker1", "--date", "2026-13-01"]) != 0


@pytest.mark.parametrize("kind", ["field-sheet", "volunteer-sheet"])
def test_a_mobile_number_stays_on_one_line_of_its_cell(tmp_path, kind):
    """The phone columns are wide enough for 11 digits (the number was cut inside the cell before)."""
    from shequ_desktop.printing.pdf_backend import render_pdf
    from shequ_desktop.printing.special_groups_sheets import (FieldSheetData, FieldSheetRow, VolunteerRow,
                                                              VolunteerSheetData, field_sheet, volunteer_sheet)
    day = dt.date(2026, 11, 25)
    if kind == "field-sheet":
        doc = field_sheet(FieldSheetData("幸福里社区工作站", "张伟", day, day, (FieldSheetRow(
            "欧阳秀兰", "幸福里小区13栋1单元1201室", "13812348000", "王明（儿子）13700002222\n志愿者李志愿 13900001111",
            "独居、失能", "上门探访（逾期3天）", "10月28日", "血压偏高"),), day))
    else:
        doc = volunteer_sheet(VolunteerSheetData("幸福里社区工作站", "李志愿", "张伟", (VolunteerRow(
            "欧阳秀兰", "幸福里小区13栋1单元1201室", "13812348000", "耳背，说话请大声"),), day))
    out = tmp_path / "sheet.pdf"
    out.write_bytes(render_pdf(doc))
    lines = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True,
                           check=True).stdout.split()
    assert any("13812348000" in line for line in lines)
    if kind == "field-sheet":
        assert any("13700002222" in line for line in lines) and any("13900001111" in line for line in lines)
