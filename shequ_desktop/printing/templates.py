"""Builders for the counter's printed documents (DOMAIN.md §4.2–4.5) and the service catalogue booklet.

Each builder takes a plain dataclass and returns an abstract ``Document``; the services layer fills
the dataclass from the database, the backends render it. The wording is what a window clerk expects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Literal

from shequ_desktop.domain.masking import mask_id_number, mask_phone
from shequ_desktop.domain.service_catalogue import (
    DEFAULT_SERVICES, MaterialItem, ServiceDefinition, service_by_code,
)
from shequ_desktop.printing.document import (
    Block, Density, Document, Heading, Paragraph, ReceiptLine, SignatureBlock, Spacer, Table,
    cn_ordinal, format_cn_date, format_cn_datetime, format_cn_month,
)

PROVISIONAL = "（暂定）"
PROVISIONAL_NOTE = ("注：标注“暂定”的日期系按常规工作日推算，国家公布该年度节假日安排后将重新计算，"
                    "届时以重新计算的日期为准。")
SupplementReason = Literal["缺少", "不符合要求", "信息不一致"]
_MATERIALS_ALIGN: tuple[Literal["left", "center"], ...] = ("center", "left", "center", "center", "left")
_RECEIVED_ALIGN: tuple[Literal["left", "center"], ...] = ("center", "left", "center", "center", "center")


@dataclass(frozen=True)
class Header:
    """Register data every printed document carries: serial number, QR payload, 补打 flag."""

    serial_no: str
    verification_code: str = ""
    verify_text: str = ""
    reprint: bool = False
    draft: bool = False  # 样稿: the preview before the number is given


DRAFT = Header("", draft=True)


def _doc(kind: str, title: str, header: Header, blocks: list[Block], org: str = "", author: str = "",
         density: Density = "standard") -> Document:
    return Document(kind=kind, title=title, serial_no=header.serial_no, verification_code=header.verification_code,
                    verify_url_or_text=header.verify_text, blocks=tuple(blocks), reprint=header.reprint,
                    draft=header.draft,
                    org_line=org, author=author or org, subject=title, density=density)


def mask_id_on_paper(number: str) -> str:
    """An ID number as every printed paper but the certificate shows it (DOMAIN §7.6: first 3 + last 4,
    110***********002X); already masked input is kept. Use it in every template."""
    return number if "*" in number else mask_id_number(number, head=3, tail=4)


def mask_phone_on_paper(phone: str) -> str:
    """A phone number on paper (DOMAIN §7.6: 138****8000); already masked input is kept."""
    return phone if "*" in phone else mask_phone(phone)




def _materials_table(items: tuple[MaterialItem, ...]) -> Table:
    rows = tuple(
        (str(i), m.name, m.form_text, str(m.copies),
         "；".join(t for t in (m.condition, m.note, f"出具或获取：{m.source}" if m.source else "") if t))
        for i, m in enumerate(items, 1)
    )
    return Table(("序号", "材料名称", "原件或复印件", "份数", "备注"), rows, (1.0, 3.6, 2.3, 1.0, 3.3), _MATERIALS_ALIGN)


def _time_limit_text(service: ServiceDefinition) -> str:
    if service.time_limit_wd is None:
        return "材料齐全、符合要求的，当场办结"
    return f"材料齐全、符合要求的，自受理之日起{service.time_limit_wd}个工作日内完成社区环节办理并按程序上报"


@dataclass(frozen=True)
class OneTimeNoticeData:
    """一次性告知书: everything an applicant needs for one service, told in one go."""

    header: Header
    station_name: str  # e.g. 幸福里社区工作站
    applicant_name: str
    service: ServiceDefinition
    date: dt.date
    clerk_name: str
    phone: str
    hotline: str
    place: str
    hours: str
    applied: bool = False  # False = only asked (咨询)
    issued_on: dt.date | None = None  # the day the notice is given; None = ``date`` (the day asked / applied)


def _asked_or_applied(service_name: str, applied: bool) -> str:
    """申请办理“居住证明开具”; for a name that already ends in 申请, 提出“最低生活保障申请” (not 申请办理“…申请”)."""
    if not applied:
        return f"咨询办理“{service_name}”"
    if service_name.endswith("申请"):
        return f"提出“{service_name}”"
    return f"申请办理“{service_name}”"


def one_time_notice(data: OneTimeNoticeData) -> Document:
    """一次性告知书 (DOMAIN §4.2)."""
    s = data.service
    optional = sum(1 for m in s.materials if m.conditional)
    count = f"共{len(s.materials)}项" + (f"，其中{optional}项视情形提供" if optional else "")
    blocks: list[Block] = [
        Paragraph(f"{data.applicant_name}：", "body_noindent"),
        Paragraph(f"您于{format_cn_date(data.date)}{_asked_or_applied(s.name, data.applied)}，"
                  f"依据{s.legal_basis.replace('；', '、')}，现将办理该事项的全部要求一次性告知如下："),
        Paragraph(f"一、申请条件：{s.conditions}"),
        Paragraph(f"二、所需材料（{count}）："),
        _materials_table(s.materials),
        Paragraph(f"三、办理流程：{s.procedure}。"),
        Paragraph(f"四、办理时限：{_time_limit_text(s)}（{s.decision_level}）。"),
        Paragraph("五、办理费用：不收取任何费用。"),
        Paragraph(f"六、办理地点及时间：{data.place}，{data.hours}。"),
        Paragraph(f"七、咨询电话：{data.phone}　　监督电话：{data.hotline}"),
        Paragraph("材料不齐全或不符合要求的，我站将一次性告知需要补正的全部内容。"),
        SignatureBlock(data.station_name, format_cn_date(data.issued_on or data.date), "（盖章）",
                       (f"告知人：{data.clerk_name}",)),
        Spacer(0.5),
        ReceiptLine("申请人签收："),
        Paragraph("（本告知书一式两份，申请人与社区工作站各执一份）", "small"),
    ]
    return _doc("one-time-notice", "一次性告知书", data.header, blocks, data.station_name)


@dataclass(frozen=True)
class SupplementItem:
    """One material to supplement: name, why (缺少/不符合要求/信息不一致) and what is required."""

    name: str
    reason: SupplementReason
    requirement: str


@dataclass(frozen=True)
class SupplementNoticeData:
    """补正材料通知书: what is missing, by when, and what happens otherwise."""

    header: Header
    station_name: str
    applicant_name: str
    service_name: str
    submitted_on: dt.date
    items: tuple[SupplementItem, ...]
    deadline: dt.date
    working_days: int
    handler_name: str
    handler_phone: str
    issued_on: dt.date
    deadline_provisional: bool = False
    consequence: str = "逾期未补正的，本次申请作退回处理，您可重新申请"  # local policy (DOMAIN §4.3)


def supplement_notice(data: SupplementNoticeData) -> Document:
    """补正材料通知书 (DOMAIN §4.3)."""
    rows = tuple((str(i), it.name, it.reason, it.requirement) for i, it in enumerate(data.items, 1))
    deadline = format_cn_date(data.deadline) + (PROVISIONAL if data.deadline_provisional else "")
    blocks: list[Block] = [
        Paragraph(f"{data.applicant_name}：", "body_noindent"),
        Paragraph(f"您于{format_cn_date(data.submitted_on)}提交的“{data.service_name}”申请材料，"
                  "经审查，需补正以下内容："),
        Table(("序号", "材料名称", "补正原因", "补正要求"), rows, (1.0, 3.3, 2.0, 4.7), ("center", "left", "center", "left")),
        Paragraph(f"请于{deadline}前（{data.working_days}个工作日内）一次性补正上述全部材料。"
                  f"材料补齐之日起按规定时限办理；{data.consequence}。"),
    ]
    if data.deadline_provisional:
        blocks.append(Paragraph(PROVISIONAL_NOTE, "small"))
    blocks += [
        SignatureBlock(data.station_name, format_cn_date(data.issued_on), "（盖章）",
                       (f"经办人：{data.handler_name}　联系电话：{data.handler_phone}",)),
        Spacer(0.5),
        ReceiptLine("申请人签收："),
        Paragraph("（本通知书一式两份，申请人与社区工作站各执一份）", "small"),
    ]
    return _doc("supplement-notice", "补正材料通知书", data.header, blocks, author=data.station_name)


@dataclass(frozen=True)
class ReceivedMaterial:
    """A material received at the counter, as listed on the 受理回执."""

    name: str
    form: str  # 原件 / 复印件 / 原件及复印件
    copies: int
    pages: int | None = None  # None = not counted at the counter: a blank to fill in by hand


@dataclass(frozen=True)
class AcceptanceReceiptData:
    """受理回执: proof of acceptance; the acceptance time starts the clock."""

    header: Header
    station_name: str
    case_no: str
    applicant_name: str
    id_number: str  # full or masked; printed masked
    phone: str  # full or masked; printed masked
    service_name: str
    received_at: dt.datetime
    accepted_at: dt.datetime
    materials: tuple[ReceivedMaterial, ...]
    time_limit_wd: int | None  # None = 当场办结
    due_date: dt.date | None
    clerk_a: str
    clerk_b: str
    due_provisional: bool = False
    due_action: str = "完成初审并上报街道"
    progress_query: str = "工作日到窗口或拨打社区工作站电话查询"
    result_delivery: str = "办结后电话通知，到窗口领取"
    station_phone: str = ""  # the station's phone, for 进度查询


def _received_accepted(received: dt.datetime, accepted: dt.datetime) -> str:
    # same day: one line, the acceptance time without repeating the date
    accepted_text = f"{accepted:%H:%M}" if accepted.date() == received.date() else format_cn_datetime(accepted)
    return f"收件时间：{format_cn_datetime(received)}　受理时间：{accepted_text}"


def acceptance_receipt(data: AcceptanceReceiptData) -> Document:
    """受理回执 (DOMAIN §4.4)."""
    if data.time_limit_wd is None or data.due_date is None:
        limit = "当场办结"
    else:
        provisional = PROVISIONAL if data.due_provisional else ""
        limit = (f"{data.time_limit_wd}个工作日（预计{format_cn_date(data.due_date)}{provisional}前"
                 f"{data.due_action}）")
    rows = tuple((str(i), m.name, m.form, str(m.copies), "" if m.pages is None else str(m.pages))
                 for i, m in enumerate(data.materials, 1))
    query = data.progress_query
    if data.station_phone and data.station_phone not in query:
        query = query.replace("社区工作站电话", f"社区工作站电话{data.station_phone}") if "社区工作站电话" in query \
            else f"{query}（电话：{data.station_phone}）"
    blocks: list[Block] = [
        Paragraph(f"受理编号：{data.case_no}", "body_noindent"),
        Paragraph(f"申请人：{data.applicant_name}　证件号码：{mask_id_on_paper(data.id_number)}", "body_noindent"),
        Paragraph(f"联系电话：{mask_phone_on_paper(data.phone)}", "body_noindent"),
        Paragraph(f"申请事项：{data.service_name}", "body_noindent"),
        Paragraph(_received_accepted(data.received_at, data.accepted_at), "body_noindent"),
        Paragraph("已收材料：", "body_noindent"),
        Table(("序号", "材料名称", "原件或复印件", "份数", "页数"), rows, (1.0, 4.4, 2.4, 1.0, 1.0), _RECEIVED_ALIGN),
        Paragraph(f"承诺时限：{limit}", "body_noindent"),
        Paragraph(f"进度查询：{query}", "body_noindent"),
        Paragraph(f"结果领取方式：{data.result_delivery}", "body_noindent"),
        Paragraph(f"经办人（A岗）：{data.clerk_a}　B岗：{data.clerk_b}", "body_noindent"),
    ]
    if data.due_provisional:
        blocks.append(Paragraph(PROVISIONAL_NOTE, "small"))
    blocks += [
        SignatureBlock(data.station_name, format_cn_date(data.accepted_at.date()), "（盖章）"),
        Spacer(0.5),
        ReceiptLine("申请人签字："),
        Paragraph("注：请妥善保管本回执，凭回执及有效身份证件查询、领取办理结果。", "small"),
    ]
    return _doc("acceptance-receipt", "受理回执", data.header, blocks, author=data.station_name, density="compact")


@dataclass(frozen=True)
class ResidenceCertificateData:
    """居住证明: issued by the residents' committee after checking identity and residence."""

    header: Header
    committee_name: str  # e.g. 幸福里社区居民委员会
    name: str
    sex: str
    id_number: str  # printed in full: the certificate exists to identify the person
    since: dt.date
    address: str
    tenure: str  # 自有住房 / 租住 / 借住
    housing_basis: str
    purpose: str
    handler_name: str
    handler_phone: str
    issued_on: dt.date
    validity_days: int = 30


