"""The 24-hour supervision hotline (R39–R42): log a complaint at the minute it was received, the two
clocks (contact within 1 hour elapsed, result within 3 working days), the written explanation once
overdue and its filing with the subdistrict. Complainants are masked in lists; a reveal is audited (§7).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.clocks import ClockRule, deadline
from shequ_desktop.domain.errors import NotFound, UserError
from shequ_desktop.domain.masking import mask_name, mask_phone
from shequ_desktop.domain.roles import Permission, Role
from shequ_desktop.persistence.governance_models import Complaint
from shequ_desktop.services import audit, calendar
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.counter import next_serial
from shequ_desktop.services.governance.common import ClockState, close_time, policy, today


@dataclass(frozen=True)
class ComplaintInput:
    received_at: dt.datetime              # the real time of the call (a night call entered next morning)
    complainant_name: str
    content: str
    channel: str = "hotline"
    complainant_phone: str = ""
    about: str = ""
    grid_id: str | None = None
    handler_name: str = ""


@dataclass(frozen=True)
class ComplaintView:
    id: str
    complaint_no: str
    received_at: dt.datetime
    channel: str
    complainant_name: str        # masked unless revealed
    complainant_phone: str       # masked unless revealed
    about: str
    content: str
    grid_id: str | None
    handler_name: str
    state: str
    contact: ClockState
    feedback: ClockState
    contact_note: str
    result: str
    explanation: str
    explained_at: dt.datetime | None
    filed_on: dt.date | None
    entered_at: dt.datetime
    version: int

    def overdue(self, now: dt.datetime) -> bool:
        """The result is late (fed back late, or still open past its deadline) — R42 applies."""
        return self.feedback.late(now)

    def needs_explanation(self, now: dt.datetime) -> bool:
        return self.overdue(now) and not self.explanation

    def needs_filing(self, now: dt.datetime) -> bool:
        return self.overdue(now) and bool(self.explanation) and self.filed_on is None


@dataclass(frozen=True)
class Complainant:
    name: str
    phone: str


def _minute(when: dt.datetime) -> dt.datetime:
    if when.tzinfo is None:
        raise UserError("Give the time with its date.", field="received_at")
    return when.astimezone(dt.timezone.utc).replace(second=0, microsecond=0)


def view(c: Complaint, reveal: bool = False) -> ComplaintView:
    return ComplaintView(
        c.id, c.complaint_no, c.received_at, c.channel,
        c.complainant_name if reveal else mask_name(c.complainant_name),
        c.complainant_phone if reveal else mask_phone(c.complainant_phone), c.about, c.content, c.grid_id,
        c.handler_name, c.state, ClockState(c.contact_due_at, c.contacted_at),
        ClockState(c.feedback_due_at, c.fed_back_at, c.feedback_provisional), c.contact_note, c.result,
        c.explanation, c.explained_at, c.filed_on, c.created_at, c.version)


def _check(data: ComplaintInput, now: dt.datetime) -> dt.datetime:
    received = _minute(data.received_at)
    if received > now:
        raise UserError("The complaint cannot be received in the future.", field="received_at")
    if data.channel not in g.COMPLAINT_CHANNELS:
        raise UserError("Choose how the complaint came in.", field="channel")
    if not data.complainant_name.strip():
        raise UserError("Give the complainant's name (or write anonymous).", field="complainant_name")
    if len(data.complainant_name.strip()) > 64:
        raise UserError("The name is too long.", field="complainant_name")
    if len(data.complainant_phone.strip()) > 32:
        raise UserError("The phone number is too long.", field="complainant_phone")
    if len(data.about.strip()) > 100:
        raise UserError("Keep this to 100 characters.", field="about")
    if not data.content.strip():
        raise UserError("Write down what the complaint is about.", field="content")
    return received


def log_complaint(ctx: AppContext, data: ComplaintInput) -> ComplaintView:
    """A new complaint; both clocks start at the moment it was received, not when it is typed in."""
    ctx.require(Permission.OVERSIGHT_WORK)
    now = ctx.clock.now()
    received = _check(data, now)
    pol = policy(ctx)
    contact_due = received + ClockRule.minutes(pol.int_value("complaint_contact_minutes")).duration()
    feedback = deadline(received, ClockRule.working_days(pol.int_value("complaint_feedback_wd")),
                        calendar.working_calendar(ctx), close_time(ctx))
    year = to_local(received).year
    with ctx.transaction() as s:
        seq = next_serial(s, "complaint", year)
        c = Complaint(community_id=ctx.community_id, complaint_no=f"TS{year}-{seq:04d}", received_at=received,
                      channel=data.channel, complainant_name=data.complainant_name.strip(),
                      complainant_phone=data.complainant_phone.strip(), about=data.about.strip(),
                      content=data.content.strip(), grid_id=data.grid_id,
                      handler_name=data.handler_name.strip()[:64] or ctx.user.display_name[:64], state=g.OPEN,
                      contact_due_at=contact_due, feedback_due_at=feedback.due,
                      feedback_provisional=feedback.provisional)
        s.add(c)
        s.flush()
        return view(c)


def _load(s, ctx: AppContext, complaint_id: str) -> Complaint:  # noqa: ANN001
    ctx.require(Permission.OVERSIGHT_WORK)
    c = s.get(Complaint, complaint_id)
    if c is None or c.deleted_at is not None:
        raise NotFound("The complaint was not found.")
    return c


def _moment(at: dt.datetime, c: Complaint, now: dt.datetime, field: str) -> dt.datetime:
    moment = _minute(at) if at.tzinfo is not None else None
    if moment is None:
        raise UserError("Give the time with its date.", field=field)
    if moment < c.received_at:
        raise UserError("This time is before the complaint was received ({received}).", field=field,
                        received=to_local(c.received_at).strftime("%Y-%m-%d %H:%M"))
    if moment > now:
        raise UserError("This time is in the future.", field=field)
    return moment


def record_contact(ctx: AppContext, complaint_id: str, at: dt.datetime, note: str) -> ComplaintView:
    """The complainant was reached (R40); the contact clock stops at ``at``."""
    now = ctx.clock.now()
    with ctx.transaction() as s:
        c = _load(s, ctx, complaint_id)
        if c.contacted_at is not None:
            raise UserError("The contact with the complainant is already recorded.", field="contacted_at")
        moment = _moment(at, c, now, "contacted_at")
        if not note.strip():
            raise UserError("Note what was said to the complainant.", field="contact_note")
        c.contacted_at, c.contact_note, c.state = moment, note.strip(), g.CONTACTED
        s.flush()
        return view(c)


def record_feedback(ctx: AppContext, complaint_id: str, at: dt.datetime, result: str,
                    explanation: str = "") -> ComplaintView:
    """The result was fed back to the complainant (R41). Late, it needs the written reason (R42)."""
    now = ctx.clock.now()
    with ctx.transaction() as s:
        c = _load(s, ctx, complaint_id)
        if c.fed_back_at is not None:
            raise UserError("The result was already fed back.", field="fed_back_at")
        moment = _moment(at, c, now, "fed_back_at")
        if c.contacted_at is not None and moment < c.contacted_at:
            raise UserError("The feedback cannot be before the first contact.", field="fed_back_at")
        if not result.strip():
            raise UserError("Write down the result that was fed back.", field="result")
        if explanation.strip() and moment > c.feedback_due_at:     # only a late result has a written reason
            c.explanation, c.explained_at = explanation.strip(), now
        if moment > c.feedback_due_at and not c.explanation:
            raise UserError("The result is late: write down why before closing (the explanation for the subdistrict).", field="explanation")
        if c.contacted_at is None:
            c.contacted_at, c.contact_note = moment, c.contact_note or result.strip()[:200]
        c.fed_back_at, c.result, c.state = moment, result.strip(), g.CLOSED
        s.flush()
        return view(c)


def record_explanation(ctx: AppContext, complaint_id: str, text: str) -> ComplaintView:
    """The written reason for being overdue (R42); only an overdue complaint has one."""
    now = ctx.clock.now()
    with ctx.transaction() as s:
        c = _load(s, ctx, complaint_id)
        if not (c.fed_back_at or now) > c.feedback_due_at:
            raise UserError("The complaint is not overdue; no explanation is needed.", field="explanation")
        if not text.strip():
            raise UserError("Write down why the result is late.", field="explanation")
        c.explanation, c.explained_at = text.strip(), now
        s.flush()
        return view(c)


def record_filing(ctx: AppContext, complaint_id: str, filed_on: dt.date) -> ComplaintView:
    """The day the 情况说明 was filed with the subdistrict (备案)."""
    with ctx.transaction() as s:
        c = _load(s, ctx, complaint_id)
        if not c.explanation or c.explained_at is None:
            raise UserError("Write the explanation first; then it can be filed.", field="filed_on")
        if filed_on > today(ctx):
            raise UserError("The filing date cannot be in the future.", field="filed_on")
        if filed_on < to_local(c.explained_at).date():
            raise UserError("The filing date cannot be before the explanation was written.", field="filed_on")
        c.filed_on = filed_on
        s.flush()
        return view(c)


def get(ctx: AppContext, complaint_id: str) -> ComplaintView:
    with ctx.transaction() as s:
        return view(_load(s, ctx, complaint_id))


def list_complaints(ctx: AppContext, which: str = "all", year: int | None = None) -> list[ComplaintView]:
    """``open`` (not fed back), ``overdue`` (exactly the complaints of :func:`overdue_alerts`) or ``all``;
    newest first. Names and phones masked."""
    ctx.require(Permission.OVERSIGHT_WORK)
    now = ctx.clock.now()
    with ctx.transaction() as s:
        q = select(Complaint).where(Complaint.deleted_at.is_(None))
        if which == "open":
            q = q.where(Complaint.fed_back_at.is_(None))
        if year is not None:
            start = dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc) - dt.timedelta(hours=8)
            q = q.where(Complaint.received_at >= start, Complaint.received_at < start.replace(year=year + 1))
        rows = [view(c) for c in s.execute(q.order_by(Complaint.received_at.desc())).scalars()]
    if which == "overdue":
        rows = [r for r in rows if lateness(r, now) is not None]
    return rows


@dataclass(frozen=True)
class OverdueComplaint:
    """A complaint someone must act on now: what is late and by how much (the alert the chief sees)."""

    id: str
    complaint_no: str
    received_at: dt.datetime
    about: str
    what: str                    # contact / result (a clock ran out, still open) · explanation / filing (R42)
    due_at: dt.datetime
    late_by: dt.timedelta        # past the deadline: until now, or until the late result was fed back

    @property
    def days_late(self) -> int:
        """Whole days past the deadline (0 while less than a day)."""
        return self.late_by.days


def lateness(c: ComplaintView, now: dt.datetime) -> tuple[str, dt.datetime, dt.timedelta] | None:
    """What about ``c`` is overdue (what, deadline, how late), or None. An open complaint past its result
    clock or still not contacted past the 1-hour clock; a late one without its explanation or filing."""
    if c.feedback.done_at is None:
        if now > c.feedback.due_at:
            return "result", c.feedback.due_at, now - c.feedback.due_at
        if c.contact.done_at is None and now > c.contact.due_at:
            return "contact", c.contact.due_at, now - c.contact.due_at
        return None
    if c.feedback.done_at > c.feedback.due_at and (not c.explanation or c.filed_on is None):
        return ("explanation" if not c.explanation else "filing"), c.feedback.due_at, c.feedback.done_at - c.feedback.due_at
    return None


def sees_alerts(ctx: AppContext) -> bool:
    """Overdue complaints are the chief's to chase (R42); the window clerk who logs the calls sees them too."""
    return ctx.may(Permission.OVERSIGHT) or (ctx.user is not None and ctx.user.role == Role.CLERK)


