"""A real PostgreSQL server and a real hub over HTTP for the sync tests.

- One throwaway cluster per test session in a temporary folder, on a free loopback port
  (initdb and the server run as the ``postgres`` user when the tests run as root, as in CI); it never
  outlives the run, and a killed earlier run's server is stopped first (pg_cluster.py).
- One hub database per test (CREATE DATABASE from the migrated template is fast), served by uvicorn
  in a thread on 127.0.0.1:<free port>.
"""

from __future__ import annotations

import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.db import open_database
from shequ_desktop.services.context import AppContext, CurrentUser, put_setting
from shequ_desktop.services.station import ensure_station

if str(Path(__file__).resolve().parent) not in sys.path:   # imported as tests.hub.conftest (tests/gui)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
from pg_cluster import INITDBS, free_port, start_cluster, stop_on_signals, sweep_leftovers  # noqa: E402


@dataclass
class PgServer:
    port: int
    sockdir: str

    def url(self, db: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{db}"

    def admin(self, sql: str) -> None:
        import psycopg
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(sql)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's cluster (tests/hub/pg_cluster.py): leftovers of killed runs are stopped first; the
    server dies with this process however it ends (exit, Ctrl-C, SIGTERM/SIGHUP, even SIGKILL)."""
    if not INITDBS:
        pytest.skip("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); .ci/run installs it")
    sweep_leftovers()
    cluster = start_cluster()
    undo_signals = stop_on_signals(cluster.stop)
    try:
        server = PgServer(cluster.port, cluster.sockdir)
        # A migrated template: each test's database is a cheap copy of it.
        server.admin("CREATE DATABASE hub_template")
        from shequ_desktop.hub.store import HubStore
        store = HubStore(server.url("hub_template"))
        store.migrate()
        store.dispose()
        yield server
    finally:
        undo_signals()
        cluster.stop()


class HubServer:
    """uvicorn serving the hub app in a thread on 127.0.0.1:<port>."""

    def __init__(self, store) -> None:  # noqa: ANN001
        import uvicorn

        from shequ_desktop.hub.app import create_app
        self.store = store
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(create_app(store), host="127.0.0.1", port=self.port, log_level="warning",
                                lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> HubServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("hub did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def hub_db_url(pg_server: PgServer) -> Iterator[str]:
    name = "hub_" + uuid.uuid4().hex[:12]
    pg_server.admin(f"CREATE DATABASE {name} TEMPLATE hub_template")
    yield pg_server.url(name)
    pg_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def hub(hub_db_url: str) -> Iterator[HubServer]:
    from shequ_desktop.hub.store import HubStore
    store = HubStore(hub_db_url)
    server = HubServer(store).start()
    yield server
    server.stop()
    store.dispose()


@pytest.fixture
def community_id() -> str:
    from shequ_desktop.domain.ids import new_id
    return new_id()


def make_station(tmp_path: Path, name: str, community: str, clock, login: str = "tadmin",  # noqa: ANN001
                 role: Role = Role.ADMIN) -> AppContext:
    db = open_database(tmp_path / f"{name}.db")
    user = CurrentUser(id=f"u-{login}", login=login, display_name=login, role=role)
    ctx = AppContext(db=db, clock=clock, user=user)
    with ctx.transaction() as s:
        put_setting(s, "community_id", community)
    return ensure_station(ctx)


@pytest.fixture
def stations(tmp_path: Path, clock, community_id: str, hub: HubServer,  # noqa: ANN001
             monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[AppContext, AppContext]]:
    """Two desktop stores of one community, both connected to the hub (credentials in private files)."""
    from shequ_desktop.services import sync
    monkeypatch.setenv("SHEQU_CREDENTIAL_STORE", "file")
    a = make_station(tmp_path, "a", community_id, clock, login="a_admin")
    b = make_station(tmp_path, "b", community_id, clock, login="b_admin")
    for ctx, name in ((a, "站A"), (b, "站B")):
        cred = hub.store.add_station(name, community_id)
        sync.configure(ctx, hub.url, cred.token)
    yield a, b
    a.db.dispose()
    b.db.dispose()
