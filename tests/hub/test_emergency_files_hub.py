"""Attached drill files travel through the real hub (PostgreSQL, HTTP): the content reaches the other station
byte for byte; pushes and pull pages are cut by size, not only by count; the hub validates the new kinds."""

from __future__ import annotations

import datetime as dt
import os

from sqlalchemy import text

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.ids import new_id
from shequ_desktop.hub import store as hub_store
from shequ_desktop.services import sync
from shequ_desktop.services.emergency import drills, files, team
from shequ_desktop.services.emergency.drills import ExerciseInput
from shequ_desktop.services.emergency.files import NewFile
from shequ_desktop.sync import engine


def _count(hub, sql: str) -> int:
    with hub.store.engine.connect() as conn:
        return int(conn.execute(text(sql)).scalar_one())


def test_drill_files_reach_the_other_station_through_the_hub(stations, hub, monkeypatch):
    a, b = stations
    ok = lambda r: r if r.ok else (_ for _ in ()).throw(AssertionError(r.problem))  # noqa: E731
    ok(sync.sync_now(b))                                   # b is set up before the files exist
    member = team.add_member(a, team.MemberInput("李四", "volunteer", "member", "13800001111"))
    photo = os.urandom(e.FILE_PART_BYTES * 3 + 777)        # four parts
    sheet = "签到表 李四".encode()
    day = a.clock.now().date() - dt.timedelta(days=2)
    x = drills.record_exercise(a, ExerciseInput("drill", day, "地震疏散演练", 45, ((member.id, True),),
                                                files=(NewFile("现场照片.jpg", photo, "photo"),
                                                       NewFile("签到表.png", sheet, "sign_in"))))
    pushes = []
    real_push = engine._push_batch
    monkeypatch.setattr(engine, "_push_batch", lambda client, changes: pushes.append(len(changes)) or
                        real_push(client, changes))
    monkeypatch.setattr(engine, "PUSH_BYTES", 600_000)     # one full part (≈ 350 KB) per push
    res = ok(sync.sync_now(a))
    assert res.rejected == 0
    assert len(pushes) >= 3 and sum(pushes) == _count(hub, "SELECT count(*) FROM change_log")
    assert _count(hub, "SELECT count(*) FROM change_log WHERE entity = 'em_file_part'") == 5

    # the hub cuts a pull page by size as well (at least one change per page)
    monkeypatch.setattr(hub_store, "PULL_BYTES", 500_000)
    principal = hub.store.authenticate(sync.make_client(b).token)
    page = hub.store.pull(principal, 0, 2000)
    import json
    body = json.loads(page)
    assert body["more"] is True and 1 <= len(body["items"]) < 10

    ok(sync.sync_now(b))
    [f1, f2] = files.list_files(b, x.id)
    assert (f1.file_name, f1.complete, f2.personal) == ("现场照片.jpg", True, True)
    assert files.content(b, f1.id)[1] == photo and files.content(b, f2.id)[1] == sheet
    assert drills.list_exercises(b)[0].files == 2

    files.withdraw(b, f1.id, "重复")                        # a withdrawal travels back
    ok(sync.sync_now(b))
    ok(sync.sync_now(a))
    assert [f.file_name for f in files.list_files(a, x.id)] == ["签到表.png"]


def test_hub_refuses_bad_file_values(stations):
    a, _b = stations
    from shequ_desktop.hub import validate
    assert "must be one of" in validate.check_value(validate.rules("em_file")["kind"], "video")
    assert "at most" in validate.check_value(validate.rules("em_file")["size"], e.MAX_FILE_BYTES + 1)

    def change(entity, fields):
        return {"change_id": new_id(), "entity": entity, "entity_id": new_id(), "community_id": a.community_id,
                "op": "insert", "fields": fields, "base_version": 0, "new_version": 1, "station_id": "s",
                "user_login": "u", "at": "2026-11-30T08:00:00+00:00"}

    good = {"owner_kind": "exercise", "owner_id": new_id(), "kind": "photo", "file_name": "a.jpg",
            "media_type": "image/jpeg", "size": 3, "sha256": "0" * 64, "parts": 1, "personal": False,
            "created_by": "u", "withdraws_id": None, "reason": "", "deleted_at": None}
    with sync.make_client(a) as client:
        [r] = client.push([change("em_file", {**good, "owner_kind": "resident"})])
        assert r["status"] == "rejected" and "owner_kind" in r["reason"]
        [r] = client.push([change("em_file_part", {"file_id": new_id(), "position": e.MAX_FILE_PARTS,
                                                   "data": "AAAA", "deleted_at": None})])
        assert r["status"] == "rejected" and "position" in r["reason"]
        [r] = client.push([change("em_file", good)])
        assert r["status"] == "accepted"
