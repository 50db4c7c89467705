"""staff identity: synced records name staff by login (desktop revision 0021_staff)

The hub's copy of each record renames the old columns (post_assignment.a_user_id/b_user_id → a_login/b_login,
absence.user_id → login, work_order.assignee_id → assignee_login, counter_case.owner_id → owner_login,
mediation_case.mediator_ids → mediator_logins, patrol_entry.worker_id and staff_rating.worker_id →
worker_login); the values, local user ids that the hub cannot name, become the marker ``?<id>`` — the same
value a workstation's migration uses as the base of the change that replaces it with the login, so that
change merges without a conflict. Open conflicts about such a column are renamed too. The cached snapshots
and seeds are dropped (rebuilt on the next request). Changes already in the log keep their old names; a
workstation translates them on pull.

Revision ID: h0009_staff
Revises: h0008_trust
Create Date: 2026-12-03
"""
from __future__ import annotations

import json

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

revision = 'h0009_staff'
down_revision = 'h0008_trust'
branch_labels = None
depends_on = None

_RENAMED = (
    ("post_assignment", "a_user_id", "a_login", "one"),
    ("post_assignment", "b_user_id", "b_login", "one"),
    ("absence", "user_id", "login", "one"),
    ("work_order", "assignee_id", "assignee_login", "one"),
    ("counter_case", "owner_id", "owner_login", "one"),
    ("mediation_case", "registered_by", "registered_by", "one"),
    ("mediation_case", "mediator_ids", "mediator_logins", "list"),
    ("patrol_entry", "worker_id", "worker_login", "one"),
    ("staff_rating", "worker_id", "worker_login", "one"),
)
_SPECIAL = {"system": "system", "cli": "shequ-admin"}


def _mark(value, kind):
    if kind == "list":
        return [_mark(v, "one") for v in value] if isinstance(value, list) else value
    if not isinstance(value, str) or not value or value.startswith("?"):
        return value
    if value in _SPECIAL:
        return _SPECIAL[value]
    return value if "-" not in value else "?" + value


def _loads(v):
    return json.loads(v) if isinstance(v, str) else v


def upgrade() -> None:
    conn = op.get_bind()
    pg = conn.dialect.name == "postgresql"
    json_type = JSONB() if pg else sa.JSON()
    state = sa.table("entity_state", sa.column("entity", sa.String), sa.column("entity_id", sa.String),
                     sa.column("doc", json_type), sa.column("field_meta", json_type))
    spec: dict[str, dict[str, tuple[str, str]]] = {}
    for table, old, new, kind in _RENAMED:
        spec.setdefault(table, {})[old] = (new, kind)
    for entity, cols in spec.items():
        rows = conn.execute(sa.select(state.c.entity_id, state.c.doc, state.c.field_meta)
                            .where(state.c.entity == entity)).all()
        for eid, doc, meta in rows:
            doc, meta = dict(_loads(doc) or {}), dict(_loads(meta) or {})
            changed = False
            for old, (new, kind) in cols.items():
                if old not in doc:
                    continue
                value = _mark(doc.pop(old), kind)
                doc[new] = value
                if old in meta:
                    meta[new] = meta.pop(old)
                changed = True
            if changed:
                conn.execute(sa.update(state).where(state.c.entity == entity, state.c.entity_id == eid)
                             .values(doc=doc, field_meta=meta))
    conflicts = conn.execute(sa.select(state.c.entity_id, state.c.doc)
                             .where(state.c.entity == "sync_conflict")).all()
    for eid, doc in conflicts:
        doc = dict(_loads(doc) or {})
        hit = spec.get(str(doc.get("entity")), {}).get(str(doc.get("field")))
        if hit is not None and hit[0] != doc.get("field"):
            doc["field"] = hit[0]
            conn.execute(sa.update(state).where(state.c.entity == "sync_conflict", state.c.entity_id == eid)
                         .values(doc=doc))
    op.execute("DELETE FROM hub_snapshot")
    op.execute("DELETE FROM hub_seed")


def downgrade() -> None:
    pass
