"""Demo: sync conflicts waiting for the station chief, so 同步冲突 is not empty on a first start.

Stored exactly as a real conflict arrives from the hub: a ``sync_conflict`` record written by the hub
(journaled as a remote change, never pushed back), the values JSON-encoded as the hub encodes them —
this station's clerk's edit that lost (``local_value``, ``from_station`` this station) and the value the hub
kept (another workstation's, which this store shows since the pull).
"""

from __future__ import annotations

import datetime as dt
import random
import re

from sqlalchemy import literal_column, select

from shequ_desktop.domain.ids import new_id
from shequ_desktop.persistence.journal import Actor
from shequ_desktop.persistence.models import Resident
from shequ_desktop.persistence.sync_models import SyncConflict
from shequ_desktop.services.context import AppContext
from shequ_desktop.sync import protocol as P

CLERK = "clerk1"                 # the demo clerk whose edit met another workstation's


def generate(ctx: AppContext, seed: int = 20261203) -> int:
    """Two open conflicts on residents (a phone, an address); returns how many."""
    rng = random.Random(seed)
    now = ctx.clock.now()
    with ctx.transaction() as s:
        people = s.execute(select(Resident).where(Resident.deleted_at.is_(None), Resident.phone != "")
                           .order_by(literal_column("resident.rowid")).limit(40)).scalars().all()   # as made
        if len(people) < 2:
            return 0
        first, second = rng.sample(list(people), 2)
        other_phone = "139" + f"{rng.randint(0, 99_999_999):08d}"
        # this station's clerk typed another room of the same building
        other_address = re.sub(r"\d+室$", f"{rng.randint(1, 18)}0{rng.randint(1, 4)}室", second.address or "") \
            or "幸福里小区1栋1单元101室"
        s.info["actor"] = Actor(login="hub", station_id=P.HUB_STATION, clock=ctx.clock, applying_remote=True)
        made = 0
        for resident, field, theirs, hours in ((first, "phone", other_phone, 20),
                                               (second, "address", other_address[:200], 3)):
            s.add(SyncConflict(
                id=new_id(), community_id=ctx.community_id, entity="resident", entity_id=resident.id, field=field,
                local_value=P.dumps(theirs).decode(), remote_value=P.dumps(getattr(resident, field)).decode(),
                base_version=max(0, (resident.version or 1) - 1), target_version=resident.version or 1,
                change_id=new_id(), from_station=ctx.station_id, from_user=CLERK, status="open",
                created_at=now - dt.timedelta(hours=hours), updated_at=now - dt.timedelta(hours=hours),
                updated_by="hub", version=1))
            made += 1
        s.flush()
    return made
