"""Translation catalogs: complete, placeholder-safe, compiled, and used by ``_`` / ``error_text``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from shequ_desktop import i18n, i18n_tools
from shequ_desktop.domain.errors import NotFound, UserError
from shequ_desktop.domain.idnumber import WARN_UNKNOWN_PROVINCE, parse_id_number

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory):
    """Run the extractor into a temporary .pot and read it back."""
    catalog, _scan = i18n_tools.extract_catalog()
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    with pot.open("wb") as fh:
        write_po(fh, catalog)
    with pot.open("rb") as fh:
        return read_po(fh)


def _catalog(language: str):
    with i18n_tools.po_path(language).open("rb") as fh:
        return read_po(fh, locale=language)


@pytest.fixture
def language() -> Iterator[None]:
    before = i18n.current_language()
    yield
    i18n.set_language(before)


def test_extraction_finds_every_kind_of_msgid(template) -> None:
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    assert len(ids) > 250
    assert "Wrong login or password." in ids                      # services: UserError keyword
    assert "Please enter the ID number." in ids                   # domain: UserError keyword
    assert WARN_UNKNOWN_PROVINCE in ids                           # domain constant (AST scan)
    assert "No font can print these characters: {chars}. Check the name; or print with a blank in their " \
        "place and write them in by hand (the register notes it)." in ids
    assert "{n} resident" in ids                                  # ngettext
    assert "&Password:" in ids                                    # uic translate:2


def test_every_error_msgid_is_extractable() -> None:
    assert i18n_tools.scan().unextractable == []


@pytest.mark.parametrize("language_code", i18n_tools.LANGUAGES)
def test_catalog_translates_every_extracted_msgid(template, language_code: str) -> None:
    catalog = _catalog(language_code)
    missing, untranslated, fuzzy = [], [], []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id)
        if entry is None:
            missing.append(message.id)
        elif not (all(entry.string) if isinstance(entry.string, (list, tuple)) else entry.string):
            untranslated.append(message.id)
        elif entry.fuzzy:
            fuzzy.append(message.id)
    hint = "run: python -m shequ_desktop.i18n_tools extract && ... update, translate, compile"
    assert missing == [], hint
    assert untranslated == [], hint
    assert fuzzy == [], hint


@pytest.mark.parametrize("language_code", i18n_tools.LANGUAGES)
def test_placeholders_are_kept(language_code: str) -> None:
    bad = []
    for message in _catalog(language_code):
        if not message.id:
            continue
        for msgid, msgstr in i18n_tools._msg_pairs(message):
            if msgstr and i18n_tools.placeholders(msgid) != i18n_tools.placeholders(msgstr):
                bad.append((msgid, msgstr))
    assert bad == []


def test_zh_cn_translations_are_chinese() -> None:
    for message in _catalog("zh_CN"):
        if not message.id or not message.string:
            continue
        text = message.string if isinstance(message.string, str) else message.string[0]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text) or text.strip() == message_id(message).strip(), \
            (message.id, text)


def message_id(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


@pytest.mark.parametrize("language_code", i18n_tools.LANGUAGES)
def test_mo_files_are_compiled_from_po(language_code: str) -> None:
    mo: Path = i18n_tools.mo_path(language_code)
    assert mo.exists(), "run: python -m shequ_desktop.i18n_tools compile"
    assert mo.read_bytes() == i18n_tools.mo_bytes(_catalog(language_code)), \
        "run: python -m shequ_desktop.i18n_tools compile"


def test_gettext_switches_language(language: None) -> None:
    i18n.set_language("zh_CN")
    assert i18n.current_language() == "zh_CN"
    assert i18n._("Wrong login or password.") == "用户名或密码错误。"
    assert i18n._(WARN_UNKNOWN_PROVINCE) == "前两位不是已知的省级行政区代码，请核对号码。"
    assert i18n.ngettext("{n} resident", "{n} residents", 3).format(n=3) == "3 位居民"
    assert i18n.lookup("&Password:") == "密码(&P)："
    i18n.set_language("en")
    assert i18n._("Wrong login or password.") == "Wrong login or password."
    assert i18n.ngettext("{n} resident", "{n} residents", 1).format(n=1) == "1 resident"
    assert i18n.lookup("&Password:") is None


def test_error_text_formats_params_in_both_languages(language: None) -> None:
    with pytest.raises(UserError) as caught:
        parse_id_number("11010519491231002A", TODAY)
    err = caught.value
    i18n.set_language("zh_CN")
    assert i18n.error_text(err) == "身份证号只能包含数字，最后一位可以是 X。"
    check = UserError("The check character should be {expected}, not {given}; please check the number.",
                      field="id_number", expected="X", given="5")
    assert i18n.error_text(check) == "校验码应为 X，而不是 5，请核对号码。"
    from shequ_desktop.services.auth import MSG_LOCKED
    auth = UserError(MSG_LOCKED, minutes=15)
    assert i18n.error_text(auth) == "登录失败次数过多。请 15 分钟后再试，或联系系统管理员。"
    gone = NotFound("The resident was not found (maybe removed).")
    assert i18n.error_text(gone) == "未找到该居民（可能已被删除）。"
    i18n.set_language("en")
    assert i18n.error_text(check) == "The check character should be X, not 5; please check the number."
    assert i18n.error_text(auth) == "Too many failed attempts. Try again in 15 minutes or ask the admin."


def test_missing_glyph_error_is_translated(language: None) -> None:
    from shequ_desktop.printing.fonts import MissingGlyphError

    err = MissingGlyphError(["𠮷", "䶮"])
    i18n.set_language("zh_CN")
    assert i18n.error_text(err) == "所有打印字体都缺少以下字符：𠮷、䶮。请核对姓名；也可在该处留空打印，再手写补填（登记簿会注明）。"
    i18n.set_language("en")
    assert i18n.error_text(err).startswith("No font can print these characters: 𠮷、䶮.")


def test_empty_msgid_is_never_the_catalog_header(language) -> None:
    """The policy page's empty 单位 cell showed "Project-Id-Version: …" (gettext("") is the header)."""
    i18n.set_language("zh_CN")
    assert i18n._("") == ""
    assert i18n.lookup("") is None
