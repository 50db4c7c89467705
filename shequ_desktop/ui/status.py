"""The status bar: who is logged in, which community, network/sync state, overdue items."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.roles import ROLE_MSGIDS
from shequ_desktop.i18n import N_, _, ngettext
from shequ_desktop.services.context import CurrentUser
from shequ_desktop.ui.elided_label import ElidedLabel

OVERDUE_KINDS = {"counter": N_("Counter cases"), "mediation": N_("Disputes"),
                 "special_groups": N_("Special-group tasks (calls, visits, assessments)"),
                 "hotline": N_("Hotline complaints"), "work_orders": N_("Work orders")}
_PROBLEM_STYLES = {"info": "color: #555555;", "warn": "color: #b9770e;", "error": "color: #c0392b; font-weight: bold;"}


class StatusBarWidget(QWidget):
    """Permanent status-bar content; the sync module drives ``set_network_state``."""

    overdue_clicked = Signal()          # the overdue count was clicked: open the lists behind it

    def __init__(self, user: CurrentUser, community_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._user, self._community = user, community_name
        self._online, self._pending, self._last_sync = False, 0, None
        self._overdue = 0
        self._overdue_parts: tuple[tuple[str, int], ...] = ()
        self._calendar_year: int | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(18)
        self.user_label = QLabel(objectName="user_label")
        self.community_label = QLabel(objectName="community_label")
        self.network_label = QLabel(objectName="network_label")
        self.overdue_label = QLabel(objectName="overdue_label")
        self.overdue_label.installEventFilter(self)
        # Reminders give up width first (cut with "…", whole text as tooltip): the window fits 1366 px.
        self.sync_problem_label = ElidedLabel(objectName="sync_problem_label")
        self.calendar_label = ElidedLabel(objectName="calendar_label")
        self.kit_label = ElidedLabel(objectName="kit_reminder_label")
        self._kit: object | None = None
        self._sync_problem, self._sync_problem_kind = "", "info"
        self.community_label.setProperty("user_data", True)     # the community's name as entered
        for label in (self.user_label, self.community_label, self.network_label, self.sync_problem_label,
                      self.overdue_label, self.calendar_label, self.kit_label):
            layout.addWidget(label)
        self._render()

    def set_network_state(self, online: bool, pending: int, last_sync: dt.datetime | None) -> None:
        self._online, self._pending, self._last_sync = online, pending, last_sync
        self._render()

    def set_sync_problem(self, text: str, kind: str = "warn") -> None:
        """Plain words about sync trouble (already translated); ``kind`` is info / warn / error; "" hides it."""
        self._sync_problem, self._sync_problem_kind = text, kind
        self._render()

    def set_calendar_warning(self, year: int | None) -> None:
        """From 1 November: next year's holiday schedule is not imported yet."""
        self._calendar_year = year
        self._render()

    def set_kit_status(self, status: object) -> None:
        """The emergency kit reminder (services.emergency.kit.KitStatus); hidden while the kit is fresh."""
        self._kit = status
        self._render()

    def set_overdue(self, n: int, by_kind: tuple[tuple[str, int], ...] = ()) -> None:
        """``n`` overdue items; ``by_kind`` (module key, count) says where they are (the label's tooltip)."""
        self._overdue, self._overdue_parts = n, by_kind
        self._render()

    def overdue_parts(self) -> tuple[tuple[str, int], ...]:
        """(module key, count) of the overdue items shown, only those with some."""
        return tuple((key, n) for key, n in self._overdue_parts if n)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (watched is self.overdue_label and event.type() == QEvent.Type.MouseButtonRelease
                and self._overdue):
            self.overdue_clicked.emit()
            return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)

    def _render(self) -> None:
        self.user_label.setText(f"{self._user.display_name} · {_(ROLE_MSGIDS[self._user.role])}")
        self.community_label.setText(self._community)
        state = _("Online") if self._online else _("Offline")
        parts = [state]
        if self._pending:
            parts.append(_("{n} to send").format(n=self._pending))
        if self._last_sync is not None:
            parts.append(_("last sync {time}").format(time=f"{to_local(self._last_sync):%m-%d %H:%M}"))
        self.network_label.setText(" · ".join(parts))
        self.network_label.setStyleSheet("" if self._online else "color: #888888;")
        self.sync_problem_label.setText(self._sync_problem)
        self.sync_problem_label.setStyleSheet(_PROBLEM_STYLES.get(self._sync_problem_kind, ""))
        self.sync_problem_label.setVisible(bool(self._sync_problem))
        self.overdue_label.setText(_("Overdue: {n}").format(n=self._overdue))
        self.overdue_label.setStyleSheet("color: #c0392b; font-weight: bold;" if self._overdue else "")
        # A clerk whose case list shows 2 overdue may see 70 here: say where the others are.
        tips = [_("{where}: {n} overdue").format(where=_(OVERDUE_KINDS.get(key, key)), n=n)
                for key, n in self._overdue_parts if n]
        if tips:
            tips.append(_("Click to open the list."))
        self.overdue_label.setToolTip("\n".join(tips))
        self.overdue_label.setCursor(Qt.CursorShape.PointingHandCursor if self._overdue else Qt.CursorShape.ArrowCursor)
        if self._calendar_year:
            self.calendar_label.setText(_("{year} holidays not imported: deadlines provisional").format(
                year=self._calendar_year))
            self.calendar_label.setToolTip(_("Ask the admin to import the State Council holiday schedule "
                                             "(Working days page or shequ-admin calendar import)."))
            self.calendar_label.setStyleSheet("color: #b9770e;")
        self.calendar_label.setVisible(bool(self._calendar_year))
        kit = self._kit
        if kit is not None and getattr(kit, "stale", False):
            if kit.never:  # type: ignore[attr-defined]
                text = _("Emergency kit never printed")
            elif kit.changed:  # type: ignore[attr-defined]
                text = _("Team or files changed: print the emergency kit again")
            else:
                days = kit.days  # type: ignore[attr-defined]
                text = ngettext("Emergency kit printed {n} day ago: print it again",
                                "Emergency kit printed {n} days ago: print it again", days or 0).format(n=days)
            self.kit_label.setText(text)
            self.kit_label.setStyleSheet("color: #b9770e;")
        self.kit_label.setVisible(bool(kit is not None and getattr(kit, "stale", False)))
