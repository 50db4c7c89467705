"""The audit chain is keyed with a per-station key kept outside the database file: the three
rewrites that passed `audit verify` before (truncate + move the head, delete everything, rewrite
an entry and re-hash the rest) are detected."""

from __future__ import annotations

import sqlite3
import stat
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from shequ_desktop.persistence.models import AuditEntry
from shequ_desktop.services import audit, audit_key
from shequ_desktop.sync import audit_chain


_COLUMNS = ("seq", "at", "station_id", "user_login", "action", "entity", "entity_id", "detail", "prev_hash", "hash")


@pytest.fixture
def log(ctx, db_path):  # noqa: ANN001, ANN201
    for i in range(5):
        audit.record(ctx, audit.AuditAction.PRINT, "printed_document", f"d{i}", f"print {i}")
    assert audit.verify(ctx).ok
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TRIGGER audit_log_no_update")     # a determined tamperer with the database file
    conn.execute("DROP TRIGGER audit_log_no_delete")
    yield conn
    conn.close()


def _rows(conn):  # noqa: ANN001, ANN202
    return conn.execute("SELECT seq, at, station_id, user_login, action, entity, entity_id, detail, hash, mac "
                        "FROM audit_log ORDER BY seq").fetchall()


def _set_head(conn, value: str) -> None:  # noqa: ANN001
    conn.execute("UPDATE setting SET value=? WHERE key='audit_head'", (value,))
    conn.commit()


def test_removing_the_newest_entries_and_moving_the_head_is_detected(ctx, log):
    head_mac = log.execute("SELECT value FROM setting WHERE key='audit_head'").fetchone()[0].split(":")[2]
    log.execute("DELETE FROM audit_log WHERE seq > 3")
    third = _rows(log)[-1][8]
    _set_head(log, f"3:{third}")                             # what passed before: the old head format
    assert audit.verify(ctx).reason == "missing"
    _set_head(log, f"3:{third}:{head_mac}")                  # the old signature does not fit the new head
    result = audit.verify(ctx)
    assert not result.ok and result.first_broken_seq == 4


def test_deleting_everything_is_detected(ctx, log):
    log.execute("DELETE FROM audit_log")
    log.execute("DELETE FROM setting WHERE key='audit_head'")
    log.commit()
    result = audit.verify(ctx)
    assert (result.ok, result.reason, result.checked) == (False, "emptied", 0)


def test_rewriting_an_entry_and_rehashing_the_rest_is_detected(ctx, log):
    old_mac = log.execute("SELECT value FROM setting WHERE key='audit_head'").fetchone()[0].split(":")[2]
    prev = _rows(log)[0][8]
    for seq, at, station, login, action, entity, entity_id, detail, _h, _mac in _rows(log)[1:]:
        if seq == 2:
            detail = "nothing printed"
        h = audit_chain.digest(prev, seq, at.replace(" ", "T") if "T" not in at else at, station, login, action,
                               entity, entity_id, detail)
        log.execute("UPDATE audit_log SET detail=?, prev_hash=?, hash=? WHERE seq=?", (detail, prev, h, seq))
        prev = h
    _set_head(log, f"5:{prev}")
    with ctx.transaction() as s:                              # a valid chain by the unkeyed rule of before
        unkeyed = [SimpleNamespace(**{c: getattr(e, c) for c in _COLUMNS}, mac="")
                   for e in s.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()]
    assert audit.check_chain(unkeyed, f"5:{prev}", key=None).ok
    result = audit.verify(ctx)
    assert (result.ok, result.first_broken_seq) == (False, 2)
    log.execute("UPDATE audit_log SET mac=''")                # pretending the entries predate the key
    _set_head(log, f"5:{prev}:{old_mac}")
    assert not audit.verify(ctx).ok


def test_the_key_is_outside_the_database_and_private(ctx, db_path):
    audit.record(ctx, audit.AuditAction.BACKUP, "database", "", "x")
    path = audit_key.key_file(ctx.station_id)
    assert path.exists() and path.parent != db_path.parent
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() not in db_path.read_bytes().hex()
