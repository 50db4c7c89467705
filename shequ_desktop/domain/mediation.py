"""Dispute mediation (矛盾调解) rules: levels, kinds, states, clocks per level, the agreement's effect.

Rules: DOMAIN.md R24–R29, R35, §1.1 (人民调解法 §17, §26–§33), §1.3, §4.6. The English message ids
below are translated by the UI; printed papers use the Chinese labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from shequ_desktop.domain.clocks import ClockRule

# --- levels (R24) -----------------------------------------------------------------------------
GRID, COMMUNITY, SUBDISTRICT = "grid", "community", "subdistrict"
LEVELS = (GRID, COMMUNITY, SUBDISTRICT)
LEVEL_ZH = {GRID: "网格", COMMUNITY: "社区", SUBDISTRICT: "街道"}
LEVEL_MSGIDS = {GRID: "Grid", COMMUNITY: "Community", SUBDISTRICT: "Subdistrict"}

# --- kinds and sources ----------------------------------------------------------------------------
KINDS = ("neighbours", "property", "family", "tenancy", "debt", "labour", "other")
KIND_ZH = {"neighbours": "邻里纠纷", "property": "物业纠纷", "family": "婚姻家庭纠纷", "tenancy": "房屋租赁纠纷",
           "debt": "债务纠纷", "labour": "劳务纠纷", "other": "其他纠纷"}
KIND_MSGIDS = {"neighbours": "Neighbours", "property": "Property management", "family": "Family",
               "tenancy": "Landlord and tenant", "debt": "Debt", "labour": "Labour", "other": "Other"}
SOURCES = ("patrol", "walk_in", "hotline", "work_order")
SOURCE_ZH = {"patrol": "网格巡查", "walk_in": "群众来访", "hotline": "热线转办", "work_order": "工单转办"}
SOURCE_MSGIDS = {"patrol": "Patrol", "walk_in": "Walk-in", "hotline": "Hotline", "work_order": "Work order"}

# --- states (DOMAIN §1.1 [INF]) ------------------------------------------------------------------------
OPEN = "open"
SETTLED_WRITTEN, SETTLED_ORAL, FAILED, REFUSED = "settled_written", "settled_oral", "failed", "refused"
STATES = (OPEN, SETTLED_WRITTEN, SETTLED_ORAL, FAILED, REFUSED)
CLOSED_STATES = (SETTLED_WRITTEN, SETTLED_ORAL, FAILED, REFUSED)
SETTLED = (SETTLED_WRITTEN, SETTLED_ORAL)
STATE_ZH = {OPEN: "调解中", SETTLED_WRITTEN: "调解成功（书面协议）", SETTLED_ORAL: "调解成功（口头协议）",
            FAILED: "调解不成功", REFUSED: "当事人拒绝调解"}
STATE_MSGIDS = {OPEN: "In mediation", SETTLED_WRITTEN: "Settled (written agreement)",
                SETTLED_ORAL: "Settled (oral agreement)", FAILED: "Mediation failed", REFUSED: "Party refused mediation"}

# --- parties -----------------------------------------------------------------------------------------
PARTY, AGENT = "party", "agent"
PARTY_ROLES = (PARTY, AGENT)
SIDE_ZH = "甲乙丙丁戊己庚辛壬癸"

# --- clocks (R26, R27, R29) --------------------------------------------------------------------------
ONSPOT, COUNCIL, REPORT = "onspot", "council", "report"
CLOCK_KINDS = ("", ONSPOT, COUNCIL, REPORT)
CLOCK_ZH = {ONSPOT: "当场调解24小时办结", COUNCIL: "组织居民议事会", REPORT: "上报街道并联合司法所/律所介入"}
CLOCK_MSGIDS = {ONSPOT: "Settle on the spot", COUNCIL: "Hold the deliberation council",
                REPORT: "Report to the subdistrict"}

# --- follow-up (履行情况回访) ----------------------------------------------------------------------------
PERFORMANCE = ("performed", "partly", "not_performed")
PERFORMANCE_ZH = {"performed": "已履行", "partly": "部分履行", "not_performed": "未履行"}
PERFORMANCE_MSGIDS = {"performed": "Performed", "partly": "Partly performed", "not_performed": "Not performed"}

CONFIRMATION_DAYS = 30   # 人民调解法 §33: joint application for judicial confirmation within 30 days
OTHER_ROUTES = ("当事人可以依法通过仲裁、行政、司法等途径维护自己的权利（《中华人民共和国人民调解法》第二十六条）。"
                "可向劳动人事争议仲裁委员会或仲裁机构申请仲裁，向有关行政机关申请处理，或者向人民法院提起诉讼。")


def clock_for(level: str, multi_party: bool, policy: Mapping[str, object]) -> tuple[str, ClockRule | None]:
    """The clock a case starts on entering ``level`` (policy profile values; None: no clock).

    Grid: settled on the spot within 24 h elapsed (R26). Community: a multi-party dispute gets a
    residents' deliberation council within 3 working days (R27). Subdistrict: a complex dispute is
    reported within 5 working days, with the judicial office or a law firm named (R29).
    """
    if level == GRID:
        return ONSPOT, ClockRule.hours(int(str(policy["onspot_mediation_hours"])))
    if level == COMMUNITY:
        if multi_party:
            return COUNCIL, ClockRule.working_days(int(str(policy["council_wd"])))
        return "", None
    if level == SUBDISTRICT:
        return REPORT, ClockRule.working_days(int(str(policy["complex_dispute_wd"])))
    raise ValueError(level)


def level_rank(level: str) -> int:
    return LEVELS.index(level)


def side_label(index: int) -> str:
    """甲方, 乙方, 丙方 … for the agreement (index from 0)."""
    return (SIDE_ZH[index] if index < len(SIDE_ZH) else str(index + 1)) + "方"


# --- the written agreement (人民调解法 §29, DOMAIN §4.6) --------------------------------------------------
SIGN_MARKS = ("signed", "sealed", "fingerprint")


@dataclass(frozen=True)
class AgreementMarks:
    """Per party: signed / sealed / fingerprinted; the mediator's signature; the committee's seal."""

    parties: Mapping[str, Mapping[str, bool]]          # party id → {signed, sealed, fingerprint}
    mediator_signed: bool
    committee_sealed: bool


def party_done(marks: Mapping[str, bool]) -> bool:
    """A party has executed the agreement when it signed, sealed or fingerprinted it (any one)."""
    return any(bool(marks.get(k)) for k in SIGN_MARKS)


def missing_elements(party_ids: Iterable[str], marks: AgreementMarks) -> list[str]:
    """What is still missing before the agreement takes effect: party ids, 'mediator', 'seal'."""
    missing = [p for p in party_ids if not party_done(marks.parties.get(p, {}))]
    if not marks.mediator_signed:
        missing.append("mediator")
    if not marks.committee_sealed:
        missing.append("seal")
    return missing


def copies(parties: int) -> int:
    """Each party keeps one, the committee keeps one (§29)."""
    return parties + 1


def confirmation_window_end(effective: dt.date) -> dt.date:
    """Last day of the 30-day window for joint judicial confirmation (§33; the start day not counted)."""
    return effective + dt.timedelta(days=CONFIRMATION_DAYS)


def agreement_no(year: int, committee_short: str, n: int) -> str:
    """（2026）幸福里社区调委会调字第7号."""
    return f"（{year}）{committee_short}调字第{n}号"


def file_no(year: int, committee_short: str, n: int) -> str:
    """The archive file number (卷宗号): （2026）幸福里社区调委会调卷第3号."""
    return f"（{year}）{committee_short}调卷第{n}号"


def counts_for_success(state: str) -> bool | None:
    """§1.3: settled (written/oral) counts, failed does not, refused and open are outside the rate."""
    if state in SETTLED:
        return True
    if state == FAILED:
        return False
    return None
