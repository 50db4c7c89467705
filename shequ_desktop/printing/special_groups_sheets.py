"""Paper for the road: the week's visit list (field sheet), a volunteer's contact sheet, the blank visit record and
the quarterly file-review worksheet. Printed papers are always Chinese.

A volunteer's sheet carries only name, address, phone and care notes — never ID numbers, diagnoses or disability
grades (DOMAIN §7.3): its row type has no field for them, so no caller can put them on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from shequ_desktop.printing.document import (Block, Document, Heading, Paragraph, SignatureBlock, Spacer, Table,
                                             format_cn_date)


@dataclass(frozen=True)
class FieldSheetRow:
    name: str
    address: str              # building, unit, room
    phone: str
    contacts: str             # family / volunteer: 王明（儿子）139…
    flags: str                # 独居、失能
    tasks: str                # 上门探访（逾期3天）
    last_visit: str
    last_notes: str


@dataclass(frozen=True)
class FieldSheetData:
    station: str
    worker: str
    week_first: dt.date
    week_last: dt.date
    rows: tuple[FieldSheetRow, ...]
    printed_on: dt.date


@dataclass(frozen=True)
class VolunteerRow:
    name: str
    address: str
    phone: str
    care_notes: str


@dataclass(frozen=True)
class VolunteerSheetData:
    station: str
    volunteer: str
    worker: str
    rows: tuple[VolunteerRow, ...]
    printed_on: dt.date


@dataclass(frozen=True)
class FileReviewData:
    station: str
    name: str
    id_masked: str
    address: str
    group: str
    flags: str
    quarter: str              # 2026年第四季度
    last_review: str          # 2026年9月20日 / 无
    contacts: tuple[tuple[str, str], ...]    # (what, count/state) for the quarter
    roster: tuple[tuple[str, str, str], ...]  # (role, name, phone masked)
    changes: tuple[str, ...]
    missing: tuple[str, ...]
    package: tuple[tuple[str, str, str], ...]
    printed_on: dt.date


def _doc(kind: str, title: str, org: str, blocks: list[Block]) -> Document:
    return Document(kind=kind, title=title, serial_no="", blocks=tuple(blocks), org_line=org, author=org,
                    subject=title, density="compact")


def field_sheet(data: FieldSheetData) -> Document:
    """The week's visit list for a worker, sorted by building and unit."""
    rows = tuple((str(i), r.name, r.address, r.phone, r.contacts, r.flags, r.tasks,
                  f"{r.last_visit} {r.last_notes}".strip()) for i, r in enumerate(data.rows, start=1))
    blocks: list[Block] = [
        Paragraph(f"责任社工：{data.worker}　　周期：{format_cn_date(data.week_first)}至{format_cn_date(data.week_last)}"
                  f"　　共{len(rows)}人", "body"),
        Table(("序号", "姓名", "住址", "电话", "联系人", "标记", "本周任务", "上次走访及情况"), rows or (("", "本周无走访任务", "", "", "", "", "", ""),),
              col_widths_ratio=(0.05, 0.09, 0.16, 0.18, 0.19, 0.07, 0.1, 0.16)),   # a mobile number on one line
        Spacer(1),
        Paragraph("走访后请在《上门探访记录表》上记录情况，回站后录入系统。", "body"),
        SignatureBlock(f"走访人：{data.worker}", f"打印日期：{format_cn_date(data.printed_on)}"),
    ]
    return _doc("field-sheet", "特殊群体走访清单", data.station, blocks)


def volunteer_sheet(data: VolunteerSheetData) -> Document:
    """A volunteer's contact sheet: name, address, phone, care notes only (§7.3)."""
    rows = tuple((str(i), r.name, r.address, r.phone, r.care_notes) for i, r in enumerate(data.rows, start=1))
    blocks: list[Block] = [
        Paragraph(f"志愿者：{data.volunteer}　　联系社工：{data.worker}　　共{len(rows)}人", "body"),
        Table(("序号", "姓名", "住址", "电话", "关爱提示"), rows or (("", "无", "", "", ""),),
              col_widths_ratio=(0.07, 0.13, 0.32, 0.2, 0.28)),
        Spacer(1),
        Paragraph("请妥善保管本表，不得转交他人；发现异常情况请立即联系社工。", "body"),
        SignatureBlock(data.station, f"打印日期：{format_cn_date(data.printed_on)}"),
    ]
    return _doc("volunteer-sheet", "志愿者关爱联系表", data.station, blocks)


def visit_record(station: str, name: str = "", address: str = "") -> Document:
    """The blank visit record form taken on the road."""
    blank = "＿" * 14
    blocks: list[Block] = [
        Table(("项目", "内容"), (
            ("姓名", name or blank), ("住址", address or blank), ("日期", "　　　年　　月　　日"),
            ("方式", "□电话关怀　□上门探访　□辅导/疏导　□其他"),
            ("结果", "□已联系上　□未联系上　□拒绝"),
            ("走访人", "□社工　□志愿者　□家属　姓名：" + "＿" * 6),
            ("身体与生活情况", "\n\n\n"),
            ("发现需求", "□就医　□送餐　□助洁　□维修　□居家康复　□辅具适配　□心理疏导　□其他"),
            ("处理与跟进", "□登记跟进（期限：　　月　　日）　□转派工单\n\n"),
            ("下次联系日期", "　　　年　　月　　日"),
        ), col_widths_ratio=(0.22, 0.78), col_align=("center", "left")),
        Spacer(1),
        SignatureBlock("走访人签字：", "　　　年　　月　　日", handler_lines=("服务对象（或家属）签字：",)),
    ]
    return _doc("visit-record", "上门探访记录表", station, blocks)


