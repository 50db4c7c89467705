"""TaskRunner: a result that arrives after its page was deleted (window closed, test torn down) is dropped,
whether the callback is the page's method or a lambda/closure/partial that uses the page or a child of it."""

from __future__ import annotations

import functools
import threading

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget


def _set_name(widget: QWidget, value: object) -> None:
    widget.setObjectName(str(value))


class _Page(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.got: list[object] = []

    def on_done(self, value: object) -> None:
        self.got.append(value)


def test_results_for_a_deleted_page_are_dropped_and_live_pages_get_theirs(qtbot, runner) -> None:  # noqa: ANN001
    gate = threading.Event()
    gone, live = _Page(), _Page()
    qtbot.addWidget(live)
    child = QObject(gone)
    calls: list[str] = []
    runner.submit(lambda: gate.wait(30), lambda _r: calls.append("gate"))
    # the shapes callbacks take in the pages (model.py: ``lambda page: self._on_page(generation, page)``)
    runner.submit(lambda: 1, gone.on_done)
    runner.submit(lambda: 2, lambda r: (calls.append("lambda"), gone.on_done(r)))
    runner.submit(lambda: 3, lambda r: (calls.append("child"), child.setObjectName(str(r))))
    runner.submit(lambda: 4, functools.partial(_set_name, gone))
    runner.submit(lambda: 5, lambda r: (calls.append("bound"), _deliver(gone.on_done, r)))
    runner.submit(lambda: 1 / 0, None, lambda e: (calls.append("error"), gone.on_done(e)))
    runner.submit(lambda: 6, lambda r: live.on_done(r))
    runner.submit(lambda: 7, functools.partial(_set_name, live))
    shiboken6.delete(gone)                    # the window closed while the work was queued
    assert not shiboken6.isValid(child)
    gate.set()
    qtbot.waitUntil(lambda: runner._pending == 0, timeout=30_000)
    assert calls == ["gate"]                  # nothing ran against the deleted page (it used to raise there)
    assert live.got == [6] and live.objectName() == "7"


def _deliver(callback: object, value: object) -> None:
    callback(value)  # type: ignore[operator]
