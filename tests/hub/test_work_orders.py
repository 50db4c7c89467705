"""接诉即办 end to end: the platform posts a request to the hub, a station pulls and dispatches it,
the social worker records progress and the result, and the platform reads them back."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.models import Absence, Grid, PostAssignment
from shequ_desktop.services import sync, work_orders
from shequ_desktop.services.context import CurrentUser


@pytest.fixture
def platform(hub):
    return {"Authorization": f"Bearer {hub.store.add_station('12345 平台', None, kind='platform').token}"}


def _setup_grid(ctx) -> tuple[str, str, str]:
    with ctx.transaction() as s:
        g = Grid(community_id=ctx.community_id, code="G1", name="一网格")
        s.add(g)
        s.flush()
        s.add(PostAssignment(community_id=ctx.community_id, post="网格员", a_login="worker_a",
                             b_login="worker_b", grid_id=g.id))
        return g.id, "worker_a", "worker_b"


def test_request_from_platform_is_dispatched_worked_and_reported_back(stations, hub, platform, clock):
    a, b = stations
    grid_id, worker_a, worker_b = _setup_grid(a)
    with a.transaction() as s:   # A is on leave today: the B colleague gets it
        s.add(Absence(community_id=a.community_id, login=worker_a, day=local_today(clock), reason="年假"))
    assert sync.sync_now(a).ok
    req = {"community_id": a.community_id, "category": "环境卫生", "description": "楼道堆放杂物",
           "address": "幸福里3栋2单元", "contact": "李女士 13800001111", "urgency": "urgent", "grid_id": grid_id}
    r = httpx.post(f"{hub.url}/api/v1/requests", json=req, headers=platform)
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    assert r.json()["status"] == "new"
    bad = httpx.post(f"{hub.url}/api/v1/requests", json={**req, "urgency": "very"}, headers=platform)
    assert bad.status_code == 422 and "urgency" in bad.json()["error"]
    # a station credential cannot post requests; another community's station cannot read them
    st_token = sync.make_client(a).token
    assert httpx.post(f"{hub.url}/api/v1/requests", json=req,
                      headers={"Authorization": f"Bearer {st_token}"}).status_code == 403

    assert sync.sync_now(a).ok
    d = work_orders.dispatch_pending(a)
    assert (d.dispatched, d.to_b, d.unassigned) == (1, 1, [])
    chief_view = work_orders.list_orders(a, mine=False)
    [o] = chief_view
    assert (o.id, o.assignee_login, o.assigned_as, o.deadline_kind) == (rid, worker_b, "B", "arrival")
    assert o.due_at - o.received_at == dt.timedelta(minutes=30)

    worker = a.as_user(CurrentUser(id="u-worker-b", login=worker_b, display_name="王五", role=Role.WORKER))
    assert [v.id for v in work_orders.list_orders(worker)] == [rid]
    clock.set(o.received_at + dt.timedelta(minutes=45))           # arrives late: overdue warning
    assert [v.id for v in work_orders.overdue(a)] == [rid]
    work_orders.record(worker, rid, "arrive", "已到现场")
    work_orders.record(worker, rid, "result", "杂物已清理，居民满意")
    assert work_orders.list_orders(worker) == []
    assert sync.sync_now(a).ok

    got = httpx.get(f"{hub.url}/api/v1/requests/{rid}", headers=platform).json()
    assert got["status"] == "done" and got["result"] == "杂物已清理，居民满意"
    assert [p["kind"] for p in got["progress"]] == ["dispatch", "arrive", "result"]
    assert got["arrived_at"] is not None
    assert httpx.get(f"{hub.url}/api/v1/requests/00000000-0000-7000-8000-000000000000",
                     headers=platform).status_code == 404
    # the other workstation of the community sees the same history
    assert sync.sync_now(b).ok
    assert [e.kind for e in work_orders.events(b, rid)] == ["dispatch", "arrive", "result"]


def test_general_request_deadline_is_24_hours_elapsed(ctx, clock):
    v = work_orders.create_at_counter(ctx, "咨询", "低保申请材料", "幸福里1栋", "张先生")
    assert v.deadline_kind == "feedback" and v.due_at - v.received_at == dt.timedelta(hours=24)
    clock.advance(hours=23)
    assert work_orders.overdue(ctx) == []
    clock.advance(hours=2)
    assert [o.id for o in work_orders.overdue(ctx)] == [v.id]
    work_orders.record(ctx, v.id, "feedback", "已电话联系")
    assert work_orders.overdue(ctx)[0].met_at is not None   # answered, but late: still flagged


def test_request_progress_shows_steps_entered_later_with_real_and_entry_time(stations, hub, platform, clock):
    """补录: a feedback phoned at 10:20 and typed in at 12:00 reaches the platform with both times; the
    arrival recorded as it happened is not in ``entered_later``."""
    a, _b = stations
    grid_id, worker_a, _worker_b = _setup_grid(a)
    assert sync.sync_now(a).ok
    req = {"community_id": a.community_id, "category": "设施报修", "description": "路灯不亮",
           "address": "幸福里5栋", "contact": "王先生", "urgency": "general", "grid_id": grid_id}
    r = httpx.post(f"{hub.url}/api/v1/requests", json=req, headers=platform)
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    assert r.json()["entered_later"] == []
    assert sync.sync_now(a).ok
    work_orders.dispatch_pending(a)
    [o] = work_orders.list_orders(a, mine=False)
    received = o.received_at.replace(second=0, microsecond=0)
    worker = a.as_user(CurrentUser(id="u-worker-a", login=worker_a, display_name="张三", role=Role.WORKER))
    typed_at = received + dt.timedelta(hours=2)
    clock.set(typed_at)
    phoned_at = received + dt.timedelta(minutes=20)
    work_orders.record(worker, rid, "feedback", "已电话告知居民维修安排", at=phoned_at)   # 补录
    work_orders.record(worker, rid, "arrive", "已到现场")                                  # as it happens
    assert sync.sync_now(a).ok

    got = httpx.get(f"{hub.url}/api/v1/requests/{rid}", headers=platform).json()
    [later] = got["entered_later"]
    assert later["kind"] == "feedback"
    assert dt.datetime.fromisoformat(later["at"]) == phoned_at
    assert dt.datetime.fromisoformat(later["entered_at"]) == typed_at
    assert {p["kind"]: p["entered_later"] for p in got["progress"]} == {"dispatch": False, "feedback": True,
                                                                       "arrive": False}
    assert dt.datetime.fromisoformat(got["feedback_at"]) == phoned_at      # the deadline counts the real time
    # a station of the community reads the same (its own credential)
    st = {"Authorization": f"Bearer {sync.make_client(a).token}"}
    assert httpx.get(f"{hub.url}/api/v1/requests/{rid}", headers=st).json()["entered_later"] == got["entered_later"]
