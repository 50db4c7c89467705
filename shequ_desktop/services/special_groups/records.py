"""Append-only records of a file: contacts (calls, visits, sessions), needs assessments, the versioned service
package, quarterly reviews, follow-ups and work orders from needs found, satisfaction surveys.

A correction is a new entry whose ``corrects_id`` points at the entry it replaces; nothing is updated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from shequ_desktop.domain import special_groups as sg
from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import NotFound, UserError, ValidationErrors
from shequ_desktop.domain.indicators import Indicator, IndicatorRecord, indicator, target_from_percent
from shequ_desktop.domain.masking import mask_name
from shequ_desktop.persistence.models import Resident
from shequ_desktop.persistence.special_groups_models import (Assessment, ContactLog, FileReview, FollowUp,
                                                             ServicePackage, SpecialFile, Survey)
from shequ_desktop.persistence.sync_models import WorkOrder, WorkOrderEvent
from shequ_desktop.services import staff
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.policy import current_policy
from shequ_desktop.services.special_groups.common import (active_staff, get_visible_file, require_work,
                                                          responsible_login, sees_all, team_logins)


@dataclass(frozen=True)
class FollowUpInput:
    need: str
    due_on: dt.date
    note: str = ""
    work_order: bool = False          # True: a work order to the responsible worker instead of a follow-up only


@dataclass
class ContactInput:
    file_id: str
    kind: str                          # call / visit / session / other
    outcome: str                       # reached / not_reached / refused
    contact_on: dt.date | None = None  # default today
    notes: str = ""
    needs: tuple[str, ...] = ()
    next_date: dt.date | None = None
    by_role: str = "worker"
    by_name: str = ""                  # default: the logged-in user (staff) — required for others
    follow_ups: tuple[FollowUpInput, ...] = ()
    corrects_id: str | None = None
    retracted: bool = False


@dataclass(frozen=True)
class ContactView:
    id: str
    kind: str
    contact_on: dt.date
    by_role: str
    by_name: str
    outcome: str
    notes: str
    needs: tuple[str, ...]
    next_date: dt.date | None
    corrects_id: str | None
    retracted: bool
    superseded: bool                   # a later entry corrects this one
    follow_up_ids: tuple[str, ...] = field(default=())


def _staff_name(s, ctx: AppContext) -> str:  # noqa: ANN001
    return ctx.user.display_name


def record_contact(ctx: AppContext, inp: ContactInput) -> ContactView:
    """Record a call, visit or session in one transaction, with the follow-ups and work orders for needs found."""
    today = local_today(ctx.clock)
    on = inp.contact_on or today
    errors: list[UserError] = []
    if inp.kind not in sg.CONTACT_KINDS:
        errors.append(UserError("Choose the kind of contact.", field="kind"))
    if inp.outcome not in sg.OUTCOMES:
        errors.append(UserError("Choose the outcome.", field="outcome"))
    if inp.by_role not in sg.ROLES:
        errors.append(UserError("Choose a role.", field="by_role"))
    if on > today:
        errors.append(UserError("A contact cannot be dated in the future.", field="contact_on"))
    if inp.next_date is not None and inp.next_date <= on:
        errors.append(UserError("The next date must come after this contact.", field="next_date"))
    bad_needs = [n for n in list(inp.needs) + [f.need for f in inp.follow_ups] if n not in sg.NEEDS]
    if bad_needs:
        errors.append(UserError("Unknown code {code}.", field="needs", code=bad_needs[0]))
    for fu in inp.follow_ups:
        if fu.due_on < on:
            errors.append(UserError("A follow-up cannot be due before the contact.", field="follow_ups"))
            break
    staff = inp.by_role in ("worker", "coordinator")
    by_name = inp.by_name.strip() or (ctx.user.display_name if staff else "")
    if not by_name:
        errors.append(UserError("Who made the contact?", field="by_name"))
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, inp.file_id)
        if inp.corrects_id:
            old = s.get(ContactLog, inp.corrects_id)
            if old is None or old.file_id != f.id:
                raise NotFound("The entry to correct does not exist.")
            if s.execute(select(ContactLog.id).where(ContactLog.corrects_id == old.id)).first():
                errors.append(UserError("This entry was already corrected; correct the newest entry."))
        elif f.status != "open":
            errors.append(UserError("This file is closed: no new contacts can be recorded. Reopen it first.",
                                    field="file"))
        if on < f.opened_on and not inp.corrects_id:
            errors.append(UserError("The contact is dated before the file was opened.", field="contact_on"))
        if errors:
            raise ValidationErrors(errors)
        c = ContactLog(community_id=ctx.community_id, file_id=f.id, kind=inp.kind, contact_on=on,
                       recorded_at=ctx.clock.now(), by_role=inp.by_role, by_login=ctx.user.login if staff else "",
                       by_name=by_name, outcome=inp.outcome, notes=inp.notes.strip(),
                       needs=sorted(set(inp.needs) | {fu.need for fu in inp.follow_ups}), next_date=inp.next_date,
                       corrects_id=inp.corrects_id, retracted=inp.retracted)
        s.add(c)
        s.flush()
        ids = tuple(_follow_up(s, ctx, f, c.id, fu) for fu in inp.follow_ups)
        return ContactView(c.id, c.kind, c.contact_on, c.by_role, c.by_name, c.outcome, c.notes, tuple(c.needs),
                           c.next_date, c.corrects_id, c.retracted, False, ids)


def _follow_up(s, ctx: AppContext, f: SpecialFile, contact_id: str, fu: FollowUpInput) -> str:  # noqa: ANN001
    login, _name = responsible_login(f.group, active_staff(s, [f.id]).get(f.id, {}))
    login = login or ctx.user.login
    order_id = None
    if fu.work_order:
        r = s.get(Resident, f.resident_id)
        user = login if login in staff.names(s) else None      # a login of the community's staff
        now = ctx.clock.now()
        wo = WorkOrder(community_id=ctx.community_id, source="visit", category=sg.NEED_LABELS[fu.need],
                       description=f"特殊群体走访发现需求：{sg.NEED_LABELS[fu.need]}。{fu.note.strip()}".strip(),
                       address=r.address if r else "", contact=mask_name(r.name) if r else "",
                       urgency="general", received_at=now, grid_id=r.grid_id if r else None,
                       assignee_login=user, assigned_as="A" if user else "",
                       status="dispatched" if user else "new", request_no=f"SG{now.strftime('%Y%m%d%H%M%S')}")
        s.add(wo)
        s.flush()
        s.add(WorkOrderEvent(community_id=ctx.community_id, work_order_id=wo.id, kind="dispatch",
                             note=f"由特殊群体档案转派给责任社工 {login}", by_user=ctx.user.login, at=now))
        order_id = wo.id
    row = FollowUp(community_id=ctx.community_id, file_id=f.id, need=fu.need, note=fu.note.strip(), due_on=fu.due_on,
                   status="open", assigned_login=login, contact_id=contact_id, work_order_id=order_id)
    s.add(row)
    s.flush()
    return row.id


def contacts(ctx: AppContext, file_id: str, limit: int = 200) -> list[ContactView]:
    """The file's contact log, newest first; corrected entries are marked, never removed."""
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        rows = s.execute(select(ContactLog).where(ContactLog.file_id == f.id, ContactLog.deleted_at.is_(None))
                         .order_by(ContactLog.contact_on.desc(), ContactLog.recorded_at.desc()).limit(limit)
                         ).scalars().all()
        corrected = {r.corrects_id for r in rows if r.corrects_id}
        return [ContactView(r.id, r.kind, r.contact_on, r.by_role, r.by_name, r.outcome, r.notes, tuple(r.needs),
                            r.next_date, r.corrects_id, r.retracted, r.id in corrected) for r in rows]


