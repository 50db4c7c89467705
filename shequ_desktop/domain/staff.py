"""Staff identity across workstations: a login is the person; ``app_user`` ids are local to one PC.

Synced records name staff by login. The staff directory (``staff_member``) gives every station the
login's name and role; its record id derives from the community and the login, so two stations that
create the same login write the same record (the hub merges them field by field like any record: the same
values agree, different ones become a conflict for the station chief).

Records written before revision 0021 held local user ids. A station converts the ids it knows (its own
``app_user`` rows); an id it does not know — another station's user — is stored as ``UNRESOLVED`` + id
(the station that knows it converts it and its change arrives with the next pull).
"""

from __future__ import annotations

import uuid

UNRESOLVED = "?"                       # prefix of an old local user id that could not be turned into a login
_NAMESPACE = uuid.UUID("6f1d2c1e-0f3b-4d52-9c1a-5a7c0d2e9b21")

# The synced columns that named staff by local user id, and what names them now: (table, old, new, kind);
# kind "one" = one id, "list" = a JSON list of ids.
RENAMED_COLUMNS: tuple[tuple[str, str, str, str], ...] = (
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


def staff_member_id(community_id: str, login: str) -> str:
    """The directory record of ``login`` in a community: the same on every station."""
    return str(uuid.uuid5(_NAMESPACE, f"{community_id}/{login}"))


def unresolved(old_id: str) -> str:
    """The marker stored for an old local id that this station cannot name."""
    return UNRESOLVED + old_id


def is_unresolved(value: str | None) -> bool:
    return bool(value) and str(value).startswith(UNRESOLVED)


def convert_value(value: object, kind: str, login_of: dict[str, str]) -> object:
    """An old id value (or a JSON list of them) → login(s) via ``login_of`` (local id → login), else marker.

    Values that are already logins or markers, empty values and None stay as they are."""
    if kind == "list":
        if not isinstance(value, list):
            return value
        return [convert_value(v, "one", login_of) for v in value]
    if not isinstance(value, str) or not value or value.startswith(UNRESOLVED):
        return value
    if value in login_of:
        return login_of[value]
    if "-" not in value:               # a login already (logins are letters, digits, '.', '_'; ids have '-')
        return value
    return unresolved(value)
