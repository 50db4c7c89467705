"""The hub's bootstrap snapshot: a community's whole state in one gzip NDJSON document, on a real
PostgreSQL server (and the migration on a fresh SQLite file)."""

from __future__ import annotations

import datetime as dt
import gzip
import threading
import time
from typing import Any

import httpx
import pytest
from sqlalchemy import inspect, select, text

from shequ_desktop.domain.idnumber import make_id_number
from shequ_desktop.domain.ids import new_id
from shequ_desktop.hub import cli
from shequ_desktop.hub import store as S
from shequ_desktop.hub.schema import change_log, entity_state, hub_snapshot
from shequ_desktop.hub.store import HubStore, Principal
from shequ_desktop.services import residents, sync
from shequ_desktop.services.residents import ResidentInput
from shequ_desktop.sync import protocol as P
from tests.hub.test_sync import add_grid, edit_grid, ok

AT = "2026-11-25T02:00:00+00:00"


# -- helpers ----------------------------------------------------------------------------------

def parse(body: bytes) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """(header, chunks, end line) of a snapshot body (gzip or plain); checks the line framing."""
    if body[:2] == b"\x1f\x8b":
        body = gzip.decompress(body)
    assert body.endswith(b"\n")
    lines = [P.loads(line) for line in body[:-1].split(b"\n")]
    return lines[0], lines[1:-1], lines[-1]


def records(body: bytes) -> dict[tuple[str, str], dict[str, Any]]:
    """(entity, id) → {column: value} of every row of the snapshot."""
    _h, chunks, _e = parse(body)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for ch in chunks:
        for row in ch["rows"]:
            assert len(row) == len(ch["cols"])
            key = (ch["entity"], row[0])
            assert key not in out
            out[key] = dict(zip(ch["cols"], row))
    return out


def station(community: str) -> Principal:
    return Principal(new_id(), "站", "station", community)


def change(community: str, entity: str, eid: str, fields: dict[str, Any], *, op: str = "insert",
           base: int = 0, at: str = AT) -> dict[str, Any]:
    if op == "insert":
        fields = {"id": eid, "community_id": community, **fields}
    return {"change_id": new_id(), "entity": entity, "entity_id": eid, "community_id": community, "op": op,
            "fields": fields, "base_version": base, "new_version": base + 1, "station_id": "s",
            "user_login": "tester", "at": at}


def apply(store: HubStore, community: str, changes: list[dict[str, Any]], actor: str = "st-1") -> list[Any]:
    """Straight through the hub's merge (as a push does, without HTTP)."""
    with store.engine.begin() as conn:
        res = store._apply(conn, actor, community, changes)
    assert all(r["status"] == "accepted" for r in res), res
    return res


def grids(store: HubStore, community: str, n: int, **extra: Any) -> list[str]:
    ids = sorted(new_id() for _ in range(n))
    apply(store, community, [change(community, "grid", g, {"code": f"G{i}", "name": f"网格{i}", **extra})
                             for i, g in enumerate(ids)])
    return ids


def hub_state(store: HubStore, community: str) -> dict[tuple[str, str], dict[str, Any]]:
    with store.engine.connect() as conn:
        return {(r.entity, r.entity_id): {"version": r.version, "updated_by": r.updated_by, **r.doc}
                for r in conn.execute(select(entity_state).where(entity_state.c.community_id == community))}


