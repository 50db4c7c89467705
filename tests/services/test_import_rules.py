"""Resident import as clerks' sheets really are: partial update files, Excel numbers, title rows, typos."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from shequ_desktop.cli import admin
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.idnumber import make_id_number
from shequ_desktop.persistence.models import ChangeJournal, Resident
from shequ_desktop.services import resident_io, residents
from shequ_desktop.services.resident_io import FieldChange
from shequ_desktop.services.residents import ResidentInput

ZHANG = "110105197001018566"          # Excel turns it into 110105197001019008 (also a valid number)
ROUNDED = "110105197001019008"
WANG = make_id_number("420111", dt.date(1985, 5, 1), 11)


def _csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _xlsx(path: Path, rows: list[list[object]], title_rows: int = 0) -> Path:
    wb = Workbook()
    ws = wb.active
    if title_rows:
        ws.append(["幸福里社区居民花名册"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
        for _ in range(title_rows - 1):
            ws.append(["制表：幸福里社区居委会", None, None, "2026年11月"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def _stored(ctx, id_number: str) -> Resident:  # noqa: ANN001
    with ctx.transaction() as s:
        r = s.execute(select(Resident).where(Resident.id_number == id_number)).scalar_one()
        s.expunge(r)
        return r


@pytest.fixture
def zhang(ctx):  # noqa: ANN001, ANN201
    return residents.create(ctx, ResidentInput(name="张三", id_number=ZHANG, phone="13812348000",
                                               address="幸福里1栋101", relation="户主",
                                               moved_in=dt.date(2019, 3, 1), note="独居老人"))


def test_update_changes_only_the_files_columns_and_empty_cells_keep_values(ctx, zhang, tmp_path):
    before = _stored(ctx, ZHANG)
    path = _csv(tmp_path / "phones.csv", ["姓名,公民身份号码,联系电话", f"张三,{ZHANG},13900000001"])
    plan = resident_io.plan_import(ctx, path)
    assert len(plan.to_update) == 1 and not plan.to_add
    resident_io.run_import(ctx, plan)
    after = _stored(ctx, ZHANG)
    assert after.phone == "13900000001"
    assert (after.address, after.relation, after.moved_in, after.note, after.household_id, after.name) == \
        (before.address, before.relation, before.moved_in, before.note, before.household_id, before.name)
    with ctx.transaction() as s:
        journal = s.execute(select(ChangeJournal).where(ChangeJournal.entity_id == zhang.id)
                            .order_by(ChangeJournal.seq.desc())).scalars().first()
        assert "phone" in journal.fields and not {"address", "relation", "moved_in", "note"} & set(journal.fields)
    # Name and ID only, the phone cell empty: nothing to change, nothing cleared.
    path = _csv(tmp_path / "names.csv", ["姓名,公民身份号码,联系电话,住址", f"张三,{ZHANG},,"])
    plan = resident_io.plan_import(ctx, path)
    assert (len(plan.to_update), plan.unchanged) == (0, 1)
    assert _stored(ctx, ZHANG).phone == "13900000001"


def test_dry_run_lists_each_field_before_and_after(ctx, zhang, tmp_path, capsys):
    path = _csv(tmp_path / "u.csv", ["姓名,公民身份号码,联系电话,住址,备注",
                                     f"张三,{ZHANG},13900000001,幸福里2栋202,"])
    plan = resident_io.plan_import(ctx, path)
    assert plan.to_update[0].changes == (FieldChange("phone", "138****8000", "13900000001"),
                                         FieldChange("address", "幸福里1栋101", "幸福里2栋202"))
    assert admin.main(["--db", str(ctx.db.path), "import-residents", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "line 2 张三 (110105********8566): phone: 138****8000 → 13900000001" in out
    assert "line 2 张三 (110105********8566): address: 幸福里1栋101 → 幸福里2栋202" in out
    assert _stored(ctx, ZHANG).phone == "13812348000"


def test_a_different_name_for_a_registered_id_is_refused_unless_accepted(ctx, zhang, tmp_path, capsys):
    path = _csv(tmp_path / "typo.csv", ["姓名,公民身份号码,联系电话", f"张山,{ZHANG},13900000001",
                                        f"王五,{WANG},13900000002"])
    plan = resident_io.plan_import(ctx, path)
    assert [u.line for u in plan.name_changes] == [2]
    with pytest.raises(UserError, match="different name"):
        resident_io.run_import(ctx, plan)
    assert residents.total(ctx) == 1 and _stored(ctx, ZHANG).name == "张三"
    db = str(ctx.db.path)
    assert admin.main(["--db", db, "import-residents", str(path)]) != 0
    assert "different name" in capsys.readouterr().err
    assert _stored(ctx, ZHANG).name == "张三"
    # Skipping keeps the suspected typo out entirely (not even its phone), the other row goes in.
    result = resident_io.run_import(ctx, plan, skip_rejected=True)
    assert (result.added, result.updated, result.renames_skipped) == (1, 0, 1)
    assert (_stored(ctx, ZHANG).name, _stored(ctx, ZHANG).phone) == ("张三", "13812348000")
    assert admin.main(["--db", db, "import-residents", str(path), "--accept-name-changes"]) == 0
    assert (_stored(ctx, ZHANG).name, _stored(ctx, ZHANG).phone) == ("张山", "13900000001")


def test_an_id_number_that_excel_stored_as_a_number_is_refused(ctx, tmp_path):
    header = ["姓名", "公民身份号码", "联系电话"]
    path = _xlsx(tmp_path / "numbers.xlsx", [header, ["张三", int(ZHANG), ""],          # a real numeric cell
                                             ["李四", float(ZHANG), ""],                    # as Excel saves it
                                             ["王五", WANG, ""]])
    plan = resident_io.plan_import(ctx, path)
    assert [r.line for r in plan.rejected] == [2, 3] and len(plan.to_add) == 1
    message = str(plan.rejected[0].errors[0])
    assert "15 digits" in message and "Text" in message
    resident_io.run_import(ctx, plan, skip_rejected=True)
    with ctx.transaction() as s:
        stored = set(s.execute(select(Resident.id_number)).scalars())
    assert stored == {WANG} and ROUNDED not in stored
    csv = _csv(tmp_path / "sci.csv", ["姓名,公民身份号码", "张三,1.10105E+17"])
    assert "15 digits" in str(resident_io.plan_import(ctx, csv).rejected[0].errors[0])


def test_header_is_found_under_a_merged_title_and_noise_around_numbers_is_removed(ctx, tmp_path):
    header = ["序号", "姓名", "身份证号码", "手机号码", "住址", "入住日期"]
    rows = [header,
            [1, "张三", f"'{ZHANG}", "１３８１２３４８０００", "幸福里1栋", 43891],                 # serial date
            [2, "王五", f" \u200b{WANG}\u200b ", "139 0000 0002", "幸福里2栋", dt.datetime(2021, 6, 1)],
            [3, "赵六", "110105194912310021", "", "", ""]]                                       # bad check char
    plan = resident_io.plan_import(ctx, _xlsx(tmp_path / "roster.xlsx", rows, title_rows=2))
    assert [r.line for r in plan.rejected] == [6]
    assert {c.data.id_number: (c.data.phone, c.data.moved_in) for c in plan.to_add} == {
        ZHANG: ("13812348000", dt.date(2020, 3, 1)), WANG: ("13900000002", dt.date(2021, 6, 1))}
    csv = _csv(tmp_path / "serial.csv", ["幸福里社区居民花名册,,", "姓名,公民身份号码,入住日期", f"张三,{ZHANG},43891"])
    assert resident_io.plan_import(ctx, csv).to_add[0].data.moved_in == dt.date(2020, 3, 1)


def test_implausible_birth_years_are_refused(ctx, tmp_path):
    too_early = make_id_number("110105", dt.date(1885, 1, 1), 12)
    too_old = make_id_number("110105", dt.date(1895, 11, 24), 12)        # 131 on 2026-11-25
    oldest = make_id_number("110105", dt.date(1897, 1, 1), 12)            # 129
    path = _csv(tmp_path / "old.csv", ["姓名,公民身份号码", f"甲,{too_early}", f"乙,{too_old}", f"丙,{oldest}"])
    plan = resident_io.plan_import(ctx, path)
    assert [r.line for r in plan.rejected] == [2, 3] and len(plan.to_add) == 1
    assert "implausible" in str(plan.rejected[0].errors[0])
