"""English plurals follow the count: "after 1 minute", "1 day late", never "after 1 minutes".

1. A static scan: a ``_("...")`` / ``N_("...")`` literal whose count placeholder is followed by an English
   plural ("{n} minutes", "{n} new work orders", "{people} people") must go through ``ngettext`` instead,
   unless it is in ``NEVER_ONE`` (counts that cannot be 1, each with its reason). The same for the msgids of
   errors raised by the services and the domain (``UserError("...")`` and its subclasses, a subclass's
   ``super().__init__("...")``, a ``MSG_*`` constant given to them): they take ``plural("...", "...")``.
2. The real catalogs: the compiled en catalog gives the singular for 1 and the plural otherwise, zh_CN gives
   Chinese for both, and the settings dialog shows "after 1 minute" / "after 5 minutes"; ``error_text`` of a
   counted error reads "1 row has errors" / "3 rows have errors".
"""

from __future__ import annotations

import ast
import functools
import gettext
import re
from pathlib import Path

import pytest

from shequ_desktop import i18n, i18n_tools
from shequ_desktop.paths import locale_dir

PACKAGE = Path(i18n_tools.PACKAGE_DIR)
ROOT = Path(i18n_tools.PROJECT_ROOT)

# "{name}" (or "{name:spec}"), then up to three words: the first English plural among them (a word ending in
# "s" or an irregular plural) is counted by the placeholder ("{n} minutes", "{n} new work orders"). A word that
# ends in "s" but is no plural noun ("{name} is", "{seq} has been") ends the look-ahead.
PLACEHOLDER_WORDS = re.compile(r"\{(?P<name>\w+)(?:[!:][^{}]*)?\}(?P<words>(?: [A-Za-z()-]+){1,3})")
IRREGULAR = frozenset({"people", "children", "men", "women"})
NOT_PLURAL = frozenset({"is", "was", "has", "does", "this", "its", "his", "as", "us", "plus", "yes", "always",
                        "status", "address", "less", "across", "thus", "minus", "news", "ms", "already", "comes"})


def _plural(word: str) -> bool:
    if word.endswith("(s)"):  # "{n} change(s)": say it properly with ngettext
        return True
    return word in IRREGULAR or (len(word) > 2 and word.endswith("s") and not word.endswith("ss"))


# Strings whose count can never be 1, each with the reason. Keep this short: convert instead when in doubt.
NEVER_ONE: dict[str, str] = {
    "{year} holidays not imported: deadlines provisional":
        "{year} is a calendar year such as 2027, not a count",
    "The password needs at least {n} characters.": "services.auth.MIN_PASSWORD, a constant 8",
    "At most {n} characters.": "field length limits, constants of 32 to 200 (services.station, services.verify)",
    "No header row found in the first {n} rows; the header must name the columns (missing: {columns}).":
        "services.resident_sheet.HEADER_SEARCH_ROWS, a constant 10",
}


def _keyword_literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_")
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            found.append((node.lineno, node.args[0].value))
    return found


@functools.cache
def _error_classes() -> frozenset[str]:
    return frozenset(i18n_tools.scan().error_classes)


def _error_literals(path: Path) -> list[tuple[int, str]]:
    """The string msgids of UserError-family calls, of ``super().__init__("...")`` in their subclasses and of
    ``MSG_*``/``WARN_*`` constants given to them as the msgid (``plural(...)`` msgids are not strings)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    family = _error_classes()
    constants: dict[str, tuple[int, str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(
                node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name) and i18n_tools.CONSTANT_NAME.match(target.id):
                    constants[target.id] = (node.lineno, node.value.value)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        if i18n_tools._name_of(node.func) not in family and not i18n_tools._is_super_init(node):
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            found.append((node.lineno, first.value))
        elif isinstance(first, ast.Name) and first.id in constants:
            found.append(constants[first.id])
    return found


def counted_plurals(text: str) -> list[str]:
    """The "{count} things" fragments of ``text`` that need a singular form when the count is 1."""
    hits = []
    for match in PLACEHOLDER_WORDS.finditer(text):
        words = match.group("words").split()
        for i, word in enumerate(words):
            if word.lower() in NOT_PLURAL:
                break
            if _plural(word.lower()):
                hits.append(" ".join(["{" + match.group("name") + "}", *words[:i + 1]]))
                break
    return hits


def test_the_scan_sees_plurals_and_not_verbs() -> None:
    assert counted_plurals("after {n} minutes") == ["{n} minutes"]
    assert counted_plurals("Overdue by {n} days") == ["{n} days"]
    assert counted_plurals("{n} new work orders found no responsible worker") == ["{n} new work orders"]
    assert counted_plurals("{people} people · {n} entries") == ["{people} people", "{n} entries"]
    assert counted_plurals("Entry {seq} has been altered") == []
    assert counted_plurals("{name} is not a member") == []
    assert counted_plurals("{n} h late") == []
    assert counted_plurals("{n} overdue") == []
    assert counted_plurals("{n} change(s) were set aside") == ["{n} change(s)"]
    assert counted_plurals("{count} rows have errors; fix them") == ["{count} rows"]
    assert counted_plurals("{more} more answers") == ["{more} more answers"]
    assert counted_plurals("The login {login} already exists.") == []
    assert counted_plurals("The backup {path} comes from a newer program version") == []


def test_counted_plurals_go_through_ngettext() -> None:
    """Every ``_("... {n} things ...")`` with a count that can be 1 must use ngettext(singular, plural, n)."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        for line, text in _keyword_literals(path):
            hits = counted_plurals(text)
            if hits and text not in NEVER_ONE:
                offenders.append(f"{path.relative_to(ROOT).as_posix()}:{line}: {text!r}  ({', '.join(hits)})")
    assert not offenders, ("use ngettext(singular, plural, n) for these (or list a count that is never 1 in "
                           "NEVER_ONE with the reason):\n" + "\n".join(offenders))


