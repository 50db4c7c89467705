"""Migration 0021_staff on a store with old-style rows: local user ids become logins (journaled, so the hub
and the other stations get them), ids of another station's users keep a clear marker and are reported, the
outbox still pushes, and the staff directory is filled from this station's users."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic import command

from shequ_desktop.domain.roles import Role
from shequ_desktop.domain.staff import staff_member_id
from shequ_desktop.persistence.db import alembic_config, make_engine, open_database
from shequ_desktop.services import staff
from shequ_desktop.services.context import AppContext, CurrentUser, load_station_settings

WANG = "0192f3a1-0000-7000-8000-00000000a001"      # this station's users
LI = "0192f3a1-0000-7000-8000-00000000a002"
OTHER = "0192f3a1-0000-7000-8000-00000000b009"     # a user of another station
T = "'2026-11-01 08:00:00.000000'"
BOOK = f"{T}, {T}, 'old', 1"


def _old_store(path: Path) -> None:
    engine = make_engine(path)
    cfg = alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0019_oversight_more")
        conn.commit()
    engine.dispose()
    raw = sqlite3.connect(path)       # rows as the program before 0021 wrote them
    raw.executescript(f"""
        INSERT INTO setting (key, value) VALUES ('community_id', 'c1'), ('station_id', 'st-a');
        INSERT INTO app_user (id, login, display_name, role, password_hash, phone, grid_id, active, failed_logins,
                              locked_until, created_at)
        VALUES ('{WANG}', 'wangxm', '王小明', 'worker', 'x', '13812348000', NULL, 1, 3, NULL, {T}),
               ('{LI}', 'lifang', '李芳', 'worker', 'x', '', NULL, 1, 0, NULL, {T});
        INSERT INTO post_assignment (id, community_id, post, a_user_id, b_user_id, grid_id, created_at, updated_at,
                                     updated_by, version)
        VALUES ('p1', 'c1', '一网格网格员', '{WANG}', '{LI}', NULL, {BOOK}),
               ('p2', 'c1', '二网格网格员', '{OTHER}', '{WANG}', NULL, {BOOK});
        INSERT INTO absence (id, community_id, user_id, day, reason, created_at, updated_at, updated_by, version)
        VALUES ('ab1', 'c1', '{OTHER}', '2026-11-02', '病假', {BOOK});
        INSERT INTO work_order (id, community_id, request_no, source, category, description, address, contact,
                                urgency, received_at, grid_id, assignee_id, assigned_as, status, result,
                                created_at, updated_at, updated_by, version)
        VALUES ('w1', 'c1', 'WO1', 'online', '环境卫生', '杂物', '', '', 'general', {T}, NULL, '{WANG}', 'A',
                'dispatched', '', {BOOK}),
               ('w2', 'c1', 'WO2', 'online', '环境卫生', '杂物', '', '', 'general', {T}, NULL, NULL, '', 'new', '',
                {BOOK});
        INSERT INTO patrol_entry (id, community_id, worker_id, worker_name, grid_id, day, route, seen, leads,
                                  created_at, updated_at, updated_by, version)
        VALUES ('pe1', 'c1', '{LI}', '李芳', NULL, '2026-11-01', '幸福里', '', '[]', {BOOK});
        INSERT INTO change_journal (change_id, entity, entity_id, community_id, op, fields, base_version,
                                    new_version, base, station_id, user_login, at, origin, pushed_at)
        VALUES ('ch1', 'work_order', 'w2', 'c1', 'update', '{{"assignee_id": "{LI}", "status": "dispatched"}}',
                1, 2, '{{"assignee_id": null, "status": "new", "deleted_at": null}}', 'st-a', 'chief', {T},
                'local', NULL),
               ('ch0', 'work_order', 'w1', 'c1', 'insert', '{{"assignee_id": "{WANG}"}}', 0, 1, NULL, 'st-a',
                'chief', {T}, 'local', {T});
    """)
    # the pending change was applied locally too
    raw.execute("UPDATE work_order SET assignee_id = ?, status = 'dispatched', version = 2 WHERE id = 'w2'", (LI,))
    raw.commit()
    raw.close()


def test_old_ids_become_logins_unknown_ones_are_marked_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_store(path)
    db = open_database(path, backup_dir=tmp_path / "bk")
    try:
        conn = sqlite3.connect(path)
        q = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        assert q("SELECT id, a_login, b_login, version FROM post_assignment ORDER BY id") == [
            ("p1", "wangxm", "lifang", 2), ("p2", "?" + OTHER, "wangxm", 2)]
        assert q("SELECT login, version FROM absence") == [("?" + OTHER, 1)]        # kept, marked, not journaled
        assert q("SELECT id, assignee_login FROM work_order ORDER BY id") == [("w1", "wangxm"), ("w2", "lifang")]
        assert q("SELECT worker_login, version FROM patrol_entry") == [("lifang", 1)]   # append-only: local only
        changes = {(e, i): (json.loads(f), json.loads(b) if b else None, bv) for e, i, f, b, bv in q(
            "SELECT entity, entity_id, fields, base, base_version FROM change_journal "
            "WHERE origin = 'local' AND pushed_at IS NULL AND user_login = 'system' AND op = 'update'")}
        assert changes[("post_assignment", "p1")] == (
            {"a_login": "wangxm", "b_login": "lifang"},
            {"a_login": "?" + WANG, "b_login": "?" + LI, "deleted_at": None}, 1)
        assert changes[("post_assignment", "p2")][0] == {"b_login": "wangxm"}     # the unknown A is not pushed
        assert ("absence", "ab1") not in changes and ("patrol_entry", "pe1") not in changes
        # the pending edit is rewritten: new name, login as value, base as the hub holds it
        [(fields, base)] = q("SELECT fields, base FROM change_journal WHERE change_id = 'ch1'")
        assert json.loads(fields) == {"assignee_login": "lifang", "status": "dispatched"}
        assert json.loads(base) == {"assignee_login": None, "status": "new", "deleted_at": None}
        # a pushed change stays as the hub has it
        assert json.loads(q("SELECT fields FROM change_journal WHERE change_id = 'ch0'")[0][0]) == {
            "assignee_id": WANG}
        # the directory: both users, journaled inserts, no password or lock data
        assert q("SELECT id, login, display_name, role, phone FROM staff_member ORDER BY login") == [
            (staff_member_id("c1", "lifang"), "lifang", "李芳", "worker", ""),
            (staff_member_id("c1", "wangxm"), "wangxm", "王小明", "worker", "13812348000")]
        assert q("SELECT count(*) FROM change_journal WHERE entity = 'staff_member' AND op = 'insert'") == [(2,)]
        conn.close()
        ctx = load_station_settings(AppContext(db=db, user=CurrentUser("x", "admin", "管理员", Role.ADMIN)))
        assert sorted((u.table, u.column, u.record_id, u.value) for u in staff.unresolved(ctx)) == [
            ("absence", "login", "ab1", "?" + OTHER), ("post_assignment", "a_login", "p2", "?" + OTHER)]
        names = staff.display_names(ctx)
        assert staff.name_of(names, "wangxm") == "王小明" and staff.name_of(names, "nobody") == "nobody"
    finally:
        db.dispose()
