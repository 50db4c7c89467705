"""Who a record is credited to (考核到人): a stored worker reference → the worker's login and name.

Records name their worker by login since revision 0021_staff (a value still holding another
station's old local user id is marked ``?<id>``, see services/staff.py); names come from the synced staff
directory, so a login means the same person with the same name on every workstation. Every KPI record goes through
:func:`directory` so that a worker's own figures match by login — the name that means the same person
on every workstation — and only this module changes when the references change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from shequ_desktop.domain.indicators import Indicator, IndicatorRecord, indicator
from shequ_desktop.persistence.models import Grid, User


@dataclass(frozen=True)
class Worker:
    login: str          # "" = nobody (an undispatched request)
    name: str


NOBODY = Worker("", "")


class WorkerDirectory:
    """Resolves a reference that is either a local user id or a login (unknown ones stay as they are)."""

    __slots__ = ("_by_ref",)

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        self._by_ref: dict[str, Worker] = {}
        for _id, login, name in rows:
            self._by_ref[login] = Worker(login, name)
        for user_id, login, name in rows:      # ids win over a login that happens to look like an id
            self._by_ref[user_id] = Worker(login, name)

    def resolve(self, ref: str | None) -> Worker:
        if not ref:
            return NOBODY
        return self._by_ref.get(ref) or Worker(ref, ref)

    def name(self, ref: str | None) -> str:
        return self.resolve(ref).name


def directory(s: Session) -> WorkerDirectory:
    """This PC's users (an old local id still resolves) and the community's staff directory (a login of
    another station gets its name there; the directory's name wins for every login)."""
    from shequ_desktop.services import staff
    names = staff.names(s)
    rows = [(uid, login, names.get(login, name))
            for uid, login, name in s.execute(select(User.id, User.login, User.display_name)).all()]
    return WorkerDirectory(rows + [(login, login, name) for login, name in names.items()])


def logins_of(detail: dict[str, object]) -> tuple[str, ...]:
    """The logins a KPI record is credited to (``detail["logins"]``)."""
    return tuple(detail.get("logins") or ())  # type: ignore[arg-type]


def credited_logins(record: IndicatorRecord) -> tuple[str, ...]:
    """The keys a record counts for: its logins, or ``("",)`` for nobody (an undispatched request, a
    survey of a file without a responsible worker). Never a name: two workers may share one."""
    return logins_of(record.detail) or ("",)  # type: ignore[arg-type]


def split_by_login(ind: Indicator) -> dict[str, Indicator]:
    """The figure per worker login in one pass (a mediation case counts for each of its mediators);
    records of nobody under ""."""
    per: dict[str, list[IndicatorRecord]] = {}
    for r in ind.records:
        for login in credited_logins(r):
            per.setdefault(login, []).append(r)
    return {login: indicator(ind.key, ind.target, rs) for login, rs in sorted(per.items())}


def labels(s: Session, logins: Iterable[str]) -> dict[str, str]:
    """login → the words that name the worker on screen and paper: the name, and where another worker
    of the community has the same name, the grid and login too (张伟 (一网格 · zhangwei2)), so two
    张伟 are never one line. A login nobody describes is shown as itself."""
    from shequ_desktop.persistence.staff_models import StaffMember
    wanted = {x for x in logins if x}
    people: dict[str, tuple[str, str | None]] = {
        login: (name, grid) for login, name, grid in s.execute(select(User.login, User.display_name, User.grid_id))}
    people.update({login: (name, grid) for login, name, grid in s.execute(
        select(StaffMember.login, StaffMember.display_name, StaffMember.grid_id)
        .where(StaffMember.deleted_at.is_(None)))})
    by_name: dict[str, int] = {}
    for name, _grid in people.values():       # the whole community: a label does not change with the period
        by_name[name] = by_name.get(name, 0) + 1
    grids = dict(s.execute(select(Grid.id, Grid.name)).all()) if any(
        by_name.get(people[x][0], 0) > 1 for x in wanted if x in people) else {}
    out: dict[str, str] = {}
    for login in wanted:
        if login not in people:
            out[login] = login
            continue
        name, grid = people[login]
        if by_name.get(name, 0) > 1:
            where = grids.get(grid or "", "")
            out[login] = f"{name} ({where} · {login})" if where else f"{name} ({login})"
        else:
            out[login] = name
    return out


@dataclass(frozen=True)
class WorkerFigure:
    """One worker's share of a figure: ``login`` "" = nobody (shown as such by the screen)."""

    login: str
    label: str
    figure: Indicator


def per_worker(s: Session, ind: Indicator) -> list[WorkerFigure]:
    """The figure split by login with each worker's label, nobody's share last. The KPI dashboard and the
    special-groups satisfaction view both split this way, so they credit the same worker."""
    split = split_by_login(ind)
    names = labels(s, split)
    rows = [WorkerFigure(login, names.get(login, login), fig) for login, fig in split.items() if login]
    rows.sort(key=lambda w: (w.label, w.login))
    if "" in split:
        rows.append(WorkerFigure("", "", split[""]))
    return rows


def survey_workers(s: Session, survey_ids: list[str]) -> dict[str, Worker]:
    """Per satisfaction survey: the worker responsible for the file on the survey's day (R36 is the
    worker's service being rated, not the surveyor's) — the file's social worker, for the disabled
    the coordinator first, as the roster stood that day. A survey of a file without one: nobody."""
    from shequ_desktop.persistence.special_groups_models import RosterMember, SpecialFile, Survey
    from shequ_desktop.services.special_groups.common import responsible_login
    out: dict[str, Worker] = {}
    for start in range(0, len(survey_ids), 500):
        chunk = survey_ids[start:start + 500]
        rows = s.connection().execute(
            select(Survey.id, SpecialFile.group, RosterMember.role, RosterMember.login, RosterMember.name)
            .join(SpecialFile, SpecialFile.id == Survey.file_id)
            .join(RosterMember, RosterMember.file_id == Survey.file_id)
            .where(Survey.id.in_(chunk), RosterMember.role.in_(("worker", "coordinator")),
                   RosterMember.deleted_at.is_(None), RosterMember.active_from <= Survey.surveyed_on,
                   (RosterMember.active_to.is_(None)) | (RosterMember.active_to > Survey.surveyed_on))
            .order_by(RosterMember.active_from)).all()
        staff: dict[str, dict[str, tuple[str, str]]] = {}
        groups: dict[str, str] = {}
        for survey_id, group, role, login, name in rows:     # the latest member of each role wins
            staff.setdefault(survey_id, {})[role] = (login, name)
            groups[survey_id] = group
        for survey_id, roles in staff.items():
            login, name = responsible_login(groups[survey_id], roles)
            if login or name:
                out[survey_id] = Worker(login, name)
    return out
