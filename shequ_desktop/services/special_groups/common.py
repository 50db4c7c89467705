"""What the special-group services share: access rules, lookups, the effective records behind a schedule."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from shequ_desktop.domain import special_groups as sg
from shequ_desktop.domain.errors import NotFound, PermissionDenied
from shequ_desktop.domain.schedules import Period, period_start
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.models import Building, Household, Resident
from shequ_desktop.persistence.special_groups_models import (Assessment, ContactLog, FileReview, RosterMember,
                                                             SpecialFile)
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.policy import current_policy


# What this module's audit entries say (message ids + parameters, read in the reader's language; see audit.describe).
# ``purpose_msg`` is translated too when it is one of the PURPOSE_ ids, and shown as typed otherwise.
MSG_SG_REVEALED_PHONE = "Showed the full phone number of {name} (special-group file). {purpose_msg}"
MSG_SG_REVEALED_ID = "Showed the full ID number of {name} (special-group file). {purpose_msg}"
MSG_SG_REVEALED_HEALTH = "Showed the disability and health data of {name} (special-group file). {purpose_msg}"
MSG_SG_REVEALED_MEMBER_PHONE = "Showed the full phone number of {name}, on the roster of {resident}. {purpose_msg}"
MSG_SG_VULNERABLE_LIST = "Listed {count} vulnerable residents of a building with full phone numbers (emergency)."
MSG_SG_PRINTED_FIELD_SHEET = "Printed the week's visit list of {login} ({count} people)."
MSG_SG_PRINTED_VOLUNTEER_SHEET = "Printed the volunteer sheet of {login} ({count} people)."
MSG_SG_PRINTED_REVIEW = "Printed the review worksheet of {name}."
MSG_PURPOSE_MY_DAY = "For a call from My day."
MSG_PURPOSE_FILE = "Opened from the file."
MSG_PURPOSE_ASSESSMENT = "For the needs assessment."


def require_work(ctx: AppContext) -> None:
    ctx.require(Permission.SPECIAL_WORK)


def sees_all(ctx: AppContext) -> bool:
    return ctx.may(Permission.SPECIAL_ALL)


def rules(ctx: AppContext) -> sg.ScheduleRules:
    return sg.ScheduleRules.from_policy(current_policy(ctx).to_dict())


def may_see(ctx: AppContext, group: str, team_logins: Iterable[str]) -> bool:
    """§7: a child's file only for the child's team, the chief and the admin."""
    if sees_all(ctx):
        return True
    if not ctx.may(Permission.SPECIAL_WORK):
        return False
    return group != "child" or ctx.user.login in set(team_logins)


def team_logins(s: Session, file_ids: Sequence[str] | Select) -> dict[str, set[str]]:
    """Logins of the active staff members of each file's roster."""
    out: dict[str, set[str]] = defaultdict(set)
    for chunk in _chunks(file_ids):
        for fid, login in s.execute(select(RosterMember.file_id, RosterMember.login).where(
                RosterMember.file_id.in_(chunk), RosterMember.active_to.is_(None), RosterMember.login != "",
                RosterMember.deleted_at.is_(None))):
            out[fid].add(login)
    return out


def get_file(s: Session, ctx: AppContext, file_id: str) -> SpecialFile:
    f = s.get(SpecialFile, file_id)
    if f is None or f.deleted_at is not None or f.community_id != ctx.community_id:
        raise NotFound("This file does not exist.")
    return f


def get_visible_file(s: Session, ctx: AppContext, file_id: str) -> SpecialFile:
    require_work(ctx)
    f = get_file(s, ctx, file_id)
    if not may_see(ctx, f.group, team_logins(s, [f.id]).get(f.id, set())):
        raise PermissionDenied("Only the child's support team, the station chief and the admin may open this file.")
    return f


def _chunks(ids: Sequence[str] | Select, size: int = 500) -> Iterable[Sequence[str] | Select]:
    """Id lists in chunks for ``IN``; a SELECT of ids is used whole, as a subquery (no parameters to bind —
    thousands of literal ids cost more to compile than the query takes to run)."""
    if isinstance(ids, Select):
        yield ids
        return
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def effective(rows: Iterable[tuple[str, str | None]]) -> set[str]:
    """Ids of append-only entries that no later entry corrects (a correction replaces the old one)."""
    rows = list(rows)
    corrected = {c for _i, c in rows if c}
    return {i for i, _c in rows if i not in corrected}


