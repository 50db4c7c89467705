"""A worker's own KPI figures (R32–R36 per worker): only the records credited to their login, for every
role that works cases; satisfaction credited to the file's responsible worker on the survey's day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from shequ_desktop.domain import kpi as k
from shequ_desktop.domain.clock import FixedClock
from shequ_desktop.domain.errors import PermissionDenied
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.db import open_database
from shequ_desktop.persistence.models import Resident
from shequ_desktop.persistence.special_groups_models import RosterMember, SpecialFile, Survey
from shequ_desktop.services import auth, demo, kpi, worker_refs
from shequ_desktop.services.context import AppContext, CurrentUser
from shequ_desktop.services.station import ensure_station
from tests.conftest import START, as_role

ADMIN = CurrentUser(id="t-admin", login="tadmin", display_name="测试管理员", role=Role.ADMIN)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kpi-mine") / "demo.db"
    db = open_database(path)
    demo.generate(ensure_station(AppContext(db=db, clock=FixedClock(START), user=ADMIN)), households=200)
    db.dispose()
    return path


@pytest.fixture
def demo_ctx(demo_db: Path) -> Iterator[AppContext]:
    db = open_database(demo_db)
    yield ensure_station(AppContext(db=db, clock=FixedClock(START), user=ADMIN))
    db.dispose()


@pytest.mark.parametrize("login", ["worker1", "worker2", "clerk1"])
def test_a_worker_sees_exactly_the_records_credited_to_them(demo_ctx, login: str) -> None:  # noqa: ANN001
    me = demo_ctx.as_user(auth.login(demo_ctx, login, demo.DEMO_PASSWORD))
    station = kpi.compute(demo_ctx, "2026")
    mine = kpi.compute_mine(me, "2026")
    assert mine.workers() == [login]
    assert mine.label(login) == me.user.display_name
    total = 0
    for key in k.KEYS:
        expected = [r.ref for r in station[key].records if login in worker_refs.logins_of(r.detail)]
        assert [r.ref for r in mine[key].records] == expected
        # no other worker's record, and the figure is its list
        assert all(login in worker_refs.logins_of(r.detail) for r in mine[key].records)
        assert mine[key].numerator == len(mine[key].numerator_records())
        assert mine.per_worker(key) == {login: mine[key]}
        total += mine[key].denominator
    assert total > 0, "the demo gives every worker some records"


def test_every_case_working_role_may_see_its_own_figures_but_not_everyones(demo_ctx) -> None:  # noqa: ANN001
    for role in (Role.CLERK, Role.WORKER, Role.CHIEF):
        kpi.compute_mine(as_role(demo_ctx, role), "2026Q4")
    for role in (Role.CLERK, Role.WORKER):
        with pytest.raises(PermissionDenied):
            kpi.compute(as_role(demo_ctx, role), "2026Q4")


def test_satisfaction_is_credited_to_the_files_worker_on_the_survey_day_not_the_surveyor(ctx) -> None:  # noqa: ANN001
    with ctx.transaction() as s:
        person = Resident(community_id=ctx.community_id, name="王大爷", id_number="110101194001010011",
                          birth_date=dt.date(1940, 1, 1), sex="M")
        s.add(person)
        s.flush()
        f = SpecialFile(community_id=ctx.community_id, resident_id=person.id, group="elderly",
                        opened_on=dt.date(2026, 1, 5), tracked_from=dt.date(2026, 1, 5))
        s.add(f)
        s.flush()
        s.add(RosterMember(community_id=ctx.community_id, file_id=f.id, role="worker", login="wa", name="甲社工",
                           active_from=dt.date(2026, 1, 5), active_to=dt.date(2026, 6, 1)))
        s.add(RosterMember(community_id=ctx.community_id, file_id=f.id, role="worker", login="wb", name="乙社工",
                           active_from=dt.date(2026, 6, 1)))
        s.add(RosterMember(community_id=ctx.community_id, file_id=f.id, role="volunteer", login="", name="志愿者",
                           active_from=dt.date(2026, 1, 5)))
        for day, score in ((dt.date(2026, 5, 31), 5), (dt.date(2026, 6, 1), 2), (dt.date(2026, 9, 9), 4)):
            s.add(Survey(community_id=ctx.community_id, file_id=f.id, surveyed_on=day, score=score,
                         method="phone", surveyor="站长王建国"))
    report = kpi.compute(ctx, "2026")
    ind = report[k.SPECIAL_SATISFACTION]
    credited = sorted((r.detail["date"], r.owner, worker_refs.logins_of(r.detail)) for r in ind.records)
    assert credited == [(dt.date(2026, 5, 31), "甲社工", ("wa",)), (dt.date(2026, 6, 1), "乙社工", ("wb",)),
                        (dt.date(2026, 9, 9), "乙社工", ("wb",))]
    assert {r.detail["surveyor"] for r in ind.records} == {"站长王建国"}
    per = report.per_worker(k.SPECIAL_SATISFACTION)
    assert (per["wa"].numerator, per["wa"].denominator) == (1, 1)
    assert (per["wb"].numerator, per["wb"].denominator) == (1, 2)
    assert set(per) == {"wa", "wb"}
    mine = kpi.compute_mine(ctx.as_user(CurrentUser(id="u-b", login="wb", display_name="乙社工", role=Role.WORKER)),
                            "2026")
    assert mine[k.SPECIAL_SATISFACTION].denominator == 2
