"""Import residents from .xlsx/.csv (dry run first, then all-or-nothing) and export lists to .xlsx."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from shequ_desktop.domain.clock import local_today, to_local
from shequ_desktop.domain.errors import UserError, ValidationErrors, plural
from shequ_desktop.domain.idnumber import parse_id_number
from shequ_desktop.domain.masking import mask_id_number, mask_phone
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.models import Grid, Resident
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.resident_sheet import HEADERS, cell, read_sheet  # noqa: F401  (HEADERS re-exported)
from shequ_desktop.services.residents import (CheckedResident, ResidentInput, _apply, check_input, search,
                                              count)

Progress = Callable[[int, int], None]
FIELDS = ("name", "phone", "address", "grid", "relation", "moved_in", "note")
MSG_FIELD_NAME = "name"
MSG_FIELD_PHONE = "phone"
MSG_FIELD_ADDRESS = "address"
MSG_FIELD_GRID = "grid"
MSG_FIELD_RELATION = "relation to the head of household"
MSG_FIELD_MOVED_IN = "moved-in date"
MSG_FIELD_NOTE = "note"
FIELD_LABELS = {"name": MSG_FIELD_NAME, "phone": MSG_FIELD_PHONE, "address": MSG_FIELD_ADDRESS, "grid": MSG_FIELD_GRID,
                "relation": MSG_FIELD_RELATION, "moved_in": MSG_FIELD_MOVED_IN, "note": MSG_FIELD_NOTE}


@dataclass(frozen=True)
class RejectedRow:
    line: int
    name: str
    errors: list[UserError]


@dataclass(frozen=True)
class FieldChange:
    """One field of a registered resident as stored (phone masked) → as in the file."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ResidentUpdate:
    line: int
    resident_id: str
    version: int
    name: str                       # the stored name
    id_masked: str
    changes: tuple[FieldChange, ...]
    values: dict[str, object]       # model attribute → new value (only columns the file has, non-empty)

    @property
    def renames(self) -> bool:
        """A different name for a registered ID number: more likely a typo in the number than a new name."""
        return "name" in self.values


@dataclass
class ImportPlan:
    to_add: list[CheckedResident] = field(default_factory=list)
    to_update: list[ResidentUpdate] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    source: str = ""

    @property
    def name_changes(self) -> list[ResidentUpdate]:
        return [u for u in self.to_update if u.renames]


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    rejected: int
    renames_skipped: int = 0


def plan_import(ctx: AppContext, path: Path, progress: Progress | None = None) -> ImportPlan:
    """Read and check every row; nothing is written. Rows whose ID number exists become updates of
    the columns the file has (an empty cell keeps the stored value)."""
    ctx.require(Permission.RESIDENT_IMPORT)
    path = Path(path)
    if not path.is_file():
        raise UserError("The file {path} does not exist.", field="file", path=str(path))
    sheet = read_sheet(path)
    today = local_today(ctx.clock)
    plan = ImportPlan(source=path.name)
    with ctx.transaction() as s:
        grid_rows = list(s.execute(select(Grid).where(Grid.community_id == ctx.community_id)).scalars())
        grids = {g.name: g.id for g in grid_rows} | {g.code: g.id for g in grid_rows}
        grid_names = {g.id: g.name for g in grid_rows}
        existing = {r.id_number: r for r in s.execute(select(Resident).where(
            Resident.community_id == ctx.community_id, Resident.deleted_at.is_(None))).scalars()}
        seen: dict[str, int] = {}
        total = sheet.rows[-1][0] if sheet.rows else 0
        for n, raw in sheet.rows:
            if progress and n % 500 == 0:
                progress(n, total)
            reasons: list[UserError] = []
            values: dict[str, object] = {}
            for key, i in sheet.columns.items():
                try:
                    values[key] = cell(key, raw[i] if i < len(raw) else None)
                except UserError as e:
                    reasons.append(e)
                    values[key] = ""
            if not reasons and not any(v not in ("", None) for v in values.values()):
                continue
            checked, current = _check_row(values, existing, grids, today, reasons)
            if checked is not None:
                idn = checked.data.id_number
                if idn in seen:
                    reasons.append(UserError("The same ID number is already on line {line}.", field="id_number",
                                             line=seen[idn]))
                seen.setdefault(idn, n)
            if reasons or checked is None:
                plan.rejected.append(RejectedRow(n, str(values.get("name") or ""), reasons))
            elif current is None:
                plan.to_add.append(checked)
            else:
                update = _update(n, current, checked, values, grid_names)
                if update.changes:
                    plan.to_update.append(update)
                else:
                    plan.unchanged += 1
    return plan


def _check_row(values: dict[str, object], existing: dict[str, Resident], grids: dict[str, str], today: dt.date,
               reasons: list[UserError]) -> tuple[CheckedResident | None, Resident | None]:
    current = None
    try:
        current = existing.get(parse_id_number(str(values.get("id_number") or ""), today).canonical)
    except UserError:
        pass                            # check_input reports it
    grid_id = None
    if values.get("grid"):
        grid_id = grids.get(str(values["grid"]))
        if grid_id is None:
            reasons.append(UserError("Unknown grid {grid}.", field="grid", grid=values["grid"]))
    moved_in = values.get("moved_in")
    inp = ResidentInput(name=str(values.get("name") or (current.name if current else "")),
                        id_number=str(values.get("id_number") or ""), phone=str(values.get("phone") or ""),
                        address=str(values.get("address") or ""), grid_id=grid_id,
                        relation=str(values.get("relation") or ""),
                        moved_in=moved_in if isinstance(moved_in, dt.date) else None,
                        note=str(values.get("note") or ""))
    try:
        return check_input(inp, today), current
    except ValidationErrors as e:
        reasons.extend(e.errors)
    except UserError as e:
        reasons.append(e)
    return None, current


