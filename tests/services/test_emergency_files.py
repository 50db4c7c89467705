"""Files attached to drill and training records (issue 14: 「attached files (photos, sign-in sheets)」): the
content is stored in the program, in synced parts, append-only, checked by sha256; opening a sign-in sheet
is audited; a file over the cap is refused next to the files field; a drill links to its exercise incident."""

from __future__ import annotations

import datetime as dt
import hashlib
import os

import pytest
from sqlalchemy import func, select

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.errors import PermissionDenied, UserError
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.emergency_models import AttachedFile, AttachedFilePart
from shequ_desktop.persistence.journal import UnjournaledWrite
from shequ_desktop.persistence.models import AuditEntry, ChangeJournal
from shequ_desktop.services.emergency import drills, files, incidents, team
from shequ_desktop.services.emergency.drills import ExerciseInput
from shequ_desktop.services.emergency.files import NewFile
from tests.conftest import as_role


def _member(ctx) -> str:
    return team.add_member(ctx, team.MemberInput("李四", "volunteer", "member", "13800001111")).id


def _drill(ctx, member_id: str, **kw) -> drills.ExerciseView:
    day = ctx.clock.now().date() - dt.timedelta(days=1)
    return drills.record_exercise(ctx, ExerciseInput("drill", day, "消防疏散演练", 60, ((member_id, True),), **kw))


def test_files_are_stored_in_parts_synced_and_read_back(ctx):
    photo = os.urandom(e.FILE_PART_BYTES * 2 + 1000)            # three parts
    sheet = "签到表：李四 13800001111".encode()
    x = _drill(ctx, _member(ctx), files=(NewFile("现场.jpg", photo, "photo"), NewFile("签到表.pdf", sheet, "sign_in")))
    assert x.files == 2
    views = files.list_files(ctx, x.id)
    assert [(v.file_name, v.kind, v.size, v.media_type, v.personal, v.complete) for v in views] == [
        ("现场.jpg", "photo", len(photo), "image/jpeg", False, True),
        ("签到表.pdf", "sign_in", len(sheet), "application/pdf", True, True)]
    assert views[0].sha256 == hashlib.sha256(photo).hexdigest() and views[0].created_by == "tadmin"
    with ctx.transaction() as s:
        assert s.scalar(select(func.count()).select_from(AttachedFilePart)) == 4
        # every row went through the change journal, so sync carries the content
        journaled = s.execute(select(ChangeJournal.entity, func.count()).where(
            ChangeJournal.entity.in_(("em_file", "em_file_part"))).group_by(ChangeJournal.entity)).all()
        assert dict(journaled) == {"em_file": 2, "em_file_part": 4}
        audits = s.scalar(select(func.count()).select_from(AuditEntry))
    view, data = files.content(ctx, views[0].id)
    assert data == photo and view.file_name == "现场.jpg"
    with ctx.transaction() as s:                               # a photo without personal data: not audited
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audits
    _v, data = files.content(ctx, views[1].id, purpose="save")
    assert data == sheet
    with ctx.transaction() as s:                               # the sign-in sheet: audited
        last = s.execute(select(AuditEntry).order_by(AuditEntry.seq.desc())).scalars().first()
        assert (last.action, last.entity, last.entity_id) == ("export", "em_file", views[1].id)
        assert "签到表.pdf" in last.detail and "Saved a copy" in last.detail


def test_file_over_the_cap_or_empty_is_refused_next_to_the_field(ctx):
    member = _member(ctx)
    big = b"\0" * (e.MAX_FILE_BYTES + 1)
    with pytest.raises(UserError) as err:
        _drill(ctx, member, files=(NewFile("大照片.jpg", big, "photo"),))
    assert [(x.field, x.msgid) for x in err.value.errors] == [
        ("attachments", "The file {name} is {mb} MB; at most {max} MB can be attached.")]
    with pytest.raises(UserError) as err:
        _drill(ctx, member, files=(NewFile("空.jpg", b"", "photo"),))
    assert err.value.errors[0].field == "attachments"
    assert drills.list_exercises(ctx) == []                     # nothing written
    ok = _drill(ctx, member, files=(NewFile("手机照片.jpg", b"x" * e.MAX_FILE_BYTES, "photo"),))  # exactly 10 MB
    assert files.list_files(ctx, ok.id)[0].size == e.MAX_FILE_BYTES


