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
    Column("branch", Integer, primary_key=True, default=0),   # 0, then one more per accepted restored history
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
    Column("reason", String(32), nullable=False),             # rewritten / gap / fork / hash / restored
    Column("seq", BigInteger, nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_audit_flag_station", "station_id"),
)

# A restored history the hub accepted: entries after fork_seq are read from this branch; the parent's
# entries fork_seq+1..superseded_to stay held (superseded). how: "restore" (the station's restore entry
# continues an entry the hub holds) or "acknowledged" (the admin acknowledged flag_id).
audit_branch = Table(
    "audit_branch", metadata,
    Column("station_id", String(36), primary_key=True),
    Column("branch", Integer, primary_key=True),
    Column("parent", Integer, nullable=False),
    Column("fork_seq", BigInteger, nullable=False),
    Column("superseded_to", BigInteger, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("how", String(16), nullable=False),
    Column("flag_id", BigInteger, nullable=True),
)

# The subdistrict admin's acknowledgements of flags (``shequ-hub audit-acknowledge``), append-only.
audit_ack = Table(
    "audit_ack", metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("flag_id", BigInteger, nullable=False),
    Column("station_id", String(36), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("by_name", String(100), nullable=False),
    Column("os_user", String(100), nullable=False),
    Column("note", Text, nullable=False),
)

RESTORE_ACTION = "restore"      # services/audit.AuditAction.RESTORE; its params name the entry it continues


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


class _Chain:
    """A station's current history as the hub holds it: the newest branch back to its fork point, then
    its parent, and so on down to branch 0. ``segments``: (branch, after seq, up to seq or None)."""

    def __init__(self, conn: Connection, station_id: str) -> None:
        self.conn, self.station_id = conn, station_id
        rows = {r.branch: r for r in conn.execute(select(audit_branch).where(
            audit_branch.c.station_id == station_id))}
        self.branch = max(rows, default=0)
        self.segments: list[tuple[int, int, int | None]] = []
        b, upper = self.branch, None
        while b:
            fork = int(rows[b].fork_seq)
            self.segments.append((b, fork, upper))
            b, upper = int(rows[b].parent), fork if upper is None else min(upper, fork)
        self.segments.append((0, 0, upper))

    def _where(self, branch: int, lo: int, hi: int | None) -> Any:
        c = station_audit.c
        cond = and_(c.station_id == self.station_id, c.branch == branch, c.seq > lo)
        return and_(cond, c.seq <= hi) if hi is not None else cond

    def head(self) -> tuple[int, str]:
        for branch, lo, hi in self.segments:
            row = self.conn.execute(select(station_audit.c.seq, station_audit.c.hash)
                                    .where(self._where(branch, lo, hi))
                                    .order_by(station_audit.c.seq.desc()).limit(1)).first()
            if row:
                return int(row[0]), str(row[1])
        return 0, GENESIS

    def hashes(self, first: int, last: int) -> dict[int, str]:
        """seq → hash of the held entries first..last of the current history."""
        found: dict[int, str] = {}
        for branch, lo, hi in self.segments:
            rows = self.conn.execute(select(station_audit.c.seq, station_audit.c.hash).where(and_(
                self._where(branch, max(lo, first - 1), last if hi is None else min(hi, last)))))
            found.update((int(q), str(h)) for q, h in rows)
        return found

    def rows(self, after: int, limit: int) -> list[Any]:
        result: list[Any] = []
        for branch, lo, hi in reversed(self.segments):
            if len(result) >= limit or (hi is not None and hi <= max(lo, after)):
                continue
            result += self.conn.execute(select(station_audit).where(self._where(branch, max(lo, after), hi))
                                        .order_by(station_audit.c.seq).limit(limit - len(result))).all()
        return result


def _restore_params(e: dict[str, Any]) -> dict[str, Any] | None:
    """The parameters of a station's restore entry that names the entry it continues (the backup's newest)."""
    if e["action"] != RESTORE_ACTION:
        return None
    try:
        params = json.loads(e["detail"])["params"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(params, dict) or params.get("branch_seq") != e["seq"] - 1:
        return None
    return params


def _acknowledged_flag(conn: Connection, station_id: str, e: dict[str, Any]) -> int | None:
    """An acknowledged 'rewritten' flag for exactly this departure (same entry, same content), not used yet."""
    used = {r[0] for r in conn.execute(select(audit_branch.c.flag_id).where(
        audit_branch.c.station_id == station_id))}
    q = (select(audit_flag.c.id, audit_flag.c.detail).join(audit_ack, audit_ack.c.flag_id == audit_flag.c.id)
         .where(and_(audit_flag.c.station_id == station_id, audit_flag.c.reason == "rewritten",
                     audit_flag.c.seq == e["seq"])))
    for flag_id, detail in conn.execute(q):
        if flag_id not in used and json.loads(detail).get("station_hash") == e["hash"]:
            return int(flag_id)
    return None


def _branch_off(conn: Connection, chain: _Chain, community_id: str, e: dict[str, Any], held_to: int,
                now: dt.datetime, flag_id: int | None, params: dict[str, Any] | None) -> _Chain:
    """Start a new branch at entry e (which continues held entry e.seq−1); the old entries stay held."""
    new = chain.branch + 1
    with_flag = flag_id
    if flag_id is None:        # accepted because it is a restore of a backup whose newest entry the hub holds
        p = params or {}
        message = (f"restored from the backup {p.get('file', '?')} of {p.get('backup_at', '?')} (its newest entry "
                   f"{e['seq'] - 1} is held here); the hub's entries {e['seq']}–{held_to} are superseded and kept")
        with_flag = conn.execute(insert(audit_flag).values(
            station_id=chain.station_id, community_id=community_id, at=now, reason="restored", seq=e["seq"],
            detail=json.dumps({"message": message, "branch": new, "superseded": [e["seq"], held_to],
                               "file": p.get("file", ""), "backup_at": p.get("backup_at", "")},
                              ensure_ascii=False)).returning(audit_flag.c.id)).scalar_one()
    conn.execute(insert(audit_branch).values(
        station_id=chain.station_id, branch=new, parent=chain.branch, fork_seq=e["seq"] - 1,
        superseded_to=held_to, created_at=now, how="restore" if flag_id is None else "acknowledged",
        flag_id=with_flag))
    return _Chain(conn, chain.station_id)


def push(store: Any, station_id: str, community_id: str, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """Append the entries that continue the chain. A batch that departs from the held history is
    refused and flagged — unless it starts with the station's restore entry continuing an entry the
    hub holds, or the admin acknowledged exactly this departure: then the held entries after the
    departure stay (superseded, flagged for the operator) and the station's history continues."""
    now = dt.datetime.now(dt.timezone.utc)
    try:
        with store.engine.begin() as conn:
            if store.is_pg:
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:k))"), {"k": "audit:" + station_id})
            chain = _Chain(conn, station_id)
            seq, head = chain.head()
            held = chain.hashes(entries[0]["seq"] - 1, entries[-1]["seq"]) if entries else {}
            added = 0
            for e in entries:
                if wire_digest(e) != e["hash"]:
                    raise AuditRefused("hash", e["seq"], f"entry {e['seq']}: the hash does not match its content")
                if e["seq"] <= seq:
                    if held.get(e["seq"]) == e["hash"]:
                        continue
                    before = held.get(e["seq"] - 1) if e["seq"] > 1 else GENESIS
                    if before is None:
                        before = chain.hashes(e["seq"] - 1, e["seq"] - 1).get(e["seq"] - 1)
                    clean = e["prev_hash"] == before
                    params = _restore_params(e) if clean else None
                    flag_id = _acknowledged_flag(conn, station_id, e) if clean and params is None else None
                    if params is None and flag_id is None:
                        raise AuditRefused("rewritten", e["seq"], f"entry {e['seq']} differs from the hub's copy: "
                                           "the station's audit history was rewritten",
                                           {"hub_hash": held.get(e["seq"]), "station_hash": e["hash"],
                                            "branch_point_held": clean})
                    chain = _branch_off(conn, chain, community_id, e, seq, now, flag_id, params)
                    seq, head, held = e["seq"] - 1, e["prev_hash"], {}
                if e["seq"] != seq + 1:
                    raise AuditRefused("gap", e["seq"], f"entries {seq + 1}–{e['seq'] - 1} are missing")
                if e["prev_hash"] != head:
                    raise AuditRefused("fork", e["seq"], f"entry {e['seq']} does not continue entry {seq} "
                                       "held by the hub: the station's audit history was rewritten")
                conn.execute(insert(station_audit).values(
                    station_id=station_id, branch=chain.branch, seq=e["seq"], community_id=community_id,
                    entry_station=e["station_id"], at=e["at"], user_login=e["user_login"], action=e["action"],
                    entity=e["entity"], entity_id=e["entity_id"], detail=e["detail"], prev_hash=e["prev_hash"],
                    hash=e["hash"], received_at=now))
                seq, head, added = e["seq"], e["hash"], added + 1
    except AuditRefused as refused:
        _flag(store, station_id, community_id, now, refused)
        raise
    return {"added": added, "head": {"seq": seq, "hash": head}}


def _flag(store: Any, station_id: str, community_id: str, now: dt.datetime, refused: AuditRefused) -> None:
    """Record a refusal once (a station that keeps sending the same history does not add a flag per sync)."""
    detail = json.dumps({"message": refused.message, **refused.detail}, ensure_ascii=False)
    with store.engine.begin() as conn:
        seen = conn.execute(select(audit_flag.c.id).where(and_(
            audit_flag.c.station_id == station_id, audit_flag.c.reason == refused.reason,
            audit_flag.c.seq == refused.seq, audit_flag.c.detail == detail))).first()
        if seen is None:
            conn.execute(insert(audit_flag).values(station_id=station_id, community_id=community_id, at=now,
                                                   reason=refused.reason, seq=refused.seq, detail=detail))


def entries(store: Any, station_id: str, after: int, limit: int) -> dict[str, Any]:
    """The station's current history after ``after`` (superseded entries are not in it; see ``restores``)."""
    with store.engine.connect() as conn:
        chain = _Chain(conn, station_id)
        rows = chain.rows(after, limit)
        seq, head = chain.head()
        restores = restores_of(conn, station_id)
    return {"entries": [{"seq": r.seq, "at": r.at, "station_id": r.entry_station, "user_login": r.user_login,
                         "action": r.action, "entity": r.entity, "entity_id": r.entity_id, "detail": r.detail,
                         "prev_hash": r.prev_hash, "hash": r.hash} for r in rows],
            "head": {"seq": seq, "hash": head}, "restores": restores}


def restores_of(conn: Connection, station_id: str) -> list[dict[str, Any]]:
    """Each accepted restored history: where it departs and which held entries it superseded."""
    rows = conn.execute(select(audit_branch).where(audit_branch.c.station_id == station_id)
                        .order_by(audit_branch.c.branch)).all()
    return [{"branch": r.branch, "fork_seq": int(r.fork_seq), "superseded_to": int(r.superseded_to),
             "how": r.how, "at": r.created_at.isoformat() if hasattr(r.created_at, "isoformat") else str(r.created_at)}
            for r in rows]


def flags(store: Any, station_id: str | None = None) -> list[dict[str, Any]]:
    """Every flag with its state: open (the station's pushes are refused), accepted (the hub took the
    restored history; to be acknowledged), acknowledged (by whom, when)."""
    q = select(audit_flag).order_by(audit_flag.c.id)
    if station_id:
        q = q.where(audit_flag.c.station_id == station_id)
    with store.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(q)]
        acks: dict[int, Any] = {int(r.flag_id): r for r in conn.execute(select(audit_ack).order_by(audit_ack.c.id))}
        used = {int(r[0]) for r in conn.execute(select(audit_branch.c.flag_id).where(
            audit_branch.c.flag_id.is_not(None)))}
    for f in rows:
        ack = acks.get(int(f["id"]))
        f["acknowledged_by"] = ack.by_name if ack is not None else ""
        f["acknowledged_at"] = ack.at if ack is not None else None
        f["state"] = ("acknowledged" if ack is not None and (int(f["id"]) in used or f["reason"] == "restored")
                      else "accepted" if int(f["id"]) in used
                      else "acknowledged-waiting" if ack is not None else "open")
    return rows


class AckRefused(Exception):
    pass


def acknowledge(store: Any, flag_id: int, by_name: str, os_user: str, note: str = "") -> dict[str, Any]:
    """The subdistrict admin acknowledges a flag (recorded, append-only). A 'restored' flag: reviewed.
    A 'rewritten' flag whose departure continues an entry the hub holds: the station's next push of
    exactly that history is accepted as a restored history (the held entries stay, superseded)."""
    if not by_name.strip():
        raise AckRefused("say who acknowledges (--by NAME)")
    with store.engine.begin() as conn:
        flag = conn.execute(select(audit_flag).where(audit_flag.c.id == flag_id)).first()
        if flag is None:
            raise AckRefused(f"no flag {flag_id}")
        if conn.execute(select(audit_ack.c.id).where(audit_ack.c.flag_id == flag_id)).first():
            raise AckRefused(f"flag {flag_id} is already acknowledged")
        if flag.reason not in ("restored", "rewritten"):
            raise AckRefused(f"a '{flag.reason}' flag cannot be accepted: only a rewritten (restored) history can")
        if flag.reason == "rewritten" and not json.loads(flag.detail).get("branch_point_held"):
            raise AckRefused(f"the station's history departs before entry {flag.seq}; its next sync sends its whole "
                             "log and the hub flags the first entry that differs — acknowledge that flag")
        conn.execute(insert(audit_ack).values(flag_id=flag_id, station_id=flag.station_id,
                                              at=dt.datetime.now(dt.timezone.utc), by_name=by_name.strip()[:100],
                                              os_user=os_user[:100], note=note))
    return dict(flag._mapping)


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
