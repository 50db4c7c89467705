"""文书核验 page: a scanner types the QR text and Enter; the page shows the facts; the chief voids."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from shequ_desktop.services import counter, documents, residents
from shequ_desktop.services.documents import CertificateRequest
from shequ_desktop.services.residents import ResidentInput
from shequ_desktop.ui.documents import VerifyPage


def _certificate(ctx):  # noqa: ANN001, ANN202
    counter.ensure_catalogue(ctx)
    r = residents.create(ctx, ResidentInput(name="张秀兰", id_number="11010519491231002X", phone="13812348000",
                                            address="幸福里小区8栋2单元503室"))
    case = counter.start_case(ctx, r.id, "RESIDENCE_CERT")
    svc = counter.service(ctx, "RESIDENCE_CERT")
    counter.set_materials(ctx, case.id, {m.code: ("provided", "") for m in svc.required_materials()})
    return documents.issue_residence_certificate(ctx, case.id, CertificateRequest(
        since=dt.date(2019, 3, 1), housing_basis="房屋租赁合同", purpose="子女入学"))


def _page(qtbot, ctx, runner) -> VerifyPage:  # noqa: ANN001
    page = VerifyPage(ctx, runner)
    qtbot.addWidget(page)
    page.resize(1366, 728)
    page.show()
    return page


def test_a_scanned_code_shows_the_facts_and_a_clerk_cannot_void(qtbot, clerk_ctx, runner, reported) -> None:  # noqa: ANN001
    cert = _certificate(clerk_ctx)
    page = _page(qtbot, clerk_ctx, runner)
    page.code_edit.setFocus()
    with qtbot.waitSignal(page.checked, timeout=10_000):
        qtbot.keyClicks(page.code_edit, f"shequ:verify:{cert.serial_no}:{cert.verification_code}")   # the scanner
        qtbot.keyClick(page.code_edit, Qt.Key.Key_Return)
    assert page.values["serial_no"].text() == cert.serial_no
    assert page.values["holder"].text() == "张*兰" and page.values["title"].text() == "居住证明"
    assert page.values["status"].text() in ("有效", "Valid")
    assert page.values["issued_on"].text() == "2026-11-25"
    assert "11010519491231002X" not in "".join(v.text() for v in page.values.values())
    assert not page.void_box.isVisible()                     # a clerk does not void
    page.code_edit.setText("ABCDEFGH")
    qtbot.keyClick(page.code_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.error_label.isVisible(), timeout=10_000)
    assert not page.result_box.isVisible() and reported == []


def test_the_chief_voids_with_a_reason(qtbot, clerk_ctx, chief_ctx, runner, reported) -> None:  # noqa: ANN001
    cert = _certificate(clerk_ctx)
    page = _page(qtbot, chief_ctx, runner)
    page.code_edit.setText(cert.verification_code.lower())
    with qtbot.waitSignal(page.checked, timeout=10_000):
        qtbot.mouseClick(page.check_button, Qt.MouseButton.LeftButton)
    assert page.void_box.isVisible() and not page.void_button.isEnabled()   # no reason yet
    page.reason_edit.setText("居住地址填写错误，已收回")
    assert page.void_button.isEnabled()
    for button in (page.check_button, page.void_button):                  # usable at 1366×728
        assert button.isVisible() and page.rect().contains(button.mapTo(page, button.rect().bottomRight()))
    with qtbot.waitSignal(page.voided, timeout=10_000):
        qtbot.mouseClick(page.void_button, Qt.MouseButton.LeftButton)
    assert page.values["status"].text() in ("已作废", "Void")
    assert "居住地址填写错误" in page.values["void"].text() and not page.void_box.isVisible()
    assert reported == []
