"""Import residents from .xlsx/.csv (dry run first, then all-or-nothing) and export lists to .xlsx."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from shequ_desktop.domain.clock import local_today, to_local
from shequ_desktop.domain.errors import UserError, ValidationErrors
from shequ_desktop.domain.idnumber import normalize
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.models import Grid, Resident
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.residents import (CheckedResident, ResidentInput, _apply, check_input, search,
                                              count)

# Column headings a clerk's spreadsheet may use, mapped to our fields.
HEADERS = {
    "name": ("姓名", "name"),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "证件号码", "id_number"),
    "phone": ("联系电话", "手机", "手机号", "电话", "phone"),
    "address": ("住址", "地址", "现住址", "居住地址", "address"),
    "grid": ("网格", "所属网格", "grid"),
    "relation": ("与户主关系", "关系", "relation"),
    "moved_in": ("入住日期", "迁入日期", "moved_in"),
    "note": ("备注", "note"),
}
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RejectedRow:
    line: int
    name: str
    errors: list[UserError]


@dataclass
class ImportPlan:
    to_add: list[CheckedResident] = field(default_factory=list)
    to_update: list[tuple[str, CheckedResident]] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    source: str = ""


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    rejected: int


def _rows(path: Path) -> Iterator[list[object]]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many types for a damaged file
            raise UserError("The file {name} is not a readable .xlsx workbook ({detail}).", field="file",
                            name=path.name, detail=type(e).__name__)
        try:
            for row in wb.worksheets[0].iter_rows(values_only=True):
                yield list(row)
        finally:
            wb.close()
    elif suffix == ".csv":
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                content = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise UserError("The file {name} is neither UTF-8 nor GB18030 text.", field="file", name=path.name)
        yield from csv.reader(io.StringIO(content))
    else:
        raise UserError("Only .xlsx and .csv files can be imported.", field="file")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise UserError("The date {value} is not in a known format (e.g. 2024-03-01).", field="moved_in", value=text)


def plan_import(ctx: AppContext, path: Path, progress: Progress | None = None) -> ImportPlan:
    """Read and check every row; nothing is written. Rows whose ID number exists become updates."""
    ctx.require(Permission.RESIDENT_IMPORT)
    path = Path(path)
    if not path.is_file():
        raise UserError("The file {path} does not exist.", field="file", path=str(path))
    rows = list(_rows(path))
    if not rows:
        raise UserError("The file {name} is empty.", field="file", name=path.name)
    header = [_cell(h) for h in rows[0]]
    columns: dict[str, int] = {}
    for key, names in HEADERS.items():
        for i, h in enumerate(header):
            if h in names:
                columns[key] = i
                break
    missing = [HEADERS[k][0] for k in ("name", "id_number") if k not in columns]
    if missing:
        raise UserError("The first row must name the columns; missing: {columns}.", field="file",
                        columns="、".join(missing))
    today = local_today(ctx.clock)
    plan = ImportPlan(source=path.name)
    with ctx.transaction() as s:
        grids = {g.name: g.id for g in s.execute(select(Grid).where(Grid.community_id == ctx.community_id)).scalars()}
        grids.update({g_code: g_id for g_code, g_id in s.execute(
            select(Grid.code, Grid.id).where(Grid.community_id == ctx.community_id))})
        existing = {r.id_number: r for r in s.execute(select(Resident).where(
            Resident.community_id == ctx.community_id, Resident.deleted_at.is_(None))).scalars()}
        seen: dict[str, int] = {}
        body = rows[1:]
        for n, raw in enumerate(body, start=2):
            if progress and n % 500 == 0:
                progress(n, len(body) + 1)
            values = {k: _cell(raw[i]) if i < len(raw) else "" for k, i in columns.items()}
            if not any(values.values()):
                continue
            reasons: list[UserError] = []
            try:
                grid_id = None
                if values.get("grid"):
                    grid_id = grids.get(values["grid"])
                    if grid_id is None:
                        reasons.append(UserError("Unknown grid {grid}.", field="grid", grid=values["grid"]))
                inp = ResidentInput(name=values.get("name", ""), id_number=values.get("id_number", ""),
                                    phone=values.get("phone", ""), address=values.get("address", ""),
                                    grid_id=grid_id, relation=values.get("relation", ""),
                                    moved_in=_date(values.get("moved_in", "")), note=values.get("note", ""))
                checked = check_input(inp, today)
            except ValidationErrors as e:
                reasons.extend(e.errors)
                checked = None
            except UserError as e:
                reasons.append(e)
                checked = None
            if checked is not None:
                idn = checked.data.id_number
                if idn in seen:
                    reasons.append(UserError("The same ID number is already on line {line}.", field="id_number",
                                             line=seen[idn]))
                seen.setdefault(idn, n)
            if reasons or checked is None:
                plan.rejected.append(RejectedRow(n, values.get("name", ""), reasons))
                continue
            current = existing.get(checked.data.id_number)
            if current is None:
                plan.to_add.append(checked)
            elif _differs(current, checked):
                if not checked.data.grid_id:
                    checked.data.grid_id = current.grid_id
                plan.to_update.append((current.id, checked))
            else:
                plan.unchanged += 1
    return plan


def _differs(r: Resident, c: CheckedResident) -> bool:
    d = c.data
    return (r.name, r.phone, r.address, r.relation, r.note) != (d.name, d.phone, d.address or r.address,
                                                                  d.relation or r.relation, d.note or r.note)


def run_import(ctx: AppContext, plan: ImportPlan, skip_rejected: bool = False,
               progress: Progress | None = None) -> ImportResult:
    """Write the plan in ONE transaction: a failure anywhere leaves the store as it was."""
    ctx.require(Permission.RESIDENT_IMPORT)
    if plan.rejected and not skip_rejected:
        raise UserError("{count} rows have errors; fix them or choose to skip them. Nothing was imported.",
                        count=len(plan.rejected))
    total = len(plan.to_add) + len(plan.to_update)
    with ctx.transaction() as s:
        for i, checked in enumerate(plan.to_add):
            r = Resident(community_id=ctx.community_id)
            _apply(r, checked)
            s.add(r)
            if progress and i % 1000 == 0:
                progress(i, total)
        for resident_id, checked in plan.to_update:
            r = s.get(Resident, resident_id)
            if r is None or r.deleted_at is not None:
                raise UserError("A resident changed while importing; run the import again.")
            _apply(r, checked)
        audit.append(s, ctx, audit.AuditAction.IMPORT, "resident", "",
                     f"{plan.source}: +{len(plan.to_add)} ~{len(plan.to_update)} skipped {len(plan.rejected)}")
    if progress:
        progress(total, total)
    return ImportResult(len(plan.to_add), len(plan.to_update), len(plan.rejected))


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
    audit.record(ctx, audit.AuditAction.EXPORT, "resident", "",
                 f"{Path(target).name} rows={written} query={query!r} {'UNMASKED' if unmasked else 'masked'}")
    return written
