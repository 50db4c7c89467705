"""The administrator's first-start 工作站设置: opens by itself on a station that is not set up, saves, errors inline."""

from __future__ import annotations

from PySide6.QtCore import Qt

from shequ_desktop.services import station
from shequ_desktop.ui.station import StationSetupDialog, install_station_setup


def test_the_dialog_saves_every_value_and_shows_errors_next_to_the_field(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    dialog = StationSetupDialog(ctx, runner, station.station_info(ctx))
    qtbot.addWidget(dialog)
    dialog.resize(1366, 728)
    dialog.show()
    dialog.edits["community_name"].setText(" ")
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors["community_name"].text() != "", timeout=10_000)
    values = {"community_name": "桃源", "station_name": "桃源社区党群服务站", "address": "桃源路88号一楼",
              "phone": "0755-26660000", "hours": "周一至周六 8:30—18:00", "hotline": "0755-12345",
              "seal_name": "桃源社区居民委员会"}
    for key, text in values.items():
        dialog.edits[key].setText(text)
    assert dialog.save_button.isVisible()
    assert dialog.rect().contains(dialog.save_button.mapTo(dialog, dialog.save_button.rect().bottomRight()))
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    info = station.station_info(ctx)
    assert info.configured and {k: getattr(info, k) for k in values} == values
    assert reported == []


def test_it_opens_by_itself_for_the_admin_of_a_new_station_only(qtbot, ctx, runner, monkeypatch) -> None:  # noqa: ANN001
    from shequ_desktop.services import auth
    from shequ_desktop.services.demo import DEMO_PASSWORD
    from shequ_desktop.ui.main_window import MainWindow
    from shequ_desktop.services.context import put_setting
    with ctx.transaction() as s:                              # the demo station counts as set up: undo that
        put_setting(s, "station.configured", "")
    opened: list[StationSetupDialog] = []
    monkeypatch.setattr(StationSetupDialog, "open", lambda self: opened.append(self))
    admin = ctx.as_user(auth.login(ctx, "admin", DEMO_PASSWORD))
    window = MainWindow(admin, runner, "示范社区", with_sync=False)
    qtbot.addWidget(window)
    menu = install_station_setup(window, admin, runner)
    qtbot.waitUntil(lambda: len(opened) == 1, timeout=10_000)
    assert menu is not None and window.findChild(object, "station_settings_action") is not None
    station.set_station(admin, station_name="桃源社区党群服务站")
    install_station_setup(window, admin, runner)
    qtbot.wait(200)
    qtbot.waitUntil(lambda: runner._pending == 0, timeout=10_000)
    assert len(opened) == 1                                   # set up: it does not open again
    clerk = ctx.as_user(auth.login(ctx, "clerk1", DEMO_PASSWORD))
    assert install_station_setup(window, clerk, runner) is None
