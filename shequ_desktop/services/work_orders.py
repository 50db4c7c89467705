"""接诉即办: residents' requests pulled from the hub, dispatched by grid (A post, B when A is absent),
worked with progress notes; the result flows back to the hub with the next push.

Deadlines come from the policy profile and run on elapsed time (not working days):
general requests need feedback within ``general_response_hours`` (24 h); urgent ones need someone
on site within ``urgent_arrival_minutes`` (30 min).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from shequ_desktop.domain.clock import SHANGHAI, local_today, to_local
from shequ_desktop.domain.errors import NotFound, PermissionDenied, UserError
from shequ_desktop.domain.indicators import IndicatorRecord
from shequ_desktop.domain.policy import PolicyProfile
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.models import Absence, Building, PostAssignment
from shequ_desktop.persistence.sync_models import WorkOrder, WorkOrderEvent
from shequ_desktop.services import staff, worker_refs
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.policy import current_policy

KINDS = ("feedback", "arrive", "progress", "result")
STATUS_LABELS = {"new": "待派单", "dispatched": "已派单", "in_progress": "办理中", "done": "已办结"}


@dataclass(frozen=True)
class WorkOrderView:
    id: str
    request_no: str
    category: str
    description: str
    address: str
    contact: str
    urgency: str
    received_at: dt.datetime
    status: str
    grid_id: str | None
    assignee_login: str | None
    assignee_name: str
    assigned_as: str
    deadline_kind: str             # feedback / arrival
    due_at: dt.datetime
    met_at: dt.datetime | None     # when the deadline's step happened
    overdue: bool
    result: str
    version: int


@dataclass(frozen=True)
class EventView:
    kind: str
    note: str
    by_user: str
    at: dt.datetime
    entered_later: bool = False        # typed in afterwards with its real time (补录)


@dataclass(frozen=True)
class DispatchResult:
    dispatched: int
    to_b: int                      # dispatched to the B colleague because A is absent
    unassigned: list[str]          # request numbers that found no post (no grid, or A and B absent)


def deadline(order: WorkOrder, policy: PolicyProfile) -> tuple[str, dt.datetime, dt.datetime | None]:
    if order.urgency == "urgent":
        return ("arrival", order.received_at + dt.timedelta(minutes=policy.int_value("urgent_arrival_minutes")),
                order.arrived_at)
    return ("feedback", order.received_at + dt.timedelta(hours=policy.int_value("general_response_hours")),
            order.feedback_at)


def response_records(ctx: AppContext, start: dt.date, end: dt.date) -> tuple[list[IndicatorRecord], list[IndicatorRecord]]:
    """The records behind the two response figures (R33, R34): ordinary requests fed back within
    ``general_response_hours`` and urgent ones reached on site within ``urgent_arrival_minutes``.

    A request belongs to the period its deadline fell in (like the on-time rate, §1.3); one whose
    deadline is still ahead and not met yet is in neither list. The caller checks the permission.
    Returns (feedback records, on-site records)."""
    policy = current_policy(ctx)
    limits = {"general": dt.timedelta(hours=policy.int_value("general_response_hours")),
              "urgent": dt.timedelta(minutes=policy.int_value("urgent_arrival_minutes"))}
    lo = dt.datetime.combine(start, dt.time(0), tzinfo=SHANGHAI)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)
    now = ctx.clock.now()
    with ctx.transaction() as s:
        rows = s.connection().execute(select(WorkOrder.id, WorkOrder.request_no, WorkOrder.category, WorkOrder.urgency,
                                WorkOrder.received_at, WorkOrder.feedback_at, WorkOrder.arrived_at,
                                WorkOrder.assignee_login, WorkOrder.grid_id).where(
            WorkOrder.community_id == ctx.community_id, WorkOrder.deleted_at.is_(None),
            WorkOrder.received_at >= lo - max(limits.values()), WorkOrder.received_at < hi)
            .order_by(WorkOrder.received_at, WorkOrder.request_no)).all()
        workers = worker_refs.directory(s)
    feedback: list[IndicatorRecord] = []
    onsite: list[IndicatorRecord] = []
    for oid, no, category, urgency, received, fed_back, arrived, assignee, _grid in rows:
        urgent = urgency == "urgent"
        due = received + limits["urgent" if urgent else "general"]
        met = arrived if urgent else fed_back
        if not lo <= due < hi or (met is None and now <= due):
            continue
        worker = workers.resolve(assignee)
        (onsite if urgent else feedback).append(IndicatorRecord(
            oid, no, met is not None and met <= due, owner=worker.name,
            detail={"date": to_local(due).date(), "received": received, "due": due, "done": met,
                    "category": category, "logins": (worker.login,) if worker.login else ()}))
    return feedback, onsite


def _view(o: WorkOrder, policy: PolicyProfile, now: dt.datetime, names: dict[str, str]) -> WorkOrderView:
    kind, due, met = deadline(o, policy)
    overdue = (met is None and now > due and o.status != "done") or (met is not None and met > due)
    return WorkOrderView(o.id, o.request_no, o.category, o.description, o.address, o.contact, o.urgency,
                         o.received_at, o.status, o.grid_id, o.assignee_login, staff.name_of(names, o.assignee_login),
                         o.assigned_as, kind, due, met, overdue, o.result, o.version)


def _names(s) -> dict[str, str]:  # noqa: ANN001
    return staff.names(s)


def _is_chief(ctx: AppContext) -> bool:
    return ctx.user.role in (Role.CHIEF, Role.ADMIN)


def list_orders(ctx: AppContext, *, mine: bool = True, open_only: bool = True) -> list[WorkOrderView]:
    """My work orders (default), or all of the community's (station chief)."""
    if not mine and not _is_chief(ctx):
        raise PermissionDenied("Your role ({role}) may not do this.", role=ctx.user.role.label)
    policy = current_policy(ctx)
    now = ctx.clock.now()
    with ctx.transaction() as s:
        q = select(WorkOrder).where(WorkOrder.community_id == ctx.community_id, WorkOrder.deleted_at.is_(None))
        if mine:
            q = q.where(WorkOrder.assignee_login == ctx.user.login)
        if open_only:
            q = q.where(WorkOrder.status != "done")
        names = _names(s)
        return [_view(o, policy, now, names) for o in s.execute(q.order_by(WorkOrder.received_at)).scalars()]


