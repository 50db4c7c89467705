"""The audit chain anchored on the hub (real PostgreSQL, real HTTP): pushed with the sync, append-only
there, a rewritten history refused and flagged, and `audit verify` names the entries that differ."""

from __future__ import annotations

import sqlite3

import httpx
import pytest
import sqlalchemy

from shequ_desktop.cli import admin
from shequ_desktop.hub import audit as hub_audit
from shequ_desktop.hub import cli as hub_cli
from shequ_desktop.services import audit, audit_remote, sync
from shequ_desktop.sync import audit_chain, audit_push


def _record(ctx, n: int, start: int = 0) -> None:  # noqa: ANN001
    for i in range(start, start + n):
        audit.record(ctx, audit.AuditAction.PRINT, "printed_document", "", f"print {i}")


def _tamper(ctx):  # noqa: ANN001, ANN202
    conn = sqlite3.connect(ctx.db.path)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    return conn


def _station_id(hub, ctx) -> str:  # noqa: ANN001
    with ctx.transaction() as s:
        from shequ_desktop.services.context import get_setting
        from shequ_desktop.sync import engine
        return get_setting(s, engine.HUB_STATION_KEY)


def test_entries_go_to_the_hub_with_the_sync_and_verify_compares(stations, hub, capsys):
    a, _b = stations
    _record(a, 4)
    assert sync.sync_now(a).ok
    held = hub_audit.entries(hub.store, _station_id(hub, a), 0, 100)
    local = audit.count(a)
    assert held["head"]["seq"] == local and len(held["entries"]) == local
    assert all(audit_chain.wire_digest(e) == e["hash"] for e in held["entries"])
    comparison = audit_remote.compare_with_hub(a)
    assert comparison.ok and comparison.compared == local
    assert admin.main(["--db", str(a.db.path), "audit", "verify"]) == 0
    assert f"{local} entries held by both" in capsys.readouterr().out
    assert sync.sync_now(a).ok                       # a repeated push of the overlap is harmless
    assert hub_audit.flags(hub.store) == []
    hub.stop()                                       # offline: the local keyed check stands, and says so
    assert admin.main(["--db", str(a.db.path), "audit", "verify"]) == 0
    assert "checked with this station's key only" in capsys.readouterr().out


def test_a_rewritten_history_is_named_by_verify_and_refused_and_flagged_by_the_hub(stations, hub, capsys):
    a, _b = stations
    _record(a, 5)
    assert sync.sync_now(a).ok
    sid = _station_id(hub, a)
    held_before = hub_audit.entries(hub.store, sid, 0, 100)["entries"]
    conn = _tamper(a)
    rows = conn.execute("SELECT seq, at, station_id, user_login, action, entity, entity_id, detail "
                        "FROM audit_log ORDER BY seq").fetchall()
    prev = conn.execute("SELECT prev_hash FROM audit_log WHERE seq=3").fetchone()[0]
    for seq, at, station, login, action, entity, entity_id, detail in rows[2:]:
        detail = "nothing printed" if seq == 3 else detail
        h = audit_chain.digest(prev, seq, at.replace(" ", "T"), station, login, action, entity, entity_id, detail)
        conn.execute("UPDATE audit_log SET detail=?, prev_hash=?, hash=? WHERE seq=?", (detail, prev, h, seq))
        prev = h
    conn.commit()
    n = len(rows)
    assert admin.main(["--db", str(a.db.path), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"Entries that differ from the hub's copy: 3–{n}" in err
    _record(a, 1, start=10)                          # the next entry continues the rewritten chain
    sync.sync_now(a)
    flags = hub_audit.flags(hub.store, sid)
    assert [f["reason"] for f in flags] == ["rewritten"] and flags[0]["seq"] == n
    assert hub_audit.entries(hub.store, sid, 0, 100)["entries"] == held_before      # the hub kept its copy
    assert audit_remote.compare_with_hub(a).hub_problem


def test_truncation_and_deleting_everything_show_as_missing_here(stations, hub, capsys):
    a, _b = stations
    _record(a, 5)
    assert sync.sync_now(a).ok
    n = audit.count(a)
    conn = _tamper(a)
    conn.execute("DELETE FROM audit_log WHERE seq > 2")
    conn.commit()
    assert audit_remote.compare_with_hub(a).missing_here == list(range(3, n + 1))
    conn.execute("DELETE FROM audit_log")
    conn.execute("DELETE FROM setting WHERE key='audit_head'")
    conn.commit()
    assert admin.main(["--db", str(a.db.path), "audit", "verify"]) == 1
    assert f"Entries on the hub but missing here: 1–{n}" in capsys.readouterr().err
    _record(a, 1, start=10)                          # a fresh log: entry 1 is not the hub's entry 1
    sync.sync_now(a)
    assert [f["reason"] for f in hub_audit.flags(hub.store)] == ["rewritten"]


def test_the_hub_refuses_gaps_and_forks_and_keeps_its_copy_append_only(stations, hub, capsys):
    a, _b = stations
    _record(a, 3)
    with a.transaction() as s:
        from sqlalchemy import select

        from shequ_desktop.persistence.models import AuditEntry
        wire = [audit_push.to_wire(e) for e in s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()]
    token = sync.credentials.load_token(sync.paths.data_dir(), sync._account(a))
    http = httpx.Client(base_url=hub.url, headers={"Authorization": f"Bearer {token}"})
    assert http.post("/api/v1/audit/push", json={"entries": wire[:1]}).json()["head"]["seq"] == 1
    gap = http.post("/api/v1/audit/push", json={"entries": wire[2:]})
    assert gap.status_code == 409 and gap.json()["reason"] == "gap"
    forged = dict(wire[1], detail="forged", prev_hash="f" * 64)
    forged["hash"] = audit_chain.wire_digest(forged)
    fork = http.post("/api/v1/audit/push", json={"entries": [forged]})
    assert fork.status_code == 409 and fork.json()["reason"] == "fork"
    bad = http.post("/api/v1/audit/push", json={"entries": [dict(wire[1], detail="changed")]})
    assert bad.status_code == 409 and bad.json()["reason"] == "hash"
    assert http.post("/api/v1/audit/push", json={"entries": [{"seq": 2}]}).status_code == 422
    assert [f["reason"] for f in hub_audit.flags(hub.store)] == ["gap", "fork", "hash"]
    url = hub.store.engine.url.render_as_string(hide_password=False)
    assert hub_cli.main(["audit-flags", "--database-url", url]) == 1
    assert [line.split()[3] for line in capsys.readouterr().out.splitlines()] == ["gap", "fork", "hash"]
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"):
        with hub.store.engine.begin() as conn:
            conn.execute(sqlalchemy.text("UPDATE station_audit SET detail='x'"))
    with pytest.raises(sqlalchemy.exc.DBAPIError, match="append-only"):
        with hub.store.engine.begin() as conn:
            conn.execute(sqlalchemy.text("DELETE FROM station_audit"))
    http.close()
