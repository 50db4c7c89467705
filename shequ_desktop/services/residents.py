"""The resident registry: validate, register, edit, search, reveal (audited)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import NotFound, UserError, ValidationErrors
from shequ_desktop.domain.idnumber import IdNumber, age_on, check_character, parse_id_number
from shequ_desktop.domain.masking import mask_id_number, mask_name, mask_phone
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.models import Grid, Resident
from shequ_desktop.persistence.search_index import gram_phrase
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext

_NAME_RE = re.compile(r"^[\u3400-\u9fff\U00020000-\U0003134F·•A-Za-z .\-]{1,64}$")
_PHONE_RE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,5})?)$")
_DIGITS_RE = re.compile(r"^[0-9Xx]+$")
SEX_LABEL = {"M": "男", "F": "女"}


@dataclass(frozen=True)
class ResidentRow:
    """One line of a resident list: personal numbers masked."""

    id: str
    name: str
    id_masked: str
    sex: str
    age: int
    phone_masked: str
    address: str
    grid_name: str


@dataclass(frozen=True)
class ResidentDetail:
    id: str
    name: str
    id_masked: str
    id_kind: str
    birth_date: dt.date
    sex: str
    age: int
    phone_masked: str
    address: str
    grid_id: str | None
    household_id: str | None
    relation: str
    moved_in: dt.date | None
    note: str
    version: int


@dataclass
class ResidentInput:
    name: str
    id_number: str
    phone: str = ""
    address: str = ""
    grid_id: str | None = None
    household_id: str | None = None
    relation: str = ""
    moved_in: dt.date | None = None
    note: str = ""


@dataclass(frozen=True)
class CheckedResident:
    data: ResidentInput
    id_number: IdNumber
    warnings: tuple[str, ...] = field(default=())


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
OLDEST_BIRTH_YEAR = 1890
MAX_AGE = 130


def normalize_phone(phone: str) -> str:
    """Full-width digits (１３８…) and brackets fold to ASCII; spaces and invisible characters go."""
    folded = unicodedata.normalize("NFKC", _INVISIBLE.sub("", phone or ""))
    return re.sub(r"[\s()]", "", folded.strip()).replace("—", "-")


def phone_ok(phone: str) -> bool:
    """An 11-digit mobile or a landline like 027-87654321 (after :func:`normalize_phone`)."""
    return bool(_PHONE_RE.match(phone))


def check_input(inp: ResidentInput, today: dt.date) -> CheckedResident:
    """Validate every field first and report all problems at once."""
    errors: list[UserError] = []
    name = " ".join(inp.name.split())
    if not name:
        errors.append(UserError("Please enter the name.", field="name"))
    elif not _NAME_RE.match(name):
        errors.append(UserError("The name may contain Chinese characters, letters and '·' only.", field="name"))
    idn: IdNumber | None = None
    try:
        idn = parse_id_number(inp.id_number, today)
    except UserError as e:
        errors.append(e)
    if idn is not None and (idn.birth_date.year < OLDEST_BIRTH_YEAR or age_on(idn.birth_date, today) > MAX_AGE):
        errors.append(UserError("The birth date {birth} in the ID number is implausible (born before {year} or older "
                                "than {age}); please check the number.", field="id_number",
                                birth=idn.birth_date.isoformat(), year=OLDEST_BIRTH_YEAR, age=MAX_AGE))
    phone = normalize_phone(inp.phone)
    if phone and not _PHONE_RE.match(phone):
        errors.append(UserError("The phone number should be an 11-digit mobile or a landline like 027-87654321.",
                                field="phone"))
    if inp.moved_in and inp.moved_in > today:
        errors.append(UserError("The move-in date cannot be in the future.", field="moved_in"))
    if len(inp.address) > 200:
        errors.append(UserError("The address is too long (at most 200 characters).", field="address"))
    if errors:
        raise ValidationErrors(errors)
    assert idn is not None
    data = ResidentInput(name=name, id_number=idn.canonical, phone=phone, address=inp.address.strip(),
                         grid_id=inp.grid_id or None, household_id=inp.household_id or None,
                         relation=inp.relation.strip(), moved_in=inp.moved_in, note=inp.note.strip())
    return CheckedResident(data, idn, tuple(idn.warnings))


def _existing_by_id_number(s: Session, community_id: str, id_number: str) -> Resident | None:
    return s.execute(select(Resident).where(Resident.community_id == community_id,
                                            Resident.id_number == id_number,
                                            Resident.deleted_at.is_(None))).scalars().first()


def _duplicate_error(existing: Resident) -> UserError:
    return UserError("This ID number is already registered: {name} ({address}).", field="id_number",
                     name=existing.name, address=existing.address or "-", resident_id=existing.id)


def _detail(r: Resident, today: dt.date) -> ResidentDetail:
    return ResidentDetail(r.id, r.name, mask_id_number(r.id_number), r.id_kind, r.birth_date, r.sex,
                          age_on(r.birth_date, today), mask_phone(r.phone) if r.phone else "", r.address,
                          r.grid_id, r.household_id, r.relation, r.moved_in, r.note, r.version)


def _apply(r: Resident, c: CheckedResident) -> None:
    d = c.data
    r.name, r.id_number, r.phone, r.address = d.name, d.id_number, d.phone, d.address
    r.id_number_original = c.id_number.original if c.id_number.converted_from_15 else ""
    r.id_kind = c.id_number.kind.value
    r.birth_date, r.sex = c.id_number.birth_date, c.id_number.sex.value
    r.grid_id, r.household_id, r.relation, r.moved_in, r.note = d.grid_id, d.household_id, d.relation, d.moved_in, d.note


def create(ctx: AppContext, inp: ResidentInput) -> ResidentDetail:
    ctx.require(Permission.RESIDENT_EDIT)
    today = local_today(ctx.clock)
    checked = check_input(inp, today)
    with ctx.transaction() as s:
        existing = _existing_by_id_number(s, ctx.community_id, checked.data.id_number)
        if existing is not None:
            raise _duplicate_error(existing)
        r = Resident(community_id=ctx.community_id)
        _apply(r, checked)
        s.add(r)
        s.flush()
        return _detail(r, today)


def update(ctx: AppContext, resident_id: str, inp: ResidentInput, expected_version: int,
           keep_numbers: bool = False) -> ResidentDetail:
    """Save an edit. ``keep_numbers``: the form only showed masked numbers, so keep the stored
    ID number and phone (no reveal, no audit entry just to save a changed address)."""
    ctx.require(Permission.RESIDENT_EDIT)
    today = local_today(ctx.clock)
    if keep_numbers:
        with ctx.transaction() as s:
            stored = _get_live(s, resident_id)
            inp = replace(inp, id_number=stored.id_number_original or stored.id_number, phone=stored.phone)
    checked = check_input(inp, today)
    with ctx.transaction() as s:
        r = _get_live(s, resident_id)
        if r.version != expected_version:
            raise UserError("Someone else changed this resident meanwhile. Reopen the record and try again.")
        other = _existing_by_id_number(s, r.community_id, checked.data.id_number)
        if other is not None and other.id != r.id:
            raise _duplicate_error(other)
        _apply(r, checked)
        s.flush()
        return _detail(r, today)


def remove(ctx: AppContext, resident_id: str, reason: str) -> None:
    """Tombstone (moved away, deceased, duplicate); the row stays for history and sync."""
    ctx.require(Permission.RESIDENT_EDIT)
    if not reason.strip():
        raise UserError("Please give a reason.", field="reason")
    with ctx.transaction() as s:
        r = _get_live(s, resident_id)
        r.deleted_at = ctx.clock.now()
        r.note = (r.note + "\n" if r.note else "") + f"注销：{reason.strip()}"
        # R51: the resident's special-group files go up for review in the same commit
        from shequ_desktop.services.special_groups.files import review_on_registry_change
        review_on_registry_change(s, ctx, r.id, f"户籍注销：{reason.strip()}")


def _get_live(s: Session, resident_id: str) -> Resident:
    r = s.get(Resident, resident_id)
    if r is None or r.deleted_at is not None:
        raise NotFound("The resident was not found (maybe removed).")
    return r


def get(ctx: AppContext, resident_id: str) -> ResidentDetail:
    ctx.require(Permission.RESIDENT_VIEW)
    with ctx.transaction() as s:
        return _detail(_get_live(s, resident_id), local_today(ctx.clock))


def reveal(ctx: AppContext, resident_id: str, what: str, purpose: str = "") -> str:
    """Show one masked value in full; the reveal is written to the audit log first."""
    ctx.require(Permission.RESIDENT_REVEAL)
    if what not in ("id_number", "phone"):
        raise UserError("Unknown field {what}.", what=what)
    with ctx.transaction() as s:
        r = _get_live(s, resident_id)
        action, msg = ((audit.AuditAction.REVEAL_PHONE, audit.MSG_REVEALED_PHONE) if what == "phone"
                       else (audit.AuditAction.REVEAL, audit.MSG_REVEALED_ID))
        audit.append(s, ctx, action, "resident", r.id, audit.describe(msg, name=mask_name(r.name),
                                                                      purpose=purpose.strip()))
        return str(getattr(r, what))


# --- search -----------------------------------------------------------------------------

_ROW_COLS = "r.id, r.name, r.id_number, r.sex, r.birth_date, r.phone, r.address, r.grid_id"
_OUT_COLS = "id, name, id_number, sex, birth_date, phone, address, grid_id"
# Every live resident of the station has a key row holding the pinyin sort key of the name
# (search index side table; domain.pinyin.sort_key): lists are in pinyin order, not code-point order.
_KEY_JOIN = "JOIN resident_fts_key k ON k.resident_id = r.id"


def _by_name(param: str) -> str:
    """FROM/WHERE of residents whose name grams match the FTS5 query in ``:param``; a name row
    reaches its resident through the trigram FTS row of the same rowid (a rowid lookup)."""
    return ("FROM resident_fts_name n JOIN resident_fts f ON f.rowid = n.rowid JOIN resident r ON r.id = f.resident_id "
            f"{_KEY_JOIN} WHERE resident_fts_name MATCH :{param}")


def _ranked(sql: str) -> str:
    """Names equal to the query first, then names that start with it, other name matches, then addresses;
    within each rank in pinyin order."""
    return (f"SELECT {_OUT_COLS} FROM ({sql}) ORDER BY (name = :q) DESC, (substr(name, 1, length(:q)) = :q) DESC, "
            "(instr(name, :q) > 0) DESC, "
            "name_key, id")


def _plan(query: str) -> tuple[str, dict[str, object]] | None:
    """The SQL that answers ``query``: name grams (FTS5, one token per gram), exact ID, FTS trigram
    for fragments ≥ 3."""
    q = " ".join(query.split())
    if not q:
        return (f"SELECT {_ROW_COLS} FROM resident_fts_key k JOIN resident r ON r.id = k.resident_id "
                "WHERE +r.community_id = :c AND r.deleted_at IS NULL ORDER BY k.name_key, k.resident_id", {})
    if _DIGITS_RE.match(q):
        q = q.upper()
        if len(q) in (15, 18):
            full = q
            if len(q) == 15 and q.isdigit():   # a legacy number finds the person under the 18-digit form
                full = q[:6] + "19" + q[6:] + check_character(q[:6] + "19" + q[6:])
            return (f"SELECT {_ROW_COLS} FROM resident r WHERE +r.community_id = :c AND r.deleted_at IS NULL "
                    "AND r.id_number = :q", {"q": full})
        if len(q) < 3:
            return None
        return (f"SELECT {_ROW_COLS} FROM resident_fts f JOIN resident r ON r.id = f.resident_id "
                "WHERE resident_fts MATCH :m AND +r.community_id = :c", {"m": '{id_number phone} : "%s"' % q})
    compact = q.replace(" ", "")
    if len(compact) <= 2:
        # "g" marks a pure gram lookup: count() counts the name index directly.
        return (_ranked(f"SELECT {_ROW_COLS}, k.name_key {_by_name('g')} AND +r.community_id = :c "
                        "AND r.deleted_at IS NULL"),
                {"g": gram_phrase(compact), "q": compact})
    quoted = compact.replace('"', '""')
    # Names: all bigrams present, then the exact substring; addresses: trigram FTS.
    bigrams = sorted({compact[i:i + 2] for i in range(len(compact) - 1)})
    params: dict[str, object] = {"names": " AND ".join(gram_phrase(b) for b in bigrams), "q": compact,
                                 "m": '{address} : "%s"' % quoted}
    return (_ranked(f"SELECT {_ROW_COLS}, k.name_key {_by_name('names')} AND instr(r.name, :q) > 0 "
                    f"AND +r.community_id = :c AND r.deleted_at IS NULL "
                    f"UNION ALL SELECT {_ROW_COLS}, k.name_key FROM resident_fts f JOIN resident r ON r.id = f.resident_id "
                    f"{_KEY_JOIN} WHERE resident_fts MATCH :m AND +r.community_id = :c AND instr(r.name, :q) = 0"),
            params)


def search(ctx: AppContext, query: str, offset: int = 0, limit: int = 50) -> list[ResidentRow]:
    """A page of residents matching ``query`` (name, 1+ characters; ID/phone fragment; address)."""
    ctx.require(Permission.RESIDENT_VIEW)
    plan = _plan(query)
    if plan is None:
        return []
    sql, params = plan
    params.update({"c": ctx.community_id, "lim": limit, "off": offset})
    today = local_today(ctx.clock)
    with ctx.transaction() as s:
        rows = s.execute(text(f"{sql} LIMIT :lim OFFSET :off"), params).all()
        grids = _grid_names(s, ctx)
    result = []
    for rid, name, idn, sex, birth, phone, address, grid_id in rows:
        birth_date = birth if isinstance(birth, dt.date) else dt.date.fromisoformat(birth)
        result.append(ResidentRow(rid, name, mask_id_number(idn), SEX_LABEL.get(sex, sex), age_on(birth_date, today),
                                  mask_phone(phone) if phone else "", address, grids.get(grid_id or "", "")))
    return result


def count(ctx: AppContext, query: str) -> int:
    ctx.require(Permission.RESIDENT_VIEW)
    plan = _plan(query)
    if plan is None:
        return 0
    sql, params = plan
    params["c"] = ctx.community_id
    if "g" in params:  # the name index holds live residents of this station only: count it directly
        sql, params = "SELECT rowid FROM resident_fts_name WHERE resident_fts_name MATCH :g", {"g": params["g"]}
    with ctx.transaction() as s:
        return int(s.execute(text(f"SELECT count(*) FROM ({sql})"), params).scalar_one())


def _grid_names(s: Session, ctx: AppContext) -> dict[str, str]:
    return dict(s.execute(select(Grid.id, Grid.name).where(Grid.community_id == ctx.community_id)).all())


def total(ctx: AppContext) -> int:
    with ctx.transaction() as s:
        return int(s.execute(select(func.count()).select_from(Resident).where(
            Resident.community_id == ctx.community_id, Resident.deleted_at.is_(None))).scalar_one())
