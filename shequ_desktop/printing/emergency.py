"""Paper for the outage (应急包): a one-page card per hazard plan, the team's phone tree on one page and the list
of vulnerable residents per building on one page. Printed papers are always Chinese.

The vulnerable list carries the resident's name masked (§7.6) with unit, flags and the responsible contact's
name and full phone — it exists to be called from; who printed it is in the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from shequ_desktop.printing.document import Block, Document, Heading, Paragraph, Table, format_cn_date


@dataclass(frozen=True)
class PlanCardData:
    station: str
    name: str                                   # 火灾
    steps: tuple[tuple[str, str, int], ...]     # (title, role, minutes after the report; 0 = none)
    roles: tuple[tuple[str, str], ...]          # (role, duty)
    contacts: tuple[tuple[str, str, str], ...]  # (name, role, phone)
    assembly_points: tuple[str, ...]
    supplies: tuple[str, ...]
    printed_on: dt.date
    onsite_minutes: int = 5
    report_minutes: int = 15
    further_steps: tuple[str, ...] = ()         # R65: after the report, as configured for the plan


@dataclass(frozen=True)
class TreeRow:
    depth: int
    role: str
    name: str
    kind: str
    phone: str
    calls: str          # 张伟、刘洋


@dataclass(frozen=True)
class PhoneTreeData:
    station: str
    rows: tuple[TreeRow, ...]
    printed_on: dt.date
    minimum: int = 20


@dataclass(frozen=True)
class VulnerableLine:
    unit: str
    name: str           # masked
    flags: str
    contact: str        # 王明（儿子）13912345678


@dataclass(frozen=True)
class VulnerableListData:
    station: str
    building: str
    rows: tuple[VulnerableLine, ...]
    printed_on: dt.date
    incident: str = ""  # the incident number when printed for one


def _doc(kind: str, title: str, org: str, blocks: list[Block]) -> Document:
    return Document(kind=kind, title=title, serial_no="", blocks=tuple(blocks), org_line=org, author=org,
                    subject=title, density="compact")


def plan_card(data: PlanCardData) -> Document:
    """One page per hazard: the first minutes, the steps with their roles and limits, who does what, whom to
    call, where to gather, what to take."""
    steps = tuple((str(i), t, r, f"{m}分钟内" if m else "") for i, (t, r, m) in enumerate(data.steps, start=1))
    blocks: list[Block] = [
        Paragraph(f"接报后：网格社工{data.onsite_minutes}分钟内到场，{data.report_minutes}分钟内上报街道；"
                  "同时逐一核查受影响楼栋的独居、失能老人和残疾人、困境儿童。"
                  f"（打印日期：{format_cn_date(data.printed_on)}）", "small"),
        Heading("一、响应步骤", 2),
        Table(("序号", "步骤", "负责", "时限"), steps or (("", "（无）", "", ""),),
              col_widths_ratio=(0.09, 0.61, 0.15, 0.15)),
        Heading("二、职责分工", 2),
        # one paragraph (not a line each): with R65's further steps below, the longest plans stay on one page
        Paragraph("；".join(f"{role}：{duty}" if duty else role for role, duty in data.roles) + "。"
                  if data.roles else "（无）", "small"),
        Heading("三、联系电话、集合地点、物资和后续处置", 2),
        Paragraph("联系电话：" + ("；".join(f"{n}（{r}）{p}" if r else f"{n} {p}" for n, r, p in data.contacts)
                                  or "（无）"), "small"),
        Paragraph("集合地点：" + ("；".join(data.assembly_points) or "（无）") + "。应急物资："
                  + ("、".join(data.supplies) or "（无）") + "。", "small"),
        # R65: the plan's further steps, numbered as the timeline offers them
        Paragraph("后续处置（上报后视情开展，逐项记入事件记录）：" + (
            "；".join(f"（{i}）{step}" for i, step in enumerate(data.further_steps, start=1)) or "（无）") + "。",
            "small"),
    ]
    return _doc("plan-card", f"{data.name}应急处置卡", data.station, blocks)


def phone_tree(data: PhoneTreeData) -> Document:
    """The call list: each member under the one who calls them, with whom they call in turn."""
    rows = tuple((str(i), "　" * min(r.depth, 3) + r.name, r.role, r.kind, r.phone,
                  r.calls or "—") for i, r in enumerate(data.rows, start=1))
    short = len(data.rows) < data.minimum
    blocks: list[Block] = [
        Paragraph(f"接到应急通知后按本表逐级电话通知（缩进表示由上一级通知），每人通知“负责通知”栏所列队员；"
                  f"联系不上的，报告上一级并继续通知下一人。"
                  f"应急队伍共{len(data.rows)}人" + (f"，少于{data.minimum}人，请尽快补充。" if short else "。")
                  + f"（{data.station}，打印日期：{format_cn_date(data.printed_on)}）", "small"),
        Table(("序号", "队员", "职责", "类别", "电话", "负责通知"), rows or (("", "（无）", "", "", "", ""),),
              col_widths_ratio=(0.08, 0.19, 0.14, 0.13, 0.18, 0.28), col_align=("center", "left", "center", "center",
                                                                              "center", "left"), dense=True),
    ]
    return _doc("phone-tree", "应急队伍电话通知树", data.station, blocks)


def vulnerable_list(data: VulnerableListData) -> Document:
    """The vulnerable residents of one building, by unit, with the person to call."""
    rows = tuple((str(i), r.unit, r.name, r.flags, r.contact) for i, r in enumerate(data.rows, start=1))
    head = f"楼栋：{data.building}　共{len(rows)}人" + (f"　事件：{data.incident}" if data.incident else "")
    blocks: list[Block] = [
        Paragraph(head, "body_noindent"),
        Table(("序号", "单元户室", "姓名", "类别", "联系人及电话"),
              rows or (("", "", "本楼栋无重点人员", "", ""),),
              col_widths_ratio=(0.08, 0.19, 0.12, 0.19, 0.42), dense=True),
        Paragraph("突发事件时逐一上门或电话核查：已联系 / 安全 / 需要帮助 / 已转移，核查结果报告现场负责人。"
                  "本表含个人信息，仅供应急处置使用，用后收回，不得外传。", "small"),
        Paragraph(f"{data.station}　打印日期：{format_cn_date(data.printed_on)}", "right"),
    ]
    return _doc("vulnerable-list", "应急重点人员名单", data.station, blocks)


def sign_in_sheet(station: str, topic: str, held_on: dt.date, place: str, names: tuple[str, ...]) -> Document:
    """A drill's or training's 签到表 (the names printed, a column to sign) — signed on paper, then photographed or
    scanned and attached to the record."""
    rows = tuple((str(i), n, "", "") for i, n in enumerate(names, start=1))
    blocks: list[Block] = [
        Paragraph(f"主题：{topic}　日期：{format_cn_date(held_on)}　地点：{place or '—'}", "body_noindent"),
        Table(("序号", "姓名", "签名", "备注"), rows or (("", "", "", ""),), col_widths_ratio=(0.1, 0.25, 0.4, 0.25),
              dense=True),
    ]
    return _doc("sign-in-sheet", "应急演练（培训）签到表", station, blocks)


# --- specimens ----------------------------------------------------------------------------------------------

_DAY = dt.date(2026, 11, 25)


def _station() -> str:
    from shequ_desktop.printing.templates import current_specimen_station
    return current_specimen_station().station_name


def _specimen_plan_card() -> Document:
    from shequ_desktop.domain.emergency import FURTHER_STEPS
    from shequ_desktop.domain.emergency_plans import DEFAULT_PLANS
    p = DEFAULT_PLANS[1]
    return plan_card(PlanCardData(
        _station(), p["name"], tuple((s["title"], s["role"], s["minutes"]) for s in p["steps"]),
        tuple((r["role"], r["duty"]) for r in p["roles"]), tuple((c["name"], c["role"], c["phone"]) for c in p["contacts"]),
        tuple(p["assembly_points"]), tuple(p["supplies"]), _DAY,
        further_steps=tuple(p.get("further_steps") or FURTHER_STEPS)))


_TREE = ((0, "总指挥", "王建国", "社工", "13800000001", "张伟、刘洋"), (1, "副总指挥", "张伟", "社工", "13500000002", "赵丽、陈国平"),
         (2, "疏散引导", "赵丽", "社工", "18800000004", "朱桂英"), (3, "队员", "朱桂英", "志愿者", "13900000012", ""),
         (2, "抢险救援", "陈国平", "物业人员", "13800000007", ""), (1, "联络员", "刘洋", "社工", "13900000003", "周芳"),
         (2, "医疗救护", "周芳", "社工", "15800000006", ""))


def _specimen_phone_tree() -> Document:
    return phone_tree(PhoneTreeData(_station(), tuple(TreeRow(*r) for r in _TREE), _DAY, minimum=len(_TREE)))


def _specimen_vulnerable_list() -> Document:
    rows = (VulnerableLine("1单元302室", "张*兰", "独居、失能", "王明（儿子）13912345678"),
            VulnerableLine("2单元101室", "李*", "残疾人", "李芳（女儿）13587654321"),
            VulnerableLine("3单元602室", "陈*华", "困境儿童", "陈建国（祖父）18611112222"))
    return vulnerable_list(VulnerableListData(_station(), "幸福里小区3栋", rows, _DAY))


SPECIMENS: dict[str, Callable[[], Document]] = {
    "plan-card": _specimen_plan_card,
    "phone-tree": _specimen_phone_tree,
    "vulnerable-list": _specimen_vulnerable_list,
}
