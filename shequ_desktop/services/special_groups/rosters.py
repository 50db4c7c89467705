"""1+1+N rosters (R18) and support teams (R22, R23): exactly one active worker and one active volunteer for
the elderly, family contacts, the child's team, the rehabilitation coordinator; changes keep the history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from shequ_desktop.domain import special_groups as sg
from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import NotFound, UserError, ValidationErrors
from shequ_desktop.domain.masking import mask_name, mask_phone
from shequ_desktop.persistence.models import Resident, User
from shequ_desktop.persistence.special_groups_models import FileEvent, RosterMember, SpecialFile
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.special_groups.common import (MSG_SG_REVEALED_MEMBER_PHONE, get_visible_file,
                                                          roles_needing_login)

STAFF_ROLES = roles_needing_login()


@dataclass(frozen=True)
class MemberView:
    id: str
    role: str
    login: str
    name: str
    phone_masked: str
    relation: str
    active_from: dt.date
    active_to: dt.date | None
    note: str

    @property
    def active(self) -> bool:
        return self.active_to is None


@dataclass(frozen=True)
class RosterView:
    file_id: str
    members: tuple[MemberView, ...]        # active first, then history
    problems: tuple[str, ...]              # "missing:volunteer", "duplicate:worker" …

    @property
    def complete(self) -> bool:
        return not self.problems


def _view(m: RosterMember) -> MemberView:
    return MemberView(m.id, m.role, m.login, m.name, mask_phone(m.phone), m.relation, m.active_from, m.active_to,
                      m.note)


def _name_for_login(s, login: str) -> str:  # noqa: ANN001
    u = s.execute(select(User).where(User.login == login)).scalar_one_or_none()
    return u.display_name if u else ""


def add_member(ctx: AppContext, file_id: str, role: str, name: str = "", login: str = "", phone: str = "",
               relation: str = "", on: dt.date | None = None, replace: bool = False, note: str = "") -> RosterView:
    """Add a roster member. A single role (worker, volunteer, coordinator, teacher, psychologist) has at most one
    active member: adding a second is refused unless ``replace`` ends the current one on the same day."""
    today = local_today(ctx.clock)
    on = on or today
    errors: list[UserError] = []
    if role not in sg.ROLES:
        raise UserError("Choose a role.", field="role")
    if on > today:
        errors.append(UserError("The date cannot be in the future.", field="active_from"))
    if role in STAFF_ROLES and not login.strip():
        errors.append(UserError("A social worker or coordinator is named by their login.", field="login"))
    if role in ("family", "guardian") and not relation.strip():
        errors.append(UserError("Give the relation (子女, 配偶 …).", field="relation"))
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        if f.status != "open":
            errors.append(UserError("This file is closed; reopen it first."))
        login = login.strip()
        if not name.strip() and login:
            name = (ctx.user.display_name if login == ctx.user.login else _name_for_login(s, login)) or login
        if not name:
            errors.append(UserError("Give the name.", field="name"))
        current = s.execute(select(RosterMember).where(
            RosterMember.file_id == f.id, RosterMember.role == role, RosterMember.active_to.is_(None),
            RosterMember.deleted_at.is_(None))).scalars().all()
        if role in sg.SINGLE_ROLES and current and not replace:
            errors.append(UserError("This file already has an active {role}: {name}. Replace them instead.",
                                    field="role", role=sg.ROLE_LABELS[role], name=current[0].name))
        if errors:
            raise ValidationErrors(errors)
        if role in sg.SINGLE_ROLES:
            for old in current:
                old.active_to = on
        s.add(RosterMember(community_id=ctx.community_id, file_id=f.id, role=role, login=login, name=name.strip(),
                           phone=phone.strip(), relation=relation.strip(), active_from=on, note=note.strip()))
        detail = f"{sg.ROLE_LABELS[role]}：{name}" + (f"（接替{current[0].name}）" if current and replace else "")
        s.add(FileEvent(community_id=ctx.community_id, file_id=f.id, at=ctx.clock.now(), kind="roster",
                        detail=detail, by_login=ctx.user.login))
        s.flush()
        return _roster(s, f)


def end_member(ctx: AppContext, member_id: str, on: dt.date | None = None) -> RosterView:
    """A member leaves the roster (kept in the history)."""
    on = on or local_today(ctx.clock)
    with ctx.transaction() as s:
        m = s.get(RosterMember, member_id)
        if m is None or m.deleted_at is not None:
            raise NotFound("This roster member does not exist.")
        f = get_visible_file(s, ctx, m.file_id)
        if m.active_to is not None:
            raise UserError("This member already left the roster.")
        if on < m.active_from:
            raise UserError("The end cannot be before the start.", field="active_to")
        m.active_to = on
        s.add(FileEvent(community_id=ctx.community_id, file_id=f.id, at=ctx.clock.now(), kind="roster",
                        detail=f"{sg.ROLE_LABELS[m.role]}：{m.name} 退出", by_login=ctx.user.login))
        s.flush()
        return _roster(s, f)


def roster(ctx: AppContext, file_id: str) -> RosterView:
    with ctx.transaction() as s:
        return _roster(s, get_visible_file(s, ctx, file_id))


def _roster(s, f: SpecialFile) -> RosterView:  # noqa: ANN001
    from shequ_desktop.services.special_groups.files import roster_problems
    members = s.execute(select(RosterMember).where(RosterMember.file_id == f.id, RosterMember.deleted_at.is_(None))
                        ).scalars().all()
    order = {r: i for i, r in enumerate(sg.ROLES)}
    members = sorted(members, key=lambda m: (m.active_to is not None, order[m.role], m.active_from))
    return RosterView(f.id, tuple(_view(m) for m in members), roster_problems(s, [f]).get(f.id, ()))


def member_phone(ctx: AppContext, member_id: str, purpose: str = "") -> str:
    """A roster member's phone in full (for a call); the reveal is audited."""
    from shequ_desktop.services import audit
    with ctx.transaction() as s:
        m = s.get(RosterMember, member_id)
        if m is None:
            raise NotFound("This roster member does not exist.")
        f = get_visible_file(s, ctx, m.file_id)
        r = s.get(Resident, f.resident_id)
        audit.append(s, ctx, audit.AuditAction.REVEAL_PHONE, "sg_roster", m.id, audit.describe(
            MSG_SG_REVEALED_MEMBER_PHONE, name=mask_name(m.name), resident=mask_name(r.name) if r else "",
            purpose_msg=purpose.strip()))
        return m.phone