def file_review(data: FileReviewData) -> Document:
    """The quarterly review worksheet (R16): what changed since the last review, what is missing, sign-off."""
    blocks: list[Block] = [
        Table(("项目", "内容"), (
            ("姓名", data.name), ("身份证号", data.id_masked), ("住址", data.address),
            ("群体类别", data.group), ("标记", data.flags or "无"), ("复核周期", data.quarter),
            ("上次复核", data.last_review)), col_widths_ratio=(0.22, 0.78), col_align=("center", "left")),
        Heading("一、本季度联系情况", 2),
        Table(("项目", "情况"), data.contacts or (("无", ""),), col_widths_ratio=(0.4, 0.6)),
        Heading("二、联系人（1+1+N）", 2),
        Table(("角色", "姓名", "电话"), data.roster or (("无", "", ""),), col_widths_ratio=(0.3, 0.35, 0.35)),
        Heading("三、上次复核以来的变化", 2),
        *[Paragraph(f"{i}. {c}", "body") for i, c in enumerate(data.changes or ("无变化",), start=1)],
        Heading("四、缺少或待补充的信息", 2),
        *[Paragraph(f"{i}. {c}", "body") for i, c in enumerate(data.missing or ("无",), start=1)],
        Heading("五、个性化服务包", 2),
        Table(("服务项目", "频次", "提供方"), data.package or (("未制定", "", ""),), col_widths_ratio=(0.4, 0.3, 0.3)),
        Paragraph("复核意见：" + "＿" * 30, "body"),
        SignatureBlock("复核人签字：", "　　　年　　月　　日", handler_lines=(f"打印日期：{format_cn_date(data.printed_on)}",)),
    ]
    return _doc("file-review", "特殊群体档案季度复核表", data.station, blocks)


# --- specimens ----------------------------------------------------------------------------------------------
_DAY = dt.date(2026, 11, 25)


def _station() -> str:
    """The station the specimens carry: the real one's name when ``templates.specimen_station`` says so."""
    from shequ_desktop.printing import templates   # templates lists these specimens: no import at load time
    return templates._st().station_name


def _specimen_field_sheet() -> Document:
    rows = (
        FieldSheetRow("张秀兰", "幸福里小区3栋1单元201室", "138****8000", "王明（儿子）137****2222\n志愿者李志愿", "独居",
                      "上门探访（逾期3天）", "10月28日", "血压偏高，已提醒按时服药"),
        FieldSheetRow("李桂英", "幸福里小区3栋2单元502室", "139****1234", "陈红（女儿）186****5678", "独居、失能",
                      "上门探访", "10月30日", "冰箱食物不足，已联系送餐"),
        FieldSheetRow("王德明", "幸福里小区5栋1单元101室", "150****4321", "志愿者赵二", "", "电话关怀", "11月3日", "身体状况稳定"),
    )
    return field_sheet(FieldSheetData(_station(), "张伟", dt.date(2026, 11, 23), dt.date(2026, 11, 29), rows, _DAY))


def _specimen_volunteer_sheet() -> Document:
    rows = (VolunteerRow("张秀兰", "幸福里小区3栋1单元201室", "13812348000", "耳背，说话请大声"),
            VolunteerRow("李桂英", "幸福里小区3栋2单元502室", "13912341234", "腿脚不便，敲门后请稍等"))
    return volunteer_sheet(VolunteerSheetData(_station(), "李志愿", "张伟", rows, _DAY))


def _specimen_visit_record() -> Document:
    return visit_record(_station())


def _specimen_file_review() -> Document:
    return file_review(FileReviewData(
        _station(), "张秀兰", "420111********0021", "幸福里小区3栋1单元201室", "老年人", "独居", "2026年第四季度",
        "2026年9月20日", (("电话关怀（每周1次）", "已完成7周，逾期1周"), ("上门探访（每月1次）", "10月已完成，11月待办")),
        (("责任社工", "张伟", "—"), ("志愿者", "李志愿", "139****1111"), ("家属（儿子）", "王明", "137****2222")),
        ("标记变更：独居 → 独居、失能", "11月5日走访发现需求：送餐"), ("家属联系电话未核实",),
        (("助餐服务", "每日1次", "社区长者食堂"),), _DAY))


SPECIMENS: dict[str, Callable[[], Document]] = {
    "field-sheet": _specimen_field_sheet,
    "visit-record": _specimen_visit_record,
    "file-review": _specimen_file_review,
    "volunteer-sheet": _specimen_volunteer_sheet,
}
