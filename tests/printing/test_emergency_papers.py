"""The emergency papers read back from real PDFs: one page each, fonts embedded, the kit complete (issue 14)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from shequ_desktop.domain.emergency_plans import DEFAULT_PLANS
from shequ_desktop.printing import emergency as paper
from shequ_desktop.printing.pdf_backend import render_pdf
from shequ_desktop.printing.templates import SpecimenStation, specimen_station

pdftotext = shutil.which("pdftotext")


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("plan", DEFAULT_PLANS, ids=[p["hazard"] for p in DEFAULT_PLANS])
def test_every_shipped_plan_card_fits_one_page(plan):
    doc = paper.plan_card(paper.PlanCardData(
        "幸福里社区工作站", plan["name"], tuple((s["title"], s["role"], s["minutes"]) for s in plan["steps"]),
        tuple((r["role"], r["duty"]) for r in plan["roles"]), tuple((c["name"], c["role"], c["phone"])
                                                                   for c in plan["contacts"]),
        tuple(plan["assembly_points"]), tuple(plan["supplies"]), dt.date(2026, 12, 3),
        further_steps=tuple(plan["further_steps"])))
    data = render_pdf(doc)
    assert _pages(data) == 1
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\n", "")
    assert "后续处置（" in text and all(step in text for step in plan["further_steps"])


@pytest.mark.skipif(pdftotext is None or shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_plan_card_specimen_prints_the_further_steps(tmp_path, capsys):
    """`shequ-admin specimen plan-card` shows the R65 further steps on the card, numbered, in Chinese."""
    from shequ_desktop.cli import admin
    from shequ_desktop.domain.emergency import FURTHER_STEPS
    out = tmp_path / "plan-card.pdf"
    assert admin.main(["--db", str(tmp_path / "s.db"), "specimen", "plan-card", "--out", str(out)]) == 0
    assert _pages(out.read_bytes()) == 1
    text = subprocess.run([pdftotext, str(out), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "后续处置（上报后视情开展" in flat
    for i, step in enumerate(FURTHER_STEPS, start=1):
        assert f"（{i}）{step}" in flat
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    assert fonts.splitlines()[2:] and all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts


def test_phone_tree_of_24_and_a_vulnerable_list_of_22_fit_one_page_each():
    rows = tuple(paper.TreeRow(min(i, 3), "队员", f"队员{i:02d}", "志愿者", f"139{i:08d}", "队员甲、队员乙")
                 for i in range(24))
    assert _pages(render_pdf(paper.phone_tree(paper.PhoneTreeData("幸福里社区工作站", rows, dt.date(2026, 12, 3))))) == 1
    people = tuple(paper.VulnerableLine(f"{i % 4 + 1}单元{i + 1}02室", "张*兰", "残疾人、独居", "王明（外孙女）13912345678")
                   for i in range(22))
    doc = paper.vulnerable_list(paper.VulnerableListData("幸福里社区工作站", "幸福里小区3栋", people, dt.date(2026, 12, 3)))
    assert _pages(render_pdf(doc)) == 1


def test_team_short_of_the_minimum_is_said_on_the_phone_tree(tmp_path):
    rows = (paper.TreeRow(0, "总指挥", "王建国", "社工", "13800000001", ""),)
    pdf = tmp_path / "tree.pdf"
    pdf.write_bytes(render_pdf(paper.phone_tree(paper.PhoneTreeData("站", rows, dt.date(2026, 12, 3), 20))))
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages).replace("\n", "")
    assert "少于20人" in text


def test_specimens_carry_the_station_set_up(tmp_path):
    from shequ_desktop.printing.templates import SPECIMENS
    with specimen_station(SpecimenStation(station_name="南湖社区工作站")):
        data = render_pdf(SPECIMENS["vulnerable-list"]())
    assert "南湖社区工作站" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.skipif(pdftotext is None or shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_the_kit_has_every_plan_the_phone_tree_and_every_building(demo_ctx, tmp_path):
    from sqlalchemy import func, select

    from shequ_desktop.persistence.models import AuditEntry, Building
    from shequ_desktop.services.emergency import kit
    assert kit.status(demo_ctx).never and kit.status(demo_ctx).stale
    seen: list[tuple[int, int]] = []
    made = kit.build_kit(demo_ctx, lambda done, total: seen.append((done, total)))
    with demo_ctx.transaction() as s:
        buildings = s.execute(select(func.count()).select_from(Building)).scalar_one()
        assert s.execute(select(AuditEntry).where(AuditEntry.action == "print",
                                                  AuditEntry.entity == "emergency_kit")).first()
    assert (made.plans, made.buildings, made.members) == (7, buildings, 24)
    assert seen[-1] == (buildings, buildings)
    path = tmp_path / "kit.pdf"
    path.write_bytes(made.pdf)
    assert _pages(made.pdf) == 7 + 1 + buildings           # every paper on one page
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("应急处置卡") == 7 and text.count("应急队伍电话通知树") == 1
    assert text.count("应急重点人员名单") == buildings
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:]), fonts
    st = kit.status(demo_ctx)
    assert st.days == 0 and not st.stale and not st.changed
