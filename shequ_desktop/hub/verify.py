"""``GET /api/v1/verify/{code}``: the school or office that receives a paper checks it (no credential).

It answers the same minimal facts as the station's 文书核验 (domain/documents.py): kind, serial,
issue date, issuing station, the masked name and the status (有效 / 已作废 / 已过期) — never an ID
number or a phone. It reads the synced register (``printed_document``) and voids (``document_void``)
from ``entity_state``; on PostgreSQL the lookup uses the expression index of migration h0006.
A browser (Accept: text/html) gets a small Chinese page; everything else gets JSON.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.sql.elements import ColumnElement
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from shequ_desktop.domain import documents as rules
from shequ_desktop.domain.clock import to_local
from shequ_desktop.hub.schema import entity_state
from shequ_desktop.hub.store import HubStore
from shequ_desktop.sync import protocol as P

_ENTITIES = ("printed_document", "document_void")


def _code_is(store: HubStore, code: str) -> ColumnElement[bool]:
    if store.is_pg:  # the literal key lets the planner use ix_entity_state_verification_code
        return text("(entity_state.doc ->> 'verification_code') = :code").bindparams(code=code)
    return entity_state.c.doc["verification_code"].as_string() == code


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        if len(str(value)) <= 10:
            return dt.date.fromisoformat(str(value))
        return to_local(dt.datetime.fromisoformat(str(value))).date()
    except ValueError:
        return None


def lookup(store: HubStore, code: str, today: dt.date | None = None) -> dict[str, Any] | None:
    """The public facts of the document with ``code``, or None when the hub knows no such document."""
    with store.engine.connect() as conn:
        rows = conn.execute(select(entity_state.c.entity, entity_state.c.doc)
                            .where(entity_state.c.entity.in_(_ENTITIES), _code_is(store, code))).all()
    docs = [r.doc for r in rows if r.entity == "printed_document" and not r.doc.get("deleted_at")]
    voids = sorted((r.doc for r in rows if r.entity == "document_void"), key=lambda d: str(d.get("voided_at")))
    original = next((d for d in docs if not d.get("reprint_of")), docs[0] if docs else None)
    if original is None:
        return None
    today = today or to_local(dt.datetime.now(dt.timezone.utc)).date()
    valid_until = _date(original.get("valid_until"))
    status = rules.status(valid_until, bool(voids), today)
    issued = _date(original.get("printed_at"))
    return {"code": code, "kind": original.get("kind"), "title": original.get("title"),
            "serial_no": original.get("serial_no"), "issued_on": issued.isoformat() if issued else None,
            "issuer": original.get("issuer") or "", "holder": original.get("holder") or "",
            "status": status, "status_text": rules.STATUS_TEXT[status],
            "valid_until": valid_until.isoformat() if valid_until else None,
            "voided_on": (d.isoformat() if (d := _date(voids[0].get("voided_at"))) else None) if voids else None}


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept


def _page(facts: dict[str, Any] | None, code: str) -> str:
    if facts is None:
        body = f"<p class='bad'>未查到验证码为 {html.escape(code)} 的文书。请核对验证码，或向出具单位核实。</p>"
    else:
        rows = [("文书", facts["title"]), ("编号", facts["serial_no"]), ("开具日期", facts["issued_on"]),
                ("开具单位", facts["issuer"]), ("持有人", facts["holder"]), ("状态", facts["status_text"])]
        if facts["valid_until"]:
            rows.append(("有效期至", facts["valid_until"]))
        cls = "ok" if facts["status"] == rules.VALID else "bad"
        body = "<table>" + "".join(f"<tr><th>{k}</th><td class='{cls if k == '状态' else ''}'>"
                                   f"{html.escape(str(v or '—'))}</td></tr>" for k, v in rows) + "</table>"
    return ("<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><meta name='viewport' "
            "content='width=device-width'><title>文书核验</title><style>body{font-family:sans-serif;margin:2em}"
            "th{text-align:left;padding-right:1em}.ok{color:#1d6b3a;font-weight:bold}"
            ".bad{color:#a12622;font-weight:bold}</style></head><body><h1>文书核验</h1>"
            f"{body}<p><small>本页仅显示核验所需的最少信息。</small></p></body></html>")


def verify_endpoint(request: Request) -> Response:
    store: HubStore = request.app.state.store
    raw = request.path_params["code"]
    code = rules.parse_code(raw) or ""
    facts = lookup(store, code) if code else None
    if _wants_html(request):
        return HTMLResponse(_page(facts, code or raw[:20]), status_code=200 if facts else 404)
    if facts is None:
        return Response(P.dumps({"error": "no such document"}), status_code=404, media_type="application/json")
    return Response(P.dumps(facts), media_type="application/json",
                    headers={"Cache-Control": "no-store"})