def test_removing_a_file_is_a_withdrawal_entry_and_files_are_append_only(ctx):
    x = _drill(ctx, _member(ctx), files=(NewFile("a.png", b"png-bytes", "photo"),))
    [f] = files.list_files(ctx, x.id)
    with pytest.raises(UnjournaledWrite), ctx.transaction() as s:
        s.get(AttachedFile, f.id).file_name = "b.png"
    files.withdraw(ctx, f.id, "拍错了")
    assert files.list_files(ctx, x.id) == [] and drills.list_exercises(ctx)[0].files == 0
    with ctx.transaction() as s:
        w = s.execute(select(AttachedFile).where(AttachedFile.withdraws_id == f.id)).scalar_one()
        assert (w.reason, w.size, w.created_by) == ("拍错了", 0, "tadmin")
    with pytest.raises(UserError):
        files.content(ctx, f.id)
    added = files.attach(ctx, x.id, [NewFile("c.png", b"other", "photo")])
    assert [v.file_name for v in added] == ["c.png"]


def test_only_the_chief_attaches_and_workers_may_open(ctx):
    x = _drill(ctx, _member(ctx), files=(NewFile("签到表.jpg", b"sheet", "sign_in"),))
    worker = as_role(ctx, Role.WORKER, "worker9")
    with pytest.raises(PermissionDenied):
        files.attach(worker, x.id, [NewFile("x.jpg", b"x", "photo")])
    [f] = files.list_files(worker, x.id)
    assert files.content(worker, f.id)[1] == b"sheet"


def test_a_file_still_arriving_says_so(ctx):
    x = _drill(ctx, _member(ctx), files=(NewFile("big.bin", os.urandom(e.FILE_PART_BYTES + 5), "other"),))
    [f] = files.list_files(ctx, x.id)
    from shequ_desktop.persistence.journal import remote_bulk_apply
    with ctx.transaction() as s, remote_bulk_apply():         # as if the second part had not been pulled yet
        s.execute(AttachedFilePart.__table__.delete().where(AttachedFilePart.position == 1))
    assert files.list_files(ctx, x.id)[0].complete is False
    with pytest.raises(UserError, match="not fully arrived"):
        files.content(ctx, f.id)


def test_drill_record_links_to_its_exercise_incident(ctx):
    member = _member(ctx)
    x = _drill(ctx, member)
    from shequ_desktop.services.emergency import common
    bid = _building(ctx)
    real = incidents.open_incident(ctx, incidents.IncidentInput("fire", "general", "厨房起火", (bid,), "phone"))
    drill = incidents.open_incident(ctx, incidents.IncidentInput("fire", "general", "消防演练", (bid,), "patrol",
                                                                 is_exercise=True))
    assert [i.id for i in drills.exercise_incidents(ctx)] == [drill.id]
    with pytest.raises(UserError) as err:
        drills.link_incident(ctx, x.id, real.id)
    assert err.value.field == "incident"
    linked = drills.link_incident(ctx, x.id, drill.id)
    assert linked.incident_id == drill.id and linked.incident_no == drill.incident_no
    assert drills.exercise_incidents(ctx)[0].linked_to == x.id
    other = _drill(ctx, member)
    with pytest.raises(UserError, match="another drill"):
        drills.link_incident(ctx, other.id, drill.id)
    assert drills.link_incident(ctx, x.id, None).incident_id is None
    assert common.today(ctx)


