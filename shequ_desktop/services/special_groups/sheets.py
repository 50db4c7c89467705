"""Printing the field sheets: the week's visit list, a volunteer's sheet, the blank visit record, the review
worksheet. Every print of personal data is written to the audit log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select

from shequ_desktop.domain import special_groups as sg
from shequ_desktop.domain.clock import local_today
from shequ_desktop.domain.errors import UserError
from shequ_desktop.domain.masking import mask_id_number, mask_name, mask_phone
from shequ_desktop.domain.schedules import Period, TaskState, period_bounds
from shequ_desktop.persistence.models import Community, Resident
from shequ_desktop.persistence.special_groups_models import (ContactLog, FileEvent, FileReview, RosterMember,
                                                             ServicePackage, SpecialFile)
from shequ_desktop.printing import special_groups_sheets as t
from shequ_desktop.printing.document import Document, format_cn_date
from shequ_desktop.printing.pdf_backend import render_pdf
from shequ_desktop.services import audit
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.special_groups import schedule
from shequ_desktop.services.special_groups.common import (MSG_SG_PRINTED_FIELD_SHEET, MSG_SG_PRINTED_REVIEW,
                                                          MSG_SG_PRINTED_VOLUNTEER_SHEET, get_visible_file,
                                                          require_work, resident_facts)

KINDS = ("field-sheet", "volunteer-sheet", "visit-record", "file-review")


def _station(s, ctx: AppContext) -> str:  # noqa: ANN001
    c = s.get(Community, ctx.community_id)
    return f"{c.name}工作站" if c is not None and c.name else "社区工作站"


def _task_text(kind: str, state: TaskState, days_late: int) -> str:
    return sg.TASK_LABELS[kind] + (f"（逾期{days_late}天）" if state is TaskState.OVERDUE else "")


def field_sheet_document(ctx: AppContext, login: str, today: dt.date | None = None) -> Document:
    """The week's visit list of a worker, sorted by building and unit, with contacts, flags, last visit."""
    today = today or local_today(ctx.clock)
    day = schedule.my_day(ctx, login, today)
    items = [i for i in day.items if i.kind in ("visit", "support", "assessment")]
    by_file: dict[str, list[schedule.DueItem]] = {}
    for i in items:
        by_file.setdefault(i.file_id, []).append(i)
    with ctx.transaction() as s:
        station = _station(s, ctx)
        ids = list(by_file)
        members = s.execute(select(RosterMember).where(RosterMember.file_id.in_(ids), RosterMember.active_to.is_(None),
                                                       RosterMember.deleted_at.is_(None))).scalars().all()
        visits = s.execute(select(ContactLog.file_id, ContactLog.contact_on, ContactLog.notes).where(
            ContactLog.file_id.in_(ids), ContactLog.kind == "visit", ContactLog.retracted.is_(False))
            .order_by(ContactLog.contact_on)).all()
        phones = dict(s.execute(select(SpecialFile.id, Resident.phone).join(
            Resident, Resident.id == SpecialFile.resident_id).where(SpecialFile.id.in_(ids))).all())
        worker = next((m.name for m in members if m.login == login), login)
        audit.append(s, ctx, audit.AuditAction.PRINT, "sg_field_sheet", login,
                     audit.describe(MSG_SG_PRINTED_FIELD_SHEET, login=login, count=len(ids)))
    last_visit = {fid: (on, notes) for fid, on, notes in visits}
    contacts: dict[str, list[str]] = {}
    for m in members:
        if m.role in ("family", "guardian"):
            contacts.setdefault(m.file_id, []).append(f"{m.name}（{m.relation}）{m.phone}")
        elif m.role == "volunteer":
            contacts.setdefault(m.file_id, []).append(f"志愿者{m.name} {m.phone}")
    rows = []
    for fid, its in sorted(by_file.items(), key=lambda kv: (kv[1][0].building, kv[1][0].unit, kv[1][0].room)):
        i = its[0]
        lv = last_visit.get(fid)
        rows.append(t.FieldSheetRow(
            i.full_name, f"{i.building}{i.unit}单元{i.room}室" if i.building else i.address, phones.get(fid, ""),
            "\n".join(contacts.get(fid, [])), "、".join(sg.FLAG_LABELS[f] for f in i.flags if f in sg.FLAG_LABELS),
            "；".join(_task_text(x.kind, x.state, x.days_late) for x in its),
            f"{lv[0].month}月{lv[0].day}日" if lv else "无", lv[1] if lv else ""))
    first, last = period_bounds(today, Period.WEEK)
    return t.field_sheet(t.FieldSheetData(station, worker, first, last, tuple(rows), today))


