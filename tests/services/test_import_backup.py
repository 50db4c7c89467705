from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from shequ_desktop.domain.errors import UserError
from shequ_desktop.persistence.db import head_revision, open_database
from shequ_desktop.services import backup, resident_io, residents
from shequ_desktop.services.residents import ResidentInput

HEADER = ["姓名", "公民身份号码", "联系电话", "住址", "网格", "入住日期"]
GOOD = [["张三", "11010519491231002X", "13812348000", "幸福里1栋101", "", "2019-03-01"],
        ["李四", "440524195801010018", "", "幸福里2栋", "", ""],
        ["王五", "34052419800101001X", "13912345678", "书香苑3栋", "", "2020/5/6"]]


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_dry_run_reports_add_update_reject_and_writes_nothing(ctx, tmp_path):
    residents.create(ctx, ResidentInput(name="李四", id_number="440524195801010018"))
    rows = GOOD + [["赵六", "110105194912310021", "", "", "", ""],          # wrong check character
                   ["", "370101190102039973", "", "", "", ""],             # no name
                   ["孙七", "11010519491231002X", "", "", "", ""],         # same ID as line 2
                   ["周八", "370101190102039973", "", "", "第九网格", ""]]  # unknown grid
    plan = resident_io.plan_import(ctx, _xlsx(tmp_path / "r.xlsx", rows))
    assert (len(plan.to_add), len(plan.to_update), len(plan.rejected)) == (2, 1, 4)
    assert [r.line for r in plan.rejected] == [5, 6, 7, 8]
    assert plan.rejected[0].errors[0].params["expected"] == "X"
    assert plan.rejected[2].errors[0].params["line"] == 2
    assert residents.total(ctx) == 1
    with pytest.raises(UserError):
        resident_io.run_import(ctx, plan)              # rejected rows: nothing imported by default
    assert residents.total(ctx) == 1
    result = resident_io.run_import(ctx, plan, skip_rejected=True)
    assert (result.added, result.updated) == (2, 1) and residents.total(ctx) == 3


def test_csv_in_gb18030_imports(ctx, tmp_path):
    text = "\n".join(",".join(r) for r in [HEADER] + GOOD)
    path = tmp_path / "r.csv"
    path.write_bytes(text.encode("gb18030"))
    plan = resident_io.plan_import(ctx, path)
    assert len(plan.to_add) == 3 and not plan.rejected
    resident_io.run_import(ctx, plan)
    assert [r.name for r in residents.search(ctx, "王五")] == ["王五"]


def test_malformed_file_is_a_clear_error(ctx, tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(UserError) as exc:
        resident_io.plan_import(ctx, bad)
    assert exc.value.field == "file"
    no_header = tmp_path / "nohdr.csv"
    no_header.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UserError, match="missing"):
        resident_io.plan_import(ctx, no_header)


def test_import_is_all_or_nothing(ctx, tmp_path, monkeypatch):
    plan = resident_io.plan_import(ctx, _xlsx(tmp_path / "r.xlsx", GOOD))
    calls = {"n": 0}
    real_apply = resident_io._apply

    def failing_apply(r, c):  # a crash on the third row, after two were added to the session
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk full")
        real_apply(r, c)

    monkeypatch.setattr(resident_io, "_apply", failing_apply)
    with pytest.raises(OSError):
        resident_io.run_import(ctx, plan)
    assert residents.total(ctx) == 0


def test_export_is_masked_by_default_and_audited(demo_ctx, tmp_path):
    n = resident_io.export_xlsx(demo_ctx, "王", tmp_path / "out.xlsx")
    ws = load_workbook(tmp_path / "out.xlsx").active
    values = list(ws.iter_rows(values_only=True))
    assert values[0][0] == "姓名" and len(values) == n + 1
    assert all("*" in row[3] for row in values[1:])


