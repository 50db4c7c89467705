"""What the special-group services share: access rules, lookups, the effective records behind a schedule."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, Select, String, and_, case, func, or_, select, type_coerce
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
    outcome counts (reached / refused) and its author's role is one the rule allows (COUNTS_BY). The database
    does the sorting out (:func:`_contact_summary`): one row per file with the counting dates of each task kind, the
    latest contact and the latest planned date — not one Python row per contact, which made the chief's overview
    slow (a year of weekly calls for 2,500 people is 130,000 contacts). The notes of the last contact only when
    asked (the chief's overview does not show them).
    """
    resolved: dict[str, dict[str, list[dt.date]]] = defaultdict(lambda: defaultdict(list))
    planned: dict[str, dt.date] = {}
    last: dict[str, tuple[dt.date, str]] = {}
    # A record counts for its whole period, also before the day tracking started: contacts (weekly/monthly
    # periods) from the first day of that month, assessments and reviews (up to a year) from that year's start.
    contacts_since = period_start(since, Period.MONTH) - dt.timedelta(days=6)
    records_since = period_start(since, Period.YEAR)
    conn = s.connection()
    any_corrected = conn.execute(select(ContactLog.id).where(ContactLog.corrects_id.is_not(None)).limit(1)).first()
    day = _day_parser()
    seen: dict[str, tuple[str, dt.date]] = {}   # token → (task, day): a few hundred distinct ones
    for chunk in _chunks(file_ids):
        for fid, tokens, last_on, next_on in conn.execute(
                _contact_summary(chunk, contacts_since, any_corrected is not None)).all():
            if tokens:
                per_kind = resolved[fid]
                for token in tokens.split(","):
                    parsed = seen.get(token)
                    if parsed is None:
                        task, _sep, on = token.partition(":")
                        parsed = seen[token] = (task, day(on))
                    per_kind[parsed[0]].append(parsed[1])
            last[fid] = (day(last_on), "")
            if next_on is not None:
                planned[fid] = day(next_on)
        if with_notes:
            # the notes of the latest contact (of the latest day, the one recorded last): SQLite takes a bare
            # column from the row that holds the max()
            raw = ContactLog.__table__.c
            latest = func.max(type_coerce(raw.contact_on, String) + " " + type_coerce(raw.recorded_at, String))
            for fid, _latest, notes in conn.execute(
                    select(ContactLog.file_id, latest, ContactLog.notes)
                    .where(*_effective_contacts(chunk, contacts_since, any_corrected is not None))
                    .group_by(ContactLog.file_id)).all():
                if fid in last:
                    last[fid] = (last[fid][0], notes)
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


def _effective_contacts(chunk: Sequence[str] | Select, since: dt.date, corrections: bool) -> list:
    """WHERE of the contacts of some files since a day that no later entry corrects."""
    cond = [ContactLog.file_id.in_(chunk), ContactLog.deleted_at.is_(None), ContactLog.contact_on >= since]
    if corrections:
        cond.append(ContactLog.id.not_in(select(ContactLog.corrects_id).where(ContactLog.corrects_id.is_not(None))))
    return cond


@functools.lru_cache(maxsize=1)
def _counting_token() -> ColumnElement:
    """``task:`` for a contact that counts for a task kind, NULL otherwise: its kind resolves the task
    (RESOLVED_BY), its author's role may make it (COUNTS_BY), the outcome counts and it was not retracted."""
    counting = and_(ContactLog.outcome.in_(sorted(sg.COUNTING_OUTCOMES)), ContactLog.retracted.is_(False))
    return case(*[(and_(ContactLog.kind == kind, ContactLog.by_role.in_(sorted(sg.COUNTS_BY[task])), counting),
                   f"{task}:") for task, kind in sg.RESOLVED_BY.items()], else_=None)


def _contact_summary(chunk: Sequence[str] | Select, since: dt.date, corrections: bool) -> Select:
    """One row per file, in the order of the contacts index (no sorting): ``task:YYYY-MM-DD`` of each counting
    contact, comma-joined in date order, the latest contact day and the latest planned day, all as text
    (``_day_parser`` turns the few distinct days into dates once)."""
    raw = ContactLog.__table__.c
    day = type_coerce(raw.contact_on, String)
    return (select(ContactLog.file_id, func.group_concat(_counting_token() + day), func.max(day),
                   func.max(type_coerce(raw.next_date, String)))
            .where(*_effective_contacts(chunk, since, corrections))
            .group_by(ContactLog.file_id))


def _day_parser():  # noqa: ANN202
    """ISO text → date, each distinct day parsed once (a summary names the same few hundred days many times)."""
    memo: dict[str, dt.date] = {}

    def day(text: str) -> dt.date:
        d = memo.get(text)
        if d is None:
            d = memo[text] = dt.date.fromisoformat(text)
        return d
    return day


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
    """One row per file from the roster index, its members in the order they joined (``active_from``): a later
    member of a single role is the one that answers for it (two stations may have assigned one offline).
    Members without a login in a role that no rule counts (family, guardians) are not read."""
    out = Rosters()
    single = sg.SINGLE_ROLES
    counted = sorted(single | {r for roles in sg.REQUIRED_ROLES.values() for r in roles})
    member = RosterMember.role + _UNIT + RosterMember.login + _UNIT + RosterMember.name
    conn = s.connection()
    for chunk in _chunks(file_ids):
        for fid, members in conn.execute(select(RosterMember.file_id, func.group_concat(member, _RECORD)).where(
                RosterMember.file_id.in_(chunk), RosterMember.active_to.is_(None),
                RosterMember.deleted_at.is_(None), or_(RosterMember.role.in_(counted), RosterMember.login != ""))
                .group_by(RosterMember.file_id)).all():
            counts, staff, team = out.counts[fid], out.staff[fid], out.teams[fid]
            for m in members.split(_RECORD):
                role, login, name = m.split(_UNIT)
                counts[role] += 1
                if login:
                    team.add(login)
                if role in single:
                    staff[role] = (login, name)
    return out


# Separators of the members group_concat() joins (ASCII unit and record separators: never typed in a name).
_UNIT, _RECORD = "\x1f", "\x1e"


def resident_removed(s: Session, resident_ids: Iterable[str] | Select) -> dict[str, dt.datetime]:
    """When the registry removed each resident it removed (R51) — the others are not read (one narrow query)."""
    ids = resident_ids if isinstance(resident_ids, Select) else list(set(resident_ids))
    out: dict[str, dt.datetime] = {}
    for chunk in _chunks(ids):
        out.update(s.connection().execute(select(Resident.id, Resident.deleted_at).where(
            Resident.id.in_(chunk), Resident.deleted_at.is_not(None))).all())
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
