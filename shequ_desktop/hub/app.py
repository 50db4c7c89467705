"""The hub's HTTP API (Starlette). Handlers are plain functions: Starlette runs them in its thread pool."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import zlib
from collections.abc import Iterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from shequ_desktop.hub.audit import routes as audit_routes
from shequ_desktop.hub.notices import routes as notice_routes
from shequ_desktop.hub.openapi import OPENAPI, docs_html
from shequ_desktop.hub.surveys import routes as survey_routes
from shequ_desktop.hub.verify import verify_endpoint
from shequ_desktop.hub.store import (SEED_PIECE, AuthError, Forbidden, HubStore, Principal, SeedUnavailable,
                                     UnknownCommunity, check_request)
from shequ_desktop.sync import protocol as P

MAX_BODY = 16 * 1024 * 1024
REVISION_RE = re.compile(r"[0-9A-Za-z_]{1,32}")     # a desktop schema revision (alembic id)


class ApiError(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.extra = status, message, extra


def _json(data: Any, status: int = 200) -> Response:
    return Response(P.dumps(data), status_code=status, media_type="application/json")


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header value lists gzip (not refused with ``q=0``)."""
    for item in accept_encoding.lower().split(","):
        name, _, params = item.partition(";")
        if name.strip() in ("gzip", "x-gzip"):
            q = params.strip()
            if q.startswith("q="):
                try:
                    return float(q[2:]) > 0
                except ValueError:
                    return True
            return True
    return False


def gunzip_pieces(body: bytes) -> Iterator[bytes]:
    """The decompressed content of a (single-member) gzip body, piece by piece."""
    d = zlib.decompressobj(31)
    for start in range(0, len(body), SEED_PIECE):
        out = d.decompress(body[start:start + SEED_PIECE])
        if out:
            yield out
    tail = d.flush()
    if tail:
        yield tail


def gzip_size(body: bytes) -> int:
    """The decompressed size of a single-member gzip body (its ISIZE trailer: exact below 4 GiB)."""
    return int.from_bytes(body[-4:], "little")


