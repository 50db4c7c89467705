"""The drill dialog (issue 14): attached photos and sign-in sheets are stored in the program (a file over the
cap is refused next to the files field, a big photo is scaled down), opened and saved from the dialog of a
stored record; the drill is linked to its exercise incident — picked, or started from the dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from shequ_desktop.domain import emergency as e
from shequ_desktop.services.emergency import drills, files
from tests.gui.conftest import login_as
from tests.gui.screen_walk import unreachable_buttons
from tests.gui.test_emergency_page import make_page, settle


def _photo(path: Path, side: int = 400) -> Path:
    img = QImage(side, side * 3 // 4, QImage.Format.Format_RGB32)
    img.fill(QColor("#3a7bd5"))
    img.save(str(path), "PNG")
    return path


def test_chief_records_a_drill_with_files_and_its_exercise_incident(qtbot, ctx, runner, reported, tmp_path,
                                                                   monkeypatch) -> None:  # noqa: ANN001
    chief = login_as(ctx, "chief")
    page = make_page(qtbot, chief, runner)
    page.tabs.setCurrentWidget(page.drills_tab)
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: bool(page.drills_tab.members) and bool(page.drills_tab.plan_list), timeout=20_000)
    before = len(page.drills_tab.records)
    dialog = page.drills_tab.record()
    dialog.resize(dialog.width(), 728)
    assert unreachable_buttons(dialog) == []
    dialog.topic_edit.setText("高层火灾疏散演练")
    dialog.exercise_hazard_combo.setCurrentIndex(dialog.exercise_hazard_combo.findData("highrise_fire"))
    dialog.place_edit.setText("幸福里小区3栋")
    box = dialog.files_box
    # a file over the cap is refused next to the files field; nothing is added
    big = tmp_path / "录像.mp4"
    big.write_bytes(b"\0" * (e.MAX_FILE_BYTES + 1))
    box.add([str(big)])
    assert dialog.error_labels["attachments"].isVisible() and box.pending == []
    assert "10" in dialog.error_labels["attachments"].text()
    # a photo and a sign-in sheet are kept with the record
    box.add([str(_photo(tmp_path / "现场.png"))])
    box.kind_combo.setCurrentIndex(box.kind_combo.findData("sign_in"))
    sheet = tmp_path / "签到表.pdf"
    sheet.write_bytes(b"%PDF-1.4 sign-in sheet")
    box.add([str(sheet)])
    assert [f.kind for f in box.pending] == ["photo", "sign_in"] and box.list.count() == 2
    # start the exercise incident from the dialog: it is chosen for the record
    inner = dialog.start_incident()
    assert inner.exercise_check.isChecked() and inner.title_edit.text() == "高层火灾疏散演练"
    assert inner.hazard_combo.currentData() == "highrise_fire" and inner.place_edit.text() == "幸福里小区3栋"
    inner.check_building(page.building_list[0][0])
    with qtbot.waitSignal(inner.done_with, timeout=20_000) as opened:
        inner.submit()
    incident = opened.args[0]
    assert dialog.incident_combo.currentData() == incident.id
    with qtbot.waitSignal(dialog.done_with, timeout=20_000) as got:
        dialog.submit()
    x = got.args[0]
    assert (x.incident_id, x.files, x.hazard, x.place) == (incident.id, 2, "highrise_fire", "幸福里小区3栋")
    qtbot.waitUntil(lambda: len(page.drills_tab.records) == before + 1, timeout=20_000)
    row = next(i for i, r in enumerate(page.drills_tab.records) if r.id == x.id)
    assert page.drills_tab.records_table.item(row, 5).text() == incident.incident_no
    assert page.drills_tab.records_table.item(row, 4).text() == "2"
    qtbot.waitUntil(lambda: any(r.id == incident.id for r in page.rows), timeout=20_000)   # in the incident list

    # the stored record: open and save its files, add one more, remove one
    shown = page.drills_tab.open_record(row)
    qtbot.waitUntil(lambda: len(shown.files_box.stored) == 2, timeout=20_000)
    qtbot.waitUntil(lambda: shown.attendance_list.count() > 0, timeout=20_000)
    assert shown.topic_edit.isReadOnly() and not shown.kind_combo.isEnabled()     # the facts stay as recorded
    opened_urls = []
    monkeypatch.setattr("shequ_desktop.ui.emergency.files_box.QDesktopServices.openUrl",
                        lambda url: opened_urls.append(url.toLocalFile()) or True)
    shown.files_box.list.setCurrentRow(0)
    with qtbot.waitSignal(shown.files_box.opened, timeout=20_000) as got_open:
        shown.files_box.open_current()
    assert Path(got_open.args[0]).name == "现场.png" and opened_urls == [got_open.args[0]]
    assert QImage(got_open.args[0]).width() == 400
    shown.files_box.list.setCurrentRow(1)
    target = tmp_path / "copy.pdf"
    with qtbot.waitSignal(shown.files_box.saved, timeout=20_000):
        shown.files_box.save_current(str(target))
    assert target.read_bytes() == b"%PDF-1.4 sign-in sheet"
    shown.files_box.remove_current()
    qtbot.waitUntil(lambda: len(shown.files_box.stored) == 1, timeout=20_000)
    with qtbot.waitSignal(shown.done_with, timeout=20_000):
        shown.submit()
    assert [f.file_name for f in files.list_files(chief, x.id)] == ["现场.png"]
    assert drills.list_exercises(chief)[0].incident_id == incident.id
    settle(qtbot, runner)
    assert reported == []


def test_a_big_phone_photo_is_scaled_down_to_fit(tmp_path) -> None:  # noqa: ANN001
    from shequ_desktop.ui.emergency.files_box import read_for_attaching
    img = QImage(6000, 4500, QImage.Format.Format_RGB32)
    for y in range(0, 4500, 3):                      # noise-like stripes: a PNG well over 10 MB
        img.fill(QColor(y % 255, (y * 7) % 255, (y * 13) % 255)) if y == 0 else None
    import os
    raw = bytearray(os.urandom(6000 * 4500 * 4))
    noisy = QImage(bytes(raw), 6000, 4500, QImage.Format.Format_RGB32)
    path = tmp_path / "IMG_0001.png"
    noisy.save(str(path), "PNG", 0)
    assert path.stat().st_size > e.MAX_FILE_BYTES
    f, shrunk = read_for_attaching(str(path), "photo")
    assert shrunk and f.file_name == "IMG_0001.jpg" and len(f.content) <= e.MAX_FILE_BYTES
    small = QImage.fromData(f.content)
    assert (small.width(), small.height()) == (e.IMAGE_MAX_SIDE, e.IMAGE_MAX_SIDE * 3 // 4)
    assert Qt.AspectRatioMode.KeepAspectRatio is not None


def test_further_steps_offered_from_the_plan_and_edited_by_the_chief(qtbot, ctx, runner, reported, tmp_path,
                                                                    monkeypatch) -> None:  # noqa: ANN001
    """R65: the incident's 「further step」 field offers the plan's configured list (a free entry still works);
    the chief edits the list in the plan dialog. The affected buildings' lists print from the incident."""
    chief = login_as(ctx, "chief")
    page = make_page(qtbot, chief, runner)
    page.tabs.setCurrentWidget(page.plans_tab)
    qtbot.waitUntil(lambda: bool(page.plans_tab.plans), timeout=20_000)
    fire = next(p for p in page.plans_tab.plans if p.hazard == "fire")
    dialog = page.plans_tab.edit(fire)
    assert dialog.further_edit.toPlainText().splitlines() == list(fire.further_steps)
    dialog.resize(dialog.width(), 728)
    assert unreachable_buttons(dialog) == []
    dialog.further_edit.setPlainText("启动应急预案\n关闭燃气总阀\n组织居民疏散")
    with qtbot.waitSignal(dialog.done_with, timeout=20_000):
        dialog.submit()
    settle(qtbot, runner)
    row = next(i for i, p in enumerate(page.plans_tab.plans) if p.hazard == "fire")
    page.plans_tab.table.selectRow(row)
    page.plans_tab._show(row)
    assert "（2）关闭燃气总阀" in page.plans_tab.detail.toPlainText()        # the plan shows its further steps
    page.tabs.setCurrentIndex(0)
    new = page.new_incident()
    new.title_edit.setText("5栋厨房起火")
    new.hazard_combo.setCurrentIndex(new.hazard_combo.findData("fire"))
    new.check_building(page.building_list[0][0])
    with qtbot.waitSignal(new.done_with, timeout=20_000) as got:
        new.submit()
    panel = page.panel
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.id == got.args[0].id, timeout=20_000)
    settle(qtbot, runner)
    offered = [panel.step_combo.itemText(i) for i in range(panel.step_combo.count())]
    assert offered == ["启动应急预案", "关闭燃气总阀", "组织居民疏散"] and panel.step_edit.text() == ""
    panel.step_combo.setCurrentIndex(1)
    assert panel.step_edit.text() == "关闭燃气总阀"
    panel.step_button.click()
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: any(x.text == "关闭燃气总阀" for x in panel.view.entries), timeout=20_000)
    offered = [panel.step_combo.itemText(i) for i in range(panel.step_combo.count())]
    assert offered[-1] == "关闭燃气总阀"                            # done: moved to the end
    panel.step_edit.setText("通知房东到场")                           # a free entry
    panel.step_button.click()
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: any(x.text == "通知房东到场" for x in panel.view.entries), timeout=20_000)
    assert panel.step_combo.count() == 3
    # the people to check, on paper for the way there: one page per affected building, audited
    opened = []
    monkeypatch.setattr("shequ_desktop.ui.emergency.incident_panel.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    target = tmp_path / "lists.pdf"
    panel.tabs.setCurrentIndex(0)
    with qtbot.waitSignal(panel.lists_written, timeout=60_000):
        panel.print_lists(str(target))
    import subprocess
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    assert panel.view.incident_no in text and page.building_list[0][1] in text and opened == [str(target)]
    from sqlalchemy import select
    from shequ_desktop.persistence.models import AuditEntry
    with chief.transaction() as s:
        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()
        assert (last.action, last.entity_id) == ("print", panel.view.id)
    assert reported == []


def test_exercise_incident_field_is_for_drills_and_read_only_for_a_worker(qtbot, ctx, runner, reported) -> None:  # noqa: ANN001
    """A training has no exercise incident: the field is disabled (with the reason) when the kind is training.
    A worker opening a stored drill sees its incident but cannot change the link — disabled, the tooltip says
    why — and 确定 stores nothing (no permission error)."""
    chief = login_as(ctx, "chief")
    page = make_page(qtbot, chief, runner)
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: bool(page.drills_tab.records) and bool(page.drills_tab.plan_list), timeout=20_000)
    dialog = page.drills_tab.record()
    kinds = dialog.kind_combo
    kinds.setCurrentIndex(kinds.findData(e.DRILL))
    assert dialog.incident_combo.isEnabled() and dialog.start_incident_button.isEnabled()
    assert dialog.incident_field_note() == ""
    dialog.incident_combo.addItem("YJ-test · 演练", "some-exercise-incident")      # as if one were free
    dialog.incident_combo.setCurrentIndex(dialog.incident_combo.count() - 1)
    kinds.setCurrentIndex(kinds.findData(e.TRAINING))
    assert not dialog.incident_combo.isEnabled() and not dialog.start_incident_button.isEnabled()
    assert "training" in dialog.incident_combo.toolTip() and dialog.incident_combo.currentData() == ""
    kinds.setCurrentIndex(kinds.findData(e.DRILL))
    assert dialog.incident_combo.isEnabled() and dialog.incident_combo.toolTip() == ""
    dialog.close()
    training = next(i for i, x in enumerate(page.drills_tab.records) if x.kind == e.TRAINING)
    shown = page.drills_tab.open_record(training)
    assert not shown.incident_combo.isEnabled() and "training" in shown.incident_combo.toolTip()
    shown.close()
    settle(qtbot, runner)

    worker = login_as(ctx, "worker1")
    wpage = make_page(qtbot, worker, runner)
    settle(qtbot, runner)
    qtbot.waitUntil(lambda: bool(wpage.drills_tab.records), timeout=20_000)
    row = next(i for i, x in enumerate(wpage.drills_tab.records) if x.kind == e.DRILL and x.incident_id)
    record = wpage.drills_tab.records[row]
    shown = wpage.drills_tab.open_record(row)
    assert shown.incident_combo.currentData() == record.incident_id           # the link is shown …
    for w in (shown.incident_combo, shown.start_incident_button):            # … and cannot be changed
        assert not w.isEnabled() and "chief" in w.toolTip()
    shown.incident_combo.setCurrentIndex(0)          # even if it were changed, OK stores nothing
    with qtbot.waitSignal(shown.done_with, timeout=20_000):
        shown.submit()
    assert not shown.error_label.text() and all(not lab.text() for lab in shown.error_labels.values())
    assert next(x for x in drills.list_exercises(chief) if x.id == record.id).incident_id == record.incident_id
    settle(qtbot, runner)
    assert reported == []