def residence_certificate(data: ResidenceCertificateData) -> Document:
    """居住证明 (DOMAIN §4.5)."""
    blocks: list[Block] = [
        Spacer(0.5),
        Paragraph(f"兹证明{data.name}，{data.sex}，公民身份号码：{data.id_number}，"
                  f"自{format_cn_month(data.since)}起居住于{data.address}（{data.tenure}）。"),
        Paragraph(f"经核实，居住依据为：{data.housing_basis}。"),
        Paragraph(f"本证明仅用于{data.purpose}，自开具之日起{data.validity_days}日内有效。"),
        Paragraph("特此证明。"),
        SignatureBlock(data.committee_name, format_cn_date(data.issued_on), "（盖章）",
                       (f"经办人：{data.handler_name}　联系电话：{data.handler_phone}",)),
    ]
    return _doc("residence-certificate", "居住证明", data.header, blocks, author=data.committee_name)


@dataclass(frozen=True)
class CatalogueData:
    """The 材料清单目录 booklet: every service of the catalogue with its materials."""

    header: Header
    station_name: str
    edition_date: dt.date
    services: tuple[ServiceDefinition, ...] = field(default=DEFAULT_SERVICES)


def catalogue(data: CatalogueData) -> Document:
    """政务服务事项材料清单目录: one section per service."""
    blocks: list[Block] = [
        Paragraph(f"本目录列明本站受理的{len(data.services)}项政务服务事项所需材料。备注栏注明“……的提供”的材料，"
                  "仅在符合所述情形时提供；原件经核验后当场退还。"),
        Paragraph(f"{data.station_name}　{format_cn_date(data.edition_date)}编制", "right"),
    ]
    for i, s in enumerate(data.services, 1):
        limit = "当场办结" if s.time_limit_wd is None else f"{s.time_limit_wd}个工作日（社区环节）"
        blocks += [
            Heading(f"{cn_ordinal(i)}、{s.name}"),
            Paragraph(f"事项类别：{s.category}　办理时限：{limit}　办理层级：{s.decision_level}", "small"),
            Paragraph(f"办理依据：{s.legal_basis}", "small"),
            _materials_table(s.materials),
        ]
    return _doc("catalogue", "政务服务事项材料清单目录", data.header, blocks, data.station_name)


