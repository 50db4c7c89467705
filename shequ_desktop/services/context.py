"""What every service needs: the store, the clock, this station and the logged-in user.

Each use case opens exactly one transaction with ``ctx.transaction()``; services return plain
dataclasses, never ORM objects, and check permissions themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from sqlalchemy import select

from shequ_desktop.domain.clock import Clock, SystemClock
from shequ_desktop.domain.errors import PermissionDenied
from shequ_desktop.domain.roles import Permission, Role, can
from shequ_desktop.persistence.db import Database
from shequ_desktop.persistence.journal import Actor, JournaledSession
from shequ_desktop.persistence.models import Setting


@dataclass(frozen=True)
class CurrentUser:
    id: str
    login: str
    display_name: str
    role: Role
    grid_id: str | None = None


# The session of the use case running on this thread, per database: an inner ctx.transaction()
# (a service calling another service) joins it instead of opening a second, competing transaction.
_ACTIVE: ContextVar[dict[int, JournaledSession] | None] = ContextVar("shequ_active_session", default=None)

SYSTEM_USER = CurrentUser(id="system", login="system", display_name="系统", role=Role.ADMIN)


@dataclass
class AppContext:
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    user: CurrentUser = SYSTEM_USER
    station_id: str = "local"
    community_id: str = ""

    def as_user(self, user: CurrentUser) -> AppContext:
        return replace(self, user=user)

    @contextmanager
    def transaction(self) -> Iterator[JournaledSession]:
        """One unit of work: commit on success, roll back everything on any error.

        Called inside another unit of work on the same store and thread, it joins that one.
        """
        active = _ACTIVE.get() or {}
        key = id(self.db.engine)
        if key in active:
            yield active[key]
            return
        session = self.db.session_factory()
        session.info["actor"] = Actor(login=self.user.login, station_id=self.station_id, clock=self.clock)
        token = _ACTIVE.set({**active, key: session})
        try:
            with session.begin():
                yield session
        finally:
            _ACTIVE.reset(token)
            session.close()

    def require(self, permission: Permission) -> None:
        if not can(self.user.role, permission):
            raise PermissionDenied("Your role ({role}) may not do this.", role=self.user.role.label)

    def may(self, permission: Permission) -> bool:
        return can(self.user.role, permission)


def load_station_settings(ctx: AppContext) -> AppContext:
    """Fill station_id and community_id from the setting table (written by init/demo)."""
    with ctx.transaction() as s:
        values = dict(s.execute(select(Setting.key, Setting.value)).all())
    return replace(ctx, station_id=values.get("station_id", ctx.station_id),
                   community_id=values.get("community_id", ctx.community_id))


def get_setting(s: JournaledSession, key: str, default: str = "") -> str:
    row = s.get(Setting, key)
    return row.value if row else default


def put_setting(s: JournaledSession, key: str, value: str) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value))
    else:
        row.value = value
