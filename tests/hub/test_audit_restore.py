"""A restored backup's audit history is accepted by the hub (real PostgreSQL, real HTTP): the restore
entry names the held entry it continues, the hub keeps the superseded entries and flags the restore for
its operator; anything else that departs from the held history stays refused until the subdistrict
admin acknowledges exactly that departure."""

from __future__ import annotations

import sqlite3

from sqlalchemy import func, select

from shequ_desktop.cli import admin
from shequ_desktop.hub import audit as hub_audit
from shequ_desktop.hub import cli as hub_cli
from shequ_desktop.persistence.db import open_database
from shequ_desktop.services import audit, audit_remote, backup, sync
from shequ_desktop.services.context import AppContext, get_setting
from shequ_desktop.sync import audit_chain, audit_push, engine


def _record(ctx, n: int, tag: str = "p") -> None:  # noqa: ANN001
    for i in range(n):
        audit.record(ctx, audit.AuditAction.PRINT, "printed_document", "", f"{tag} {i}")


def _station_id(ctx) -> str:  # noqa: ANN001
    with ctx.transaction() as s:
        return get_setting(s, engine.HUB_STATION_KEY)


def _restore(ctx, backup_path, capsys) -> AppContext:  # noqa: ANN001
    """shequ-admin restore, then the program opened again on the restored store."""
    path = ctx.db.path
    ctx.db.dispose()
    assert admin.main(["--db", str(path), "restore", str(backup_path)]) == 0, capsys.readouterr().err
    restored = AppContext(db=open_database(path), clock=ctx.clock, user=ctx.user)
    restored.station_id, restored.community_id = ctx.station_id, ctx.community_id
    return restored


def _held_rows(hub, sid: str) -> int:  # noqa: ANN001
    with hub.store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(hub_audit.station_audit)
                            .where(hub_audit.station_audit.c.station_id == sid)).scalar_one()


def _flags_cli(hub, capsys, *args: str) -> tuple[int, str]:  # noqa: ANN001
    url = hub.store.engine.url.render_as_string(hide_password=False)
    code = hub_cli.main([*args, "--database-url", url])
    return code, capsys.readouterr().out


def test_a_restored_backup_continues_on_the_hub_which_keeps_and_flags_what_it_superseded(stations, hub, tmp_path,
                                                                                        capsys):
    a, _b = stations
    _record(a, 3)
    assert sync.sync_now(a).ok
    older = backup.backup_to(a, tmp_path / "bk").path        # audit entries 1..k1 (+ the backup entry after it)
    _record(a, 2, "q")
    assert sync.sync_now(a).ok
    newer = backup.backup_to(a, tmp_path / "bk").path
    _record(a, 4, "r")
    assert sync.sync_now(a).ok
    sid = _station_id(a)
    n = audit.count(a)
    k2 = sqlite3.connect(newer).execute("SELECT max(seq) FROM audit_log").fetchone()[0]

    a = _restore(a, newer, capsys)
    with a.transaction() as s:                       # the restore entry names the entry it continues
        marker = s.execute(select(audit.AuditEntry).where(audit.AuditEntry.seq == k2 + 1)).scalar_one()
    assert marker.action == audit.AuditAction.RESTORE
    text = audit.detail_text(marker.detail, lambda m: m)
    assert f"continues from its entry {k2}" in text and f"entries {k2 + 1}–{n} of the log before" in text
    _record(a, 1, "after")
    result = sync.sync_now(a)
    assert result.ok, result.problem
    with a.transaction() as s:
        assert get_setting(s, audit_push.PROBLEM_KEY) == ""          # accepted, not refused
    comparison = audit_remote.compare_with_hub(a)
    assert comparison.ok and comparison.compared == audit.count(a)
    assert admin.main(["--db", str(a.db.path), "audit", "verify"]) == 0
    flags = hub_audit.flags(hub.store, sid)
    assert [(f["reason"], f["seq"], f["state"]) for f in flags] == [("restored", k2 + 1, "accepted")]
    assert f"entries {k2 + 1}–{n} are superseded" in flags[0]["detail"]
    assert _held_rows(hub, sid) == n + (audit.count(a) - k2)         # nothing the hub held was removed
    held = hub_audit.entries(hub.store, sid, 0, 1000)
    assert [e["seq"] for e in held["entries"]] == list(range(1, audit.count(a) + 1))
    assert all(audit_chain.wire_digest(e) == e["hash"] for e in held["entries"])
    assert held["restores"][0]["fork_seq"] == k2 and held["restores"][0]["superseded_to"] == n

    # The operator sees it until the subdistrict admin acknowledges it (recorded, with the name given).
    code, out = _flags_cli(hub, capsys, "audit-flags")
    assert code == 1 and "restored" in out and "[accepted]" in out
    flag_id = flags[0]["id"]
    code, out = _flags_cli(hub, capsys, "audit-acknowledge", str(flag_id), "--by", "街道 王主任")
    assert code == 0
    code, out = _flags_cli(hub, capsys, "audit-flags")
    assert code == 0 and "[acknowledged by 街道 王主任" in out

    # A second restore, of an even older backup: a branch off the first history; still all kept.
    m = audit.count(a)
    k1 = sqlite3.connect(older).execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    a = _restore(a, older, capsys)
    _record(a, 2, "again")
    assert sync.sync_now(a).ok
    assert audit_remote.compare_with_hub(a).ok
    flags = hub_audit.flags(hub.store, sid)
    assert [(f["reason"], f["seq"]) for f in flags] == [("restored", k2 + 1), ("restored", k1 + 1)]
    assert f"entries {k1 + 1}–{m} are superseded" in flags[1]["detail"]
    assert _held_rows(hub, sid) == n + (m - k2) + (audit.count(a) - k1)
    _record(a, 1, "later")                           # and later pushes continue as usual
    assert sync.sync_now(a).ok and audit_remote.compare_with_hub(a).ok
    a.db.dispose()


