"""The audit chain's hash rule and wire form, shared by the station (services/audit, sync/audit_push)
and the hub (hub/audit), so both compute the same digest for the same entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

GENESIS = "0" * 64
WIRE_FIELDS = ("seq", "at", "station_id", "user_login", "action", "entity", "entity_id", "detail", "prev_hash",
               "hash")


def at_text(at: dt.datetime) -> str:
    return at.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")


def digest(prev: str, seq: int, at: dt.datetime | str, station: str, login: str, action: str,
           entity: str, entity_id: str, detail: str) -> str:
    """SHA-256 over the entry and its predecessor's hash (the chain link)."""
    when = at if isinstance(at, str) else at_text(at)
    payload = json.dumps([prev, seq, when, station, login, action, entity, entity_id, detail], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def wire_digest(e: dict[str, Any]) -> str:
    return digest(str(e["prev_hash"]), int(e["seq"]), str(e["at"]), str(e["station_id"]), str(e["user_login"]),
                  str(e["action"]), str(e["entity"]), str(e["entity_id"]), str(e["detail"]))
