"""Background work: ONE database worker thread (SQLite likes one writer) and a pool for network.

``runner.submit(fn, on_done, on_error)`` runs ``fn()`` off the GUI thread and calls the
callbacks back on the GUI thread. Long jobs get a ``progress(done, total)`` callable.
"""

from __future__ import annotations

import functools
import itertools
import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QRunnable, Signal, Slot

log = logging.getLogger(__name__)
Callback = Callable[[Any], None]


class _Bridge(QObject):
    finished = Signal(int, object)
    failed = Signal(int, object)
    progressed = Signal(int, int, int)


class TaskRunner(QObject):
    """Queues callables onto the DB thread; delivers results by queued signals."""

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = _Bridge()
        self._bridge.finished.connect(self._on_finished)
        self._bridge.failed.connect(self._on_failed)
        self._bridge.progressed.connect(self._on_progress)
        self._ids = itertools.count(1)
        self._callbacks: dict[int, tuple[Callback | None, Callback | None, Callable[[int, int], None] | None]] = {}
        self._queue: queue.Queue[tuple[int, Callable[..., Any], bool, bool] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._loop, name="shequ-db", daemon=True)
        self._thread.start()
        self._pending = 0
        self.network_pool = QThreadPool()
        self.network_pool.setMaxThreadCount(4)

    def submit(self, fn: Callable[..., Any], on_done: Callback | None = None, on_error: Callback | None = None,
               on_progress: Callable[[int, int], None] | None = None) -> int:
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_done, on_error, on_progress)
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)
        self._queue.put((task_id, fn, on_progress is not None, False))
        return task_id

    def submit_network(self, fn: Callable[[], Any], on_done: Callback | None = None,
                       on_error: Callback | None = None) -> int:
        task_id = next(self._ids)
        self._callbacks[task_id] = (on_done, on_error, None)
        bridge = self._bridge

        class _Job(QRunnable):
            def run(self) -> None:  # noqa: D401
                try:
                    bridge.finished.emit(task_id, fn())
                except BaseException as e:  # delivered to the GUI thread, never lost
                    bridge.failed.emit(task_id, e)

        self._pending += 1
        self.network_pool.start(_Job())
        return task_id

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            task_id, fn, wants_progress, silent = item
            if silent:
                fn()
                continue
            try:
                if wants_progress:
                    result = fn(lambda done, total: self._bridge.progressed.emit(task_id, done, total))
                else:
                    result = fn()
                self._bridge.finished.emit(task_id, result)
            except BaseException as e:
                self._bridge.failed.emit(task_id, e)

    def _done(self, task_id: int) -> tuple[Callback | None, Callback | None, Any]:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        return self._callbacks.pop(task_id, (None, None, None))

    @Slot(int, object)
    def _on_finished(self, task_id: int, result: object) -> None:
        on_done, _e, _p = self._done(task_id)
        if on_done and _alive(on_done):
            on_done(result)

    @Slot(int, object)
    def _on_failed(self, task_id: int, error: object) -> None:
        _d, on_error, _p = self._done(task_id)
        if on_error and not _alive(on_error):   # the page that asked is gone (window closed): nobody to tell
            log.info("background task failed after its window closed: %r", error)
            return
        if on_error:
            on_error(error)
        else:
            log.error("background task failed", exc_info=error if isinstance(error, BaseException) else None)
            from shequ_desktop.ui.errors import report_exception
            report_exception(error)

    @Slot(int, int, int)
    def _on_progress(self, task_id: int, done: int, total: int) -> None:
        cb = self._callbacks.get(task_id, (None, None, None))[2]
        if cb and _alive(cb):
            cb(done, total)

    def run_sync(self, fn: Callable[[], Any]) -> Any:
        """Run on the DB thread and wait (only for start-up and tests, never from a click)."""
        done = threading.Event()
        box: dict[str, Any] = {}

        def job() -> None:
            try:
                box["r"] = fn()
            except BaseException as e:
                box["e"] = e
            finally:
                done.set()

        self._queue.put((0, job, False, True))
        done.wait()
        if "e" in box:
            raise box["e"]
        return box.get("r")

    def shutdown(self, wait_s: float = 5.0) -> None:
        """Stop the DB thread after the queued work (waiting up to ``wait_s``) and the network pool."""
        self._queue.put(None)
        self._thread.join(timeout=wait_s)
        self.network_pool.waitForDone(round(wait_s * 1000))


def _alive(callback: Callable[..., Any]) -> bool:
    """False when ``callback`` belongs to a Qt object already destroyed (a page of a closed window): a
    method of it, or a lambda or closure that uses it (``lambda rows: self._on_page(generation, rows)``).
    Its result arrives after the widgets it would fill are gone; calling it would raise (or crash) there."""
    import shiboken6
    return all(shiboken6.isValid(owner) for owner in _owners(callback, 2))


def _owners(callback: object, depth: int) -> list[QObject]:
    """The Qt objects ``callback`` is bound to or captures: its ``__self__``, the QObjects in its closure
    cells and in a ``functools.partial``'s arguments, and (``depth`` levels down) those of the callables
    it captures (a lambda that calls a captured bound method)."""
    found: list[QObject] = []
    items: list[object] = []
    if isinstance(callback, functools.partial):
        items += [callback.func, *callback.args, *callback.keywords.values()]
    items.append(getattr(callback, "__self__", None))
    function = getattr(callback, "__func__", callback)
    for cell in getattr(function, "__closure__", None) or ():
        try:
            items.append(cell.cell_contents)
        except ValueError:              # a cell not filled yet
            continue
    for item in items:
        if isinstance(item, QObject):
            found.append(item)
        elif depth > 0 and callable(item) and not isinstance(item, type):
            found += _owners(item, depth - 1)
    return found