# --- follow-ups ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FollowUpView:
    id: str
    file_id: str
    name: str                 # masked
    need: str
    note: str
    due_on: dt.date
    status: str
    assigned_login: str
    work_order_id: str | None
    days_late: int


def follow_ups(ctx: AppContext, login: str | None = None, file_id: str | None = None,
               open_only: bool = True) -> list[FollowUpView]:
    require_work(ctx)
    today = local_today(ctx.clock)
    with ctx.transaction() as s:
        q = select(FollowUp, SpecialFile.resident_id, SpecialFile.group).join(
            SpecialFile, SpecialFile.id == FollowUp.file_id).where(FollowUp.community_id == ctx.community_id,
                                                                   FollowUp.deleted_at.is_(None))
        if open_only:
            q = q.where(FollowUp.status == "open")
        if login:
            q = q.where(FollowUp.assigned_login == login)
        if file_id:
            q = q.where(FollowUp.file_id == file_id)
        rows = s.execute(q.order_by(FollowUp.due_on)).all()
        teams = team_logins(s, [fu.file_id for fu, _r, g in rows if g == "child"])
        names = dict(s.execute(select(Resident.id, Resident.name).where(
            Resident.id.in_({r for _f, r, _g in rows}))).all())
        out = []
        for fu, rid, group in rows:
            if group == "child" and not sees_all(ctx) and ctx.user.login not in teams.get(fu.file_id, set()):
                continue
            out.append(FollowUpView(fu.id, fu.file_id, mask_name(names.get(rid, "")), fu.need, fu.note, fu.due_on,
                                    fu.status, fu.assigned_login, fu.work_order_id,
                                    max(0, (today - fu.due_on).days) if fu.status == "open" else 0))
        return out


