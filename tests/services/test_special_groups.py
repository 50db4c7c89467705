"""Special-group files through the services: files, 1+1+N, schedules → tasks, contacts, corrections, access.

The clock is 2026-11-25 10:00 Shanghai (a Wednesday): the week is 11-23 … 11-29, the month November.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from shequ_desktop.domain.errors import PermissionDenied, UserError, ValidationErrors
from shequ_desktop.domain.idnumber import make_id_number
from shequ_desktop.domain.roles import Role
from shequ_desktop.domain.schedules import TaskState
from shequ_desktop.persistence.models import ChangeJournal
from shequ_desktop.persistence.special_groups_models import ContactLog, SpecialFile
from shequ_desktop.persistence.sync_models import WorkOrder
from shequ_desktop.services import audit, auth, residents
from shequ_desktop.services.context import CurrentUser
from shequ_desktop.services.residents import ResidentInput
from shequ_desktop.services.special_groups import files, records, rosters, schedule
from shequ_desktop.services.special_groups.files import FileInput
from shequ_desktop.services.special_groups.records import ContactInput, FollowUpInput, Proposal

D = dt.date


def worker(ctx, login="worker1", name="张伟", role=Role.WORKER):
    return ctx.as_user(CurrentUser(id=f"id-{login}", login=login, display_name=name, role=role))


def person(ctx, name, birth, phone="13812348000", address="幸福里小区8栋2单元503室"):
    return residents.create(ctx, ResidentInput(name=name, id_number=make_id_number("420111", birth, 21),
                                               phone=phone, address=address))


@pytest.fixture
def w1(ctx):
    return worker(ctx)


@pytest.fixture
def elder(ctx, w1):
    r = person(ctx, "张秀兰", D(1944, 3, 2))
    f = files.open_file(w1, FileInput(r.id, "elderly", flags=("alone",), opened_on=D(2026, 11, 2)))
    rosters.add_member(w1, f.id, "worker", login="worker1", on=D(2026, 11, 2))
    rosters.add_member(w1, f.id, "volunteer", name="李志愿", phone="13900001111", on=D(2026, 11, 2))
    rosters.add_member(w1, f.id, "family", name="王明", relation="儿子", phone="13700002222", on=D(2026, 11, 2))
    return f


def test_elderly_file_needs_age_60(ctx, w1):
    young = person(ctx, "李青", D(1980, 5, 5))
    with pytest.raises(ValidationErrors) as e:
        files.open_file(w1, FileInput(young.id, "elderly"))
    assert e.value.errors[0].field == "group"


def test_one_person_in_several_groups_and_certificate_check(ctx, w1):
    r = person(ctx, "刘建华", D(1950, 1, 1))
    files.open_file(w1, FileInput(r.id, "elderly"))
    idn = make_id_number("420111", D(1950, 1, 1), 21)
    with pytest.raises(ValidationErrors):
        files.open_file(w1, FileInput(r.id, "disabled", disability_cert=idn + "9" + "1"))
    d = files.open_file(w1, FileInput(r.id, "disabled", disability_cert=idn + "42"))
    assert d.group == "disabled" and d.has_health_data
    assert {x.group for x in files.list_files(w1)} == {"elderly", "disabled"}
    with pytest.raises(ValidationErrors):   # one open file per group
        files.open_file(w1, FileInput(r.id, "elderly"))


def test_second_active_volunteer_is_refused_replacement_keeps_history(ctx, w1, elder):
    with pytest.raises(ValidationErrors) as e:
        rosters.add_member(w1, elder.id, "volunteer", name="赵二")
    assert "already has an active" in str(e.value.errors[0])
    view = rosters.add_member(w1, elder.id, "volunteer", name="赵二", replace=True)
    vols = [m for m in view.members if m.role == "volunteer"]
    assert [(m.name, m.active) for m in vols] == [("赵二", True), ("李志愿", False)]
    assert view.complete


def test_roster_incomplete_is_shown(ctx, w1):
    r = person(ctx, "孙桂英", D(1940, 6, 6))
    f = files.open_file(w1, FileInput(r.id, "elderly"))
    rosters.add_member(w1, f.id, "worker", login="worker1")
    assert rosters.roster(w1, f.id).problems == ("missing:volunteer",)
    assert files.list_files(w1)[0].roster_problems == ("missing:volunteer",)


def test_tasks_states_and_my_day(ctx, w1, elder):
    # tracked from 11-02: weeks 11-02, 11-09, 11-16 are late (no calls), this week's call is due
    day = schedule.my_day(w1)
    kinds = [(i.kind, i.state, i.days_late) for i in day.items]
    assert kinds[0] == ("call", TaskState.OVERDUE, 17)       # week of 11-02 ended 11-08
    assert ("call", TaskState.OVERDUE, 3) in kinds
    friday = schedule.my_day(w1, today=D(2026, 11, 27))   # by Friday every call of the week has had its day
    assert friday.calls_today and friday.calls_today[0].name == "张*兰"
    records.record_contact(w1, ContactInput(elder.id, "call", "reached", D(2026, 11, 24), notes="身体好"))
    day = schedule.my_day(w1)
    assert not day.calls_today
    assert sum(1 for i in day.late if i.kind == "call") == 3          # late tasks never vanish
    # a not-reached call does not count; a volunteer's visit counts
    records.record_contact(w1, ContactInput(elder.id, "visit", "not_reached", D(2026, 11, 25)))
    assert any(i.kind == "visit" for i in schedule.my_day(w1).items)
    records.record_contact(w1, ContactInput(elder.id, "visit", "reached", D(2026, 11, 25), by_role="volunteer",
                                            by_name="李志愿"))
    assert not any(i.kind == "visit" for i in schedule.my_day(w1).items)
    lines = schedule.due_lines(w1, "worker1")
    assert lines[0] == "2026-11-08\tcall\t张*兰\toverdue 17"
    assert all(line.count("\t") == 3 for line in lines)


def test_bad_input_future_visit_closed_file(ctx, w1, elder):
    with pytest.raises(ValidationErrors) as e:
        records.record_contact(w1, ContactInput(elder.id, "visit", "reached", D(2026, 11, 26)))
    assert e.value.errors[0].field == "contact_on"
    files.close_file(w1, elder.id, "deceased", "11月20日去世", on=D(2026, 11, 24))
    with pytest.raises(ValidationErrors) as e:
        records.record_contact(w1, ContactInput(elder.id, "call", "reached"))
    assert "closed" in str(e.value.errors[0])
    tasks = schedule.file_tasks(w1, elder.id)
    this_week = [t for t in tasks if t.key == "call" and t.period_first == D(2026, 11, 23)]
    assert this_week[0].state is TaskState.CANCELLED
    assert schedule.my_day(w1).items == ()
    # reopen: history kept, schedules start again
    d = files.reopen_file(w1, elder.id)
    assert [h.kind for h in d.history] == ["opened", "roster", "roster", "roster", "closed", "reopened"]
    assert d.tracked_from == D(2026, 11, 25)


def test_assessment_without_needs_and_package_versions(ctx, w1):
    r = person(ctx, "周明", D(1970, 2, 2))
    idn = make_id_number("420111", D(1970, 2, 2), 21)
    f = files.open_file(w1, FileInput(r.id, "disabled", disability_cert=idn + "41"))
    with pytest.raises(ValidationErrors) as e:
        records.record_assessment(w1, f.id, needs=())
    assert e.value.errors[0].field == "needs"
    records.set_package(w1, f.id, (records.PackageItem("居家康复训练", "每周1次", "康复中心"),))
    a = records.record_assessment(w1, f.id, needs=("device", "rehab"), proposals=(
        Proposal("add", "轮椅适配", "一次", "残联"), Proposal("change", "居家康复训练", "每周2次"),
        Proposal("remove", "不存在的项目")))
    p = records.accept_proposals(w1, a.id, (0, 1))
    assert p.version_no == 2
    assert {(i.item, i.frequency) for i in p.items} == {("居家康复训练", "每周2次"), ("轮椅适配", "一次")}
    assert [v.version_no for v in records.package_history(w1, f.id)] == [2, 1]


def test_correction_points_at_old_entry_and_replaces_it(ctx, w1, elder):
    c = records.record_contact(w1, ContactInput(elder.id, "call", "reached", D(2026, 11, 24)))
    assert not any(i.kind == "call" and i.state is TaskState.DUE for i in schedule.my_day(w1).items)
    records.record_contact(w1, ContactInput(elder.id, "call", "not_reached", D(2026, 11, 24), corrects_id=c.id,
                                            notes="误记：实际未接通"))
    log = records.contacts(w1, elder.id)
    assert [x.superseded for x in log] == [False, True] or [x.superseded for x in log] == [True, False]
    friday = D(2026, 11, 27)                 # by Friday the call's day has come, whichever it is
    assert any(i.kind == "call" and i.state is TaskState.DUE for i in schedule.my_day(w1, today=friday).items)
    with ctx.transaction() as s:
        row = s.get(ContactLog, c.id)
        assert row.outcome == "reached"         # the old entry is never changed
    with pytest.raises(ValidationErrors):
        records.record_contact(w1, ContactInput(elder.id, "call", "reached", D(2026, 11, 24), corrects_id=c.id))


def test_need_found_becomes_follow_up_and_work_order(ctx, w1, elder):
    auth.create_user(ctx, "worker1", "张伟", Role.WORKER, "password-1")
    c = records.record_contact(w1, ContactInput(elder.id, "visit", "reached", notes="腿脚不便", needs=("meals",),
                                                follow_ups=(FollowUpInput("medical", D(2026, 11, 28), "陪同就医",
                                                                          work_order=True),
                                                            FollowUpInput("meals", D(2026, 11, 27)))))
    assert len(c.follow_up_ids) == 2
    fus = records.follow_ups(w1, login="worker1")
    assert {f.need for f in fus} == {"medical", "meals"}
    with ctx.transaction() as s:
        wo = s.execute(select(WorkOrder)).scalar_one()
        assert wo.category == "就医" and wo.status == "dispatched" and "陪同就医" in wo.description


def test_child_file_only_for_team_chief_admin(ctx, w1):
    kid = person(ctx, "王小明", D(2015, 4, 4), phone="")
    f = files.open_file(w1, FileInput(kid.id, "child", child_kind="left_behind"))
    other = worker(ctx, "worker2", "刘洋")
    assert [x.id for x in files.list_files(w1)] == [f.id]
    assert files.list_files(other) == []
    with pytest.raises(PermissionDenied):
        files.get(other, f.id)
    chief = worker(ctx, "chief", "王建国", Role.CHIEF)
    assert files.get(chief, f.id).name == "王小明"
    clerk_less = ctx.as_user(CurrentUser(id="x", login="x", display_name="x", role=Role.CLERK))
    assert files.list_files(clerk_less) == []


def test_sensitive_reveal_is_audited(ctx, w1):
    r = person(ctx, "吴刚", D(1960, 1, 1))
    idn = make_id_number("420111", D(1960, 1, 1), 21)
    f = files.open_file(w1, FileInput(r.id, "disabled", disability_cert=idn + "23", health_notes="听力下降"))
    before = audit.count(ctx)
    text = files.reveal(w1, f.id, "health", "评估")
    assert "听力" in text and "3级" in text
    assert files.reveal(w1, f.id, "phone") == "13812348000"
    assert audit.count(ctx) == before + 2


def test_quarter_review_and_outside_change(ctx, w1, elder):
    # a quarter that ends without a review is late: tracked since 2026-08-01 → Q3 review late
    files.update_file(w1, elder.id, flags=("alone", "dependent"))
    residents.remove(ctx, elder.resident_id, "死亡")
    d = files.get(w1, elder.id)
    assert d.resident_gone and d.review_requested_on is not None
    tasks = schedule.file_tasks(w1, elder.id)
    assert any(t.key == "review" and t.period_first == d.review_requested_on for t in tasks)
    records.sign_off_review(w1, elder.id, changes="户籍注销（死亡）", missing="")
    tasks = schedule.file_tasks(w1, elder.id)
    assert all(t.state is not TaskState.DUE or t.key != "review" for t in tasks)


def test_records_are_journaled_and_contacts_insert_only(ctx, w1, elder):
    records.record_contact(w1, ContactInput(elder.id, "call", "reached"))
    with ctx.transaction() as s:
        rows = s.execute(select(ChangeJournal.entity, ChangeJournal.op).where(
            ChangeJournal.entity == "sg_contact")).all()
        assert rows == [("sg_contact", "insert")]
        c = s.execute(select(ContactLog)).scalar_one()
        c.notes = "changed"
        from shequ_desktop.persistence.journal import UnjournaledWrite
        with pytest.raises(UnjournaledWrite):
            s.flush()
        s.rollback()


def test_satisfaction_indicator(ctx, w1, elder):
    for score in (5, 4, 4, 2):
        records.record_survey(w1, elder.id, score, "phone")
    with pytest.raises(ValidationErrors):
        records.record_survey(w1, elder.id, 6, "phone")
    ind = records.satisfaction(w1, D(2026, 11, 1), D(2026, 11, 30))
    assert (ind.numerator, ind.denominator, ind.met) == (3, 4, False)
    assert len(ind.missing_records()) == 1


def test_overview_and_grid(ctx, w1, elder):
    chief = worker(ctx, "chief", "王建国", Role.CHIEF)
    ov = schedule.overview(chief)
    assert ov.files == 1 and ov.late_by_kind["call"] == 3
    assert ov.workers[0].login == "worker1" and ov.workers[0].late["call"] == 3
    with pytest.raises(PermissionDenied):
        schedule.overview(w1)
    grid = schedule.compliance_grid(w1)
    assert grid[0].cells["call"] == "open" and grid[0].cells["visit"] == "open" and grid[0].late_tasks == 3


def test_vulnerable_residents_of_a_building(demo_ctx):
    from shequ_desktop.persistence.models import Household, Resident
    w = worker(demo_ctx)
    with demo_ctx.transaction() as s:
        has_file = select(SpecialFile.resident_id)
        r, b = s.execute(select(Resident.id, Household.building_id).join(Household, Household.id == Resident.household_id)
                         .where(Resident.birth_date < D(1960, 1, 1), Resident.id.not_in(has_file)).limit(1)).one()
    before = {v.resident_id for v in files.vulnerable_in_building(w, b)}
    f = files.open_file(w, FileInput(r, "elderly", flags=("alone",)))
    rosters.add_member(w, f.id, "worker", login="worker1", name="张伟")
    rosters.add_member(w, f.id, "family", name="子女甲", relation="女儿", phone="13600000000")
    out = {v.resident_id: v for v in files.vulnerable_in_building(w, b)}
    assert set(out) == before | {r}
    assert out[r].flags == ("alone",) and out[r].family[0][1] == "女儿" and out[r].worker_login == "worker1"
    assert out[r].phone                          # in full for the responder; the listing is audited


def test_resident_removed_in_the_registry_puts_the_file_up_for_review_at_once(ctx, w1, elder):
    """R51: marking a resident deceased in the registry stores the review request on the file in the same
    commit — the chief's count, the file's history and the journal (so other stations see it) carry it."""
    chief = worker(ctx, "chief", "王建国", Role.CHIEF)
    assert schedule.overview(chief).reviews_requested == 0
    residents.remove(ctx, elder.resident_id, "死亡")
    with ctx.transaction() as s:
        f = s.get(SpecialFile, elder.id)
        assert f.review_requested_on == D(2026, 11, 25) and "死亡" in f.review_reason
        journaled = s.execute(select(ChangeJournal).where(ChangeJournal.entity_id == elder.id)).scalars().all()
        assert any("review_requested_on" in (j.fields or {}) for j in journaled)
    assert schedule.overview(chief).reviews_requested == 1
    assert any(h.kind == "review_requested" for h in files.get(w1, elder.id).history)


def test_reveals_and_prints_are_audited_as_messages_in_the_readers_language(ctx, w1, elder):
    from shequ_desktop.i18n import _, set_language
    from shequ_desktop.services.special_groups import sheets
    files.reveal(w1, elder.id, "phone", files.MSG_PURPOSE_MY_DAY)
    member = next(m for m in rosters.roster(w1, elder.id).members if m.role == "volunteer")
    rosters.member_phone(w1, member.id, "回访")
    sheets.review_worksheet_document(w1, elder.id)
    review, vol, phone = audit.recent(ctx, limit=3)
    assert (phone.action, vol.action, review.action) == ("reveal_phone", "reveal_phone", "print")
    assert phone.entity == "resident" and phone.entity_id == elder.resident_id and phone.object_text == "张*兰"
    assert audit.detail_text(phone.detail, _) == ("Showed the full phone number of 张*兰 (special-group file). "
                                                 "For a call from My day.")
    assert "13812348000" not in phone.detail and "张秀兰" not in phone.detail
    set_language("zh_CN")
    try:
        assert "张*兰" in audit.detail_text(vol.detail, _) and "回访" in audit.detail_text(vol.detail, _)
        assert audit.detail_text(review.detail, _) == "打印了张*兰的档案复核表。"
    finally:
        set_language("en")


def test_status_bar_overdue_count_includes_late_special_group_tasks(ctx, w1, elder):
    from shequ_desktop.services import overview
    chief = worker(ctx, "chief", "王建国", Role.CHIEF)
    assert overview.alerts(w1).overdue == 3                      # the three late weekly calls of the elder
    assert overview.alerts(chief).overdue == 3
    assert overview.alerts(worker(ctx, "worker2", "李娜")).overdue == 0


def test_weekly_calls_are_spread_over_the_working_days_of_the_week(ctx, w1):
    """R19 asks for a call a week, not a call a day: 我的今日 shows each person's call from their day of the week
    on (a stable day per file), so a worker sees a share of the week's calls each day plus those still open from
    earlier days; a call made on any day of the week satisfies it."""
    from shequ_desktop.domain import special_groups as sg
    opened = []
    for i in range(30):
        r = person(ctx, "王" + "甲乙丙丁戊己庚辛壬癸"[i % 10] + "春夏秋"[i // 10], D(1930 + i, 1 + i % 12, 1 + i % 28))
        f = files.open_file(w1, FileInput(r.id, "elderly", opened_on=D(2026, 11, 23)))
        rosters.add_member(w1, f.id, "worker", login="worker1", on=D(2026, 11, 23))
        opened.append(f.id)
    week = [D(2026, 11, 23) + dt.timedelta(days=i) for i in range(7)]
    day_of = {fid: sg.call_day(fid, week[:5]) for fid in opened}
    assert set(day_of.values()) <= set(week[:5]) and len(set(day_of.values())) >= 3   # spread, on working days
    shown = {}
    for day in week:
        calls = schedule.my_day(w1, today=day).calls_today
        shown[day] = {i.file_id for i in calls}
        assert shown[day] == {fid for fid, d in day_of.items() if d <= day}    # the day's share + earlier ones
        assert all(i.kind == "call" and i.state is TaskState.DUE for i in calls)
    assert len(shown[week[0]]) < len(opened) and shown[week[4]] == set(opened) == shown[week[6]]
    lines = schedule.due_lines(w1, "worker1", week[0])             # the command line prints the same share
    assert sum(1 for line in lines if "\tcall\t" in line) == len(shown[week[0]])
    assert all(line.startswith("2026-11-29\tcall\t") and line.endswith("\tdue") for line in lines
               if "\tcall\t" in line)
    # a call made on Monday to someone whose day is Thursday satisfies the week: never listed that week
    later = next(fid for fid, d in day_of.items() if d == max(day_of.values()))
    records.record_contact(w1, ContactInput(later, "call", "reached", D(2026, 11, 23)))
    assert later not in {i.file_id for i in schedule.my_day(w1, today=week[6]).calls_today}
    # stable: the same day on every call (and every station: the file id is the same everywhere)
    assert {fid: sg.call_day(fid, week[:5]) for fid in opened} == day_of


def test_a_holiday_week_spreads_the_calls_over_its_working_days(ctx, w1):
    """The week of National Day 2026 (Mon 09-28 … Sun 10-04): by the calendar only 09-28, 09-29 and 09-30 are
    working days, so every call of that week has its day among them."""
    from shequ_desktop.domain import special_groups as sg
    workdays = schedule.week_workdays(ctx, D(2026, 9, 28))
    assert workdays == (D(2026, 9, 28), D(2026, 9, 29), D(2026, 9, 30))
    assert {sg.call_day(f"file-{i}", workdays) for i in range(50)} == set(workdays)
    assert schedule.week_workdays(ctx, D(2026, 11, 23)) == tuple(D(2026, 11, 23) + dt.timedelta(days=i)
                                                                  for i in range(5))


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_special_group_audit_entries_read_as_words_in_both_languages(ctx, w1, elder, tmp_path, language):
    """Every audit entry the module writes names its kind of record in the reader's language (never ``sg_…``)
    and the record as a reader knows it (the masked name, or the worker's login for a worker's sheet)."""
    from shequ_desktop.i18n import _, set_language
    from shequ_desktop.persistence.special_groups_models import RosterMember
    from shequ_desktop.services.special_groups import sheets
    from shequ_desktop.ui.admin.audit_page import action_label, entity_text
    files.reveal(w1, elder.id, "phone", "回访")
    files.reveal(w1, elder.id, "id_number")
    with ctx.transaction() as s:
        volunteer = s.execute(select(RosterMember.id).where(RosterMember.file_id == elder.id,
                                                            RosterMember.role == "volunteer")).scalar_one()
    rosters.member_phone(w1, volunteer)
    for kind in ("field-sheet", "volunteer-sheet", "file-review"):
        sheets.print_sheet(w1, kind, file_id=elder.id, out=tmp_path / f"{kind}.pdf")
    set_language(language)
    try:
        entries = [e for e in audit.recent(ctx, limit=20) if e.user_login == "worker1"]
        assert {e.entity for e in entries} == {"resident", "sg_roster", "sg_field_sheet", "sg_volunteer_sheet",
                                                "sg_file_review"}
        for e in entries:
            text = entity_text(e)
            assert "sg_" not in text and elder.id not in text and volunteer not in text, text
            label, _sep, shown = text.rpartition(" ")
            assert shown in ("张*兰", "李*愿", "worker1"), text
            assert "_" not in action_label(e.action, e.detail) and "{" not in audit.detail_text(e.detail, _)
            chinese = any("\u4e00" <= ch <= "\u9fff" for ch in label)
            assert chinese == (language == "zh_CN"), text
    finally:
        set_language("en")


def test_a_closed_file_takes_no_new_records_and_reopens_only_for_a_registered_resident(ctx, w1, elder):
    files.close_file(w1, elder.id, "moved", "迁往外区", on=D(2026, 11, 24))
    with pytest.raises(UserError, match="closed"):
        records.set_package(w1, elder.id, (records.PackageItem("助餐", "每周一次", "社区食堂"),))
    with pytest.raises(UserError, match="closed"):
        records.sign_off_review(w1, elder.id, "无变化")
    with pytest.raises(UserError, match="closed"):
        records.record_survey(w1, elder.id, 5, "phone", on=D(2026, 11, 25))
    records.record_survey(w1, elder.id, 5, "phone", on=D(2026, 11, 20))   # made while open, entered later
    # another station opened a new file for her meanwhile (both synced): reopening the old one is refused
    with ctx.transaction() as s:
        s.add(SpecialFile(community_id=ctx.community_id, resident_id=elder.resident_id, group="elderly",
                          status="open", opened_on=D(2026, 11, 25), tracked_from=D(2026, 11, 25)))
    with pytest.raises(UserError, match="already has an open file"):
        files.reopen_file(w1, elder.id)
    # the registry removed the resident (moved away): the file cannot be reopened until they are registered again
    residents.remove(ctx, elder.resident_id, "moved")
    with pytest.raises(UserError, match="no longer in the registry"):
        files.reopen_file(w1, elder.id)
