"""Hazard plans (R59): the seven shipped plans, editable; a plan becomes an incident's checklist."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.emergency_plans import DEFAULT_PLANS
from shequ_desktop.domain.errors import NotFound, UserError, ValidationErrors
from shequ_desktop.persistence.emergency_models import EmergencyPlan
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.emergency.common import policy, require_chief, require_work


@dataclass(frozen=True)
class Step:
    title: str
    role: str = ""
    minutes: int = 0        # after the report; 0 = no time set


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    phone: str


@dataclass(frozen=True)
class PlanView:
    id: str
    hazard: str
    name: str
    position: int
    active: bool
    steps: tuple[Step, ...]
    roles: tuple[tuple[str, str], ...]          # (role, duty)
    contacts: tuple[Contact, ...]
    assembly_points: tuple[str, ...]
    supplies: tuple[str, ...]
    note: str
    version: int
    further_steps: tuple[str, ...] = ()         # R65: offered on the incident's timeline


def offered_steps(configured: tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """The further steps a plan offers: its own list, or the shipped one for a plan stored before plans had
    one (an empty list)."""
    return tuple(configured or ()) or e.FURTHER_STEPS


@dataclass(frozen=True)
class PlanInput:
    name: str
    steps: tuple[Step, ...]
    roles: tuple[tuple[str, str], ...] = ()
    contacts: tuple[Contact, ...] = ()
    assembly_points: tuple[str, ...] = ()
    supplies: tuple[str, ...] = ()
    active: bool = True
    note: str = ""
    hazard: str = ""        # a new plan's code; empty = derived from the position
    further_steps: tuple[str, ...] | None = None    # R65; None = keep the plan's list


def plan_view(p: EmergencyPlan) -> PlanView:
    return PlanView(p.id, p.hazard, p.name, p.position, p.active,
                    tuple(Step(str(x.get("title", "")), str(x.get("role", "")), int(x.get("minutes", 0) or 0))
                          for x in p.steps or ()),
                    tuple((r.get("role", ""), r.get("duty", "")) for r in p.roles or ()),
                    tuple(Contact(c.get("name", ""), c.get("role", ""), c.get("phone", "")) for c in p.contacts or ()),
                    tuple(p.assembly_points or ()), tuple(p.supplies or ()), p.note, p.version,
                    offered_steps(p.further_steps))


def default_plan_id(community_id: str, hazard: str) -> str:
    """The shipped plan's id is the same on every station of a community, so two stations that both start
    using the shipped plans write the same records instead of two sets of seven."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"shequ:em_plan:{community_id}:{hazard}"))


def ensure_default_plans(ctx: AppContext) -> int:
    """Write the seven shipped plans when the station has none yet (on first use: an incident, an edit, the
    demo — never just by looking); returns how many were added."""
    with ctx.transaction() as s:
        if s.execute(select(func.count()).select_from(EmergencyPlan)
                     .where(EmergencyPlan.community_id == ctx.community_id)).scalar_one():
            return 0
        for i, d in enumerate(DEFAULT_PLANS):
            s.add(EmergencyPlan(id=default_plan_id(ctx.community_id, d["hazard"]), community_id=ctx.community_id,
                                position=i, **d))
        s.flush()
        return len(DEFAULT_PLANS)


def list_plans(ctx: AppContext, active_only: bool = False) -> list[PlanView]:
    """The station's plans; before any is written, the shipped seven (read-only views, nothing stored)."""
    require_work(ctx)
    with ctx.transaction() as s:
        q = select(EmergencyPlan).where(EmergencyPlan.community_id == ctx.community_id,
                                        EmergencyPlan.deleted_at.is_(None))
        rows = s.execute(q.order_by(EmergencyPlan.position)).scalars().all()
        if not rows and not s.execute(select(func.count()).select_from(EmergencyPlan).where(
                EmergencyPlan.community_id == ctx.community_id)).scalar_one():
            rows = [EmergencyPlan(id=default_plan_id(ctx.community_id, d["hazard"]), community_id=ctx.community_id,
                                  position=i, active=True, note="", version=0, **d)
                    for i, d in enumerate(DEFAULT_PLANS)]
        return [plan_view(p) for p in rows if p.active or not active_only]


def plans_short(ctx: AppContext) -> int:
    """How many hazard types are missing from the active plans (R59: ``hazard_types``, default 7)."""
    wanted = int(policy(ctx).get("hazard_types", 7))  # type: ignore[call-overload]
    return max(0, wanted - len(list_plans(ctx, active_only=True)))


def _check(data: PlanInput) -> None:
    errors: list[UserError] = []
    if not data.name.strip():
        errors.append(UserError("Give the hazard a name.", field="name"))
    if not [s for s in data.steps if s.title.strip()]:
        errors.append(UserError("A plan needs at least one response step.", field="steps"))
    for i, st in enumerate(data.steps, start=1):
        if not 0 <= st.minutes <= 10080:
            errors.append(UserError("Step {n}: the minutes must be between 0 and 10080.", field="steps", n=i))
    for c in data.contacts:
        if not c.name.strip() or not c.phone.strip():
            errors.append(UserError("Every contact needs a name and a phone number.", field="contacts"))
            break
    if errors:
        raise ValidationErrors(errors)


def _apply(p: EmergencyPlan, data: PlanInput) -> None:
    p.name = data.name.strip()
    p.active = data.active
    p.steps = [{"title": s.title.strip(), "role": s.role.strip(), "minutes": s.minutes}
               for s in data.steps if s.title.strip()]
    p.roles = [{"role": r.strip(), "duty": d.strip()} for r, d in data.roles if r.strip()]
    p.contacts = [{"name": c.name.strip(), "role": c.role.strip(), "phone": c.phone.strip()} for c in data.contacts]
    p.assembly_points = [x.strip() for x in data.assembly_points if x.strip()]
    p.supplies = [x.strip() for x in data.supplies if x.strip()]
    p.note = data.note
    if data.further_steps is not None:
        p.further_steps = list(dict.fromkeys(x.strip() for x in data.further_steps if x.strip()))


def update_plan(ctx: AppContext, plan_id: str, data: PlanInput) -> PlanView:
    require_chief(ctx)
    _check(data)
    with ctx.transaction() as s:
        ensure_default_plans(ctx)
        p = s.get(EmergencyPlan, plan_id)
        if p is None or p.deleted_at is not None:
            raise NotFound("The plan was not found.")
        _apply(p, data)
        s.flush()
        return plan_view(p)


def add_plan(ctx: AppContext, data: PlanInput) -> PlanView:
    require_chief(ctx)
    _check(data)
    with ctx.transaction() as s:
        ensure_default_plans(ctx)
        n = s.execute(select(func.count()).select_from(EmergencyPlan)
                      .where(EmergencyPlan.community_id == ctx.community_id)).scalar_one()
        hazard = data.hazard.strip() or f"custom_{n + 1}"
        p = EmergencyPlan(community_id=ctx.community_id, hazard=hazard, position=n)
        _apply(p, data)
        s.add(p)
        s.flush()
        return plan_view(p)