def test_counted_error_messages_use_plural() -> None:
    """Every ``UserError("... {n} things ...")`` (or subclass) with a count that can be 1 must take
    ``plural(singular, plural[, count])`` as its msgid."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        for line, text in _error_literals(path):
            hits = counted_plurals(text)
            if hits and text not in NEVER_ONE:
                offenders.append(f"{path.relative_to(ROOT).as_posix()}:{line}: {text!r}  ({', '.join(hits)})")
    assert not offenders, ("use UserError(plural(singular, plural, count_name), ...) for these (or list a count "
                           "that is never 1 in NEVER_ONE with the reason):\n" + "\n".join(offenders))


def test_the_scan_sees_error_msgids(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text('''MSG_X = "{n} changes refer to records missing here."
class Gone(NotFound):
    def __init__(self, n):
        super().__init__("{n} records are gone.", n=n)
def f(n):
    raise UserError("{count} rows have errors.", count=n)
def g(n):
    raise UserError(MSG_X, n=n)
def h(n):
    raise UserError(plural("{n} row has errors.", "{n} rows have errors."), n=n)
''', encoding="utf-8")
    assert sorted(text for _line, text in _error_literals(source)) == [
        "{count} rows have errors.", "{n} changes refer to records missing here.", "{n} records are gone."]


def test_the_whitelist_is_still_needed() -> None:
    texts = {text for path in PACKAGE.rglob("*.py")
             for _line, text in _keyword_literals(path) + _error_literals(path)}
    assert set(NEVER_ONE) <= texts, f"no longer in the code: {set(NEVER_ONE) - texts}"


# --------------------------------------------------------------------------- the real catalogs


def _compiled(language: str) -> gettext.GNUTranslations:
    return gettext.translation("messages", str(locale_dir()), languages=[language])  # type: ignore[return-value]


def _plural_entries() -> list[tuple[str, str]]:
    template, _scan = i18n_tools.extract_catalog()
    return [tuple(m.id) for m in template if m.id and isinstance(m.id, (list, tuple))]  # type: ignore[misc]


def test_ngettext_entries_are_extracted_as_plurals() -> None:
    pairs = dict(_plural_entries())
    assert pairs["after {n} minute"] == "after {n} minutes"
    assert pairs["{n} day late"] == "{n} days late"
    assert pairs["Overdue by {n} day"] == "Overdue by {n} days"
    pot = i18n_tools.POT_FILE.read_text(encoding="utf-8")
    assert 'msgid "after {n} minute"\nmsgid_plural "after {n} minutes"' in pot


def test_compiled_catalogs_give_one_form_per_count() -> None:
    en, zh = _compiled("en"), _compiled("zh_CN")
    pairs = _plural_entries()
    assert len(pairs) > 30
    for singular, plural in pairs:
        assert en.ngettext(singular, plural, 1) == singular
        assert en.ngettext(singular, plural, 5) == plural
        for n in (1, 5):
            text = zh.ngettext(singular, plural, n)
            assert re.search(r"[\u4e00-\u9fff]", text), (singular, text)
        assert zh.ngettext(singular, plural, 1) == zh.ngettext(singular, plural, 5)   # Chinese: one form


def test_zh_cn_has_one_plural_form_and_en_two() -> None:
    assert "nplurals=1;" in i18n_tools.po_path("zh_CN").read_text(encoding="utf-8")
    assert "nplurals=2;" in i18n_tools.po_path("en").read_text(encoding="utf-8")
    assert _compiled("en").ngettext("after {n} minute", "after {n} minutes", 1).format(n=1) == "after 1 minute"
    assert _compiled("zh_CN").ngettext("after {n} minute", "after {n} minutes", 1).format(n=1) == "1 分钟后"


@pytest.mark.parametrize(("language", "minutes", "expected"), [
    ("en", 1, "after 1 minute"),
    ("en", 5, "after 5 minutes"),
    ("zh_CN", 1, "1 分钟后"),
    ("zh_CN", 5, "5 分钟后"),
])
def test_settings_dialog_idle_lock_text(qtbot, language: str, minutes: int, expected: str) -> None:  # noqa: ANN001
    from shequ_desktop.ui.settings import SettingsDialog

    before = i18n.current_language()
    i18n.set_language(language)
    try:
        dialog = SettingsDialog(language, minutes)
        qtbot.addWidget(dialog)
        assert dialog.ui.idle_lock_value_label.text() == expected
    finally:
        i18n.set_language(before)
    assert i18n.current_language() == before


def test_late_texts_in_english_and_chinese() -> None:
    import datetime as dt

    from shequ_desktop.ui.oversight.complaint_alerts import late_text

    before = i18n.current_language()
    try:
        i18n.set_language("en")
        assert late_text(dt.timedelta(days=1, hours=2)) == "1 day late"
        assert late_text(dt.timedelta(days=3)) == "3 days late"
        i18n.set_language("zh_CN")
        assert late_text(dt.timedelta(days=1, hours=2)) == "逾期 1 天"
        assert late_text(dt.timedelta(days=3)) == "逾期 3 天"
    finally:
        i18n.set_language(before)


def test_counted_errors_in_english_and_chinese() -> None:
    """A counted UserError (``plural`` msgid) reads in the count's form, in English and in Chinese."""
    from shequ_desktop.domain.errors import Plural, UserError
    from shequ_desktop.services import sync
    from shequ_desktop.services.resident_io import ImportPlan, run_import

    def rejected_rows(n: int) -> UserError:  # the real message: run_import refuses before it touches anything
        with pytest.raises(UserError) as caught:
            run_import(_NoCtx(), ImportPlan(rejected=[object()] * n))  # type: ignore[arg-type, list-item]
        return caught.value

    one, three = rejected_rows(1), rejected_rows(3)
    assert isinstance(one.msgid, Plural)
    assert one.english() == "1 row has errors; fix it or choose to skip it. Nothing was imported."
    assert str(three) == "3 rows have errors; fix them or choose to skip them. Nothing was imported."
    orphan, orphans = UserError(sync.MSG_ORPHANS, n=1), UserError(sync.MSG_ORPHANS, n=4)
    before = i18n.current_language()
    try:
        i18n.set_language("en")
        assert i18n.error_text(one) == "1 row has errors; fix it or choose to skip it. Nothing was imported."
        assert i18n.error_text(three) == "3 rows have errors; fix them or choose to skip them. Nothing was imported."
        assert i18n.error_text(orphan) == "1 change refers to a record missing here; a full resync is needed."
        assert i18n.error_text(orphans) == "4 changes refer to records missing here; a full resync is needed."
        i18n.set_language("zh_CN")
        assert i18n.error_text(one) == "有 1 行存在错误，请修改或选择跳过。本次未导入任何数据。"
        assert i18n.error_text(three) == "有 3 行存在错误，请修改或选择跳过。本次未导入任何数据。"
        assert i18n.error_text(orphans) == "有 4 条变更所指的记录在本机不存在，需要完全重新同步。"
    finally:
        i18n.set_language(before)
    assert i18n.current_language() == before


