"""The demo's 同步冲突 is not empty: open conflicts stored as the hub stores them (remote journal rows,
never pushed back; the station's value is the hub's side, another workstation's value the losing one)."""

from __future__ import annotations

from sqlalchemy import select

from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.journal import ChangeJournal
from shequ_desktop.persistence.models import Resident
from shequ_desktop.services import sync
from tests.conftest import as_role


def test_the_demo_has_conflicts_waiting_for_the_chief(demo_ctx) -> None:
    chief = as_role(demo_ctx, Role.CHIEF, "chief")
    open_ = sync.conflicts(chief)
    assert {c.field for c in open_} == {"phone", "address"}
    with demo_ctx.transaction() as s:
        for c in open_:
            resident = s.get(Resident, c.entity_id)
            assert c.entity == "resident" and c.remote_value == getattr(resident, c.field)
            assert c.local_value and c.local_value != c.remote_value and c.from_user == "clerk1"
            assert "*" in c.object_text and resident.name not in c.object_text        # named, masked
            journal = s.execute(select(ChangeJournal).where(ChangeJournal.entity_id == c.id)).scalars().all()
            assert [j.origin for j in journal] == ["remote"]            # never sent to a hub as this station's
    sync.resolve_conflict(chief, open_[0].id, "remote")                 # the chief can decide it
    assert len(sync.conflicts(chief)) == len(open_) - 1
