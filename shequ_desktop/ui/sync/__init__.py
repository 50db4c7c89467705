"""Hub sync and 接诉即办 in the desktop: status bar, 立即同步, 同步设置…, 工单 and 同步冲突 pages.

The main window calls ``install_sync(window, ctx, runner)`` once after it is built and
``controller.shutdown()`` when it closes.
"""

from __future__ import annotations

from typing import Any

from shequ_desktop.services.context import AppContext
from shequ_desktop.ui.sync.controller import SyncController
from shequ_desktop.ui.tasks import TaskRunner

__all__ = ["SyncController", "install_sync"]


def install_sync(window: Any, ctx: AppContext, runner: TaskRunner) -> SyncController:
    """Add the sync actions and pages to ``window``; start the background sync when a hub is configured."""
    return SyncController(window, ctx, runner).install()