def test_backup_while_writing_then_restore(ctx, tmp_path, db_path):
    for i in range(20):
        residents.create(ctx, ResidentInput(name="居民" + "甲乙丙丁戊己庚辛壬癸"[i % 10] + "子丑寅"[i // 10],
                                            id_number=_valid_id(i)))
    stop = threading.Event()

    def writer() -> None:
        conn = sqlite3.connect(db_path)
        while not stop.is_set():
            conn.execute("INSERT INTO setting(key, value) VALUES ('w', '1') "
                         "ON CONFLICT(key) DO UPDATE SET value = value + 1")
            conn.commit()
            stop.wait(0.002)   # a busy colleague's PC, not a lock-hogging loop (SQLite's busy wait is not fair)
        conn.close()

    t = threading.Thread(target=writer)
    t.start()
    try:
        info = backup.backup_to(ctx, tmp_path / "bk")
    finally:
        stop.set()
        t.join()
    assert backup.check_backup_file(info.path) == head_revision()
    ctx.db.dispose()
    restored = tmp_path / "restored.db"
    backup.restore_file(restored, info.path)
    db2 = open_database(restored)
    try:
        assert sqlite3.connect(restored).execute("SELECT count(*) FROM resident").fetchone()[0] == 20
    finally:
        db2.dispose()


def test_restore_refuses_a_corrupted_file(tmp_path, db_path, ctx):
    info = backup.backup_to(ctx, tmp_path / "bk")
    damaged = tmp_path / "damaged.db"
    data = bytearray(info.path.read_bytes())
    data[5000:9000] = b"\xff" * 4000
    damaged.write_bytes(bytes(data))
    with pytest.raises(UserError):
        backup.restore_file(tmp_path / "target.db", damaged)
    assert not (tmp_path / "target.db").exists()
    not_db = tmp_path / "note.db"
    not_db.write_text("hello")
    with pytest.raises(UserError):
        backup.check_backup_file(not_db)


def test_newer_schema_is_refused_untouched(tmp_path, ctx, db_path):
    ctx.db.dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num='9999'")
    conn.commit()
    conn.close()
    before = db_path.read_bytes()
    with pytest.raises(UserError, match="newer version"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_upgrade_from_first_schema_keeps_data_and_takes_a_backup(tmp_path):
    """A station still on schema 0001 (first release) with residents is upgraded to head."""
    from alembic import command
    from shequ_desktop.persistence.db import alembic_config, make_engine
    path = tmp_path / "old.db"
    engine = make_engine(path)
    cfg = alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.commit()
    engine.dispose()
    raw = sqlite3.connect(path)   # rows as the 0001 program wrote them
    raw.execute("INSERT INTO community (id, community_id, code, name, subdistrict, address, phone, hotline, "
                "created_at, updated_at, updated_by, version) VALUES ('c1','c1','X','老社区','','','','',"
                "'2025-01-01 00:00:00','2025-01-01 00:00:00','old',1)")
    raw.execute("INSERT INTO resident (id, community_id, name, id_number, id_number_original, id_kind, birth_date, "
                "sex, phone, address, relation, note, created_at, updated_at, updated_by, version) VALUES "
                "('r1','c1','张三','11010519491231002X','','citizen','1949-12-31','F','','','','',"
                "'2025-01-01 00:00:00','2025-01-01 00:00:00','old',1)")
    raw.commit()
    raw.close()
    db = open_database(path, backup_dir=tmp_path / "bk")
    try:
        assert db.migrated_from == "0001" and db.backup_path is not None and db.backup_path.exists()
        assert backup.check_backup_file(db.backup_path) == "0001"
        conn = sqlite3.connect(path)
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()
        assert conn.execute("SELECT name FROM resident").fetchall() == [("张三",)]
        assert conn.execute("SELECT count(*) FROM service_item").fetchone()[0] == 0
    finally:
        db.dispose()


def _valid_id(i: int) -> str:
    import datetime as dt
    from shequ_desktop.domain.idnumber import make_id_number
    return make_id_number("420111", dt.date(1960, 1, 1) + dt.timedelta(days=37 * i), 10 + i)


def test_restore_resets_the_sync_cursor_but_keeps_the_hub_connection(tmp_path, ctx):
    from shequ_desktop.services.context import put_setting
    with ctx.transaction() as s:
        put_setting(s, "sync.cursor", "4711")
        put_setting(s, "sync.hub_url", "https://hub.example:8470")
    info = backup.backup_to(ctx, tmp_path / "bk")
    target = tmp_path / "restored.db"
    backup.restore_file(target, info.path)
    rows = dict(sqlite3.connect(target).execute("SELECT key, value FROM setting WHERE key LIKE 'sync.%'"))
    assert "sync.cursor" not in rows and rows["sync.hub_url"] == "https://hub.example:8470"
