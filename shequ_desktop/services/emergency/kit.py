"""应急包: the paper for an outage in one PDF — a card per active hazard plan, the phone tree, and the vulnerable
residents of every building (one page each). Printing it is audited; the station remembers when it was last
printed (and how big the team and the files were then) so the status bar can remind the chief.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.clock import local_today
from shequ_desktop.persistence.emergency_models import TeamMember
from shequ_desktop.persistence.models import Building
from shequ_desktop.persistence.special_groups_models import SpecialFile
from shequ_desktop.printing import emergency as paper
from shequ_desktop.printing.document import Document
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext, get_setting, put_setting
from shequ_desktop.services.emergency import plans, team, vulnerable
from shequ_desktop.services.emergency.common import MSG_EM_KIT, MSG_EM_LISTS, policy, require_chief, require_work
from shequ_desktop.services.station import station_info_in

KIT_SETTING = "emergency.kit"
CHANGE_SHARE = 0.2          # the team or the files changed by a fifth since the last kit: print again


@dataclass(frozen=True)
class Kit:
    pdf: bytes
    plans: int
    buildings: int
    people: int
    members: int
    pages: int


@dataclass(frozen=True)
class KitStatus:
    printed_at: dt.datetime | None
    days: int | None            # days since the last kit
    limit_days: int
    changed: bool               # team or files changed much since
    stale: bool                 # remind the chief

    @property
    def never(self) -> bool:
        return self.printed_at is None


def _counts(s, ctx: AppContext) -> tuple[int, int]:  # noqa: ANN001
    members = s.execute(select(func.count()).select_from(TeamMember).where(
        TeamMember.community_id == ctx.community_id, TeamMember.active.is_(True),
        TeamMember.deleted_at.is_(None))).scalar_one()
    files = s.execute(select(func.count()).select_from(SpecialFile).where(
        SpecialFile.community_id == ctx.community_id, SpecialFile.status == "open",
        SpecialFile.deleted_at.is_(None))).scalar_one()
    return int(members), int(files)


def documents(ctx: AppContext, progress: Callable[[int, int], None] | None = None) -> tuple[list[Document], Kit]:
    """The kit's documents (plan cards, phone tree, a vulnerable list per building); the Kit has no PDF yet."""
    require_chief(ctx)
    today = local_today(ctx.clock)
    p = policy(ctx)
    onsite, report = e.clock_rules(p)
    with ctx.transaction() as s:
        station = station_info_in(s, ctx.community_id).station_name
        buildings = list(s.execute(select(Building.id, Building.name).where(
            Building.community_id == ctx.community_id, Building.deleted_at.is_(None))
            .order_by(Building.name)).all())
    active = plans.list_plans(ctx, active_only=True)
    docs: list[Document] = [paper.plan_card(paper.PlanCardData(
        station, pl.name, tuple((st.title, st.role, st.minutes) for st in pl.steps), pl.roles,
        tuple((c.name, c.role, c.phone) for c in pl.contacts), pl.assembly_points, pl.supplies, today,
        onsite.amount, report.amount, pl.further_steps)) for pl in active]
    tree = team.phone_tree(ctx)
    kinds, roles = e.MEMBER_KIND_ZH, e.TEAM_ROLE_ZH
    docs.append(paper.phone_tree(paper.PhoneTreeData(station, tuple(
        paper.TreeRow(t.depth, roles.get(t.member.role, ""), t.member.name, kinds.get(t.member.kind, ""),
                      t.member.phone, "、".join(t.calls)) for t in tree), today,
        int(p.get("emergency_team_min", e.DEFAULT_TEAM_MIN)))))  # type: ignore[call-overload]
    total = len(buildings)
    people = 0
    step = 10
    with ctx.transaction():
        for start in range(0, total, step):
            chunk = buildings[start:start + step]
            rows = vulnerable.for_buildings(ctx, [b for b, _n in chunk])
            for bid, bname in chunk:
                mine = [r for r in rows if r.building_id == bid]
                people += len(mine)
                docs.append(paper.vulnerable_list(paper.VulnerableListData(station, bname, tuple(
                    _line(r) for r in mine), today)))
            if progress is not None:
                progress(min(start + step, total), total)
    return docs, Kit(b"", len(active), total, people, len(tree), 0)


