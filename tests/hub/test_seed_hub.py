"""The hub's seed: a community's state as a ready-made desktop store (SQLite file of the workstation's
schema revision, records and search index), built with the desktop's own code from the community's
snapshot — on a real PostgreSQL server (and the migration on SQLite too)."""

from __future__ import annotations

import gzip
import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import inspect, select, text

from shequ_desktop.domain.ids import new_id
from shequ_desktop.hub import cli
from shequ_desktop.hub import store as S
from shequ_desktop.hub.schema import entity_state, hub_seed
from shequ_desktop.hub.store import HubStore, Principal
from shequ_desktop.persistence.db import head_revision
from tests.hub.test_bulk_pull import N, _index_is_exact, _seed
from tests.hub.test_snapshot import apply, change, grids, hub_state, records, station

SQLITE_MAGIC = b"SQLite format 3\x00"
HEAD = head_revision()


# -- helpers ----------------------------------------------------------------------------------

def seed_file(body: bytes, path: Path) -> Path:
    path.write_bytes(gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body)
    return path


def tables_with_rows(conn: sqlite3.Connection) -> dict[str, int]:
    out = {}
    for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        n = conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        if n:
            out[t] = n
    return out


def seed_records(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """(entity, id) → the row of every synced table of the seed file."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        out = {}
        for entity in S.ENTITY_FIELDS:
            for r in conn.execute(f'SELECT * FROM "{entity}"'):
                out[(entity, r["id"])] = dict(r)
        return out
    finally:
        conn.close()


def counting_builds(monkeypatch: pytest.MonkeyPatch, delay: float = 0.0) -> list[int]:
    """Count (and optionally slow down) seed builds; returns the list of the built snapshots' cursors."""
    real = S.build_seed_from_snapshot
    builds: list[int] = []

    def build(snap: S.Snapshot, workdir: Path | None = None) -> S.Seed:
        builds.append(snap.cursor)
        time.sleep(delay)
        return real(snap, workdir)

    monkeypatch.setattr(S, "build_seed_from_snapshot", build)
    return builds


# -- content ----------------------------------------------------------------------------------

def test_seed_is_the_communitys_state_with_its_search_index(hub, community_id, tmp_path):
    store: HubStore = hub.store
    people = _seed(store, community_id)                               # N residents
    gids = grids(store, community_id, 3)
    with store.engine.connect() as conn:
        rid = conn.execute(select(entity_state.c.entity_id).where(entity_state.c.entity == "resident",
                                                                  entity_state.c.community_id == community_id)
                           .limit(1)).scalar_one()
    apply(store, community_id, [change(community_id, "resident", rid, {"deleted_at": "2026-11-26T00:00:00+00:00"},
                                       op="delete", base=1),
                                change(community_id, "grid", gids[0], {"name": "改过"}, op="update", base=1)])
    _seed(store, new_id())                                            # another community: not in it
    who = station(community_id)

    seed = store.seed(who, HEAD)
    snap = store.snapshot(who)
    assert seed.revision == HEAD
    assert (seed.cursor, seed.rows, seed.created_at) == (snap.cursor, snap.rows, snap.created_at)
    assert seed.cursor == store.head(community_id) and seed.rows == N + 3
    assert seed.created_at.tzinfo is not None
    path = seed_file(seed.body, tmp_path / "seed.db")
    assert path.read_bytes()[:16] == SQLITE_MAGIC

    # exactly the records of the hub's state (and of the snapshot), the same versions and values
    state = hub_state(store, community_id)
    got = seed_records(path)
    assert set(got) == set(state) == set(records(snap.body))
    for key, row in got.items():
        want = state[key]
        assert row["version"] == want["version"] and row["updated_by"] == want["updated_by"]
        assert row["community_id"] == community_id
    for key, row in got.items():
        if key[0] == "resident":
            want = state[key]
            assert (row["name"], row["id_number"], row["phone"], row["address"]) == \
                   (want["name"], want["id_number"], want["phone"], want["address"])
            assert (row["deleted_at"] is None) == (want["deleted_at"] is None)
    assert got[("resident", rid)]["deleted_at"] is not None and got[("resident", rid)]["version"] == 2
    assert got[("grid", gids[0])]["name"] == "改过"
    assert {r["name"] for (e, _i), r in got.items() if e == "resident"} == {name for name, _ in people}

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # the search tables are consistent and cover exactly the live residents
        conn.execute("INSERT INTO resident_fts(resident_fts) VALUES('integrity-check')")
        conn.execute("INSERT INTO resident_fts_name(resident_fts_name) VALUES('integrity-check')")
        live = conn.execute("SELECT count(*) FROM resident WHERE deleted_at IS NULL").fetchone()[0]
        assert live == N - 1
        assert conn.execute("SELECT count(*) FROM resident_fts_key").fetchone()[0] == live
        # nothing of a workstation's own: no users, credentials, settings, journal or audit rows
        assert conn.execute("SELECT count(*) FROM app_user").fetchone()[0] == 0
        filled = tables_with_rows(conn)
        assert {t for t in filled if not t.startswith("resident_fts")} == {"alembic_version", "resident", "grid"}
    finally:
        conn.close()
    _index_is_exact(path)                                             # and exact, row by row


def test_a_seed_opens_as_a_desktop_store(hub, community_id, tmp_path):
    """The desktop opens the file as it is: the right revision (no migration), the index in place."""
    from shequ_desktop.persistence.db import open_database
    store: HubStore = hub.store
    gids = grids(store, community_id, 2)
    seed = store.seed(station(community_id), HEAD)
    path = seed_file(seed.body, tmp_path / "opened.db")
    db = open_database(path, migrate=False)
    try:
        assert db.migrated_from is None and db.backup_path is None
        with db.engine.connect() as conn:
            assert sorted(conn.exec_driver_sql("SELECT id FROM grid").scalars()) == gids
    finally:
        db.dispose()


# -- the stored seed --------------------------------------------------------------------------

def test_stored_seed_is_reused_while_it_lags_little(hub, community_id, monkeypatch):
    store: HubStore = hub.store
    builds = counting_builds(monkeypatch)
    who = station(community_id)
    ids = grids(store, community_id, 4)
    first = store.seed(who, HEAD)
    assert (first.cursor, first.rows) == (4, 4) and builds == [4]
    assert store.seed(who, HEAD) == first and builds == [4]           # served from the table

    apply(store, community_id, [change(community_id, "grid", g, {"name": "改"}, op="update", base=1) for g in ids]
          + [change(community_id, "grid", new_id(), {"code": "X", "name": "x"})])
    assert store.seed(who, HEAD, max_lag=5) == first and builds == [4]  # 5 behind: still served
    apply(store, community_id, [change(community_id, "grid", ids[0], {"name": "再改"}, op="update", base=2)])
    fresh = store.seed(who, HEAD, max_lag=5)                           # 6 behind: rebuilt and stored
    assert (fresh.cursor, fresh.rows) == (10, 5) and builds == [4, 10]
    assert fresh.created_at > first.created_at
    assert store.seed(who, HEAD, max_lag=5) == fresh and builds == [4, 10]
    with store.engine.connect() as conn:
        assert conn.execute(select(hub_seed.c.community_id, hub_seed.c.revision, hub_seed.c.cursor,
                                   hub_seed.c.rows)).all() == [(community_id, HEAD, 10, 5)]
    # the seed comes from the same snapshot a station would load: it agrees with it
    snap = store.snapshot(who)
    assert (snap.cursor, snap.created_at) == (fresh.cursor, fresh.created_at)

    # build_seed always builds (the CLI) — from the stored snapshot while it lags little; seeds of
    # other schema revisions (left from before an upgrade of the hub) go
    with store.engine.begin() as conn:
        conn.execute(hub_seed.insert().values(community_id=community_id, revision="0001", cursor=99, rows=1,
                                              created_at=S._now(), body=b"old"))
    apply(store, community_id, [change(community_id, "grid", ids[1], {"name": "三改"}, op="update", base=2)])
    built = store.build_seed(community_id)
    assert builds == [4, 10, 10] and built.cursor == snap.cursor and built.created_at == snap.created_at
    assert store.seed(who, HEAD) == built
    with store.engine.connect() as conn:
        assert conn.execute(select(hub_seed.c.revision)).scalars().all() == [HEAD]

    # a seed stored meanwhile by another hub process from a newer state is never replaced by an older one
    newer = store.build_snapshot(community_id)
    newest = store.build_seed(community_id)
    assert newest.cursor == newer.cursor == 11
    older = S.Snapshot(4, 0, first.created_at, _empty_snapshot_body(community_id))
    assert store._build_and_store_seed(community_id, older).cursor == 4
    assert store.seed(who, HEAD) == newest


def _empty_snapshot_body(community_id: str) -> bytes:
    from shequ_desktop.sync import protocol as P
    return gzip.compress(P.dumps({"snapshot": 1, "community_id": community_id, "cursor": 4, "rows": 0,
                                  "created_at": "2026-11-25T02:00:00+00:00"}) + b"\n"
                         + P.dumps({"end": True, "rows": 0}) + b"\n")


def test_a_seed_is_built_from_a_snapshot_that_lags_little(hub, community_id):
    """A stored snapshot still served (it lags ≤ max_lag) is the seed's state: both agree on the cursor."""
    store: HubStore = hub.store
    who = station(community_id)
    grids(store, community_id, 3)
    snap = store.snapshot(who)
    grids(store, community_id, 2)
    seed = store.seed(who, HEAD, max_lag=2)
    assert (seed.cursor, seed.rows, seed.created_at) == (snap.cursor, 3, snap.created_at)
    assert store.head(community_id) == 5


def test_one_seed_build_at_a_time_per_community(hub, community_id, monkeypatch):
    store: HubStore = hub.store
    grids(store, community_id, 3)
    builds = counting_builds(monkeypatch, delay=0.3)
    got: list[S.Seed] = []
    threads = [threading.Thread(target=lambda: got.append(store.seed(station(community_id), HEAD)))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert builds == [3] and len(got) == 3 and all(s == got[0] for s in got)


def test_wrong_revision_other_credentials_and_unstorable_records(hub, community_id, monkeypatch):
    store: HubStore = hub.store
    grids(store, community_id, 2)
    with pytest.raises(S.SeedUnavailable) as e:
        store.seed(station(community_id), "0004")
    assert e.value.hub_revision == HEAD and "0004" in str(e.value)
    with pytest.raises(S.Forbidden):
        store.seed(Principal(new_id(), "平台", "platform", None), HEAD)

    # records the desktop code does not know (left by another version): no faithful seed, said at once
    # the next time (no rebuild of the same snapshot)
    with store.engine.begin() as conn:
        conn.execute(entity_state.insert().values(
            entity="aaa_legacy", entity_id=new_id(), community_id=community_id, version=1, doc={"x": 1},
            field_meta={}, created_at=S._now(), updated_at=S._now(), updated_by="old"))
    store.build_snapshot(community_id)
    builds = counting_builds(monkeypatch)
    for _ in range(2):
        with pytest.raises(S.SeedUnavailable, match="cannot store 1 of"):
            store.seed(station(community_id), HEAD)
    assert len(builds) == 1
    with store.engine.connect() as conn:
        assert conn.execute(select(hub_seed)).all() == []


# -- HTTP -------------------------------------------------------------------------------------

def test_http(hub, community_id):
    store: HubStore = hub.store
    grids(store, community_id, 3)
    token = store.add_station("站A", community_id).token
    url = f"{hub.url}/api/v1/sync/seed"
    platform = store.add_station("平台", None, kind="platform").token
    r = httpx.get(url, params={"revision": HEAD}, headers={"Authorization": f"Bearer {platform}"})
    assert r.status_code == 403 and "station" in r.json()["error"]
    sid = token.split(":")[0]
    for auth in ({"Authorization": f"Bearer {sid}:wrong"}, {"Authorization": "Bearer nonsense"}, {}):
        r = httpx.get(url, params={"revision": HEAD}, headers=auth)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"

    h = {"Authorization": f"Bearer {token}"}
    for bad in ({}, {"revision": ""}, {"revision": "x" * 33}, {"revision": "00-5"}, {"revision": "0005;"},
                {"revision": "版本"}):
        r = httpx.get(url, params=bad, headers=h)
        assert r.status_code == 422 and "revision" in r.json()["error"], bad
    r = httpx.get(url, params={"revision": "0004"}, headers=h)
    assert r.status_code == 409 and r.json()["hub_revision"] == HEAD and "0004" in r.json()["error"]
    r = httpx.get(url, params={"revision": "x" * 32}, headers=h)
    assert r.status_code == 409 and r.json()["hub_revision"] == HEAD

    r = httpx.get(url, params={"revision": HEAD}, headers={**h, "Accept-Encoding": "identity"})
    assert r.status_code == 200 and "content-encoding" not in r.headers
    assert r.headers["content-type"] == "application/vnd.sqlite3"
    assert r.content[:16] == SQLITE_MAGIC and int(r.headers["content-length"]) == len(r.content)
    stored = store.seed(station(community_id), HEAD)
    assert r.content == gzip.decompress(stored.body)
    assert (r.headers["x-seed-cursor"], r.headers["x-seed-rows"], r.headers["x-seed-revision"]) == \
           (str(stored.cursor), "3", HEAD)
    assert r.headers["x-seed-created"] == stored.created_at.isoformat()
    assert r.headers["cache-control"] == "no-store" and r.headers["vary"] == "Accept-Encoding"
    with httpx.stream("GET", url, params={"revision": HEAD}, headers={**h, "Accept-Encoding": "gzip"}) as resp:
        raw = b"".join(resp.iter_raw())
        assert resp.status_code == 200 and resp.headers["content-encoding"] == "gzip"
        assert int(resp.headers["content-length"]) == len(raw)
    assert raw == stored.body
    r = httpx.get(url, params={"revision": HEAD}, headers={**h, "Accept-Encoding": "br, gzip;q=0"})
    assert "content-encoding" not in r.headers and r.content == gzip.decompress(stored.body)


def test_openapi_lists_the_seed(hub):
    doc = httpx.get(f"{hub.url}/openapi.json").json()
    op = doc["paths"]["/api/v1/sync/seed"]["get"]
    assert {"200", "401", "403", "409", "422"} <= set(op["responses"])
    assert op["parameters"][0]["name"] == "revision" and op["parameters"][0]["required"] is True
    assert "/api/v1/sync/seed" in httpx.get(f"{hub.url}/docs").text


# -- command line and migrations ---------------------------------------------------------------

def test_cli_builds_the_snapshot_and_the_seed(hub_db_url, community_id, capsys):
    store = HubStore(hub_db_url)
    try:
        grids(store, community_id, 4)
        assert cli.main(["snapshot", "--database-url", hub_db_url, "--community", community_id, "--no-seed"]) == 0
        out = capsys.readouterr().out.splitlines()
        assert len(out) == 1 and out[0].startswith(f"snapshot of community {community_id}: 4 records up to change 4,")
        with store.engine.connect() as conn:
            assert conn.execute(select(hub_seed)).all() == []

        assert cli.main(["snapshot", "--database-url", hub_db_url, "--community", community_id]) == 0
        first, second = capsys.readouterr().out.splitlines()
        assert re.fullmatch(rf"snapshot of community {community_id}: 4 records up to change 4, "
                            r"[\d.]+ kB, built in [\d.]+ s", first)
        assert re.fullmatch(rf"seed for schema {HEAD}: 4 records, [\d.]+ kB, built in [\d.]+ s", second)
        with store.engine.connect() as conn:
            row = conn.execute(select(hub_seed).where(hub_seed.c.community_id == community_id)).one()
        assert (row.revision, row.cursor, row.rows) == (HEAD, 4, 4)
        assert gzip.decompress(row.body)[:16] == SQLITE_MAGIC
    finally:
        store.dispose()


def _check_schema(store: HubStore) -> None:
    insp = inspect(store.engine)
    assert {c["name"] for c in insp.get_columns("hub_seed")} == {"community_id", "revision", "cursor", "rows",
                                                                   "created_at", "body"}
    assert insp.get_pk_constraint("hub_seed")["constrained_columns"] == ["community_id", "revision"]


def _up_down(store: HubStore) -> None:
    from alembic import command
    cfg = S.hub_alembic_config()
    with store.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "h0002")
        conn.commit()
        tables = inspect(conn).get_table_names()
        assert "hub_seed" not in tables and "hub_snapshot" in tables
    store.migrate()
    _check_schema(store)


def test_migration_and_a_seed_on_a_sqlite_hub(tmp_path, community_id):
    store = HubStore(f"sqlite:///{tmp_path / 'hub.db'}")
    try:
        store.migrate()
        store.migrate()                                       # idempotent
        _check_schema(store)
        _up_down(store)
        ids = grids(store, community_id, 3)
        seed = store.seed(station(community_id), HEAD)
        assert seed.created_at.tzinfo is not None and (seed.cursor, seed.rows) == (3, 3)
        assert store.seed(station(community_id), HEAD) == seed   # stored and read back (naive → UTC)
        assert sorted(i for _e, i in seed_records(seed_file(seed.body, tmp_path / "s.db"))) == ids
    finally:
        store.dispose()


def test_migration_on_postgresql(pg_server):
    from alembic import command
    name = "hub_" + new_id().replace("-", "")[:12]
    pg_server.admin(f"CREATE DATABASE {name}")
    store = HubStore(pg_server.url(name))
    try:
        cfg = S.hub_alembic_config()
        with store.engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "h0002")
            conn.commit()
            assert "hub_seed" not in inspect(conn).get_table_names()
        store.migrate()
        _check_schema(store)
        _up_down(store)
        with store.engine.connect() as conn:
            from alembic.script import ScriptDirectory
            head = ScriptDirectory.from_config(cfg).get_current_head()
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    finally:
        store.dispose()
        pg_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_serve_keeps_the_first_sync_seeds_ready(hub, community_id, monkeypatch):
    """refresh_first_sync (run by ``shequ-hub serve --refresh-minutes``) builds ahead what a new
    workstation would otherwise wait for, and only what is missing or lags."""
    store: HubStore = hub.store
    builds = counting_builds(monkeypatch)
    ids = grids(store, community_id, 4)
    assert store.refresh_first_sync(min_changes=10) == [] and builds == []     # too small to matter: skipped
    other = new_id()
    grids(store, other, 2)
    store.add_station("只有平台", None, kind="platform")
    store.add_station("工作站", community_id)
    assert store.refresh_first_sync(min_changes=1) == [community_id] and builds == [4]  # no station of `other`
    assert store.refresh_first_sync(min_changes=1) == [] and builds == [4]              # ready: nothing to do
    apply(store, community_id, [change(community_id, "grid", g, {"name": "改"}, op="update", base=1) for g in ids])
    assert store.refresh_first_sync(min_changes=1, lag=10) == [] and builds == [4]      # lags little
    head = store.head(community_id)          # sequence numbers are global: the other community's count too
    assert store.refresh_first_sync(min_changes=1, lag=3) == [community_id] and builds == [4, head]
    assert store.seed(station(community_id), HEAD, max_lag=3).cursor == head and builds == [4, head]
