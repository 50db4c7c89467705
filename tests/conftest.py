"""Shared fixtures: every test gets its own real SQLite file and a fixed clock; nothing touches real settings."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from shequ_desktop import i18n  # noqa: E402
from shequ_desktop.domain.clock import FixedClock  # noqa: E402
from shequ_desktop.domain.roles import Role  # noqa: E402
from shequ_desktop.persistence.db import open_database  # noqa: E402
from shequ_desktop.services.context import AppContext, CurrentUser  # noqa: E402
from shequ_desktop.services.station import ensure_station  # noqa: E402

# 2026-11-25 10:00 in Shanghai (a Wednesday, a working day).
START = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHEQU_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("SHEQU_LANG", "en")


@pytest.fixture(autouse=True)
def _english_unless_chosen() -> Iterator[None]:
    """Every test starts in English (message ids) and leaves English behind, whatever the one before chose:
    a test that wants Chinese sets it itself (the GUI tests' own fixture does), so no test depends on order."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Before pytest-qt closes and deletes the test's widgets (its own teardown hook runs inside this one):
    deliver the background results the test left pending while the pages they fill still exist."""
    runner = (getattr(item, "funcargs", None) or {}).get("runner")
    if runner is not None and hasattr(runner, "_pending"):
        from tests.qt_tasks import drain
        drain(runner)
    return (yield)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "station.db"


@pytest.fixture
def ctx(db_path: Path, clock: FixedClock):  # noqa: ANN201
    db = open_database(db_path)
    admin = CurrentUser(id="t-admin", login="tadmin", display_name="测试管理员", role=Role.ADMIN)
    context = ensure_station(AppContext(db=db, clock=clock, user=admin))
    yield context
    db.dispose()


def as_role(ctx: AppContext, role: Role, login: str = "tuser") -> AppContext:
    return ctx.as_user(CurrentUser(id=f"t-{login}", login=login, display_name=login, role=role))


@pytest.fixture
def demo_ctx(ctx: AppContext) -> AppContext:
    from shequ_desktop.services import demo
    demo.generate(ctx, households=200)
    return ctx
