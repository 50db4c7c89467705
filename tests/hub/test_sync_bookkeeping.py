"""Sync bookkeeping (issue 9 follow-ups, real PostgreSQL hub): a conflict is reported once, not on the push
and again on the pull; an open conflict's hub value is the record's value now, so keeping the hub's side never
brings back an older value."""

from __future__ import annotations

from shequ_desktop.services import sync
from tests.hub.test_merge import edit, ok, row, shared


def test_a_new_conflict_is_reported_once(stations, hub):
    a, b = stations
    rid = shared(a, b, hub)
    edit(a, rid, phone="13911111111")
    edit(b, rid, phone="13922222222")
    ok(sync.sync_now(a))
    assert ok(sync.sync_now(b)).conflicts == 1          # was 2: once from the push, once from the pull
    assert ok(sync.sync_now(b)).conflicts == 0
    assert ok(sync.sync_now(a)).conflicts == 1          # A learns of it once too


def test_keeping_the_hubs_side_keeps_the_newest_hub_value(stations, hub):
    a, b = stations
    rid = shared(a, b, hub)
    edit(a, rid, phone="13911111111")
    edit(b, rid, phone="13922222222")
    ok(sync.sync_now(a))
    ok(sync.sync_now(b))                                # conflict: the hub keeps A's 139…1111
    edit(a, rid, phone="13955555555")                   # A changes the phone again (it had seen its own value)
    ok(sync.sync_now(a))
    ok(sync.sync_now(b))
    [c] = sync.conflicts(b)
    assert (c.local_value, c.remote_value) == ("13922222222", "13955555555")   # the hub's value now, not 139…1111
    sync.resolve_conflict(b, c.id, "remote")
    for _ in range(2):
        ok(sync.sync_now(b))
        ok(sync.sync_now(a))
    assert row(a, rid).phone == row(b, rid).phone == "13955555555"
    [done] = sync.conflicts(a, open_only=False)
    assert done.status == "resolved" and done.remote_value == "13955555555"
