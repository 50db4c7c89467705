"""Which typefaces print the documents: the ``print_fonts`` setting and what the admin sees of it.

``system`` (default): the workstation's official 仿宋/宋体/黑体/楷体 when present (Windows), else the
bundled typefaces; ``bundled``: always the bundled ones (every station prints the same). Shown and set
with ``shequ-admin fonts``; applied before every print.
"""

from __future__ import annotations

from dataclasses import dataclass

from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.roles import Permission
from shequ_desktop.services import audit
from shequ_desktop.persistence.journal import JournaledSession
from shequ_desktop.services.context import AppContext, get_setting, put_setting

SETTING = "print_fonts"
SOURCES = ("system", "bundled")
_FONT_MSGIDS = {"system": audit.MSG_FONTS_SYSTEM, "bundled": audit.MSG_FONTS_BUNDLED}
DEFAULT = "system"


@dataclass(frozen=True)
class FontRow:
    """One role (or a rare-character fallback) and the typeface that prints it, with its coverage."""

    role: str  # title, heading, subheading, body, table, number, or fallback
    family: str
    file: str
    gb2312: int  # of the 6,763 GB 2312 hanzi
    ext_a: int  # of CJK Extension A
    ext_b_to_f: int  # of CJK Extensions B–F


@dataclass(frozen=True)
class FontReport:
    source: str
    rows: tuple[FontRow, ...]


def source_in(s: JournaledSession) -> str:
    value = get_setting(s, SETTING, DEFAULT)
    return value if value in SOURCES else DEFAULT


def apply_in(s: JournaledSession) -> None:
    """Make the process-wide font registry follow the setting (cheap when unchanged)."""
    from shequ_desktop.printing import fonts  # ReportLab loads on first print only
    fonts.use_source(source_in(s))  # type: ignore[arg-type]


def set_source(ctx: AppContext, source: str) -> None:
    ctx.require(Permission.POLICY_EDIT)
    if source not in SOURCES:
        raise UserError("Unknown font setting {value}; use system or bundled.", field="print_fonts", value=source)
    with ctx.transaction() as s:
        old = source_in(s)
        put_setting(s, SETTING, source)
        audit.append(s, ctx, audit.AuditAction.ADMIN, "setting", SETTING, audit.describe(
            audit.MSG_PRINT_FONTS, old_msg=_FONT_MSGIDS.get(old, old), new_msg=_FONT_MSGIDS.get(source, source)))
        apply_in(s)


def _ranges() -> tuple[list[int], range, list[range]]:
    gb = []
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                gb.append(ord(bytes((hi, lo)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    ext_b_f = [range(0x20000, 0x2A6E0), range(0x2A700, 0x2EBF0)]
    return gb, range(0x3400, 0x4DC0), ext_b_f


def report(ctx: AppContext) -> FontReport:
    """The setting, and for each role the typeface, its file and how much of GB 2312 / Ext A / Ext B–F it has."""
    from shequ_desktop.printing import fonts
    with ctx.transaction() as s:
        apply_in(s)
        source = source_in(s)
    gb, ext_a, ext_bf = _ranges()
    rows = []
    reg = fonts.registry()
    seen = [(role, reg.font(role)) for role in fonts.ROLES]
    seen += [("fallback", font) for font in reg.fallbacks()]
    for label, font in seen:
        cmap = font.cmap
        rows.append(FontRow(label, font.family or font.path.stem, str(font.path), sum(c in cmap for c in gb),
                            sum(c in cmap for c in ext_a), sum(c in cmap for r in ext_bf for c in r)))
    return FontReport(source, tuple(rows))
