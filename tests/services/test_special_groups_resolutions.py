"""The records behind the schedules, summed up by the database (common.resolutions), against a plain reading of
every contact row: random contacts of random kinds, authors, outcomes, retractions and corrections.

The summary is what makes the chief's overview fast; this test is what keeps it right.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from sqlalchemy import select

from shequ_desktop.domain import special_groups as sg
from shequ_desktop.persistence.special_groups_models import ContactLog, SpecialFile
from shequ_desktop.services.special_groups.common import resolutions

D = dt.date
UTC = dt.timezone.utc


def reference(rows: list[ContactLog], since: D) -> tuple[dict, dict, dict]:
    """Per contact row, in Python: what counts for which task, the latest planned day, the last contact and its
    notes (of the latest day, the one recorded last)."""
    corrected = {r.corrects_id for r in rows if r.corrects_id}
    resolved: dict[str, dict[str, list[D]]] = defaultdict(lambda: defaultdict(list))
    planned: dict[str, D] = {}
    last: dict[str, tuple[D, str, dt.datetime]] = {}
    for r in rows:
        if r.id in corrected or r.deleted_at is not None or r.contact_on < since:
            continue
        prev = last.get(r.file_id)
        if prev is None or (r.contact_on, r.recorded_at) > (prev[0], prev[2]):
            last[r.file_id] = (r.contact_on, r.notes, r.recorded_at)
        if r.next_date is not None:
            planned[r.file_id] = max(planned.get(r.file_id, r.next_date), r.next_date)
        if r.outcome in sg.COUNTING_OUTCOMES and not r.retracted:
            for task, kind in sg.RESOLVED_BY.items():
                if r.kind == kind and r.by_role in sg.COUNTS_BY[task]:
                    resolved[r.file_id][task].append(r.contact_on)
    return ({f: {k: sorted(v) for k, v in per.items()} for f, per in resolved.items()}, planned,
            {f: (v[0], v[1]) for f, v in last.items()})


def test_summary_matches_every_contact_read_one_by_one(ctx):
    rnd = random.Random(20261203)
    since = D(2026, 10, 5)
    with ctx.transaction() as s:
        file_ids = []
        for i in range(40):
            f = SpecialFile(community_id=ctx.community_id, resident_id=f"r{i}", group=rnd.choice(sg.GROUPS),
                            status="open", opened_on=since, tracked_from=since)
            s.add(f)
            s.flush()
            file_ids.append(f.id)
        made: list[ContactLog] = []
        for _ in range(900):
            on = since + dt.timedelta(days=rnd.randrange(-40, 55))
            old = rnd.choice(made) if made and rnd.random() < 0.08 else None
            c = ContactLog(community_id=ctx.community_id, file_id=old.file_id if old else rnd.choice(file_ids),
                           kind=rnd.choice(sg.CONTACT_KINDS), contact_on=on,
                           recorded_at=dt.datetime(2026, 11, 1, tzinfo=UTC) + dt.timedelta(minutes=rnd.randrange(9999)),
                           by_role=rnd.choice(sg.ROLES), outcome=rnd.choice(sg.OUTCOMES), notes=f"n{len(made)}",
                           needs=[], next_date=on + dt.timedelta(days=rnd.randrange(1, 20)) if rnd.random() < 0.3
                           else None, corrects_id=old.id if old else None,
                           retracted=bool(old) and rnd.random() < 0.4)
            if rnd.random() < 0.03:   # a tombstone (as the hub may send one)
                c.deleted_at = dt.datetime(2026, 11, 20, tzinfo=UTC)
            s.add(c)
            s.flush()
            made.append(c)
    with ctx.transaction() as s:
        rows = list(s.execute(select(ContactLog)).scalars())
        ids_query = select(SpecialFile.id).where(SpecialFile.status == "open")
        for file_ids_arg in (file_ids, ids_query):
            resolved, planned, last = resolutions(s, file_ids_arg, since, with_notes=True)
            start = D(2026, 10, 1) - dt.timedelta(days=6)   # contacts count from the month's start, a week before
            want_resolved, want_planned, want_last = reference(rows, start)
            assert {f: {k: v for k, v in per.items() if k in sg.RESOLVED_BY} for f, per in resolved.items()
                    if any(k in sg.RESOLVED_BY for k in per)} == want_resolved
            assert planned == want_planned
            assert last == want_last
        _resolved, _planned, last = resolutions(s, file_ids, since, with_notes=False)
        assert last == {f: (v[0], "") for f, v in want_last.items()}
