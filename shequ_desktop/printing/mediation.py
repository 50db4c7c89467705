"""The mediation papers: 人民调解协议书 (§29, DOMAIN §4.6), 调解笔录, 调解终止告知书 and the 卷宗.

Printed papers are always Chinese. Builders take plain dataclasses (filled by the services) and return
an abstract ``Document``; the archive file (卷宗) is one document: cover with the file number and a
table of contents, then registration, session records, agreement or failure notice, follow-up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shequ_desktop.printing.document import (Block, Document, Heading, PageBreak, Paragraph, SignatureBlock, Spacer,
                                             Table, cn_ordinal, format_cn_date, format_cn_datetime)

if TYPE_CHECKING:  # templates.py lists these specimens, so it imports this module: no import back at load time
    from shequ_desktop.printing.templates import Header

OTHER_ROUTES = ("当事人可以依法通过仲裁、行政、司法等途径维护自己的权利（《中华人民共和国人民调解法》第二十六条）：可以向"
                "仲裁机构申请仲裁，向有关行政机关申请处理，或者向人民法院提起诉讼。")
EFFECT_CLAUSE = ("本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。"
                 "本协议一式{copies}份，当事人各执一份，人民调解委员会留存一份。")
CONFIRMATION_CLAUSE = "（当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。）"


@dataclass(frozen=True)
class PartyLine:
    """One party as the agreement lists it (甲方, 乙方 …), with an agent if any."""

    side: str               # 甲方
    name: str
    sex: str = ""
    birth: str = ""
    phone: str = ""
    address: str = ""
    id_number: str = ""
    agent: str = ""         # 代理人 name (and relation), "" when none


@dataclass(frozen=True)
class AgreementData:
    header: Header
    committee: str                  # 幸福里社区人民调解委员会
    agreement_no: str
    parties: tuple[PartyLine, ...]
    facts: str
    responsibilities: str
    terms: tuple[str, ...]
    performance: str
    made_on: dt.date
    mediators: str


@dataclass(frozen=True)
class SessionData:
    header: Header
    committee: str
    case_no: str
    held_at: dt.datetime
    place: str
    mediator: str
    recorder: str
    attendees: str
    statements: str
    proposal: str
    index: int = 1


@dataclass(frozen=True)
class FailureData:
    header: Header
    committee: str
    case_no: str
    parties: tuple[str, ...]
    facts: str
    reason: str
    ended_on: dt.date


@dataclass(frozen=True)
class MarkLine:
    who: str          # 甲方 张三 / 人民调解员 / 调委会印章
    status: str       # 已签名、已按指印 / 未签署


@dataclass(frozen=True)
class FollowUpLine:
    visited_on: dt.date
    performance: str
    note: str
    by_name: str


@dataclass(frozen=True)
class RegistrationData:
    case_no: str
    registered_at: dt.datetime
    kind: str
    source: str
    level: str
    parties: tuple[str, ...]
    facts: str
    mediators: str
    escalations: tuple[str, ...]
    judicial_office: str
    law_firm: str
    outcome: str
    outcome_text: str
    council: str = ""


@dataclass(frozen=True)
class CaseFileData:
    header: Header
    committee: str
    file_no: str
    archived_on: dt.date
    registration: RegistrationData
    sessions: tuple[SessionData, ...]
    agreement: AgreementData | None
    marks: tuple[MarkLine, ...]
    effective_on: dt.date | None
    confirm_until: dt.date | None
    failure: FailureData | None
    followups: tuple[FollowUpLine, ...]


def _doc(kind: str, title: str, header: Header, blocks: list[Block], org: str) -> Document:
    return Document(kind=kind, title=title, serial_no=header.serial_no, verification_code=header.verification_code,
                    verify_url_or_text=header.verify_text, blocks=tuple(blocks), reprint=header.reprint,
                    org_line="", author=org, subject=title)


def _party_paragraph(p: PartyLine) -> Paragraph:
    fields = [f"当事人（{p.side}）：{p.name}"]
    fields += [x for x in (p.sex, p.birth) if x]
    if p.address:
        fields.append(f"住址：{p.address}")
    if p.phone:
        fields.append(f"联系电话：{p.phone}")
    if p.id_number:
        fields.append(f"公民身份号码：{p.id_number}")
    return Paragraph("　".join(fields), "body_noindent")


def _agreement_blocks(data: AgreementData) -> list[Block]:
    blocks: list[Block] = [Paragraph(f"编号：{data.agreement_no}", "right")]
    for p in data.parties:
        blocks.append(_party_paragraph(p))
        if p.agent:
            blocks.append(Paragraph(f"委托代理人：{p.agent}", "body_noindent"))
    blocks += [
        Paragraph(f"纠纷主要事实、争议事项：{data.facts}"),
        Paragraph(f"各方当事人的责任：{data.responsibilities or '（无）'}"),
        Paragraph(f"经{data.committee}调解，当事人自愿达成如下协议："),
    ]
    blocks += [Paragraph(f"{cn_ordinal(i)}、{t}") for i, t in enumerate(data.terms, 1)]
    blocks += [
        Paragraph(f"履行方式、期限：{data.performance}"),
        Paragraph(EFFECT_CLAUSE.format(copies=len(data.parties) + 1)),
        Paragraph(CONFIRMATION_CLAUSE),
        Spacer(0.5),
        Paragraph("当事人（签名、盖章或按指印）：" + "　".join(f"{p.side}________" for p in data.parties),
                  "body_noindent"),
        Paragraph(f"人民调解员（签名）：________　（{data.mediators}）", "body_noindent"),
        SignatureBlock(f"{data.committee}（印章）", format_cn_date(data.made_on)),
    ]
    return blocks


def agreement(data: AgreementData) -> Document:
    """人民调解协议书 per §29: parties, facts and responsibilities, terms, performance, copies = parties + 1."""
    return _doc("mediation-agreement", "人民调解协议书", data.header, _agreement_blocks(data), data.committee)


def _session_blocks(data: SessionData) -> list[Block]:
    return [
        Paragraph(f"案件编号：{data.case_no}　第{data.index}次调解", "right"),
        Table(("项目", "内容"), (
            ("时间", format_cn_datetime(data.held_at)),
            ("地点", data.place),
            ("调解员", data.mediator),
            ("记录人", data.recorder or data.mediator),
            ("参加人员", data.attendees),
        ), (1.2, 5.0), ("center", "left")),
        Paragraph(f"各方陈述：{data.statements}"),
        Paragraph(f"调解意见及方案：{data.proposal or '（无）'}"),
        Paragraph("以上笔录经当事人阅看（或向其宣读），确认无误。", "body_noindent"),
        SignatureBlock(f"调解员：{data.mediator}　记录人：{data.recorder or data.mediator}",
                       format_cn_date(data.held_at.date()), handler_lines=("当事人（签名或按指印）：________",)),
    ]


def session_record(data: SessionData) -> Document:
    """调解笔录: one mediation session (date, place, attendance, what each side said, the proposal)."""
    return _doc("mediation-record", "人民调解笔录", data.header, _session_blocks(data), data.committee)


def _failure_blocks(data: FailureData) -> list[Block]:
    return [
        Paragraph(f"案件编号：{data.case_no}", "right"),
        Paragraph("、".join(data.parties) + "：", "body_noindent"),
        Paragraph(f"你们之间的纠纷（{data.facts}），经{data.committee}调解，未能达成调解协议"
                  f"（{data.reason}）。依照《中华人民共和国人民调解法》第二十六条，本委员会决定终止调解。"),
        Paragraph(OTHER_ROUTES),
        SignatureBlock(f"{data.committee}（印章）", format_cn_date(data.ended_on)),
    ]


def failure_notice(data: FailureData) -> Document:
    """调解终止告知书: mediation ended; the parties are told of arbitration, administrative and court routes."""
    return _doc("mediation-failure", "人民调解终止告知书", data.header, _failure_blocks(data), data.committee)


def _registration_blocks(r: RegistrationData) -> list[Block]:
    rows = [("案件编号", r.case_no), ("受理时间", format_cn_datetime(r.registered_at)), ("纠纷类型", r.kind),
            ("纠纷来源", r.source), ("当前层级", r.level), ("当事人", "、".join(r.parties)),
            ("调解员", r.mediators), ("纠纷事实", r.facts)]
    rows += [("层级变更", e) for e in r.escalations]
    if r.judicial_office or r.law_firm:
        rows.append(("联合介入", "　".join(x for x in (r.judicial_office, r.law_firm) if x)))
    if r.council:
        rows.append(("居民议事会", r.council))
    rows += [("调解结果", r.outcome)]
    if r.outcome_text:
        rows.append(("结果说明", r.outcome_text))
    return [Table(("项目", "内容"), tuple(rows), (1.4, 5.0), ("center", "left"))]


def case_file(data: CaseFileData) -> Document:
    """卷宗: cover with the file number and contents, then every paper of the case in order, in one PDF."""
    contents = ["人民调解登记表"]
    contents += [f"调解笔录（第{s.index}次）" for s in data.sessions]
    if data.agreement is not None:
        contents.append("人民调解协议书及签署情况")
    if data.failure is not None:
        contents.append("人民调解终止告知书")
    contents.append("履行情况回访记录")
    blocks: list[Block] = [
        Paragraph(f"卷宗号：{data.file_no}", "center"),
        Paragraph(f"案件编号：{data.registration.case_no}", "center"),
        Paragraph(f"归档日期：{format_cn_date(data.archived_on)}", "center"),
        Spacer(1),
        Heading("卷内目录"),
        Table(("序号", "材料名称"), tuple((str(i), c) for i, c in enumerate(contents, 1)), (1.0, 6.0),
              ("center", "left")),
        PageBreak(),
        Heading(f"{cn_ordinal(1)}、{contents[0]}"),
        *_registration_blocks(data.registration),
    ]
    section = iter(range(2, len(contents) + 1))
    for s in data.sessions:
        blocks += [PageBreak(), Heading(f"{cn_ordinal(next(section))}、调解笔录（第{s.index}次）"),
                   *_session_blocks(s)[:-1]]
        blocks.append(Paragraph(f"调解员：{s.mediator}　记录人：{s.recorder or s.mediator}", "right"))
    if data.agreement is not None:
        blocks += [PageBreak(), Heading(f"{cn_ordinal(next(section))}、人民调解协议书"),
                   *_agreement_blocks(data.agreement)[:-1]]
        blocks.append(Paragraph(f"{data.agreement.committee}（印章）　{format_cn_date(data.agreement.made_on)}", "right"))
        blocks += [Heading("签署情况"),
                   Table(("签署人", "状态"), tuple((x.who, x.status) for x in data.marks), (3.0, 4.0),
                         ("left", "left"))]
        if data.effective_on is not None:
            blocks.append(Paragraph(f"协议生效日期：{format_cn_date(data.effective_on)}；申请司法确认期限至"
                                    f"{format_cn_date(data.confirm_until or data.effective_on)}。"))
        else:
            blocks.append(Paragraph("协议尚未生效（签署要素未齐）。"))
    if data.failure is not None:
        blocks += [PageBreak(), Heading(f"{cn_ordinal(next(section))}、人民调解终止告知书"),
                   *_failure_blocks(data.failure)[:-1]]
        blocks.append(Paragraph(f"{data.committee}（印章）　{format_cn_date(data.failure.ended_on)}", "right"))
    blocks += [PageBreak(), Heading(f"{cn_ordinal(next(section))}、履行情况回访记录")]
    if data.followups:
        blocks.append(Table(("回访日期", "履行情况", "说明", "回访人"), tuple(
            (format_cn_date(f.visited_on), f.performance, f.note, f.by_name) for f in data.followups),
            (2.0, 1.6, 4.0, 1.4), ("center", "center", "left", "center")))
    else:
        blocks.append(Paragraph("（无回访记录）"))
    blocks.append(SignatureBlock(f"{data.committee}（印章）", format_cn_date(data.archived_on),
                                 handler_lines=("立卷人：________",)))
    return _doc("mediation-file", "人民调解卷宗", data.header, blocks, data.committee)


# --- specimens ------------------------------------------------------------------------------------

_COMMITTEE = "幸福里社区人民调解委员会"
_DAY = dt.date(2026, 11, 25)


def _header(n: int) -> Header:
    from shequ_desktop.printing.templates import Header
    code = f"SAMPLE{n:02d}"
    return Header(f"样本-{n:04d}", code, f"shequ:verify:{code}")


_PARTIES = (
    PartyLine("甲方", "王建华", "男", "1968年3月出生", "138****8000", "幸福里小区5栋2单元602室", "420111********0031"),
    PartyLine("乙方", "李秀英", "女", "1972年9月出生", "139****1234", "幸福里小区5栋2单元502室", "420111********0042",
              agent="李明（乙方之子）"),
)


def _specimen_agreement_data() -> AgreementData:
    return AgreementData(
        _header(11), _COMMITTEE, "（2026）幸福里社区调委会调字第7号", _PARTIES,
        "甲方住房卫生间防水层老化漏水，致乙方住房天花板及墙面受损，双方就维修及赔偿费用发生争执。",
        "甲方对漏水负主要责任；乙方未及时告知物业，负次要责任。",
        ("甲方于2026年12月5日前自行委托施工单位修复卫生间防水层，并经乙方确认不再渗漏。",
         "甲方赔偿乙方天花板及墙面修复费用人民币捌佰元整（¥800.00）。"),
        "第二项赔偿款于2026年12月5日前以银行转账方式一次性支付给乙方。", _DAY, "张伟、王建国")


def _specimen_agreement() -> Document:
    return agreement(_specimen_agreement_data())


def _specimen_session(n: int = 12, index: int = 1) -> SessionData:
    return SessionData(_header(n), _COMMITTEE, "TJ2026-0007", dt.datetime(2026, 11, 24, 15, 0), "幸福里社区调解室",
                       "张伟", "刘洋", "王建华（甲方）、李秀英（乙方）、李明（乙方代理人）、5栋楼栋长赵志刚",
                       "甲方称漏水系楼龄老化所致，愿意修复但认为赔偿金额过高；乙方称天花板已发霉，要求赔偿1500元。",
                       "调解员建议甲方修复防水层并赔偿800元，双方表示考虑后答复。", index)


def _specimen_record() -> Document:
    return session_record(_specimen_session())


def _specimen_file() -> Document:
    registration = RegistrationData(
        "TJ2026-0007", dt.datetime(2026, 11, 23, 9, 30), "邻里纠纷", "网格巡查", "社区",
        ("王建华（甲方）", "李秀英（乙方）"), _specimen_agreement_data().facts, "张伟、王建国",
        ("2026年11月23日 16:10 网格→社区：当场未能调解，转社区人民调解委员会",), "", "", "调解成功（书面协议）", "")
    return case_file(CaseFileData(
        _header(13), _COMMITTEE, "（2026）幸福里社区调委会调卷第3号", dt.date(2026, 12, 10), registration,
        (_specimen_session(13, 1),), _specimen_agreement_data(),
        (MarkLine("甲方 王建华", "已签名"), MarkLine("乙方 李秀英", "已签名、已按指印"),
         MarkLine("人民调解员", "已签名"), MarkLine("调委会印章", "已盖章")),
        _DAY, dt.date(2026, 12, 25), None,
        (FollowUpLine(dt.date(2026, 12, 8), "已履行", "防水层已修复，赔偿款已于12月4日转账", "张伟"),)))


SPECIMENS: dict[str, Callable[[], Document]] = {
    "mediation-agreement": _specimen_agreement,
    "mediation-record": _specimen_record,
    "mediation-file": _specimen_file,
}
