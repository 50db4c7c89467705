"""Send this station's audit entries to the hub with every sync, so the chain has a copy outside the
database file; read the hub's copy back for ``audit verify``.

The hub holds the chain append-only and refuses (and flags) a batch that does not continue it; the
refusal is kept in the setting ``audit.hub_problem`` and does not stop the records' sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from shequ_desktop.persistence.db import Database
from shequ_desktop.persistence.models import AuditEntry
from shequ_desktop.sync import protocol as P
from shequ_desktop.sync.audit_chain import at_text
from shequ_desktop.sync.client import HubClient, HubRejected
from shequ_desktop.sync.engine import get_value, put_value

PUSHED_KEY = "audit.hub_seq"          # the last entry the hub confirmed holding
PROBLEM_KEY = "audit.hub_problem"
BATCH = 500


@dataclass
class AuditPushReport:
    sent: int = 0
    hub_seq: int = 0
    refused: str = ""


def to_wire(e: AuditEntry) -> dict[str, Any]:
    return {"seq": e.seq, "at": at_text(e.at), "station_id": e.station_id, "user_login": e.user_login,
            "action": e.action, "entity": e.entity, "entity_id": e.entity_id, "detail": e.detail,
            "prev_hash": e.prev_hash, "hash": e.hash}


def push_audit(db: Database, client: HubClient) -> AuditPushReport:
    """Send the entries the hub does not hold yet, starting with the last one it confirmed (so the hub
    compares that one with its copy: a history rewritten here is refused and flagged there)."""
    report = AuditPushReport()
    with db.session_factory() as s:
        report.hub_seq = int(get_value(s, PUSHED_KEY, "0") or 0)
        local_max = s.execute(select(func.max(AuditEntry.seq))).scalar() or 0
    after = max(0, min(report.hub_seq, local_max) - 1)
    while True:
        with db.session_factory() as s:
            batch = [to_wire(e) for e in s.execute(select(AuditEntry).where(AuditEntry.seq > after)
                                                   .order_by(AuditEntry.seq).limit(BATCH)).scalars()]
        if not batch:
            break
        try:
            resp = client._send("POST", "/api/v1/audit/push", content=P.dumps({"entries": batch}),
                                headers={"Content-Type": "application/json"})
        except HubRejected as e:
            report.refused = e.message
            break
        report.hub_seq = int(P.loads(resp.content)["head"]["seq"])
        report.sent += len(batch)
        after = batch[-1]["seq"]
    with db.session_factory() as s, s.begin():
        # Refused: send the whole log next time, so the hub names the first entry that differs (where an
        # admin's acknowledgement can let the station's history continue).
        put_value(s, PUSHED_KEY, "0" if report.refused else str(report.hub_seq))
        put_value(s, PROBLEM_KEY, report.refused)
    return report


def hub_copy(client: HubClient) -> list[dict[str, Any]]:
    """Every entry the hub holds for this station, in order."""
    result: list[dict[str, Any]] = []
    after = 0
    while True:
        page = P.loads(client._send("GET", "/api/v1/audit", params={"after": after, "limit": 5000}).content)
        result.extend(page["entries"])
        if not page["entries"]:
            return result
        after = int(page["entries"][-1]["seq"])
