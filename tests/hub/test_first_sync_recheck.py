"""A record a hub accepted before it checked values (real PostgreSQL hub): a new workstation's first sync
from the seed or snapshot no longer breaks on it — the seed is refused with the reason, the snapshot sends
the record apart and the workstation sets it aside (``sync status`` says so) and loads everything else."""

from __future__ import annotations

import pytest
import sqlalchemy
from sqlalchemy import select

from shequ_desktop.hub.store import SeedUnavailable
from shequ_desktop.persistence.models import Grid
from shequ_desktop.services import sync
from shequ_desktop.sync import bootstrap
from tests.hub.test_bootstrap import _connect


@pytest.fixture(autouse=True)
def _small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHEQU_CREDENTIAL_STORE", "file")
    monkeypatch.setattr(bootstrap, "SNAPSHOT_MIN_HEAD", 1)


def test_a_record_a_pre_check_hub_accepted_is_set_aside_on_first_sync(hub, tmp_path, clock, community_id):
    a = _connect(hub, tmp_path, "a", community_id, clock)
    ids = []
    with a.transaction() as s:
        for code, name in (("G1", "一网格"), ("G2", "二网格"), ("G3", "三网格")):
            g = Grid(community_id=community_id, code=code, name=name)
            s.add(g)
            s.flush()
            ids.append(g.id)
    assert sync.sync_now(a).ok
    with hub.store.engine.begin() as conn:            # what an older hub let in
        conn.execute(sqlalchemy.text("UPDATE entity_state SET doc = jsonb_set(doc, '{name}', '{\"x\": 1}') "
                                     "WHERE entity_id = :id"), {"id": ids[1]})
    with pytest.raises(SeedUnavailable, match="cannot store"):
        hub.store.build_seed(community_id, max_lag=0)
    c = _connect(hub, tmp_path, "c", community_id, clock)
    res = sync.sync_now(c)
    assert res.ok, res.problem
    with c.transaction() as s:
        names = {g.id: g.name for g in s.execute(select(Grid)).scalars()}
    assert names == {ids[0]: "一网格", ids[2]: "三网格"}
    st = sync.status(c)
    assert st.set_aside == 1 and "could not be applied" in st.problem
    [kept] = sync.set_aside(c)
    assert kept.entity_id == ids[1] and "name must be text" in kept.reason
    assert sync.sync_now(c).ok and sync.status(c).set_aside == 1       # once, not again on every sync
    a.db.dispose()
    c.db.dispose()