@dataclass(frozen=True)
class IncidentLists:
    pdf: bytes
    incident_no: str
    buildings: int
    people: int


def _line(r: vulnerable.VulnerableRow) -> paper.VulnerableLine:
    return paper.VulnerableLine(r.unit, r.name_masked, r.flag_labels_zh(),
                                f"{r.contact_name}（{r.contact_relation}）{r.contact_phone or '未登记电话'}"
                                if r.contact_relation else r.contact or "（无联系人）")


def incident_lists(ctx: AppContext, incident_id: str) -> IncidentLists:
    """The vulnerable lists of an incident's affected buildings (one page each, the incident number on it) —
    for the grid worker to take along in the first minutes. Reading and printing are audited."""
    from shequ_desktop.persistence.emergency_models import Incident
    from shequ_desktop.printing.pdf_backend import render_many
    from shequ_desktop.services import print_fonts
    require_work(ctx)
    with ctx.transaction() as s:
        c = s.get(Incident, incident_id)
        if c is None or c.deleted_at is not None or c.community_id != ctx.community_id:
            from shequ_desktop.domain.errors import NotFound
            raise NotFound("The incident was not found.")
        station = station_info_in(s, ctx.community_id).station_name
        names = dict(s.execute(select(Building.id, Building.name).where(Building.id.in_(c.building_ids))).all())
        number, ids = c.incident_no, list(c.building_ids or ())
        print_fonts.apply_in(s)
    rows = vulnerable.for_buildings(ctx, ids, reason=number)
    today = local_today(ctx.clock)
    docs = [paper.vulnerable_list(paper.VulnerableListData(
        station, names.get(bid, ""), tuple(_line(r) for r in rows if r.building_id == bid), today, number))
        for bid in sorted(ids, key=lambda b: names.get(b, ""))]
    pdf = render_many(docs)
    with ctx.transaction() as s:
        audit.append(s, ctx, audit.AuditAction.PRINT, "em_incident", incident_id,
                     audit.describe(MSG_EM_LISTS, no=number, people=len(rows), buildings=len(ids)))
    return IncidentLists(pdf, number, len(ids), len(rows))


def build_kit(ctx: AppContext, progress: Callable[[int, int], None] | None = None) -> Kit:
    """The whole kit as one PDF; the print is audited and remembered for the reminder."""
    from shequ_desktop.printing.pdf_backend import render_many
    from shequ_desktop.services import print_fonts
    docs, kit = documents(ctx, progress)
    with ctx.transaction() as s:
        print_fonts.apply_in(s)
    pdf = render_many(docs)
    with ctx.transaction() as s:
        members, files = _counts(s, ctx)
        put_setting(s, KIT_SETTING, json.dumps({"at": ctx.clock.now().isoformat(), "members": members,
                                                "files": files, "by": ctx.user.login}))
        audit.append(s, ctx, audit.AuditAction.PRINT, "emergency_kit", "",
                     audit.describe(MSG_EM_KIT, plans=kit.plans, members=kit.members, people=kit.people,
                                    buildings=kit.buildings))
    return Kit(pdf, kit.plans, kit.buildings, kit.people, kit.members, len(docs))


def status(ctx: AppContext) -> KitStatus:
    """When the last kit was printed on this station, and whether to remind the chief (older than the policy's
    ``emergency_kit_days`` — default 30 — or the team or the files changed by a fifth since)."""
    require_work(ctx)
    limit = int(policy(ctx).get("emergency_kit_days", e.DEFAULT_KIT_DAYS))  # type: ignore[call-overload]
    with ctx.transaction() as s:
        raw = get_setting(s, KIT_SETTING)
        members, files = _counts(s, ctx)
    if not raw:
        return KitStatus(None, None, limit, False, members > 0)
    data = json.loads(raw)
    at = dt.datetime.fromisoformat(data["at"])
    days = (local_today(ctx.clock) - local_today_of(at)).days
    changed = any(abs(now - int(data.get(k, 0))) > CHANGE_SHARE * max(1, int(data.get(k, 0)))
                  for k, now in (("members", members), ("files", files)))
    return KitStatus(at, days, limit, changed, days > limit or changed)


def local_today_of(when: dt.datetime) -> dt.date:
    from shequ_desktop.domain.clock import to_local
    return to_local(when).date()
