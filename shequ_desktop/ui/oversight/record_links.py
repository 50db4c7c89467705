"""A drill-down row opens the record behind it in its own module: the counter case on the counter page, the
request on the work-orders page, the mediation case on the mediation page, the surveyed person's file on the
special-groups page. Each module's page shows it with that module's own rules (what the role may change)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from shequ_desktop.domain import kpi as k

PAGE_OF = {k.ON_TIME: "counter", k.FEEDBACK_24H: "work_orders", k.ONSITE_30MIN: "work_orders",
           k.MEDIATION_SUCCESS: "mediation", k.SPECIAL_SATISFACTION: "special_groups"}


def open_record(window: QWidget, key: str, target: str) -> bool:
    """Show ``target`` (a case, request, mediation case or special-group file id) in the main window's page
    of its module; False if this window has no such page (the module is not available to the role)."""
    page_of = getattr(window, "page", None)
    page = page_of(PAGE_OF[key]) if page_of is not None else None
    if page is None:
        return False
    window.show_page(PAGE_OF[key])  # type: ignore[attr-defined]
    if key == k.ON_TIME:
        page.open_case(target)
    elif key in (k.FEEDBACK_24H, k.ONSITE_30MIN):
        page.open_order(target)
    elif key == k.MEDIATION_SUCCESS:
        page.open_case(target)
    else:
        page.tabs.setCurrentWidget(page.files)
        page.files.load_file(target)
    return True