def volunteer_sheet_document(ctx: AppContext, login: str, today: dt.date | None = None,
                             volunteer: str | None = None) -> Document:
    """For each volunteer of the worker's elderly files: name, address, phone, care notes — nothing else (§7.3).
    One volunteer (``volunteer``, by name, as chosen in the picker) or all of them one after the other."""
    require_work(ctx)
    today = today or local_today(ctx.clock)
    with ctx.transaction() as s:
        station = _station(s, ctx)
        mine = select(RosterMember.file_id).where(RosterMember.login == login, RosterMember.active_to.is_(None),
                                                  RosterMember.deleted_at.is_(None))
        rows = s.execute(select(RosterMember.name, SpecialFile.resident_id, SpecialFile.care_notes)
                         .join(SpecialFile, SpecialFile.id == RosterMember.file_id)
                         .where(RosterMember.file_id.in_(mine), RosterMember.role == "volunteer",
                                RosterMember.active_to.is_(None), SpecialFile.status == "open",
                                SpecialFile.group == "elderly",
                                *((RosterMember.name == volunteer,) if volunteer else ()))).all()
        facts = resident_facts(s, [r[1] for r in rows])
        worker = s.execute(select(RosterMember.name).where(RosterMember.login == login).limit(1)).scalar() or login
        audit.append(s, ctx, audit.AuditAction.PRINT, "sg_volunteer_sheet", login,
                     audit.describe(MSG_SG_PRINTED_VOLUNTEER_SHEET, login=login, count=len(rows)))
    by_vol: dict[str, list[t.VolunteerRow]] = {}
    for vol, rid, notes in rows:
        f = facts.get(rid)
        if f is not None:
            by_vol.setdefault(vol, []).append(t.VolunteerRow(f.name, f.address, f.phone, notes))
    if not by_vol:
        return t.volunteer_sheet(t.VolunteerSheetData(station, "—", worker, (), today))
    return _concat([t.volunteer_sheet(t.VolunteerSheetData(station, v, worker, tuple(p), today))
                    for v, p in sorted(by_vol.items())])


def _concat(docs: list[Document]) -> Document:
    from dataclasses import replace
    from shequ_desktop.printing.document import PageBreak
    blocks: list[object] = []
    for i, d in enumerate(docs):
        if i:
            blocks.append(PageBreak())
        blocks.extend(d.blocks)
    return replace(docs[0], blocks=tuple(blocks))  # type: ignore[arg-type]


