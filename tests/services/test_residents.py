from __future__ import annotations

import datetime as dt

import pytest

from shequ_desktop.domain.errors import UserError, ValidationErrors
from shequ_desktop.domain.roles import Role
from shequ_desktop.services import audit, residents
from shequ_desktop.services.residents import ResidentInput
from tests.conftest import as_role


def test_register_derives_birth_sex_age_and_converts_legacy_number(ctx):
    r = residents.create(ctx, ResidentInput(name=" 张 三 ", id_number="110105491231002", phone="138 1234 8000"))
    assert (r.name, r.birth_date, r.sex, r.age) == ("张 三", dt.date(1949, 12, 31), "F", 76)
    assert r.id_masked == "110105********002X"
    assert r.phone_masked == "138****8000"
    assert residents.reveal(ctx, r.id, "id_number") == "11010519491231002X"
    assert [x.id for x in residents.search(ctx, "110105491231002")] == [r.id]   # legacy form finds the person


def test_fullwidth_input_is_normalised(ctx):
    r = residents.create(ctx, ResidentInput(name="李四", id_number="４４０５２４１９５８０１０１００１８"))
    assert residents.reveal(ctx, r.id, "id_number") == "440524195801010018"


def test_all_field_errors_reported_at_once_and_nothing_saved(ctx):
    with pytest.raises(ValidationErrors) as exc:
        residents.create(ctx, ResidentInput(name="", id_number="110105194912310021", phone="12345"))
    fields = {e.field for e in exc.value.errors}
    assert fields == {"name", "id_number", "phone"}
    check = next(e for e in exc.value.errors if e.field == "id_number")
    assert check.params.get("expected") == "X"
    assert residents.total(ctx) == 0


def test_duplicate_id_number_points_at_existing_resident(ctx):
    first = residents.create(ctx, ResidentInput(name="王五", id_number="34052419800101001X", address="幸福里3栋"))
    with pytest.raises(UserError) as exc:
        residents.create(ctx, ResidentInput(name="王五五", id_number="34052419800101001x"))
    assert exc.value.field == "id_number"
    assert exc.value.params["resident_id"] == first.id and exc.value.params["name"] == "王五"
    assert residents.total(ctx) == 1


def test_stale_edit_is_refused(ctx):
    r = residents.create(ctx, ResidentInput(name="赵六", id_number="370101190102039973"))
    residents.update(ctx, r.id, ResidentInput(name="赵六", id_number="370101190102039973", phone="13900001111"), 1)
    with pytest.raises(UserError):
        residents.update(ctx, r.id, ResidentInput(name="赵七", id_number="370101190102039973"), 1)
    assert residents.get(ctx, r.id).name == "赵六"


def test_reveal_is_audited_and_needs_permission(ctx):
    r = residents.create(ctx, ResidentInput(name="钱七", id_number="11010519491231002X", phone="13812348000"))
    before = audit.count(ctx)
    assert residents.reveal(ctx, r.id, "phone", "回访") == "13812348000"
    entries = audit.recent(ctx, limit=1)
    assert audit.count(ctx) == before + 1 and entries[0].action == "reveal_phone" and entries[0].entity_id == r.id
    with pytest.raises(UserError):
        residents.reveal(as_role(ctx, Role.CLERK), r.id, "note")


def test_search_short_chinese_names(demo_ctx):
    two_char = next(r.name for r in residents.search(demo_ctx, "", limit=1000) if len(r.name) == 2)
    for query in ("王", two_char, two_char[1]):
        rows = residents.search(demo_ctx, query, limit=500)
        assert rows, query
        assert all(query in r.name for r in rows)
        assert residents.count(demo_ctx, query) == len(rows)


def test_search_finds_every_resident_whose_name_contains_the_query(demo_ctx):
    """Compare the indexed search with a brute-force scan of all names."""
    everyone = residents.search(demo_ctx, "", limit=10_000)
    sample = everyone[7].name
    for q in {sample[:1], sample[-2:], sample}:
        expected = sorted(r.id for r in everyone if q in r.name)
        found = sorted(r.id for r in residents.search(demo_ctx, q, limit=10_000) if q in r.name)
        assert found == expected, q


def test_search_by_id_fragment_phone_and_address(demo_ctx):
    r = residents.search(demo_ctx, "", limit=1)[0]
    full = residents.reveal(demo_ctx, r.id, "id_number")
    assert r.id in [x.id for x in residents.search(demo_ctx, full[-6:], limit=200)]
    assert [x.id for x in residents.search(demo_ctx, full)] == [r.id]
    phone = residents.reveal(demo_ctx, r.id, "phone")
    if phone:
        assert r.id in [x.id for x in residents.search(demo_ctx, phone[-4:], limit=500)]
    building = r.address.split("号")[1].split("单元")[0]
    assert r.id in [x.id for x in residents.search(demo_ctx, building, limit=2000)]


def test_list_rows_are_masked(demo_ctx):
    for row in residents.search(demo_ctx, "李", limit=50):
        assert "*" in row.id_masked and len(row.id_masked) == 18
        assert not row.phone_masked or "****" in row.phone_masked


def test_removed_resident_disappears_from_search(demo_ctx):
    r = residents.search(demo_ctx, "张", limit=1)[0]
    residents.remove(demo_ctx, r.id, "迁出本社区")
    assert r.id not in [x.id for x in residents.search(demo_ctx, "张", limit=5000)]
    with pytest.raises(UserError):
        residents.get(demo_ctx, r.id)


def test_search_puts_exact_then_prefix_then_other_name_matches(ctx):
    from shequ_desktop.domain.idnumber import check_character
    def idn(n: int) -> str:
        base = f"11010519800101{n:03d}"
        return base + check_character(base)
    for i, name in enumerate(("李王芳", "王芳芳", "王芳", "王芳华"), start=11):
        residents.create(ctx, ResidentInput(name=name, id_number=idn(i)))
    # within a rank in pinyin order: 王芳芳 (fang1) before 王芳华 (hua2), although 华 < 芳 as code points
    assert [r.name for r in residents.search(ctx, "王芳")] == ["王芳", "王芳芳", "王芳华", "李王芳"]
    assert [r.name for r in residents.search(ctx, "王芳芳")][0] == "王芳芳"


def test_lists_are_in_pinyin_order_not_code_point_order(ctx):
    from shequ_desktop.domain.idnumber import check_character
    def idn(n: int) -> str:
        base = f"11010519800101{n:03d}"
        return base + check_character(base)
    made = {}
    for i, name in enumerate(("王五", "李四", "张三", "曾六", "陈七", "安八"), start=21):
        made[name] = residents.create(ctx, ResidentInput(name=name, id_number=idn(i)))
    listed = [r.name for r in residents.search(ctx, "", limit=5000) if r.name in made]
    assert listed == ["安八", "陈七", "李四", "王五", "曾六", "张三"]      # 曾 read as the surname zēng
    d = made["安八"]
    residents.update(ctx, d.id, ResidentInput(name="赵八", id_number=idn(26)), d.version)   # a rename re-sorts
    listed = [r.name for r in residents.search(ctx, "", limit=5000) if r.name in set(made) | {"赵八"}]
    assert listed == ["陈七", "李四", "王五", "曾六", "张三", "赵八"]
