"""The background-task runner in tests: its results are delivered while the widgets they fill still exist.

pytest-qt closes and deletes the widgets a test registered *before* the fixtures are torn down, so a
result the test left pending (a page still loading, a search the last click started) used to arrive on
deleted widgets in the ``runner`` fixture's teardown: a teardown error under load, never when idle.
``tests/conftest.py`` therefore drains the runner before the widgets are closed, and ``runner_fixture``
drains it again (for work the closing itself started) and always stops its thread.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

DRAIN_S = 120.0          # generous: a loaded 2-core CI machine runs a page's queries many times slower


def drain(runner: Any, timeout_s: float = DRAIN_S) -> bool:
    """Process Qt events until ``runner`` has no task pending (or ``timeout_s`` passed); True when drained."""
    from PySide6.QtTest import QTest
    deadline = time.monotonic() + timeout_s
    while runner._pending and time.monotonic() < deadline:
        QTest.qWait(5)
    return runner._pending == 0


def runner_fixture() -> Iterator[Any]:
    """Body of every ``runner`` fixture: a TaskRunner, drained and stopped afterwards even if draining fails."""
    from shequ_desktop.ui.tasks import TaskRunner
    task_runner = TaskRunner()
    try:
        yield task_runner
        assert drain(task_runner), f"{task_runner._pending} background task(s) still pending after {DRAIN_S} s"
    finally:
        task_runner.shutdown(wait_s=DRAIN_S)
