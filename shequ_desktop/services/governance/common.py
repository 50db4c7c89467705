"""Shared pieces of the oversight services: policy numbers, today, a clock's standing, names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.clocks import parse_close
from shequ_desktop.domain.policy import PolicyProfile
from shequ_desktop.persistence.models import Community
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.policy import current_policy


@dataclass(frozen=True)
class ClockState:
    """One clock of a record: due, when it was met (None: still running), 暂定."""

    due_at: dt.datetime
    done_at: dt.datetime | None
    provisional: bool = False

    def left(self, now: dt.datetime) -> dt.timedelta | None:
        """Time left at ``now`` (negative: late); None once met."""
        return None if self.done_at is not None else self.due_at - now

    def late(self, now: dt.datetime) -> bool:
        """Met after the due time, or still open past it."""
        return (self.done_at or now) > self.due_at

    def late_by(self, now: dt.datetime) -> dt.timedelta:
        return max((self.done_at or now) - self.due_at, dt.timedelta(0))


def policy(ctx: AppContext) -> PolicyProfile:
    return current_policy(ctx)


def close_time(ctx: AppContext) -> dt.time:
    return parse_close(str(policy(ctx).get("office_close_time")))


def today(ctx: AppContext) -> dt.date:
    return local_today(ctx.clock)


def community_name(s: Session, ctx: AppContext) -> str:
    community = s.get(Community, ctx.community_id)
    return (community.name if community and community.name else "") or "本社区"
