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


class _RefusingHub:
    """A hub that answers every request with a 4xx for the request as a whole."""

    def __getattr__(self, name: str):  # noqa: ANN204
        from shequ_desktop.sync.client import HubRejected

        def refuse(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
            raise HubRejected("HTTP 409", 409, {})
        return refuse


def _configured(ctx) -> None:  # noqa: ANN001
    from shequ_desktop.services import sync
    from shequ_desktop.services.context import put_setting
    with ctx.transaction() as s:
        put_setting(s, sync.URL_KEY, "https://hub.example")


OLD_STORED = [("3 changes from the hub are of a kind this program does not know; update it.", "3"),
              ("2 changes refer to records missing here; a full resync is needed.", "2"),
              ("The hub refused the request: HTTP 409", "HTTP 409"),
              ("The hub refused this workstation: The hub refused this station's credential.", ""),
              ("The hub has a problem (HTTP 502); will retry.", "")]


def _status(ctx):  # noqa: ANN001, ANN202
    """The stored problem alone (the demo's open conflicts would be named first)."""
    import dataclasses

    from shequ_desktop.services import sync
    return dataclasses.replace(sync.status(ctx), open_conflicts=0, quarantined=0)


@pytest.mark.parametrize(("stored", "kept"), OLD_STORED)
def test_sync_problems_stored_by_older_versions_read_in_chinese(chinese: None, ctx, stored: str,
                                                                kept: str) -> None:  # noqa: ANN001
    from shequ_desktop.services import sync
    from shequ_desktop.services.context import put_setting
    from shequ_desktop.sync import engine
    from shequ_desktop.ui.sync.status_text import problem_text
    _configured(ctx)
    with ctx.transaction() as s:
        put_setting(s, engine.LAST_ERROR_KEY, stored)
        put_setting(s, sync.ONLINE_KEY, "1")
    status = _status(ctx)
    assert status.problem == stored                      # logs and the CLI keep the English words
    text, _kind = problem_text(status)
    assert text and not wrong_script(text.replace("HTTP 409", ""), "zh_CN"), text
    assert kept in text


def test_a_refused_sync_is_stored_as_message_id_and_read_in_both_languages(
        chinese: None, ctx, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from shequ_desktop.services import sync
    from shequ_desktop.sync import engine
    from shequ_desktop.ui.sync.status_text import problem_text
    _configured(ctx)
    result = sync.sync_now(ctx, _RefusingHub())          # type: ignore[arg-type]
    assert not result.ok and result.problem == "The hub refused the request: HTTP 409"
    with ctx.transaction() as s:
        from shequ_desktop.services.context import get_setting
        assert get_setting(s, engine.LAST_ERROR_KEY).startswith("{")      # message id + parameters
    chinese_text, _kind = problem_text(_status(ctx))
    assert "HTTP 409" in chinese_text and not wrong_script(chinese_text.replace("HTTP 409", ""), "zh_CN")
    qt_i18n.apply_language("en")
    english_text, _kind = problem_text(_status(ctx))
    assert english_text == "The hub refused the request: HTTP 409"
