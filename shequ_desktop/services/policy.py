"""The policy profile: the regulation's numbers as versioned, audited settings."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from shequ_desktop.domain.policy import PolicyProfile
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.models import PolicyVersion
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext


@dataclass(frozen=True)
class PolicyVersionView:
    version: int
    changed_by: str
    changed_at: dt.datetime
    note: str
    values: dict[str, Any]


def current_policy(ctx: AppContext) -> PolicyProfile:
    with ctx.transaction() as s:
        row = s.execute(select(PolicyVersion).order_by(PolicyVersion.version.desc()).limit(1)).scalar_one_or_none()
        return PolicyProfile.from_dict(row.values) if row else PolicyProfile.defaults()


def update_policy(ctx: AppContext, changes: Mapping[str, Any], note: str = "") -> PolicyProfile:
    """Validate all changes first, then write a new version and an audit entry in one transaction."""
    ctx.require(Permission.POLICY_EDIT)
    new = current_policy(ctx).with_changes(changes)
    with ctx.transaction() as s:
        last = s.execute(select(PolicyVersion.version).order_by(PolicyVersion.version.desc()).limit(1)).scalar()
        version = (last or 0) + 1
        s.add(PolicyVersion(version=version, values=new.to_dict(), changed_by=ctx.user.login,
                            changed_at=ctx.clock.now(), note=note))
        audit.append(s, ctx, audit.AuditAction.ADMIN, "policy_version", str(version),
                     json.dumps(dict(changes), ensure_ascii=False, default=str))
    return new


def policy_history(ctx: AppContext) -> list[PolicyVersionView]:
    with ctx.transaction() as s:
        return [PolicyVersionView(r.version, r.changed_by, r.changed_at, r.note, dict(r.values))
                for r in s.execute(select(PolicyVersion).order_by(PolicyVersion.version.desc())).scalars()]