def _rewrite_tail(ctx, from_seq: int, marker_detail: str | None = None) -> None:  # noqa: ANN001
    """Drop the entries from ``from_seq`` on and write one new one there (keyed, as the program would)."""
    conn = sqlite3.connect(ctx.db.path)
    conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    conn.execute("DELETE FROM audit_log WHERE seq >= ?", (from_seq,))
    conn.execute("DELETE FROM setting WHERE key='audit_head'")
    conn.commit()
    conn.close()
    with ctx.transaction() as s:
        last = s.execute(select(audit.AuditEntry).order_by(audit.AuditEntry.seq.desc()).limit(1)).scalar_one()
        from shequ_desktop.services.context import put_setting
        put_setting(s, "audit_head", f"{last.seq}:{last.hash}")
    if marker_detail is None:
        audit.record(ctx, audit.AuditAction.ADMIN, "", "", "cleaned up")
    else:
        audit.record(ctx, audit.AuditAction.RESTORE, "database", "", marker_detail)


def test_a_departure_without_a_valid_restore_entry_stays_refused_until_acknowledged(stations, hub, capsys):
    a, _b = stations
    _record(a, 6)
    assert sync.sync_now(a).ok
    sid = _station_id(a)
    n = audit.count(a)
    # A restore entry that claims to continue an entry it does not follow is no restore.
    _rewrite_tail(a, 4, audit.describe(audit.MSG_RESTORED_FROM, file="x.db", backup_at="2026-01-01 00:00",
                                       branch_seq=2, superseded_msg=""))
    assert not sync.sync_now(a).ok or audit_remote.compare_with_hub(a).hub_problem
    assert [f["reason"] for f in hub_audit.flags(hub.store, sid)] == ["rewritten"]
    # Plain truncation and a new entry (e.g. a restore made by an older program version): refused, flagged once.
    _rewrite_tail(a, 4)
    for _ in range(2):
        sync.sync_now(a)
    flags = hub_audit.flags(hub.store, sid)
    assert [(f["reason"], f["seq"], f["state"]) for f in flags] == [("rewritten", 4, "open")] * 2
    assert flags[0]["detail"] != flags[1]["detail"]
    assert audit_remote.compare_with_hub(a).hub_problem
    code, out = _flags_cli(hub, capsys, "audit-acknowledge", str(flags[0]["id"]), "--by", "王主任")
    assert code == 0                                  # the first departure, no longer the station's history
    sync.sync_now(a)
    assert audit_remote.compare_with_hub(a).hub_problem
    code, out = _flags_cli(hub, capsys, "audit-acknowledge", str(flags[1]["id"]), "--by", "王主任",
                           "--note", "站长来电：误删后重建")
    assert code == 0 and f"continues its history from entry 4" in out
    assert sync.sync_now(a).ok
    assert audit_remote.compare_with_hub(a).ok
    states = [f["state"] for f in hub_audit.flags(hub.store, sid)]
    assert states == ["acknowledged-waiting", "acknowledged"]
    assert _held_rows(hub, sid) == n + 1                              # entries 4..n kept, superseded
    code, _out = _flags_cli(hub, capsys, "audit-acknowledge", str(flags[1]["id"]), "--by", "王主任")
    assert code == 2                                                  # once is enough
