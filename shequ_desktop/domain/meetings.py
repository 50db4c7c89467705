"""A meeting record every module can use: invite list by category, attendance, minutes, outcome.

The residents' deliberation council (居民议事会, R27) of a mediation case is the first user; the
residents' representative meeting and the joint meetings reuse the same record with other kinds.
"""

from __future__ import annotations

from collections.abc import Iterable

COUNCIL = "deliberation_council"
MEETING_KINDS = (COUNCIL, "representatives", "joint")
MEETING_KIND_ZH = {COUNCIL: "居民议事会", "representatives": "居民代表会议", "joint": "联席会议"}
MEETING_STATES = ("planned", "held", "cancelled")

# Invitee categories; R27 names the first three for the deliberation council.
PARTY, BUILDING_HEAD, PARTY_MEMBER_REP = "party", "building_head", "party_member_rep"
CATEGORIES = (PARTY, BUILDING_HEAD, PARTY_MEMBER_REP, "resident_rep", "official", "other")
CATEGORY_ZH = {PARTY: "当事人", BUILDING_HEAD: "楼栋长", PARTY_MEMBER_REP: "党员代表", "resident_rep": "居民代表",
               "official": "工作人员", "other": "其他"}
CATEGORY_MSGIDS = {PARTY: "Parties", BUILDING_HEAD: "Building heads", PARTY_MEMBER_REP: "Party-member representatives",
                   "resident_rep": "Residents' representatives", "official": "Officials", "other": "Others"}
REQUIRED_CATEGORIES = {COUNCIL: (PARTY, BUILDING_HEAD, PARTY_MEMBER_REP)}


def missing_categories(kind: str, categories: Iterable[str]) -> list[str]:
    """Categories the kind of meeting must invite that are not on the invite list."""
    present = set(categories)
    return [c for c in REQUIRED_CATEGORIES.get(kind, ()) if c not in present]
