"""staff identity: a synced staff directory; synced records name staff by login instead of a local user id

- ``staff_member``: the community's staff directory (login, name, role, grid, phone, active), filled from
  this station's ``app_user`` rows (journaled inserts, so they reach the hub and every station).
- Renamed columns (``domain.staff.RENAMED_COLUMNS``): post_assignment.a_user_id/b_user_id → a_login/b_login,
  absence.user_id → login, work_order.assignee_id → assignee_login, counter_case.owner_id → owner_login,
  mediation_case.mediator_ids → mediator_logins (registered_by keeps its name, now a login),
  patrol_entry.worker_id → worker_login, staff_rating.worker_id → worker_login.
- Values: an id of this station's ``app_user`` becomes its login, and the change is journaled (pushed like any
  edit; the hub's migration h0009_staff turns its copy of the old id into the same marker, so the change
  merges without a conflict). An id this station does not know — another station's user — is kept as
  ``?<id>`` locally, unjournaled: the station that knows it converts it and the change arrives with the next
  pull. ``shequ-admin staff unresolved`` lists what is still marked. Append-only records (patrol entries) are
  converted locally only (the hub refuses edits of them; they carry the worker's name).
- Pending (unpushed) journal rows are rewritten to the new names and values, so the outbox still pushes.

SQLite keeps the declared VARCHAR(36) of a renamed column (it ignores lengths); the models say String(64).

Revision ID: 0021_staff
Revises: 0019_oversight_more
Create Date: 2026-12-03
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import uuid

from alembic import op
import sqlalchemy as sa
import shequ_desktop.persistence.base

revision = '0021_staff'
down_revision = '0019_oversight_more'
branch_labels = None
depends_on = None

UTC = shequ_desktop.persistence.base.UTCDateTime
log = logging.getLogger("shequ_desktop.migrations")

# Frozen copies (a migration must not change when the code moves on).
_RENAMED = (
    ("post_assignment", "a_user_id", "a_login", "one", False),
    ("post_assignment", "b_user_id", "b_login", "one", False),
    ("absence", "user_id", "login", "one", True),
    ("work_order", "assignee_id", "assignee_login", "one", True),
    ("counter_case", "owner_id", "owner_login", "one", True),
    ("mediation_case", "registered_by", "registered_by", "one", False),
    ("mediation_case", "mediator_ids", "mediator_logins", "list", False),
    ("patrol_entry", "worker_id", "worker_login", "one", True),
    ("staff_rating", "worker_id", "worker_login", "one", True),
)
_APPEND_ONLY = {"patrol_entry"}
_NAMESPACE = uuid.UUID("6f1d2c1e-0f3b-4d52-9c1a-5a7c0d2e9b21")
_SPECIAL = {"system": "system", "cli": "shequ-admin"}      # the ids of the built-in system and CLI users


def _convert(value, kind, login_of):
    if kind == "list":
        return [_convert(v, "one", login_of) for v in value] if isinstance(value, list) else value
    if not isinstance(value, str) or not value or value.startswith("?"):
        return value
    if value in login_of:
        return login_of[value]
    return value if "-" not in value else "?" + value


def _ts(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S.%f")


def _new_id() -> str:
    from shequ_desktop.domain.ids import new_id
    return new_id()


def upgrade() -> None:
    op.create_table('staff_member',
        sa.Column('login', sa.String(length=64), nullable=False),
        sa.Column('display_name', sa.String(length=64), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('grid_id', sa.String(length=36), nullable=True),
        sa.Column('phone', sa.String(length=32), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('community_id', sa.String(length=36), nullable=False),
        sa.Column('created_at', UTC(), nullable=False),
        sa.Column('updated_at', UTC(), nullable=False),
        sa.Column('updated_by', sa.String(length=64), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('deleted_at', UTC(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_member')))
    op.create_index('ix_staff_member_community_id', 'staff_member', ['community_id'])
    op.create_index('ix_staff_member_login', 'staff_member', ['login'])
    for table, old, new, _kind, indexed in _RENAMED:
        if old == new:
            continue
        if indexed:
            op.execute(f'DROP INDEX IF EXISTS ix_{table}_{old}')
        op.execute(f'ALTER TABLE "{table}" RENAME COLUMN "{old}" TO "{new}"')
        if indexed:
            op.create_index(f'ix_{table}_{new}', table, [new])
    from shequ_desktop.persistence.journal import remote_bulk_apply
    with remote_bulk_apply():      # the journal rows are written here, by hand, in the same transaction
        _convert_rows()


def _convert_rows() -> None:
    conn = op.get_bind()
    now = _ts(dt.datetime.now(dt.timezone.utc).replace(tzinfo=None))
    settings = dict(conn.exec_driver_sql("SELECT key, value FROM setting").all())
    station = settings.get("station_id", "local")
    community = settings.get("community_id", "")
    users = conn.exec_driver_sql("SELECT id, login, display_name, role, grid_id, phone, active, created_at "
                                 "FROM app_user").all()
    login_of = {**_SPECIAL, **{u[0]: u[1] for u in users}}

    def journal(entity, eid, cid, op_, fields, base_version, new_version, base):
        conn.exec_driver_sql(
            "INSERT INTO change_journal (change_id, entity, entity_id, community_id, op, fields, base_version, "
            "new_version, base, station_id, user_login, at, origin, pushed_at, push_error) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,'local',NULL,NULL)",
            (_new_id(), entity, eid, cid, op_, json.dumps(fields, ensure_ascii=False), base_version, new_version,
             None if base is None else json.dumps(base, ensure_ascii=False), station, "system", now))

    by_table: dict[str, list[tuple[str, str]]] = {}
    for table, _old, new, kind, _ix in _RENAMED:
        by_table.setdefault(table, []).append((new, kind))
    unresolved = 0
    for table, cols in by_table.items():
        names = ", ".join(f'"{c}"' for c, _k in cols)
        rows = conn.exec_driver_sql(
            f'SELECT id, community_id, version, deleted_at, {names} FROM "{table}"').all()
        for row in rows:
            rid, cid, version, deleted_at = row[0], row[1], row[2], row[3]
            local: dict[str, object] = {}      # the new value of every column that changes
            pushed: dict[str, object] = {}     # ... of those that name someone (journaled)
            base: dict[str, object] = {}
            for (col, kind), raw in zip(cols, row[4:]):
                value = json.loads(raw) if kind == "list" and isinstance(raw, str) else raw
                new = _convert(value, kind, login_of)
                if new == value:
                    continue
                local[col] = new
                hub_view = _convert(value, kind, _SPECIAL)       # what the hub holds after h0009_staff
                marks = [v for v in (new if isinstance(new, list) else [new]) if isinstance(v, str)
                         and v.startswith("?")]
                unresolved += len(marks)
                if new != hub_view:
                    pushed[col] = new
                    base[col] = hub_view
            if not local:
                continue
            journaled = bool(pushed) and table not in _APPEND_ONLY
            sets = {c: (json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v) for c, v in local.items()}
            assign = ", ".join(f'"{c}" = ?' for c in sets)
            params = list(sets.values())
            if journaled:
                assign += ", version = ?, updated_at = ?, updated_by = 'system'"
                params += [version + 1, now]
            conn.exec_driver_sql(f'UPDATE "{table}" SET {assign} WHERE id = ?', (*params, rid))
            if journaled:
                base["deleted_at"] = None if deleted_at is None else dt.datetime.fromisoformat(
                    str(deleted_at)).replace(tzinfo=dt.timezone.utc).isoformat()
                journal(table, rid, cid, "update", pushed, version, version + 1, base)
    _rewrite_outbox(conn, login_of)
    for table, old, new, _kind, _ix in _RENAMED:       # open conflicts about a renamed column (the hub: h0009)
        if old != new:
            conn.exec_driver_sql("UPDATE sync_conflict SET field = ? WHERE entity = ? AND field = ?", (new, table, old))
    if community:
        for uid, login, name, role, grid_id, phone, active, _created in users:
            sid = str(uuid.uuid5(_NAMESPACE, f"{community}/{login}"))
            conn.exec_driver_sql(
                "INSERT INTO staff_member (id, community_id, login, display_name, role, grid_id, phone, active, "
                "created_at, updated_at, updated_by, version, deleted_at) VALUES (?,?,?,?,?,?,?,?,?,?,'system',1,NULL)",
                (sid, community, login, name, role, grid_id, phone or "", 1 if active else 0, now, now))
            journal("staff_member", sid, community, "insert",
                    {"id": sid, "community_id": community, "login": login, "display_name": name, "role": role,
                     "grid_id": grid_id, "phone": phone or "", "active": bool(active), "deleted_at": None},
                    0, 1, None)
    if unresolved:
        log.warning("0021_staff: %d staff reference(s) name a user of another station; kept as ?<id> until that "
                    "station's conversion arrives (shequ-admin staff unresolved)", unresolved)


def _rewrite_outbox(conn, login_of) -> None:
    """Changes not pushed yet carry the old column names: rename them and convert their values."""
    spec: dict[str, dict[str, tuple[str, str]]] = {}
    for table, old, new, kind, _ix in _RENAMED:
        spec.setdefault(table, {})[old] = (new, kind)
    marks = ", ".join("?" for _ in spec)
    rows = conn.exec_driver_sql(
        f"SELECT seq, entity, entity_id, op, fields, base FROM change_journal WHERE origin = 'local' AND pushed_at IS NULL "
        f"AND entity IN ({marks}) ORDER BY seq", tuple(spec)).all()
    # a base is what the hub holds: the login when the record's insert is still in the outbox too (it
    # pushes the login), else the old id turned into the marker by h0009_staff
    fresh = {(r[1], r[2]) for r in rows if r[3] == "insert"}
    for seq, entity, eid, op_, fields_raw, base_raw in rows:
        out = []
        for raw, names in ((fields_raw, login_of), (base_raw, login_of if (entity, eid) in fresh else _SPECIAL)):
            doc = json.loads(raw) if isinstance(raw, str) else raw
            if isinstance(doc, dict):
                doc = {spec[entity][k][0] if k in spec[entity] else k:
                       (_convert(v, spec[entity][k][1], names) if k in spec[entity] else v)
                       for k, v in doc.items()}
            out.append(None if doc is None else json.dumps(doc, ensure_ascii=False))
        conn.exec_driver_sql("UPDATE change_journal SET fields = ?, base = ? WHERE seq = ?", (*out, seq))


def downgrade() -> None:
    for table, old, new, _kind, indexed in reversed(_RENAMED):
        if old == new:
            continue
        if indexed:
            op.execute(f'DROP INDEX IF EXISTS ix_{table}_{new}')
        op.execute(f'ALTER TABLE "{table}" RENAME COLUMN "{new}" TO "{old}"')
        if indexed:
            op.create_index(f'ix_{table}_{old}', table, [old])
    op.drop_index('ix_staff_member_login', 'staff_member')
    op.drop_index('ix_staff_member_community_id', 'staff_member')
    op.drop_table('staff_member')
