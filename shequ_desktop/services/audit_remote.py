"""``audit verify`` against the hub: this station's audit entries compared one by one with the copy
the hub holds (pushed with every sync), naming the entries that differ."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.models import AuditEntry
from shequ_desktop.services import sync
from shequ_desktop.services.context import AppContext, get_setting
from shequ_desktop.sync import audit_push
from shequ_desktop.sync.client import HubError


@dataclass(frozen=True)
class HubComparison:
    compared: int                                       # entries held on both sides
    changed: list[int] = field(default_factory=list)    # held by both, with different content
    missing_here: list[int] = field(default_factory=list)   # on the hub, gone from this PC
    not_on_hub: int = 0                                 # newer here, not sent yet
    hub_problem: str = ""                               # the hub refused this station's last push

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing_here or self.hub_problem)


def compare_with_hub(ctx: AppContext) -> HubComparison | None:
    """None when this PC is not connected to a hub; UserError when the hub cannot be reached."""
    ctx.require(Permission.AUDIT_VIEW)
    if sync.hub_settings(ctx) is None:
        return None
    try:
        with sync.make_client(ctx, timeout=30.0) as client:
            remote = {int(e["seq"]): e["hash"] for e in audit_push.hub_copy(client)}
    except HubError as e:
        raise UserError("The hub could not be asked for its copy of the audit log: {reason}", reason=e.message)
    with ctx.transaction() as s:
        local = dict(s.execute(select(AuditEntry.seq, AuditEntry.hash)).all())
        problem = get_setting(s, audit_push.PROBLEM_KEY)
    both = sorted(set(local) & set(remote))
    return HubComparison(compared=len(both), changed=[q for q in both if local[q] != remote[q]],
                         missing_here=sorted(set(remote) - set(local)),
                         not_on_hub=len(set(local) - set(remote)), hub_problem=problem)


def seq_ranges(seqs: list[int]) -> str:
    """1, 2, 3, 7 → '1–3, 7'."""
    parts: list[str] = []
    if not seqs:
        return ""
    start = prev = seqs[0]
    for q in [*seqs[1:], None]:
        if q is not None and q == prev + 1:
            prev = q
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if q is not None:
            start = prev = q
    return ", ".join(parts)