def overdue(ctx: AppContext) -> list[WorkOrderView]:
    """Open requests past their deadline — the station chief's warning list."""
    return [v for v in list_orders(ctx, mine=not _is_chief(ctx)) if v.overdue]


def events(ctx: AppContext, order_id: str) -> list[EventView]:
    with ctx.transaction() as s:
        return [EventView(e.kind, e.note, e.by_user, e.at, bool(e.entered_later)) for e in s.execute(
            select(WorkOrderEvent).where(WorkOrderEvent.work_order_id == order_id).order_by(WorkOrderEvent.at)).scalars()]


def _grid_for(s, order: WorkOrder) -> str | None:  # noqa: ANN001
    if order.grid_id:
        return order.grid_id
    if not order.address:
        return None
    for b in s.execute(select(Building).where(Building.community_id == order.community_id,
                                              Building.deleted_at.is_(None))).scalars():
        if (b.address and b.address in order.address) or (b.name and b.name in order.address):
            return b.grid_id
    return None


def dispatch_pending(ctx: AppContext) -> DispatchResult:
    """Give every new request to the grid's A social worker — or to B when A is absent today."""
    today = local_today(ctx.clock)
    now = ctx.clock.now()
    dispatched = to_b = 0
    unassigned: list[str] = []
    with ctx.transaction() as s:
        orders = s.execute(select(WorkOrder).where(WorkOrder.community_id == ctx.community_id,
                                                   WorkOrder.status == "new", WorkOrder.deleted_at.is_(None))
                           .order_by(WorkOrder.received_at)).scalars().all()
        absent = set(s.execute(select(Absence.login).where(Absence.day == today,
                                                             Absence.deleted_at.is_(None))).scalars())
        for o in orders:
            grid_id = _grid_for(s, o)
            post = None
            if grid_id:
                post = s.execute(select(PostAssignment).where(
                    PostAssignment.community_id == ctx.community_id, PostAssignment.grid_id == grid_id,
                    PostAssignment.deleted_at.is_(None)).order_by(PostAssignment.created_at)).scalars().first()
            who, role = None, ""
            if post is not None:
                if post.a_login not in absent:
                    who, role = post.a_login, "A"
                elif post.b_login and post.b_login not in absent:
                    who, role = post.b_login, "B"
            if who is None:
                unassigned.append(o.request_no or o.id)
                continue
            o.grid_id, o.assignee_login, o.assigned_as, o.status = grid_id, who, role, "dispatched"
            note = f"派单给{role}岗" + ("（A岗请假）" if role == "B" else "")
            s.add(WorkOrderEvent(community_id=o.community_id, work_order_id=o.id, kind="dispatch", note=note,
                                 by_user=ctx.user.login, at=now))
            dispatched += 1
            to_b += role == "B"
    return DispatchResult(dispatched, to_b, unassigned)


