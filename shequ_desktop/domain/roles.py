"""Roles and what each may do. Services check these; the UI only hides what a role cannot do."""

from __future__ import annotations

import enum


class Role(str, enum.Enum):
    CLERK = "clerk"      # 窗口社工
    WORKER = "worker"    # 网格社工 / 社工
    CHIEF = "chief"      # 站长
    ADMIN = "admin"      # 系统管理员

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {Role.CLERK: "窗口社工", Role.WORKER: "社工", Role.CHIEF: "站长", Role.ADMIN: "系统管理员"}

# English message ids of the role names, for the UI to translate (the domain cannot import i18n).
MSG_ROLE_CLERK = "Window clerk"
MSG_ROLE_WORKER = "Social worker"
MSG_ROLE_CHIEF = "Station chief"
MSG_ROLE_ADMIN = "Administrator"
ROLE_MSGIDS = {Role.CLERK: MSG_ROLE_CLERK, Role.WORKER: MSG_ROLE_WORKER, Role.CHIEF: MSG_ROLE_CHIEF,
               Role.ADMIN: MSG_ROLE_ADMIN}


class Permission(str, enum.Enum):
    RESIDENT_VIEW = "resident.view"
    RESIDENT_EDIT = "resident.edit"
    RESIDENT_REVEAL = "resident.reveal"
    RESIDENT_IMPORT = "resident.import"
    RESIDENT_EXPORT = "resident.export"
    COUNTER_WORK = "counter.work"
    CASES_ALL = "cases.all"
    AUDIT_VIEW = "audit.view"
    POLICY_EDIT = "policy.edit"
    CALENDAR_EDIT = "calendar.edit"
    USER_ADMIN = "user.admin"
    BACKUP = "backup"
    SPECIAL_WORK = "special.work"      # special-group files of the people one cares for
    SPECIAL_ALL = "special.all"        # every file and every worker's schedule (station chief)
    MEDIATION_WORK = "mediation.work"     # patrol log, register and mediate disputes
    MEDIATION_ALL = "mediation.all"       # every case, the chief's clock list, archive, rates of everyone
    DOCUMENT_VOID = "document.void"      # 作废 a printed document
    OVERSIGHT = "oversight"              # 考核监督: the KPI figures of everyone, the oversight page (station chief);
                                         # evaluations, committee, inspections, ratings, titles
    OVERSIGHT_WORK = "oversight.work"     # hotline complaints, paper questionnaires (every worker)
    EMERGENCY_WORK = "emergency.work"     # open incidents, record the first minutes, check on people
    EMERGENCY_ALL = "emergency.all"       # edit plans and the team, record drills, print the kit


_P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CLERK: frozenset({_P.RESIDENT_VIEW, _P.RESIDENT_EDIT, _P.RESIDENT_REVEAL, _P.COUNTER_WORK,
                           _P.SPECIAL_WORK, _P.MEDIATION_WORK, _P.EMERGENCY_WORK,
                           _P.OVERSIGHT_WORK}),
    Role.WORKER: frozenset({_P.RESIDENT_VIEW, _P.RESIDENT_EDIT, _P.RESIDENT_REVEAL, _P.COUNTER_WORK,
                            _P.SPECIAL_WORK, _P.MEDIATION_WORK, _P.EMERGENCY_WORK, _P.OVERSIGHT_WORK}),
    Role.CHIEF: frozenset({_P.RESIDENT_VIEW, _P.RESIDENT_EDIT, _P.RESIDENT_REVEAL, _P.RESIDENT_IMPORT,
                           _P.RESIDENT_EXPORT, _P.COUNTER_WORK, _P.CASES_ALL, _P.AUDIT_VIEW, _P.BACKUP,
                           _P.SPECIAL_WORK, _P.SPECIAL_ALL, _P.MEDIATION_WORK, _P.MEDIATION_ALL,
                           _P.DOCUMENT_VOID, _P.OVERSIGHT, _P.EMERGENCY_WORK, _P.EMERGENCY_ALL,
                           _P.OVERSIGHT_WORK}),
    Role.ADMIN: frozenset(Permission),
}


def can(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
