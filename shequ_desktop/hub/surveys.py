"""Residents' online answers to a station's questionnaire (线上问卷, R31), from the residents' platform.

``GET /api/v1/surveys/{id}`` gives the platform the questionnaire to show (title, questions, state,
dates); ``POST /api/v1/surveys/{id}/responses`` with the platform's token (as for work orders) takes one
respondent's answers: the questionnaire must be synced to the hub, open and within its dates, every
question answered with one of its answers. The answer becomes a ``survey_response`` record of the
questionnaire's community — validated like any pushed change — and reaches the stations with the next
pull. One answer per platform respondent: the record id is derived from (questionnaire, respondent),
so a second post is refused with 409 and a repeated request is harmless.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.ids import new_id
from shequ_desktop.hub.schema import entity_state
from shequ_desktop.sync import protocol as P

_RESPONDENT = re.compile(r"^[0-9A-Za-z_.:-]{1,64}$")
_NAMESPACE = uuid.UUID("5c1d7a52-3f0e-4c43-9a7e-2f6b8f7e51a4")
SHANGHAI = ZoneInfo("Asia/Shanghai")


class SurveyError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def response_id(survey_id: str, respondent: str) -> str:
    """The answer's record id: one per (questionnaire, platform respondent)."""
    return str(uuid.uuid5(_NAMESPACE, f"{survey_id}:{respondent}"))


def check_body(body: Any) -> dict[str, Any]:
    """The posted answer's shape; ValueError with the reason."""
    if not isinstance(body, dict):
        raise ValueError("the answer must be a JSON object")
    extra = set(body) - {"respondent", "answers", "grid_id"}
    if extra:
        raise ValueError(f"unknown key(s): {', '.join(sorted(extra))}")
    respondent = body.get("respondent")
    if not isinstance(respondent, str) or not _RESPONDENT.match(respondent):
        raise ValueError("respondent is required: the platform's own id of the resident (1-64 characters of "
                         "0-9 A-Z a-z _ . : -)")
    if not isinstance(body.get("answers"), dict):
        raise ValueError("answers must be an object: question key -> answer")
    if body.get("grid_id") is not None and not P.is_uuid(body.get("grid_id")):
        raise ValueError("grid_id must be a UUID when given")
    return body


def _survey(conn: Any, survey_id: str) -> tuple[str, dict[str, Any]]:
    row = conn.execute(select(entity_state.c.community_id, entity_state.c.doc).where(
        entity_state.c.entity == "survey", entity_state.c.entity_id == survey_id)).first()
    if row is None or row.doc.get("deleted_at"):
        raise SurveyError(404, "no such questionnaire on this hub (it reaches the hub with its station's next sync)")
    return row.community_id, dict(row.doc)


def get_survey(store: Any, who: Any, survey_id: str) -> dict[str, Any]:
    if not P.is_uuid(survey_id):
        raise SurveyError(404, "no such questionnaire")
    with store.engine.connect() as conn:
        community_id, doc = _survey(conn, survey_id)
    if who.kind == "station" and community_id != who.community_id:
        raise SurveyError(403, "this questionnaire belongs to another community")
    return {"id": survey_id, "community_id": community_id, "title": doc.get("title"), "intro": doc.get("intro"),
            "period": doc.get("period"), "state": doc.get("state"), "opens_on": doc.get("opens_on"),
            "closes_on": doc.get("closes_on"), "questions": doc.get("questions")}


def submit(store: Any, who: Any, survey_id: str, body: dict[str, Any],
           now: dt.datetime | None = None) -> dict[str, Any]:
    """Store one respondent's answers as a ``survey_response`` change of the questionnaire's community."""
    if who.kind != "platform":
        raise SurveyError(403, "only the online platform's credential may submit answers")
    if not P.is_uuid(survey_id):
        raise SurveyError(404, "no such questionnaire")
    now = now or dt.datetime.now(dt.timezone.utc)
    today = now.astimezone(SHANGHAI).date()
    rid = response_id(survey_id, body["respondent"])
    with store.engine.connect() as conn:
        community_id, doc = _survey(conn, survey_id)
        if conn.execute(select(entity_state.c.entity_id).where(entity_state.c.entity == "survey_response",
                                                               entity_state.c.entity_id == rid)).first():
            raise SurveyError(409, "this respondent already answered this questionnaire")
    if doc.get("state") != "open":
        raise SurveyError(409, "the questionnaire is not open for answers")
    if not str(doc.get("opens_on", "")) <= today.isoformat() <= str(doc.get("closes_on", "")):
        raise SurveyError(409, f"the questionnaire takes answers from {doc.get('opens_on')} to {doc.get('closes_on')}")
    questions = doc.get("questions") or []
    bad = g.check_answers(questions, body["answers"])
    if bad is not None:
        raise SurveyError(422, f"answer to question {bad!r} is missing or not one of its answers")
    fields = {"id": rid, "community_id": community_id, "survey_id": survey_id, "channel": g.ONLINE,
              "respondent_key": f"platform:{body['respondent']}", "resident_id": None, "household_id": None,
              "grid_id": body.get("grid_id"), "answers": body["answers"],
              "score": g.response_score(questions, body["answers"]), "answered_on": today.isoformat(),
              "entered_by": f"platform:{who.name}"[:64], "paper_no": "", "deleted_at": None}
    at = now.astimezone(dt.timezone.utc).isoformat()
    change = {"change_id": new_id(), "entity": "survey_response", "entity_id": rid, "community_id": community_id,
              "op": "insert", "fields": fields, "base_version": 0, "new_version": 1, "station_id": P.HUB_STATION,
              "user_login": f"platform:{who.name}"[:64], "at": at}
    result = store.apply_platform_change(community_id, change)
    if result.get("status") != "accepted":
        status = 409 if result.get("status") == "duplicate" else 422
        raise SurveyError(status, str(result.get("reason") or "this respondent already answered this questionnaire"))
    return {"id": rid, "survey_id": survey_id, "community_id": community_id, "score": fields["score"],
            "answered_on": fields["answered_on"], "seq": result.get("seq")}


def routes(store: Any, principal: Any, body_json: Any, guarded: Any, api_error: type[Exception]) -> list[Route]:
    def survey(request: Request) -> Response:
        p = principal(request)
        try:
            return Response(P.dumps(get_survey(store, p, request.path_params["survey_id"])),
                            media_type="application/json")
        except SurveyError as e:
            raise api_error(e.status, e.message) from None  # type: ignore[call-arg]

    def responses(request: Request) -> Response:
        p = principal(request)
        if p.kind != "platform":
            raise api_error(403, "only the online platform's credential may submit answers")  # type: ignore[call-arg]
        try:
            body = check_body(body_json(request))
        except ValueError as e:
            raise api_error(422, str(e)) from None  # type: ignore[call-arg]
        try:
            out = submit(store, p, request.path_params["survey_id"], body)
        except SurveyError as e:
            raise api_error(e.status, e.message) from None  # type: ignore[call-arg]
        return Response(P.dumps(out), status_code=201, media_type="application/json")

    return [Route("/api/v1/surveys/{survey_id}", guarded(survey), methods=["GET"]),
            Route("/api/v1/surveys/{survey_id}/responses", guarded(responses), methods=["POST"])]