def review_worksheet_document(ctx: AppContext, file_id: str, today: dt.date | None = None) -> Document:
    """The quarterly review worksheet: what changed since the last review, what is missing."""
    today = today or local_today(ctx.clock)
    q_first, q_last = period_bounds(today, Period.QUARTER)
    tasks = schedule.file_tasks(ctx, file_id, today)
    with ctx.transaction() as s:
        f = get_visible_file(s, ctx, file_id)
        r = s.get(Resident, f.resident_id)
        station = _station(s, ctx)
        last = s.execute(select(FileReview.reviewed_on).where(FileReview.file_id == f.id)
                         .order_by(FileReview.reviewed_on.desc()).limit(1)).scalar()
        since = last or f.opened_on
        events = s.execute(select(FileEvent).where(FileEvent.file_id == f.id, FileEvent.at >= dt.datetime.combine(
            since, dt.time(), tzinfo=dt.timezone.utc)).order_by(FileEvent.at)).scalars().all()
        needs = s.execute(select(ContactLog.contact_on, ContactLog.needs).where(
            ContactLog.file_id == f.id, ContactLog.contact_on >= since)).all()
        members = s.execute(select(RosterMember).where(RosterMember.file_id == f.id, RosterMember.active_to.is_(None),
                                                       RosterMember.deleted_at.is_(None))).scalars().all()
        pkg = s.execute(select(ServicePackage).where(ServicePackage.file_id == f.id)
                        .order_by(ServicePackage.version_no.desc()).limit(1)).scalar_one_or_none()
        from shequ_desktop.services.special_groups.files import roster_problems
        problems = roster_problems(s, [f]).get(f.id, ())
        audit.append(s, ctx, audit.AuditAction.PRINT, "sg_file_review", f.id,
                     audit.describe(MSG_SG_PRINTED_REVIEW, name=mask_name(r.name) if r else ""))
    changes = [f"{e.at.date().month}月{e.at.date().day}日 {sg.FILE_EVENT_LABELS.get(e.kind, e.kind)}：{e.detail}"
               for e in events if e.kind != "opened" or e.at.date() >= since]
    changes += [f"{on.month}月{on.day}日 联系中发现需求：{'、'.join(sg.NEED_LABELS.get(n, n) for n in ns)}"
                for on, ns in needs if ns]
    if f.review_requested_on:
        changes.append(f"外部变更待复核：{f.review_reason}")
    if r is not None and r.deleted_at is not None:
        changes.append("户籍信息已注销（死亡或迁出），请核实并结档")
    missing = [("缺少" + sg.ROLE_LABELS[p.split(':')[1]]) if p.startswith("missing") else
               ("同时有两名在岗" + sg.ROLE_LABELS[p.split(':')[1]]) for p in problems]
    if r is not None and not r.phone:
        missing.append("本人联系电话")
    if pkg is None:
        missing.append("个性化服务包")
    late = [x for x in tasks if x.state is TaskState.OVERDUE]
    if late:
        missing.append(f"逾期任务{len(late)}项：" + "、".join(sorted({sg.TASK_LABELS[x.key] for x in late})))
    contacts = []
    for key in ("call", "visit", "support", "assessment"):
        qs = [x for x in tasks if x.key == key and x.period_last >= q_first and x.period_first <= q_last]
        if qs:
            done = sum(1 for x in qs if x.state is TaskState.DONE)
            lates = sum(1 for x in qs if x.state is TaskState.OVERDUE)
            contacts.append((sg.TASK_LABELS[key], f"完成{done}/{len(qs)}期" + (f"，逾期{lates}期" if lates else "")))
    quarter = f"{today.year}年第{'一二三四'[(today.month - 1) // 3]}季度"
    roster = tuple((sg.ROLE_LABELS[m.role] + (f"（{m.relation}）" if m.relation else ""), m.name,
                    mask_phone(m.phone) or "—") for m in members)
    return t.file_review(t.FileReviewData(
        station, r.name if r else "", mask_id_number(r.id_number) if r else "", r.address if r else "",
        sg.GROUP_LABELS[f.group], "、".join(sg.FLAG_LABELS[x] for x in f.flags if x in sg.FLAG_LABELS), quarter,
        format_cn_date(last) if last else "无", tuple(contacts), roster, tuple(changes), tuple(missing),
        tuple((i["item"], i["frequency"], i["provider"]) for i in (pkg.items if pkg else [])), today))


def print_sheet(ctx: AppContext, kind: str, login: str | None = None, file_id: str | None = None,
                out: Path | None = None, volunteer: str | None = None) -> Path:
    """Render one paper to a PDF file (in the documents folder unless ``out`` is given); returns its path."""
    require_work(ctx)
    login = login or ctx.user.login
    if kind == "field-sheet":
        doc = field_sheet_document(ctx, login)
    elif kind == "volunteer-sheet":
        doc = volunteer_sheet_document(ctx, login, volunteer=volunteer)
    elif kind == "visit-record":
        with ctx.transaction() as s:
            doc = t.visit_record(_station(s, ctx))
    elif kind == "file-review" and file_id:
        doc = review_worksheet_document(ctx, file_id)
    else:
        raise UserError("Unknown document kind {kind}; see --list.", kind=kind)
    if out is None:
        folder = ctx.db.path.parent / "documents" / "special_groups"
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f"{kind}-{login}-{ctx.clock.now().strftime('%Y%m%d%H%M%S')}.pdf"
    out.write_bytes(render_pdf(doc))
    return out
