"""Synced tables added by the hub sync (issue #4): work orders (接诉即办) and sync conflicts.

Quarantined pushes need no table of their own: a change the hub rejected stays in
``change_journal`` with ``pushed_at`` NULL and ``push_error`` set (never deleted).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shequ_desktop.persistence.base import Base, Synced, UTCDateTime


# online = the residents' platform (社区通 app / mini-program), counter / phone = taken at the station,
# visit = a need found on a special-group visit.
WORK_ORDER_SOURCES = ("online", "counter", "phone", "visit")
WORK_ORDER_URGENCIES = ("general", "urgent")
WORK_ORDER_STATUSES = ("new", "dispatched", "in_progress", "done")


class WorkOrder(Synced, Base):
    """A resident's request (诉求) from the online platform or taken at the counter."""

    __tablename__ = "work_order"
    request_no: Mapped[str] = mapped_column(String(32), default="")
    source: Mapped[str] = mapped_column(String(16), default="online", info={"choices": WORK_ORDER_SOURCES})
    category: Mapped[str] = mapped_column(String(64), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(64), default="")
    urgency: Mapped[str] = mapped_column(String(16), default="general", info={"choices": WORK_ORDER_URGENCIES})
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)     # the resident's submit time
    grid_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    assignee_login: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    assigned_as: Mapped[str] = mapped_column(String(1), default="")          # A / B
    status: Mapped[str] = mapped_column(String(16), default="new", info={"choices": WORK_ORDER_STATUSES})
    feedback_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)   # first feedback (R33)
    arrived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)    # on site (R34, urgent)
    result: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class WorkOrderEvent(Synced, Base):
    """Append-only progress note on a work order (never updated, so it never conflicts)."""

    __tablename__ = "work_order_event"
    __append_only__ = True
    work_order_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(16))                           # dispatch/feedback/arrive/progress/result
    note: Mapped[str] = mapped_column(Text, default="")
    by_user: Mapped[str] = mapped_column(String(64), default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    entered_later: Mapped[bool] = mapped_column(Boolean, default=False)   # typed in afterwards with its real time


class SyncConflict(Synced, Base):
    """The same field changed on two sides: both values kept until the station chief decides.

    Created by the hub (so every station of the community sees it); the resolution is an
    ordinary synced update. Values are stored JSON-encoded so any field type fits.
    """

    __tablename__ = "sync_conflict"
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(64))
    local_value: Mapped[str] = mapped_column(Text)       # the value the losing change carried (JSON)
    remote_value: Mapped[str] = mapped_column(Text)      # the value the hub kept (JSON)
    base_version: Mapped[int] = mapped_column(Integer, default=0)
    target_version: Mapped[int] = mapped_column(Integer, default=0)
    change_id: Mapped[str] = mapped_column(String(36), default="")
    from_station: Mapped[str] = mapped_column(String(36), default="")
    from_user: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16), default="open")         # open / resolved
    resolution: Mapped[str] = mapped_column(String(16), default="")         # local / remote / edit
    resolved_value: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[str] = mapped_column(String(64), default="")
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class PulledChangeQuarantine(Base):
    """A change from the hub that this store could not apply (local, not synced): kept with its reason;
    the rest of the pull went on. ``sync status`` reports them in plain words."""

    __tablename__ = "sync_pull_quarantine"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)      # the hub's sequence number
    change_id: Mapped[str] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(36))
    item: Mapped[dict[str, object]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


SYNC_MODELS: tuple[type[Base], ...] = (WorkOrder, WorkOrderEvent, SyncConflict)

# The outbox scan (pending local changes in creation order); created by migration 0003.
from sqlalchemy import Index  # noqa: E402

from shequ_desktop.persistence.models import ChangeJournal  # noqa: E402

Index("ix_change_journal_outbox", ChangeJournal.origin, ChangeJournal.pushed_at, ChangeJournal.seq)