def test_a_training_is_not_linked_to_an_exercise_incident(ctx):
    """Only a drill runs through an exercise incident: recording or linking a training with one is refused next
    to the incident field (and a worker may not change a link at all)."""
    from shequ_desktop.domain.errors import PermissionDenied
    from tests.conftest import as_role
    from shequ_desktop.domain.roles import Role
    member = _member(ctx)
    bid = _building(ctx)
    drill = incidents.open_incident(ctx, incidents.IncidentInput("fire", "general", "消防演练", (bid,), "patrol",
                                                                 is_exercise=True))
    day = ctx.clock.now().date() - dt.timedelta(days=1)
    with pytest.raises(UserError) as err:
        drills.record_exercise(ctx, ExerciseInput("training", day, "灭火器使用", 60, ((member, True),),
                                                  incident_id=drill.id))
    assert err.value.field == "incident" and "training" in err.value.msgid
    training = drills.record_exercise(ctx, ExerciseInput("training", day, "灭火器使用", 60, ((member, True),)))
    with pytest.raises(UserError) as err:
        drills.link_incident(ctx, training.id, drill.id)
    assert err.value.field == "incident" and "training" in err.value.msgid
    assert drills.link_incident(ctx, training.id, None).incident_id is None       # "none" stays allowed
    x = _drill(ctx, member)
    with pytest.raises(PermissionDenied):
        drills.link_incident(as_role(ctx, Role.WORKER), x.id, drill.id)
    assert drills.link_incident(ctx, x.id, drill.id).incident_id == drill.id


def _building(ctx) -> str:
    from shequ_desktop.persistence.models import Building, Grid
    with ctx.transaction() as s:
        g = Grid(community_id=ctx.community_id, code="G01", name="一网格")
        s.add(g)
        s.flush()
        b = Building(community_id=ctx.community_id, grid_id=g.id, name="1号楼", address="幸福路1号")
        s.add(b)
        s.flush()
        return b.id


def test_further_steps_are_offered_from_the_plan_and_editable(ctx):
    """R65: the plan's configured further steps are offered on the incident; the chief edits the list; a free
    entry stays possible; a plan stored before plans had a list offers the shipped one."""
    from shequ_desktop.services.emergency import plans
    bid = _building(ctx)
    fire = next(p for p in plans.list_plans(ctx) if p.hazard == "fire")
    assert fire.further_steps == e.FURTHER_STEPS
    flood = next(p for p in plans.list_plans(ctx) if p.hazard == "rainstorm")
    assert "转移低洼处居民" in flood.further_steps
    changed = plans.update_plan(ctx, fire.id, plans.PlanInput(
        fire.name, fire.steps, fire.roles, fire.contacts, fire.assembly_points, fire.supplies,
        further_steps=("启动应急预案", "关闭燃气总阀", " ", "启动应急预案")))
    assert changed.further_steps == ("启动应急预案", "关闭燃气总阀")
    kept = plans.update_plan(ctx, fire.id, plans.PlanInput(fire.name, fire.steps))     # no list given: kept
    assert kept.further_steps == ("启动应急预案", "关闭燃气总阀")
    inc = incidents.open_incident(ctx, incidents.IncidentInput("fire", "general", "厨房起火", (bid,), "phone"))
    assert inc.step_choices == ("启动应急预案", "关闭燃气总阀")
    after = incidents.add_step(ctx, inc.id, "关闭燃气总阀")
    after = incidents.add_step(ctx, inc.id, "联系房东")                                 # free entry
    assert [x.text for x in after.entries if x.kind == e.STEP] == ["关闭燃气总阀", "联系房东"]
    from shequ_desktop.persistence.emergency_models import EmergencyPlan
    with ctx.transaction() as s:                                   # a plan from before this version: empty list
        s.get(EmergencyPlan, fire.id).further_steps = []
    assert incidents.get_incident(ctx, inc.id).step_choices == e.FURTHER_STEPS


class _TickingClock:
    """A real clock moves between two readings: each reading is a microsecond later."""

    def __init__(self, start: dt.datetime) -> None:
        self.t = start

    def now(self) -> dt.datetime:
        self.t += dt.timedelta(microseconds=1)
        return self.t


def test_opening_an_incident_just_now_works_with_a_moving_clock(ctx):
    """Found under Xvfb: with the system clock, 「刚刚接报」 was refused as 「接报时间不能晚于现在」 because 'now' was
    read before the press's moment."""
    from dataclasses import replace
    bid = _building(ctx)
    ticking = replace(ctx, clock=_TickingClock(ctx.clock.now()))
    view = incidents.open_incident(ticking, incidents.IncidentInput("fire", "general", "楼道起火", (bid,), "phone"))
    assert view.reported_at <= ticking.clock.now()
    assert incidents.mark_on_site(ticking, view.id).onsite_at is not None