# --- specimens: realistic sample data (serial numbers marked 样本) for previews and tests ---

@dataclass(frozen=True)
class SpecimenStation:
    """The station printed on specimens: the sample one, or the real station's settings when set."""

    station_name: str = "幸福里社区工作站"
    seal_name: str = "幸福里社区居民委员会"
    address: str = "幸福里社区党群服务中心一楼服务窗口"
    phone: str = "0755-8888 6601"
    hours: str = "工作日上午9:00—12:00、下午2:00—6:00"
    hotline: str = "12345"


_SPECIMEN_STATION: ContextVar[SpecimenStation] = ContextVar("specimen_station", default=SpecimenStation())


@contextmanager
def specimen_station(station: SpecimenStation) -> Iterator[None]:
    """Specimens built inside this block carry ``station``'s names, address and phones."""
    token = _SPECIMEN_STATION.set(station)
    try:
        yield
    finally:
        _SPECIMEN_STATION.reset(token)


def _st() -> SpecimenStation:
    return _SPECIMEN_STATION.get()


def current_specimen_station() -> SpecimenStation:
    """The station specimens print (set by :func:`specimen_station`): for the modules' own specimen builders."""
    return _SPECIMEN_STATION.get()


_DAY = dt.date(2026, 11, 25)


def _specimen_header(n: int) -> Header:
    code = f"SAMPLE{n:02d}"
    return Header(f"样本-{n:04d}", code, f"shequ:verify:{code}")