@dataclass(frozen=True)
class MemberInput:
    role: str
    name: str = ""
    login: str = ""
    phone: str = ""
    relation: str = ""


def open_with_roster(ctx: AppContext, inp: object, members: tuple[MemberInput, ...]) -> str:
    """Open a file and name its 1+1+N roster or support team in one transaction (all or nothing): an elderly
    person's worker and volunteer, a disabled person's coordinator, a child's worker, teacher, psychologist and
    guardian. Returns the file id."""
    from shequ_desktop.services.special_groups import files
    with ctx.transaction():
        detail = files.open_file(ctx, inp)  # type: ignore[arg-type]
        on = detail.opened_on
        current = {m.role for m in roster(ctx, detail.id).members if m.active}
        for m in members:
            if not (m.name.strip() or m.login.strip()):
                continue
            if m.role in current and m.role in sg.SINGLE_ROLES and m.login == ctx.user.login:
                continue      # the worker who opens a child's file is already on its team
            add_member(ctx, detail.id, m.role, name=m.name, login=m.login, phone=m.phone, relation=m.relation,
                       on=on, replace=m.role in current)
        return detail.id


@dataclass(frozen=True)
class StaffChoice:
    login: str
    name: str


def staff_choices(ctx: AppContext) -> list[StaffChoice]:
    """The station's social workers and chief by login (the picker for a file's worker or coordinator)."""
    from shequ_desktop.domain.roles import Role
    with ctx.transaction() as s:
        return [StaffChoice(u.login, u.display_name) for u in s.execute(
            select(User).where(User.active.is_(True), User.role.in_((Role.WORKER.value, Role.CHIEF.value)))
            .order_by(User.login)).scalars()]


@dataclass(frozen=True)
class VolunteerChoice:
    name: str
    phone: str                 # in full: copied to the new roster entry, shown masked
    phone_masked: str
    people: int                # elderly people this volunteer looks after now


def known_volunteers(ctx: AppContext, login: str | None = None) -> list[VolunteerChoice]:
    """Volunteers on the station's rosters (or on those of ``login``'s files), most people first — the picker
    for a roster's volunteer and for the volunteer sheet."""
    from sqlalchemy import func
    from shequ_desktop.services.special_groups.common import require_work
    require_work(ctx)
    with ctx.transaction() as s:
        q = select(RosterMember.name, RosterMember.phone, func.count()).where(
            RosterMember.role == "volunteer", RosterMember.active_to.is_(None), RosterMember.deleted_at.is_(None))
        if login:
            q = q.where(RosterMember.file_id.in_(select(RosterMember.file_id).where(
                RosterMember.login == login, RosterMember.active_to.is_(None), RosterMember.deleted_at.is_(None))))
        rows = s.execute(q.group_by(RosterMember.name, RosterMember.phone)).all()
    return sorted((VolunteerChoice(n, p, mask_phone(p), c) for n, p, c in rows), key=lambda v: (-v.people, v.name))
