"""A restored backup gets back, from the hub, what this very workstation entered after the backup."""

from __future__ import annotations

from sqlalchemy import select

from shequ_desktop.persistence.db import open_database
from shequ_desktop.persistence.models import Resident
from shequ_desktop.services import backup, residents, sync
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.residents import ResidentInput


def test_changes_made_after_the_backup_come_back_after_a_restore(stations, tmp_path) -> None:  # noqa: ANN001
    a, _b = stations
    first = residents.create(a, ResidentInput(name="赵一", id_number="11010519491231002X", phone="13800000001"))
    assert sync.sync_now(a).ok
    saved = backup.backup_to(a, tmp_path / "backups")
    second = residents.create(a, ResidentInput(name="钱二", id_number="110105194001010018"))
    residents.update(a, first.id, ResidentInput(name="赵一", id_number="11010519491231002X",
                                                phone="13911112222"), expected_version=first.version)
    assert sync.sync_now(a).ok
    path = a.db.path
    a.db.dispose()
    backup.restore_file(path, saved.path)
    restored = AppContext(db=open_database(path), clock=a.clock, user=a.user)
    restored.station_id, restored.community_id = a.station_id, a.community_id
    with restored.transaction() as s:                 # the backup predates the second resident and the edit
        assert s.get(Resident, second.id) is None
        assert s.get(Resident, first.id).phone == "13800000001"
    res = sync.sync_now(restored)
    assert res.ok, res.problem
    with restored.transaction() as s:                 # this station's own changes, back from the hub
        assert s.get(Resident, second.id) is not None
        assert s.get(Resident, first.id).phone == "13911112222"
        assert len(s.execute(select(Resident)).scalars().all()) == 2
    assert [r.name for r in residents.search(restored, "钱二")] == ["钱二"]
    restored.db.dispose()
