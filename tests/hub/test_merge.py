"""The hub's merge never loses a concurrent edit silently (issue 9): a field's base is the hub's value the
station saw; an overwritten concurrent value is a conflict with the real values; edit vs remove is one too.
A station that meets a change it cannot apply sets that one aside and applies the rest."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sqlalchemy import insert

from shequ_desktop.domain.ids import new_id
from shequ_desktop.hub.schema import change_log
from shequ_desktop.persistence.models import Grid, Resident
from shequ_desktop.services import sync


def ok(res: sync.SyncResult) -> sync.SyncResult:
    assert res.ok, res.problem
    return res


def new_resident(ctx) -> str:
    import datetime as dt
    with ctx.transaction() as s:
        r = Resident(community_id=ctx.community_id, name="张三", id_number=new_id()[:18], sex="M",
                     birth_date=dt.date(1949, 12, 31), phone="13800000000", address="幸福里1栋",
                     id_number_original="", id_kind="citizen", relation="", note="")
        s.add(r)
        s.flush()
        return r.id


def edit(ctx, rid: str, **values) -> None:
    with ctx.transaction() as s:
        obj = s.get(Resident, rid)
        for k, v in values.items():
            setattr(obj, k, v)


def remove(ctx, rid: str) -> None:
    with ctx.transaction() as s:
        s.get(Resident, rid).deleted_at = ctx.clock.now()


def row(ctx, rid: str) -> Resident:
    with ctx.transaction() as s:
        return s.get(Resident, rid)


def shared(a, b, hub) -> str:
    rid = new_resident(a)
    ok(sync.sync_now(a))
    ok(sync.sync_now(b))
    return rid


def hub_doc(hub, rid: str) -> dict:
    from sqlalchemy import select

    from shequ_desktop.hub.schema import entity_state
    with hub.store.engine.connect() as conn:
        return dict(conn.execute(select(entity_state.c.doc).where(entity_state.c.entity_id == rid)).scalar_one())


def test_concurrent_phone_edit_after_an_address_edit_is_a_conflict_not_a_loss(stations, hub):
    a, b = stations
    rid = shared(a, b, hub)
    edit(a, rid, phone="13911111111")                 # A sets the phone
    edit(b, rid, address="幸福里2栋")                   # offline, B first changes the address ...
    edit(b, rid, phone="13922222222")                 # ... then the phone
    ok(sync.sync_now(a))
    assert ok(sync.sync_now(b)).conflicts >= 1
    ok(sync.sync_now(a))
    for ctx in (a, b):
        r = row(ctx, rid)
        assert (r.phone, r.address) == ("13911111111", "幸福里2栋")
        [c] = sync.conflicts(ctx)
        assert (c.field, c.remote_value, c.local_value) == ("phone", "13911111111", "13922222222")
    assert hub_doc(hub, rid)["phone"] == "13911111111"


def test_same_field_edited_twice_records_the_real_values(stations, hub):
    a, b = stations
    rid = shared(a, b, hub)
    edit(a, rid, phone="13911111111")
    edit(b, rid, phone="13922222222")
    edit(b, rid, phone="13933333333")                 # B corrects its own edit before syncing
    for ctx in (a, b, a):
        ok(sync.sync_now(ctx))
    for ctx in (a, b):
        assert row(ctx, rid).phone == "13911111111"
        [c] = sync.conflicts(ctx)                     # one conflict: the value kept and B's latest value
        assert (c.remote_value, c.local_value) == ("13911111111", "13933333333")
    # the chief takes B's value: it reaches everyone
    sync.resolve_conflict(b, c.id, "local")
    for ctx in (b, a):
        ok(sync.sync_now(ctx))
    assert row(a, rid).phone == row(b, rid).phone == "13933333333"
    assert sync.conflicts(a) == []


def test_edit_of_a_record_removed_elsewhere_is_a_conflict(stations, hub):
    a, b = stations
    rid = shared(a, b, hub)
    remove(a, rid)
    edit(b, rid, phone="13922222222")                 # B never saw the removal
    for ctx in (a, b, a):
        ok(sync.sync_now(ctx))
    for ctx in (a, b):
        r = row(ctx, rid)
        assert r.deleted_at is not None and r.phone == "13922222222"     # removed, B's edit kept on it
        [c] = sync.conflicts(ctx)
        assert c.field == "deleted_at" and c.local_value is None and c.remote_value is not None
    sync.resolve_conflict(a, c.id, "local")           # the chief restores it, with B's edit
    for ctx in (a, b):
        ok(sync.sync_now(ctx))
    for ctx in (a, b):
        r = row(ctx, rid)
        assert r.deleted_at is None and r.phone == "13922222222"


def test_removal_of_a_record_edited_elsewhere_is_a_conflict(stations, hub):
    a, b = stations
    rid = shared(a, b, hub)
    edit(a, rid, phone="13911111111")
    remove(b, rid)                                    # B removes what it saw before A's edit
    for ctx in (a, b, a):
        ok(sync.sync_now(ctx))
    for ctx in (a, b):
        r = row(ctx, rid)
        assert r.deleted_at is None and r.phone == "13911111111"         # kept until the chief decides
        [c] = sync.conflicts(ctx)
        assert c.field == "deleted_at" and c.remote_value is None and c.local_value is not None
    sync.resolve_conflict(a, c.id, "local")           # the chief confirms the removal
    for ctx in (a, b):
        ok(sync.sync_now(ctx))
    assert row(a, rid).deleted_at is not None and row(b, rid).deleted_at is not None


def test_removal_after_seeing_every_edit_and_removal_on_both_sides_are_no_conflict(stations, hub):
    a, b = stations
    rid = shared(a, b, hub)
    rid2 = shared(a, b, hub)
    edit(a, rid, phone="13911111111")
    ok(sync.sync_now(a))
    ok(sync.sync_now(b))
    remove(b, rid)
    remove(a, rid2)
    remove(b, rid2)
    for ctx in (a, b, a):
        ok(sync.sync_now(ctx))
    for ctx in (a, b):
        assert row(ctx, rid).deleted_at is not None and row(ctx, rid2).deleted_at is not None
        assert sync.conflicts(ctx) == []


def test_a_change_the_station_cannot_apply_is_set_aside_and_the_rest_applied(stations, hub, tmp_path, clock):
    a, b = stations
    with a.transaction() as s:
        g = Grid(community_id=a.community_id, code="G1", name="一网格")
        s.add(g)
        s.flush()
        gid = g.id
    ok(sync.sync_now(a))
    # what an older hub accepted without checking the values
    bad_id = new_id()
    item = {"change_id": new_id(), "entity": "grid", "entity_id": gid, "community_id": a.community_id,
            "op": "update", "fields": {"name": {"x": 1}, "code": "G1"}, "base_version": 1, "version": 2,
            "station_id": "old", "user_login": "old", "at": "2026-11-25T02:00:00+00:00"}
    bad_insert = {**item, "change_id": new_id(), "entity_id": bad_id, "op": "insert", "version": 1,
                  "fields": {"id": bad_id, "community_id": a.community_id, "code": "G2", "name": "二",
                             "deleted_at": "0000-00-00T00:00:00"}}
    import datetime as dt
    with hub.store.engine.begin() as conn:
        for it in (item, bad_insert):
            conn.execute(insert(change_log).values(
                change_id=it["change_id"], community_id=a.community_id, entity="grid", entity_id=it["entity_id"],
                op=it["op"], fields=it["fields"], base_version=1, version=it["version"], station_id="old",
                user_login="old", at=it["at"], received_at=dt.datetime.now(dt.timezone.utc),
                payload=json.dumps(it, ensure_ascii=False)))
    edit_gid = None
    with a.transaction() as s:
        g2 = Grid(community_id=a.community_id, code="G3", name="三网格")
        s.add(g2)
        s.flush()
        edit_gid = g2.id
    ok(sync.sync_now(a))
    res = ok(sync.sync_now(b))
    assert res.pulled >= 2
    with b.transaction() as s:
        assert s.get(Grid, gid).name == "一网格" and s.get(Grid, edit_gid).name == "三网格"
        assert s.get(Grid, bad_id) is None
    st = sync.status(b)
    assert st.set_aside == 2 and "could not be applied" in st.problem and "everything else" in st.problem
    reasons = [c.reason for c in sync.set_aside(b)]
    assert any("name must be text" in r for r in reasons) and any("deleted_at" in r for r in reasons)
    ok(sync.sync_now(b))                              # set aside once, not again and again
    assert sync.status(b).set_aside == 2
    b.db.dispose()
    env = dict(os.environ, SHEQU_LANG="en", SHEQU_CREDENTIAL_STORE="file")
    out = subprocess.run([sys.executable, "-m", "shequ_desktop.cli.admin", "--db", str(tmp_path / "b.db"),
                          "sync", "status"], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "2 changes from the hub could not be applied on this workstation and were set aside" in out.stdout
    assert "name must be text" in out.stdout


def test_a_record_left_to_its_column_defaults_reaches_every_station(stations, hub):
    """A service that leaves columns to their defaults: the journal carries the values the row has
    (not None), so the hub accepts it and the other station can store it."""
    import datetime as dt
    a, b = stations
    with a.transaction() as s:
        r = Resident(community_id=a.community_id, name="李四", id_number=new_id()[:18], sex="F",
                     birth_date=dt.date(1960, 1, 1))
        s.add(r)
        s.flush()
        rid = r.id
    res = ok(sync.sync_now(a))
    assert (res.pushed, res.rejected) == (1, 0)
    ok(sync.sync_now(b))
    got = row(b, rid)
    assert got is not None and (got.name, got.phone, got.id_kind, got.note) == ("李四", "", "citizen", "")
