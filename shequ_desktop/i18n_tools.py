"""Developer tool for the gettext catalogs: extract, update, compile and check.

Usage (from the project root, with the venv's Python)::

    python -m shequ_desktop.i18n_tools extract   # code -> resources/locale/messages.pot
    python -m shequ_desktop.i18n_tools update    # .pot -> zh_CN and en messages.po (creates them if missing)
    python -m shequ_desktop.i18n_tools compile   # .po -> .mo (fuzzy entries are left out)
    python -m shequ_desktop.i18n_tools check     # exit 1 when anything below is wrong
    python -m shequ_desktop.i18n_tools all       # extract + update + compile

Workflow after changing user-visible text: ``extract``, ``update``, translate the new
entries in ``resources/locale/zh_CN/LC_MESSAGES/messages.po`` (Poedit or any editor; remove
``#, fuzzy`` after reviewing a suggested translation), ``compile``, ``check``. Commit the
.pot, both .po files and both .mo files. The en catalog needs no translator: ``update``
fills every msgstr with its msgid.

What is extracted
-----------------
The Babel map is ``resources/babel.cfg`` (``[python: shequ_desktop/**.py]``). Keywords:

* ``_``, ``N_`` and ``ngettext:1,2`` (``shequ_desktop.i18n``);
* ``translate:2`` - the ``QCoreApplication.translate("Ctx", "text", None)`` calls in the
  uic-generated ``shequ_desktop/ui/generated/*.py``;
* ``UserError``, ``NotFound``, ``PermissionDenied``, ``MissingGlyphError`` and every other
  subclass of the UserError family found in the code: the first argument is the msgid;
* ``plural:1,2`` (``shequ_desktop.domain.errors.plural``): a counted msgid of a UserError (or a
  stored message), extracted as msgid + msgid_plural like ``ngettext``.

Message ids that are not a string literal at a keyword call
-----------------------------------------------------------
Domain, service, persistence and printing modules may not import ``shequ_desktop.i18n``
(import-linter contract), so they cannot wrap a literal in ``N_``. ``extract`` therefore
also scans the code (``ast``) and adds:

1. string constants assigned to names ``WARN_*`` or ``MSG_*`` in modules that do not import
   ``shequ_desktop.i18n`` (e.g. ``idnumber.WARN_UNKNOWN_PROVINCE``, a warning the UI
   translates with ``_(w)``). Values that look like colours (``#9a5b00``) are ignored.
   UI modules should use ``N_("...")`` instead;
2. the string literal passed to ``super().__init__("...")`` inside a UserError subclass
   (e.g. ``printing.fonts.MissingGlyphError`` builds its own msgid);
3. literal values of ``*_msg=`` keyword parameters of UserError-family calls, which
   ``i18n.error_text`` translates before formatting;
4. ``EXTRA_MESSAGES`` below: anything else that only reaches ``_()`` through a variable.
   They are wrapped in a local no-op ``N_`` so that a plain ``pybabel extract`` finds them too.

``check`` (and the unit test) reports a UserError-family call whose first argument is
neither a literal nor one of the scanned constants: such a msgid cannot be extracted.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import io
import re
import string
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = PROJECT_ROOT / "shequ_desktop"
LOCALE_DIR = PROJECT_ROOT / "resources" / "locale"
BABEL_CFG = PROJECT_ROOT / "resources" / "babel.cfg"
POT_FILE = LOCALE_DIR / "messages.pot"
DOMAIN = "messages"
LANGUAGES = ("zh_CN", "en")
SOURCE_LANGUAGE = "en"  # msgids are English: the en catalog is msgstr = msgid

PROJECT = "shequ-desktop"
COMMENT_TAGS = ("Translators:",)
ERROR_BASES = frozenset({"UserError", "NotFound", "PermissionDenied"})
NOT_MSGID_CLASSES = frozenset({"ValidationErrors"})  # takes a list of UserErrors
BASE_KEYWORDS: dict[str, object] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "plural": (1, 2),
    "translate": (2,),
    "UserError": None,
    "NotFound": None,
    "PermissionDenied": None,
    "MissingGlyphError": None,
}
CONSTANT_NAME = re.compile(r"^(WARN|MSG)_[A-Z0-9_]+$")
COLOUR_VALUE = re.compile(r"^#[0-9a-fA-F]{3,8}$")


def N_(message: str) -> str:  # noqa: N802  (gettext convention)
    """No-op marker so that Babel extracts the literals below."""
    return message


# Message ids that reach ``_()`` only through a variable and are not found by the scan.
EXTRA_MESSAGES: tuple[str, ...] = (
    # cli/admin.py translates ``day.strftime("%a")`` (C locale abbreviations).
    N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"),
)


# --------------------------------------------------------------------------- scanning


@dataclass
class ScanResult:
    """What the AST scan found besides Babel's keyword extraction."""

    messages: list[tuple[str, str, int]] = field(default_factory=list)  # (msgid, file, line)
    unextractable: list[str] = field(default_factory=list)  # "file:line: call"
    error_classes: set[str] = field(default_factory=set)


