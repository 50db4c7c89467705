"""公示 for the residents' app, end to end on the real PostgreSQL hub: the workstation prints the notices
(a quarterly inspection, the 社区治理之星 proposals), they sync, and the platform reads them back — only what
was published, nothing personal, voided ones left out, another community's station refused."""

from __future__ import annotations

import datetime as dt
import json

import httpx
import pytest

from governance_seed import seed
from shequ_desktop.domain import governance as g
from shequ_desktop.domain.ids import new_id
from shequ_desktop.hub import notices as hub_notices
from shequ_desktop.services import documents, sync, verify
from shequ_desktop.services.governance import committee, incentives
from shequ_desktop.services.governance import documents as papers
from shequ_desktop.services.governance.committee import InspectionInput, MemberInput


@pytest.fixture
def platform(hub):
    return {"Authorization": f"Bearer {hub.store.add_station('社区通平台', None, kind='platform').token}"}


def _publish(ctx):
    """The chief publishes three 公示 (one voided afterwards) and prints a paper that is no 公示."""
    town = seed(ctx)
    committee.set_term(town.chief, dt.date(2026, 3, 1), elected_on=dt.date(2026, 3, 1))
    for name, role in (("刘芳", g.CHAIR), ("陈建华", g.MEMBER), ("欧阳小明", g.MEMBER)):
        committee.add_member(town.chief, MemberInput(name=name, phone="13700001234", role=role))
    i = committee.record_inspection(town.chief, InspectionInput(
        "2026Q3", dt.date(2026, 10, 12), "刘芳、陈建华、欧阳小明", ("counter_register", "funds"),
        "服务台账记录完整，群众反映问题请拨13912345678", "good", "经费支出凭证齐全"))
    inspection = papers.print_inspection_notice(town.chief, i.id)
    for k in range(10):
        incentives.add_to_ranking(town.chief, 2026, 95 - k, votes=k, name=f"王秀{'一二三四五六七八九十'[k]}兰",
                                  deeds="楼道清扫志愿者" if k else "协助王秀二兰照顾独居老人")
    stars = papers.print_star_notice(town.chief, 2026)
    wrong = papers.print_inspection_notice(town.chief, i.id)
    verify.void(town.chief, wrong.verification_code, "检查日期有误，重新公示")
    documents.reprint(town.chief, stars.id)                     # 补打: the same notice
    catalogue = documents.print_catalogue(town.chief)                  # not a 公示
    return inspection, stars, wrong, catalogue


def test_platform_reads_the_published_notices_without_personal_data(stations, hub, platform):
    a, _b = stations
    inspection, stars, wrong, catalogue = _publish(a)
    url = f"{hub.url}/api/v1/communities/{a.community_id}/notices"
    # nothing on the hub before the sync
    assert httpx.get(url, headers=platform).json()["notices"] == []
    assert sync.sync_now(a).ok
    r = httpx.get(url, headers=platform)
    assert r.status_code == 200, r.text
    body = r.json()
    got = {n["serial_no"]: n for n in body["notices"]}
    assert set(got) == {inspection.serial_no, stars.serial_no}            # not the voided one, no reprint, no catalogue
    assert wrong.serial_no not in got and catalogue.serial_no not in got
    ins = got[inspection.serial_no]
    assert ins["title"] == "2026年第三季度居务监督检查情况公示"
    assert ins["verification_code"] == inspection.verification_code
    assert ins["columns"] == ["检查内容", "情况"] and ["经费使用情况", "已检查"] in ins["rows"]
    assert "刘*、陈*华、欧**明" in ins["intro"]                             # committee members masked
    assert any("139****5678" in line for line in ins["closing"])         # a phone in the findings masked
    assert ins["days"] == 7 and dt.date.fromisoformat(ins["until"]) - dt.date.fromisoformat(ins["posted_on"]) \
        == dt.timedelta(days=6)
    assert ins["current"] == (ins["posted_on"] <= body["today"] <= ins["until"])
    star = got[stars.serial_no]
    assert star["columns"][1] == "姓名" and {row[1] for row in star["rows"]} == {"王**兰"}
    assert "协助王**兰照顾独居老人" in [row[4] for row in star["rows"]]    # a ranked resident named in the deeds
    text = json.dumps(body, ensure_ascii=False)
    for secret in ("刘芳", "陈建华", "欧阳小明", "13912345678", "13700001234", "王秀二兰", "printed_by", "tadmin",
                   "resident_id", "file_name"):
        assert secret not in text, secret
    # the code on a notice checks out at the public verification endpoint
    assert httpx.get(f"{hub.url}/api/v1/verify/{ins['verification_code']}").json()["status"] == "valid"
    # current=1 keeps those within their posting days; limit
    current = httpx.get(url, params={"current": 1}, headers=platform).json()["notices"]
    assert [n["serial_no"] for n in current] == [n["serial_no"] for n in body["notices"] if n["current"]]
    assert len(httpx.get(url, params={"limit": 1}, headers=platform).json()["notices"]) == 1
    assert httpx.get(url, params={"limit": 0}, headers=platform).status_code == 422
    assert httpx.get(url, params={"current": "maybe"}, headers=platform).status_code == 422


def test_notices_need_a_credential_of_the_platform_or_the_community(stations, hub, platform):
    a, _b = stations
    _publish(a)
    assert sync.sync_now(a).ok
    url = f"{hub.url}/api/v1/communities/{a.community_id}/notices"
    own = {"Authorization": f"Bearer {sync.make_client(a).token}"}
    assert len(httpx.get(url, headers=own).json()["notices"]) == 2
    other = {"Authorization": f"Bearer {hub.store.add_station('别的站', new_id()).token}"}
    assert httpx.get(url, headers=other).status_code == 403
    assert httpx.get(url).status_code == 401
    assert httpx.get(f"{hub.url}/api/v1/communities/{new_id()}/notices", headers=platform).status_code == 404
    assert httpx.get(f"{hub.url}/api/v1/communities/not-an-id/notices", headers=platform).status_code == 404


def test_current_only_follows_the_posting_days(stations, hub):
    a, _b = stations
    inspection, _stars, _wrong, _catalogue = _publish(a)
    assert sync.sync_now(a).ok
    who = hub.store.authenticate(hub.store.add_station('社区通平台', None, kind='platform').token)
    everything = hub_notices.notices(hub.store, who, a.community_id)["notices"]
    posted = dt.date.fromisoformat(everything[0]["posted_on"])
    on_last_day = hub_notices.notices(hub.store, who, a.community_id, current_only=True,
                                      today=posted + dt.timedelta(days=6))["notices"]
    assert len(on_last_day) == 2 and all(n["current"] for n in on_last_day)
    assert hub_notices.notices(hub.store, who, a.community_id, current_only=True,
                               today=posted + dt.timedelta(days=7))["notices"] == []
    assert hub_notices.notices(hub.store, who, a.community_id, current_only=True,
                               today=posted - dt.timedelta(days=1))["notices"] == []
