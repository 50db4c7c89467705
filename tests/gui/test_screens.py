"""Every page and every dialog at 1366×728, in Chinese and in English.

The pages come from the main window's navigation (a new module's page is walked as soon as it is
added there); the dialogs from DIALOGS below — a QDialog class anywhere under shequ_desktop.ui that
is missing there fails ``test_every_dialog_is_registered``. Each screen must fit 1366×728 with all its
buttons inside the window, and show no text in the other language's script (data shown as entered is
marked with the ``user_data`` property, see screen_walk.py).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

import shequ_desktop.ui
from shequ_desktop import i18n, paths
from shequ_desktop.printing.pdf_backend import render_pdf
from shequ_desktop.printing.templates import SPECIMENS
from shequ_desktop.services import station
from shequ_desktop.ui import qt_i18n
from shequ_desktop.ui.main_window import MainWindow
from shequ_desktop.ui.ops import install_ops

from tests.gui.conftest import login_as
from tests.gui.screen_walk import SCREEN, fits_screen, foreign_texts, minimum_fits, unreachable_buttons

Factory = Callable[[MainWindow, Any, Any, Path], QWidget]


def _pdf(tmp: Path) -> Path:
    path = tmp / "specimen.pdf"
    path.write_bytes(render_pdf(SPECIMENS[next(iter(SPECIMENS))]()))
    return path


def _resident_dialog(window: MainWindow, ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    from shequ_desktop.ui.residents.dialog import ResidentDialog
    return ResidentDialog(ctx, runner, station.grids(ctx), None, window)


def _import_dialog(window: MainWindow, ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    from shequ_desktop.ui.residents.import_dialog import ImportDialog
    return ImportDialog(ctx, runner, window)


def _preview(window: MainWindow, _ctx: Any, _runner: Any, tmp: Path) -> QWidget:
    from shequ_desktop.ui.counter.pdf_preview import PdfPreviewDialog
    return PdfPreviewDialog(_pdf(tmp), "", window)


def _backup(window: MainWindow, _ctx: Any, _runner: Any, _tmp: Path) -> QWidget:
    return window.findChild(QObject, "ops_menu").open_backup_dialog()  # type: ignore[union-attr]


def _location(window: MainWindow, _ctx: Any, _runner: Any, _tmp: Path) -> QWidget:
    return window.findChild(QObject, "ops_menu").open_data_location()  # type: ignore[union-attr]


def _sync_settings(window: MainWindow, ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    from shequ_desktop.ui.sync.settings_dialog import SyncSettingsDialog
    return SyncSettingsDialog(ctx, runner, None, window)


def _lock(window: MainWindow, _ctx: Any, _runner: Any, _tmp: Path) -> QWidget:
    window.idle_lock.lock()
    assert window.idle_lock.dialog is not None
    return window.idle_lock.dialog


def _mediation_action(window: MainWindow, _ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    import datetime as dt

    from shequ_desktop.ui.mediation.form_dialog import ActionDialog, Field
    fields = [Field("held_at", "Time", "datetime", value=dt.datetime(2026, 12, 2, 9, 30)),
              Field("place", "Place"), Field("attendees", "Attendees"),
              Field("statements", "What each side said", "text"), Field("proposal", "Proposal", "text")]
    return ActionDialog(i18n._("Record session"), fields, runner, lambda _v: None, window)


def _mediation_new_case(window: MainWindow, ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    from shequ_desktop.ui.mediation.new_case import NewCaseDialog
    return NewCaseDialog(ctx, runner, window)


def _station_setup(window: MainWindow, ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    from shequ_desktop.ui.station.setup_dialog import StationSetupDialog
    return StationSetupDialog(ctx, runner, station.station_info(ctx), window)


def _add_user(window: MainWindow, _ctx: Any, _runner: Any, _tmp: Path) -> QWidget:
    window.show_page("users")
    return window.page("users").open_add_dialog()  # type: ignore[union-attr]


def _reset_password(window: MainWindow, _ctx: Any, _runner: Any, _tmp: Path) -> QWidget:
    page = window.page("users")
    window.show_page("users")
    _wait(lambda: bool(page.rows))  # type: ignore[union-attr]
    page.select("clerk1")  # type: ignore[union-attr]
    return page.open_reset_dialog()  # type: ignore[union-attr]


def _edit_user(window: MainWindow, _ctx: Any, _runner: Any, _tmp: Path) -> QWidget:
    page = window.page("users")
    window.show_page("users")
    _wait(lambda: bool(page.rows))  # type: ignore[union-attr]
    page.select("worker1")  # type: ignore[union-attr]
    return page.open_edit_dialog()  # type: ignore[union-attr]


def _wait(condition: Callable[[], bool]) -> None:
    from PySide6.QtCore import QDeadlineTimer
    deadline = QDeadlineTimer(10_000)
    while not condition() and not deadline.hasExpired():
        QApplication.processEvents()


def _sg_file(ctx: Any, group: str) -> str:
    from shequ_desktop.services.special_groups import files
    return files.list_files(ctx, group)[0].id


def _sg_open_file(window: MainWindow, ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    from shequ_desktop.ui.special_groups.file_dialogs import OpenFileDialog
    return OpenFileDialog(ctx, runner, window, "child")


def _sg_roster(window: MainWindow, ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    from shequ_desktop.ui.special_groups.file_dialogs import RosterDialog
    return RosterDialog(ctx, runner, _sg_file(ctx, "elderly"), "elderly", window)


def _sg_record(name: str, group: str) -> Factory:
    def make(window: MainWindow, ctx: Any, runner: Any, _tmp: Path) -> QWidget:
        from shequ_desktop.ui.special_groups import record_dialogs
        return getattr(record_dialogs, name)(ctx, runner, _sg_file(ctx, group), window)
    return make


def _sg_satisfaction(window: MainWindow, ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    from shequ_desktop.ui.special_groups.record_dialogs import SatisfactionDialog
    return SatisfactionDialog(ctx, runner, window)


def _emergency_page(window: MainWindow) -> Any:
    page = window.emergency_page
    window.show_page("emergency")
    return page


def _new_incident(window: MainWindow, _ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    _settle_runner(runner)
    return _emergency_page(window).new_incident()


def _member(window: MainWindow, _ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    _settle_runner(runner)
    return _emergency_page(window).team_tab.edit(None)


def _exercise(window: MainWindow, _ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    _settle_runner(runner)
    return _emergency_page(window).drills_tab.record()


def _plan(window: MainWindow, _ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    _settle_runner(runner)
    page = _emergency_page(window)
    return page.plans_tab.edit(page.plans_tab.plans[1] if page.plans_tab.plans else None)


def _settle_runner(runner: Any) -> None:
    import time
    deadline = time.monotonic() + 20
    while runner._pending and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)


def _paper_answer(window: MainWindow, ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    from shequ_desktop.services.governance import surveys
    from shequ_desktop.ui.oversight.evaluation_dialogs import PaperAnswerDialog
    return PaperAnswerDialog(ctx, runner, surveys.list_questionnaires(ctx)[0], window)


def _subdistrict_sheet(window: MainWindow, ctx: Any, runner: Any, _tmp: Path) -> QWidget:
    from shequ_desktop.services.governance import evaluation
    from shequ_desktop.ui.oversight.evaluation_dialogs import SheetDialog
    return SheetDialog(ctx, runner, evaluation.list_evaluations(ctx)[0], window)


# Class name → how to open it from a main window. Add your dialog here (one line and a factory).
DIALOGS: dict[str, Factory] = {
    "SettingsDialog": lambda w, _c, _r, _t: w.open_settings(),
    "ResidentDialog": _resident_dialog,
    "ImportDialog": _import_dialog,
    "PdfPreviewDialog": _preview,
    "BackupDialog": _backup,
    "DataLocationDialog": _location,
    "SyncSettingsDialog": _sync_settings,
    "LockDialog": _lock,
    "ActionDialog": _mediation_action,
    "NewCaseDialog": _mediation_new_case,
    "StationSetupDialog": _station_setup,
    "AddUserDialog": _add_user,
    "_FormDialog": _add_user,              # the users page's form base (add user / reset password)
    "ResetPasswordDialog": _reset_password,
    "EditUserDialog": _edit_user,
    "OpenFileDialog": _sg_open_file,
    "RosterDialog": _sg_roster,
    "AssessmentDialog": _sg_record("AssessmentDialog", "disabled"),
    "PackageDialog": _sg_record("PackageDialog", "disabled"),
    "SurveyDialog": _sg_record("SurveyDialog", "elderly"),
    "ContactsDialog": _sg_record("ContactsDialog", "elderly"),
    "SatisfactionDialog": _sg_satisfaction,
    "NewIncidentDialog": _new_incident,
    "MemberDialog": _member,
    "ExerciseDialog": _exercise,
    "PlanDialog": _plan,
    "GuardedDialog": _resident_dialog,     # the base of the dialogs that ask before unsaved edits are lost
    "PaperAnswerDialog": _paper_answer,
    "SheetDialog": _subdistrict_sheet,
}


def _dialog_classes() -> Iterator[type]:
    for info in pkgutil.walk_packages(shequ_desktop.ui.__path__, "shequ_desktop.ui."):
        module = importlib.import_module(info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, QDialog) and obj.__module__ == info.name:
                yield obj


def test_every_dialog_is_registered() -> None:
    missing = sorted({cls.__name__ for cls in _dialog_classes()} - set(DIALOGS))
    assert missing == [], ("add these dialogs to DIALOGS in tests/gui/test_screens.py so that they are "
                           f"checked at 1366×728 in both languages: {missing}")


@pytest.fixture
def real_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "locale_dir", paths.locale_dir)


@pytest.fixture(autouse=True)
def small_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """The usable area of a 1366×768 office PC under its taskbar."""
    from shequ_desktop.ui import window_state
    monkeypatch.setattr(window_state, "available_rect", lambda _w=None: SCREEN)


@pytest.fixture(autouse=True)
def quiet_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))


def _main(qtbot: Any, ctx: Any, runner: Any) -> MainWindow:
    window = MainWindow(ctx, runner, "幸福里社区")
    install_ops(window, ctx, runner, lambda _p: None)
    qtbot.addWidget(window)
    window.resize(SCREEN.size())
    window.show()
    qtbot.waitUntil(lambda: window.idle_minutes is not None, timeout=30_000)   # after every page's first load
    return window


def _settle(qtbot: Any, runner: Any) -> None:
    qtbot.waitUntil(lambda: runner._pending == 0, timeout=10_000)
    QApplication.processEvents()


def _pages(window: MainWindow) -> list[str]:
    return list(window._pages)


LOGINS = ("admin", "chief", "clerk1")


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("login", LOGINS)
def test_every_page_fits_and_speaks_one_language(qtbot, ctx, runner, real_catalog, language: str,
                                                  login: str) -> None:  # noqa: ANN001
    qt_i18n.apply_language(language)
    user_ctx = login_as(ctx, login)
    window = _main(qtbot, user_ctx, runner)
    problems: list[str] = []
    assert (window.width(), window.height()) == (SCREEN.width(), SCREEN.height())  # not pushed bigger
    for key in _pages(window):
        window.show_page(key)
        _settle(qtbot, runner)
        for tab in _each_tab(qtbot, runner, window.ui.page_stack.currentWidget()):
            problems += [f"{key}{tab}: {where}: {text!r}" for where, text in foreign_texts(window, language)]
            problems += [f"{key}{tab}: unreachable {b}"
                         for b in unreachable_buttons(window.ui.page_stack.currentWidget())]
    assert problems == [], "\n".join(sorted(set(problems)))


def _each_tab(qtbot: Any, runner: Any, page: QWidget, seen: set[int] | None = None) -> Iterator[str]:
    """The page as it opens, then with each tab of each visible tab widget shown in turn (nested ones too):
    the special-group, emergency and oversight pages keep most of their screens behind tabs."""
    from PySide6.QtWidgets import QTabWidget
    seen = set() if seen is None else seen
    yield ""
    for tabs in page.findChildren(QTabWidget):
        if id(tabs) in seen or not tabs.isVisible():
            continue
        seen.add(id(tabs))
        first = tabs.currentIndex()
        for index in range(tabs.count()):
            if not tabs.isTabEnabled(index) or not tabs.isTabVisible(index):
                continue
            tabs.setCurrentIndex(index)
            _settle(qtbot, runner)
            yield f" › {tabs.objectName() or 'tabs'}[{index}]"
            for inner in _each_tab(qtbot, runner, tabs.widget(index), seen):
                if inner:
                    yield f" › {tabs.objectName() or 'tabs'}[{index}]{inner}"
        tabs.setCurrentIndex(first)


def test_switching_language_reaches_every_page_without_restart(qtbot, ctx, runner, real_catalog) -> None:  # noqa: ANN001
    window = _main(qtbot, login_as(ctx, "admin"), runner)
    for key in _pages(window):
        window.show_page(key)
    _settle(qtbot, runner)
    window.set_language("en")
    qtbot.wait(50)
    problems: list[str] = []
    for key in _pages(window):
        window.show_page(key)
        _settle(qtbot, runner)
        problems += [f"{key}: {where}: {text!r}" for where, text in foreign_texts(window, "en")]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_every_dialog_fits_and_speaks_one_language(qtbot, ctx, runner, real_catalog, tmp_path, language: str,
                                                    name: str) -> None:  # noqa: ANN001
    qt_i18n.apply_language(language)
    admin = login_as(ctx, "admin")
    window = _main(qtbot, admin, runner)
    dialog = DIALOGS[name](window, admin, runner, tmp_path)
    if dialog is None:   # opened asynchronously
        qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not None, timeout=5000)
    dialog.show()
    _settle(qtbot, runner)
    assert fits_screen(dialog), (name, dialog.frameGeometry().getRect())
    assert minimum_fits(dialog), (name, dialog.minimumSizeHint())
    assert unreachable_buttons(dialog) == []
    assert foreign_texts(dialog, language) == [], "\n".join(map(str, foreign_texts(dialog, language)))


def test_window_size_and_maximised_state_are_remembered_per_user(qtbot, ctx, runner) -> None:  # noqa: ANN001
    clerk = login_as(ctx, "clerk1")
    first = MainWindow(clerk, runner, "幸福里社区", with_sync=False)
    qtbot.addWidget(first)
    first.show_as_left()
    assert first.isMaximized()          # first start on a 1366×728 screen
    first.showNormal()
    first.resize(1340, 650)
    first.shutdown()
    again = MainWindow(clerk, runner, "幸福里社区", with_sync=False)
    qtbot.addWidget(again)
    again.show_as_left()
    assert not again.isMaximized() and again.height() == 650
    other = MainWindow(login_as(ctx, "clerk2"), runner, "幸福里社区", with_sync=False)
    qtbot.addWidget(other)
    other.show_as_left()
    assert other.isMaximized()          # clerk2 has not arranged anything yet
    for w in (again, other):
        w.shutdown()


def test_splitter_positions_are_remembered_per_user(qtbot) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel, QSplitter
    from shequ_desktop.ui.window_state import remember_splitter

    def splitter(login: str) -> QSplitter:
        s = QSplitter(Qt.Orientation.Horizontal)
        s.addWidget(QLabel("a"))
        s.addWidget(QLabel("b"))
        s.setSizes([300, 700])
        qtbot.addWidget(s)
        remember_splitter(s, login, "intake")
        s.resize(1000, 100)
        s.show()
        return s

    moved = splitter("clerk1")
    moved.setSizes([420, 580])
    moved.splitterMoved.emit(420, 1)
    assert abs(splitter("clerk1").sizes()[0] - moved.sizes()[0]) <= 2
    assert abs(splitter("clerk2").sizes()[0] - moved.sizes()[0]) > 50
