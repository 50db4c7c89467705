"""Every record kind a reader can meet has a label in both languages: the synced tables (sync conflicts
page, changes the hub returned) and every kind the code writes into the audit log (audit viewer).

The lists are derived from the code — SYNCED_MODELS / the synced mapper registry, and an AST scan of every
``audit.append`` / ``audit.record`` call — so a new module cannot forget its label."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import shequ_desktop
from shequ_desktop import i18n, i18n_tools
from shequ_desktop.persistence.base import Base, is_synced
from shequ_desktop.persistence.models import SYNCED_MODELS
from shequ_desktop.ui.record_kinds import AUDIT_KINDS, RECORD_KINDS, record_kind_text

CJK = re.compile(r"[\u4e00-\u9fff]")
PACKAGE = Path(shequ_desktop.__file__).resolve().parent
# position of the ``entity`` argument in services/audit.py's writers
ENTITY_ARG = {"append": 3, "record": 2, "_append": 4}


def synced_kinds() -> set[str]:
    kinds = {m.__tablename__ for m in SYNCED_MODELS}
    kinds |= {m.class_.__tablename__ for m in Base.registry.mappers if is_synced(m.class_)}
    return kinds


def audit_kinds() -> tuple[set[str], list[str]]:
    """Constant entity kinds passed to the audit writers anywhere in the program, and calls whose kind is
    not a constant (outside services/audit.py itself, which passes its callers' kind through)."""
    found: set[str] = set()
    unknown: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith(("hub/", "ui/generated/")):
            continue
        source = path.read_text(encoding="utf-8")
        if "audit" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id in ("audit",
                                                                                               "audit_service"):
                name = f.attr
            elif isinstance(f, ast.Name) and rel == "services/audit.py":
                name = f.id
            else:
                continue
            if name not in ENTITY_ARG:
                continue
            pos = ENTITY_ARG[name]
            arg = node.args[pos] if len(node.args) > pos else next(
                (k.value for k in node.keywords if k.arg == "entity"), None)
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                if arg.value:
                    found.add(arg.value)
            elif not (rel == "services/audit.py" and isinstance(arg, ast.Name) and arg.id == "entity"):
                unknown.append(f"{rel}:{node.lineno}")
    return found, unknown


def _catalog(language: str):  # noqa: ANN202
    return i18n_tools._read(i18n_tools.po_path(language), language)


@pytest.fixture
def language() -> Iterator[None]:
    before = i18n.current_language()
    yield
    i18n.set_language(before)


def _check_translated(labels: dict[str, str], kinds: set[str]) -> list[str]:
    problems = [f"{k}: no label" for k in sorted(kinds) if k not in labels]
    zh, en = _catalog("zh_CN"), _catalog("en")
    for kind in sorted(kinds & set(labels)):
        msgid = labels[kind]
        z, e = zh.get(msgid), en.get(msgid)
        if z is None or not z.string or z.fuzzy or not CJK.search(z.string) or re.search(r"[a-z]", z.string):
            problems.append(f"{kind}: {msgid!r} not in Chinese in zh_CN ({z.string if z else None!r})")
        if e is None or not e.string or e.fuzzy or CJK.search(e.string):
            problems.append(f"{kind}: {msgid!r} not in English in en ({e.string if e else None!r})")
    return problems


def test_every_synced_record_kind_has_a_label_in_both_languages() -> None:
    kinds = synced_kinds()
    assert {"sg_file", "sg_contact", "em_incident", "complaint", "staff_member", "sync_conflict"} <= kinds
    assert _check_translated(RECORD_KINDS, kinds) == []


def test_every_audit_entry_kind_in_the_code_has_a_label_in_both_languages() -> None:
    from shequ_desktop.ui.admin.audit_page import ENTITY_LABELS
    kinds, unknown = audit_kinds()
    assert unknown == [], "audit entries whose kind is not a constant: give them one (or list them here)"
    assert {"complaint", "emergency_kit", "mediation_party", "setting", "station", "sync", "diagnostics",
            "database", "em_file"} <= kinds
    # the audit viewer also meets synced kinds and entries of older versions ("case", "user", "backup")
    assert _check_translated(ENTITY_LABELS, kinds | synced_kinds() | {"case", "user", "backup"}) == []


def test_conflicts_page_and_audit_viewer_show_the_kind_in_the_readers_language(language) -> None:
    from shequ_desktop.services.audit import AuditView
    from shequ_desktop.ui.admin.audit_page import entity_text
    from shequ_desktop.ui.sync.conflicts_page import record_text
    i18n.set_language("zh_CN")
    assert record_text("sg_contact", "0123456789abcdef") == "特殊群体联系记录 01234567"
    assert record_text("counter_case", "x" * 36, "BJ2026-0001") == "办件 BJ2026-0001"
    entry = AuditView(1, None, "chief", "reveal_phone", "complaint", "id", "", "张*")  # type: ignore[arg-type]
    assert entity_text(entry) == "热线投诉 张*"
    for kind in synced_kinds():
        assert CJK.search(record_kind_text(kind)), kind
    i18n.set_language("en")
    assert record_text("sg_contact", "0123456789abcdef") == "Special-group contact 01234567"
    assert entity_text(entry) == "Hotline complaint 张*"
    for kind in synced_kinds():
        assert not CJK.search(record_kind_text(kind)), kind