def record(ctx: AppContext, order_id: str, kind: str, note: str = "", at: dt.datetime | None = None) -> WorkOrderView:
    """Feedback to the resident, arrival on site, a progress note, or the result (closes the request).

    ``at``: the step happened earlier and is entered later (补录) — its real time, to the minute, neither
    before the request was received nor in the future; the event is marked as entered later."""
    if kind not in KINDS:
        raise UserError("Unknown step {kind}.", kind=kind)
    if kind == "result" and not note.strip():
        raise UserError("Describe the result before closing the request.", field="note")
    now = ctx.clock.now()
    if at is not None:
        at = at.replace(second=0, microsecond=0)
        if at > now:
            raise UserError("The time cannot be in the future.", field="at")
    policy = current_policy(ctx)
    with ctx.transaction() as s:
        o = s.get(WorkOrder, order_id)
        if o is None or o.deleted_at is not None or o.community_id != ctx.community_id:
            raise NotFound("This request does not exist.")
        if o.assignee_login != ctx.user.login and not _is_chief(ctx):
            raise PermissionDenied("Only the assigned social worker or the station chief may do this.")
        if o.status == "done":
            raise UserError("This request is already closed.")
        if at is not None and at < o.received_at.replace(second=0, microsecond=0):
            raise UserError("The time cannot be before the request was received ({received}).", field="at",
                            received=to_local(o.received_at).strftime("%Y-%m-%d %H:%M"))
        when = at or now          # the step's own time: now, or the real time entered later
        if kind == "feedback" and o.feedback_at is None:
            o.feedback_at = when
        if kind == "arrive" and o.arrived_at is None:
            o.arrived_at = when
        if kind == "result":
            o.result, o.closed_at, o.status = note.strip(), when, "done"
            if o.feedback_at is None:
                o.feedback_at = when
        elif o.status in ("new", "dispatched"):
            o.status = "in_progress"
        s.add(WorkOrderEvent(community_id=o.community_id, work_order_id=o.id, kind=kind, note=note.strip(),
                             by_user=ctx.user.login, at=when, entered_later=at is not None))
        s.flush()
        return _view(o, policy, now, _names(s))


def create_at_counter(ctx: AppContext, category: str, description: str, address: str, contact: str,
                      urgency: str = "general", grid_id: str | None = None) -> WorkOrderView:
    """A request taken at the counter or by phone (it syncs to the hub like one from the platform)."""
    if urgency not in ("general", "urgent"):
        raise UserError("Urgency must be general or urgent.", field="urgency")
    if not description.strip():
        raise UserError("Describe the request.", field="description")
    now = ctx.clock.now()
    with ctx.transaction() as s:
        o = WorkOrder(community_id=ctx.community_id, source="counter", category=category, description=description,
                      address=address, contact=contact, urgency=urgency, received_at=now, grid_id=grid_id,
                      request_no=f"WO{now.strftime('%Y%m%d%H%M%S')}")
        s.add(o)
        s.flush()
        return _view(o, current_policy(ctx), now, _names(s))