def create_app(store: HubStore) -> Starlette:
    import anyio

    def principal(request: Request) -> Principal:
        auth = request.headers.get("authorization", "")
        if not auth.lower().startswith("bearer "):
            raise ApiError(401, "missing bearer credential")
        try:
            return store.authenticate(auth[7:].strip())
        except AuthError as e:
            raise ApiError(401, str(e)) from None

    def body_json(request: Request) -> Any:
        length = request.headers.get("content-length")
        if length and (not length.strip().isdigit() or int(length) > MAX_BODY):
            raise ApiError(413, "request body too large")
        raw = anyio.from_thread.run(request.body)
        if len(raw) > MAX_BODY:
            raise ApiError(413, "request body too large")
        try:
            return P.loads(raw)
        except (ValueError, TypeError):
            raise ApiError(400, "the body is not valid JSON") from None

    def guarded(handler: Any) -> Any:
        def endpoint(request: Request) -> Response:
            try:
                return handler(request)
            except ApiError as e:
                headers = {"WWW-Authenticate": "Bearer"} if e.status == 401 else None
                return Response(P.dumps({"error": e.message, **e.extra}), status_code=e.status,
                                media_type="application/json", headers=headers)
            except Forbidden as e:
                return _json({"error": str(e)}, 403)
        endpoint.__name__ = handler.__name__
        return endpoint

    def health(request: Request) -> Response:
        return _json({"ok": True, "service": "shequ-hub", "protocol": P.PROTOCOL_VERSION})

    def whoami(request: Request) -> Response:
        p = principal(request)
        return _json({"station_id": p.id, "name": p.name, "kind": p.kind, "community_id": p.community_id,
                      "protocol": P.PROTOCOL_VERSION,
                      "head": store.head(p.community_id) if p.community_id else 0})

    def push(request: Request) -> Response:
        p = principal(request)
        body = body_json(request)
        if not isinstance(body, dict) or not isinstance(body.get("changes"), list):
            raise ApiError(422, "expected {\"changes\": [...]}")
        changes = body["changes"]
        if len(changes) > P.MAX_PUSH:
            raise ApiError(413, f"at most {P.MAX_PUSH} changes per push")
        for i, c in enumerate(changes):
            try:
                P.check_change(c)
            except P.MalformedChange as e:
                raise ApiError(422, f"change {i}: {e}", index=i,
                               change_id=c.get("change_id") if isinstance(c, dict) else None) from None
        return _json({"results": store.push(p, changes)})

    def pull(request: Request) -> Response:
        p = principal(request)
        q = request.query_params
        if "community" in q and q["community"] != p.community_id:
            raise ApiError(403, "this station may only read its own community")
        try:
            after = int(q.get("after", "0"))
            limit = int(q.get("limit", str(P.DEFAULT_PULL)))
        except ValueError:
            raise ApiError(422, "after and limit must be integers") from None
        if after < 0 or limit < 1:
            raise ApiError(422, "after must be ≥ 0 and limit ≥ 1")
        if after > P.MAX_SEQ:
            raise ApiError(422, f"after is out of range (at most {P.MAX_SEQ})")
        limit = min(limit, P.MAX_PULL)
        return Response(store.pull(p, after, limit), media_type="application/json")

    def snapshot(request: Request) -> Response:
        """The community's state as NDJSON (HubStore.snapshot); the stored gzip body as is when accepted."""
        p = principal(request)
        snap = store.snapshot(p)
        headers = {"X-Snapshot-Cursor": str(snap.cursor), "X-Snapshot-Rows": str(snap.rows),
                   "X-Snapshot-Created": snap.created_at.astimezone(dt.timezone.utc).isoformat(),
                   "Vary": "Accept-Encoding", "Cache-Control": "no-store"}
        if accepts_gzip(request.headers.get("accept-encoding", "")):
            return Response(snap.body, media_type="application/x-ndjson",
                            headers={**headers, "Content-Encoding": "gzip"})
        return Response(gzip.decompress(snap.body), media_type="application/x-ndjson", headers=headers)

    def seed(request: Request) -> Response:
        """The community's state as a ready-made desktop store (HubStore.seed): an SQLite file."""
        p = principal(request)
        revision = request.query_params.get("revision", "")
        if not REVISION_RE.fullmatch(revision):
            raise ApiError(422, "revision is required: the workstation's schema revision "
                                "(at most 32 characters of 0-9 A-Z a-z _)")
        try:
            built = store.seed(p, revision)        # may build it: seconds, here in the thread pool
        except SeedUnavailable as e:
            raise ApiError(409, str(e), hub_revision=e.hub_revision) from None
        headers = {"X-Seed-Cursor": str(built.cursor), "X-Seed-Rows": str(built.rows),
                   "X-Seed-Revision": built.revision,
                   "X-Seed-Created": built.created_at.astimezone(dt.timezone.utc).isoformat(),
                   "Vary": "Accept-Encoding", "Cache-Control": "no-store"}
        if accepts_gzip(request.headers.get("accept-encoding", "")):
            return Response(built.body, media_type="application/vnd.sqlite3",
                            headers={**headers, "Content-Encoding": "gzip"})
        # decompressed as it is sent: a seed file is ~4x its gzip body
        return StreamingResponse(gunzip_pieces(built.body), media_type="application/vnd.sqlite3",
                                 headers={**headers, "Content-Length": str(gzip_size(built.body))})

    def create_request(request: Request) -> Response:
        p = principal(request)
        try:
            body = check_request(body_json(request))
        except ValueError as e:
            raise ApiError(422, str(e)) from None
        try:
            return _json(store.create_request(p, body), 201)
        except UnknownCommunity:
            raise ApiError(404, "no such community on this hub: community_id must be the id of a community "
                                "whose stations sync with it") from None

    def get_request(request: Request) -> Response:
        p = principal(request)
        rid = request.path_params["request_id"]
        if not P.is_uuid(rid):
            raise ApiError(404, "no such request")
        try:
            return _json(store.get_request(p, rid))
        except KeyError:
            raise ApiError(404, "no such request") from None

    def openapi(request: Request) -> Response:
        return JSONResponse(OPENAPI)

    def docs(request: Request) -> Response:
        return HTMLResponse(docs_html())

    routes = [
        Route("/api/v1/health", guarded(health), methods=["GET"]),
        Route("/api/v1/sync/whoami", guarded(whoami), methods=["GET"]),
        Route("/api/v1/sync/push", guarded(push), methods=["POST"]),
        Route("/api/v1/sync/pull", guarded(pull), methods=["GET"]),
        Route("/api/v1/sync/snapshot", guarded(snapshot), methods=["GET"]),
        Route("/api/v1/sync/seed", guarded(seed), methods=["GET"]),
        Route("/api/v1/requests", guarded(create_request), methods=["POST"]),
        Route("/api/v1/requests/{request_id}", guarded(get_request), methods=["GET"]),
        *audit_routes(store, principal, body_json, guarded, ApiError),
        *survey_routes(store, principal, body_json, guarded, ApiError),
        *notice_routes(store, principal, guarded, ApiError),
        Route("/api/v1/verify/{code}", verify_endpoint, methods=["GET"]),   # public: no credential
        Route("/openapi.json", openapi, methods=["GET"]),
        Route("/docs", docs, methods=["GET"]),
    ]
    app = Starlette(routes=routes)
    app.state.store = store
    return app


def json_dumps_pretty(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2)
