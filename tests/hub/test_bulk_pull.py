"""The bulk initial pull: batched transactions, search index built at the end, resumable."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import func, select

from shequ_desktop.domain.idnumber import make_id_number
from shequ_desktop.domain.ids import new_id
from shequ_desktop.persistence import search_index
from shequ_desktop.persistence.db import open_database
from shequ_desktop.persistence.models import Resident
from shequ_desktop.services import residents, sync
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.station import ensure_station
from shequ_desktop.sync import engine
from tests.hub.conftest import make_station

N = 3000
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "伟芳娜秀英敏静丽强磊"


def _seed(store, community: str) -> list[tuple[str, str]]:
    """N residents accepted by the hub (as another station pushed them); returns (name, id number)."""
    changes, people = [], []
    for i in range(N):
        rid = new_id()
        birth = dt.date(1940 + i % 70, 1 + i % 12, 1 + i % 28)
        name = SURNAMES[i % 10] + GIVEN[(i // 10) % 10] + ("" if i % 3 == 0 else GIVEN[(i // 100) % 10])
        idn = make_id_number("110105", birth, i % 999)
        people.append((name, idn))
        fields = {"id": rid, "community_id": community, "household_id": None, "grid_id": None, "name": name,
                  "id_number": idn, "id_number_original": "", "id_kind": "citizen",
                  "birth_date": birth.isoformat(), "sex": "MF"[i % 2], "phone": f"138{i:08d}",
                  "address": f"幸福里小区{i % 40 + 1}栋", "relation": "户主", "moved_in": None, "note": "",
                  "deleted_at": None}
        changes.append({"change_id": new_id(), "entity": "resident", "entity_id": rid, "community_id": community,
                        "op": "insert", "fields": fields, "base_version": 0, "new_version": 1,
                        "station_id": "seed", "user_login": "seed", "at": "2026-11-25T02:00:00+00:00"})
    with store.engine.begin() as conn:
        store._apply(conn, "seed-station", community, changes)
    return people


def _index_is_exact(path) -> None:
    conn = sqlite3.connect(path)
    try:
        live = dict(conn.execute("SELECT id, name FROM resident WHERE deleted_at IS NULL"))
        keys = dict(conn.execute("SELECT resident_id, fts_rowid FROM resident_fts_key"))
        fts = dict(conn.execute("SELECT rowid, resident_id FROM resident_fts"))
        assert set(keys) == set(live) and sorted(fts.values()) == sorted(live)
        assert all(fts[rowid] == rid for rid, rowid in keys.items())
        names = dict(conn.execute("SELECT rowid, grams FROM resident_fts_name"))
        assert names == {keys[rid]: search_index.name_doc(name) for rid, name in live.items()}
    finally:
        conn.close()


RESIDENT_INDEXES = {"ix_resident_community_id", "ix_resident_grid_id", "ix_resident_household_id",
                    "ix_resident_id_number", "ix_resident_name"}


def _resident_indexes(path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                                           "tbl_name = 'resident' AND sql IS NOT NULL")}
    finally:
        conn.close()


def _flag(ctx: AppContext) -> str | None:
    with ctx.db.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT value FROM setting WHERE key = ?", (search_index.REBUILD_FLAG,)).scalar()


def _complete(ctx: AppContext, people: list[tuple[str, str]]) -> None:
    with ctx.transaction() as s:
        assert s.execute(select(func.count()).select_from(Resident)).scalar_one() == N
    _index_is_exact(ctx.db.path)
    assert _flag(ctx) is None
    assert _resident_indexes(ctx.db.path) == RESIDENT_INDEXES      # dropped for the bulk load, recreated
    with ctx.db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT value FROM setting WHERE key = ?",
                                    (search_index.DROPPED_INDEXES,)).scalar() is None
    two = next(name for name, _ in people if len(name) == 2)
    found = residents.search(ctx, two, limit=500)
    assert found and all(two in r.name for r in found)
    assert len(found) == sum(1 for name, _ in people if two in name)
    name, idn = people[1234]
    assert name in [r.name for r in residents.search(ctx, idn[-8:], limit=500)]


@pytest.fixture
def hub_people(hub, community_id):
    return _seed(hub.store, community_id)


def test_bulk_pull_interrupted_by_an_error_keeps_a_searchable_store_then_resumes(
        hub, hub_people, tmp_path, clock, community_id, monkeypatch):
    monkeypatch.setenv("SHEQU_CREDENTIAL_STORE", "file")
    monkeypatch.setattr(engine, "BULK_ROWS_PER_TXN", 1000)
    ctx = make_station(tmp_path, "fresh", community_id, clock)
    sync.configure(ctx, hub.url, hub.store.add_station("新站", community_id).token)
    commits = []

    def cable_pulled(cursor: int) -> None:
        commits.append(cursor)
        if len(commits) == 2:
            raise RuntimeError("cable pulled")

    with sync.make_client(ctx) as client, pytest.raises(RuntimeError):
        engine.pull(ctx.db, client, clock, page_size=1000, rows_per_txn=1000, after_commit=cable_pulled)
    with ctx.transaction() as s:   # two whole transactions, nothing of the third
        assert s.execute(select(func.count()).select_from(Resident)).scalar_one() == 2000
    _index_is_exact(ctx.db.path)   # what was committed is searchable already
    assert _flag(ctx) is None
    assert _resident_indexes(ctx.db.path) == RESIDENT_INDEXES
    with sync.make_client(ctx) as client:
        rep = engine.pull(ctx.db, client, clock, page_size=1000, rows_per_txn=1000)
    assert rep.items == N - 2000
    _complete(ctx, hub_people)
    ctx.db.dispose()


def test_bulk_pull_killed_before_the_index_is_built_rebuilds_on_next_start(
        hub, hub_people, tmp_path, clock, community_id, monkeypatch):
    monkeypatch.setenv("SHEQU_CREDENTIAL_STORE", "file")
    monkeypatch.setattr(engine, "BULK_ROWS_PER_TXN", 1000)
    ctx = make_station(tmp_path, "fresh", community_id, clock)
    sync.configure(ctx, hub.url, hub.store.add_station("新站", community_id).token)

    class Killed(BaseException):
        """The process dies (no exception handler runs)."""

    def killed(cursor: int) -> None:
        raise Killed()

    with sync.make_client(ctx) as client, pytest.raises(Killed):
        engine.pull(ctx.db, client, clock, page_size=1000, rows_per_txn=1000, after_commit=killed)
    assert _flag(ctx) == "1"                      # rows committed, index not built yet
    assert _resident_indexes(ctx.db.path) == set()  # secondary indexes dropped for the load
    path = ctx.db.path
    ctx.db.dispose()
    db = open_database(path)                      # the next start notices and rebuilds
    ctx = ensure_station(AppContext(db=db, clock=clock, user=ctx.user))
    assert _flag(ctx) is None
    _index_is_exact(path)
    with ctx.transaction() as s:
        assert s.execute(select(func.count()).select_from(Resident)).scalar_one() == 1000
    ok = sync.sync_now(ctx)                       # the pull resumes at the saved cursor
    assert ok.ok, ok.problem
    _complete(ctx, hub_people)
    db.dispose()