def close_follow_up(ctx: AppContext, follow_up_id: str, result: str, done: bool = True) -> None:
    if not result.strip():
        raise UserError("Describe what was done.", field="result")
    with ctx.transaction() as s:
        fu = s.get(FollowUp, follow_up_id)
        if fu is None or fu.deleted_at is not None:
            raise NotFound("This follow-up does not exist.")
        get_visible_file(s, ctx, fu.file_id)
        if fu.status != "open":
            raise UserError("This follow-up is already closed.")
        fu.status, fu.result, fu.done_on = ("done" if done else "cancelled"), result.strip(), local_today(ctx.clock)


# --- assessments and the service package -----------------------------------------------------------------

@dataclass(frozen=True)
class PackageItem:
    item: str
    frequency: str
    provider: str


@dataclass(frozen=True)
class PackageView:
    file_id: str
    version_no: int
    valid_from: dt.date | None
    items: tuple[PackageItem, ...]
    assessment_id: str | None


@dataclass(frozen=True)
class Proposal:
    op: str                   # add / change / remove
    item: str
    frequency: str = ""
    provider: str = ""


@dataclass(frozen=True)
class AssessmentView:
    id: str
    file_id: str
    assessed_on: dt.date
    by_name: str
    needs: tuple[str, ...]
    notes: str
    proposals: tuple[Proposal, ...]
    corrects_id: str | None


def record_assessment(ctx: AppContext, file_id: str, needs: tuple[str, ...], notes: str = "",
                      proposals: tuple[Proposal, ...] = (), on: dt.date | None = None,
                      corrects_id: str | None = None) -> AssessmentView:
    """A needs assessment (R22): the needs found and the package changes it proposes (accepted item by item)."""
    today = local_today(ctx.clock)
    on = on or today
    errors: list[UserError] = []
    if not needs:
        errors.append(UserError("An assessment records the needs found; choose at least one.", field="needs"))
    if any(n not in sg.NEEDS for n in needs):
        errors.append(UserError("Unknown code {code}.", field="needs", code=[n for n in needs if n not in sg.NEEDS][0]))
    if on > today:
        errors.append(UserError("The date cannot be in the future.", field="assessed_on"))
    for p in proposals:
        if p.op not in ("add", "change", "remove") or not p.item.strip():
            errors.append(UserError("Each proposed change names an item.", field="proposals"))
            break
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        if f.status != "open" and not corrects_id:
            errors.append(UserError("This file is closed: no new contacts can be recorded. Reopen it first.",
                                    field="file"))
        if errors:
            raise ValidationErrors(errors)
        a = Assessment(community_id=ctx.community_id, file_id=f.id, assessed_on=on, by_login=ctx.user.login,
                       by_name=ctx.user.display_name, needs=sorted(set(needs)), notes=notes.strip(),
                       proposals=[p.__dict__ for p in proposals], corrects_id=corrects_id)
        s.add(a)
        s.flush()
        return _assessment_view(a)


def _assessment_view(a: Assessment) -> AssessmentView:
    return AssessmentView(a.id, a.file_id, a.assessed_on, a.by_name, tuple(a.needs), a.notes,
                          tuple(Proposal(**p) for p in a.proposals), a.corrects_id)


def assessments(ctx: AppContext, file_id: str) -> list[AssessmentView]:
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        return [_assessment_view(a) for a in s.execute(select(Assessment).where(Assessment.file_id == f.id)
                                                        .order_by(Assessment.assessed_on.desc())).scalars()]


