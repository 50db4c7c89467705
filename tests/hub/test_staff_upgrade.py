"""Upgrading a community whose records name staff by local user id (the old program): the hub (h0009_staff)
and a station (0021_staff) agree on the marker, so the station's conversion merges without a conflict; a
fresh station then shows the login's name; an old change whose user nobody converted stays visible as marked.
Real PostgreSQL hub, real SQLite stations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from sqlalchemy import select

from shequ_desktop.domain.ids import new_id
from shequ_desktop.domain.roles import Role
from shequ_desktop.hub.schema import entity_state
from shequ_desktop.hub.store import HubStore, hub_alembic_config
from shequ_desktop.persistence.db import alembic_config, make_engine, open_database
from shequ_desktop.persistence.sync_models import SyncConflict
from shequ_desktop.services import staff, sync, work_orders
from shequ_desktop.services.context import AppContext, CurrentUser
from shequ_desktop.services.station import ensure_station
from tests.hub.conftest import HubServer, make_station

WANG = "0192f3a1-0000-7000-8000-00000000a001"      # station A's local user id of wangxm
GONE = "0192f3a1-0000-7000-8000-00000000c009"      # a user of a station that never upgrades
T = "2026-11-20T08:00:00+00:00"


def _order(oid: str, community: str, assignee: str) -> dict:
    return {"id": oid, "community_id": community, "request_no": "WO-" + oid[-4:], "source": "online",
            "category": "环境卫生", "description": "楼道堆放杂物", "address": "幸福里3栋", "contact": "李女士",
            "urgency": "general", "received_at": T, "grid_id": None, "assignee_id": assignee, "assigned_as": "A",
            "status": "dispatched", "feedback_at": None, "arrived_at": None, "result": "", "closed_at": None,
            "deleted_at": None}


def _old_hub(url: str, community: str, actor: str, orders: list[dict], monkeypatch) -> None:  # noqa: ANN001
    """The hub as the old program left it: schema h0008, work orders merged with their ``assignee_id``."""
    store = HubStore(url)
    cfg = hub_alembic_config()
    with store.engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "h0008_trust")
        conn.commit()
    with monkeypatch.context() as m:      # the old hub knew the old column
        m.setattr(HubStore, "_reject_reason", staticmethod(lambda *_a: None))
        with store.engine.begin() as conn:
            store._apply(conn, actor, community, [
                {"change_id": new_id(), "entity": "work_order", "entity_id": o["id"], "community_id": community,
                 "op": "insert", "fields": o, "base_version": 0, "new_version": 1, "station_id": actor,
                 "user_login": "chief", "at": T} for o in orders])
    store.migrate()                       # → h0009_staff
    store.dispose()


def _old_station_a(path: Path, community: str, order_id: str) -> None:
    engine = make_engine(path)
    cfg = alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0019_oversight_more")
        conn.commit()
    engine.dispose()
    raw = sqlite3.connect(path)
    t = "2026-11-20 08:00:00.000000"
    raw.execute("INSERT INTO setting (key, value) VALUES ('community_id', ?)", (community,))
    raw.execute("INSERT INTO app_user (id, login, display_name, role, password_hash, phone, grid_id, active, "
                "failed_logins, locked_until, created_at) VALUES (?, 'wangxm', '王小明', 'worker', 'x', '', NULL, 1, 0, "
                "NULL, ?)", (WANG, t))
    raw.execute("INSERT INTO work_order (id, community_id, request_no, source, category, description, address, contact, "
                "urgency, received_at, grid_id, assignee_id, assigned_as, status, result, created_at, updated_at, "
                "updated_by, version) VALUES (?, ?, ?, 'online', '环境卫生', '楼道堆放杂物', '幸福里3栋', '李女士', "
                "'general', ?, NULL, ?, 'A', 'dispatched', '', ?, ?, 'chief', 1)",
                (order_id, community, "WO-" + order_id[-4:], t, WANG, t, t))
    raw.commit()
    raw.close()


def test_upgraded_hub_and_station_turn_old_ids_into_logins_without_conflicts(
        hub_db_url, tmp_path, clock, community_id, monkeypatch):  # noqa: ANN001
    monkeypatch.setenv("SHEQU_CREDENTIAL_STORE", "file")
    store = HubStore(hub_db_url)
    cred_a = store.add_station("站A", community_id)
    cred_b = store.add_station("站B", community_id)
    store.dispose()
    mine, theirs = new_id(), new_id()
    _old_hub(hub_db_url, community_id, cred_a.station_id,
             [_order(mine, community_id, WANG), _order(theirs, community_id, GONE)], monkeypatch)
    with HubStore(hub_db_url).engine.connect() as conn:      # h0009: the old ids are marked, under the new name
        docs = {r.entity_id: r.doc for r in conn.execute(select(entity_state.c.entity_id, entity_state.c.doc)
                                                         .where(entity_state.c.entity == "work_order"))}
    assert docs[mine]["assignee_login"] == "?" + WANG and "assignee_id" not in docs[mine]
    server = HubServer(HubStore(hub_db_url)).start()
    try:
        _old_station_a(tmp_path / "a.db", community_id, mine)
        db = open_database(tmp_path / "a.db")                  # → 0021_staff
        a = ensure_station(AppContext(db=db, clock=clock, user=CurrentUser("u-admin", "admin", "管理员", Role.ADMIN)))
        sync.configure(a, server.url, cred_a.token)
        assert sync.sync_now(a).ok and sync.sync_now(a).ok
        b = make_station(tmp_path, "b", community_id, clock, login="b_admin")
        sync.configure(b, server.url, cred_b.token)
        assert sync.sync_now(b).ok

        with server.store.engine.connect() as conn:
            doc = conn.execute(select(entity_state.c.doc).where(entity_state.c.entity == "work_order",
                                                                 entity_state.c.entity_id == mine)).scalar_one()
            conflicts = conn.execute(select(entity_state.c.entity_id).where(
                entity_state.c.entity == "sync_conflict")).all()
        assert doc["assignee_login"] == "wangxm" and conflicts == []
        views = {v.id: v for v in work_orders.list_orders(b, mine=False)}
        assert (views[mine].assignee_login, views[mine].assignee_name) == ("wangxm", "王小明")
        assert views[theirs].assignee_login == "?" + GONE          # kept, visibly marked — not dropped
        with b.transaction() as s:
            assert s.execute(select(SyncConflict)).scalars().all() == []
        assert [(u.table, u.record_id) for u in staff.unresolved(b)] == [("work_order", theirs)]
        db.dispose()
        b.db.dispose()
    finally:
        server.stop()
        server.store.dispose()
