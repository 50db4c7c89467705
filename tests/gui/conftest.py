"""GUI test fixtures: offscreen Qt, a real demo database per test, a small zh_CN test catalog."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt creates the QApplication

import datetime as dt  # noqa: E402
import sys  # noqa: E402
from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402
from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from shequ_desktop import i18n  # noqa: E402
from shequ_desktop.domain.clock import SHANGHAI, FixedClock  # noqa: E402
from shequ_desktop.persistence.db import backup_sqlite, open_database  # noqa: E402
from shequ_desktop.services import auth, demo  # noqa: E402
from shequ_desktop.services.context import AppContext  # noqa: E402
from shequ_desktop.services.station import ensure_station  # noqa: E402
from shequ_desktop.ui import qt_i18n  # noqa: E402
from shequ_desktop.ui.tasks import TaskRunner  # noqa: E402
from tests.qt_tasks import runner_fixture  # noqa: E402

START = dt.datetime(2026, 11, 25, 10, 0, tzinfo=SHANGHAI)  # a Wednesday, a working day
# A few entries so a language switch is visible without depending on the real catalog.
TEST_CATALOG = {"Residents": "居民信息", "Window clerk": "窗口社工", "Station chief": "站长", "One-window service": "一窗受理", "Add": "新增", "Log in": "登录", "Offline": "离线",
                "Wrong login or password.": "账号或密码错误。"}


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """open_database + ensure_station + demo.generate(300 households), built once and copied per test."""
    path = tmp_path_factory.mktemp("template") / "demo.db"
    db = open_database(path)
    # Without the demo counter cases: the counter tests count the cases they make themselves.
    demo.generate(ensure_station(AppContext(db=db, clock=FixedClock(START))), households=300, counter_cases=False)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def test_locale_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("locale")
    catalog = Catalog(locale="zh_CN")
    for msgid, msgstr in TEST_CATALOG.items():
        catalog.add(msgid, msgstr)
    target = root / "zh_CN" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with open(target / "messages.mo", "wb") as f:
        write_mo(f, catalog)
    return root


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, test_locale_dir: Path,
                         qapp: Any) -> Iterator[None]:
    """No real settings, data folder or catalog; every test starts in (test-catalog) Chinese."""
    monkeypatch.setenv("SHEQU_DATA_DIR", str(tmp_path / "data"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setattr(i18n, "locale_dir", lambda: test_locale_dir)
    qt_i18n.apply_language("zh_CN")
    yield
    qt_i18n.apply_language("zh_CN")


@pytest.fixture
def reported(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Errors the UI would have shown in a message box (so a test can assert there were none)."""
    errors: list[object] = []
    for name, module in list(sys.modules.items()):
        if name.startswith("shequ_desktop.ui") and hasattr(module, "report_exception"):
            monkeypatch.setattr(module, "report_exception", lambda e, *_a, **_k: errors.append(e))
    return errors


@pytest.fixture
def ctx(template_db: Path, tmp_path: Path) -> Iterator[AppContext]:
    target = backup_sqlite(template_db, tmp_path / "shequ.db")
    db = open_database(target)
    yield ensure_station(AppContext(db=db, clock=FixedClock(START)))
    db.dispose()


@pytest.fixture
def runner(qtbot: Any) -> Iterator[TaskRunner]:
    """Drained before the widgets close (tests/conftest.py), drained again and stopped here (tests/qt_tasks.py)."""
    yield from runner_fixture()


def login_as(ctx: AppContext, login: str) -> AppContext:
    return ctx.as_user(auth.login(ctx, login, demo.DEMO_PASSWORD))


@pytest.fixture
def chief_ctx(ctx: AppContext) -> AppContext:
    return login_as(ctx, "chief")


@pytest.fixture
def clerk_ctx(ctx: AppContext) -> AppContext:
    return login_as(ctx, "clerk1")
