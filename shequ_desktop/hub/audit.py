"""The hub's copy of every station's audit chain: append-only, each batch must continue the chain the
hub already holds; a station that sends a different history is refused and flagged.

``station_audit`` holds the entries per hub credential (station); ``audit_flag`` records every refused
rewrite (rewritten entries, a gap, a fork, an entry whose hash does not match its content).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from sqlalchemy import (BigInteger, Column, DateTime, Index, Integer, String, Table, Text, and_, insert, select,
                        text)
from sqlalchemy.engine import Connection
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shequ_desktop.hub.schema import metadata
from shequ_desktop.sync import protocol as P
from shequ_desktop.sync.audit_chain import GENESIS, WIRE_FIELDS, wire_digest

MAX_AUDIT_BATCH = 500
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
BigId = BigInteger().with_variant(Integer(), "sqlite")

station_audit = Table(
    "station_audit", metadata,
    Column("station_id", String(36), primary_key=True),      # the hub credential that pushed it
    Column("seq", BigInteger, primary_key=True),
    Column("community_id", String(36), nullable=False),
    Column("entry_station", String(64), nullable=False),      # the station id inside the entry (hashed)
    Column("at", String(40), nullable=False),
    Column("user_login", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("entity", String(64), nullable=False),
    Column("entity_id", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

audit_flag = Table(
    "audit_flag", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("station_id", String(36), nullable=False),
    Column("community_id", String(36), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("reason", String(32), nullable=False),             # rewritten / gap / fork / hash
    Column("seq", BigInteger, nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_audit_flag_station", "station_id"),
)


class AuditRefused(Exception):
    def __init__(self, reason: str, seq: int, message: str, detail: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.reason, self.seq, self.message, self.detail = reason, seq, message, detail or {}


def check_entry(e: Any) -> dict[str, Any]:
    """Shape of one pushed entry (ValueError with the reason)."""
    if not isinstance(e, dict) or set(e) != set(WIRE_FIELDS):
        raise ValueError(f"an entry has exactly the fields {', '.join(WIRE_FIELDS)}")
    if not isinstance(e["seq"], int) or isinstance(e["seq"], bool) or not 1 <= e["seq"] < 2**53:
        raise ValueError("seq must be a positive integer")
    for f in WIRE_FIELDS[1:]:
        if not isinstance(e[f], str):
            raise ValueError(f"{f} must be a string")
    if not (_HEX64.match(e["hash"]) and _HEX64.match(e["prev_hash"])):
        raise ValueError("hash and prev_hash are 64 hex digits")
    if len(e["detail"]) > 20000 or any(len(e[f]) > 64 for f in ("station_id", "user_login", "entity", "entity_id")) \
            or len(e["action"]) > 32 or len(e["at"]) > 40:
        raise ValueError("a field is too long")
    return e


def _head(conn: Connection, station_id: str) -> tuple[int, str]:
    row = conn.execute(select(station_audit.c.seq, station_audit.c.hash)
                       .where(station_audit.c.station_id == station_id)
                       .order_by(station_audit.c.seq.desc()).limit(1)).first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def push(store: Any, station_id: str, community_id: str, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Append the entries that continue the chain; refuse (and flag) a batch that rewrites it."""
    now = dt.datetime.now(dt.timezone.utc)
    try:
        with store.engine.begin() as conn:
            if store.is_pg:
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": "audit:" + station_id})
            seq, head = _head(conn, station_id)
            added = 0
            for e in entries:
                if wire_digest(e) != e["hash"]:
                    raise AuditRefused("hash", e["seq"], f"entry {e['seq']}: the hash does not match its content")
                if e["seq"] <= seq:
                    held = conn.execute(select(station_audit.c.hash).where(and_(
                        station_audit.c.station_id == station_id, station_audit.c.seq == e["seq"]))).scalar()
                    if held != e["hash"]:
                        raise AuditRefused("rewritten", e["seq"], f"entry {e['seq']} differs from the hub's copy: "
                                           "the station's audit history was rewritten",
                                           {"hub_hash": held, "station_hash": e["hash"]})
                    continue
                if e["seq"] != seq + 1:
                    raise AuditRefused("gap", e["seq"], f"entries {seq + 1}–{e['seq'] - 1} are missing")
                if e["prev_hash"] != head:
                    raise AuditRefused("fork", e["seq"], f"entry {e['seq']} does not continue entry {seq} "
                                       "held by the hub: the station's audit history was rewritten")
                conn.execute(insert(station_audit).values(
                    station_id=station_id, seq=e["seq"], community_id=community_id, entry_station=e["station_id"],
                    at=e["at"], user_login=e["user_login"], action=e["action"], entity=e["entity"],
                    entity_id=e["entity_id"], detail=e["detail"], prev_hash=e["prev_hash"], hash=e["hash"],
                    received_at=now))
                seq, head, added = e["seq"], e["hash"], added + 1
    except AuditRefused as refused:
        with store.engine.begin() as conn:
            conn.execute(insert(audit_flag).values(
                station_id=station_id, community_id=community_id, at=now, reason=refused.reason, seq=refused.seq,
                detail=json.dumps({"message": refused.message, **refused.detail}, ensure_ascii=False)))
        raise
    return {"added": added, "head": {"seq": seq, "hash": head}}


