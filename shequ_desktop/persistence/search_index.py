"""Search side tables for residents, kept in step with every flush.

- ``resident_gram``: each 1- and 2-character gram of the name (most Chinese names are 2–3
  characters and FTS5 trigram cannot answer queries shorter than 3 characters).
- ``resident_fts``: FTS5 trigram over ID number, phone and address for fragments of 3+ characters.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from shequ_desktop.persistence.journal import JournaledSession
from shequ_desktop.persistence.models import Resident

FTS_DDL = ("CREATE VIRTUAL TABLE IF NOT EXISTS resident_fts USING fts5("
           "resident_id UNINDEXED, id_number, phone, address, tokenize='trigram')")
_INDEXED = ("name", "id_number", "phone", "address", "deleted_at")


def name_grams(name: str) -> set[str]:
    chars = "".join(name.split())
    grams = set(chars)
    grams.update(chars[i:i + 2] for i in range(len(chars) - 1))
    return grams


def _index(conn: Connection, rows: list[Any]) -> None:
    ids = [{"rid": r.id} for r in rows]
    if not ids:
        return
    conn.execute(text("DELETE FROM resident_gram WHERE resident_id = :rid"), ids)
    conn.execute(text("DELETE FROM resident_fts WHERE resident_id = :rid"), ids)
    live = [r for r in rows if r.deleted_at is None]
    grams = [{"g": g, "rid": r.id} for r in live for g in name_grams(r.name)]
    if grams:
        conn.execute(text("INSERT OR IGNORE INTO resident_gram (gram, resident_id) VALUES (:g, :rid)"), grams)
    if live:
        conn.execute(text("INSERT INTO resident_fts (resident_id, id_number, phone, address) "
                          "VALUES (:rid, :idn, :ph, :ad)"),
                     [{"rid": r.id, "idn": r.id_number, "ph": r.phone or "", "ad": r.address or ""} for r in live])


def _after_flush(session: Session, _ctx: Any) -> None:
    changed = [o for o in session.new if isinstance(o, Resident)]
    for o in session.dirty:
        if isinstance(o, Resident):
            state = o.__dict__.get("_sa_instance_state")
            if state is not None and any(state.attrs[k].history.has_changes() for k in _INDEXED):
                changed.append(o)
    if changed:
        _index(session.connection(), changed)


event.listen(JournaledSession, "after_flush", _after_flush)


def rebuild(conn: Connection) -> int:
    """Rebuild both side tables from the resident table (after restore or a bulk pull)."""
    conn.execute(text("DELETE FROM resident_gram"))
    conn.execute(text("DELETE FROM resident_fts"))
    rows = conn.execute(text("SELECT id, name, id_number, phone, address, deleted_at FROM resident")).all()
    _index(conn, list(rows))
    return len(rows)
