"""The administrator's user management: list, add, reset a password, unlock, deactivate — every step audited.

Passwords are hashed with argon2 by ``services.auth``; only the administrator (USER_ADMIN) may do any of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shequ_desktop.domain.errors import UserError, ValidationErrors
from shequ_desktop.domain.roles import Permission, Role
from shequ_desktop.persistence.models import User
from shequ_desktop.services import audit, auth, staff
from shequ_desktop.services.audit import AuditAction
from shequ_desktop.services.context import AppContext

# What an entry says (message ids, translated when the log is read).
MSG_USER_ADDED = "Added the user {login} ({name}) with the role {role_msg}."
MSG_PASSWORD_RESET = "Reset the password of {login}."
MSG_USER_UNLOCKED = "Unlocked the account {login}."
MSG_USER_DEACTIVATED = "Deactivated the account {login}."
MSG_USER_REACTIVATED = "Reactivated the account {login}."
MSG_LOGGED_OUT = "{login} logged out."
MSG_USER_EDITED = "Changed the details of {login}: {changes_msgs}."
MSG_CHANGED_NAME = "name {old} → {new}"
MSG_CHANGED_ROLE = "role {old_msg} → {new_msg}"
MSG_CHANGED_GRID = "grid {old} → {new}"
MSG_CHANGED_PHONE = "phone number changed"
MAX_NAME = 64


@dataclass(frozen=True)
class UserRow:
    id: str
    login: str
    display_name: str
    role: Role
    active: bool
    locked_until: dt.datetime | None      # set only while the lock lasts
    grid_id: str | None = None
    phone: str = ""                        # the staff member's work phone (not a resident's: shown to admins)

    @property
    def locked(self) -> bool:
        return self.locked_until is not None


def _row(u: User, now: dt.datetime) -> UserRow:
    locked = u.locked_until if u.locked_until is not None and u.locked_until > now else None
    return UserRow(u.id, u.login, u.display_name, Role(u.role), bool(u.active), locked, u.grid_id, u.phone or "")


def users(ctx: AppContext) -> list[UserRow]:
    """Every login of this workstation: the administrators first, then by role and login."""
    ctx.require(Permission.USER_ADMIN)
    order = {Role.ADMIN: 0, Role.CHIEF: 1, Role.CLERK: 2, Role.WORKER: 3}
    now = ctx.clock.now()
    with ctx.transaction() as s:
        rows = [_row(u, now) for u in s.execute(select(User)).scalars()]
    return sorted(rows, key=lambda r: (not r.active, order.get(r.role, 9), r.login))


def add(ctx: AppContext, login: str, display_name: str, role: Role, password: str, repeated: str) -> UserRow:
    """A new login; the password typed twice, at least auth.MIN_PASSWORD characters."""
    ctx.require(Permission.USER_ADMIN)
    errors = []
    if not display_name.strip():
        errors.append(UserError("Please enter the name.", field="display_name"))
    if password != repeated:
        errors.append(UserError("The two passwords differ.", field="repeated"))
    if errors:
        raise errors[0]
    view = auth.create_user(ctx, login, display_name.strip(), role, password, audit_detail=audit.describe(
        MSG_USER_ADDED, login=login.strip(), name=display_name.strip(), role_msg=_role_msgid(role)))
    return UserRow(view.id, view.login, view.display_name, view.role, True, None)


def _role_msgid(role: Role) -> str:
    from shequ_desktop.domain.roles import ROLE_MSGIDS
    return ROLE_MSGIDS[role]


def _user(s: Session, user_id: str) -> User:
    u = s.get(User, user_id)
    if u is None:
        raise UserError("No user with login {login}.", field="login", login=user_id)
    return u


def reset_password(ctx: AppContext, user_id: str, password: str, repeated: str) -> None:
    """A new password (argon2); the failure count and any lock are cleared."""
    ctx.require(Permission.USER_ADMIN)
    auth.validate_password(password)
    if password != repeated:
        raise UserError("The two passwords differ.", field="repeated")
    with ctx.transaction() as s:
        u = _user(s, user_id)
        u.password_hash = auth.hash_password(password)
        u.failed_logins = 0
        u.locked_until = None
        audit.append(s, ctx, AuditAction.ADMIN, "app_user", u.id, audit.describe(MSG_PASSWORD_RESET, login=u.login))


def unlock(ctx: AppContext, user_id: str) -> None:
    """End a lock after too many failed attempts."""
    ctx.require(Permission.USER_ADMIN)
    with ctx.transaction() as s:
        u = _user(s, user_id)
        u.failed_logins = 0
        u.locked_until = None
        audit.append(s, ctx, AuditAction.ADMIN, "app_user", u.id, audit.describe(MSG_USER_UNLOCKED, login=u.login))


def set_active(ctx: AppContext, user_id: str, active: bool) -> None:
    """Deactivate (the login no longer works; the records keep its name) or reactivate an account.
    Nobody deactivates their own account, and the last active administrator stays."""
    ctx.require(Permission.USER_ADMIN)
    with ctx.transaction() as s:
        u = _user(s, user_id)
        if bool(u.active) == active:
            return
        if not active:
            if u.id == ctx.user.id:
                raise UserError("You cannot deactivate your own account.", field="user")
            admins = s.execute(select(func.count()).select_from(User).where(
                User.role == Role.ADMIN.value, User.active.is_(True))).scalar_one()
            if u.role == Role.ADMIN.value and admins <= 1:
                raise UserError("The last active administrator cannot be deactivated.", field="user")
        u.active = active
        staff.record_user(s, ctx, u)
        audit.append(s, ctx, AuditAction.ADMIN, "app_user", u.id,
                     audit.describe(MSG_USER_REACTIVATED if active else MSG_USER_DEACTIVATED, login=u.login))


def edit(ctx: AppContext, user_id: str, display_name: str, role: Role, grid_id: str | None, phone: str) -> UserRow:
    """修改资料: a user's name, role, grid and work phone. Every field is checked first and all problems are
    reported at once; the change goes to the staff directory (synced, so every station names the person
    alike) and to the audit log (before → after; the phone only as "changed") in one transaction.
    Nobody changes their own role, and the last active administrator keeps the role."""
    from shequ_desktop.persistence.models import Grid
    from shequ_desktop.services.residents import normalize_phone, phone_ok

    ctx.require(Permission.USER_ADMIN)
    name = " ".join(display_name.split())
    phone = normalize_phone(phone)
    errors: list[UserError] = []
    if not name:
        errors.append(UserError("Please enter the name.", field="display_name"))
    elif len(name) > MAX_NAME:
        errors.append(UserError("The name is too long (at most {n} characters).", field="display_name", n=MAX_NAME))
    if phone and not phone_ok(phone):
        errors.append(UserError("The phone number should be an 11-digit mobile or a landline like 027-87654321.",
                                field="phone"))
    with ctx.transaction() as s:
        u = _user(s, user_id)
        if role.value != u.role:
            if u.id == ctx.user.id:
                errors.append(UserError("You cannot change your own role.", field="role"))
            elif u.role == Role.ADMIN.value and u.active:
                admins = s.execute(select(func.count()).select_from(User).where(
                    User.role == Role.ADMIN.value, User.active.is_(True))).scalar_one()
                if admins <= 1:
                    errors.append(UserError("The last active administrator must keep the role.", field="role"))
        grid_names = {g.id: g.name for g in s.execute(select(Grid).where(Grid.deleted_at.is_(None))).scalars()}
        if grid_id and grid_id not in grid_names:
            errors.append(UserError("No such grid.", field="grid"))
        if errors:
            raise ValidationErrors(errors) if len(errors) > 1 else errors[0]
        changes: list[str] = []
        if name != u.display_name:
            changes.append(audit.describe(MSG_CHANGED_NAME, old=u.display_name, new=name))
        if role.value != u.role:
            changes.append(audit.describe(MSG_CHANGED_ROLE, old_msg=_role_msgid(Role(u.role)), new_msg=_role_msgid(role)))
        if (grid_id or None) != u.grid_id:
            changes.append(audit.describe(MSG_CHANGED_GRID, old=grid_names.get(u.grid_id or "", "—"),
                                          new=grid_names.get(grid_id or "", "—")))
        if phone != (u.phone or ""):
            changes.append(audit.describe(MSG_CHANGED_PHONE))
        if changes:
            u.display_name, u.role, u.grid_id, u.phone = name, role.value, grid_id or None, phone
            staff.record_user(s, ctx, u)
            audit.append(s, ctx, AuditAction.ADMIN, "app_user", u.id,
                         audit.describe(MSG_USER_EDITED, login=u.login, changes_msgs=changes))
        return _row(u, ctx.clock.now())


def log_out(ctx: AppContext) -> None:
    """注销: the session ends (audited); the program goes back to the login window."""
    with ctx.transaction() as s:
        audit.append(s, ctx, AuditAction.LOGOUT, "app_user", ctx.user.id,
                     audit.describe(MSG_LOGGED_OUT, login=ctx.user.login))
