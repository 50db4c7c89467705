"""The residents' search side tables: keyed FTS rows (migration 0004), the name-gram FTS (0005),
re-indexing, bulk rebuild."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from shequ_desktop.domain.pinyin import sort_key
from shequ_desktop.persistence import search_index
from shequ_desktop.persistence.db import alembic_config, head_revision, make_engine, open_database
from shequ_desktop.services import residents
from shequ_desktop.services.residents import ResidentInput


def _valid_id(i: int) -> str:
    import datetime as dt
    from shequ_desktop.domain.idnumber import make_id_number
    return make_id_number("420111", dt.date(1960, 1, 1) + dt.timedelta(days=37 * i), 10 + i)


def _consistent(path: Path) -> None:
    """Every live resident has exactly one row in each FTS table, under the rowid its key holds; the
    name rows hold the name documents; both FTS indexes agree with their content."""
    conn = sqlite3.connect(path)
    try:
        live = dict(conn.execute("SELECT id, name FROM resident WHERE deleted_at IS NULL"))
        keys = dict(conn.execute("SELECT resident_id, fts_rowid FROM resident_fts_key"))
        name_keys = dict(conn.execute("SELECT resident_id, name_key FROM resident_fts_key"))
        assert name_keys == {rid: sort_key(name) for rid, name in live.items()}
        fts = dict(conn.execute("SELECT rowid, resident_id FROM resident_fts"))
        assert set(keys) == set(live)
        assert sorted(fts.values()) == sorted(live)
        assert all(fts[rowid] == rid for rid, rowid in keys.items())
        names = dict(conn.execute("SELECT rowid, grams FROM resident_fts_name"))
        assert names == {keys[rid]: search_index.name_doc(name) for rid, name in live.items()}
        for table in search_index.FTS_TABLES:
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'resident_gram'").fetchall() == []
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
        assert db.migrated_from == "0003" and head_revision() >= "0005"
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
    raw.execute("DELETE FROM resident_fts_name")
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


# --- the name-gram FTS (resident_fts_name) -------------------------------------------------------

def _names(found) -> list[str]:  # noqa: ANN001
    return sorted(r.name for r in found)


def test_name_doc_is_one_token_per_gram(tmp_path: Path) -> None:
    """The tokenizer keeps every gram whole: CJK (also beyond the BMP), a middle dot, Latin letters,
    digits, punctuation; a query phrase of a gram finds exactly the documents holding it."""
    conn = sqlite3.connect(tmp_path / "t.db")
    try:
        conn.execute(search_index.NAME_FTS_DDL)
        conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(resident_fts_name, row)")
        names = ["阿卜杜·热合曼", "王", "欧阳娜娜", "李•明", "山田・太郎", "Anna-Lena O.Smith", "𬌗𫖯张", "a\"b(c)*",
                 "x\u200by"]
        for i, name in enumerate(names, 1):
            conn.execute("INSERT INTO resident_fts_name (rowid, grams) VALUES (?, ?)", (i, search_index.name_doc(name)))
        terms = {t for (t,) in conn.execute("SELECT term FROM v")}
        grams = {g for name in names for g in search_index.name_grams(name)}
        assert terms == {g.lower() for g in grams}      # unicode61 folds case, nothing else
        for i, name in enumerate(names, 1):
            for g in search_index.name_grams(name):
                hits = [r for (r,) in conn.execute("SELECT rowid FROM resident_fts_name WHERE resident_fts_name "
                                                   "MATCH ?", (search_index.gram_phrase(g),))]
                assert i in hits and all(g.lower() in names[h - 1].replace(" ", "").lower() for h in hits)
    finally:
        conn.close()


def test_short_and_long_name_queries(ctx, db_path: Path) -> None:
    people = ["张三", "张三丰", "李四", "王小明", "阿卜杜·热合曼", "Anna Smith", "欧阳娜娜"]
    for i, n in enumerate(people):
        residents.create(ctx, ResidentInput(name=n, id_number=_valid_id(i), address=f"书香苑{i}栋"))
    _consistent(db_path)
    assert _names(residents.search(ctx, "张")) == ["张三", "张三丰"]
    assert residents.count(ctx, "张") == 2
    assert _names(residents.search(ctx, "张三")) == ["张三", "张三丰"]
    assert residents.count(ctx, "张三") == 2
    assert _names(residents.search(ctx, "三丰")) == ["张三丰"]
    assert _names(residents.search(ctx, "张三丰")) == ["张三丰"]
    assert residents.count(ctx, "张三丰") == 1
    assert residents.search(ctx, "三张") == [] and residents.count(ctx, "三张") == 0
    assert _names(residents.search(ctx, "娜")) == ["欧阳娜娜"]
    # a middle dot is part of the name's grams
    for q in ("·", "杜·", "·热", "阿卜杜·热合曼", "热合曼", "阿卜"):
        assert _names(residents.search(ctx, q)) == ["阿卜杜·热合曼"], q
    # Latin letters: 1–2 letters ignore case (unicode61 folds it); longer ones match the name exactly
    assert _names(residents.search(ctx, "A")) == ["Anna Smith"]
    assert _names(residents.search(ctx, "sm")) == ["Anna Smith"]
    assert _names(residents.search(ctx, "Smith")) == ["Anna Smith"]
    assert residents.search(ctx, "smith") == []
    # characters FTS5 query syntax would misread are quoted
    for q in ('"', '张"', '"三丰', "*", "AND", "NOT 张", "(", "张三)", "'", "丰-"):
        assert residents.search(ctx, q) == [] or all(q.replace(" ", "") in r.name for r in residents.search(ctx, q))
        residents.count(ctx, q)


def test_paging_over_a_short_query(ctx) -> None:
    for i in range(12):
        residents.create(ctx, ResidentInput(name=f"王{'一二三四五六七八九十甲乙'[i]}", id_number=_valid_id(i)))
    pages = [residents.search(ctx, "王", offset=o, limit=5) for o in (0, 5, 10)]
    assert [len(p) for p in pages] == [5, 5, 2]
    assert len({r.id for p in pages for r in p}) == 12
    assert residents.count(ctx, "王") == 12


def test_rename_and_tombstone_move_the_name_index(ctx, db_path: Path) -> None:
    a = residents.create(ctx, ResidentInput(name="赵铁柱", id_number=_valid_id(1)))
    b = residents.create(ctx, ResidentInput(name="钱多多", id_number=_valid_id(2)))
    residents.update(ctx, a.id, ResidentInput(name="孙悟空", id_number=_valid_id(1)), expected_version=a.version)
    _consistent(db_path)
    for q in ("孙", "悟空", "孙悟空"):
        assert _names(residents.search(ctx, q)) == ["孙悟空"], q
    for q in ("赵", "铁柱", "赵铁柱"):
        assert residents.search(ctx, q) == [] and residents.count(ctx, q) == 0, q
    assert residents.count(ctx, "多") == 1
    residents.remove(ctx, b.id, "moved away")
    _consistent(db_path)
    for q in ("钱", "多多", "钱多多"):
        assert residents.search(ctx, q) == [] and residents.count(ctx, q) == 0, q
    # a one-pass rebuild gives the same index
    with ctx.db.engine.begin() as conn:
        search_index.rebuild(conn)
    _consistent(db_path)
    assert _names(residents.search(ctx, "悟")) == ["孙悟空"]


@pytest.mark.parametrize("interrupted", [False, True], ids=["indexed", "bulk-load-interrupted"])
def test_upgrade_from_0004_fills_the_name_index(tmp_path: Path, clock, interrupted: bool) -> None:  # noqa: ANN001
    """A 0004 store is upgraded to an exact name index; one whose bulk load stopped before the index
    was built is first rebuilt by this program (on the 0004 schema), then migrated."""
    from shequ_desktop.domain.roles import Role
    from shequ_desktop.services.context import AppContext, CurrentUser
    from shequ_desktop.services.station import ensure_station
    path = tmp_path / "old.db"
    engine = make_engine(path)
    cfg = alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0004")
        conn.commit()
    engine.dispose()
    raw = sqlite3.connect(path)   # rows and index entries as the 0004 program wrote them
    raw.execute("INSERT INTO community (id, community_id, code, name, subdistrict, address, phone, hotline, "
                "created_at, updated_at, updated_by, version) VALUES ('c1','c1','X','老社区','','','','',"
                "'2025-01-01 00:00:00','2025-01-01 00:00:00','old',1)")
    people = [("r1", "张三", None), ("r2", "阿卜杜·热合曼", None), ("r3", "王五", "2025-02-01 00:00:00"),
              ("r4", "Anna Smith", None), ("r5", "张三丰", None)]
    for i, (rid, name, deleted) in enumerate(people):
        idn = _valid_id(i)
        raw.execute("INSERT INTO resident (id, community_id, name, id_number, id_number_original, id_kind, "
                    "birth_date, sex, phone, address, relation, note, created_at, updated_at, updated_by, version, "
                    "deleted_at) VALUES (?, 'c1', ?, ?, '', 'citizen', '1949-12-31', 'F', '', ?, '', '', "
                    "'2025-01-01 00:00:00', '2025-01-01 00:00:00', 'old', 1, ?)",
                    (rid, name, idn, f"幸福里{i}栋", deleted))
        if deleted is None:
            raw.executemany("INSERT INTO resident_gram (gram, resident_id) VALUES (?, ?)",
                            [(g, rid) for g in search_index.name_grams(name)])
            rowid = raw.execute("INSERT INTO resident_fts (resident_id, id_number, phone, address) "
                                "VALUES (?, ?, '', ?)", (rid, idn, f"幸福里{i}栋")).lastrowid
            raw.execute("INSERT INTO resident_fts_key (resident_id, fts_rowid) VALUES (?, ?)", (rid, rowid * 10))
            raw.execute("UPDATE resident_fts SET rowid = ? WHERE rowid = ?", (rowid * 10, rowid))
    raw.execute("INSERT INTO setting (key, value) VALUES ('community_id', 'c1')")
    if interrupted:
        for table in ("resident_gram", "resident_fts", "resident_fts_key"):
            raw.execute(f"DELETE FROM {table}")
        raw.execute("INSERT INTO setting (key, value) VALUES (?, '1')", (search_index.REBUILD_FLAG,))
    raw.commit()
    raw.close()

    db = open_database(path, backup_dir=tmp_path / "bk")
    try:
        assert db.migrated_from == "0004"
        _consistent(path)
        conn = sqlite3.connect(path)
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'resident_fts_name'").fetchone()[0]
        conn.close()
        assert sql == search_index.NAME_FTS_DDL.replace(" IF NOT EXISTS", "")   # the same tokenizer
        admin = CurrentUser(id="t-admin", login="tadmin", display_name="测试管理员", role=Role.ADMIN)
        ctx = ensure_station(AppContext(db=db, clock=clock, user=admin))
        assert ctx.community_id == "c1"
        assert _names(residents.search(ctx, "张")) == ["张三", "张三丰"]
        assert residents.count(ctx, "张") == 2
        assert _names(residents.search(ctx, "张三丰")) == ["张三丰"]
        assert _names(residents.search(ctx, "·")) == ["阿卜杜·热合曼"]
        assert _names(residents.search(ctx, "an")) == ["Anna Smith"]
        assert residents.search(ctx, "王") == [] and residents.search(ctx, "王五") == []
        assert _names(residents.search(ctx, "幸福里4")) == ["张三丰"]
        # edits after the upgrade keep both FTS tables in step
        d = residents.get(ctx, "r1")
        residents.update(ctx, "r1", ResidentInput(name="李四", id_number=_valid_id(0)), expected_version=d.version)
        _consistent(path)
        assert _names(residents.search(ctx, "张")) == ["张三丰"] and _names(residents.search(ctx, "李")) == ["李四"]
    finally:
        db.dispose()


def test_downgrade_to_0004_brings_the_gram_table_back(tmp_path: Path, ctx, db_path: Path) -> None:  # noqa: ANN001
    for i, n in enumerate(["张三", "李四丰"]):
        residents.create(ctx, ResidentInput(name=n, id_number=_valid_id(i)))
    ctx.db.dispose()
    engine = make_engine(db_path)
    cfg = alembic_config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
        conn.commit()
    engine.dispose()
    conn = sqlite3.connect(db_path)
    try:
        live = dict(conn.execute("SELECT id, name FROM resident WHERE deleted_at IS NULL"))
        grams = set(conn.execute("SELECT gram, resident_id FROM resident_gram"))
        assert grams == {(g, rid) for rid, name in live.items() for g in search_index.name_grams(name)}
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name LIKE 'resident_fts_name%'").fetchone() == (0,)
    finally:
        conn.close()
