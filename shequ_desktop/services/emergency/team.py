"""The emergency team (R60): members with role, phone, skills, availability; the roster warning (「不少于」 = ≥)
and the phone tree (who calls whom)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.errors import NotFound, UserError, ValidationErrors
from shequ_desktop.persistence.emergency_models import TeamMember
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.emergency.common import require_chief, require_work, team_minimum

_PHONE_RE = re.compile(r"^[0-9][0-9\- ]{2,30}$")


@dataclass(frozen=True)
class MemberView:
    id: str
    name: str
    kind: str
    role: str
    phone: str               # in full: the team is called from this list
    skills: tuple[str, ...]
    availability: str
    active: bool
    caller_id: str | None
    login: str
    joined_on: dt.date | None
    version: int


@dataclass(frozen=True)
class MemberInput:
    name: str
    kind: str
    role: str
    phone: str
    skills: tuple[str, ...] = ()
    availability: str = "anytime"
    active: bool = True
    caller_id: str | None = None
    login: str = ""
    joined_on: dt.date | None = None


@dataclass(frozen=True)
class TeamStatus:
    active: int
    minimum: int

    @property
    def short(self) -> bool:
        return e.team_short(self.active, self.minimum)


@dataclass(frozen=True)
class TreeLine:
    depth: int
    member: MemberView
    calls: tuple[str, ...]   # names of the members this one phones


def member_view(m: TeamMember) -> MemberView:
    return MemberView(m.id, m.name, m.kind, m.role, m.phone, tuple(m.skills or ()), m.availability, m.active,
                      m.caller_id, m.login, m.joined_on, m.version)


def _check(data: MemberInput, member_id: str | None = None) -> None:
    errors: list[UserError] = []
    if not data.name.strip():
        errors.append(UserError("Enter the member's name.", field="name"))
    if data.kind not in e.MEMBER_KINDS:
        errors.append(UserError("Choose whether the member is a social worker, property staff or a volunteer.",
                                field="kind"))
    if data.role not in e.TEAM_ROLES:
        errors.append(UserError("Choose the member's role in the team.", field="role"))
    phone = data.phone.strip()
    if not phone:
        errors.append(UserError("A team member needs a phone number: the team is called by phone.", field="phone"))
    elif not _PHONE_RE.match(phone):
        errors.append(UserError("The phone number {phone} is not valid.", field="phone", phone=phone))
    bad = [x for x in data.skills if x not in e.SKILLS]
    if bad:
        errors.append(UserError("Unknown code {code}.", field="skills", code=bad[0]))
    if data.availability not in e.AVAILABILITY:
        errors.append(UserError("Choose when the member is available.", field="availability"))
    if member_id is not None and data.caller_id == member_id:
        errors.append(UserError("A member cannot call themselves.", field="caller"))
    if errors:
        raise ValidationErrors(errors)


def _apply(m: TeamMember, data: MemberInput) -> None:
    m.name, m.kind, m.role, m.phone = data.name.strip(), data.kind, data.role, data.phone.strip()
    m.skills, m.availability, m.active = list(data.skills), data.availability, data.active
    m.caller_id, m.login, m.joined_on = data.caller_id, data.login, data.joined_on


def _check_caller(s, ctx: AppContext, caller_id: str | None, member_id: str | None) -> None:  # noqa: ANN001
    """The caller exists and the phone tree stays a tree (no one ends up calling themselves round a loop)."""
    if caller_id is None:
        return
    seen = {member_id} if member_id else set()
    current: str | None = caller_id
    while current is not None:
        if current in seen:
            raise UserError("This caller would make a loop in the phone tree.", field="caller")
        seen.add(current)
        row = s.get(TeamMember, current)
        if row is None or row.deleted_at is not None or row.community_id != ctx.community_id:
            raise NotFound("The team member was not found.", field="caller")
        current = row.caller_id


def add_member(ctx: AppContext, data: MemberInput) -> MemberView:
    require_chief(ctx)
    _check(data)
    with ctx.transaction() as s:
        _check_caller(s, ctx, data.caller_id, None)
        m = TeamMember(community_id=ctx.community_id)
        _apply(m, data)
        s.add(m)
        s.flush()
        return member_view(m)


def update_member(ctx: AppContext, member_id: str, data: MemberInput) -> MemberView:
    require_chief(ctx)
    _check(data, member_id)
    with ctx.transaction() as s:
        m = s.get(TeamMember, member_id)
        if m is None or m.deleted_at is not None:
            raise NotFound("The team member was not found.")
        _check_caller(s, ctx, data.caller_id, member_id)
        _apply(m, data)
        s.flush()
        return member_view(m)


def list_members(ctx: AppContext, active_only: bool = False) -> list[MemberView]:
    require_work(ctx)
    with ctx.transaction() as s:
        q = select(TeamMember).where(TeamMember.community_id == ctx.community_id, TeamMember.deleted_at.is_(None))
        if active_only:
            q = q.where(TeamMember.active.is_(True))
        rows = s.execute(q).scalars().all()
    order = {r: i for i, r in enumerate(e.TEAM_ROLES)}
    return sorted((member_view(m) for m in rows), key=lambda v: (not v.active, order.get(v.role, 99), v.name))


def status(ctx: AppContext) -> TeamStatus:
    """Active members against the minimum (R60); ``short`` when fewer than the minimum."""
    return TeamStatus(len(list_members(ctx, active_only=True)), team_minimum(ctx))


def phone_tree(ctx: AppContext) -> list[TreeLine]:
    """Active members in calling order: each under the member who calls them (depth first)."""
    members = list_members(ctx, active_only=True)
    by_id = {m.id: m for m in members}
    children: dict[str | None, list[MemberView]] = {}
    for m in members:
        parent = m.caller_id if m.caller_id in by_id else None
        children.setdefault(parent, []).append(m)
    out: list[TreeLine] = []

    def walk(parent: str | None, depth: int) -> None:
        for m in children.get(parent, []):
            out.append(TreeLine(depth, m, tuple(c.name for c in children.get(m.id, []))))
            walk(m.id, depth + 1)
    walk(None, 0)
    return out
