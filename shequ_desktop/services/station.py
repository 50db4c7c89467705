"""Station set-up: the community this workstation serves and its identity for sync."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from shequ_desktop.domain.ids import new_id
from shequ_desktop.persistence.models import Community, Grid
from shequ_desktop.services.context import AppContext, get_setting, put_setting


@dataclass(frozen=True)
class CommunityView:
    id: str
    name: str
    subdistrict: str
    address: str
    phone: str
    hotline: str


@dataclass(frozen=True)
class GridView:
    id: str
    code: str
    name: str


def ensure_station(ctx: AppContext, community_name: str = "示范社区", subdistrict: str = "示范街道",
                   code: str = "DEMO") -> AppContext:
    """Create the community and the station id on first start; returns a context bound to them."""
    with ctx.transaction() as s:
        station_id = get_setting(s, "station_id")
        if not station_id:
            station_id = new_id()
            put_setting(s, "station_id", station_id)
        community_id = get_setting(s, "community_id")
        if not community_id:
            c = Community(id=new_id(), community_id="", code=code, name=community_name, subdistrict=subdistrict)
            c.community_id = c.id
            s.add(c)
            community_id = c.id
            put_setting(s, "community_id", community_id)
    ctx.station_id, ctx.community_id = station_id, community_id
    return ctx


def community(ctx: AppContext) -> CommunityView:
    with ctx.transaction() as s:
        c = s.get(Community, ctx.community_id)
        if c is None:
            return CommunityView(ctx.community_id, "", "", "", "", "")
        return CommunityView(c.id, c.name, c.subdistrict, c.address, c.phone, c.hotline)


def grids(ctx: AppContext) -> list[GridView]:
    with ctx.transaction() as s:
        return [GridView(g.id, g.code, g.name) for g in s.execute(
            select(Grid).where(Grid.community_id == ctx.community_id, Grid.deleted_at.is_(None))
            .order_by(Grid.code)).scalars()]