class _NoCtx:
    """Enough of an AppContext for a call that is refused before it reads or writes anything."""

    def require(self, _permission: object) -> None:
        return None


ZH_SET_ASIDE = "有 {n} 条来自街道服务器的变更无法在本机应用，已单独搁置；其余变更均已应用。"


def test_stored_counted_messages_read_in_the_count_s_form() -> None:
    """A sync problem stored as a counted message (domain.messages) reads "1 change …" / "2 changes …"."""
    from shequ_desktop.domain import messages
    from shequ_desktop.services import sync

    one = messages.describe(sync.MSG_SET_ASIDE, n=1)
    two = messages.describe(sync.MSG_SET_ASIDE, n=2)
    assert messages.english(one).startswith("1 change from the hub could not be applied on this workstation and "
                                            "was set aside")
    assert messages.english(two).startswith("2 changes from the hub could not be applied on this workstation and "
                                            "were set aside")
    zh = _compiled("zh_CN")
    assert messages.render(one, zh.gettext, zh.ngettext) == ZH_SET_ASIDE.format(n=1)
    assert messages.render(two, zh.gettext, zh.ngettext) == ZH_SET_ASIDE.format(n=2)
    en = _compiled("en")
    assert messages.render(two, en.gettext, en.ngettext) == messages.english(two)
    # older versions stored the English sentence (always plural): read back with its count
    assert sync.stored_problem("1 changes refer to records missing here; a full resync is needed.") == \
        messages.describe(sync.MSG_ORPHANS, n=1)
    # and the previous version stored the plural sentence alone as the message id
    before = '{"msg": "{n} changes refer to records missing here; a full resync is needed.", "params": {"n": 1}}'
    assert sync.stored_problem(before) == messages.describe(sync.MSG_ORPHANS, n=1)
    assert messages.render(sync.stored_problem(before), zh.gettext, zh.ngettext) == \
        "有 1 条变更所指的记录在本机不存在，需要完全重新同步。"
