"""不予出具证明告知书: the short written reason a resident takes home when the community must not issue
the certificate asked for (national list of certificates no longer issued, 民政部等六部门 2020)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shequ_desktop.printing.document import (Block, Document, Paragraph, ReceiptLine, SignatureBlock, Spacer,
                                             format_cn_date)

if TYPE_CHECKING:  # templates.py lists these specimens, so it imports this module: no import back at load time
    from shequ_desktop.printing.templates import Header

BASIS = "根据民政部等六部门2020年印发的《关于改进和规范基层群众性自治组织出具证明工作的指导意见》"


@dataclass(frozen=True)
class RefusalNoticeData:
    """What was asked, why the community does not issue it, where to turn instead."""

    header: Header
    station_name: str
    committee_name: str
    applicant_name: str
    certificate_name: str        # as listed (the type the clerk typed may be worded differently)
    asked_on: dt.date
    handler_name: str
    handler_phone: str
    issued_on: dt.date


def refusal_notice(data: RefusalNoticeData) -> Document:
    """不予出具证明告知书: one page, the reason and the way forward in plain words."""
    blocks: list[Block] = [
        Paragraph(f"{data.applicant_name}：", "body_noindent"),
        Paragraph(f"您于{format_cn_date(data.asked_on)}申请开具“{data.certificate_name}”。{BASIS}，"
                  f"“{data.certificate_name}”属于不应由村（居）民委员会出具的证明事项，本社区不予出具。"),
        Paragraph("该事项如确需证明，请向要求您提供证明的单位说明，由其依法通过查询、核实等方式办理，"
                  "或向有关主管部门咨询。"),
        Paragraph("特此告知。"),
        SignatureBlock(data.committee_name, format_cn_date(data.issued_on), "（盖章）",
                       (f"经办人：{data.handler_name}　联系电话：{data.handler_phone}",)),
        Spacer(0.5),
        ReceiptLine("申请人签收："),
    ]
    h = data.header
    return Document(kind="refusal-notice", title="不予出具证明告知书", serial_no=h.serial_no,
                    verification_code=h.verification_code, verify_url_or_text=h.verify_text, blocks=tuple(blocks),
                    reprint=h.reprint, draft=h.draft, org_line="", author=data.station_name,
                    subject="不予出具证明告知书")


def _specimen_refusal_notice() -> Document:
    from shequ_desktop.printing.templates import _specimen_header, _st
    return refusal_notice(RefusalNoticeData(
        _specimen_header(6), _st().station_name, _st().seal_name, "张秀兰", "无犯罪记录证明",
        dt.date(2026, 11, 25), "陈晓燕", _st().phone, dt.date(2026, 11, 25)))


SPECIMENS: dict[str, Callable[[], Document]] = {"refusal-notice": _specimen_refusal_notice}
