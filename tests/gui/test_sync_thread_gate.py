"""A background sync that outlasts its window (stop() waits only so long) reports to nobody: before, its result
and progress were emitted on the signals of the controller deleted with the window (an error, or a crash)."""

from __future__ import annotations

import threading

import shiboken6

from shequ_desktop.services import sync as sync_service
from shequ_desktop.services.sync import SyncResult
from shequ_desktop.ui.main_window import MainWindow
from shequ_desktop.ui.sync import install_sync


def test_a_sync_still_running_when_its_window_goes_reports_to_nobody(qtbot, chief_ctx, runner,  # noqa: ANN001
                                                                      monkeypatch) -> None:
    started, release = threading.Event(), threading.Event()

    def slow_sync(_ctx, _client=None, progress=None) -> SyncResult:  # noqa: ANN001
        started.set()
        release.wait(60)
        if progress is not None:
            progress(1, 2)
        return SyncResult.failed("the hub took long")

    monkeypatch.setattr(sync_service, "sync_now", slow_sync)
    stop = sync_service.BackgroundSync.stop
    monkeypatch.setattr(sync_service.BackgroundSync, "stop", lambda self, timeout=0.05: stop(self, timeout))
    thread_errors: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: thread_errors.append(args.exc_value))
    window = MainWindow(chief_ctx, runner, "幸福里社区", with_sync=False)
    window.install_sync(install_sync(window, chief_ctx, runner))
    controller = window.sync
    assert controller is not None
    controller.start_background(1)
    assert started.wait(60)
    thread = controller.background._thread                  # type: ignore[union-attr]
    window.close()                                           # shutdown: stop() gives up while the sync runs on
    qtbot.waitUntil(lambda: runner._pending == 0, timeout=30_000)
    shiboken6.delete(window)                                 # the controller goes with its window
    release.set()
    thread.join(60)
    assert not thread.is_alive() and thread_errors == []
