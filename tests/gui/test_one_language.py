"""Words from lower layers reach the screen in the screen's language (issue 11, "one language at a time")."""

from __future__ import annotations

import pytest

from shequ_desktop import i18n, paths
from shequ_desktop.domain.errors import UserError
from shequ_desktop.sync.client import MSG_SERVER_PROBLEM, MSG_TIMEOUT, HubClient, HubUnavailable
from shequ_desktop.ui import qt_i18n
from shequ_desktop.ui.admin.policy_page import value_text

from tests.gui.screen_walk import wrong_script


@pytest.fixture
def chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "locale_dir", paths.locale_dir)
    qt_i18n.apply_language("zh_CN")


def _hub_errors() -> list[HubUnavailable]:
    return [HubClient._transport_error(OSError("[Errno 111] Connection refused")),   # type: ignore[list-item]
            HubUnavailable.said(MSG_TIMEOUT),  # type: ignore[list-item]
            HubUnavailable.said(MSG_SERVER_PROBLEM, 502, status=502)]  # type: ignore[list-item]


def test_hub_errors_are_shown_in_chinese(chinese: None) -> None:
    for error in _hub_errors():
        text = i18n.error_text(UserError(error.msgid, **error.params))
        assert not wrong_script(text, "zh_CN"), text
        assert "The hub" in error.message                # logs and the CLI keep the English words


def test_policy_choice_codes_are_words(chinese: None) -> None:
    for code in ("seated", "present", "persons", "households", "working", "calendar"):
        assert not wrong_script(value_text(code), "zh_CN"), code