def package(ctx: AppContext, file_id: str) -> PackageView:
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        return _package(s, f.id)


def _package(s, file_id: str) -> PackageView:  # noqa: ANN001
    p = s.execute(select(ServicePackage).where(ServicePackage.file_id == file_id)
                  .order_by(ServicePackage.version_no.desc()).limit(1)).scalar_one_or_none()
    if p is None:
        return PackageView(file_id, 0, None, (), None)
    return PackageView(file_id, p.version_no, p.valid_from, tuple(PackageItem(**i) for i in p.items), p.assessment_id)


def package_history(ctx: AppContext, file_id: str) -> list[PackageView]:
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        return [PackageView(f.id, p.version_no, p.valid_from, tuple(PackageItem(**i) for i in p.items),
                            p.assessment_id)
                for p in s.execute(select(ServicePackage).where(ServicePackage.file_id == f.id)
                                   .order_by(ServicePackage.version_no.desc())).scalars()]


def set_package(ctx: AppContext, file_id: str, items: tuple[PackageItem, ...], note: str = "",
                assessment_id: str | None = None) -> PackageView:
    """Write a new version of the personalised service package (R17); older versions stay."""
    if any(not i.item.strip() or not i.frequency.strip() for i in items):
        raise UserError("Each item needs a name and a frequency.", field="items")
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        if f.status != "open":
            raise UserError("This file is closed; reopen it first.")
        current = _package(s, f.id)
        s.add(ServicePackage(community_id=ctx.community_id, file_id=f.id, version_no=current.version_no + 1,
                             valid_from=local_today(ctx.clock),
                             items=[{"item": i.item.strip(), "frequency": i.frequency.strip(),
                                     "provider": i.provider.strip()} for i in items],
                             assessment_id=assessment_id, by_login=ctx.user.login, note=note))
        s.flush()
        return _package(s, f.id)


def accept_proposals(ctx: AppContext, assessment_id: str, accepted: tuple[int, ...]) -> PackageView:
    """Apply the chosen proposals of an assessment (by index) to the current package as a new version."""
    with ctx.transaction() as s:
        a = s.get(Assessment, assessment_id)
        if a is None:
            raise NotFound("This assessment does not exist.")
        f = get_visible_file(s, ctx, a.file_id)
        items = {i.item: i for i in _package(s, f.id).items}
        for idx in accepted:
            if not 0 <= idx < len(a.proposals):
                raise UserError("Unknown proposal {n}.", n=idx + 1)
            p = Proposal(**a.proposals[idx])
            if p.op == "remove":
                items.pop(p.item, None)
            else:
                old = items.get(p.item)
                items[p.item] = PackageItem(p.item, p.frequency or (old.frequency if old else ""),
                                            p.provider or (old.provider if old else ""))
        return set_package(ctx, f.id, tuple(items.values()), note="采纳评估建议", assessment_id=a.id)


# --- reviews ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReviewView:
    id: str
    reviewed_on: dt.date
    by_name: str
    changes: str
    missing: str
    notes: str
    corrects_id: str | None


def sign_off_review(ctx: AppContext, file_id: str, changes: str, missing: str = "", notes: str = "",
                    on: dt.date | None = None, corrects_id: str | None = None) -> ReviewView:
    """The reviewer signs off the quarterly review (R16); it also answers an outside change (R51)."""
    today = local_today(ctx.clock)
    on = on or today
    if on > today:
        raise UserError("The date cannot be in the future.", field="reviewed_on")
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        if f.status != "open" and not corrects_id:
            raise UserError("This file is closed; reopen it first.")
        r = FileReview(community_id=ctx.community_id, file_id=f.id, reviewed_on=on, by_login=ctx.user.login,
                       by_name=ctx.user.display_name, changes=changes.strip(), missing=missing.strip(),
                       notes=notes.strip(), corrects_id=corrects_id)
        s.add(r)
        s.flush()
        return ReviewView(r.id, r.reviewed_on, r.by_name, r.changes, r.missing, r.notes, r.corrects_id)


def reviews(ctx: AppContext, file_id: str) -> list[ReviewView]:
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        return [ReviewView(r.id, r.reviewed_on, r.by_name, r.changes, r.missing, r.notes, r.corrects_id)
                for r in s.execute(select(FileReview).where(FileReview.file_id == f.id)
                                   .order_by(FileReview.reviewed_on.desc())).scalars()]


