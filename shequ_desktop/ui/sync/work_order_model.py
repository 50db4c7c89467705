"""Table model of work orders (接诉即办): due time and a live remaining time on every row (R47)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.staff import is_unresolved
from shequ_desktop.i18n import N_, _
from shequ_desktop.services.work_orders import WorkOrderView

COLUMNS = (N_("No."), N_("Category"), N_("Description"), N_("Address"), N_("Urgency"), N_("Received"),
           N_("Time limit"), N_("Remaining"), N_("Social worker"), N_("Status"))
REMAINING_COLUMN = COLUMNS.index("Remaining")
STATUS_TEXT = {"new": N_("Not dispatched"), "dispatched": N_("Dispatched"), "in_progress": N_("In progress"),
               "done": N_("Closed")}
OVERDUE_BACKGROUND = QColor("#f8c9c6")
DUE_SOON_BACKGROUND = QColor("#fff0c2")
# "Due soon" warning before the limit: 4 h of a 24 h feedback limit, 10 min of a 30 min arrival limit.
DUE_SOON = {"feedback": dt.timedelta(hours=4), "arrival": dt.timedelta(minutes=10)}
ID_ROLE = Qt.ItemDataRole.UserRole


def duration_text(delta: dt.timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        return _("{d} d {h} h").format(d=hours // 24, h=hours % 24)
    if hours:
        return _("{h} h {m} min").format(h=hours, m=minutes)
    return _("{m} min").format(m=minutes)


def urgency_text(urgency: str) -> str:
    return _("Urgent") if urgency == "urgent" else _("General")


def limit_text(o: WorkOrderView) -> str:
    due = f"{to_local(o.due_at):%m-%d %H:%M}"
    if o.deadline_kind == "arrival":
        return _("On site by {time}").format(time=due)
    return _("Feedback by {time}").format(time=due)


def state_of(o: WorkOrderView, now: dt.datetime) -> str:
    """overdue / due_soon / met / open."""
    if o.met_at is not None:
        return "overdue" if o.met_at > o.due_at else "met"
    if o.status == "done":
        return "met"
    if now > o.due_at:
        return "overdue"
    if o.due_at - now <= DUE_SOON.get(o.deadline_kind, dt.timedelta(0)):
        return "due_soon"
    return "open"


def remaining_text(o: WorkOrderView, now: dt.datetime) -> str:
    if o.met_at is not None:
        done = _("On site") if o.deadline_kind == "arrival" else _("Answered")
        if o.met_at > o.due_at:
            return _("{done}, {late} late").format(done=done, late=duration_text(o.met_at - o.due_at))
        return _("{done} in time").format(done=done)
    if o.status == "done":
        return _("Closed")
    if now > o.due_at:
        return _("Overdue by {time}").format(time=duration_text(now - o.due_at))
    return duration_text(o.due_at - now)


def short(text: str, limit: int = 24) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class WorkOrderModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.orders: list[WorkOrderView] = []
        self.now = dt.datetime.now(dt.timezone.utc)

    def set_orders(self, orders: list[WorkOrderView], now: dt.datetime) -> None:
        self.beginResetModel()
        self.orders, self.now = list(orders), now
        self.endResetModel()

    def tick(self, now: dt.datetime) -> None:
        """Recompute the countdown (and colours) without reloading."""
        self.now = now
        if self.orders:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.orders) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.orders)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        o = self.orders[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(o, col)
        if role == Qt.ItemDataRole.ToolTipRole and col == 2:
            return o.description
        if role == ID_ROLE:
            return o.id
        if role == Qt.ItemDataRole.BackgroundRole:
            state = state_of(o, self.now)
            if state == "overdue":
                return OVERDUE_BACKGROUND
            if state == "due_soon":
                return DUE_SOON_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and col == 4 and o.urgency == "urgent":
            return QColor("#c0392b")
        return None

    def _text(self, o: WorkOrderView, col: int) -> str:
        texts = (lambda: o.request_no or o.id[:8], lambda: o.category, lambda: short(o.description),
                 lambda: o.address, lambda: urgency_text(o.urgency),
                 lambda: f"{to_local(o.received_at):%m-%d %H:%M}", lambda: limit_text(o),
                 lambda: remaining_text(o, self.now),
                 lambda: assignee_text(o) + (_(" ({post} post)").format(post=o.assigned_as)
                                             if o.assigned_as else ""),
                 lambda: _(STATUS_TEXT.get(o.status, o.status)))
        return texts[col]()

    def order_at(self, row: int) -> WorkOrderView | None:
        return self.orders[row] if 0 <= row < len(self.orders) else None

    def row_of(self, order_id: str) -> int:
        return next((i for i, o in enumerate(self.orders) if o.id == order_id), -1)


def assignee_text(o: WorkOrderView) -> str:
    """The assignee's name; a user of another station that the upgrade to logins could not name yet is said so."""
    if is_unresolved(o.assignee_login):
        return _("not yet identified (another station's user)")
    return o.assignee_name or o.assignee_login or "—"
