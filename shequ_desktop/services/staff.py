"""The community's staff directory: who a login is on every station (name, role, grid, masked phone).

Written in the same transaction as every change of a local user (services/auth.py, services/users.py, the
admin CLI through them) and refreshed at each login, so a directory row exists for every login that has
worked on a station. Synced records name staff by login; :func:`names` turns logins into names, falling back
to the login itself (a login no station has described yet) — never to an empty text.

Two stations that create the same login describe the same person (the login is the identity): both write
the record ``domain.staff.staff_member_id(community, login)``; the hub merges it like any record — the same
values agree, a field that differs becomes a conflict for the station chief (同步冲突), nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shequ_desktop.domain import staff as d
from shequ_desktop.domain.masking import mask_phone
from shequ_desktop.domain.roles import Permission, Role
from shequ_desktop.domain.staff import RENAMED_COLUMNS, is_unresolved
from shequ_desktop.persistence.models import MODEL_BY_TABLE, User
from shequ_desktop.persistence.staff_models import StaffMember
from shequ_desktop.services.context import AppContext


@dataclass(frozen=True)
class StaffEntry:
    login: str
    display_name: str
    role: Role
    grid_id: str | None
    phone_masked: str
    active: bool
    local: bool            # the login exists on this station (it can log in here)


@dataclass(frozen=True)
class Unresolved:
    """A synced column that still holds an old local user id this station could not name."""

    table: str
    column: str
    record_id: str
    value: str


def record_user(s: Session, ctx: AppContext, u: User, only_missing: bool = False) -> None:
    """Write the directory record of a local user (no password or lock data) in the caller's transaction.
    Nothing before the station belongs to a community (the first admin of a fresh install): its login
    writes the record later (``only_missing``: a login adds a missing record but never overwrites what an
    admin of any station wrote last)."""
    if not ctx.community_id:
        return
    sid = d.staff_member_id(ctx.community_id, u.login)
    row = s.get(StaffMember, sid)
    values = {"login": u.login, "display_name": u.display_name, "role": u.role, "grid_id": u.grid_id,
              "phone": u.phone or "", "active": bool(u.active)}
    if row is None:
        s.add(StaffMember(id=sid, community_id=ctx.community_id, **values))
        return
    if only_missing:
        return
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
    if row.deleted_at is not None:
        row.deleted_at = None


def names(s: Session) -> dict[str, str]:
    """login → display name of everyone in the directory (the community's newest word) and of this
    station's users not in it yet."""
    out = {login: name for login, name in s.execute(select(User.login, User.display_name))}
    out.update({login: name for login, name in s.execute(
        select(StaffMember.login, StaffMember.display_name).where(StaffMember.deleted_at.is_(None)))})
    return out


def name_of(known: dict[str, str], login: str | None) -> str:
    """The name to show for ``login``: from the directory, else the login itself; "" for nobody."""
    if not login:
        return ""
    return known.get(login, login)


def names_of(known: dict[str, str], logins: Iterable[str] | None) -> list[str]:
    return [name_of(known, x) for x in (logins or ()) if x]


def display_names(ctx: AppContext) -> dict[str, str]:
    """:func:`names` in its own transaction (for pages that label rows)."""
    with ctx.transaction() as s:
        return names(s)


def directory(ctx: AppContext, include_inactive: bool = False) -> list[StaffEntry]:
    """The community's staff as this station knows them (the directory plus local users not yet in it),
    by role and login; phones masked."""
    with ctx.transaction() as s:
        local = {u.login: u for u in s.execute(select(User)).scalars()}
        rows: dict[str, StaffEntry] = {}
        for m in s.execute(select(StaffMember).where(StaffMember.deleted_at.is_(None))).scalars():
            rows[m.login] = StaffEntry(m.login, m.display_name, _role(m.role), m.grid_id, mask_phone(m.phone),
                                       bool(m.active), m.login in local)
        for login, u in local.items():
            if login not in rows:
                rows[login] = StaffEntry(login, u.display_name, _role(u.role), u.grid_id, mask_phone(u.phone or ""),
                                         bool(u.active), True)
    order = {Role.CHIEF: 0, Role.CLERK: 1, Role.WORKER: 2, Role.ADMIN: 3}
    out = [r for r in rows.values() if include_inactive or r.active]
    return sorted(out, key=lambda r: (not r.active, order.get(r.role, 9), r.login))


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        return Role.WORKER


def unresolved(ctx: AppContext) -> list[Unresolved]:
    """Every synced value still marked ``?<id>`` (an old local user id of another station, kept until that
    station's conversion arrives); never silently dropped."""
    ctx.require(Permission.USER_ADMIN)
    out: list[Unresolved] = []
    with ctx.transaction() as s:
        for table, _old, new, kind in RENAMED_COLUMNS:
            model = MODEL_BY_TABLE[table]
            col = getattr(model, new)
            if kind == "list":
                from sqlalchemy import String, cast
                rows = s.execute(select(model.id, col).where(cast(col, String).like('%"?%'))).all()
                out.extend(Unresolved(table, new, rid, v) for rid, vs in rows for v in (vs or ()) if is_unresolved(v))
            else:
                rows = s.execute(select(model.id, col).where(col.like("?%"))).all()
                out.extend(Unresolved(table, new, rid, v) for rid, v in rows)
    return out