def first_last_at(store: HubStore, community: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(entity, id) → (at of its first change, at of its latest change), from the change log."""
    out: dict[tuple[str, str], tuple[str, str]] = {}
    with store.engine.connect() as conn:
        for e, i, at in conn.execute(select(change_log.c.entity, change_log.c.entity_id, change_log.c.at)
                                     .where(change_log.c.community_id == community).order_by(change_log.c.seq)):
            out[(e, i)] = (out.get((e, i), (at, at))[0], at)
    return out


# -- content ----------------------------------------------------------------------------------

def test_snapshot_is_the_hubs_state(stations, hub, community_id):
    a, b = stations
    store: HubStore = hub.store
    gid = add_grid(a, "G1", "一网格")
    people = [residents.create(a, ResidentInput(name=n, id_number=i, phone="13812348000"))
              for n, i in (("张三", "11010519491231002X"),
                           ("李四", make_id_number("110105", dt.date(1960, 5, 4), 7)))]
    ok(sync.sync_now(a))
    ok(sync.sync_now(b))
    edit_grid(a, gid, name="第二个名字")
    ok(sync.sync_now(a))
    edit_grid(a, gid, name="A改的名字")                      # updates: the last value wins
    residents.remove(a, people[1].id, "迁出")                # a tombstone
    edit_grid(b, gid, name="B改的名字", code="G9")            # B still at the old version: a conflict
    ok(sync.sync_now(a))
    assert ok(sync.sync_now(b)).conflicts >= 1

    snap = store.snapshot(station(community_id))
    header, chunks, end = parse(snap.body)
    assert header == {"snapshot": 1, "community_id": community_id, "cursor": store.head(community_id),
                      "rows": snap.rows, "created_at": snap.created_at.isoformat()}
    assert snap.cursor == store.head(community_id) > 0
    assert end == {"end": True, "rows": snap.rows}
    state = hub_state(store, community_id)
    assert snap.rows == len(state) == sum(len(c["rows"]) for c in chunks)

    recs = records(snap.body)
    assert set(recs) == set(state)
    times = first_last_at(store, community_id)
    for key, rec in recs.items():
        want = state[key]
        assert rec["version"] == want["version"] and rec["updated_by"] == want["updated_by"]
        assert {k: v for k, v in rec.items() if k not in S._SNAPSHOT_COLS} == \
               {k: v for k, v in want.items() if k not in ("version", "updated_by")}
        assert (rec["created_at"], rec["updated_at"]) == times[key]
        assert "community_id" not in rec
    g = recs[("grid", gid)]
    assert (g["name"], g["code"]) == ("A改的名字", "G9")
    assert recs[("resident", people[1].id)]["deleted_at"] is not None
    assert recs[("resident", people[0].id)]["deleted_at"] is None
    [conflict] = [r for (e, _i), r in recs.items() if e == P.CONFLICT_ENTITY]
    assert (conflict["entity"], conflict["entity_id"], conflict["field"], conflict["status"]) == \
           ("grid", gid, "name", "open")
    assert conflict["updated_by"] == "hub" and conflict["created_at"] == conflict["updated_at"]
    assert dt.datetime.fromisoformat(conflict["created_at"]).tzinfo is not None

    # entities in the desktop's foreign-key order, records by id within each
    order = [c["entity"] for c in chunks]
    ranks = [S.SNAPSHOT_ENTITY_ORDER.index(e) for e in order]
    assert ranks == sorted(ranks)
    for e in set(order):
        ids = [row[0] for c in chunks if c["entity"] == e for row in c["rows"]]
        assert ids == sorted(ids)


def test_created_and_updated_at_are_the_stations_times(hub, community_id):
    store: HubStore = hub.store
    g1, g2 = sorted(new_id() for _ in range(2))
    t1, t2, t3 = "2026-11-20T08:00:00+08:00", "2026-11-21T09:30:00.123456+00:00", "2026-11-19T01:00:00+00:00"
    apply(store, community_id, [change(community_id, "grid", g1, {"code": "G1", "name": "一"}, at=t1),
                                change(community_id, "grid", g2, {"code": "G2", "name": "二"}, at=t1)])
    apply(store, community_id, [change(community_id, "grid", g1, {"name": "新"}, op="update", base=1, at=t2)])
    # the latest merged change sets updated_at even when its station clock is behind
    apply(store, community_id, [change(community_id, "grid", g2, {"name": "新二"}, op="update", base=1, at=t3)])
    recs = records(store.snapshot(station(community_id)).body)
    assert (recs[("grid", g1)]["created_at"], recs[("grid", g1)]["updated_at"]) == (t1, t2)
    assert (recs[("grid", g2)]["created_at"], recs[("grid", g2)]["updated_at"]) == (t1, t3)

    # records written before the hub kept these times: the hub's own times stand in
    with store.engine.begin() as conn:
        conn.execute(entity_state.update().where(entity_state.c.entity_id == g1).values(first_at=None, last_at=None))
        hub_created, hub_updated = conn.execute(select(entity_state.c.created_at, entity_state.c.updated_at)
                                                .where(entity_state.c.entity_id == g1)).one()
    rec = records(store.build_snapshot(community_id).body)[("grid", g1)]
    assert rec["created_at"] == hub_created.astimezone(dt.timezone.utc).isoformat()
    assert rec["updated_at"] == hub_updated.astimezone(dt.timezone.utc).isoformat()
    assert rec["created_at"].endswith("+00:00")


def test_chunks_are_capped_and_grouped_by_entity_and_keys(hub, community_id, monkeypatch):
    store: HubStore = hub.store
    monkeypatch.setattr(S, "SNAPSHOT_CHUNK", 3)
    # grids by id: key sets A A A A B A A A, then two more A (the parents of a building)
    ids = sorted(new_id() for _ in range(10))
    homes = ids[8:]
    apply(store, community_id, [change(community_id, "grid", g, {"code": f"G{i}", "name": "n", "deleted_at": None}
                                       if i == 4 else {"code": f"G{i}", "name": "n"})
                                for i, g in enumerate(ids)])
    apply(store, community_id, [change(community_id, "building", new_id(), {"grid_id": homes[0], "name": "1栋",
                                                                           "address": "幸福里1栋"})])
    # a stray "id" in a stored document never doubles the id column; an entity this hub does not know
    # (left by another version) comes after the known ones
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE entity_state SET doc = doc || CAST(:x AS jsonb) WHERE entity_id = :i"),
                     {"x": P.dumps({"id": "stray", "community_id": "stray"}).decode(), "i": homes[1]})
        conn.execute(entity_state.insert().values(
            entity="aaa_legacy", entity_id=new_id(), community_id=community_id, version=1, doc={"x": 1},
            field_meta={}, created_at=S._now(), updated_at=S._now(), updated_by="old"))

    snap = store.snapshot(station(community_id))
    header, chunks, end = parse(snap.body)
    assert header["rows"] == end["rows"] == snap.rows == 10 + 1 + 1
    shape = [(c["entity"], len(c["rows"]), tuple(c["cols"][5:])) for c in chunks]
    code_name, with_deleted = ("code", "name"), ("code", "deleted_at", "name")
    assert shape == [("grid", 3, code_name), ("grid", 1, code_name), ("grid", 1, with_deleted),
                     ("grid", 3, code_name), ("grid", 2, code_name),
                     ("building", 1, ("address", "grid_id", "name")), ("aaa_legacy", 1, ("x",))]
    for c in chunks:
        assert c["cols"][:5] == ["id", "version", "created_at", "updated_at", "updated_by"]
        assert list(c["cols"][5:]) == sorted(c["cols"][5:])
        assert len(c["rows"]) <= 3 and all(len(r) == len(c["cols"]) for r in c["rows"])
    assert [r[0] for c in chunks if c["entity"] == "grid" for r in c["rows"]] == ids
    assert [c["entity"] for c in chunks][-1] == "aaa_legacy"


# -- the stored snapshot ----------------------------------------------------------------------

def test_stored_snapshot_is_reused_while_it_lags_little(hub, community_id):
    store: HubStore = hub.store
    who = station(community_id)
    empty = store.snapshot(who)
    assert (empty.cursor, empty.rows) == (0, 0)
    assert parse(empty.body)[1:] == ([], {"end": True, "rows": 0})
    ids = grids(store, community_id, 4)
    assert store.snapshot(who, max_lag=4) == empty          # 4 changes behind: still served
    first = store.snapshot(who, max_lag=3)                  # more: rebuilt
    assert (first.cursor, first.rows) == (store.head(community_id), 4) and first.created_at > empty.created_at
    apply(store, community_id, [change(community_id, "grid", g, {"name": "改"}, op="update", base=1)
                                for g in ids] + [change(community_id, "grid", new_id(), {"code": "X", "name": "x"})])
    assert store.head(community_id) - first.cursor == 5
    again = store.snapshot(who, max_lag=5)                  # 5 behind: still served
    assert again == first
    apply(store, community_id, [change(community_id, "grid", ids[0], {"name": "再改"}, op="update", base=2)])
    fresh = store.snapshot(who, max_lag=5)                  # 6 behind: rebuilt and stored
    assert fresh.created_at > first.created_at and (fresh.cursor, fresh.rows) == (store.head(community_id), 5)
    assert records(fresh.body)[("grid", ids[0])]["name"] == "再改"
    assert store.snapshot(who, max_lag=5) == fresh
    with store.engine.connect() as conn:
        assert conn.execute(select(hub_snapshot.c.cursor, hub_snapshot.c.rows)).all() == [(fresh.cursor, 5)]
    # the default allowance is large
    assert store.snapshot(who) == fresh
    # build_snapshot always builds (the CLI)
    built = store.build_snapshot(community_id)
    assert built.created_at > fresh.created_at and built.cursor == fresh.cursor
    assert store.snapshot(who) == built


def test_one_build_at_a_time_per_community(hub, community_id, monkeypatch):
    store: HubStore = hub.store
    grids(store, community_id, 3)
    real = store._build_snapshot
    builds = []

    def slow_build(c: str) -> S.Snapshot:
        builds.append(c)
        time.sleep(0.3)
        return real(c)

    monkeypatch.setattr(store, "_build_snapshot", slow_build)
    got: list[S.Snapshot] = []
    threads = [threading.Thread(target=lambda: got.append(store.snapshot(station(community_id))))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert builds == [community_id] and len(got) == 4 and all(s == got[0] for s in got)


def test_a_station_sees_only_its_own_community(hub, community_id):
    store: HubStore = hub.store
    other = new_id()
    mine = grids(store, community_id, 3)
    theirs = grids(store, other, 5)
    snap = store.snapshot(station(community_id))
    assert parse(snap.body)[0]["community_id"] == community_id
    assert {i for _e, i in records(snap.body)} == set(mine) and snap.rows == 3
    assert snap.cursor == store.head(community_id)
    other_snap = store.snapshot(station(other))
    assert {i for _e, i in records(other_snap.body)} == set(theirs)
    with pytest.raises(S.Forbidden):
        store.snapshot(Principal(new_id(), "平台", "platform", None))


def test_snapshot_is_consistent_while_stations_push(hub, community_id, monkeypatch):
    """Each snapshot is exactly the state after the changes up to its cursor, never half a push."""
    store: HubStore = hub.store
    ids = grids(store, community_id, 50)
    real_head = store._head

    def slow_head(conn: Any, community: str) -> int:       # pushes commit between the head and the rows
        head = real_head(conn, community)
        time.sleep(0.05)
        return head

    monkeypatch.setattr(store, "_head", slow_head)
    who = station(community_id)
    stop = threading.Event()
    errors: list[BaseException] = []

    def pushing() -> None:
        version = 1
        try:
            while not stop.is_set():
                batch = [change(community_id, "grid", g, {"name": f"v{version + 1}"}, op="update", base=version)
                         for g in ids]
                batch += [change(community_id, "grid", new_id(), {"code": "N", "name": "新"}) for _ in range(20)]
                store.push(who, batch)
                version += 1
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    pusher = threading.Thread(target=pushing)
    pusher.start()
    try:
        snaps = [store.build_snapshot(community_id) for _ in range(8)]
    finally:
        stop.set()
        pusher.join(30)
    assert not errors
    assert len({s.cursor for s in snaps}) > 1                # the log moved on between them
    with store.engine.connect() as conn:
        log = conn.execute(select(change_log.c.seq, change_log.c.entity_id, change_log.c.version)
                           .where(change_log.c.community_id == community_id).order_by(change_log.c.seq)).all()
    for snap in snaps:
        want = {}
        for seq, eid, version in log:
            if seq <= snap.cursor:
                want[eid] = version
        got = {i: r["version"] for (_e, i), r in records(snap.body).items()}
        assert got == want and snap.rows == len(want)


# -- HTTP -------------------------------------------------------------------------------------

def test_http_credentials_and_encodings(hub, community_id):
    store: HubStore = hub.store
    grids(store, community_id, 3)
    token = store.add_station("站A", community_id).token
    url = f"{hub.url}/api/v1/sync/snapshot"
    platform = store.add_station("平台", None, kind="platform").token
    r = httpx.get(url, headers={"Authorization": f"Bearer {platform}"})
    assert r.status_code == 403 and "station" in r.json()["error"]
    sid = token.split(":")[0]
    for auth in ({"Authorization": f"Bearer {sid}:wrong"}, {"Authorization": "Bearer nonsense"}, {}):
        r = httpx.get(url, headers=auth)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"

    h = {"Authorization": f"Bearer {token}"}
    r = httpx.get(url, headers={**h, "Accept-Encoding": "identity"})
    assert r.status_code == 200 and "content-encoding" not in r.headers
    assert r.headers["content-type"].startswith("application/x-ndjson")
    header, chunks, end = parse(r.content)
    assert r.content[:1] == b"{" and end == {"end": True, "rows": 3}
    assert (r.headers["x-snapshot-cursor"], r.headers["x-snapshot-rows"]) == (str(header["cursor"]), "3")
    assert r.headers["x-snapshot-created"] == header["created_at"]
    stored = store.snapshot(station(community_id))
    with httpx.stream("GET", url, headers={**h, "Accept-Encoding": "gzip"}) as resp:
        raw = b"".join(resp.iter_raw())
        assert resp.headers["content-encoding"] == "gzip"
        assert int(resp.headers["content-length"]) == len(raw)
    assert raw == stored.body and gzip.decompress(raw) == r.content
    r = httpx.get(url, headers={**h, "Accept-Encoding": "br, gzip;q=0"})     # refused explicitly
    assert "content-encoding" not in r.headers and r.content == gzip.decompress(stored.body)


def test_the_desktop_client_reads_it(stations, hub, community_id):
    a, _b = stations
    gids = [add_grid(a, f"G{i}", f"网格{i}") for i in range(5)]
    ok(sync.sync_now(a))
    with sync.make_client(a) as c:
        lines = list(c.snapshot())
        assert c.nbytes > 0
    assert lines[0]["cursor"] == hub.store.head(community_id) and lines[-1] == {"end": True, "rows": 5}
    assert sorted(r[0] for ch in lines[1:-1] for r in ch["rows"]) == sorted(gids)


# -- command line and migrations ---------------------------------------------------------------

def test_cli_builds_and_stores_a_snapshot(hub_db_url, community_id, capsys):
    store = HubStore(hub_db_url)
    try:
        grids(store, community_id, 4)
        assert cli.main(["snapshot", "--database-url", hub_db_url, "--community", community_id]) == 0
        out = capsys.readouterr().out
        assert f"snapshot of community {community_id}: 4 records up to change 4," in out and "built in" in out
        with store.engine.connect() as conn:
            row = conn.execute(select(hub_snapshot).where(hub_snapshot.c.community_id == community_id)).one()
        assert (row.cursor, row.rows) == (4, 4) and parse(row.body)[2] == {"end": True, "rows": 4}
        assert cli.main(["snapshot", "--database-url", hub_db_url, "--community", "not-a-uuid"]) == 2
        err = capsys.readouterr().err
        assert "--community must be the community's id" in err
    finally:
        store.dispose()


def _check_schema(store: HubStore) -> None:
    insp = inspect(store.engine)
    assert {"first_at", "last_at"} <= {c["name"] for c in insp.get_columns("entity_state")}
    assert {c["name"] for c in insp.get_columns("hub_snapshot")} == {"community_id", "cursor", "rows",
                                                                       "created_at", "body"}


def test_migration_on_a_fresh_sqlite_hub_and_from_h0001(tmp_path, community_id):
    from alembic import command
    store = HubStore(f"sqlite:///{tmp_path / 'hub.db'}")
    try:
        store.migrate()
        store.migrate()                                       # idempotent
        _check_schema(store)
        ids = grids(store, community_id, 3)
        apply(store, community_id, [change(community_id, "grid", ids[0], {"name": "新"}, op="update", base=1,
                                           at="2026-11-26T00:00:00+00:00")])
        snap = store.snapshot(station(community_id))
        assert snap.created_at.tzinfo is not None and snap.cursor == 4
        recs = records(snap.body)
        assert recs[("grid", ids[0])]["name"] == "新"
        assert (recs[("grid", ids[0])]["created_at"], recs[("grid", ids[0])]["updated_at"]) == \
               (AT, "2026-11-26T00:00:00+00:00")
        assert store.snapshot(station(community_id)) == snap      # stored and read back (naive → UTC)
    finally:
        store.dispose()

    # a hub created before snapshots: upgraded in place, its records fall back to the hub's times
    old = HubStore(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        cfg = S.hub_alembic_config()
        with old.engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "h0001")
            conn.commit()
            assert "hub_snapshot" not in inspect(conn).get_table_names()
            when = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.timezone.utc)
            conn.execute(text("INSERT INTO entity_state (entity, entity_id, community_id, version, doc, field_meta, "
                              "created_at, updated_at, updated_by) VALUES ('grid', :i, :c, 1, :d, '{}', :t, :t, 'x')"),
                         {"i": ids[0], "c": community_id, "d": '{"code": "G", "name": "n"}', "t": when})
            conn.commit()
        old.migrate()
        _check_schema(old)
        [rec] = records(old.snapshot(station(community_id)).body).values()
        assert (rec["created_at"], rec["updated_at"], rec["name"]) == ("2026-11-01T08:00:00+00:00",) * 2 + ("n",)
        with old.engine.connect() as conn:                     # and back down
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "h0001")
            conn.commit()
            assert "hub_snapshot" not in inspect(conn).get_table_names()
            assert "first_at" not in {c["name"] for c in inspect(conn).get_columns("entity_state")}
    finally:
        old.dispose()


def test_migration_on_postgresql_from_h0001(pg_server):
    from alembic import command
    name = "hub_" + new_id().replace("-", "")[:12]
    pg_server.admin(f"CREATE DATABASE {name}")
    store = HubStore(pg_server.url(name))
    try:
        cfg = S.hub_alembic_config()
        with store.engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "h0001")
            conn.commit()
        store.migrate()
        _check_schema(store)
        with store.engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "h0001")
            conn.commit()
        store.migrate()
        _check_schema(store)
    finally:
        store.dispose()
        pg_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
