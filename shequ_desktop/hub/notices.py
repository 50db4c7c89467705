"""``GET /api/v1/communities/{community_id}/notices``: the 公示 a community published, for the residents' app.

A 公示 is published on the workstation by printing it (考核监督: the evaluation result, the 社区治理之星
proposals, a quarterly inspection — specimen kind ``public-notice``); the register entry with the notice's
content (``printed_document.snapshot``) reaches the hub with the next sync. This endpoint serves exactly those:
title, issuer, introduction, table, closing lines, the posting period and the verification code — never who
printed it or any other register field. A voided notice (作废) is left out, a reprint (补打) is the same notice.

Nothing personal goes out: names on a 公示 are masked on paper already (DOMAIN §7.6); the hub also masks, in
every text of the notice, the names of the community's supervision committee members and ranked residents, and
any mobile number or ID number (the station's own hotline, ``contact``, stays as printed).

Access: the platform's credential (any community this hub serves) or a station of that community (403 for
another one); 404 for a community the hub does not serve.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.sql.elements import ColumnElement
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shequ_desktop.domain.masking import mask_id_number, mask_name, mask_phone
from shequ_desktop.hub.schema import entity_state
from shequ_desktop.sync import protocol as P

KIND = "public-notice"
SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_LIMIT, MAX_LIMIT = 50, 200
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_NAME_SOURCES = {"committee_member": "name", "resident_ranking": "name", "honour_title": "name"}


class NoticeError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _kind_is(store: Any) -> ColumnElement[bool]:
    if store.is_pg:
        return text("(entity_state.doc ->> 'kind') = :kind").bindparams(kind=KIND)
    return entity_state.c.doc["kind"].as_string() == KIND


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


class _Masker:
    """Masks known people's names, mobile numbers and ID numbers in the texts of a notice."""

    def __init__(self, names: set[str]) -> None:
        self.names = sorted((n for n in names if len(n) >= 2), key=len, reverse=True)

    def __call__(self, value: Any) -> str:
        s = str(value or "")
        for name in self.names:
            if name in s:
                s = s.replace(name, mask_name(name))
        s = _ID_NUMBER.sub(lambda m: mask_id_number(m.group()), s)
        return _MOBILE.sub(lambda m: mask_phone(m.group()), s)


def _names(conn: Any, community_id: str) -> set[str]:
    rows = conn.execute(select(entity_state.c.entity, entity_state.c.doc).where(
        entity_state.c.community_id == community_id, entity_state.c.entity.in_(tuple(_NAME_SOURCES))))
    return {str(r.doc.get(_NAME_SOURCES[r.entity]) or "").strip() for r in rows} - {""}


def notices(store: Any, who: Any, community_id: str, *, current_only: bool = False, limit: int = DEFAULT_LIMIT,
            today: dt.date | None = None) -> dict[str, Any]:
    """The community's published 公示, newest first (``current_only``: those still within their posting days)."""
    if not P.is_uuid(community_id) or not store.community_exists(community_id):
        raise NoticeError(404, "no such community on this hub")
    if who.kind == "station" and who.community_id != community_id:
        raise NoticeError(403, "this station may only read its own community")
    today = today or dt.datetime.now(dt.timezone.utc).astimezone(SHANGHAI).date()
    with store.engine.connect() as conn:
        docs = conn.execute(select(entity_state.c.entity_id, entity_state.c.doc).where(
            entity_state.c.entity == "printed_document", entity_state.c.community_id == community_id,
            _kind_is(store))).all()
        voided: set[str] = set()
        if docs:
            voided = {str(r.doc.get("document_id")) for r in conn.execute(select(entity_state.c.doc).where(
                entity_state.c.entity == "document_void", entity_state.c.community_id == community_id))}
        mask = _Masker(_names(conn, community_id))
    out: list[dict[str, Any]] = []
    for r in docs:
        d = r.doc
        snap = d.get("snapshot")
        if d.get("deleted_at") or d.get("reprint_of") or r.entity_id in voided or not isinstance(snap, dict):
            continue
        posted = _date(snap.get("posted_on")) or _date(d.get("printed_at"))
        try:
            days = max(1, int(snap.get("days") or 1))
        except (TypeError, ValueError):
            days = 1
        until = posted + dt.timedelta(days=days - 1) if posted else None
        running = bool(posted and until and posted <= today <= until)
        if current_only and not running:
            continue
        out.append({
            "serial_no": d.get("serial_no"), "verification_code": d.get("verification_code"),
            "title": mask(snap.get("title") or d.get("title")), "issuer": mask(snap.get("issuer") or d.get("issuer")),
            "posted_on": posted.isoformat() if posted else None, "until": until.isoformat() if until else None,
            "days": days, "current": running, "intro": mask(snap.get("intro")),
            "columns": [mask(c) for c in snap.get("columns") or []],
            "rows": [[mask(c) for c in row] for row in snap.get("rows") or [] if isinstance(row, list)],
            "closing": [mask(line) for line in snap.get("closing") or []],
            "contact": str(snap.get("contact") or "")})
    out.sort(key=lambda n: (n["posted_on"] or "", n["serial_no"] or ""), reverse=True)
    return {"community_id": community_id, "today": today.isoformat(), "notices": out[:limit]}


def routes(store: Any, principal: Any, guarded: Any, api_error: type[Exception]) -> list[Route]:
    def community_notices(request: Request) -> Response:
        p = principal(request)
        q = request.query_params
        try:
            limit = int(q.get("limit", str(DEFAULT_LIMIT)))
        except ValueError:
            raise api_error(422, "limit must be an integer") from None  # type: ignore[call-arg]
        if not 1 <= limit <= MAX_LIMIT:
            raise api_error(422, f"limit must be 1 to {MAX_LIMIT}")  # type: ignore[call-arg]
        current = q.get("current", "0").lower()
        if current not in ("0", "1", "true", "false"):
            raise api_error(422, "current must be 0 or 1")  # type: ignore[call-arg]
        try:
            body = notices(store, p, request.path_params["community_id"], current_only=current in ("1", "true"),
                           limit=limit)
        except NoticeError as e:
            raise api_error(e.status, e.message) from None  # type: ignore[call-arg]
        return Response(P.dumps(body), media_type="application/json", headers={"Cache-Control": "no-store"})

    return [Route("/api/v1/communities/{community_id}/notices", guarded(community_notices), methods=["GET"])]
