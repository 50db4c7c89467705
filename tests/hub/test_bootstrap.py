"""First sync of an empty workstation from the hub's snapshot: all or nothing, search index built
alongside, then the ordinary pull of what came after (real PostgreSQL hub over HTTP)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from shequ_desktop.persistence.models import Resident
from shequ_desktop.services import residents, sync
from shequ_desktop.services.context import get_setting
from shequ_desktop.sync import bootstrap, engine
from shequ_desktop.sync.client import HubClient, HubRejected, HubUnavailable
from tests.hub.conftest import make_station
from tests.hub.test_bulk_pull import N, RESIDENT_INDEXES, _index_is_exact, _resident_indexes, _seed


@pytest.fixture(autouse=True)
def _small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHEQU_CREDENTIAL_STORE", "file")
    monkeypatch.setattr(bootstrap, "SNAPSHOT_MIN_HEAD", 1)


def _connect(hub, tmp_path, name: str, community_id: str, clock):  # noqa: ANN001
    ctx = make_station(tmp_path, name, community_id, clock, login=f"{name}_admin")
    sync.configure(ctx, hub.url, hub.store.add_station(name, community_id).token)
    return ctx


def _rows(ctx) -> dict[str, tuple[Any, ...]]:  # noqa: ANN001
    with ctx.transaction() as s:
        return {r.id: (r.name, r.id_number, r.phone, r.address, r.birth_date, r.version, r.deleted_at is not None,
                       r.updated_by) for r in s.execute(select(Resident)).scalars()}


def _live_person(ctx, people: list[tuple[str, str]]) -> tuple[str, str]:  # noqa: ANN001
    """The first of ``people`` still live in ``ctx`` (the tests tombstone a resident picked by id order,
    and UUIDv7 keys made in the same millisecond do not follow creation order)."""
    with ctx.transaction() as s:
        live = set(s.execute(select(Resident.id_number).where(Resident.deleted_at.is_(None))).scalars())
    return next(p for p in people if p[1] in live)


def _scratch_files(ctx) -> list[str]:  # noqa: ANN001
    return [p.name for p in ctx.db.path.parent.iterdir() if p.name.startswith(".search-build-")]


def test_empty_station_starts_from_the_snapshot_then_pulls_the_rest(hub, tmp_path, clock, community_id,
                                                                   monkeypatch) -> None:
    """The snapshot path (what a hub of another program version offers): no seed here."""
    monkeypatch.setattr(bootstrap, "_seed_load_or_none", lambda *a, **k: None)
    people = _seed(hub.store, community_id)
    a = _connect(hub, tmp_path, "a", community_id, clock)
    assert sync.sync_now(a).ok
    # edits after the seed: an update, a tombstone, a new resident — all part of the hub's state
    with a.transaction() as s:
        rows = s.execute(select(Resident).order_by(Resident.id).limit(3)).scalars().all()
        rows[0].name = "欧阳娜娜"
        rows[1].deleted_at = clock.now()
    assert sync.sync_now(a).ok

    calls: list[bootstrap.BootstrapReport] = []
    real = bootstrap.bootstrap

    def spy(*args: Any, **kw: Any) -> bootstrap.BootstrapReport:
        rep = real(*args, **kw)
        calls.append(rep)
        return rep
    monkeypatch.setattr(bootstrap, "bootstrap", spy)
    seen: list[tuple[int, int]] = []
    b = _connect(hub, tmp_path, "b", community_id, clock)
    res = sync.sync_now(b, progress=lambda done, total: seen.append((done, total)))
    assert res.ok, res.problem
    assert len(calls) == 1 and calls[0].applied == N and calls[0].rows == N
    assert seen and seen[-1] == (N, N)
    assert _rows(b) == _rows(a)
    with b.transaction() as s:
        assert int(get_setting(s, engine.CURSOR_KEY)) == hub.store.head(community_id)
    # the search index was built by the parallel builder and copied in: exact, usable, and kept up to date
    _index_is_exact(b.db.path)
    assert _resident_indexes(b.db.path) == RESIDENT_INDEXES
    assert _scratch_files(b) == []
    conn = sqlite3.connect(b.db.path)
    try:
        for table in ("resident_fts", "resident_fts_name"):
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
    finally:
        conn.close()
    assert [r.name for r in residents.search(b, "欧阳娜娜")] == ["欧阳娜娜"]
    name, idn = _live_person(b, people[10:])
    assert any(r.name == name for r in residents.search(b, name))
    assert len(residents.search(b, idn[-6:], limit=500)) >= 1
    assert residents.count(b, people[1][0]) >= 1
    # an edit on the bootstrapped store re-indexes through the copied FTS tables
    with b.transaction() as s:
        r = s.execute(select(Resident).where(Resident.deleted_at.is_(None)).limit(1)).scalar_one()
        old = r.name
        r.name = "司马相如"
    assert [x.name for x in residents.search(b, "司马相如")] == ["司马相如"]
    assert all(x.id != r.id for x in residents.search(b, old, limit=500))
    _index_is_exact(b.db.path)
    # later changes come through the ordinary pull
    with a.transaction() as s:
        s.execute(select(Resident).order_by(Resident.id.desc()).limit(1)).scalar_one().phone = "13912345678"
    assert sync.sync_now(a).ok
    assert sync.sync_now(b).ok
    assert len(calls) == 1
    with b.transaction() as s:
        assert s.execute(select(Resident).order_by(Resident.id.desc()).limit(1)).scalar_one().phone == "13912345678"


class _BrokenSnapshot(HubClient):
    """Delivers the header and ``chunks`` chunks of the real snapshot, then fails (or just ends)."""

    def __init__(self, *a: Any, chunks: int, fail: bool, **kw: Any) -> None:
        super().__init__(*a, **kw)
        self.chunks, self.fail = chunks, fail

    def snapshot(self, with_raw: bool = False) -> Iterator[Any]:
        n = -1
        for item in super().snapshot(with_raw=with_raw):
            obj = item[0] if with_raw else item
            if "entity" in obj:
                n += 1
                if n == self.chunks:
                    break
            yield item
        if self.fail:
            raise HubUnavailable("The hub cannot be reached (offline?).")


@pytest.mark.parametrize("fail", [True, False], ids=["network-drops", "body-truncated"])
def test_interrupted_snapshot_leaves_the_store_untouched(hub, tmp_path, clock, community_id, monkeypatch,
                                                         fail: bool) -> None:
    import shequ_desktop.hub.store as hub_store
    monkeypatch.setattr(hub_store, "SNAPSHOT_CHUNK", 500)
    _seed(hub.store, community_id)
    b = _connect(hub, tmp_path, "b", community_id, clock)
    token = hub.store.add_station("b2", community_id).token
    with _BrokenSnapshot(hub.url, token, chunks=2, fail=fail) as client:
        with pytest.raises(HubUnavailable):
            bootstrap.bootstrap(b.db, client, clock)
    assert _rows(b) == {}
    with b.transaction() as s:
        assert get_setting(s, engine.CURSOR_KEY) in ("", "0")
    assert _resident_indexes(b.db.path) == RESIDENT_INDEXES
    assert _scratch_files(b) == []
    res = sync.sync_now(b)            # the next sync starts again and gets everything
    assert res.ok and len(_rows(b)) == N
    _index_is_exact(b.db.path)


def test_older_hub_without_snapshots_falls_back_to_the_pull(hub, tmp_path, clock, community_id,
                                                          monkeypatch) -> None:
    _seed(hub.store, community_id)
    b = _connect(hub, tmp_path, "b", community_id, clock)

    def no_snapshot(self: HubClient, with_raw: bool = False) -> Iterator[Any]:
        raise HubRejected("Not Found", 404, {})
        yield {}  # pragma: no cover
    monkeypatch.setattr(HubClient, "snapshot", no_snapshot)
    assert sync.sync_now(b).ok
    assert len(_rows(b)) == N
    _index_is_exact(b.db.path)


def test_a_store_with_records_of_its_own_is_merged_by_the_pull(hub, tmp_path, clock, community_id,
                                                             monkeypatch) -> None:
    _seed(hub.store, community_id)
    b = make_station(tmp_path, "b", community_id, clock, login="b_admin")
    residents.create(b, residents.ResidentInput(name="离线登记", id_number="11010519491231002X",
                                                phone="13800001111"))
    sync.configure(b, hub.url, hub.store.add_station("b", community_id).token)
    used: list[int] = []
    monkeypatch.setattr(bootstrap, "bootstrap", lambda *a, **k: used.append(1))
    assert sync.sync_now(b).ok
    assert used == []
    assert len(_rows(b)) == N + 1


# -- the seed: a ready-made store built by the hub ---------------------------------------------

def _seed_files(ctx) -> list[str]:  # noqa: ANN001
    return [p.name for p in ctx.db.path.parent.iterdir() if p.name.startswith(".seed-")]


def _spy(monkeypatch: pytest.MonkeyPatch, name: str) -> list[bootstrap.BootstrapReport]:
    calls: list[bootstrap.BootstrapReport] = []
    real = getattr(bootstrap, name)

    def spy(*args: Any, **kw: Any) -> bootstrap.BootstrapReport:
        rep = real(*args, **kw)
        calls.append(rep)
        return rep
    monkeypatch.setattr(bootstrap, name, spy)
    return calls


def test_empty_station_copies_the_hubs_seed_store(hub, tmp_path, clock, community_id, monkeypatch) -> None:
    people = _seed(hub.store, community_id)
    a = _connect(hub, tmp_path, "a", community_id, clock)
    assert sync.sync_now(a).ok
    with a.transaction() as s:
        rows = s.execute(select(Resident).order_by(Resident.id).limit(2)).scalars().all()
        rows[0].name = "上官婉儿"
        rows[1].deleted_at = clock.now()
    assert sync.sync_now(a).ok
    seeds = _spy(monkeypatch, "seed_load")
    snapshots = _spy(monkeypatch, "bootstrap")
    seen: list[tuple[int, int]] = []
    b = _connect(hub, tmp_path, "b", community_id, clock)
    res = sync.sync_now(b, progress=lambda done, total: seen.append((done, total)))
    assert res.ok, res.problem
    assert len(seeds) == 1 and snapshots == []
    assert seeds[0].source == "seed" and seeds[0].applied == N
    assert seen and seen[-1] == (N, N)
    assert _rows(b) == _rows(a)
    with b.transaction() as s:
        assert int(get_setting(s, engine.CURSOR_KEY)) == hub.store.head(community_id)
        assert get_setting(s, "community_id") == community_id
    _index_is_exact(b.db.path)
    assert _resident_indexes(b.db.path) == RESIDENT_INDEXES
    assert _seed_files(b) == [] and _scratch_files(b) == []
    conn = sqlite3.connect(b.db.path)
    try:
        for table in ("resident_fts", "resident_fts_name"):
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
    finally:
        conn.close()
    assert [r.name for r in residents.search(b, "上官婉儿")] == ["上官婉儿"]
    name, idn = _live_person(b, people[20:])
    assert any(r.name == name for r in residents.search(b, name))
    assert len(residents.search(b, idn[-6:], limit=500)) >= 1
    with b.transaction() as s:     # an edit re-indexes through the copied FTS tables
        r = s.execute(select(Resident).where(Resident.deleted_at.is_(None)).limit(1)).scalar_one()
        r.name = "诸葛孔明"
    assert [x.name for x in residents.search(b, "诸葛孔明")] == ["诸葛孔明"]
    _index_is_exact(b.db.path)
    assert sync.sync_now(b).ok and len(seeds) == 1        # the edit went up; nothing loaded again


def test_a_hub_of_another_schema_revision_sends_the_snapshot_instead(hub, tmp_path, clock, community_id,
                                                                     monkeypatch) -> None:
    _seed(hub.store, community_id)
    real = HubClient.seed

    def other_revision(self: HubClient, revision: str, dest: Any, progress: Any = None) -> Any:
        return real(self, "0001", dest, progress)          # the hub builds its own revision only: 409
    monkeypatch.setattr(HubClient, "seed", other_revision)
    snapshots = _spy(monkeypatch, "bootstrap")
    b = _connect(hub, tmp_path, "b", community_id, clock)
    assert sync.sync_now(b).ok
    assert len(snapshots) == 1 and len(_rows(b)) == N
    _index_is_exact(b.db.path)
    assert _seed_files(b) == []


def test_a_seed_of_another_community_is_refused(hub, tmp_path, clock, community_id, monkeypatch) -> None:
    _seed(hub.store, community_id)
    real = HubClient.seed

    def tampered(self: HubClient, revision: str, dest: Any, progress: Any = None) -> Any:
        info = real(self, revision, dest, progress)
        conn = sqlite3.connect(dest)
        conn.execute("UPDATE resident SET community_id = '00000000-0000-7000-8000-000000000000' "
                     "WHERE rowid = (SELECT min(rowid) FROM resident)")
        conn.commit()
        conn.close()
        return info
    monkeypatch.setattr(HubClient, "seed", tampered)
    snapshots = _spy(monkeypatch, "bootstrap")
    b = _connect(hub, tmp_path, "b", community_id, clock)
    assert sync.sync_now(b).ok
    assert len(snapshots) == 1                              # fell back to the snapshot
    with b.transaction() as s:
        assert {r.community_id for r in s.execute(select(Resident)).scalars()} == {community_id}
    assert _seed_files(b) == []


def test_a_seed_download_cut_midway_applies_nothing(hub, tmp_path, clock, community_id, monkeypatch) -> None:
    _seed(hub.store, community_id)
    real = HubClient.seed

    def cut(self: HubClient, revision: str, dest: Any, progress: Any = None) -> Any:
        def boom(received: int, total: int) -> None:
            if received > 0:
                raise HubUnavailable("The hub cannot be reached (offline?).")
        return real(self, revision, dest, boom)
    monkeypatch.setattr(HubClient, "seed", cut)
    b = _connect(hub, tmp_path, "b", community_id, clock)
    res = sync.sync_now(b)
    assert not res.ok
    assert _rows(b) == {} and _seed_files(b) == []
    with b.transaction() as s:
        assert get_setting(s, engine.CURSOR_KEY) in ("", "0")
    monkeypatch.setattr(HubClient, "seed", real)
    assert sync.sync_now(b).ok and len(_rows(b)) == N
    _index_is_exact(b.db.path)


def test_a_corrupt_seed_file_falls_back_to_the_snapshot(hub, tmp_path, clock, community_id, monkeypatch) -> None:
    _seed(hub.store, community_id)
    real = HubClient.seed

    def corrupt(self: HubClient, revision: str, dest: Any, progress: Any = None) -> Any:
        info = real(self, revision, dest, progress)
        with open(dest, "r+b") as f:          # keep the header, overwrite the pages after the first
            f.seek(4096)
            f.write(b"\xff" * 200_000)
        return info
    monkeypatch.setattr(HubClient, "seed", corrupt)
    snapshots = _spy(monkeypatch, "bootstrap")
    b = _connect(hub, tmp_path, "b", community_id, clock)
    res = sync.sync_now(b)
    assert res.ok, res.problem
    assert len(snapshots) == 1 and len(_rows(b)) == N
    _index_is_exact(b.db.path)
    assert _seed_files(b) == []


def test_without_the_builder_process_the_index_is_built_in_line(hub, tmp_path, clock, community_id,
                                                                monkeypatch) -> None:
    from shequ_desktop.persistence import search_build

    def cannot_start(*a: Any, **k: Any) -> Any:
        raise OSError("process creation blocked")
    monkeypatch.setattr(search_build, "ParallelBuilder", cannot_start)
    monkeypatch.setattr(bootstrap, "_seed_load_or_none", lambda *a, **k: None)
    _seed(hub.store, community_id)
    b = _connect(hub, tmp_path, "b", community_id, clock)
    assert sync.sync_now(b).ok
    assert len(_rows(b)) == N
    _index_is_exact(b.db.path)
    assert _resident_indexes(b.db.path) == RESIDENT_INDEXES


def _fresh_pc(tmp_path, name: str, clock):  # noqa: ANN001, ANN202
    """A store as the program leaves it at first start: placeholder community, default catalogue."""
    from shequ_desktop.domain.roles import Role
    from shequ_desktop.persistence.db import open_database
    from shequ_desktop.services import counter, station
    from shequ_desktop.services.context import AppContext, CurrentUser
    ctx = station.ensure_station(AppContext(db=open_database(tmp_path / f"{name}.db"), clock=clock,
                                            user=CurrentUser(id=f"u-{name}", login=f"{name}_admin",
                                                             display_name=name, role=Role.ADMIN)))
    assert counter.ensure_catalogue(ctx) == 12
    return ctx


def test_new_pcs_join_the_community_and_share_one_catalogue(hub, tmp_path, clock, community_id,
                                                            monkeypatch) -> None:
    from shequ_desktop.persistence.counter_models import ServiceItem
    from shequ_desktop.persistence.models import Community
    from shequ_desktop.services import counter
    _seed(hub.store, community_id)
    loads = _spy(monkeypatch, "seed_load")
    pcs = []
    for name in ("pc1", "pc2"):
        ctx = _fresh_pc(tmp_path, name, clock)
        placeholder = ctx.community_id
        sync.configure(ctx, hub.url, hub.store.add_station(name, community_id).token)   # adopts the community
        assert ctx.community_id == community_id
        with ctx.transaction() as s:          # the first start's placeholders are gone
            assert s.get(Community, placeholder) is None
            assert s.execute(select(ServiceItem).where(ServiceItem.community_id == placeholder)).first() is None
        assert counter.ensure_catalogue(ctx) == 12     # e.g. the counter page opened before the first sync
        res = sync.sync_now(ctx)
        assert res.ok and res.pushed == 12 and res.conflicts == 0, res
        pcs.append(ctx)
    assert [r.source for r in loads] == ["seed", "seed"]
    for ctx in pcs:
        assert sync.sync_now(ctx).ok
        assert len(counter.services(ctx)) == 12
        assert len(_rows(ctx)) == N
        _index_is_exact(ctx.db.path)


def test_full_resync_repairs_a_drifted_store_and_never_loses_local_work(hub, tmp_path, clock, community_id,
                                                                        monkeypatch) -> None:
    from shequ_desktop.domain.errors import UserError
    _seed(hub.store, community_id)
    b = _connect(hub, tmp_path, "b", community_id, clock)
    assert sync.sync_now(b).ok
    before = _rows(b)
    conn = sqlite3.connect(b.db.path)            # drift: records gone behind the program's back
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("DELETE FROM resident WHERE rowid IN (SELECT rowid FROM resident LIMIT 50)")
    conn.commit()
    conn.close()
    assert len(_rows(b)) == N - 50
    with b.transaction() as s:                   # a local change not on the hub yet: refused
        s.execute(select(Resident).limit(1)).scalar_one().phone = "13700000000"
    with pytest.raises(UserError) as e:
        sync.resync(b)
    assert "not on the hub yet" in e.value.english()
    assert len(_rows(b)) == N - 50
    assert sync.sync_now(b).ok                   # sent; now the resync may go
    loads = _spy(monkeypatch, "seed_load")
    res = sync.resync(b)
    assert res.sync.ok and res.cleared >= N - 50 and res.backup.is_file()
    assert [r.source for r in loads] == ["seed"]
    after = _rows(b)
    assert len(after) == N and set(after) == set(before)
    assert sum(1 for r in after.values() if r[2] == "13700000000") == 1      # the sent change is back from the hub
    _index_is_exact(b.db.path)
    from shequ_desktop.services import audit
    # the entry is stored as a message id + parameters (read in the reader's language); in English it names the resync
    assert any("Full resync" in audit.detail_text(e.detail, lambda m: m) for e in audit.recent(b, 20))


def test_scratch_files_of_a_killed_first_sync_are_removed_later(tmp_path) -> None:
    import os
    import time
    old = [tmp_path / ".seed-0123.db", tmp_path / ".search-build-abcd.db", tmp_path / ".search-build-abcd.db-journal"]
    fresh = tmp_path / ".seed-4567.db"          # a first sync running right now in another program
    for f in [*old, fresh]:
        f.write_bytes(b"x")
    for f in old:
        os.utime(f, (time.time() - 7200, time.time() - 7200))
    keep = tmp_path / "shequ.db"
    keep.write_bytes(b"x")
    os.utime(keep, (time.time() - 7200, time.time() - 7200))
    bootstrap._remove_stale_scratch(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".seed-4567.db", "shequ.db"]
