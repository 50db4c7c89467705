"""Two desktop stores and one hub on a real PostgreSQL server, over real HTTP."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from sqlalchemy import func, select, text

from shequ_desktop.domain.ids import new_id
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.models import ChangeJournal, Grid, Resident
from shequ_desktop.persistence.sync_models import SyncConflict
from shequ_desktop.services import residents, sync
from shequ_desktop.services.residents import ResidentInput
from shequ_desktop.sync import engine
from shequ_desktop.sync.client import HubAuthError, HubClient
from tests.hub.conftest import make_station


def add_grid(ctx, code: str, name: str) -> str:
    with ctx.transaction() as s:
        g = Grid(community_id=ctx.community_id, code=code, name=name)
        s.add(g)
        s.flush()
        return g.id


def edit_grid(ctx, gid: str, **values) -> None:
    with ctx.transaction() as s:
        g = s.get(Grid, gid)
        for k, v in values.items():
            setattr(g, k, v)


def grid(ctx, gid: str) -> Grid | None:
    with ctx.transaction() as s:
        return s.get(Grid, gid)


def hub_count(hub, sql: str) -> int:
    with hub.store.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def ok(result: sync.SyncResult) -> sync.SyncResult:
    assert result.ok, result.problem
    return result


def test_edits_on_both_sides_merge(stations):
    a, b = stations
    gid = add_grid(a, "G1", "一网格")
    r = residents.create(a, ResidentInput(name="张三", id_number="11010519491231002X", phone="13812348000"))
    assert ok(sync.sync_now(a)).pushed >= 2
    assert ok(sync.sync_now(b)).pulled >= 2
    assert grid(b, gid).name == "一网格"
    with b.transaction() as s:
        assert s.get(Resident, r.id).name == "张三"
        # pulled rows are journaled as remote, never pushed back
        remote = s.execute(select(ChangeJournal).where(ChangeJournal.entity_id == gid)).scalars().all()
        assert [(j.origin, j.pushed_at is not None) for j in remote] == [("remote", True)]
    # both sides edit different fields of the same records while offline
    edit_grid(a, gid, name="第一网格")
    edit_grid(b, gid, code="G01")
    residents.update(b, r.id, ResidentInput(name="张三", id_number="11010519491231002X", phone="13812348000",
                                            address="幸福里1栋"), r.version)
    ok(sync.sync_now(a))
    ok(sync.sync_now(b))
    ok(sync.sync_now(a))
    for ctx in (a, b):
        g = grid(ctx, gid)
        assert (g.name, g.code) == ("第一网格", "G01")
        with ctx.transaction() as s:
            assert s.get(Resident, r.id).address == "幸福里1栋"
        st = sync.status(ctx)
        assert (st.pending, st.quarantined, st.open_conflicts, st.problem) == (0, 0, 0, "")
        assert st.online is True and st.last_success_at is not None
    assert grid(a, gid).version == grid(b, gid).version


def test_same_field_changed_on_both_sides_is_kept_as_a_conflict(stations, clock):
    a, b = stations
    gid = add_grid(a, "G1", "一网格")
    ok(sync.sync_now(a))
    ok(sync.sync_now(b))
    edit_grid(a, gid, name="A改的名字")
    edit_grid(b, gid, name="B改的名字", code="G9")
    ok(sync.sync_now(a))                      # A first: the hub takes A's value
    res = ok(sync.sync_now(b))                # B's name clashes; its code merges
    assert res.conflicts >= 1
    ok(sync.sync_now(a))
    for ctx in (a, b):
        g = grid(ctx, gid)
        assert (g.name, g.code) == ("A改的名字", "G9")      # both show the hub's value, nothing lost:
        [c] = sync.conflicts(ctx)
        assert (c.entity, c.entity_id, c.field) == ("grid", gid, "name")
        assert (c.remote_value, c.local_value) == ("A改的名字", "B改的名字")
    # only the chief may decide; the decision syncs like any edit
    from tests.conftest import as_role
    with pytest.raises(Exception):
        sync.resolve_conflict(as_role(b, Role.WORKER), c.id, "local")
    sync.resolve_conflict(b, c.id, "local")
    assert grid(b, gid).name == "B改的名字"
    ok(sync.sync_now(b))
    ok(sync.sync_now(a))
    for ctx in (a, b):
        assert grid(ctx, gid).name == "B改的名字"
        assert sync.conflicts(ctx) == []
        [done] = sync.conflicts(ctx, open_only=False)
        assert (done.status, done.resolution, done.resolved_by) == ("resolved", "local", "b_admin")
        assert sync.status(ctx).open_conflicts == 0


def test_edit_resolution_and_append_only_never_conflict(stations, hub):
    a, b = stations
    from shequ_desktop.persistence.sync_models import WorkOrderEvent
    wo = new_id()
    for ctx, note in ((a, "A 记录"), (b, "B 记录")):
        with ctx.transaction() as s:
            s.add(WorkOrderEvent(community_id=ctx.community_id, work_order_id=wo, kind="progress", note=note,
                                 by_user=ctx.user.login, at=ctx.clock.now()))
    for ctx in (a, b, a):
        ok(sync.sync_now(ctx))
    for ctx in (a, b):
        with ctx.transaction() as s:
            notes = sorted(s.execute(select(WorkOrderEvent.note).where(WorkOrderEvent.work_order_id == wo)).scalars())
        assert notes == ["A 记录", "B 记录"]
        assert sync.conflicts(ctx) == []


def test_push_interrupted_midway_and_repeated(stations, hub, tmp_path):
    a, _b = stations
    ids = [add_grid(a, f"G{i}", f"网格{i}") for i in range(30)]
    real = sync.make_client(a)

    class LoseResponses(httpx.BaseTransport):
        """The hub gets the request and commits it; the answer is lost on the way back."""

        def __init__(self) -> None:
            self.inner = httpx.HTTPTransport()

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            resp = self.inner.handle_request(request)
            resp.read()
            if request.url.path.endswith("/push"):
                raise httpx.ReadError("connection reset")
            return resp

    flaky = HubClient(hub.url, real.token, transport=LoseResponses())
    res = sync.sync_now(a, flaky)
    assert not res.ok and "reached" in res.problem
    assert sync.status(a).pending == 30 and sync.status(a).online is False
    assert hub_count(hub, "SELECT count(*) FROM change_log") == 30       # the hub has them already
    res = ok(sync.sync_now(a))                                           # repeated: harmless
    assert (res.pushed, res.duplicates) == (0, 30)
    assert hub_count(hub, "SELECT count(*) FROM change_log") == 30
    assert hub_count(hub, "SELECT count(DISTINCT change_id) FROM change_log") == 30
    assert sync.status(a).pending == 0
    # a batch cut in the middle (only some batches got through) also resumes exactly
    for i in ids[:5]:
        edit_grid(a, i, name="改")
    rep = engine.push_pending(a.db, real, a.clock, batch=2, max_batches=1)
    assert rep.accepted == 2 and sync.status(a).pending == 3
    ok(sync.sync_now(a))
    assert hub_count(hub, "SELECT count(*) FROM change_log") == 35
    real.close()
    flaky.close()


def test_pull_interrupted_midway_resumes_without_half_applying(stations, hub):
    a, b = stations
    ids = [add_grid(a, f"G{i:02d}", f"网格{i}") for i in range(47)]
    ok(sync.sync_now(a))
    client = sync.make_client(b)
    calls = {"n": 0}
    real_pull = client.pull

    def failing_pull(after, limit=10, community=None):
        calls["n"] += 1
        if calls["n"] == 3:
            raise httpx.ReadError("cable pulled")
        return real_pull(after, limit)

    client.pull = failing_pull  # type: ignore[method-assign]
    with pytest.raises(httpx.ReadError):
        engine.pull(b.db, client, b.clock, page_size=10, rows_per_txn=10, prefetch=False)
    with b.transaction() as s:
        cursor = int(s.execute(text("SELECT value FROM setting WHERE key='sync.cursor'")).scalar_one())
        have = s.execute(select(func.count()).select_from(Grid)).scalar_one()
        journaled = s.execute(select(func.count()).select_from(ChangeJournal)
                              .where(ChangeJournal.origin == "remote")).scalar_one()
    assert have == 20 == journaled                 # exactly the two committed pages
    assert cursor == hub_count(hub, "SELECT seq FROM change_log ORDER BY seq OFFSET 19 LIMIT 1")

    # a failure while applying rolls back the page together with the cursor
    def boom(*args, **kw):
        raise RuntimeError("disk full")

    orig = engine.apply_items
    engine.apply_items = boom
    try:
        with pytest.raises(RuntimeError):
            engine.pull(b.db, sync.make_client(b), b.clock, page_size=10, rows_per_txn=10, prefetch=False)
    finally:
        engine.apply_items = orig
    with b.transaction() as s:
        assert s.execute(select(func.count()).select_from(Grid)).scalar_one() == 20
    ok(sync.sync_now(b))
    with b.transaction() as s:
        assert sorted(s.execute(select(Grid.id)).scalars()) == sorted(ids)
    client.close()


def test_changes_arriving_out_of_order(stations, hub):
    a, b = stations
    gid = add_grid(a, "G1", "一网格")
    edit_grid(a, gid, name="一网格（新）")
    with a.transaction() as s:
        insert_c, update_c = [engine.to_wire(j) for j in s.execute(
            select(ChangeJournal).where(ChangeJournal.entity_id == gid).order_by(ChangeJournal.seq)).scalars()]
    with sync.make_client(a) as c:
        first = c.push([update_c])                    # the update overtakes its insert
        assert first[0]["status"] == "rejected" and "does not know" in first[0]["reason"]
        assert [r["status"] for r in c.push([insert_c, update_c])] == ["accepted", "accepted"]
    assert sync.status(a).pending == 2
    ok(sync.sync_now(a))                              # both already there: duplicates, marked pushed
    ok(sync.sync_now(b))
    assert grid(b, gid).name == "一网格（新）"
    # an edit based on an old version (B edits before pulling A's newer edit) merges field by field
    edit_grid(a, gid, code="A1")
    ok(sync.sync_now(a))
    edit_grid(b, gid, name="B名")                     # B still at the older version
    ok(sync.sync_now(b))
    ok(sync.sync_now(a))
    for ctx in (a, b):
        g = grid(ctx, gid)
        assert (g.code, g.name) == ("A1", "B名")
        assert sync.conflicts(ctx) == []


def test_rejected_change_is_quarantined_and_does_not_block_the_queue(stations, hub):
    a, b = stations
    g1 = add_grid(a, "G1", "一")
    with a.transaction() as s:                        # a change the hub refuses (a field it does not know)
        s.add(ChangeJournal(change_id=new_id(), entity="grid", entity_id=new_id(), community_id=a.community_id,
                            op="insert", fields={"code": "X", "colour": "red"}, base_version=0, new_version=1,
                            station_id=a.station_id, user_login="a_admin", at=a.clock.now()))
    g2 = add_grid(a, "G2", "二")
    res = sync.sync_now(a)
    assert res.rejected == 1 and res.pushed == 2
    st = sync.status(a)
    assert (st.pending, st.quarantined) == (0, 1) and "refused 1" in st.problem
    [q] = sync.quarantine(a)
    assert "colour" in q.reason and q.fields["colour"] == "red"
    ok(sync.sync_now(b))
    assert grid(b, g1) is not None and grid(b, g2) is not None
    assert sync.retry(a) == 1
    assert sync.status(a).pending == 1
    sync.sync_now(a)
    assert len(sync.quarantine(a)) == 1               # still refused, still kept (never deleted)


def test_malformed_payload_is_a_clear_4xx_and_nothing_is_stored(stations, hub):
    a, _b = stations
    token = sync.make_client(a).token
    h = {"Authorization": f"Bearer {token}"}
    good = {"change_id": new_id(), "entity": "grid", "entity_id": new_id(), "community_id": a.community_id,
            "op": "insert", "fields": {"code": "G", "name": "n"}, "base_version": 0, "new_version": 1,
            "station_id": "s", "user_login": "u", "at": "2026-11-25T02:00:00+00:00"}
    with httpx.Client(base_url=hub.url, headers=h) as c:
        r = c.post("/api/v1/sync/push", content=b"{not json")
        assert r.status_code == 400 and "JSON" in r.json()["error"]
        r = c.post("/api/v1/sync/push", json={"changes": [good, {**good, "change_id": new_id(), "op": "drop"}]})
        assert r.status_code == 422 and r.json()["index"] == 1 and "op" in r.json()["error"]
        r = c.post("/api/v1/sync/push", json={"changes": [{**good, "base_version": "one"}]})
        assert r.status_code == 422 and "base_version" in r.json()["error"]
        r = c.post("/api/v1/sync/push", json={"items": []})
        assert r.status_code == 422
        r = c.get("/api/v1/sync/pull", params={"after": "x"})
        assert r.status_code == 422
        r = c.post("/api/v1/requests", json={"community_id": a.community_id})
        assert r.status_code in (403, 422)
    assert hub_count(hub, "SELECT count(*) FROM change_log") == 0
    assert hub_count(hub, "SELECT count(*) FROM entity_state") == 0
    # the desktop isolates a malformed change in its queue and quarantines only that one
    with a.transaction() as s:
        s.add(ChangeJournal(change_id=new_id(), entity="grid", entity_id="not-a-uuid",
                            community_id=a.community_id, op="insert", fields={}, base_version=0, new_version=1,
                            station_id=a.station_id, user_login="a_admin", at=a.clock.now()))
    gid = add_grid(a, "G1", "一")
    res = sync.sync_now(a)
    assert res.pushed == 1 and res.rejected == 1
    assert "entity_id" in sync.quarantine(a)[0].reason
    assert hub_count(hub, f"SELECT count(*) FROM entity_state WHERE entity_id = '{gid}'") == 1


def test_wrong_credential_is_refused(stations, hub, tmp_path):
    a, _b = stations
    good = sync.make_client(a).token
    sid = good.split(":")[0]
    for token in (f"{sid}:wrong-secret", f"{new_id()}:whatever", "garbage"):
        with HubClient(hub.url, token) as c:
            with pytest.raises(HubAuthError):
                c.pull(0)
        r = httpx.get(f"{hub.url}/api/v1/sync/pull", headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 401
    add_grid(a, "G1", "一")
    res = sync.sync_now(a, HubClient(hub.url, f"{sid}:wrong-secret"))
    assert not res.ok and "refused" in res.problem
    assert sync.status(a).pending == 1                 # nothing lost
    hub.store.revoke(sid)
    res = sync.sync_now(a)
    assert not res.ok and "refused" in res.problem
    with pytest.raises(Exception):
        sync.configure(a, hub.url, f"{sid}:nope")


def test_station_cannot_read_or_write_another_community(stations, hub, tmp_path, clock):
    a, b = stations
    other = make_station(tmp_path, "other", new_id(), clock, login="o_admin")
    sync.configure(other, hub.url, hub.store.add_station("别的社区站", other.community_id).token)
    secret_grid = add_grid(other, "S1", "别的社区网格")
    ok(sync.sync_now(other))
    with sync.make_client(a) as c:
        with pytest.raises(HubAuthError):
            c.pull(0, community=other.community_id)
        r = httpx.get(f"{hub.url}/api/v1/sync/pull", params={"community": other.community_id},
                      headers={"Authorization": f"Bearer {c.token}"})
        assert r.status_code == 403
        # writing into the other community: refused per change (quarantined on the station)
        foreign = {"change_id": new_id(), "entity": "grid", "entity_id": secret_grid,
                   "community_id": other.community_id, "op": "update", "fields": {"name": "偷改"},
                   "base_version": 1, "new_version": 2, "station_id": "s", "user_login": "u",
                   "at": "2026-11-25T02:00:00+00:00"}
        [res] = c.push([foreign])
        assert res["status"] == "rejected" and "community" in res["reason"]
        [res] = c.push([{**foreign, "change_id": new_id(), "community_id": a.community_id}])
        assert res["status"] == "rejected" and "another community" in res["reason"]
    ok(sync.sync_now(a))
    assert grid(a, secret_grid) is None
    assert grid(other, secret_grid).name == "别的社区网格"
    other.db.dispose()


def test_offline_loses_nothing_and_catches_up(stations, hub, tmp_path):
    a, b = stations
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    token = sync.make_client(a).token
    gids = [add_grid(a, f"G{i}", f"网格{i}") for i in range(3)]
    res = sync.sync_now(a, HubClient(f"http://127.0.0.1:{dead}", token, timeout=2))
    assert not res.ok and "cannot be reached" in res.problem
    st = sync.status(a)
    assert st.online is False and st.pending == 3 and st.last_success_at is None
    gids.append(add_grid(a, "G9", "离线时录入"))       # keeps working offline
    ok(sync.sync_now(a))
    ok(sync.sync_now(b))
    assert all(grid(b, g) is not None for g in gids)
    assert sync.status(a).online is True


def test_background_sync_runs_off_the_calling_thread(stations):
    a, b = stations
    import threading
    add_grid(a, "G1", "一")
    done = threading.Event()
    seen = []

    def on_result(r):
        seen.append((r, threading.current_thread().name))
        done.set()

    bg = sync.BackgroundSync(a, interval_s=3600, on_result=on_result)
    bg.start()
    assert done.wait(20)
    done.clear()
    add_grid(a, "G2", "二")
    bg.sync_now()
    assert done.wait(20)
    bg.stop()
    assert all(r.ok for r, _ in seen) and all(name == "shequ-sync" for _, name in seen)
    assert sync.status(a).pending == 0


def test_openapi_and_health(hub):
    spec = httpx.get(f"{hub.url}/openapi.json").json()
    assert {"/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/requests",
            "/api/v1/requests/{request_id}"} <= set(spec["paths"])
    assert httpx.get(f"{hub.url}/docs").status_code == 200
    assert httpx.get(f"{hub.url}/api/v1/health").json()["ok"] is True