def _specimen_one_time_notice() -> Document:
    return one_time_notice(OneTimeNoticeData(
        _specimen_header(1), _st().station_name, "李建国", service_by_code("DIBAO"), _DAY, "陈晓燕", _st().phone,
        _st().hotline, _st().address, _st().hours))


def _specimen_supplement_notice() -> Document:
    items = (
        SupplementItem("家庭经济状况核对授权书", "缺少", "共同生活的家庭成员均须本人签字，无民事行为能力人由监护人代签"),
        SupplementItem("户口簿复印件", "不符合要求", "需复印首页及全部家庭成员页，字迹清晰"),
        SupplementItem("家庭收入及财产状况申报表", "信息不一致", "申报的家庭成员人数与户口簿不一致，请核对后重新填写"),
    )
    return supplement_notice(SupplementNoticeData(
        _specimen_header(2), _st().station_name, "李建国", "最低生活保障申请", dt.date(2026, 12, 28), items,
        dt.date(2027, 1, 4), 3, "陈晓燕", _st().phone, dt.date(2026, 12, 29), deadline_provisional=True))


def _specimen_acceptance_receipt() -> Document:
    at = dt.datetime(2026, 11, 25, 9, 42)
    materials = (
        ReceivedMaterial("最低生活保障申请书", "原件", 1, 2),
        ReceivedMaterial("共同生活家庭成员居民身份证", "复印件", 3, 3),
        ReceivedMaterial("户口簿", "复印件", 1, 4),
        ReceivedMaterial("家庭收入及财产状况申报表", "原件", 1, 2),
        ReceivedMaterial("家庭经济状况核对授权书", "原件", 1, 1),
        ReceivedMaterial("本人名下银行卡", "复印件", 1, 1),
    )
    return acceptance_receipt(AcceptanceReceiptData(
        _specimen_header(3), _st().station_name, "20261125-DIBAO-0007", "李建国", "11010519491231002X",
        "13812348000", "最低生活保障申请", at, at.replace(minute=55), materials, 5, dt.date(2026, 12, 2), "陈晓燕",
        "王海涛", station_phone=_st().phone))


