"""Shared pieces of the emergency services: permissions, policy numbers, building names."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.models import Building
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.policy import current_policy


# Audit entries (message ids + parameters, read in the reader's language).
MSG_EM_EXPORTED = "Exported the vulnerable residents of a building ({count}) with full phone numbers for calling."
MSG_EM_LISTS = "Printed the vulnerable residents of incident {no}: {people} people in {buildings} buildings."
MSG_EM_KIT = ("Printed the emergency kit: {plans} plan cards, the phone tree of {members}, {people} vulnerable "
              "residents in {buildings} buildings.")


def require_work(ctx: AppContext) -> None:
    ctx.require(Permission.EMERGENCY_WORK)


def require_chief(ctx: AppContext) -> None:
    ctx.require(Permission.EMERGENCY_ALL)


def policy(ctx: AppContext) -> dict[str, object]:
    return current_policy(ctx).to_dict()


def team_minimum(ctx: AppContext) -> int:
    return int(policy(ctx).get("emergency_team_min", e.DEFAULT_TEAM_MIN))  # type: ignore[call-overload]


def building_names(s: Session, ctx: AppContext, ids: list[str] | None = None) -> dict[str, str]:
    q = select(Building.id, Building.name).where(Building.community_id == ctx.community_id,
                                                 Building.deleted_at.is_(None))
    if ids is not None:
        q = q.where(Building.id.in_(ids))
    return dict(s.execute(q).all())


def today(ctx: AppContext) -> dt.date:
    return local_today(ctx.clock)


def list_buildings(ctx: AppContext) -> list[tuple[str, str]]:
    """(id, name) of the community's buildings by name, for choosing the affected ones."""
    require_work(ctx)
    with ctx.transaction() as s:
        return sorted(building_names(s, ctx).items(), key=lambda kv: kv[1])
