"""Papers of oversight part B: 情况说明 for the subdistrict (a hotline complaint past its deadline, R42),
公示 for the notice board (the evaluation result, the 社区治理之星 proposals, the quarterly inspection,
R38/R45), and the blank offline questionnaire (线下测评, R31).

Printed papers are always Chinese; names on a 公示 are masked (DOMAIN §7.6). Builders take plain
dataclasses (filled by the services) and return an abstract ``Document``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shequ_desktop.printing.document import (Block, Document, Heading, Paragraph, SignatureBlock, Spacer, Table,
                                             cn_ordinal, format_cn_date, format_cn_datetime)

if TYPE_CHECKING:  # templates.py lists these specimens, so it imports this module: no import back at load time
    from shequ_desktop.printing.templates import Header

SCORE5_ZH = ("非常不满意", "不满意", "一般", "满意", "非常满意")
NOTICE_DAYS = 7          # 公示期 (days)


@dataclass(frozen=True)
class ExplanationLetterData:
    """情况说明: why a hotline complaint's result was late, for the subdistrict's files (备案)."""

    header: Header
    station_name: str
    subdistrict: str                 # 珞南街道办事处
    complaint_no: str
    received_at: dt.datetime         # local wall time
    channel: str                     # 监督热线
    complainant: str                 # masked
    about: str
    content: str
    contacted_at: dt.datetime | None
    feedback_due: dt.datetime
    fed_back_at: dt.datetime | None
    result: str
    explanation: str
    measures: str
    written_on: dt.date
    filed_on: dt.date | None
    handler: str
    phone: str


@dataclass(frozen=True)
class NoticeRow:
    cells: tuple[str, ...]


@dataclass(frozen=True)
class PublicNoticeData:
    """公示: a title, an introduction, an optional table, closing lines; posted for ``days`` days."""

    header: Header
    issuer: str                      # 幸福里社区居民委员会 / 幸福里社区居务监督委员会
    title: str                       # 关于2026年第四季度考核评价结果的公示
    intro: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    closing: tuple[str, ...]
    posted_on: dt.date
    days: int = NOTICE_DAYS
    contact: str = ""                # 监督电话


@dataclass(frozen=True)
class FormQuestion:
    key: str
    text: str
    kind: str                        # score5 / choice / text
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class QuestionnaireFormData:
    """The blank paper form of a questionnaire (线下测评)."""

    header: Header
    community: str
    title: str
    intro: str
    questions: tuple[FormQuestion, ...]
    closes_on: dt.date


def _doc(kind: str, title: str, header: Header, blocks: list[Block], org: str) -> Document:
    return Document(kind=kind, title=title, serial_no=header.serial_no, verification_code=header.verification_code,
                    verify_url_or_text=header.verify_text, blocks=tuple(blocks), reprint=header.reprint,
                    draft=header.draft, org_line="", author=org, subject=title)


def _when(value: dt.datetime | None) -> str:
    return format_cn_datetime(value) if value is not None else "尚未办理"


def explanation_letter(data: ExplanationLetterData) -> Document:
    """情况说明: the complaint, the two clocks, the reason it was late, the measures; filed with the subdistrict."""
    blocks: list[Block] = [
        Paragraph(f"{data.subdistrict}：", "body_noindent"),
        Paragraph(f"{data.station_name}于{format_cn_datetime(data.received_at)}通过{data.channel}受理居民投诉一件"
                  f"（编号{data.complaint_no}），按规定应于{format_cn_datetime(data.feedback_due)}前反馈处理结果，"
                  f"现因逾期未能按时办结，特将有关情况说明如下："),
        Heading("一、投诉基本情况"),
        Table(("项目", "内容"), (
            ("投诉编号", data.complaint_no),
            ("受理时间", format_cn_datetime(data.received_at)),
            ("投诉渠道", data.channel),
            ("投诉人", data.complainant),
            ("投诉对象", data.about or "—"),
            ("投诉内容", data.content),
            ("联系投诉人时间", _when(data.contacted_at)),
            ("反馈时限", format_cn_datetime(data.feedback_due)),
            ("反馈时间", _when(data.fed_back_at)),
            ("处理结果", data.result or "正在办理"),
        ), (1.4, 4.6), ("center", "left")),
        Heading("二、逾期原因"),
        Paragraph(data.explanation),
        Heading("三、整改措施"),
        Paragraph(data.measures),
        Paragraph("特此说明，请予备案。"),
        Spacer(0.5),
        SignatureBlock(f"{data.station_name}（盖章）", format_cn_date(data.written_on),
                       handler_lines=(f"经办人：{data.handler}", f"联系电话：{data.phone}")),
    ]
    if data.filed_on is not None:
        blocks.append(Paragraph(f"街道备案日期：{format_cn_date(data.filed_on)}", "small"))
    else:
        blocks.append(Paragraph("街道备案日期：＿＿＿＿年＿＿月＿＿日　　备案人：＿＿＿＿＿＿", "small"))
    return _doc("explanation-letter", "情况说明", data.header, blocks, data.station_name)


def public_notice(data: PublicNoticeData) -> Document:
    """公示 for the notice board and the smart-community platform."""
    end = data.posted_on + dt.timedelta(days=data.days - 1)
    blocks: list[Block] = [Paragraph(data.intro)]
    if data.columns:
        blocks.append(Table(data.columns, data.rows))
    blocks += [Paragraph(line) for line in data.closing]
    blocks.append(Paragraph(f"公示期：{format_cn_date(data.posted_on)}至{format_cn_date(end)}（{data.days}天）。"
                            f"公示期间如有异议，请向社区居务监督委员会反映"
                            + (f"，监督电话：{data.contact}。" if data.contact else "。")))
    blocks += [Spacer(0.5), SignatureBlock(data.issuer, format_cn_date(data.posted_on))]
    return _doc("public-notice", data.title, data.header, blocks, data.issuer)


def _question_blocks(i: int, q: FormQuestion) -> list[Block]:
    if q.kind == "score5":
        return [Paragraph(f"{i}. {q.text}", "body_noindent"),
                Paragraph("　".join(f"□{label}" for label in reversed(SCORE5_ZH)), "body_noindent")]
    if q.kind == "choice":
        return [Paragraph(f"{i}. {q.text}（单选）", "body_noindent"),
                Paragraph("　".join(f"□{o}" for o in q.options), "body_noindent")]
    return [Paragraph(f"{i}. {q.text}", "body_noindent"),
            Paragraph("＿" * 28, "body_noindent"), Paragraph("＿" * 28, "body_noindent")]


def questionnaire_form(data: QuestionnaireFormData) -> Document:
    """The blank questionnaire: respondent lines for the station's entry, every question with its boxes."""
    blocks: list[Block] = [
        Paragraph(data.intro or f"为了解居民对{data.community}工作站服务的评价，请您如实填写本问卷。"
                  "您的意见将作为社区工作站年度考核的重要依据，个人信息仅用于统计，不对外公开。"),
        Paragraph("问卷编号：＿＿＿＿＿＿　　姓名：＿＿＿＿＿＿＿＿", "body_noindent"),
        Paragraph("所在网格：＿＿＿＿＿＿　　联系电话：＿＿＿＿＿＿＿＿", "body_noindent"),
        Heading("请在相应的□内打“√”"),
    ]
    for i, q in enumerate(data.questions, 1):
        blocks += _question_blocks(i, q)
    blocks += [Spacer(0.5),
               Paragraph(f"请于{format_cn_date(data.closes_on)}前交回社区工作站或网格员。感谢您的支持！", "body_noindent"),
               Paragraph("填表日期：＿＿＿＿年＿＿月＿＿日　　录入人（工作站填写）：＿＿＿＿＿＿", "small")]
    return _doc("questionnaire-form", data.title, data.header, blocks, data.community)