def resolutions(s: Session, file_ids: Sequence[str] | Select, since: dt.date, with_notes: bool = True
                ) -> tuple[dict[str, dict[str, list[dt.date]]], dict[str, dt.date], dict[str, tuple[dt.date, str]]]:
    """Per file: the dates that count for each task kind (sorted), the latest planned next date, the last contact.

    A contact counts for its task kind when it is effective (no later entry corrects it), not retracted, its
    outcome counts (reached / refused) and its author's role is one the rule allows (COUNTS_BY). One query reads
    the contacts of all the files (the planned date and the last contact come from the same rows); the notes of
    the last contact only when asked (the chief's overview does not show them).
    """
    resolved: dict[str, dict[str, list[dt.date]]] = defaultdict(lambda: defaultdict(list))
    planned: dict[str, dt.date] = {}
    last: dict[str, tuple[dt.date, str]] = {}
    kind_for = {v: k for k, v in sg.RESOLVED_BY.items()}
    counts_for = {(kind, role): kind_for[kind] for task, kind in sg.RESOLVED_BY.items()
                  for role in sg.COUNTS_BY[task]}
    counting = sg.COUNTING_OUTCOMES
    # A record counts for its whole period, also before the day tracking started: contacts (weekly/monthly
    # periods) from the first day of that month, assessments and reviews (up to a year) from that year's start.
    contacts_since = period_start(since, Period.MONTH) - dt.timedelta(days=6)
    records_since = period_start(since, Period.YEAR)
    conn = s.connection()
    corrected = set(conn.execute(select(ContactLog.corrects_id).where(ContactLog.corrects_id.is_not(None))).scalars())
    cols = [ContactLog.id, ContactLog.file_id, ContactLog.kind, ContactLog.contact_on, ContactLog.by_role,
            ContactLog.outcome, ContactLog.retracted, ContactLog.next_date]
    if with_notes:
        cols.append(ContactLog.notes)
    for chunk in _chunks(file_ids):
        for row in conn.execute(select(*cols).where(ContactLog.file_id.in_(chunk), ContactLog.deleted_at.is_(None),
                                                    ContactLog.contact_on >= contacts_since)).all():
            cid, fid, kind, on, role, outcome, retracted, nxt = row[:8]
            if corrected and cid in corrected:
                continue
            prev = last.get(fid)
            if prev is None or on > prev[0]:
                last[fid] = (on, row[8] if with_notes else "")
            if nxt is not None and (fid not in planned or nxt > planned[fid]):
                planned[fid] = nxt
            if outcome in counting and not retracted:
                task = counts_for.get((kind, role))
                if task is not None:
                    resolved[fid][task].append(on)
        for model, date_col, kind in ((Assessment, Assessment.assessed_on, "assessment"),
                                      (FileReview, FileReview.reviewed_on, "review")):
            rows2 = conn.execute(select(model.id, model.corrects_id, model.file_id, date_col).where(
                model.file_id.in_(chunk), date_col >= records_since, model.deleted_at.is_(None))).all()
            keep2 = effective((r[0], r[1]) for r in rows2)
            for rid, _c, fid, on in rows2:
                if rid in keep2:
                    resolved[fid][kind].append(on)
    for per_kind in resolved.values():
        for dates in per_kind.values():
            dates.sort()
    return resolved, planned, last


class ResidentFacts:
    """Name, numbers and address of residents, fetched in one query per batch."""

    __slots__ = ("name", "id_number", "phone", "address", "birth_date", "building", "building_id", "unit", "room",
                 "deleted")

    def __init__(self, row: Sequence[object]) -> None:
        (self.name, self.id_number, self.phone, self.address, self.birth_date, self.building, self.building_id,
         self.unit, self.room, self.deleted) = row  # type: ignore[misc]


def resident_facts(s: Session, resident_ids: Iterable[str] | Select) -> dict[str, ResidentFacts]:
    ids = resident_ids if isinstance(resident_ids, Select) else list(set(resident_ids))
    out: dict[str, ResidentFacts] = {}
    for chunk in _chunks(ids):
        q = (select(Resident.id, Resident.name, Resident.id_number, Resident.phone, Resident.address,
                    Resident.birth_date, Building.name, Building.id, Household.unit_no, Household.room_no,
                    Resident.deleted_at)
             .outerjoin(Household, Household.id == Resident.household_id)
             .outerjoin(Building, Building.id == Household.building_id)
             .where(Resident.id.in_(chunk)))
        for row in s.connection().execute(q).all():
            out[row[0]] = ResidentFacts(row[1:])
    return out


class Rosters:
    """The active members of many files' rosters, read in one query: who answers for each file (single roles),
    how many members each role has (to find incomplete rosters) and the logins of each team (§7 access)."""

    __slots__ = ("staff", "counts", "teams")

    def __init__(self) -> None:
        self.staff: dict[str, dict[str, tuple[str, str]]] = defaultdict(dict)
        self.counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.teams: dict[str, set[str]] = defaultdict(set)


def active_rosters(s: Session, file_ids: Sequence[str] | Select) -> Rosters:
    out = Rosters()
    single = sg.SINGLE_ROLES
    conn = s.connection()
    for chunk in _chunks(file_ids):
        for fid, role, login, name in conn.execute(select(
                RosterMember.file_id, RosterMember.role, RosterMember.login, RosterMember.name).where(
                RosterMember.file_id.in_(chunk), RosterMember.active_to.is_(None),
                RosterMember.deleted_at.is_(None)).order_by(RosterMember.active_from)).all():
            out.counts[fid][role] += 1
            if login:
                out.teams[fid].add(login)
            if role in single:
                out.staff[fid][role] = (login, name)
    return out


def resident_removed(s: Session, resident_ids: Iterable[str] | Select) -> dict[str, dt.datetime | None]:
    """When the registry removed each resident (None: still registered) — one narrow query (R51)."""
    ids = resident_ids if isinstance(resident_ids, Select) else list(set(resident_ids))
    out: dict[str, dt.datetime | None] = {}
    for chunk in _chunks(ids):
        out.update(s.connection().execute(select(Resident.id, Resident.deleted_at).where(Resident.id.in_(chunk))).all())
    return out


def active_staff(s: Session, file_ids: Sequence[str] | Select) -> dict[str, dict[str, tuple[str, str]]]:
    """Per file and role: (login, name) of the active single-role members (worker, volunteer, coordinator …)."""
    return active_rosters(s, file_ids).staff


def responsible_login(group: str, staff: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """The worker who answers for a file's schedule: the social worker, for the disabled the coordinator."""
    for role in (("coordinator", "worker") if group == "disabled" else ("worker",)):
        if role in staff:
            return staff[role]
    return ("", "")


def roles_needing_login() -> frozenset[str]:
    """Staff roles: named by their login so every station knows who they are (app_user rows are per PC)."""
    return frozenset({"worker", "coordinator"})
