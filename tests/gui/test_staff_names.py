"""Work-order lists name the assignee by the staff directory; a user of another station whose old local id the
upgrade could not name yet is said so in words, in the user's language (never a raw id)."""

from __future__ import annotations

import datetime as dt

from shequ_desktop import i18n
from shequ_desktop.services.work_orders import WorkOrderView
from shequ_desktop.ui.sync.work_order_model import assignee_text

NOW = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.timezone.utc)


def _view(login: str | None, name: str) -> WorkOrderView:
    return WorkOrderView("w1", "WO1", "环境卫生", "杂物", "幸福里3栋", "李女士", "general", NOW, "dispatched", None,
                         login, name, "A", "feedback", NOW + dt.timedelta(hours=24), None, False, "", 1)


def test_assignee_is_named_and_an_unidentified_old_id_is_said_in_words(monkeypatch) -> None:  # noqa: ANN001
    from shequ_desktop import paths
    monkeypatch.setattr(i18n, "locale_dir", paths.locale_dir)      # the real catalogs
    before = i18n.current_language()
    try:
        i18n.set_language("zh_CN")
        assert assignee_text(_view("wangxm", "王小明")) == "王小明"
        assert assignee_text(_view("?0192f3a1-0000-7000-8000-00000000b009", "?0192f3a1")) == "尚未识别（其他工作站的人员）"
        assert assignee_text(_view(None, "")) == "—"
        i18n.set_language("en")
        assert assignee_text(_view("?0192f3a1-0000-7000-8000-00000000b009", "")) == (
            "not yet identified (another station's user)")
    finally:
        i18n.set_language(before)