def _update(line: int, r: Resident, checked: CheckedResident, values: dict[str, object],
            grid_names: dict[str, str]) -> ResidentUpdate:
    """Only the file's columns with a value; each as before → after."""
    changes: list[FieldChange] = []
    new_values: dict[str, object] = {}
    for key in FIELDS:
        if values.get(key) in ("", None):
            continue
        attr = "grid_id" if key == "grid" else key
        before, after = getattr(r, attr), getattr(checked.data, attr)
        if (before or None) == (after or None):
            continue
        new_values[attr] = after
        changes.append(FieldChange(key, _shown(key, before, grid_names, mask=True), _shown(key, after, grid_names)))
    return ResidentUpdate(line, r.id, r.version, r.name, mask_id_number(r.id_number), tuple(changes), new_values)


def _shown(key: str, value: object, grid_names: dict[str, str], mask: bool = False) -> str:
    if value in (None, ""):
        return ""
    if key == "grid":
        return grid_names.get(str(value), str(value))
    if key == "moved_in" and isinstance(value, dt.date):
        return value.isoformat()
    if key == "phone" and mask:         # the stored number is not revealed by a dry run
        return mask_phone(str(value))
    return str(value)


def run_import(ctx: AppContext, plan: ImportPlan, skip_rejected: bool = False,
               progress: Progress | None = None, accept_name_changes: bool = False) -> ImportResult:
    """Write the plan in ONE transaction: a failure anywhere leaves the store as it was.

    A changed name for a registered ID number is written only with ``accept_name_changes``; with
    ``skip_rejected`` such rows are skipped whole, otherwise nothing is imported."""
    ctx.require(Permission.RESIDENT_IMPORT)
    if plan.rejected and not skip_rejected:
        raise UserError(plural("{count} row has errors; fix it or choose to skip it. Nothing was imported.",
                               "{count} rows have errors; fix them or choose to skip them. Nothing was imported.",
                               "count"), count=len(plan.rejected))
    updates = plan.to_update
    renames = plan.name_changes
    if renames and not accept_name_changes:
        if not skip_rejected:
            raise UserError(plural("{count} row gives a different name for a registered ID number (a typo in the "
                                   "number?); confirm the name change or skip it. Nothing was imported.",
                                   "{count} rows give a different name for a registered ID number (a typo in the "
                                   "number?); confirm the name changes or skip them. Nothing was imported.",
                                   "count"), count=len(renames))
        updates = [u for u in updates if not u.renames]
    total = len(plan.to_add) + len(updates)
    with ctx.transaction() as s:
        for i, checked in enumerate(plan.to_add):
            r = Resident(community_id=ctx.community_id)
            _apply(r, checked)
            s.add(r)
            if progress and i % 1000 == 0:
                progress(i, total)
        for u in updates:
            r = s.get(Resident, u.resident_id)
            if r is None or r.deleted_at is not None or r.version != u.version:
                raise UserError("A resident changed while importing; run the import again.")
            for attr, value in u.values.items():
                setattr(r, attr, value)
        skipped = len(plan.to_update) - len(updates)
        audit.append(s, ctx, audit.AuditAction.IMPORT, "resident", "",
                     audit.describe(audit.MSG_IMPORTED, file=plan.source, added=len(plan.to_add), updated=len(updates),
                                    skipped=len(plan.rejected) + skipped))
    if progress:
        progress(total, total)
    return ImportResult(len(plan.to_add), len(updates), len(plan.rejected), skipped)


def export_xlsx(ctx: AppContext, query: str, target: Path, unmasked: bool = False,
                progress: Progress | None = None) -> int:
    """Write the residents matching ``query`` to .xlsx — masked unless the chief asks otherwise (audited)."""
    ctx.require(Permission.RESIDENT_EXPORT)
    from openpyxl import Workbook
    n = count(ctx, query)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("居民名单")
    ws.append(["姓名", "性别", "年龄", "公民身份号码", "联系电话", "住址", "网格"])
    written = 0
    if unmasked:
        ids = {}
        with ctx.transaction() as s:
            for r in s.execute(select(Resident.id, Resident.id_number, Resident.phone).where(
                    Resident.community_id == ctx.community_id)):
                ids[r[0]] = (r[1], r[2])
    for offset in range(0, max(n, 1), 1000):
        for row in search(ctx, query, offset=offset, limit=1000):
            idn, phone = (ids[row.id] if unmasked else (row.id_masked, row.phone_masked))
            ws.append([row.name, row.sex, row.age, idn, phone, row.address, row.grid_name])
            written += 1
        if progress:
            progress(written, n)
    if unmasked:
        ws.append([])
        ws.append([f"未脱敏导出 · {ctx.user.display_name} · {to_local(ctx.clock.now()):%Y-%m-%d %H:%M} · 注意保密"])
    try:
        wb.save(target)
    except OSError as e:
        raise UserError("Cannot write {path}: {reason}", field="file", path=str(target), reason=e.strerror or str(e))
    audit.record(ctx, audit.AuditAction.EXPORT, "resident", "", audit.describe(
        audit.MSG_EXPORTED_UNMASKED if unmasked else audit.MSG_EXPORTED, file=Path(target).name, rows=written,
        query=query))
    return written
