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
        s.add(PostAssignment(community_id=ctx.community_id, post="网格员", a_user_id="u-worker-a",
                             b_user_id="u-worker-b", grid_id=g.id))
        return g.id, "u-worker-a", "u-worker-b"


def test_request_from_platform_is_dispatched_worked_and_reported_back(stations, hub, platform, clock):
    a, b = stations
    grid_id, worker_a, worker_b = _setup_grid(a)
    with a.transaction() as s:   # A is on leave today: the B colleague gets it
        s.add(Absence(community_id=a.community_id, user_id=worker_a, day=local_today(clock), reason="年假"))
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
    assert (o.id, o.assignee_id, o.assigned_as, o.deadline_kind) == (rid, worker_b, "B", "arrival")
    assert o.due_at - o.received_at == dt.timedelta(minutes=30)

    worker = a.as_user(CurrentUser(id=worker_b, login="worker_b", display_name="王五", role=Role.WORKER))
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
