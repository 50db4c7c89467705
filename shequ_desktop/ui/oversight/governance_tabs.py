"""The tabs of oversight part B on the 考核监督 page: hotline, dual evaluation, committee, incentives.
Each loads its records when it is first shown and again whenever it is chosen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from shequ_desktop.i18n import N_
from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.oversight.committee_tab import CommitteeTab
from shequ_desktop.ui.oversight.evaluation_tab import EvaluationTab
from shequ_desktop.ui.oversight.hotline_tab import HotlineTab
from shequ_desktop.ui.oversight.incentives_tab import IncentivesTab
from shequ_desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from shequ_desktop.ui.oversight.page import OversightPage


def add_governance_tabs(page: OversightPage, ctx: AppContext, runner: TaskRunner, hotline_only: bool = False) -> None:
    page.hotline = HotlineTab(ctx, runner, page)              # type: ignore[attr-defined]
    tabs: list[tuple[QWidget, str]] = [(page.hotline, N_("Supervision hotline"))]   # type: ignore[attr-defined]
    if not hotline_only:
        page.evaluation = EvaluationTab(ctx, runner, page)        # type: ignore[attr-defined]
        page.committee = CommitteeTab(ctx, runner, page)          # type: ignore[attr-defined]
        page.incentives = IncentivesTab(ctx, runner, page)        # type: ignore[attr-defined]
        tabs += [(page.evaluation, N_("Dual evaluation")),        # type: ignore[attr-defined]
                 (page.committee, N_("Supervision committee")),   # type: ignore[attr-defined]
                 (page.incentives, N_("Incentives"))]             # type: ignore[attr-defined]
    for widget, title in tabs:
        page.add_tab(widget, title)

    def on_current(index: int) -> None:
        widget = page.tabs.widget(index)
        if isinstance(widget, (HotlineTab, EvaluationTab, CommitteeTab, IncentivesTab)):
            widget.refresh()
    page.tabs.currentChanged.connect(on_current)
