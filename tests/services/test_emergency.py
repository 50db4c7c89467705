"""Emergency management through the services: plans, team, incidents with clocks and an append-only timeline,
checks on the vulnerable residents, drills and training on schedule, compliance rates, the demo."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from shequ_desktop.domain import emergency as e
from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.domain.errors import PermissionDenied, UserError
from shequ_desktop.domain.roles import Role
from shequ_desktop.domain.schedules import TaskState
from shequ_desktop.persistence.emergency_models import IncidentEntry, PersonCheck
from shequ_desktop.persistence.models import AuditEntry, Building, ChangeJournal
from shequ_desktop.services import auth, demo
from shequ_desktop.services.emergency import drills, incidents, plans, team, vulnerable
from shequ_desktop.services.emergency.drills import ExerciseInput
from shequ_desktop.services.emergency.incidents import IncidentInput
from shequ_desktop.services.emergency.team import MemberInput
from tests.conftest import as_role


def member(name="李四", phone="13800001111", **kw):
    return MemberInput(name, kw.pop("kind", "volunteer"), kw.pop("role", "member"), phone, **kw)


@pytest.fixture
def worker(demo_ctx):
    return demo_ctx.as_user(auth.login(demo_ctx, "worker1", demo.DEMO_PASSWORD))


@pytest.fixture
def chief(demo_ctx):
    return demo_ctx.as_user(auth.login(demo_ctx, "chief", demo.DEMO_PASSWORD))


def _building_with_vulnerable(ctx) -> tuple[str, str, int]:
    with ctx.transaction() as s:
        rows = s.execute(select(Building.id, Building.name).order_by(Building.name)).all()
    people = vulnerable.for_buildings(ctx, [r[0] for r in rows])
    counts = {bid: sum(1 for p in people if p.building_id == bid) for bid, _n in rows}
    best = max(rows, key=lambda r: counts[r[0]])
    return best[0], best[1], counts[best[0]]


# --- plans and team (no demo needed) ----------------------------------------------------------------

def test_seven_plans_are_shipped_and_editable(ctx):
    shipped = plans.list_plans(ctx)
    assert [p.name for p in shipped] == ["疫情防控", "火灾", "台风", "暴雨内涝", "地震", "燃气泄漏", "高层建筑火灾"]
    fire = shipped[1]
    assert fire.steps and fire.assembly_points and fire.supplies and any(c.phone == "119" for c in fire.contacts)
    assert plans.plans_short(ctx) == 0
    changed = plans.update_plan(ctx, fire.id, plans.PlanInput(
        "火灾", fire.steps + (plans.Step("通知楼栋长", "联络员", 10),), fire.roles, fire.contacts,
        ("小区中心广场",), fire.supplies))
    assert changed.steps[-1].title == "通知楼栋长" and changed.assembly_points == ("小区中心广场",)
    with pytest.raises(UserError) as exc:
        plans.update_plan(ctx, fire.id, plans.PlanInput("火灾", ()))
    assert exc.value.field == "steps"
    plans.update_plan(ctx, shipped[0].id, plans.PlanInput(shipped[0].name, shipped[0].steps, active=False))
    assert plans.plans_short(ctx) == 1          # 6 active plans for 7 hazard types


def test_member_without_phone_is_refused_and_the_team_warning_is_inclusive(ctx):
    with pytest.raises(UserError) as exc:
        team.add_member(ctx, member(phone="  "))
    assert exc.value.field == "phone"
    with pytest.raises(UserError) as exc:
        team.add_member(ctx, member(kind="astronaut"))
    assert exc.value.field == "kind"
    ids = [team.add_member(ctx, member(f"队员{i}", f"1390000{i:04d}")).id for i in range(19)]
    assert team.status(ctx).short                                  # 19 < 20
    team.add_member(ctx, member("队员19", "13900000019", caller_id=ids[0]))
    st = team.status(ctx)
    assert (st.active, st.minimum, st.short) == (20, 20, False)      # 「不少于20人」: exactly 20 is enough
    with ctx.transaction() as s:
        assert s.execute(select(func.count()).select_from(ChangeJournal)
                         .where(ChangeJournal.entity == "em_member")).scalar_one() == 20


def test_phone_tree_follows_the_callers_and_refuses_a_loop(ctx):
    boss = team.add_member(ctx, member("王建国", "13800000001", role="commander"))
    deputy = team.add_member(ctx, member("张伟", "13800000002", role="deputy", caller_id=boss.id))
    leaf = team.add_member(ctx, member("刘洋", "13800000003", caller_id=deputy.id))
    tree = team.phone_tree(ctx)
    assert [(t.depth, t.member.name, t.calls) for t in tree] == [
        (0, "王建国", ("张伟",)), (1, "张伟", ("刘洋",)), (2, "刘洋", ())]
    with pytest.raises(UserError) as exc:
        team.update_member(ctx, boss.id, member("王建国", "13800000001", role="commander", caller_id=leaf.id))
    assert exc.value.field == "caller"


def test_clerk_may_not_edit_the_team(ctx):
    with pytest.raises(PermissionDenied):
        team.add_member(as_role(ctx, Role.WORKER), member())


# --- incidents ------------------------------------------------------------------------------------------

def test_incident_flow_first_minutes_checklist_checks_and_timeline(worker, chief, clock):
    bid, bname, n_vulnerable = _building_with_vulnerable(worker)
    assert n_vulnerable >= 1
    v = incidents.open_incident(worker, IncidentInput("fire", "general", "3栋楼道杂物起火", (bid,), "phone", "居民来电"))
    assert v.incident_no.startswith("YJ2026-") and v.buildings == ((bid, bname),)
    assert v.onsite_due_at == clock.now() + dt.timedelta(minutes=5)
    assert v.report_due_at == clock.now() + dt.timedelta(minutes=15)
    fire = next(p for p in plans.list_plans(worker) if p.hazard == "fire")
    assert [t.title for t in v.tasks] == [s.title for s in fire.steps]           # the plan became the checklist
    assert v.tasks[1].due_at == clock.now() + dt.timedelta(minutes=fire.steps[1].minutes)
    checks = incidents.checks(worker, v.id)
    assert len(checks) == n_vulnerable and all(c.state == "pending" for c in checks)
    assert all("*" in c.name_masked for c in checks if len(c.name_masked) > 1)
    clock.advance(minutes=4)
    v = incidents.mark_on_site(worker, v.id)                     # pressed: the moment, not entered later
    assert v.onsite_at == clock.now() and v.onsite_met and not v.onsite_later
    with pytest.raises(UserError) as exc:
        incidents.mark_reported(worker, v.id, "")
    assert exc.value.field == "channel"
    clock.advance(minutes=12)                                    # 16 minutes after the report: late
    v = incidents.mark_reported(worker, v.id, "gov_wechat")
    assert v.report_met is False
    v = incidents.complete_task(worker, v.tasks[0].id)
    assert v.tasks[0].done_at == clock.now()
    checked = incidents.set_check(worker, checks[0].id, "needs_help", "腿脚不便，需协助下楼")
    assert checked.state == "needs_help" and checked.checked_at == clock.now()
    with pytest.raises(UserError):
        incidents.set_check(worker, checks[0].id, "fine")
    v = incidents.set_member_status(chief, v.id, team.list_members(chief)[0].id, "on_the_way")
    assert v.member_status[0][1] == "on_the_way"
    v = incidents.add_step(worker, v.id, "启动应急预案，组织楼内居民疏散")
    kinds = [x.kind for x in v.entries]
    assert kinds[0] == e.REPORTED and {e.ON_SITE, e.SUBDISTRICT, e.TASK, e.CHECK, e.MEMBER, e.STEP} <= set(kinds)
    v = incidents.close_incident(chief, v.id, "明火已扑灭，无人员伤亡。")
    assert v.closed
    with pytest.raises(UserError):
        incidents.mark_on_site(worker, v.id)
    with worker.transaction() as s:
        assert s.execute(select(func.count()).select_from(ChangeJournal)
                         .where(ChangeJournal.entity == "em_entry")).scalar_one() >= len(v.entries)
        assert s.execute(select(AuditEntry).where(AuditEntry.detail.contains(v.incident_no))).first()


def test_on_site_before_the_report_and_no_building_are_refused(worker, clock):
    bid, _n, _k = _building_with_vulnerable(worker)
    with pytest.raises(UserError) as exc:
        incidents.open_incident(worker, IncidentInput("fire", "general", "起火", (), "phone"))
    assert exc.value.field == "buildings"
    with pytest.raises(UserError) as exc:
        incidents.open_incident(worker, IncidentInput("fire", "huge", "起火", (bid,), "phone"))
    assert exc.value.field == "grade"
    with pytest.raises(UserError) as exc:
        incidents.open_incident(worker, IncidentInput("fire", "general", "起火", (bid,), "phone",
                                                      reported_at=clock.now() + dt.timedelta(hours=1)))
    assert exc.value.field == "reported_at"
    v = incidents.open_incident(worker, IncidentInput("fire", "general", "起火", (bid,), "phone"))
    with pytest.raises(UserError) as exc:
        incidents.mark_on_site(worker, v.id, at=clock.now() - dt.timedelta(minutes=3))
    assert exc.value.field == "onsite_at"
    with worker.transaction() as s:
        assert s.execute(select(func.count()).select_from(IncidentEntry).where(
            IncidentEntry.incident_id == v.id, IncidentEntry.kind == e.ON_SITE)).scalar_one() == 0


def test_a_time_typed_later_is_marked_and_a_correction_is_a_new_entry(worker, clock):
    bid, _n, _k = _building_with_vulnerable(worker)
    start = clock.now()
    v = incidents.open_incident(worker, IncidentInput("gas_leak", "general", "燃气泄漏", (bid,), "phone"))
    clock.advance(minutes=3)
    first = incidents.mark_on_site(worker, v.id)
    clock.advance(minutes=30)
    typed = incidents.mark_on_site(worker, v.id, at=start + dt.timedelta(minutes=6), by_name="张伟")
    assert typed.onsite_at == start + dt.timedelta(minutes=6) and typed.onsite_later and typed.onsite_met is False
    on_site = [x for x in typed.entries if x.kind == e.ON_SITE]
    assert len(on_site) == 2
    old = next(x for x in on_site if x.corrects_id is None)
    new = next(x for x in on_site if x.corrects_id == old.id)
    assert old.superseded and not new.superseded and new.entered_later and not old.entered_later
    assert old.at == first.onsite_at                              # the first entry is still there, unchanged
    with worker.transaction() as s:
        assert s.execute(select(func.count()).select_from(ChangeJournal).where(
            ChangeJournal.entity == "em_entry", ChangeJournal.op == "update")).scalar_one() == 0
    # the report time was wrong: corrected, the clocks move with it
    moved = incidents.correct_report_time(worker, v.id, start - dt.timedelta(minutes=2))
    assert moved.onsite_due_at == start + dt.timedelta(minutes=3)
    with pytest.raises(UserError) as exc:
        incidents.correct_report_time(worker, v.id, start + dt.timedelta(minutes=10))
    assert exc.value.field == "onsite_at"


def test_checks_reach_children_in_other_workers_files(worker, chief):
    """In an emergency the grid worker sees every vulnerable person of the building (break-glass, audited)."""
    with chief.transaction() as s:
        ids = list(s.execute(select(Building.id)).scalars())
    everyone = {r.resident_id for r in vulnerable.for_buildings(chief, ids)}
    assert {r.resident_id for r in vulnerable.for_buildings(worker, ids)} == everyone


def test_vulnerable_export_lines_mask_the_name_and_give_the_contact(chief):
    _bid, bname, n = _building_with_vulnerable(chief)
    lines = vulnerable.export_lines(chief, bname)
    assert len(lines) == n
    for line in lines:
        unit, name, flags, contact = line.split("\t")
        assert "单元" in unit and "*" in name and contact.split()[-1].isdigit()
    with chief.transaction() as s:
        assert s.execute(select(AuditEntry).where(AuditEntry.action == "export",
                                                  AuditEntry.detail.contains("vulnerable"))).first()
    with pytest.raises(UserError) as exc:
        vulnerable.export_lines(chief, "不存在的楼")
    assert exc.value.field == "building"


# --- drills, training, compliance, demo ----------------------------------------------------------------

def test_demo_has_plans_team_drills_one_overdue_training_and_past_incidents(chief):
    assert len(plans.list_plans(chief)) == 7
    assert team.status(chief).active == 24 and not team.status(chief).short
    tasks = drills.schedule(chief)
    overdue = [t for t in tasks if t.state is TaskState.OVERDUE]
    assert [(t.key, t.period_first) for t in overdue] == [("training", dt.date(2026, 7, 1))]
    assert sum(1 for t in tasks if t.key == "drill" and t.state is TaskState.DONE) >= 4
    assert [m.name for m in drills.untrained_members(chief)] == ["唐晓红", "许国庆"]
    rows = incidents.list_incidents(chief, "all")
    assert sum(r.is_exercise for r in rows) >= 4 and sum(not r.is_exercise for r in rows) == 5
    rates = drills.compliance(chief, dt.date(2024, 1, 1), dt.date(2026, 12, 31))
    assert (rates.onsite.numerator, rates.onsite.denominator) == (4, 5)      # one on site after 7 minutes
    assert (rates.report.numerator, rates.report.denominator) == (4, 5)      # one reported after 18 minutes
    late = rates.report.missing_records()[0]
    assert late.detail["minutes"] == 18
    full = incidents.get_incident(chief, late.ref)
    assert full.subdistrict_later                                       # typed in afterwards


def test_record_training_with_attendance_and_refuse_bad_input(chief, clock):
    members = team.list_members(chief)
    today = clock.now().astimezone(SHANGHAI).date()
    with pytest.raises(UserError) as exc:
        drills.record_exercise(chief, ExerciseInput("training", today, "灭火器使用", 0, ((members[0].id, True),)))
    assert exc.value.field == "duration"
    with pytest.raises(UserError) as exc:
        drills.record_exercise(chief, ExerciseInput("training", today + dt.timedelta(days=1), "灭火器使用", 60,
                                                    ((members[0].id, True),)))
    assert exc.value.field == "held_on"
    x = drills.record_exercise(chief, ExerciseInput("training", today, "灭火器使用", 60,
                                                    tuple((m.id, True) for m in members), attachments=("签到表.jpg",)))
    assert (x.present, x.absent) == (24, 0)
    assert drills.untrained_members(chief) == []
    assert ("唐晓红", True) in drills.attendance(chief, x.id)


def test_running_clock_is_left_out_of_the_rate_until_it_runs_out(worker, clock):
    bid, _n, _k = _building_with_vulnerable(worker)
    today = clock.now().astimezone(SHANGHAI).date()
    incidents.open_incident(worker, IncidentInput("fire", "general", "起火", (bid,), "phone"))
    assert drills.compliance(worker, today, today).onsite.denominator == 0
    clock.advance(minutes=6)
    rates = drills.compliance(worker, today, today)
    assert (rates.onsite.numerator, rates.onsite.denominator) == (0, 1)
    assert rates.report.denominator == 0


def test_person_checks_are_created_for_the_affected_buildings_only(worker):
    bid, _n, n = _building_with_vulnerable(worker)
    v = incidents.open_incident(worker, IncidentInput("earthquake", "larger", "地震", (bid,), "phone"))
    with worker.transaction() as s:
        rows = s.execute(select(PersonCheck).where(PersonCheck.incident_id == v.id)).scalars().all()
    assert len(rows) == n and {r.building_id for r in rows} == {bid}


def test_cli_vulnerable_lines_and_kit(demo_ctx, db_path, tmp_path, capsys, monkeypatch):
    """`shequ-admin emergency vulnerable --building NAME` prints UNIT<TAB>NAME<TAB>FLAGS<TAB>CONTACT exactly;
    `emergency kit --out FILE.pdf` writes the kit. Both are in the audit log."""
    from shequ_desktop.cli import admin
    monkeypatch.setenv("SHEQU_LANG", "en")
    _bid, bname, n = _building_with_vulnerable(demo_ctx)
    expected = vulnerable.for_buildings(demo_ctx, [_bid])
    capsys.readouterr()
    assert admin.main(["--db", str(db_path), "emergency", "vulnerable", "--building", bname]) == 0
    out = capsys.readouterr().out.split("\n")
    assert out.pop() == ""                                  # every line ends with a newline, nothing after
    # CONTACT is "name phone", or the name alone when nobody on the roster has a phone: never a stray space
    assert out == [f"{r.unit}\t{r.name_masked}\t{','.join(r.flag_words_zh())}\t"
                   + " ".join(x for x in (r.contact_name, r.contact_phone) if x) for r in expected]
    assert all(line == line.strip(" ") for line in out)
    assert len(out) == n and all(len(line.split("\t")) == 4 for line in out)
    assert admin.main(["--db", str(db_path), "emergency", "vulnerable", "--building", "没有这栋楼"]) != 0
    pdf = tmp_path / "kit.pdf"
    assert admin.main(["--db", str(db_path), "emergency", "kit", "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF") and "Emergency kit written" in capsys.readouterr().out
    with demo_ctx.transaction() as s:
        actions = set(s.execute(select(AuditEntry.action).where(AuditEntry.user_login == "shequ-admin")).scalars())
    assert {"export", "print"} <= actions


def test_the_person_to_call_is_the_first_with_a_phone_and_a_line_has_no_stray_space():
    """The demo's rosters vary between runs (random ids): an elder whose volunteer has no phone on file and no
    family must get the social worker's phone, and a line never ends in a space (the CLI test once failed so)."""
    from shequ_desktop.services.special_groups.files import VulnerableResident

    def person(volunteer=("赵志愿", ""), family=(), worker="李晓梅"):
        return VulnerableResident("r1", "张秀兰", "", "2", "301", "", ("elderly",), ("alone",), "clerk1", worker,
                                  *volunteer, family)
    row = vulnerable._row("b1", "幸福里小区3栋", person(), "13900001111")
    assert (row.contact_name, row.contact_relation, row.contact_phone) == ("李晓梅", "社工", "13900001111")
    assert vulnerable.line(row) == "2单元301室\t张*兰\t独居\t李晓梅 13900001111"
    row = vulnerable._row("b1", "幸福里小区3栋", person(family=(("王明", "儿子", ""),)), "")
    assert (row.contact_name, row.contact_phone) == ("王明", "")           # nobody has a phone: the first named
    assert vulnerable.line(row) == "2单元301室\t张*兰\t独居\t王明"
    row = vulnerable._row("b1", "幸福里小区3栋", person(("", ""), (("王明", "儿子", ""), ("王芳", "女儿", "13500002222"))),
                          "")
    assert (row.contact_name, row.contact_phone) == ("王芳", "13500002222")
    from shequ_desktop.services.emergency.kit import _line
    assert _line(vulnerable._row("b1", "楼", person(family=(("王明", "儿子", ""),)), "")).contact == "王明（儿子）未登记电话"


def test_looking_at_the_plans_writes_nothing_and_first_use_stores_the_shipped_ones(ctx):
    """A fresh workstation shows the seven plans without writing (its first sync pushes nothing of them); the
    first incident or edit stores them under ids every station of the community shares."""
    shown = plans.list_plans(ctx)
    assert len(shown) == 7
    with ctx.transaction() as s:
        assert s.execute(select(func.count()).select_from(ChangeJournal)
                         .where(ChangeJournal.entity == "em_plan")).scalar_one() == 0
    changed = plans.update_plan(ctx, shown[2].id, plans.PlanInput("台风", shown[2].steps, supplies=("沙袋",)))
    assert changed.id == shown[2].id == plans.default_plan_id(ctx.community_id, "typhoon")
    assert len(plans.list_plans(ctx)) == 7 and plans.list_plans(ctx)[2].supplies == ("沙袋",)