def entries(store: Any, station_id: str, after: int, limit: int) -> dict[str, Any]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(station_audit).where(and_(station_audit.c.station_id == station_id,
                                                             station_audit.c.seq > after))
                            .order_by(station_audit.c.seq).limit(limit)).all()
        seq, head = _head(conn, station_id)
    return {"entries": [{"seq": r.seq, "at": r.at, "station_id": r.entry_station, "user_login": r.user_login,
                         "action": r.action, "entity": r.entity, "entity_id": r.entity_id, "detail": r.detail,
                         "prev_hash": r.prev_hash, "hash": r.hash} for r in rows],
            "head": {"seq": seq, "hash": head}}


def flags(store: Any, station_id: str | None = None) -> list[dict[str, Any]]:
    q = select(audit_flag).order_by(audit_flag.c.id)
    if station_id:
        q = q.where(audit_flag.c.station_id == station_id)
    with store.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(q)]


def routes(store: Any, principal: Any, body_json: Any, guarded: Any, api_error: type[Exception]) -> list[Route]:
    """POST /api/v1/audit/push {"entries": [...]} and GET /api/v1/audit?after=N&limit=M (the station's own)."""

    def station_of(request: Request) -> Any:
        p = principal(request)
        if p.kind != "station" or not p.community_id:
            raise api_error(403, "only a station credential has an audit log")
        return p

    def audit_push(request: Request) -> Response:
        p = station_of(request)
        body = body_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("entries"), list):
            raise api_error(422, "expected {\"entries\": [...]}")
        if len(body["entries"]) > MAX_AUDIT_BATCH:
            raise api_error(413, f"at most {MAX_AUDIT_BATCH} entries per push")
        try:
            batch = [check_entry(e) for e in body["entries"]]
        except ValueError as e:
            raise api_error(422, str(e)) from None
        try:
            result = push(store, p.id, p.community_id, batch)
        except AuditRefused as e:
            raise api_error(409, e.message, reason=e.reason, seq=e.seq) from None
        return Response(P.dumps(result), media_type="application/json")

    def audit_entries(request: Request) -> Response:
        p = station_of(request)
        try:
            after = int(request.query_params.get("after", "0"))
            limit = int(request.query_params.get("limit", str(MAX_AUDIT_BATCH)))
        except ValueError:
            raise api_error(422, "after and limit must be integers") from None
        if not (0 <= after < 2**53 and 1 <= limit <= 5000):
            raise api_error(422, "after must be ≥ 0 and limit 1–5000")
        return Response(P.dumps(entries(store, p.id, after, limit)), media_type="application/json")

    return [Route("/api/v1/audit/push", guarded(audit_push), methods=["POST"]),
            Route("/api/v1/audit", guarded(audit_entries), methods=["GET"])]