# --- satisfaction (R36) ----------------------------------------------------------------------------------

def record_survey(ctx: AppContext, file_id: str, score: int, method: str, surveyor: str = "",
                  on: dt.date | None = None, comment: str = "") -> str:
    today = local_today(ctx.clock)
    on = on or today
    errors = []
    if score not in sg.SCORE_LABELS:
        errors.append(UserError("The score is 1 to 5.", field="score"))
    if method not in sg.SURVEY_METHODS:
        errors.append(UserError("Choose how the survey was made.", field="method"))
    if on > today:
        errors.append(UserError("The date cannot be in the future.", field="surveyed_on"))
    if errors:
        raise ValidationErrors(errors)
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        if f.status != "open" and f.closed_on is not None and on > f.closed_on:
            # a survey made while the file was open may be entered later; none after it was closed
            raise UserError("This file is closed; reopen it first.", field="surveyed_on")
        row = Survey(community_id=ctx.community_id, file_id=f.id, surveyed_on=on, score=score, method=method,
                     surveyor=surveyor.strip() or ctx.user.display_name, comment=comment.strip())
        s.add(row)
        s.flush()
        return row.id


def satisfaction(ctx: AppContext, since: dt.date, until: dt.date) -> Indicator:
    """特殊群体服务满意度 = (满意 + 非常满意) ÷ valid responses in the period (DOMAIN §1.3), with the surveys.

    Each survey is credited to the worker responsible for the file on the survey's day (R36 rates the
    worker's service, not the surveyor's): ``owner`` is that worker's name, ``detail["logins"]`` their
    login (none: a file without a responsible worker), ``detail["surveyor"]`` who asked. The KPI dashboard
    and the special-groups satisfaction view both read this one list."""
    from shequ_desktop.services import worker_refs
    require_work(ctx)
    target = target_from_percent(current_policy(ctx).get("special_group_satisfaction_pct"))
    with ctx.transaction() as s:
        # columns, not ORM objects: a year of surveys loads in a fraction of the time (the KPI dashboard)
        rows = s.execute(select(Survey.id, Survey.surveyed_on, Survey.score, Survey.method, Survey.surveyor,
                                Survey.corrects_id, Survey.valid, Survey.file_id, SpecialFile.group, Resident.name)
                         .join(SpecialFile, SpecialFile.id == Survey.file_id)
                         .join(Resident, Resident.id == SpecialFile.resident_id)
                         .where(Survey.community_id == ctx.community_id, Survey.surveyed_on >= since,
                                Survey.surveyed_on <= until, Survey.deleted_at.is_(None))).all()
        corrected = {sv.corrects_id for sv in rows if sv.corrects_id}
        rows = [sv for sv in rows if sv.valid and sv.id not in corrected]
        workers = worker_refs.survey_workers(s, [sv.id for sv in rows])
        records = []
        for sv in rows:
            w = workers.get(sv.id, worker_refs.NOBODY)
            records.append(IndicatorRecord(
                sv.id, f"{mask_name(sv.name)} {sv.surveyed_on.isoformat()} {sg.SCORE_LABELS[sv.score]}",
                sv.score in sg.SATISFIED_SCORES, owner=w.name, group=sv.group,
                detail={"method": sv.method, "score": sv.score, "date": sv.surveyed_on, "who": mask_name(sv.name),
                        "surveyor": sv.surveyor, "logins": (w.login,) if w.login else (), "file_id": sv.file_id}))
    return indicator("special_group_satisfaction", target, records)


@dataclass(frozen=True)
class SatisfactionView:
    """The satisfaction rate of a period and its split by responsible worker (nobody's share last)."""

    figure: Indicator
    per_worker: list  # list[worker_refs.WorkerFigure]


def satisfaction_view(ctx: AppContext, since: dt.date, until: dt.date) -> SatisfactionView:
    """:func:`satisfaction` with the surveys split by the file's responsible worker — the split the KPI
    dashboard makes (services/worker_refs), so both screens credit the same worker."""
    from shequ_desktop.services import worker_refs
    figure = satisfaction(ctx, since, until)
    with ctx.transaction() as s:
        return SatisfactionView(figure, worker_refs.per_worker(s, figure))