def _specimen_residence_certificate() -> Document:
    return residence_certificate(ResidenceCertificateData(
        _specimen_header(4), _st().seal_name, "张秀兰", "女", "11010519491231002X", dt.date(2019, 3, 1),
        "深圳市福田区幸福里小区8栋2单元503室", "租住", "房屋租赁合同（租期2025年3月1日至2027年2月28日）",
        "办理子女入学", "陈晓燕", _st().phone, _DAY))


def _specimen_catalogue() -> Document:
    return catalogue(CatalogueData(_specimen_header(5), _st().station_name, _DAY))


SPECIMENS: dict[str, Callable[[], Document]] = {
    "one-time-notice": _specimen_one_time_notice,
    "supplement-notice": _specimen_supplement_notice,
    "acceptance-receipt": _specimen_acceptance_receipt,
    "residence-certificate": _specimen_residence_certificate,
    "catalogue": _specimen_catalogue,
}

# Special-group papers (issue 12) live in their own module; they are specimens like the counter's.
from shequ_desktop.printing.special_groups_sheets import SPECIMENS as _SPECIAL_GROUP_SPECIMENS  # noqa: E402

SPECIMENS.update(_SPECIAL_GROUP_SPECIMENS)
# The mediation papers live in their own module (printing/mediation.py); their specimens join the list here.
from shequ_desktop.printing.mediation import SPECIMENS as _MEDIATION_SPECIMENS  # noqa: E402

SPECIMENS.update(_MEDIATION_SPECIMENS)
# The emergency papers (issue 14) live in printing/emergency.py; their specimens join the list here.
from shequ_desktop.printing.emergency import SPECIMENS as _EMERGENCY_SPECIMENS  # noqa: E402

SPECIMENS.update(_EMERGENCY_SPECIMENS)

# The KPI report (issue 15) lives in printing/kpi_report.py.
from shequ_desktop.printing.kpi_report import SPECIMENS as _KPI_SPECIMENS  # noqa: E402

SPECIMENS.update(_KPI_SPECIMENS)

# The written reason for a certificate the community must not issue (printing/refusal.py).
from shequ_desktop.printing.refusal import SPECIMENS as _REFUSAL_SPECIMENS  # noqa: E402

SPECIMENS.update(_REFUSAL_SPECIMENS)

# The oversight papers (情况说明, 公示, the blank questionnaire) live in printing/governance.py.
from shequ_desktop.printing import governance as _governance  # noqa: E402

_governance.Header = Header     # type: ignore[attr-defined]  (its data classes' hints, for 补打 from the snapshot)
SPECIMENS.update(_governance.SPECIMENS)
