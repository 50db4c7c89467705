"""The audit page in Chinese reads Chinese: every kind of entry the program writes is a message id + parameters
(user creation, passwords, unknown logins, calendar, fonts, station, backups, mediation papers and reveals)."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from shequ_desktop import i18n, paths
from shequ_desktop.domain.roles import Role
from shequ_desktop.domain.errors import UserError
from shequ_desktop.persistence.mediation_models import MediationParty, MediationSession
from shequ_desktop.persistence.models import User
from shequ_desktop.services import auth, auto_backup, calendar, print_fonts, station
from shequ_desktop.services.mediation import cases, documents
from shequ_desktop.ui import qt_i18n
from shequ_desktop.ui.admin.audit_page import AuditPage

from tests.gui.conftest import login_as
from tests.gui.screen_walk import wrong_script

SERIAL = re.compile(r"\b[A-Z]{2}\d{4}-\d{3,4}\b")


def _write_every_kind(ctx, tmp_path) -> None:  # noqa: ANN001
    auth.create_user(ctx, "clerk9", "窗口九", Role.CLERK, "correct-horse")
    auth.set_password(ctx, "clerk9", "another-horse")
    try:
        auth.login(ctx, "nobody", "whatever1")
    except UserError:
        pass
    calendar.set_day(ctx, dt.date(2027, 1, 2), True, "调休")
    print_fonts.set_source(ctx, "bundled")
    station.set_station(ctx, station_name="幸福里社区工作站", hours="周一至周五 8:30-17:30")
    auto_backup.save_settings(ctx, None, auto_backup.load_settings(ctx).policy)
    with ctx.transaction() as s:
        session = s.execute(select(MediationSession).limit(1)).scalar_one()
        party = s.execute(select(MediationParty).where(MediationParty.case_id == session.case_id)).scalars().first()
        case_id, session_id, party_id = session.case_id, session.id, party.id
    documents.print_session(ctx, case_id, session_id)
    cases.reveal_party(ctx, party_id)


def test_the_audit_page_in_chinese_shows_no_english(qtbot, ctx, runner, monkeypatch, tmp_path) -> None:  # noqa: ANN001
    monkeypatch.setattr(i18n, "locale_dir", paths.locale_dir)
    qt_i18n.apply_language("zh_CN")
    admin = login_as(ctx, "admin")
    _write_every_kind(admin, tmp_path)
    page = AuditPage(admin, runner)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.entries_loaded, timeout=10_000):
        page.reload()
    with admin.transaction() as s:
        logins = sorted(s.execute(select(User.login)).scalars(), key=len, reverse=True)   # data, as entered
    table = page.entries_table
    english = []
    for row in range(table.rowCount()):
        for column in (3, 4, 5):                        # action, record, detail (logins and times are data)
            text = table.item(row, column).text()
            for data in (*logins, "nobody", "8:30-17:30"):
                text = text.replace(data, "")
            text = SERIAL.sub("", text)
            if wrong_script(text, "zh_CN"):
                english.append((row, column, table.item(row, column).text()))
    assert english == [], "\n".join(map(str, english))
