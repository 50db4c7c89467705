"""Import dialog: dry run shows counts and rejected rows; import writes the good rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt

from shequ_desktop.domain.idnumber import make_id_number
from shequ_desktop.services import residents
from shequ_desktop.ui.residents.import_dialog import ImportDialog


def write_csv(path: Path) -> Path:
    good1 = make_id_number("420111", dt.date(1985, 5, 1), 11)
    good2 = make_id_number("420106", dt.date(1992, 8, 9), 22)
    lines = ["姓名,公民身份号码,联系电话,住址,网格",
             f"导入甲,{good1},13900000001,幸福里小区1栋,第一网格",
             "导入乙,420111198505010000,13900000002,幸福里小区2栋,第一网格",   # wrong check character
             f"导入丙,{good2},,书香苑3栋,第二网格"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_dialog(qtbot, ctx, runner) -> ImportDialog:  # noqa: ANN001
    dialog = ImportDialog(ctx, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_dry_run_shows_one_rejected_row(qtbot, chief_ctx, runner, tmp_path, reported) -> None:  # noqa: ANN001
    dialog = make_dialog(qtbot, chief_ctx, runner)
    before = residents.total(chief_ctx)
    with qtbot.waitSignal(dialog.planned, timeout=5000):
        dialog.load_file(write_csv(tmp_path / "residents.csv"))
    assert dialog.ui.reject_count_label.text().endswith("1")
    assert dialog.ui.add_count_label.text().endswith("2")
    assert dialog.ui.rejected_table.rowCount() == 1
    assert dialog.ui.rejected_table.item(0, 0).text() == "3"
    assert dialog.ui.rejected_table.item(0, 1).text() == "导入乙"
    assert "check character" in dialog.ui.rejected_table.item(0, 2).text()
    assert not dialog.ui.import_button.isEnabled()      # rejected rows must be skipped explicitly
    assert residents.total(chief_ctx) == before         # a dry run writes nothing
    assert reported == []


def test_import_with_skip_adds_the_good_rows(qtbot, chief_ctx, runner, tmp_path) -> None:  # noqa: ANN001
    dialog = make_dialog(qtbot, chief_ctx, runner)
    before = residents.total(chief_ctx)
    with qtbot.waitSignal(dialog.planned, timeout=5000):
        dialog.load_file(write_csv(tmp_path / "residents.csv"))
    dialog.ui.skip_rejected_check.setChecked(True)
    assert dialog.ui.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=5000) as blocker:
        qtbot.mouseClick(dialog.ui.import_button, Qt.MouseButton.LeftButton)
    assert (blocker.args[0].added, blocker.args[0].rejected) == (2, 1)
    assert residents.total(chief_ctx) == before + 2
    assert residents.count(chief_ctx, "导入甲") == 1


def test_unreadable_file_shows_error_inline(qtbot, chief_ctx, runner, tmp_path) -> None:  # noqa: ANN001
    dialog = make_dialog(qtbot, chief_ctx, runner)
    bad = tmp_path / "notes.txt"
    bad.write_text("x", encoding="utf-8")
    dialog.load_file(bad)
    qtbot.waitUntil(lambda: dialog.ui.file_error_label.isVisible(), timeout=5000)
    assert ".xlsx" in dialog.ui.file_error_label.text()


def test_dry_run_shows_changes_and_a_new_name_needs_confirmation(qtbot, chief_ctx, runner, tmp_path) -> None:  # noqa: ANN001
    idn = make_id_number("420111", dt.date(1975, 3, 4), 31)
    r = residents.create(chief_ctx, residents.ResidentInput(name="改名甲", id_number=idn, phone="13812348000",
                                                            address="幸福里小区9栋"))
    path = tmp_path / "update.csv"
    path.write_text(f"姓名,公民身份号码,联系电话\n改名乙,{idn},13900000009\n", encoding="utf-8")
    dialog = make_dialog(qtbot, chief_ctx, runner)
    dialog.resize(1366, 728)
    with qtbot.waitSignal(dialog.planned, timeout=5000):
        dialog.load_file(path)
    table = dialog.ui.changes_table
    rows = [tuple(table.item(i, c).text() for c in range(5)) for i in range(table.rowCount())]
    who = f"改名甲 {idn[:6]}********{idn[-4:]}"
    assert rows == [("2", who, "name", "改名甲", "改名乙"), ("2", who, "phone", "138****8000", "13900000009")]
    assert dialog.ui.result_tabs.currentWidget() is dialog.ui.changes_tab and table.isVisible()
    assert not dialog.ui.import_button.isEnabled()          # the new name is not confirmed yet
    assert "different name" in dialog.ui.status_label.text()
    dialog.ui.accept_names_check.setChecked(True)
    assert dialog.ui.import_button.isEnabled() and dialog.ui.import_button.isVisible()
    assert dialog.rect().contains(dialog.ui.import_button.geometry().bottomRight())
    with qtbot.waitSignal(dialog.imported, timeout=5000):
        qtbot.mouseClick(dialog.ui.import_button, Qt.MouseButton.LeftButton)
    detail = residents.get(chief_ctx, r.id)
    assert (detail.name, detail.address, detail.phone_masked) == ("改名乙", "幸福里小区9栋", "139****0009")
