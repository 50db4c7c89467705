"""The residents' search side tables: keyed FTS rows (migration 0004), re-indexing, bulk rebuild."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from shequ_desktop.persistence import search_index
from shequ_desktop.persistence.db import alembic_config, head_revision, make_engine, open_database
from shequ_desktop.services import residents
from shequ_desktop.services.residents import ResidentInput


def _valid_id(i: int) -> str:
    import datetime as dt
    from shequ_desktop.domain.idnumber import make_id_number
    return make_id_number("420111", dt.date(1960, 1, 1) + dt.timedelta(days=37 * i), 10 + i)


def _consistent(path: Path) -> None:
    """Every live resident has exactly one FTS row, its key points at it; grams match the names."""
    conn = sqlite3.connect(path)
    try:
        live = dict(conn.execute("SELECT id, name FROM resident WHERE deleted_at IS NULL"))
        keys = dict(conn.execute("SELECT resident_id, fts_rowid FROM resident_fts_key"))
        fts = dict(conn.execute("SELECT rowid, resident_id FROM resident_fts"))
        assert set(keys) == set(live)
        assert sorted(fts.values()) == sorted(live)
        assert all(fts[rowid] == rid for rid, rowid in keys.items())
        grams = set(conn.execute("SELECT gram, resident_id FROM resident_gram"))
        assert grams == {(g, rid) for rid, name in live.items() for g in search_index.name_grams(name)}
    finally:
        conn.close()


def test_upgrade_from_0003_keys_existing_residents(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = make_engine(path)
    cfg = alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0003")
        conn.commit()
    engine.dispose()
    raw = sqlite3.connect(path)   # rows and index entries as the 0003 program wrote them
    raw.execute("INSERT INTO community (id, community_id, code, name, subdistrict, address, phone, hotline, "
                "created_at, updated_at, updated_by, version) VALUES ('c1','c1','X','老社区','','','','',"
                "'2025-01-01 00:00:00','2025-01-01 00:00:00','old',1)")
    people = [("r1", "张三", "11010519491231002X", "13812348000", "幸福里1栋101", None),
              ("r2", "李四", "440524188001010014", "", "书香苑3栋", None),
              ("r3", "王五", "34052419800101001X", "13912345678", "幸福里2栋", "2025-02-01 00:00:00")]
    for rid, name, idn, phone, addr, deleted in people:
        raw.execute("INSERT INTO resident (id, community_id, name, id_number, id_number_original, id_kind, "
                    "birth_date, sex, phone, address, relation, note, created_at, updated_at, updated_by, version, "
                    "deleted_at) VALUES (?, 'c1', ?, ?, '', 'citizen', '1949-12-31', 'F', ?, ?, '', '', "
                    "'2025-01-01 00:00:00', '2025-01-01 00:00:00', 'old', 1, ?)",
                    (rid, name, idn, phone, addr, deleted))
        if deleted is None:
            raw.executemany("INSERT INTO resident_gram (gram, resident_id) VALUES (?, ?)",
                            [(g, rid) for g in search_index.name_grams(name)])
            raw.execute("INSERT INTO resident_fts (resident_id, id_number, phone, address) VALUES (?, ?, ?, ?)",
                        (rid, idn, phone, addr))
    raw.execute("INSERT INTO setting (key, value) VALUES ('community_id', 'c1')")
    raw.commit()
    raw.close()

    db = open_database(path, backup_dir=tmp_path / "bk")
    try:
        assert db.migrated_from == "0003" and head_revision() == "0004"
        _consistent(path)
        conn = sqlite3.connect(path)
        assert conn.execute("SELECT count(*) FROM resident_fts WHERE resident_fts MATCH '\"幸福里\"'").fetchone() == (1,)
        conn.close()
    finally:
        db.dispose()


def test_edits_and_removal_keep_the_index_exact(ctx, db_path: Path) -> None:
    made = [residents.create(ctx, ResidentInput(name=n, id_number=_valid_id(i), address=f"幸福里{i}栋"))
            for i, n in enumerate(["张三", "李四丰", "王五"])]
    _consistent(db_path)
    d = residents.get(ctx, made[1].id)
    residents.update(ctx, d.id, ResidentInput(name="李思远", id_number=_valid_id(1), address="书香苑9栋"),
                     expected_version=d.version)
    _consistent(db_path)
    assert [r.name for r in residents.search(ctx, "思远")] == ["李思远"]
    assert residents.search(ctx, "四丰") == []
    assert [r.name for r in residents.search(ctx, "书香苑9")] == ["李思远"]
    assert residents.search(ctx, "幸福里1栋") == []
    residents.remove(ctx, made[0].id, "moved away")
    _consistent(db_path)
    assert residents.search(ctx, "张三") == []
    assert [r.name for r in residents.search(ctx, _valid_id(2)[-6:])] == ["王五"]


def test_rebuild_flag_is_finished_on_next_open(ctx, db_path: Path) -> None:
    for i, n in enumerate(["张三", "李四", "欧阳娜娜"]):
        residents.create(ctx, ResidentInput(name=n, id_number=_valid_id(i)))
    # A bulk load that died after committing rows but before building the index.
    raw = sqlite3.connect(db_path)
    raw.execute("DELETE FROM resident_gram")
    raw.execute("DELETE FROM resident_fts_key")
    raw.execute("DELETE FROM resident_fts")
    raw.execute("INSERT INTO setting (key, value) VALUES (?, '1')", (search_index.REBUILD_FLAG,))
    raw.commit()
    raw.close()
    ctx.db.dispose()
    db = open_database(db_path)     # opening finishes the rebuild
    try:
        _consistent(db_path)
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT value FROM setting WHERE key = ?",
                                        (search_index.REBUILD_FLAG,)).scalar() is None
        assert search_index.ensure_built(db.engine) is False
    finally:
        db.dispose()
