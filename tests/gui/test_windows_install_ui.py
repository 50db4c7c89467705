"""The hub address the Windows installer was given (/HUB= → shequ-desktop.ini) pre-fills 同步设置."""

from __future__ import annotations

from pathlib import Path

import pytest

from shequ_desktop.ui.sync.settings_dialog import SyncSettingsDialog


def test_settings_dialog_prefilled_with_the_installers_hub(qtbot, chief_ctx, runner, tmp_path: Path,  # noqa: ANN001
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    ini = tmp_path / "shequ-desktop.ini"
    ini.write_text("[install]\nhub_url=https://hub.example.gov.cn\n", encoding="utf-8")
    monkeypatch.setenv("SHEQU_INSTALL_INI", str(ini))
    dialog = SyncSettingsDialog(chief_ctx, runner, None)
    qtbot.addWidget(dialog)
    assert dialog.url_edit.text() == "https://hub.example.gov.cn"
    assert dialog.token_edit.text() == ""


def test_settings_dialog_empty_without_installer_settings(qtbot, chief_ctx, runner, tmp_path: Path,  # noqa: ANN001
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHEQU_INSTALL_INI", str(tmp_path / "none.ini"))
    dialog = SyncSettingsDialog(chief_ctx, runner, None)
    qtbot.addWidget(dialog)
    assert dialog.url_edit.text() == ""
