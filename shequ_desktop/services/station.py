"""Station set-up: the community this workstation serves and its identity for sync."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from shequ_desktop.domain.errors import NotFound, UserError, ValidationErrors
from shequ_desktop.domain.ids import new_id
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.journal import JournaledSession
from shequ_desktop.persistence.models import Community, Grid
from shequ_desktop.services import audit
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


# --- the station's own identity on paper (issue 11: a station set up without the hub) ---------------

DEFAULT_HOURS = "工作日 上午9:00—12:00、下午2:00—5:30"
DEFAULT_HOTLINE = "12345"
_KEYS = {"station_name": "station.name", "hours": "station.hours", "seal_name": "station.seal_name"}
_CONFIGURED = "station.configured"
# The settings' names in the audit log (message ids, read in the reader's language).
MSG_FIELD_COMMUNITY = "community name"
MSG_FIELD_STATION = "station name"
MSG_FIELD_ADDRESS = "address"
MSG_FIELD_PHONE = "phone"
MSG_FIELD_HOURS = "office hours"
MSG_FIELD_HOTLINE = "supervision hotline"
MSG_FIELD_SEAL = "name in the seal line"
_FIELD_MSGIDS = {"community_name": MSG_FIELD_COMMUNITY, "station_name": MSG_FIELD_STATION,
                 "address": MSG_FIELD_ADDRESS, "phone": MSG_FIELD_PHONE, "hours": MSG_FIELD_HOURS,
                 "hotline": MSG_FIELD_HOTLINE, "seal_name": MSG_FIELD_SEAL}


@dataclass(frozen=True)
class StationInfo:
    """What every document prints about the station: names, address, phones, office hours, seal line."""

    community_name: str
    station_name: str       # printed above the title and as the issuer, e.g. 幸福里社区工作站
    address: str            # 办理地点
    phone: str              # 咨询电话
    hours: str              # 办理时间
    hotline: str            # 监督电话
    seal_name: str          # the name on the seal line of a certificate, e.g. 幸福里社区居民委员会
    configured: bool = False


def station_info_in(s: JournaledSession, community_id: str) -> StationInfo:
    """The station's settings inside an open unit of work; unset values fall back to the community's."""
    c = s.get(Community, community_id)
    name = c.name if c else ""
    return StationInfo(
        community_name=name,
        station_name=get_setting(s, _KEYS["station_name"]) or (f"{name}工作站" if name else "社区工作站"),
        address=(c.address if c else "") or "",
        phone=(c.phone if c else "") or "",
        hours=get_setting(s, _KEYS["hours"]) or DEFAULT_HOURS,
        hotline=(c.hotline if c else "") or DEFAULT_HOTLINE,
        seal_name=get_setting(s, _KEYS["seal_name"]) or (f"{name}居民委员会" if name else "社区居民委员会"),
        configured=get_setting(s, _CONFIGURED) == "1")


def station_info(ctx: AppContext) -> StationInfo:
    with ctx.transaction() as s:
        return station_info_in(s, ctx.community_id)


_LIMITS = {"community_name": 64, "station_name": 100, "address": 200, "phone": 32, "hours": 200, "hotline": 32,
           "seal_name": 100}


def set_station(ctx: AppContext, *, community_name: str | None = None, station_name: str | None = None,
                address: str | None = None, phone: str | None = None, hours: str | None = None,
                hotline: str | None = None, seal_name: str | None = None) -> StationInfo:
    """Change the given values (None = keep); the admin's set-up and ``shequ-admin station set``."""
    ctx.require(Permission.USER_ADMIN)
    given = {k: v.strip() for k, v in dict(community_name=community_name, station_name=station_name,
                                            address=address, phone=phone, hours=hours, hotline=hotline,
                                            seal_name=seal_name).items() if v is not None}
    errors = [UserError("At most {n} characters.", field=k, n=_LIMITS[k])
              for k, v in given.items() if len(v) > _LIMITS[k]]
    if "community_name" in given and not given["community_name"]:
        errors.append(UserError("The community needs a name.", field="community_name"))
    if errors:
        raise ValidationErrors(errors)
    with ctx.transaction() as s:
        c = s.get(Community, ctx.community_id)
        if c is None:
            raise NotFound("The community of this station is not set up.")
        for key in ("address", "phone", "hotline"):
            if key in given and getattr(c, key) != given[key]:
                setattr(c, key, given[key])
        if given.get("community_name") and c.name != given["community_name"]:
            c.name = given["community_name"]
        for key, setting in _KEYS.items():
            if key in given:
                put_setting(s, setting, given[key])
        put_setting(s, _CONFIGURED, "1")
        audit.append(s, ctx, audit.AuditAction.ADMIN, "station", ctx.station_id,
                     audit.describe(audit.MSG_STATION_SET,
                                    fields_msgs=[_FIELD_MSGIDS[k] for k in _FIELD_MSGIDS if k in given]))
        s.flush()
        return station_info_in(s, ctx.community_id)