def overdue_alerts(ctx: AppContext) -> list[OverdueComplaint]:
    """Every complaint past a deadline or owing its written explanation/filing, the latest first
    (the chief's and clerk's banner; the status bar counts the same list). Nobody else: an empty list."""
    if not sees_alerts(ctx):
        return []
    now = ctx.clock.now()
    with ctx.transaction() as s:
        late = s.execute(select(Complaint).where(
            Complaint.deleted_at.is_(None),
            (Complaint.fed_back_at.is_(None)) | ((Complaint.fed_back_at > Complaint.feedback_due_at)
                                                 & ((Complaint.explanation == "") | Complaint.filed_on.is_(None))))
        ).scalars().all()
        views = [view(c) for c in late]
    out = []
    for c in views:
        found = lateness(c, now)
        if found is not None:
            what, due, by = found
            out.append(OverdueComplaint(c.id, c.complaint_no, c.received_at, c.about or c.content[:20], what, due, by))
    return sorted(out, key=lambda a: (a.late_by, a.complaint_no), reverse=True)


def overdue_count(ctx: AppContext) -> int:
    """How many complaints :func:`overdue_alerts` lists (the status bar's 投诉 count, R40–R42)."""
    return len(overdue_alerts(ctx))


def reveal_complainant(ctx: AppContext, complaint_id: str, purpose: str = "") -> Complainant:
    """The complainant's full name and phone — written to the audit log (§7)."""
    with ctx.transaction() as s:
        c = _load(s, ctx, complaint_id)
        audit.append(s, ctx, audit.AuditAction.REVEAL_PHONE, "complaint", c.id,
                     audit.describe(audit.MSG_REVEALED_PHONE, name=mask_name(c.complainant_name),
                                    purpose=purpose or c.complaint_no))
        return Complainant(c.complainant_name, c.complainant_phone)
