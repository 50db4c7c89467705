"""The default catalogue: the 12 services of DOMAIN §5 and the 20 certificates a committee must not issue."""

from __future__ import annotations

import pytest

from shequ_desktop.domain.service_catalogue import BLOCKED_CERTIFICATES, DEFAULT_SERVICES, service_by_code


def test_twelve_services_with_unique_codes_and_materials():
    assert len(DEFAULT_SERVICES) == 12
    assert len({s.code for s in DEFAULT_SERVICES}) == 12
    for service in DEFAULT_SERVICES:
        assert service.materials and service.legal_basis and service.procedure
        assert all(m.copies >= 1 and (m.original or m.copy) for m in service.materials)
        assert service.required_materials(), service.code


def test_residence_certificate_is_simple_and_same_visit():
    service = service_by_code("RESIDENCE_CERT")
    assert service.simple and service.same_visit and not service.sensitive


def test_dibao_is_complex_sensitive_and_needs_the_verification_consent():
    service = service_by_code("DIBAO")
    assert not service.simple and service.sensitive and service.time_limit_wd == 5
    assert any("核对授权书" in m.name for m in service.required_materials())
    disability = next(m for m in service.materials if m.code == "DISABILITY_CARD")
    assert disability.conditional and disability.form_text == "原件及复印件"


def test_blocked_certificates_are_the_national_list_of_twenty():
    assert len(BLOCKED_CERTIFICATES) == len(set(BLOCKED_CERTIFICATES)) == 20
    assert "无犯罪记录证明" in BLOCKED_CERTIFICATES and "居住证明" not in BLOCKED_CERTIFICATES


def test_unknown_service_code_raises():
    with pytest.raises(KeyError):
        service_by_code("NOPE")
