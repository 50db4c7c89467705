"""居民信息 (residents) module pages and dialogs."""

from shequ_desktop.ui.residents.page import ResidentPage

__all__ = ["ResidentPage"]
