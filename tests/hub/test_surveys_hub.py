"""线上问卷 end to end on the real PostgreSQL hub: a station defines a questionnaire, the platform posts a
resident's answers with its token, the hub validates them, and the answers sync down into the coverage."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from sqlalchemy import select

from governance_seed import seed
from shequ_desktop.domain import governance as g
from shequ_desktop.persistence.governance_models import SurveyResponse
from shequ_desktop.services import sync
from shequ_desktop.services.governance import evaluation, surveys
from shequ_desktop.services.governance.surveys import Question


@pytest.fixture
def platform(hub):
    return {"Authorization": f"Bearer {hub.store.add_station('社区通平台', None, kind='platform').token}"}


def _questionnaire(ctx):
    today = dt.date.today()                    # the hub checks the dates with its own clock
    town = seed(ctx)
    q = surveys.define(town.chief, "居民满意度线上问卷", "2026Q4",
                       (Question("服务总体满意度"), Question("最常办理", g.CHOICE, ("证明", "社保"))),
                       today - dt.timedelta(days=30), today + dt.timedelta(days=30))
    return town, q


def test_platform_answers_are_validated_and_sync_down_into_the_coverage(stations, hub, platform):
    a, b = stations
    town, q = _questionnaire(a)
    url = f"{hub.url}/api/v1/surveys/{q.id}/responses"
    # not on the hub yet
    assert httpx.post(url, json={"respondent": "u1", "answers": {"q1": 5, "q2": "证明"}},
                      headers=platform).status_code == 404
    assert sync.sync_now(a).ok
    got = httpx.get(f"{hub.url}/api/v1/surveys/{q.id}", headers=platform)
    assert got.status_code == 200 and got.json()["questions"][1]["options"] == ["证明", "社保"]
    ok = httpx.post(url, json={"respondent": "u1", "answers": {"q1": 5, "q2": "证明"}, "grid_id": town.grids[1]},
                    headers=platform)
    assert ok.status_code == 201, ok.text
    assert ok.json()["score"] == 100.0
    again = httpx.post(url, json={"respondent": "u1", "answers": {"q1": 1, "q2": "社保"}}, headers=platform)
    assert again.status_code == 409
    bad = httpx.post(url, json={"respondent": "u2", "answers": {"q1": 7, "q2": "证明"}}, headers=platform)
    assert bad.status_code == 422 and "q1" in bad.json()["error"]
    missing = httpx.post(url, json={"respondent": "u2", "answers": {"q1": 4}}, headers=platform)
    assert missing.status_code == 422
    extra = httpx.post(url, json={"respondent": "u2", "answers": {"q1": 4, "q2": "证明"}, "name": "张三"},
                       headers=platform)
    assert extra.status_code == 422 and "name" in extra.json()["error"]
    assert httpx.post(url, json={"respondent": "u3", "answers": {"q1": 3, "q2": "社保"}},
                      headers=platform).status_code == 201
    # a station's token may not answer; no token at all: 401
    st_token = sync.make_client(a).token
    assert httpx.post(url, json={"respondent": "u4", "answers": {"q1": 3, "q2": "社保"}},
                      headers={"Authorization": f"Bearer {st_token}"}).status_code == 403
    assert httpx.post(url, json={"respondent": "u4", "answers": {"q1": 3, "q2": "社保"}}).status_code == 401
    # down to both stations: two online respondents, one placed in grid 2
    assert sync.sync_now(a).ok and sync.sync_now(b).ok
    with b.transaction() as s:
        rows = s.execute(select(SurveyResponse).where(SurveyResponse.survey_id == q.id)).scalars().all()
    assert sorted(r.respondent_key for r in rows) == ["platform:u1", "platform:u3"]
    assert all(r.channel == g.ONLINE for r in rows)
    surveys.enter_paper_answers(town.worker, q.id, town.residents[0], {"q1": 4, "q2": "社保"})
    e = evaluation.create(town.chief, "2026Q4")
    assert e.coverage.count == 3
    assert {x.grid_id: x.respondents for x in e.coverage.grids}[town.grids[1]] == 1
    assert e.residents_score == pytest.approx((100 + 50 + 75) / 3, abs=0.01)


def test_closed_questionnaire_refuses_answers(stations, hub, platform):
    a, _b = stations
    town, q = _questionnaire(a)
    surveys.set_state(town.chief, q.id, "closed")
    assert sync.sync_now(a).ok
    r = httpx.post(f"{hub.url}/api/v1/surveys/{q.id}/responses",
                   json={"respondent": "u1", "answers": {"q1": 5, "q2": "证明"}}, headers=platform)
    assert r.status_code == 409
