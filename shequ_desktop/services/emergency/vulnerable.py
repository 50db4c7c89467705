"""The vulnerable residents of buildings: who to check on first in an emergency.

Built on the special-group files (``files.vulnerable_in_building``): elderly people living alone or 失能
(and the other vulnerable flags), every disabled resident and every child in difficulty with an open file,
with their unit and their 1+1+N contacts. In an incident the list is a break-glass reading (PIPL §13(4)):
every grid worker sees every vulnerable person of the affected buildings, and each reading, print and export
is in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select

from shequ_desktop.domain import special_groups as sg
from shequ_desktop.domain.errors import NotFound
from shequ_desktop.domain.masking import mask_name
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.emergency_models import TeamMember
from shequ_desktop.persistence.models import Building, User
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.emergency.common import MSG_EM_EXPORTED, building_names, require_work
from shequ_desktop.services.special_groups import files

ALWAYS_GROUPS = frozenset({"disabled", "child"})


@dataclass(frozen=True)
class VulnerableRow:
    building_id: str
    building_name: str
    resident_id: str
    unit: str                 # 2单元602室
    name: str                 # full: for the screen's reveal and nothing else
    groups: tuple[str, ...]
    flags: tuple[str, ...]    # vulnerable flags only (独居、失能、重残、高风险)
    contact_name: str         # the responsible person: guardian / family, else the volunteer, else the worker
    contact_relation: str
    contact_phone: str        # in full: this list exists to be called from
    worker_name: str
    resident_phone: str

    @property
    def name_masked(self) -> str:
        return mask_name(self.name)

    @property
    def contact(self) -> str:
        """``name phone``; the name alone when nobody on the roster has a phone on file (never a stray space)."""
        return " ".join(x for x in (self.contact_name, self.contact_phone) if x)

    def flag_words_zh(self) -> list[str]:
        """独居, 失能 / 残疾人 / 困境儿童 — the Chinese of the paper list."""
        words = [sg.GROUP_LABELS[g] for g in self.groups if g in ALWAYS_GROUPS]
        return words + [sg.FLAG_LABELS[f] for f in self.flags if f in sg.FLAG_LABELS]

    def flag_labels_zh(self) -> str:
        return "、".join(self.flag_words_zh())


def pick_contact(v: files.VulnerableResident, worker_phone: str) -> tuple[str, str, str]:
    """(name, relation, phone) of the person to call: the family or guardian, else the volunteer, else the social
    worker — the first of them with a phone on file; only when none has one, the first named (no phone)."""
    people = [(n, rel, p) for n, rel, p in v.family if n or p]
    if v.volunteer_name:
        people.append((v.volunteer_name, "志愿者", v.volunteer_phone))
    if v.worker_name:
        people.append((v.worker_name, "社工", worker_phone))
    return next((c for c in people if c[2]), people[0] if people else ("", "", ""))


def _row(building_id: str, building_name: str, v: files.VulnerableResident, worker_phone: str) -> VulnerableRow:
    contact = pick_contact(v, worker_phone)
    unit = (f"{v.unit}单元" if v.unit else "") + (f"{v.room}室" if v.room else "")
    flags = tuple(f for f in v.flags if f in sg.VULNERABLE_FLAGS)
    return VulnerableRow(building_id, building_name, v.resident_id, unit, v.name, v.groups, flags, contact[0],
                         contact[1], contact[2], v.worker_name, v.phone)


def is_vulnerable(v: files.VulnerableResident) -> bool:
    return bool(set(v.flags) & sg.VULNERABLE_FLAGS) or bool(set(v.groups) & ALWAYS_GROUPS)


def _break_glass(ctx: AppContext) -> AppContext:
    """The same login with the station chief's reading rights: an emergency reaches every file."""
    if ctx.user.role in (Role.CHIEF, Role.ADMIN):
        return ctx
    return ctx.as_user(replace(ctx.user, role=Role.CHIEF))


def for_buildings(ctx: AppContext, building_ids: list[str] | tuple[str, ...], reason: str = "") -> list[VulnerableRow]:
    """The vulnerable residents of the buildings, by building, unit and name (one audited reading)."""
    require_work(ctx)
    reader = _break_glass(ctx)
    out: list[VulnerableRow] = []
    with ctx.transaction() as s:
        names = building_names(s, ctx, list(building_ids))
        # the social worker's phone: from the emergency team, else from the login
        phones = {login: phone for login, phone in s.execute(select(User.login, User.phone)) if phone}
        phones.update({login: phone for login, phone in s.execute(
            select(TeamMember.login, TeamMember.phone).where(TeamMember.community_id == ctx.community_id,
                                                            TeamMember.deleted_at.is_(None), TeamMember.login != ""))})
        missing = [b for b in building_ids if b not in names]
        if missing:
            raise NotFound("The building was not found.", field="buildings")
        found = files.vulnerable_in_buildings(reader, list(building_ids), only_flagged=False, purpose=reason)
        for bid in dict.fromkeys(building_ids):
            out += [_row(bid, names[bid], v, phones.get(v.worker_login, "")) for v in found[bid] if is_vulnerable(v)]
    order = {b: i for i, b in enumerate(building_ids)}
    out.sort(key=lambda r: (order[r.building_id], r.unit, r.name))
    return out


def find_building(ctx: AppContext, name: str) -> tuple[str, str]:
    """(id, name) of the building called ``name`` (exactly, else the only one whose name contains it)."""
    text = name.strip()
    with ctx.transaction() as s:
        rows = s.execute(select(Building.id, Building.name).where(
            Building.community_id == ctx.community_id, Building.deleted_at.is_(None),
            Building.name.contains(text))).all()
    exact = [r for r in rows if r[1] == text]
    if exact:
        return exact[0][0], exact[0][1]
    if len(rows) == 1:
        return rows[0][0], rows[0][1]
    if not rows or not text:
        raise NotFound("No building is called {name}.", field="building", name=text)
    raise NotFound("Several buildings match {name}: {names}.", field="building", name=text,
                   names="、".join(r[1] for r in rows[:5]))


def export_lines(ctx: AppContext, building_name: str) -> list[str]:
    """`UNIT<TAB>NAME<TAB>FLAGS<TAB>CONTACT` per person (name masked, contact phone in full); audited as an export."""
    bid, bname = find_building(ctx, building_name)
    rows = for_buildings(ctx, [bid])
    audit.record(ctx, audit.AuditAction.EXPORT, "building", bid, audit.describe(MSG_EM_EXPORTED, count=len(rows)))
    return [line(r) for r in rows]


def line(r: VulnerableRow) -> str:
    return "\t".join((r.unit, r.name_masked, ",".join(r.flag_words_zh()), r.contact))
