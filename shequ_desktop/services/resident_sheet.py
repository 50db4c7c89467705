"""Reading a clerk's resident sheet as it really is: title rows above the header, Excel numbers,
serial dates, apostrophes and invisible characters around numbers, full-width digits."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from shequ_desktop.domain.errors import UserError

# Column headings a clerk's spreadsheet may use, mapped to our fields.
HEADERS = {
    "name": ("姓名", "name"),
    "id_number": ("公民身份号码", "身份证号", "身份证号码", "证件号码", "id_number"),
    "phone": ("联系电话", "手机", "手机号", "手机号码", "电话", "phone"),
    "address": ("住址", "地址", "现住址", "居住地址", "address"),
    "grid": ("网格", "所属网格", "grid"),
    "relation": ("与户主关系", "关系", "relation"),
    "moved_in": ("入住日期", "迁入日期", "moved_in"),
    "note": ("备注", "note"),
}
DATE_COLUMNS = frozenset({"moved_in"})
HEADER_SEARCH_ROWS = 10          # title rows ("幸福里社区居民花名册", a merged title, a date line) come first
EXCEL_DIGITS = 15                # a double holds 15 significant decimal digits; Excel shows no more
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]")
_QUOTES = "'‘’`\""
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)      # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug included)


@dataclass(frozen=True)
class Sheet:
    columns: dict[str, int]     # field → column index
    header_line: int            # 1-based line of the header row
    rows: list[tuple[int, list[object]]]   # (1-based line, raw cells) below the header


def read_sheet(path: Path) -> Sheet:
    rows = list(_rows(path))
    if not any(any(_text(c) for c in r) for r in rows):
        raise UserError("The file {name} is empty.", field="file", name=path.name)
    for i, raw in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = _columns(raw)
        if "name" in columns and "id_number" in columns:
            return Sheet(columns, i + 1, [(n, r) for n, r in enumerate(rows[i + 1:], start=i + 2)])
    missing = [HEADERS[k][0] for k in ("name", "id_number") if k not in _columns(rows[0])]
    raise UserError("No header row found in the first {n} rows; the header must name the columns (missing: "
                    "{columns}).", field="file", n=HEADER_SEARCH_ROWS, columns="、".join(missing))


def _columns(raw: list[object]) -> dict[str, int]:
    header = ["".join(_text(h).split()).lstrip("*") for h in raw]
    columns: dict[str, int] = {}
    for key, names in HEADERS.items():
        for i, h in enumerate(header):
            if h in names:
                columns[key] = i
                break
    return columns


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


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    return _INVISIBLE.sub("", str(value)).strip()


def cell(key: str, value: object) -> str | dt.date | None:
    """The cleaned value of one cell of column ``key`` (raises UserError for what cannot be read safely)."""
    if key == "id_number":
        return id_cell(value)
    if key in DATE_COLUMNS:
        return date_cell(value, key)
    if key == "phone":
        return unicodedata.normalize("NFKC", _text(value)).strip()
    return _text(value)


def id_cell(value: object) -> str:
    """An ID number as typed; a number Excel has already rounded is refused, never guessed."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and not value.is_integer():
            return repr(value)                      # not a whole number: the ID check explains
        digits = str(abs(int(value)))
        if len(digits) > EXCEL_DIGITS:               # 18 digits cannot survive in a number cell
            raise _excel_number_error(digits)
        return digits
    text = _text(value)
    if _SCIENTIFIC.match(text.replace(" ", "")):
        raise _excel_number_error(text)
    return unicodedata.normalize("NFKC", text).strip().lstrip(_QUOTES).strip().rstrip(_QUOTES).strip()


def _excel_number_error(shown: str) -> UserError:
    return UserError("The ID number {value} is stored as a number in the sheet, and Excel keeps only 15 digits of a "
                     "number, so the last digits are lost. Format the ID column as Text and type the numbers "
                     "again; nothing was guessed.", field="id_number", value=shown)


def date_cell(value: object, key: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial(float(value), key)
    text = unicodedata.normalize("NFKC", _text(value))
    if not text:
        return None
    if re.fullmatch(r"\d{1,5}(\.\d+)?", text):      # a serial number in a General cell (or saved to CSV)
        return _serial(float(text), key)
    text = text.split(" ")[0]
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d", "%Y-%m-%dT%H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise UserError("The date {value} is not in a known format (e.g. 2024-03-01).", field=key, value=text)


def _serial(serial: float, key: str) -> dt.date:
    if not 1 <= serial < 2958466:
        raise UserError("The date {value} is not in a known format (e.g. 2024-03-01).", field=key,
                        value=str(serial))
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))