# --- specimens ----------------------------------------------------------------------------------

def _header(n: int) -> Header:
    from shequ_desktop.printing.templates import Header
    code = f"SAMPLE{n:02d}"
    return Header(f"样本-{n:04d}", code, f"shequ:verify:{code}")


def _station():  # noqa: ANN202  (templates.SpecimenStation)
    from shequ_desktop.printing.templates import _st
    return _st()


def _specimen_explanation() -> Document:
    st = _station()
    return explanation_letter(ExplanationLetterData(
        _header(21), st.station_name, "珞南街道办事处", "TS2026-0042", dt.datetime(2026, 11, 20, 22, 47), "监督热线",
        "孙*", "窗口服务", "居民反映办理最低生活保障申请时材料被退回三次，每次告知的要求不一致。",
        dt.datetime(2026, 11, 20, 23, 20), dt.datetime(2026, 11, 25, 17, 30), dt.datetime(2026, 11, 26, 10, 15),
        "已一次性告知全部所需材料，协助补齐并受理，向投诉人当面致歉。",
        "经办社工病假期间，AB岗备岗社工未及时接手该投诉的核查工作，导致处理结果未能在3个工作日内反馈。",
        "一、严格落实AB岗工作制度，岗位人员请假时当日交接在办事项；二、站长每日查看热线投诉时限预警；"
        "三、对窗口社工开展一次性告知制度专题培训。", dt.date(2026, 11, 26), dt.date(2026, 11, 27), "陈晓燕",
        st.phone))


def _specimen_notice() -> Document:
    st = _station()
    rows = (("街道考核（权重40%）", "84.00"), ("居民评价（权重60%）", "81.25"), ("综合得分", "82.35"),
            ("居民评价覆盖", "842人 / 8,000人（10.5%）"))
    return public_notice(PublicNoticeData(
        _header(22), st.seal_name, "关于2026年第三季度社区工作站考核评价结果的公示",
        "根据社区工作站考核办法，现将2026年第三季度双重考核评价结果公示如下（街道考核占40%，居民评价占60%；"
        "居民评价通过线上问卷和线下测评收集）：", ("项目", "结果"), rows,
        ("拟推荐“社区治理之星”：张*兰、李*国、王*（按居民评价排名）。",), dt.date(2026, 11, 25), 7, st.hotline))


def _specimen_form() -> Document:
    qs = (FormQuestion("q1", "您对社区工作站的服务总体是否满意？", "score5"),
          FormQuestion("q2", "社区工作人员对您的诉求是否及时回应？", "score5"),
          FormQuestion("q3", "您对社区环境卫生和公共秩序是否满意？", "score5"),
          FormQuestion("q4", "您最近一次办理的业务", "choice", ("证明开具", "社会保障", "计划生育", "其他")),
          FormQuestion("q5", "您对社区工作的意见和建议", "text"))
    return questionnaire_form(QuestionnaireFormData(_header(23), "幸福里社区", "2026年第四季度居民满意度测评问卷",
                                                    "", qs, dt.date(2026, 12, 20)))


SPECIMENS: dict[str, Callable[[], Document]] = {
    "explanation-letter": _specimen_explanation,
    "public-notice": _specimen_notice,
    "questionnaire-form": _specimen_form,
}

__all__ = ["ExplanationLetterData", "PublicNoticeData", "QuestionnaireFormData", "FormQuestion", "SPECIMENS",
           "explanation_letter", "public_notice", "questionnaire_form", "cn_ordinal"]
