"""The hub's OpenAPI document (served at /openapi.json, readable at /docs)."""

from __future__ import annotations

import html
from typing import Any

_ERR = {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_AUTH_ERRS = {"401": {**_ERR, "description": "missing or wrong credential"},
              "403": {**_ERR, "description": "the credential may not do this (e.g. another community)"}}

_SNAPSHOT_DESCRIPTION = """\
For a new workstation: load this instead of replaying the change log, then pull with `after` = the
snapshot's `cursor`. The hub keeps the latest snapshot of each community and serves it while the log
has moved on by at most 20,000 changes (catching up is a few pull pages); otherwise it builds a new one.

The body is NDJSON (UTF-8, one JSON value per line, each line ending in `\\n`):

1. header: `{"snapshot": 1, "community_id": "…", "cursor": 200000, "rows": 200000, "created_at": "…+00:00"}`
2. chunk lines: `{"entity": "resident", "cols": ["id", "version", "created_at", "updated_at", "updated_by",
   …the record's fields, sorted], "rows": [[…], …]}` — one entity per chunk, at most 5,000 rows, all rows of
   a chunk with the same fields; values in the order of `cols`. Entities come parents first (the
   desktop's foreign-key order), records by id. `created_at` / `updated_at` are the station timestamps
   of the record's first and latest change (ISO 8601 with offset). Tombstoned records (`deleted_at` set)
   are included.
3. end line: `{"end": true, "rows": 200000}` — a body without it is truncated.

The state is read in one transaction: it holds every change up to `cursor` and none after it.
"""

_SEED_DESCRIPTION = """\
For a new workstation, faster than the snapshot: the community's state as a ready-made desktop store —
an SQLite file of the workstation's own schema revision holding the community's records (tombstones
included) and the residents' search index. The workstation copies its tables into its empty store
instead of decoding and inserting rows and tokenizing names, then pulls with `after` = `X-Seed-Cursor`.

The hub builds the seed with the desktop code it ships, from the community's snapshot (the same state
as `/api/v1/sync/snapshot`, up to the same cursor), and keeps the latest one per community and schema
revision, served while the log has moved on by at most 20,000 changes since its cursor; otherwise it
builds a new one (seconds: for 200,000 records about as long as a workstation's snapshot load).

The file holds the `alembic_version` stamp, every synced record table (`grid`, `building`, `household`,
`resident`, `work_order`, `sync_conflict`, …, the columns exactly as the desktop stores them) and the
search tables `resident_fts*`; every other table (users, credentials, settings, journal, audit log) is
empty. It is in rollback-journal mode (no `-wal` file)
and vacuumed.

A hub builds seeds only at the schema revision of the desktop code it ships: for another `revision`
(an older or newer workstation) it answers 409 with its own revision in `hub_revision`; it also answers
409 when the community holds records its desktop code cannot store. Either way the workstation loads
the snapshot instead.
"""

OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {
        "title": "shequ-hub — 街道数据中心 (subdistrict hub)",
        "version": "1",
        "description": "Sync between community workstations (社区工作站) and the subdistrict hub, and residents' "
                       "requests (接诉即办) from the online platform. Every call except /api/v1/health needs "
                       "`Authorization: Bearer <station_id>:<secret>` issued by `shequ-hub add-station` "
                       "(or `shequ-hub add-platform` for the online platform).",
    },
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
            "SeedUnavailable": {"type": "object", "required": ["error", "hub_revision"], "properties": {
                "error": {"type": "string"},
                "hub_revision": {"type": "string", "description": "the desktop schema revision this hub builds"}}},
            "Change": {
                "type": "object",
                "required": ["change_id", "entity", "entity_id", "community_id", "op", "fields",
                             "base_version", "new_version", "station_id", "user_login", "at"],
                "properties": {
                    "change_id": {"type": "string", "format": "uuid", "description": "pushing it again is harmless"},
                    "entity": {"type": "string", "example": "resident"},
                    "entity_id": {"type": "string", "format": "uuid"},
                    "community_id": {"type": "string", "format": "uuid"},
                    "op": {"type": "string", "enum": ["insert", "update", "delete"]},
                    "fields": {"type": "object", "description": "the changed values (checked against the "
                               "workstation's schema: types, lengths, dates, choices, ranges)"},
                    "base": {"type": "object", "description": "the values the station saw before the change: each "
                             "changed field's old value and deleted_at (an update), the whole record (a removal); "
                             "a field is merged only while the hub still holds it, otherwise it is a conflict"},
                    "base_version": {"type": "integer", "minimum": 0, "maximum": 2147483647},
                    "new_version": {"type": "integer", "minimum": 0, "maximum": 2147483647},
                    "station_id": {"type": "string"},
                    "user_login": {"type": "string"},
                    "at": {"type": "string", "format": "date-time"},
                },
            },
            "PushResult": {
                "type": "object",
                "properties": {
                    "change_id": {"type": "string"},
                    "status": {"type": "string", "enum": ["accepted", "duplicate", "rejected"]},
                    "seq": {"type": "integer", "description": "the global sequence number stamped on it"},
                    "version": {"type": "integer"},
                    "reason": {"type": "string", "description": "why it was rejected (the station quarantines it)"},
                    "conflicts": {"type": "array", "items": {"type": "string"},
                                  "description": "fields changed on both sides, kept as open conflicts"},
                },
            },
            "Request": {
                "type": "object", "required": ["community_id", "category", "description", "address", "contact"],
                "additionalProperties": False,
                "properties": {
                    "community_id": {"type": "string", "format": "uuid"},
                    "category": {"type": "string", "maxLength": 64, "example": "环境卫生"},
                    "description": {"type": "string", "maxLength": 4000},
                    "address": {"type": "string", "maxLength": 200},
                    "contact": {"type": "string", "maxLength": 64},
                    "urgency": {"type": "string", "enum": ["general", "urgent"], "default": "general",
                                "description": "general: feedback within 24 h; urgent: on site within 30 min"},
                    "grid_id": {"type": ["string", "null"], "format": "uuid"},
                },
            },
            "RequestStatus": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"}, "request_no": {"type": "string"}, "status": {
                        "type": "string", "enum": ["new", "dispatched", "in_progress", "done"]},
                    "category": {"type": "string"}, "description": {"type": "string"}, "address": {"type": "string"},
                    "urgency": {"type": "string"}, "received_at": {"type": "string", "format": "date-time"},
                    "feedback_at": {"type": ["string", "null"]}, "arrived_at": {"type": ["string", "null"]},
                    "closed_at": {"type": ["string", "null"]}, "result": {"type": "string"},
                    "progress": {"type": "array", "items": {"type": "object", "properties": {
                        "kind": {"type": "string"}, "note": {"type": "string"}, "at": {"type": "string"},
                        "entered_later": {"type": "boolean", "description": "typed in afterwards (补录)"}}}},
                    "entered_later": {
                        "type": "array", "description": "补录: the steps entered afterwards with their real time "
                        "(`at`, what the deadlines count) and the time they were entered (`entered_at`, the "
                        "workstation's clock when saved)",
                        "items": {"type": "object", "properties": {
                            "kind": {"type": "string", "enum": ["dispatch", "feedback", "arrive", "progress",
                                                                "result"]},
                            "at": {"type": "string", "format": "date-time"},
                            "entered_at": {"type": "string", "format": "date-time"}}}},
                },
            },
        },
    },
    "security": [{"bearer": []}],
    "paths": {
        "/api/v1/health": {"get": {"summary": "Liveness", "security": [],
                                   "responses": {"200": {"description": "the hub is up"}}}},
        "/api/v1/sync/whoami": {"get": {"summary": "The station behind the credential and its community",
                                        "responses": {"200": {"description": "station"}, **_AUTH_ERRS}}},
        "/api/v1/sync/push": {"post": {
            "summary": "Push journal changes (in creation order, ≤ 500 per call)",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["changes"],
                "properties": {"changes": {"type": "array", "maxItems": 500,
                                           "items": {"$ref": "#/components/schemas/Change"}}}}}}},
            "responses": {
                "200": {"description": "one result per change", "content": {"application/json": {"schema": {
                    "type": "object", "properties": {"results": {"type": "array", "items": {
                        "$ref": "#/components/schemas/PushResult"}}}}}}},
                "400": {**_ERR, "description": "not JSON"},
                "413": {**_ERR, "description": "too many changes or too large"},
                "422": {**_ERR, "description": "a malformed change (nothing of the batch is stored)"},
                **_AUTH_ERRS}}},
        "/api/v1/sync/pull": {"get": {
            "summary": "Changes of the station's community after its cursor, in pages",
            "parameters": [
                {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 5000}},
                {"name": "community", "in": "query", "schema": {"type": "string"},
                 "description": "optional; must be the station's own community (403 otherwise)"}],
            "responses": {"200": {"description": "`{items: [[seq, change]...], cursor, more}`"},
                          "422": _ERR, **_AUTH_ERRS}}},
        "/api/v1/sync/snapshot": {"get": {
            "summary": "Bootstrap snapshot: the station's community's whole current state in one download",
            "description": _SNAPSHOT_DESCRIPTION,
            "parameters": [{"name": "Accept-Encoding", "in": "header", "schema": {"type": "string"},
                            "description": "with `gzip` the stored compressed body is sent as is "
                                           "(`Content-Encoding: gzip`); otherwise plain NDJSON"}],
            "responses": {
                "200": {"description": "NDJSON: a header line, chunk lines, an end line",
                        "headers": {
                            "X-Snapshot-Cursor": {"schema": {"type": "integer"},
                                                  "description": "pull after this seq to catch up"},
                            "X-Snapshot-Rows": {"schema": {"type": "integer"},
                                                "description": "records in the snapshot (tombstones included)"},
                            "X-Snapshot-Created": {"schema": {"type": "string", "format": "date-time"},
                                                   "description": "when the hub read the state"},
                            "Content-Encoding": {"schema": {"type": "string", "enum": ["gzip"]},
                                                 "description": "present when the client accepts gzip"}},
                        "content": {"application/x-ndjson": {"schema": {"type": "string"}}}},
                **{**_AUTH_ERRS, "403": {**_ERR, "description": "not a station credential (e.g. the platform)"}}}}},
        "/api/v1/sync/seed": {"get": {
            "summary": "Seed: the station's community's state as a ready-made desktop store (SQLite file)",
            "description": _SEED_DESCRIPTION,
            "parameters": [
                {"name": "revision", "in": "query", "required": True,
                 "schema": {"type": "string", "pattern": "^[0-9A-Za-z_]{1,32}$", "example": "0005"},
                 "description": "the workstation's schema revision (its store's alembic revision)"},
                {"name": "Accept-Encoding", "in": "header", "schema": {"type": "string"},
                 "description": "with `gzip` the stored compressed file is sent as is "
                                "(`Content-Encoding: gzip`); otherwise the plain SQLite file"}],
            "responses": {
                "200": {"description": "the SQLite file",
                        "headers": {
                            "X-Seed-Cursor": {"schema": {"type": "integer"},
                                              "description": "pull after this seq to catch up"},
                            "X-Seed-Rows": {"schema": {"type": "integer"},
                                            "description": "records in the store (tombstones included)"},
                            "X-Seed-Revision": {"schema": {"type": "string"},
                                                "description": "the file's schema revision (= `revision`)"},
                            "X-Seed-Created": {"schema": {"type": "string", "format": "date-time"},
                                               "description": "when the hub read the state"},
                            "Content-Encoding": {"schema": {"type": "string", "enum": ["gzip"]},
                                                 "description": "present when the client accepts gzip"}},
                        "content": {"application/vnd.sqlite3": {"schema": {"type": "string",
                                                                           "format": "binary"}}}},
                "409": {"description": "no seed for this revision (or this community): load the snapshot",
                        "content": {"application/json": {"schema": {
                            "$ref": "#/components/schemas/SeedUnavailable"}}}},
                "422": {**_ERR, "description": "revision missing or malformed"},
                **{**_AUTH_ERRS, "403": {**_ERR, "description": "not a station credential (e.g. the platform)"}}}}},
        "/api/v1/requests": {"post": {
            "summary": "A resident's request from the online platform (接诉即办)",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/Request"}}}},
            "responses": {"201": {"description": "created", "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/RequestStatus"}}}}, "400": _ERR, "404": _ERR, "422": _ERR, **_AUTH_ERRS}}},
        "/api/v1/requests/{request_id}": {"get": {
            "summary": "Progress and result of a request",
            "parameters": [{"name": "request_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "status", "content": {"application/json": {"schema": {
                "$ref": "#/components/schemas/RequestStatus"}}}}, "404": _ERR, **_AUTH_ERRS}}},
        "/api/v1/surveys/{survey_id}": {"get": {
            "summary": "A station's questionnaire (线上问卷) for the platform to show: title, questions, state, dates",
            "parameters": [{"name": "survey_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "id, community_id, title, intro, period, state, opens_on, closes_on, "
                                                 "questions [{key, text, kind: score5|choice|text, options}]",
                                  "content": {"application/json": {"schema": {"type": "object"}}}},
                          "404": _ERR, **_AUTH_ERRS}}},
        "/api/v1/surveys/{survey_id}/responses": {"post": {
            "summary": "One resident's online answers (platform credential): {respondent, answers {key: answer}, "
                       "grid_id?}; score5 answers are 1-5, choice answers one of the options",
            "parameters": [{"name": "survey_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}},
            "responses": {"201": {"description": "id, survey_id, community_id, score, answered_on, seq",
                                  "content": {"application/json": {"schema": {"type": "object"}}}},
                          "400": _ERR, "404": _ERR,
                          "409": {**_ERR, "description": "closed, outside its dates, or this respondent already answered"},
                          "422": _ERR, **_AUTH_ERRS}}},
        "/api/v1/communities/{community_id}/notices": {"get": {
            "summary": "公示: the notices a community published (printed as a 公示 on its workstation and synced), "
                       "newest first, for the residents' app — platform credential, or a station of that community",
            "description": "Each notice: serial_no, verification_code (check it at /api/v1/verify/{code}), title, "
                           "issuer, posted_on, until, days, current (within its posting days today, Asia/Shanghai), "
                           "intro, columns, rows, closing, contact (the station's hotline). Voided notices are left "
                           "out; names are masked (张*丰), as are mobile and ID numbers in the texts.",
            "parameters": [
                {"name": "community_id", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}},
                {"name": "current", "in": "query", "schema": {"type": "integer", "enum": [0, 1], "default": 0},
                 "description": "1: only the notices still within their posting days"},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200,
                                                             "default": 50}}],
            "responses": {"200": {"description": "{community_id, today, notices: [...]}",
                                  "content": {"application/json": {"schema": {"type": "object"}}}},
                          "404": {**_ERR, "description": "no such community on this hub"},
                          "422": _ERR, **_AUTH_ERRS}}},
        "/api/v1/verify/{code}": {"get": {
            "summary": "文书核验: check a printed document by the code under its QR (no credential); minimal facts "
                       "only (no ID number, no phone); text/html for a browser",
            "security": [],
            "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "kind, title, serial_no, issued_on, issuer, holder (masked), "
                                                 "status (valid / void / expired), status_text, valid_until, voided_on",
                                  "content": {"application/json": {"schema": {"type": "object"}}}},
                          "404": _ERR}}},
    },
}


def docs_html() -> str:
    """A self-contained page (no CDN: hubs often sit on an intranet) listing the API."""
    rows = []
    for path, ops in OPENAPI["paths"].items():
        for method, op in ops.items():
            codes = ", ".join(op.get("responses", {}))
            rows.append(f"<tr><td><code>{method.upper()}</code></td><td><code>{html.escape(path)}</code></td>"
                        f"<td>{html.escape(op.get('summary', ''))}</td><td>{codes}</td></tr>")
    info = OPENAPI["info"]
    return (f"<!doctype html><meta charset=utf-8><title>{html.escape(info['title'])}</title>"
            f"<h1>{html.escape(info['title'])}</h1><p>{html.escape(info['description'])}</p>"
            "<p>Machine-readable: <a href='/openapi.json'>/openapi.json</a></p>"
            "<table border=1 cellpadding=4><tr><th>method</th><th>path</th><th>summary</th><th>responses</th></tr>"
            + "".join(rows) + "</table>")
