"""Every specimen renders to a real A4 PDF whose text, fonts and page layout a clerk would accept."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from pypdf import PdfReader

from shequ_desktop.printing.pdf_backend import render_pdf
from shequ_desktop.printing.templates import SPECIMENS
from shequ_desktop.printing.text_backend import render_text

EXPECTED = {
    "one-time-notice": ["一次性告知书", "李建国", "最低生活保障申请", "家庭经济状况核对授权书", "2026年11月25日",
                        "告知人：陈晓燕", "监督电话：12345", "样本-0001"],
    "supplement-notice": ["补正材料通知书", "李建国", "家庭经济状况核对授权书", "户口簿复印件",
                          "家庭收入及财产状况申报表", "缺少", "不符合要求", "信息不一致",
                          "请于2027年1月4日（暂定）前（3个工作日内）", "逾期未补正的", "经办人：陈晓燕"],
    "acceptance-receipt": ["受理回执", "李建国", "20261125-DIBAO-0007", "110***********002X", "138****8000",
                           "预计2026年12月2日前完成初审并上报街道", "经办人（A岗）：陈晓燕", "B岗：王海涛"],
    "residence-certificate": ["居住证明", "张秀兰", "11010519491231002X", "自2019年3月起居住于",
                              "自开具之日起30日内有效", "特此证明", "幸福里社区居民委员会（盖章）"],
    "catalogue": ["政务服务事项材料清单目录", "十二、居住证明开具", "最低生活保障申请", "残疾人证申领/换领"],
    "field-sheet": ["特殊群体走访清单", "责任社工：张伟", "张秀兰", "独居", "上次走访及情况"],
    "visit-record": ["上门探访记录表", "□已联系上", "□就医", "走访人签字"],
    "file-review": ["特殊群体档案季度复核表", "上次复核以来的变化", "缺少或待补充的信息", "复核人签字"],
    "volunteer-sheet": ["志愿者关爱联系表", "志愿者：李志愿", "耳背，说话请大声"],
    "mediation-agreement": ["人民调解协议书", "（2026）幸福里社区调委会调字第7号", "当事人（甲方）：王建华",
                            "纠纷主要事实、争议事项", "各方当事人的责任", "一、甲方于2026年12月5日前", "履行方式、期限",
                            "本协议一式3份", "三十日内共同向人民法院申请司法确认", "幸福里社区人民调解委员会（印章）"],
    "mediation-record": ["人民调解笔录", "TJ2026-0007", "幸福里社区调解室", "各方陈述", "调解意见及方案"],
    "plan-card": ["火灾应急处置卡", "网格社工5分钟内到场，15分钟内上报街道", "拨打119报警", "5分钟内", "总指挥：",
                  "火警（消防）119", "集合地点：小区中心广场", "应急物资：灭火器"],
    "phone-tree": ["应急队伍电话通知树", "王建国", "13800000001", "张伟、刘洋", "负责通知"],
    "vulnerable-list": ["应急重点人员名单", "楼栋：幸福里小区3栋", "共3人", "1单元302室", "张*兰", "独居、失能",
                        "王明（儿子）13912345678", "不得外传"],
    "mediation-file": ["人民调解卷宗", "卷宗号：（2026）幸福里社区调委会调卷第3号", "卷内目录", "一、人民调解登记表",
                       "调解笔录（第1次）", "人民调解协议书", "签署情况", "履行情况回访记录", "已履行"],
    "kpi-report": ["2026年第四季度考核指标报告", "一、指标汇总", "服务事项按时办结率", "146/148", "一般问题24小时内反馈率",
                   "未达标", "逐月趋势", "按社工", "10月", "孙志强", "WO20261103-8K2F1Q", "反馈用时31小时", "制表人：王建国"],
    "refusal-notice": ["不予出具证明告知书", "张秀兰：", "无犯罪记录证明", "特此告知", "经办人：陈晓燕",
                       "幸福里社区居民委员会（盖章）", "样本-0006", "申请人签收"],
    "explanation-letter": ["情况说明", "珞南街道办事处：", "TS2026-0042", "2026年11月20日22:47", "孙*", "二、逾期原因",
                           "三、整改措施", "特此说明，请予备案。", "街道备案日期：2026年11月27日"],
    "public-notice": ["关于2026年第三季度社区工作站考核评价结果的公示", "街道考核（权重40%）", "综合得分", "82.35",
                      "张*兰", "公示期：2026年11月25日至2026年12月1日（7天）", "监督电话"],
    "questionnaire-form": ["2026年第四季度居民满意度测评问卷", "□非常满意", "□非常不满意", "（单选）", "□社会保障",
                           "请于2026年12月20日前交回"],
}


@pytest.mark.parametrize("kind", sorted(SPECIMENS))
def test_specimen_pdf_shows_key_text(kind, write_pdf, pdf_text):
    path = write_pdf(kind, render_pdf(SPECIMENS[kind]()))
    text = pdf_text(path)
    for expected in EXPECTED[kind]:
        assert expected in text, expected


@pytest.mark.parametrize("kind", sorted(SPECIMENS))
def test_specimen_pdf_is_a4_with_embedded_fonts_only(kind, write_pdf, pdf_fonts, base14_fonts):
    path = write_pdf(kind, render_pdf(SPECIMENS[kind]()))
    reader = PdfReader(path)
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(595.3, abs=1)
        assert float(page.mediabox.height) == pytest.approx(841.9, abs=1)
    fonts = pdf_fonts(path)
    assert fonts, "no fonts found"
    assert all(embedded for _, embedded in fonts), fonts
    assert not {name for name, _ in fonts} & base14_fonts


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_reports_every_font_embedded(write_pdf):
    path = write_pdf("catalogue", render_pdf(SPECIMENS["catalogue"]()))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        assert "Helvetica" not in row and "Times" not in row
        assert row.split()[-5] == "yes", row  # the "emb" column


@pytest.mark.parametrize("kind", sorted(SPECIMENS))
def test_text_backend_has_the_same_key_strings(kind):
    text = "".join(render_text(SPECIMENS[kind]()).split())
    for expected in EXPECTED[kind]:
        assert expected in text, expected


def test_pdf_metadata_names_the_document(write_pdf):
    reader = PdfReader(write_pdf("receipt", render_pdf(SPECIMENS["acceptance-receipt"]())))
    assert reader.metadata.title == "受理回执"
    assert reader.metadata.author == "幸福里社区工作站"


def test_same_document_gives_identical_bytes():
    # the print register stores a content hash: rendering must be deterministic
    doc = SPECIMENS["supplement-notice"]()
    assert render_pdf(doc) == render_pdf(doc)
