"""The hub refuses values the workstation cannot store (issue 9): one bad change no longer blocks a
community; out-of-range integers are a clear 4xx; revocation is immediate; requests need a real community."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from sqlalchemy import Column, Date, Integer, String

from shequ_desktop.domain.ids import new_id
from shequ_desktop.hub.store import HubStore
from shequ_desktop.persistence.models import SYNCED_MODELS, ChangeJournal, Grid
from shequ_desktop.services import sync
from tests.hub.conftest import make_station

AT = "2026-11-25T02:00:00+00:00"


def _change(ctx, entity: str, eid: str, fields: dict, op: str = "update", at: str = AT) -> dict:
    return {"change_id": new_id(), "entity": entity, "entity_id": eid, "community_id": ctx.community_id,
            "op": op, "fields": fields, "base_version": 1, "new_version": 2, "station_id": "s",
            "user_login": "u", "at": at}


def _resident_fields(ctx, rid: str, **over) -> dict:
    return {"id": rid, "community_id": ctx.community_id, "household_id": None, "grid_id": None, "name": "张三",
            "id_number": "11010519491231002X", "id_number_original": "", "id_kind": "citizen",
            "birth_date": "1949-12-31", "sex": "M", "phone": "13800000000", "address": "", "relation": "",
            "moved_in": None, "note": "", "deleted_at": None, **over}


def _journal(ctx, ch: dict) -> None:
    """Put a change straight into the outbox (what a buggy or tampered station would send)."""
    with ctx.transaction() as s:
        s.add(ChangeJournal(change_id=ch["change_id"], entity=ch["entity"], entity_id=ch["entity_id"],
                            community_id=ch["community_id"], op=ch["op"], fields=ch["fields"], base_version=0,
                            new_version=1, station_id=ctx.station_id, user_login="a_admin", at=ctx.clock.now()))


@pytest.mark.parametrize("fields, why", [
    ({"phone": {"x": 1}}, "phone must be text"),
    ({"birth_date": "not-a-date"}, "birth_date must be a date"),
    ({"birth_date": "0000-00-00"}, "birth_date must be a date"),
    ({"name": "长" * 65}, "longer than 64"),
    ({"name": None}, "name is required"),
    ({"deleted_at": "yesterday"}, "deleted_at must be an ISO 8601"),
])
def test_bad_values_are_refused_and_do_not_block_the_community(stations, hub, tmp_path, clock, fields, why):
    a, b = stations
    rid = new_id()
    bad = _change(a, "resident", rid, _resident_fields(a, rid, **fields), op="insert")
    _journal(a, bad)
    gid = None
    with a.transaction() as s:
        g = Grid(community_id=a.community_id, code="G1", name="一网格")
        s.add(g)
        s.flush()
        gid = g.id
    res = sync.sync_now(a)
    assert res.ok and res.rejected == 1 and res.pushed == 1
    [q] = sync.quarantine(a)
    assert q.change_id == bad["change_id"] and why in q.reason
    # every station of the community keeps syncing, a new one too, and the first sync's download works
    assert sync.sync_now(b).ok
    c = make_station(tmp_path, "c", a.community_id, clock, login="c_admin")
    sync.configure(c, hub.url, hub.store.add_station("站C", a.community_id).token)
    assert sync.sync_now(c).ok
    for ctx in (b, c):
        with ctx.transaction() as s:
            assert s.get(Grid, gid).name == "一网格"
    with sync.make_client(c) as client:
        r = httpx.get(f"{hub.url}/api/v1/sync/snapshot", headers={"Authorization": f"Bearer {client.token}"})
        assert r.status_code == 200
    c.db.dispose()


def test_update_with_bad_value_is_refused_with_its_reason(stations, hub):
    a, _b = stations
    with a.transaction() as s:
        g = Grid(community_id=a.community_id, code="G1", name="一网格")
        s.add(g)
        s.flush()
        gid = g.id
    assert sync.sync_now(a).ok
    with sync.make_client(a) as client:
        [r] = client.push([_change(a, "grid", gid, {"code": 7})])
        assert r["status"] == "rejected" and "grid.code must be text" in r["reason"]
        [r] = client.push([_change(a, "grid", gid, {"deleted_at": "0000-00-00T00:00:00+00:00"})])
        assert r["status"] == "rejected" and "deleted_at" in r["reason"]
        [r] = client.push([_change(a, "grid", new_id(), {"id": None, "code": "X"}, op="insert")])
        assert r["status"] == "rejected" and "must carry name" in r["reason"]
        [r] = client.push([_change(a, "grid", gid, {"name": "改名"})])
        assert r["status"] == "accepted"


def test_impossible_timestamps_and_huge_integers_are_a_clear_4xx(stations, hub):
    a, _b = stations
    token = sync.make_client(a).token
    gid = new_id()
    good = _change(a, "grid", gid, {"id": gid, "community_id": a.community_id, "code": "G", "name": "n"},
                   op="insert")
    with httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token}"}) as c:
        for bad in ({**good, "at": "0000-00-00T00:00:00Z"}, {**good, "at": "2026-02-30T00:00:00+00:00"},
                    {**good, "base_version": 2 ** 63}, {**good, "new_version": 2 ** 63 + 5},
                    {**good, "base_version": 2 ** 31}):
            r = c.post("/api/v1/sync/push", json={"changes": [bad]})
            assert r.status_code == 422, r.text
            assert "at" in r.json()["error"] or "out of range" in r.json()["error"]
        for after in ("9223372036854775808", str(10 ** 40)):
            r = c.get("/api/v1/sync/pull", params={"after": after})
            assert r.status_code in (400, 422) and "after" in r.json()["error"]
        r = c.get("/api/v1/sync/pull", params={"after": "0", "limit": str(10 ** 30)})
        assert r.status_code == 200
        r = c.post("/api/v1/sync/push", json={"changes": [good]})
        assert r.status_code == 200 and r.json()["results"][0]["status"] == "accepted"


def test_revoking_a_credential_takes_effect_at_once(stations, hub, hub_db_url):
    a, _b = stations
    token = sync.make_client(a).token
    h = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{hub.url}/api/v1/sync/whoami", headers=h).status_code == 200   # now cached
    other = HubStore(hub_db_url)          # `shequ-hub revoke` runs in another process
    try:
        assert other.revoke(token.split(":")[0])
    finally:
        other.dispose()
    r = httpx.get(f"{hub.url}/api/v1/sync/whoami", headers=h)
    assert r.status_code == 401 and "revoked" in r.json()["error"]
    assert not sync.sync_now(a).ok


def test_request_for_a_community_the_hub_does_not_serve_is_404(stations, hub):
    a, _b = stations
    platform = {"Authorization": f"Bearer {hub.store.add_station('12345 平台', None, kind='platform').token}"}
    req = {"community_id": new_id(), "category": "环境卫生", "description": "楼道堆放杂物",
           "address": "幸福里3栋", "contact": "李女士"}
    r = httpx.post(f"{hub.url}/api/v1/requests", json=req, headers=platform)
    assert r.status_code == 404 and "community" in r.json()["error"]
    with hub.store.engine.connect() as conn:
        from sqlalchemy import text
        assert conn.execute(text("SELECT count(*) FROM entity_state")).scalar_one() == 0
    r = httpx.post(f"{hub.url}/api/v1/requests", json={**req, "community_id": a.community_id}, headers=platform)
    assert r.status_code == 201


# -- the rules come from the models' metadata --------------------------------------------------

def test_every_synced_model_has_rules():
    from shequ_desktop.hub import validate
    for model in SYNCED_MODELS:
        table = validate.rules(model.__tablename__)
        assert table is not None and set(table) == {c.key for c in model.__table__.columns}
    r = validate.rules("resident")
    assert (r["name"].kind, r["name"].max_len, r["name"].required) == ("text", 64, True)
    assert (r["moved_in"].kind, r["moved_in"].nullable) == ("date", True)
    assert r["phone"].required is False          # has a default
    assert validate.rules("no_such_table") is None


def test_info_choices_and_ranges_are_enforced():
    from shequ_desktop.hub import validate
    kind = validate.rule_of_column(Column("kind", String(16), info={"choices": ("a", "b")}, nullable=False))
    assert validate.check_value(kind, "a") is None
    assert "must be one of a, b" in validate.check_value(kind, "c")
    score = validate.rule_of_column(Column("score", Integer, info={"min": 0, "max": 100}, nullable=True))
    assert validate.check_value(score, 100) is None and validate.check_value(score, None) is None
    assert "at most 100" in validate.check_value(score, 101)
    assert "at least 0" in validate.check_value(score, -1)
    assert "whole number" in validate.check_value(score, True)
    assert "out of range" in validate.check_value(score, 2 ** 63)
    day = validate.rule_of_column(Column("day", Date, info={"min": dt.date(1890, 1, 1)}))
    assert "at least" in validate.check_value(day, "1889-12-31")
    assert validate.check_value(day, "1990-01-01") is None


def test_new_emergency_kinds_are_validated_by_the_hub(stations, hub):
    """Emergency records (issue 14) are checked from their models: a bad grade, check state or duration is
    refused with its reason; a good member is accepted and reaches the other station."""
    from shequ_desktop.persistence.emergency_models import TeamMember
    from shequ_desktop.services.emergency import team
    a, b = stations
    good = team.add_member(a, team.MemberInput("李四", "volunteer", "member", "13800001111"))
    assert sync.sync_now(a).ok and sync.sync_now(b).ok
    with b.transaction() as s:
        assert s.get(TeamMember, good.id).phone == "13800001111"
    from shequ_desktop.hub import validate
    assert "must be one of" in validate.check_value(validate.rules("em_incident")["grade"], "catastrophic")
    assert "at most 1440" in validate.check_value(validate.rules("em_exercise")["duration_minutes"], 5000)
    with sync.make_client(a) as client:
        [r] = client.push([_change(a, "em_member", good.id, {"role": "astronaut"})])
        assert r["status"] == "rejected" and "em_member.role must be one of" in r["reason"]
        [r] = client.push([_change(a, "em_check", new_id(), {"state": "fine"})])
        assert r["status"] == "rejected" and "state" in r["reason"]
        [r] = client.push([_change(a, "em_member", good.id, {"phone": "13900002222"})])
        assert r["status"] == "accepted"
