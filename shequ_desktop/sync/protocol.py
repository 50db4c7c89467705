"""The wire protocol between a workstation and the hub (shared by both sides; no I/O here).

Push  ``POST /api/v1/sync/push``  body ``{"changes": [Change, ...]}`` (journal order, ≤ MAX_PUSH)
      → ``{"results": [{"change_id", "status", "seq"?, "reason"?, "conflicts"?}, ...]}``
      status: ``accepted`` | ``duplicate`` (already had it — harmless) | ``rejected`` (quarantine).
Pull  ``GET /api/v1/sync/pull?after=SEQ&limit=N``
      → ``{"items": [[seq, Item], ...], "cursor": SEQ, "more": bool}``

A Change is one journal row: change_id, entity, entity_id, community_id, op, fields,
base_version, new_version, station_id, user_login, at, and (optional) ``base``: the values the station
saw before the change — each changed field's old value and ``deleted_at`` (an update), the whole record
(a removal). The hub merges a field only where it still holds that base; otherwise it records a conflict.
An Item is the hub's accepted change: the same keys (without ``base``), ``fields`` = the values the hub
applied and ``version`` = the hub's version after it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

PROTOCOL_VERSION = 1
MAX_PUSH = 500
MAX_PULL = 5000
DEFAULT_PULL = 2000
OPS = ("insert", "update", "delete")
HUB_STATION = "hub"
CONFLICT_ENTITY = "sync_conflict"

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_VERSION = 2 ** 31 - 1      # versions are 32-bit integers in the hub's tables
MAX_SEQ = 2 ** 63 - 1          # sequence numbers (cursors) are 64-bit
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")

try:  # orjson is optional: about 10x faster encoding, 2x faster decoding (PERF-BASELINES §5)
    import orjson as _orjson

    def dumps(obj: Any) -> bytes:
        return _orjson.dumps(obj)

    def loads(data: bytes | str) -> Any:
        return _orjson.loads(data)

    FAST_JSON = True
except ImportError:  # pragma: no cover - exercised where orjson is absent
    def dumps(obj: Any) -> bytes:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def loads(data: bytes | str) -> Any:
        return json.loads(data)

    FAST_JSON = False


def ndjson_lines(pieces: Iterable[bytes], with_raw: bool = False) -> Iterator[Any]:
    """Decode newline-delimited JSON arriving in arbitrary byte pieces (the snapshot's body):
    each line as it completes (``with_raw``: (decoded line, its bytes) pairs)."""
    buf = b""
    for data in pieces:
        buf += data
        if b"\n" not in data:
            continue
        lines = buf.split(b"\n")
        buf = lines.pop()
        for line in lines:
            if line:
                yield (loads(line), line) if with_raw else loads(line)
    if buf.strip():
        yield (loads(buf), buf) if with_raw else loads(buf)


class MalformedChange(ValueError):
    """The change is not well-formed (a client bug or a tampered payload): a 4xx, nothing stored."""


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def check_change(obj: Any) -> dict[str, Any]:
    """Validate the shape of one pushed change; returns it, or raises MalformedChange with the reason."""
    if not isinstance(obj, dict):
        raise MalformedChange("a change must be a JSON object")
    for key in ("change_id", "entity_id", "community_id"):
        if not is_uuid(obj.get(key)):
            raise MalformedChange(f"{key} must be a UUID string")
    if not isinstance(obj.get("entity"), str) or not _NAME.match(obj["entity"]):
        raise MalformedChange("entity must be a table name")
    if obj.get("op") not in OPS:
        raise MalformedChange(f"op must be one of {', '.join(OPS)}")
    if not isinstance(obj.get("fields"), dict):
        raise MalformedChange("fields must be a JSON object")
    if any(not isinstance(k, str) or not _NAME.match(k) for k in obj["fields"]):
        raise MalformedChange("field names must be column names")
    if "base" in obj and obj["base"] is not None:
        if not isinstance(obj["base"], dict) or any(not isinstance(k, str) or not _NAME.match(k)
                                                    for k in obj["base"]):
            raise MalformedChange("base must be a JSON object of column names")
    for key in ("base_version", "new_version"):
        v = obj.get(key)
        if not isinstance(v, int) or isinstance(v, bool) or v < 0:
            raise MalformedChange(f"{key} must be a non-negative integer")
        if v > MAX_VERSION:
            raise MalformedChange(f"{key} is out of range (at most {MAX_VERSION})")
    if not isinstance(obj.get("station_id"), str) or not obj["station_id"] or len(obj["station_id"]) > 64:
        raise MalformedChange("station_id must be a short string")
    if not isinstance(obj.get("user_login"), str) or len(obj["user_login"]) > 64:
        raise MalformedChange("user_login must be a short string")
    if not isinstance(obj.get("at"), str) or not _ISO.match(obj["at"]) or not _real_time(obj["at"]):
        raise MalformedChange("at must be an ISO 8601 timestamp with a UTC offset")
    return obj


def _real_time(text: str) -> bool:
    """A timestamp that exists on the calendar (the pattern alone lets 0000-00-00T… through)."""
    try:
        dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return False
    return True
