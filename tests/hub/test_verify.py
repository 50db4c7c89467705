"""文书核验 through the real hub (PostgreSQL): a station issues a 居住证明, syncs, and the school checks
it at GET /api/v1/verify/{code}; the chief voids it, syncs, and the hub says 已作废."""

from __future__ import annotations

import datetime as dt

import httpx

from shequ_desktop.domain.roles import Role
from shequ_desktop.services import auth, counter, documents, residents, sync, verify
from shequ_desktop.services.documents import CertificateRequest
from shequ_desktop.services.residents import ResidentInput
from tests.conftest import as_role


def test_verify_round_trip_through_the_hub(stations, hub, clock):
    a, b = stations
    counter.ensure_catalogue(a)
    auth.create_user(a, "clerk1", "李晓梅", Role.CLERK, "password-1")
    clerk = a.as_user(auth.login(a, "clerk1", "password-1"))
    r = residents.create(a, ResidentInput(name="张秀兰", id_number="11010519491231002X", phone="13812348000",
                                          address="幸福里小区8栋2单元503室"))
    case = counter.start_case(clerk, r.id, "RESIDENCE_CERT")
    svc = counter.service(clerk, "RESIDENCE_CERT")
    counter.set_materials(clerk, case.id, {m.code: ("provided", "") for m in svc.required_materials()})
    cert = documents.issue_residence_certificate(clerk, case.id, CertificateRequest(
        since=dt.date(2019, 3, 1), housing_basis="房屋租赁合同", purpose="子女入学"))
    url = f"{hub.url}/api/v1/verify/{cert.verification_code}"
    assert httpx.get(url).status_code == 404                 # not synced yet: the hub does not know it
    assert sync.sync_now(a).ok

    got = httpx.get(url)                                     # no credential: a school has none
    assert got.status_code == 200, got.text
    facts = got.json()
    assert (facts["serial_no"], facts["status"], facts["status_text"], facts["holder"], facts["issued_on"]) == (
        cert.serial_no, "valid", "有效", "张*兰", "2026-11-25")
    assert facts["title"] == "居住证明" and facts["issuer"].endswith("居民委员会")
    assert "11010519491231002X" not in got.text and "13812348000" not in got.text and "张秀兰" not in got.text
    local = verify.verify(clerk, cert.verification_code)
    assert (local.serial_no, local.issued_on.isoformat(), local.holder, local.issuer) == (
        facts["serial_no"], facts["issued_on"], facts["holder"], facts["issuer"])
    # the scanned QR text and a lower-case typed code are understood too
    assert httpx.get(f"{hub.url}/api/v1/verify/{cert.verification_code.lower()}").json()["serial_no"] == \
        cert.serial_no
    page = httpx.get(url, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "有效" in page.text and cert.serial_no in page.text

    chief = as_role(a, Role.CHIEF, "chief")
    verify.void(chief, cert.verification_code, "居住地址填写错误，已收回")
    assert sync.sync_now(a).ok
    after = httpx.get(url).json()
    assert (after["status"], after["status_text"], after["voided_on"]) == ("void", "已作废", "2026-11-25")
    assert "居住地址" not in httpx.get(url).text              # the reason stays with the station

    assert sync.sync_now(b).ok                               # the other workstation of the community knows it too
    at_b = verify.verify(b, cert.verification_code)
    assert (at_b.status, at_b.serial_no, at_b.holder) == ("void", cert.serial_no, "张*兰")
    assert httpx.get(f"{hub.url}/api/v1/verify/ABCDEFGH").status_code == 404
    assert httpx.get(f"{hub.url}/api/v1/verify/x").status_code == 404
