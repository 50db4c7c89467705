"""Printing a document and the special groups' reveals/prints are logged as a message id + parameters (read
in the reader's language, naming the masked holder), and a phone reveal is logged as a phone reveal."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from shequ_desktop.persistence.models import AuditEntry
from shequ_desktop.services import audit
from shequ_desktop.services.special_groups import files, rosters
from shequ_desktop.services.special_groups.files import FileInput
from tests.services.test_documents_register import certificate, clerk, resident  # noqa: F401  (fixtures)
from tests.services.test_special_groups import person, w1, worker  # noqa: F401  (fixtures)

ZH = {audit.MSG_PRINTED: "打印了{holder}的{kind_msg}（编号 {serial}）。", "residence certificate": "居住证明"}


def _newest(ctx, n: int = 1) -> list[AuditEntry]:  # noqa: ANN001
    with ctx.transaction() as s:
        return list(s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(n)).scalars())


def test_a_printed_document_is_logged_as_a_message_naming_the_masked_holder(clerk, resident):  # noqa: F811
    _case, printed = certificate(clerk, resident)
    [entry] = _newest(clerk)
    assert entry.action == audit.AuditAction.PRINT
    data = json.loads(entry.detail)
    assert data["msg"] == audit.MSG_PRINTED and data["params"]["kind_msg"] == "residence certificate"
    assert "张秀兰" not in entry.detail and data["params"]["holder"] == "张*兰"
    assert audit.detail_text(entry.detail, lambda m: ZH.get(m, m)) == f"打印了张*兰的居住证明（编号 {printed.serial_no}）。"
    assert audit.detail_text(entry.detail, lambda m: m) == f"Printed residence certificate {printed.serial_no} for 张*兰."


def test_special_group_phone_reveals_are_logged_as_phone_reveals(ctx, w1):  # noqa: F811
    r = person(ctx, "吴刚", dt.date(1944, 1, 1))
    f = files.open_file(w1, FileInput(r.id, "elderly", opened_on=dt.date(2026, 11, 2)))
    member = rosters.add_member(w1, f.id, "volunteer", name="李志愿", phone="13900001111", on=dt.date(2026, 11, 2))
    files.reveal(w1, f.id, "phone", "回访")
    [entry] = _newest(ctx)
    assert entry.action == audit.AuditAction.REVEAL_PHONE
    assert "吴*" in audit.detail_text(entry.detail, lambda m: m) and "回访" in entry.detail
    files.reveal(w1, f.id, "id_number")
    assert _newest(ctx)[0].action == audit.AuditAction.REVEAL
    member_id = next(m.id for m in member.members if m.name == "李志愿")
    assert rosters.member_phone(w1, member_id, "联系") == "13900001111"
    [entry] = _newest(ctx)
    assert entry.action == audit.AuditAction.REVEAL_PHONE and "李*愿" in audit.detail_text(entry.detail, str)
