"""What the audit log says: lock attempts and lockouts are logged, entries read in the reader's language
and name the record (masked name, case number), a phone reveal is a phone reveal."""

from __future__ import annotations

import pytest

from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.roles import Role
from shequ_desktop.i18n import _, set_language
from shequ_desktop.services import audit, auth, resident_io, residents
from shequ_desktop.services.residents import ResidentInput
from shequ_desktop.ui.admin.audit_page import action_label, entity_text


@pytest.fixture
def zh():  # noqa: ANN201
    set_language("zh_CN")
    yield
    set_language("en")


def test_the_lockout_and_attempts_while_locked_are_logged(ctx, clock):
    auth.create_user(ctx, "clerk9", "窗口九", Role.CLERK, "correct-horse")
    for _i in range(5):
        with pytest.raises(UserError):
            auth.login(ctx, "clerk9", "wrong-pass")
    for password in ("correct-horse", "guess-again"):
        with pytest.raises(UserError, match="Too many"):
            auth.login(ctx, "clerk9", password)
    entries = audit.recent(ctx, limit=3)
    assert [e.action for e in entries] == ["login_locked", "login_locked", "lockout"]
    assert audit.detail_text(entries[2].detail, _) == "clerk9 locked for 15 minutes after 5 failed attempts."
    assert audit.detail_text(entries[0].detail, _).startswith("Login attempt for clerk9 while the account is locked")
    assert audit.verify(ctx).ok


def test_a_phone_reveal_is_logged_as_such_naming_the_masked_resident(ctx, zh):
    r = residents.create(ctx, ResidentInput(name="欧阳小明", id_number="11010519491231002X", phone="13812348000"))
    residents.reveal(ctx, r.id, "phone", "回访")
    residents.reveal(ctx, r.id, "id_number")
    phone, idn = reversed(audit.recent(ctx, limit=2))
    assert (phone.action, idn.action) == ("reveal_phone", "reveal")
    assert action_label(phone.action) == "查看完整电话号码" and action_label(idn.action) == "查看完整身份证号"
    assert audit.detail_text(phone.detail, _) == "查看了欧**明的完整电话号码。回访"
    assert entity_text(phone) == "居民 欧**明" and r.id not in entity_text(phone)
    assert "欧阳小明" not in phone.detail and r.id not in audit.detail_text(phone.detail, _)


def test_older_plain_entries_still_read_and_show_no_raw_ids(ctx, zh):
    r = residents.create(ctx, ResidentInput(name="张三", id_number="11010519491231002X"))
    audit.record(ctx, audit.AuditAction.REVEAL, "resident", r.id, "phone 回访")    # as written before
    entry = audit.recent(ctx, limit=1)[0]
    assert action_label(entry.action, entry.detail) == "查看完整电话号码"
    assert entity_text(entry) == "居民 张*"


def test_an_export_reads_in_the_readers_language(demo_ctx, tmp_path, zh):
    n = resident_io.export_xlsx(demo_ctx, "王", tmp_path / "out.xlsx", unmasked=True)
    entry = audit.recent(demo_ctx, limit=1)[0]
    assert audit.detail_text(entry.detail, _) == f"导出居民 {n} 人（检索：王）到 out.xlsx，含完整身份证号和电话号码。"
