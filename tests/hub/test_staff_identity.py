"""Staff identity across workstations: synced records name staff by login, and the synced staff directory
tells every station who a login is (two SQLite stations + the real PostgreSQL hub).

Before revision 0021 these records held ``app_user`` ids, which are local to one PC: on the other station the
assignee's name was empty, the AB backup named nobody and the KPI credited nobody."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from shequ_desktop.domain import kpi as k
from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.kpi import Period
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.models import Grid, PostAssignment
from shequ_desktop.persistence.staff_models import StaffMember
from shequ_desktop.persistence.sync_models import SyncConflict
from shequ_desktop.services import auth, counter_oversight, kpi, staff, sync, users, work_orders


def _grid_with_post(ctx) -> str:  # noqa: ANN001
    """An AB post on station ``ctx``: 王小明 (A) with 李芳 as the backup (B); both logins made here only."""
    auth.create_user(ctx, "wangxm", "王小明", Role.WORKER, "password-1")
    auth.create_user(ctx, "lifang", "李芳", Role.WORKER, "password-2", phone="13812348000")
    with ctx.transaction() as s:
        g = Grid(community_id=ctx.community_id, code="G1", name="一网格")
        s.add(g)
        s.flush()
        s.add(PostAssignment(community_id=ctx.community_id, post="一网格网格员", a_login="wangxm", b_login="lifang",
                             grid_id=g.id))
        return g.id


def _sync(*stations) -> None:  # noqa: ANN002
    for ctx in (*stations, *stations):
        assert sync.sync_now(ctx).ok


def test_work_order_assigned_on_a_shows_the_assignee_and_counts_for_the_same_worker_on_b(stations, clock):
    a, b = stations
    grid_id = _grid_with_post(a)
    order = work_orders.create_at_counter(a, "环境卫生", "楼道堆放杂物", "幸福里3栋2单元", "李女士 13800001111",
                                          grid_id=grid_id)
    assert work_orders.dispatch_pending(a).dispatched == 1
    wang_on_a = a.as_user(auth.login(a, "wangxm", "password-1"))
    clock.advance(hours=2)
    work_orders.record(wang_on_a, order.id, "feedback", "已电话联系居民")
    _sync(a, b)

    [on_b] = work_orders.list_orders(b, mine=False, open_only=False)
    assert (on_b.id, on_b.assignee_login, on_b.assignee_name, on_b.assigned_as) == (order.id, "wangxm", "王小明", "A")
    # the same person logs in on B (the login is the identity): the order is theirs there too
    auth.create_user(b, "wangxm", "王小明", Role.WORKER, "password-9")
    wang_on_b = b.as_user(auth.login(b, "wangxm", "password-9"))
    assert [v.id for v in work_orders.list_orders(wang_on_b)] == [order.id]

    period = Period.containing(local_today(clock), "quarter")
    per_a = kpi.compute(a, period).per_worker(k.FEEDBACK_24H)
    per_b = kpi.compute(b, period).per_worker(k.FEEDBACK_24H)
    assert {n: (i.numerator, i.denominator) for n, i in per_a.items()} == {"wangxm": (1, 1)}
    assert {n: (i.numerator, i.denominator) for n, i in per_b.items()} == {"wangxm": (1, 1)}
    assert kpi.compute(b, period).label("wangxm") == "王小明"


def test_ab_post_set_on_a_names_the_backup_on_b(stations, clock):
    a, b = stations
    _grid_with_post(a)
    _sync(a, b)
    day = local_today(clock)
    assert counter_oversight.mark_absent(b, "wangxm", day, "病假") == []
    warnings = counter_oversight.mark_absent(b, "lifang", day, "年假")
    assert [(w.post, w.a_name, w.b_name) for w in warnings] == [("一网格网格员", "王小明", "李芳")]


def test_the_backup_named_on_a_takes_the_request_on_b_when_a_is_away(stations, clock):
    a, b = stations
    grid_id = _grid_with_post(a)
    _sync(a, b)
    counter_oversight.mark_absent(b, "wangxm", local_today(clock), "病假")
    order = work_orders.create_at_counter(b, "设施维修", "路灯不亮", "幸福里5栋", "张先生", grid_id=grid_id)
    assert work_orders.dispatch_pending(b).to_b == 1
    [v] = [v for v in work_orders.list_orders(b, mine=False) if v.id == order.id]
    assert (v.assignee_login, v.assignee_name, v.assigned_as) == ("lifang", "李芳", "B")
    _sync(b, a)
    [on_a] = [v for v in work_orders.list_orders(a, mine=False) if v.id == order.id]
    assert (on_a.assignee_login, on_a.assignee_name) == ("lifang", "李芳")


def test_staff_directory_reaches_every_station_without_secrets(stations, clock):
    a, b = stations
    _grid_with_post(a)
    lifang = next(u for u in users.users(a) if u.login == "lifang")
    users.set_active(a, lifang.id, False)
    _sync(a, b)
    on_b = {e.login: e for e in staff.directory(b, include_inactive=True)}
    assert (on_b["wangxm"].display_name, on_b["wangxm"].role, on_b["wangxm"].local) == ("王小明", Role.WORKER, False)
    assert not on_b["lifang"].active and on_b["lifang"].phone_masked == "138****8000"
    with b.transaction() as s:
        rows = s.execute(select(StaffMember)).scalars().all()
    columns = set(StaffMember.__table__.columns.keys())
    assert not columns & {"password_hash", "failed_logins", "locked_until"} and len(rows) == 2


def test_same_login_created_on_two_stations_is_one_person_and_a_different_name_is_a_conflict(stations, clock):
    a, b = stations
    auth.create_user(a, "zhaolei", "赵磊", Role.CLERK, "password-1")
    auth.create_user(b, "zhaolei", "赵磊", Role.CLERK, "password-2")
    auth.create_user(a, "sunli", "孙丽", Role.CLERK, "password-1")
    auth.create_user(b, "sunli", "孙莉", Role.CLERK, "password-2")
    _sync(a, b)
    for ctx in (a, b):
        with ctx.transaction() as s:
            logins = sorted(s.execute(select(StaffMember.login).where(StaffMember.deleted_at.is_(None))).scalars())
            conflicts = s.execute(select(SyncConflict.entity, SyncConflict.field)).all()
        assert logins == ["sunli", "zhaolei"]
        assert conflicts == [("staff_member", "display_name")]     # the chief decides; nothing dropped
