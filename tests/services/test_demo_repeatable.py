"""The demo is the same community every time: the same people get the same files, rosters, counter cases,
complaints and sync conflicts. Record ids are random (time-ordered UUIDs, unique across stations), so nothing may
be picked or ordered by them; only what is made of the id itself differs (a person's call weekday, numbers that
carry the station's code, verification codes)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from shequ_desktop.persistence.db import open_database
from shequ_desktop.services import demo
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.station import ensure_station

COMPARED = {
    "sg_file": "resident_id, \"group\", status, opened_on, flags, needs, care_notes, health_notes, disability_cert, "
               "devices, child_kind, review_requested_on",
    "sg_roster": "file_id, role, login, name, phone, relation, active_from",
    "sg_review": "file_id, reviewed_on, by_login",
    "counter_case": "resident_id, service_code, status, owner_login, received_at, due_date",
    "complaint": "received_at, complainant_name, about, content, grid_id, state",
    "sync_conflict": "entity_id, field, local_value, remote_value",
}


def _content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The compared tables with every id replaced by what it names (a resident by ID number, a grid by code)."""
    con = sqlite3.connect(path)
    try:
        label = dict(con.execute("SELECT id, 'resident ' || id_number FROM resident"))
        label.update(con.execute("SELECT id, 'grid ' || code FROM grid"))
        label.update((i, f"{label.get(r, r)} {g}") for i, r, g in con.execute('SELECT id, resident_id, "group" FROM sg_file'))
        return {table: sorted((tuple(label.get(v, v) if isinstance(v, str) else v for v in row)
                               for row in con.execute(f"SELECT {columns} FROM {table}")), key=repr)
                for table, columns in COMPARED.items()}
    finally:
        con.close()


def _demo(path: Path, clock) -> dict[str, list[tuple[object, ...]]]:  # noqa: ANN001
    db = open_database(path)
    try:
        demo.generate(ensure_station(AppContext(db=db, clock=clock)), households=30)
    finally:
        db.dispose()
    return _content(path)


@pytest.mark.timeout(600)                 # two demos: ~10 s on an idle machine, minutes under heavy load
def test_two_demos_hold_the_same_community(tmp_path: Path, clock) -> None:  # noqa: ANN001
    first, second = _demo(tmp_path / "a.db", clock), _demo(tmp_path / "b.db", clock)
    assert all(first[t] for t in ("sg_file", "sg_roster", "counter_case", "complaint", "sync_conflict"))
    for table in COMPARED:
        assert first[table] == second[table], table