def _python_files() -> list[Path]:
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(PROJECT_ROOT).as_posix()


def _str_value(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _name_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _imports_i18n(tree: ast.Module) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("shequ_desktop.i18n", "i18n"):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "shequ_desktop" and any(
                a.name == "i18n" for a in node.names):
            return True
        if isinstance(node, ast.Import) and any(a.name == "shequ_desktop.i18n" for a in node.names):
            return True
    return False


def _is_super_init(call: ast.Call) -> bool:
    func = call.func
    return (isinstance(func, ast.Attribute) and func.attr == "__init__"
            and isinstance(func.value, ast.Call) and _name_of(func.value.func) == "super")


def _is_plural_call(node: ast.AST | None) -> bool:
    """``plural("singular", "plural"[, count])``: both forms literals, so Babel extracts them."""
    return (isinstance(node, ast.Call) and _name_of(node.func) == "plural" and len(node.args) >= 2
            and _str_value(node.args[0]) is not None and _str_value(node.args[1]) is not None)


def scan(files: Iterable[Path] | None = None) -> ScanResult:
    """Find constants, self-messaging UserError subclasses and unextractable calls."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in (files or _python_files())}
    result = ScanResult()

    # 1. the UserError family, to a fixed point across modules
    classes: dict[str, tuple[Path, ast.ClassDef]] = {}
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, (path, node))
    family = set(ERROR_BASES)
    changed = True
    while changed:
        changed = False
        for name, (_path, node) in classes.items():
            if name not in family and name not in NOT_MSGID_CLASSES and any(
                    _name_of(b) in family for b in node.bases):
                family.add(name)
                changed = True
    result.error_classes = family

    # 2. msgids built inside subclasses: super().__init__("literal", ...)
    self_messaged: set[str] = set()
    for name in family - ERROR_BASES:
        path, cls = classes[name]
        for node in ast.walk(cls):
            if isinstance(node, ast.Call) and _is_super_init(node) and node.args:
                msgid = _str_value(node.args[0])
                if msgid:
                    result.messages.append((msgid, _rel(path), node.lineno))
                    self_messaged.add(name)

    # 3. WARN_*/MSG_* constants in modules that cannot use N_
    constants: set[str] = set()
    for path, tree in trees.items():
        if _imports_i18n(tree):
            continue
        for node in ast.walk(tree):
            targets: list[ast.AST] = []
            if isinstance(node, ast.Assign):
                targets = list(node.targets)
            elif isinstance(node, ast.AnnAssign):
                targets = [node.target]
            names = [n for n in (_name_of(t) for t in targets) if n and CONSTANT_NAME.match(n)]
            if not names:
                continue
            value = node.value  # type: ignore[attr-defined]
            if _is_plural_call(value):  # MSG_X = plural("…", "…"): extracted by Babel; usable as a msgid
                constants.update(names)
                continue
            items = value.elts if isinstance(value, (ast.Tuple, ast.List)) else [value]
            for item in items:
                msgid = _str_value(item)
                if msgid and not COLOUR_VALUE.match(msgid.strip()):
                    result.messages.append((msgid, _rel(path), item.lineno))
                    constants.update(names)

    # 4. calls whose msgid Babel cannot see
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = _name_of(node.func)
            if name not in family:
                continue
            for keyword in node.keywords:  # error_text() also translates params named *_msg
                msgid = _str_value(keyword.value)
                if keyword.arg and keyword.arg.endswith("_msg") and msgid:
                    result.messages.append((msgid, _rel(path), keyword.value.lineno))
            if name in self_messaged or not node.args:
                continue
            first = node.args[0]
            if _str_value(first) is not None or _is_plural_call(first):
                continue
            if _name_of(first) in constants:
                continue
            result.unextractable.append(f"{_rel(path)}:{node.lineno}: {name}({ast.unparse(first)}, ...)")
    return result


# --------------------------------------------------------------------------- extraction


def _keywords(scan_result: ScanResult) -> dict[str, object]:
    keywords = dict(BASE_KEYWORDS)
    for name in scan_result.error_classes:
        keywords.setdefault(name, None)
    return keywords


def _version() -> str:
    from shequ_desktop import __version__
    return __version__


def _new_catalog(locale: str | None = None) -> Catalog:
    return Catalog(
        locale=locale,
        domain=DOMAIN,
        project=PROJECT,
        version=_version(),
        copyright_holder="shequ_desktop contributors",
        msgid_bugs_address="",
        fuzzy=False,
        header_comment=(f"# {'Translations template' if locale is None else 'Translations'} for {PROJECT}.\n"
                        f"# This file is distributed under the same license as the {PROJECT} project.\n#"),
    )


def extract_catalog() -> tuple[Catalog, ScanResult]:
    """Everything translatable in the code, as a template catalog (nothing is written)."""
    with BABEL_CFG.open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, filename=str(BABEL_CFG))
    scan_result = scan()
    catalog = _new_catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
            str(PROJECT_ROOT), method_map, options_map, keywords=_keywords(scan_result),
            comment_tags=COMMENT_TAGS, strip_comment_tags=True):
        if isinstance(message, (list, tuple)) and not all(message):
            continue
        if not message:
            continue
        catalog.add(message, None, [(Path(filename).as_posix(), lineno)],
                    auto_comments=comments, context=context)
    for msgid, filename, lineno in scan_result.messages:
        catalog.add(msgid, None, [(filename, lineno)])
    return catalog, scan_result


def _write(catalog: Catalog, path: Path, **kwargs: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, **kwargs)  # type: ignore[arg-type]
    data = buf.getvalue()
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)


def _fingerprint(catalog: Catalog) -> list[tuple[object, ...]]:
    return [(m.id, m.context, tuple(m.locations), tuple(m.auto_comments)) for m in catalog if m.id]


def extract() -> Catalog:
    catalog, scan_result = extract_catalog()
    if POT_FILE.exists():  # keep the old date when nothing changed, so the files do not churn
        old = _read(POT_FILE)
        if _fingerprint(old) == _fingerprint(catalog):
            catalog.creation_date = old.creation_date
    _write(catalog, POT_FILE)
    for problem in scan_result.unextractable:
        print(f"WARNING: msgid not extractable: {problem}", file=sys.stderr)
    print(f"{_rel(POT_FILE)}: {sum(1 for m in catalog if m.id)} msgids")
    return catalog


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale, domain=DOMAIN)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def update() -> None:
    """Merge the .pot into each language's .po; en gets msgstr = msgid."""
    template = _read(POT_FILE)
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            catalog = _read(path, language)
        else:
            catalog = _new_catalog(language)
            catalog.revision_date = dt.datetime.now(dt.timezone.utc)
        catalog.update(template, no_fuzzy_matching=(language == SOURCE_LANGUAGE), update_creation_date=True)
        catalog.fuzzy = False
        catalog.last_translator = "shequ_desktop translators"
        catalog.language_team = "简体中文 (zh_CN)" if language == "zh_CN" else f"{language}"
        if language == SOURCE_LANGUAGE:
            for message in catalog:
                if not message.id:
                    continue
                message.string = message.id
                message.flags.discard("fuzzy")
                message.previous_id = []
        _write(catalog, path, ignore_obsolete=True, include_previous=True)
        untranslated = [m for m in catalog if m.id and (not _translated(m) or m.fuzzy)]
        print(f"{_rel(path)}: {sum(1 for m in catalog if m.id)} msgids, {len(untranslated)} to translate")


# --------------------------------------------------------------------------- compile / check


def _translated(message: Message) -> bool:
    if isinstance(message.string, (list, tuple)):
        return all(message.string)
    return bool(message.string)


def mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def compile_catalogs() -> None:
    for language in LANGUAGES:
        catalog = _read(po_path(language), language)
        data = mo_bytes(catalog)
        target = mo_path(language)
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
        print(f"{_rel(target)}: {sum(1 for m in catalog if m.id and _translated(m) and not m.fuzzy)} translated")


def placeholders(text: str) -> Counter[str]:
    """The ``{name}`` / ``{name:spec}`` fields of a str.format template."""
    fields: Counter[str] = Counter()
    try:
        for _literal, name, spec, conversion in string.Formatter().parse(text):
            if name is not None:
                fields["{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"] += 1
    except ValueError:
        fields["<malformed>"] += 1
    return fields


def _msg_pairs(message: Message) -> Iterator[tuple[str, str]]:
    ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
    strs = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    for i, text in enumerate(strs):
        yield ids[min(i, len(ids) - 1)], text or ""


def problems() -> list[str]:
    """Everything ``check`` complains about (empty when the catalogs are complete and compiled)."""
    found: list[str] = []
    template, scan_result = extract_catalog()
    found += [f"not extractable: {p}" for p in scan_result.unextractable]
    for language in LANGUAGES:
        path = po_path(language)
        if not path.exists():
            found.append(f"{_rel(path)} is missing")
            continue
        catalog = _read(path, language)
        for message in template:
            if not message.id:
                continue
            entry = catalog.get(message.id)
            if entry is None:
                found.append(f"[{language}] not in catalog (run extract + update): {message.id!r}")
            elif not _translated(entry):
                found.append(f"[{language}] untranslated: {message.id!r}")
            elif entry.fuzzy:
                found.append(f"[{language}] fuzzy: {message.id!r}")
            else:
                for msgid, msgstr in _msg_pairs(entry):
                    if placeholders(msgid) != placeholders(msgstr):
                        found.append(f"[{language}] placeholders differ: {msgid!r} -> {msgstr!r}")
        target = mo_path(language)
        if not target.exists():
            found.append(f"{_rel(target)} is missing (run compile)")
        elif target.read_bytes() != mo_bytes(catalog):
            found.append(f"{_rel(target)} is out of date with {path.name} (run compile)")
    return found


def check() -> int:
    found = problems()
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} problem(s)", file=sys.stderr)
        return 1
    template, _scan = extract_catalog()
    print(f"OK: {sum(1 for m in template if m.id)} msgids, catalogs {', '.join(LANGUAGES)} complete and compiled")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shequ_desktop.i18n_tools", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("extract", "update", "compile", "check", "all"))
    args = parser.parse_args(argv)
    if args.command in ("extract", "all"):
        extract()
    if args.command in ("update", "all"):
        update()
    if args.command in ("compile", "all"):
        compile_catalogs()
    if args.command == "check":
        return check()
    return 0


if __name__ == "__main__":
    sys.exit(main())
