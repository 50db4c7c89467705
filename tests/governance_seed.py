"""A small community for the oversight tests: 2 grids, 20 households, 40 residents, a chief and a worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.models import Building, Grid, Household, Resident
from shequ_desktop.services.context import AppContext, CurrentUser


@dataclass
class Town:
    grids: list[str]
    households: list[str]
    residents: list[str]          # 40: the first 24 in grid 0, the rest in grid 1
    chief: AppContext
    worker: AppContext
    admin: AppContext


def seed(ctx: AppContext, per_grid: tuple[int, int] = (12, 8)) -> Town:
    grids, households, residents = [], [], []
    with ctx.transaction() as s:
        for gi, n_households in enumerate(per_grid):
            grid = Grid(community_id=ctx.community_id, code=f"G{gi + 1}", name=f"第{'一二'[gi]}网格")
            s.add(grid)
            s.flush()
            grids.append(grid.id)
            b = Building(community_id=ctx.community_id, grid_id=grid.id, name=f"幸福里{gi + 1}栋",
                         address=f"幸福里{gi + 1}栋")
            s.add(b)
            s.flush()
            for h in range(n_households):
                hh = Household(community_id=ctx.community_id, building_id=b.id, room_no=f"{h + 1}01",
                               address=f"幸福里{gi + 1}栋{h + 1}01室")
                s.add(hh)
                s.flush()
                households.append(hh.id)
                for k in range(2):
                    r = Resident(community_id=ctx.community_id, household_id=hh.id, grid_id=grid.id,
                                 name=f"{'张王'[k]}{'一二三四五六七八九十'[h % 10]}{gi}{h}", id_number=f"42011119800101{h:02d}{k}{gi}",
                                 birth_date=dt.date(1980, 1, 1), sex="M", phone=f"1380000{gi}{h:02d}{k}0")
                    s.add(r)
                    s.flush()
                    residents.append(r.id)
    chief = ctx.as_user(CurrentUser(id="t-chief", login="chief", display_name="王建国", role=Role.CHIEF))
    worker = ctx.as_user(CurrentUser(id="t-worker", login="worker1", display_name="李娜", role=Role.WORKER,
                                     grid_id=grids[0]))
    return Town(grids, households, residents, chief, worker, ctx)
