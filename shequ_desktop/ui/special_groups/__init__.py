"""特殊群体 module pages: 我的今日, the compliance grid, the chief's overview."""

from shequ_desktop.ui.special_groups.page import SpecialGroupsPage

__all__ = ["SpecialGroupsPage"]
