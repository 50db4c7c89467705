"""Logins: argon2 password hashes, lockout after repeated failures, idle-lock unlock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.errors import UserError, plural
from shequ_desktop.domain.ids import new_id
from shequ_desktop.domain.roles import ROLE_MSGIDS, Permission, Role
from shequ_desktop.persistence.models import User
from shequ_desktop.services import audit, staff
from shequ_desktop.services.audit import AuditAction
from shequ_desktop.services.context import AppContext, CurrentUser
from shequ_desktop.services.policy import current_policy

_hasher = PasswordHasher()
MIN_PASSWORD = 8
MSG_LOCKED = plural("Too many failed attempts. Try again in {minutes} minute or ask the admin.",
                    "Too many failed attempts. Try again in {minutes} minutes or ask the admin.", "minutes")


@dataclass(frozen=True)
class UserView:
    id: str
    login: str
    display_name: str
    role: Role
    active: bool
    locked_until: dt.datetime | None


def _current(u: User) -> CurrentUser:
    return CurrentUser(id=u.id, login=u.login, display_name=u.display_name, role=Role(u.role), grid_id=u.grid_id)


def validate_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError("The password needs at least {n} characters.", field="password", n=MIN_PASSWORD)


def hash_password(password: str) -> str:
    """The argon2 hash stored for ``password``."""
    return _hasher.hash(password)


def create_user(ctx: AppContext, login: str, display_name: str, role: Role, password: str,
                grid_id: str | None = None, phone: str = "", check_permission: bool = True,
                audit_detail: str | None = None) -> UserView:
    if check_permission:
        ctx.require(Permission.USER_ADMIN)
    login = login.strip()
    if not login or not login.replace("_", "").replace(".", "").isalnum():
        raise UserError("A login uses letters, digits, '.' or '_'.", field="login")
    validate_password(password)
    with ctx.transaction() as s:
        if s.execute(select(User).where(User.login == login)).scalar_one_or_none():
            raise UserError("The login {login} already exists.", field="login", login=login)
        u = User(id=new_id(), login=login, display_name=display_name or login, role=role.value,
                 password_hash=_hasher.hash(password), grid_id=grid_id, phone=phone, created_at=ctx.clock.now())
        s.add(u)
        staff.record_user(s, ctx, u)
        audit.append(s, ctx, AuditAction.ADMIN, "app_user", u.id,
                     audit_detail or audit.describe(audit.MSG_USER_CREATED, login=login,
                                                    role_msg=ROLE_MSGIDS[role]))
        return UserView(u.id, u.login, u.display_name, role, True, None)


def login(ctx: AppContext, login_name: str, password: str) -> CurrentUser:
    """Check the password; count failures; lock the login for a while after too many.

    A failed attempt is committed (count, lock, audit entry) before the error is raised.
    """
    policy = current_policy(ctx)
    max_failures = int(policy.get("login_max_failures"))
    lock_minutes = int(policy.get("login_lockout_minutes"))
    now = ctx.clock.now()
    failure: UserError | None = None
    with ctx.transaction() as s:
        u = s.execute(select(User).where(User.login == login_name.strip())).scalar_one_or_none()
        if u is None or not u.active:
            audit.append(s, ctx, AuditAction.LOGIN_FAILED, "app_user", "", audit.describe(
                audit.MSG_LOGIN_UNKNOWN, login=login_name.strip()[:64]))
            failure = UserError("Wrong login or password.", field="password")
        elif u.locked_until and u.locked_until > now:
            minutes = max(1, int((u.locked_until - now).total_seconds() // 60) + 1)
            audit.append(s, ctx, AuditAction.LOGIN_LOCKED, "app_user", u.id, audit.describe(
                audit.MSG_LOCKED_ATTEMPT, login=u.login, until=to_local(u.locked_until).strftime("%Y-%m-%d %H:%M")))
            failure = UserError(MSG_LOCKED, field="password", minutes=minutes)
        elif not _password_ok(u.password_hash, password):
            u.failed_logins += 1
            audit.append(s, ctx, AuditAction.LOGIN_FAILED, "app_user", u.id, u.login)
            failure = UserError("Wrong login or password.", field="password")
            if u.failed_logins >= max_failures:
                audit.append(s, ctx, AuditAction.LOCKOUT, "app_user", u.id, audit.describe(
                    audit.MSG_LOCKOUT, login=u.login, minutes=lock_minutes, failures=u.failed_logins))
                u.locked_until = now + dt.timedelta(minutes=lock_minutes)
                u.failed_logins = 0
                failure = UserError(MSG_LOCKED, field="password", minutes=lock_minutes)
        else:
            u.failed_logins = 0
            u.locked_until = None
            if _hasher.check_needs_rehash(u.password_hash):
                u.password_hash = _hasher.hash(password)
            user = _current(u)
            staff.record_user(s, ctx, u, only_missing=True)   # the directory knows every login that works here
            audit.append(s, ctx.as_user(user), AuditAction.LOGIN, "app_user", u.id, u.login)
    if failure is not None:
        raise failure
    return user


def _password_ok(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def unlock(ctx: AppContext, password: str) -> None:
    """Re-enter the password after the idle lock; the same lockout rules apply."""
    user = login(ctx, ctx.user.login, password)
    if user.id != ctx.user.id:
        raise UserError("Wrong login or password.", field="password")


def list_users(ctx: AppContext) -> list[UserView]:
    if not (ctx.may(Permission.USER_ADMIN) or ctx.may(Permission.CASES_ALL)):
        ctx.require(Permission.USER_ADMIN)
    with ctx.transaction() as s:
        return [UserView(u.id, u.login, u.display_name, Role(u.role), u.active, u.locked_until)
                for u in s.execute(select(User).order_by(User.login)).scalars()]


def user_count(ctx: AppContext) -> int:
    with ctx.transaction() as s:
        return int(s.execute(select(func.count()).select_from(User)).scalar_one())


def set_password(ctx: AppContext, login_name: str, password: str) -> None:
    ctx.require(Permission.USER_ADMIN)
    validate_password(password)
    with ctx.transaction() as s:
        u = s.execute(select(User).where(User.login == login_name)).scalar_one_or_none()
        if u is None:
            raise UserError("No user with login {login}.", field="login", login=login_name)
        u.password_hash = _hasher.hash(password)
        u.failed_logins = 0
        u.locked_until = None
        audit.append(s, ctx, AuditAction.ADMIN, "app_user", u.id,
                     audit.describe(audit.MSG_PASSWORD_SET, login=login_name))
