from __future__ import annotations

import sqlite3

import pytest

from shequ_desktop.domain.errors import PermissionDenied, UserError
from shequ_desktop.domain.roles import Role
from shequ_desktop.services import audit, auth, policy
from tests.conftest import as_role


def test_login_lockout_after_repeated_failures(ctx, clock):
    auth.create_user(ctx, "clerk9", "窗口九", Role.CLERK, "correct-horse")
    for _ in range(4):
        with pytest.raises(UserError, match="Wrong login"):
            auth.login(ctx, "clerk9", "wrong-pass")
    with pytest.raises(UserError, match="Too many"):
        auth.login(ctx, "clerk9", "wrong-pass")
    with pytest.raises(UserError, match="Too many"):
        auth.login(ctx, "clerk9", "correct-horse")   # locked even with the right password
    clock.advance(minutes=16)
    user = auth.login(ctx, "clerk9", "correct-horse")
    assert user.role is Role.CLERK and user.display_name == "窗口九"
    actions = [e.action for e in audit.recent(ctx, limit=10)]
    assert actions[0] == "login" and actions.count("login_failed") == 5


def test_password_is_hashed_with_argon2(ctx, db_path):
    auth.create_user(ctx, "chief2", "站长", Role.CHIEF, "s3cret-pass")
    stored = sqlite3.connect(db_path).execute("SELECT password_hash FROM app_user WHERE login='chief2'").fetchone()[0]
    assert stored.startswith("$argon2id$") and "s3cret" not in stored


def test_only_admin_creates_users_and_edits_policy(ctx):
    clerk = as_role(ctx, Role.CLERK)
    with pytest.raises(PermissionDenied):
        auth.create_user(clerk, "x1", "x", Role.ADMIN, "password1")
    with pytest.raises(PermissionDenied):
        policy.update_policy(clerk, {"complex_review_wd": 7})


def test_policy_changes_are_versioned_validated_and_audited(ctx):
    assert policy.current_policy(ctx).get("complex_review_wd") == 5
    policy.update_policy(ctx, {"complex_review_wd": 7}, note="街道通知")
    assert policy.current_policy(ctx).get("complex_review_wd") == 7
    with pytest.raises(UserError) as exc:
        policy.update_policy(ctx, {"complex_review_wd": -1})
    assert exc.value.field == "complex_review_wd"
    history = policy.policy_history(ctx)
    assert [h.version for h in history] == [1] and history[0].note == "街道通知"
    assert audit.recent(ctx, limit=1)[0].action == "admin"


def test_audit_chain_detects_changed_and_removed_entries(ctx, db_path):
    for i in range(5):
        audit.record(ctx, audit.AuditAction.PRINT, "doc", str(i), f"print {i}")
    assert audit.verify(ctx).ok
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("UPDATE audit_log SET detail='x' WHERE seq=2")   # the trigger refuses
    conn.execute("DROP TRIGGER audit_log_no_update")                    # a determined tamperer
    conn.execute("UPDATE audit_log SET detail='nothing printed' WHERE seq=3")
    conn.commit()
    result = audit.verify(ctx)
    assert (result.ok, result.first_broken_seq, result.reason) == (False, 3, "changed")


def test_audit_chain_detects_removed_last_entry(ctx, db_path):
    for i in range(3):
        audit.record(ctx, audit.AuditAction.EXPORT, "resident", "", f"export {i}")
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq=(SELECT max(seq) FROM audit_log)")
    conn.commit()
    result = audit.verify(ctx)
    assert not result.ok and result.reason == "missing"
