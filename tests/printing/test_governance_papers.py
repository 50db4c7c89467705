"""Oversight papers issued through the register and read back from the PDFs (pdftotext, pdffonts)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from sqlalchemy import select

from governance_seed import seed
from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.domain.errors import UserError
from shequ_desktop.persistence.counter_models import PrintedDocument
from shequ_desktop.services import documents
from shequ_desktop.services.governance import committee, evaluation, hotline, incentives, surveys
from shequ_desktop.services.governance import documents as papers
from shequ_desktop.services.governance.committee import InspectionInput
from shequ_desktop.services.governance.evaluation import ItemInput
from shequ_desktop.services.governance.hotline import ComplaintInput
from shequ_desktop.services.governance.surveys import Question

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def text_of(path) -> str:
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(raw.split())


def all_embedded(path) -> bool:
    rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    return bool(rows) and all(r.split()[-5] == "yes" for r in rows)


def local(y, mo, d, h=10, mi=0):
    return dt.datetime(y, mo, d, h, mi, tzinfo=SHANGHAI)


def test_explanation_letter_of_an_overdue_complaint(ctx, clock):
    town = seed(ctx)
    c = hotline.log_complaint(town.worker, ComplaintInput(local(2026, 11, 20, 22, 47), "孙丽", "低保材料被退回三次",
                                                          about="窗口服务", complainant_phone="13912345678"))
    with pytest.raises(UserError):
        papers.print_explanation_letter(town.worker, c.id)
    clock.set(local(2026, 11, 26, 10, 0))
    hotline.record_explanation(town.worker, c.id, "经办社工病假，AB岗未及时接手。")
    hotline.record_filing(town.chief, c.id, dt.date(2026, 11, 26))
    view = papers.print_explanation_letter(town.worker, c.id, "严格落实AB岗交接。")
    text = text_of(view.path)
    for expected in ("情况说明", "示范街道办事处：", c.complaint_no, "2026年11月20日22:47", "孙*", "经办社工病假",
                     "严格落实AB岗交接", "2026年11月25日17:30", "街道备案日期：2026年11月26日", view.serial_no):
        assert expected in text, expected
    assert "孙丽" not in text and "13912345678" not in text
    assert all_embedded(view.path)
    with ctx.transaction() as s:
        row = s.execute(select(PrintedDocument).where(PrintedDocument.kind == "explanation-letter")).scalars().one()
    assert row.serial_no.startswith("SM2026-") and row.holder == "孙*"
    again = documents.reprint(town.chief, row.id)                   # 补打 from the register's snapshot
    assert again.reprint and again.serial_no == view.serial_no


def test_evaluation_and_star_notices_and_the_blank_form(ctx):
    town = seed(ctx)
    q = surveys.define(town.chief, "2026年第四季度居民满意度测评", "2026Q4",
                       (Question("服务总体满意度"), Question("办事建议", "text")), dt.date(2026, 10, 1),
                       dt.date(2026, 12, 20))
    for r in town.residents[:4]:
        surveys.enter_paper_answers(town.worker, q.id, r, {"q1": 4, "q2": ""})
    e = evaluation.create(town.chief, "2026Q4")
    evaluation.set_items(town.chief, e.id, [ItemInput("服务群众", 60, 54), ItemInput("平安建设", 40, 36)])
    evaluation.finalise(town.chief, e.id)
    notice = papers.print_evaluation_notice(town.chief, e.id)
    text = text_of(notice.path)
    for expected in ("关于2026年第四季度社区工作站考核评价结果的公示", "街道考核（权重40%）", "90.00", "75.00", "81.00",
                     "4人/40人（10.0%）", "公示期：2026年11月25日至2026年12月1日（7天）"):
        assert expected in text, expected
    assert all_embedded(notice.path)
    for i in range(10):
        incentives.add_to_ranking(town.chief, 2026, 95 - i, votes=i, name=f"王秀{'一二三四五六七八九十'[i]}兰")
    stars = text_of(papers.print_star_notice(town.chief, 2026).path)
    assert "“社区治理之星”拟推荐人选的公示" in stars and "王**兰" in stars and "王秀一兰" not in stars
    form = text_of(papers.print_questionnaire_form(town.worker, q.id))
    assert "2026年第四季度居民满意度测评" in form and "□非常满意" in form and "请于2026年12月20日前交回" in form


def test_inspection_notice(ctx):
    town = seed(ctx)
    i = committee.record_inspection(town.chief, InspectionInput(
        "2026Q3", dt.date(2026, 10, 12), "张三、李四、王五", ("counter_register", "funds"), "服务台账记录完整",
        "good", "经费支出凭证齐全"))
    text = text_of(papers.print_inspection_notice(town.chief, i.id).path)
    for expected in ("2026年第三季度居务监督检查情况公示", "服务台账（窗口受理登记）", "经费使用情况", "检查结论：未发现问题",
                     "示范社区居务监督委员会"):
        assert expected in text, expected
