"""特殊群体 dialogs under pytest-qt: opening a disabled person's and a child's file, the 1+1+N roster (a second
active volunteer refused, a change keeping the history, family contacts), the assessment and the package changes
accepted item by item, a satisfaction survey and the rate with its records, correcting a logged contact — and the
§7 rule that a child's file is seen only by its team, the chief and the admin."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from shequ_desktop.domain.errors import PermissionDenied
from shequ_desktop.domain.idnumber import make_id_number
from shequ_desktop.services import residents
from shequ_desktop.services.residents import ResidentInput
from shequ_desktop.services.special_groups import files, records, rosters
from shequ_desktop.services.special_groups.files import FileInput
from shequ_desktop.services.special_groups.records import ContactInput
from shequ_desktop.ui.special_groups.file_dialogs import OpenFileDialog, RosterDialog
from shequ_desktop.ui.special_groups.record_dialogs import (AssessmentDialog, ContactsDialog, PackageDialog,
                                                            SatisfactionDialog, SurveyDialog)
from tests.gui.conftest import login_as

D = dt.date


@pytest.fixture
def worker_ctx(ctx):
    return login_as(ctx, "worker1")


def _person(ctx, name: str, birth: D) -> residents.ResidentDetail:
    return residents.create(ctx, ResidentInput(name=name, id_number=make_id_number("420111", birth, 37),
                                               phone="13911112222", address="幸福里小区3栋1单元201室"))


def _dialog(qtbot: Any, dialog):  # noqa: ANN001, ANN202
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _open(qtbot: Any, dialog: OpenFileDialog, name: str) -> None:
    qtbot.waitUntil(lambda: dialog.worker_combo.count() > 0, timeout=10_000)
    dialog.search_edit.setText(name)
    dialog.search()
    qtbot.waitUntil(lambda: dialog.resident_combo.count() > 0, timeout=10_000)


def test_disabled_file_opened_with_certificate_and_coordinator(qtbot, worker_ctx, runner, reported):
    _person(worker_ctx, "郑光明", D(1970, 4, 4))
    dialog = _dialog(qtbot, OpenFileDialog(worker_ctx, runner, group="disabled"))
    _open(qtbot, dialog, "郑光明")
    assert dialog.cert_edit.isVisible() and not dialog.kind_combo.isVisible()
    idn = make_id_number("420111", D(1970, 4, 4), 37)
    dialog.cert_edit.setText(idn + "92")                               # category 9 does not exist
    dialog.save()
    qtbot.waitUntil(lambda: dialog.errors_by_field["disability_cert"].isVisible(), timeout=10_000)
    assert files.list_files(worker_ctx, "disabled", query="郑") == []
    dialog.cert_edit.setText(idn + "42")                               # 肢体, grade 2
    with qtbot.waitSignal(dialog.opened, timeout=10_000) as opened:
        dialog.save()
    fid = opened.args[0]
    assert "肢体" in files.reveal(worker_ctx, fid, "health") and "2级" in files.reveal(worker_ctx, fid, "health")
    roster = rosters.roster(worker_ctx, fid)
    assert [(m.role, m.login) for m in roster.members if m.active] == [("coordinator", "worker1")]
    assert roster.complete and reported == []


def test_child_file_with_kind_guardian_and_team_seen_only_by_the_team(qtbot, worker_ctx, runner, reported):
    _person(worker_ctx, "小林", D(2015, 6, 1))
    dialog = _dialog(qtbot, OpenFileDialog(worker_ctx, runner, group="child"))
    _open(qtbot, dialog, "小林")
    assert dialog.kind_combo.isVisible() and dialog.teacher_edit.isVisible()
    dialog.save()                                                      # no kind of difficulty chosen
    qtbot.waitUntil(lambda: dialog.errors_by_field["child_kind"].isVisible(), timeout=10_000)
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("left_behind"))
    dialog.teacher_edit.setText("王老师")
    dialog.psychologist_edit.setText("陈咨询师")
    dialog.guardian_edit.setText("林奶奶")
    dialog.guardian_relation_edit.setText("祖母")
    dialog.guardian_phone_edit.setText("13600001234")
    with qtbot.waitSignal(dialog.opened, timeout=10_000) as opened:
        dialog.save()
    fid = opened.args[0]
    members = {m.role: m for m in rosters.roster(worker_ctx, fid).members if m.active}
    assert set(members) == {"worker", "teacher", "psychologist", "guardian"}
    assert members["guardian"].relation == "祖母" and members["guardian"].phone_masked == "136****1234"
    assert rosters.roster(worker_ctx, fid).complete
    # §7: another worker may not open it, on any of the new screens; the chief may
    other = login_as(worker_ctx, "worker2")
    with pytest.raises(PermissionDenied):
        rosters.roster(other, fid)
    for make in (lambda: RosterDialog(other, runner, fid, "child"), lambda: ContactsDialog(other, runner, fid),
                 lambda: PackageDialog(other, runner, fid)):
        reported.clear()
        _dialog(qtbot, make())
        qtbot.waitUntil(lambda: bool(reported), timeout=10_000)
        assert isinstance(reported[0], PermissionDenied)
    reported.clear()
    survey = _dialog(qtbot, SurveyDialog(other, runner, fid))
    survey.score_buttons[5].setChecked(True)
    survey.save()
    qtbot.waitUntil(lambda: survey.error_label.isVisible(), timeout=10_000)
    assert rosters.roster(login_as(worker_ctx, "chief"), fid).members


def _elder_file(worker_ctx) -> str:  # noqa: ANN001
    r = _person(worker_ctx, "钱秀英", D(1948, 1, 9))
    d = files.open_file(worker_ctx, FileInput(r.id, "elderly", opened_on=D(2026, 11, 2)))
    rosters.add_member(worker_ctx, d.id, "worker", login="worker1", on=D(2026, 11, 2))
    rosters.add_member(worker_ctx, d.id, "volunteer", name="李志愿", phone="13900001111", on=D(2026, 11, 2))
    return d.id


def test_roster_refuses_a_second_volunteer_replaces_with_history_and_adds_family(qtbot, worker_ctx, runner,
                                                                                 reported):
    fid = _elder_file(worker_ctx)
    dialog = _dialog(qtbot, RosterDialog(worker_ctx, runner, fid, "elderly"))
    qtbot.waitUntil(lambda: dialog.members.topLevelItemCount() == 2, timeout=10_000)
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("volunteer"))
    assert dialog.volunteer_combo.isVisible() and dialog.volunteer_combo.count() > 1     # the picker
    dialog.name_edit.setText("赵志愿")
    dialog.phone_edit.setText("13800005555")
    dialog.add()                                                       # "replace" not ticked: a second one
    qtbot.waitUntil(lambda: dialog.field_errors["role"].isVisible(), timeout=10_000)
    assert "李志愿" in dialog.field_errors["role"].text()
    dialog.replace_check.setChecked(True)
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        dialog.add()
    vols = [m for m in rosters.roster(worker_ctx, fid).members if m.role == "volunteer"]
    assert [(m.name, m.active) for m in vols] == [("赵志愿", True), ("李志愿", False)]
    assert vols[1].active_to == D(2026, 11, 25)                        # the history keeps the old one's dates
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("family"))
    dialog.name_edit.setText("钱明")
    dialog.add()                                                       # family without the relation
    qtbot.waitUntil(lambda: dialog.field_errors["relation"].isVisible(), timeout=10_000)
    dialog.relation_edit.setText("儿子")
    dialog.phone_edit.setText("13700002222")
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        dialog.add()
    family = [m for m in rosters.roster(worker_ctx, fid).members if m.role == "family"]
    assert [(m.name, m.relation, m.phone_masked) for m in family] == [("钱明", "儿子", "137****2222")]
    assert dialog.members.topLevelItemCount() == 4 and reported == []


def test_volunteer_picked_from_the_list_keeps_their_phone(qtbot, worker_ctx, runner, reported):
    fid = _elder_file(worker_ctx)
    rosters.end_member(worker_ctx, next(m.id for m in rosters.roster(worker_ctx, fid).members
                                        if m.role == "volunteer"))
    dialog = _dialog(qtbot, RosterDialog(worker_ctx, runner, fid, "elderly"))
    qtbot.waitUntil(lambda: dialog.volunteer_combo.count() > 1, timeout=10_000)
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData("volunteer"))
    known = dialog.volunteer_combo.itemData(1)
    dialog.volunteer_combo.setCurrentIndex(1)
    assert dialog.name_edit.text() == known.name
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        dialog.add()
    active = [m for m in rosters.roster(worker_ctx, fid).members if m.role == "volunteer" and m.active]
    assert active[0].name == known.name and active[0].phone_masked == known.phone_masked
    assert reported == []


def test_assessment_needs_required_and_package_changes_accepted_item_by_item(qtbot, worker_ctx, runner,
                                                                              reported):
    fid = files.list_files(worker_ctx, "disabled")[0].id
    dialog = _dialog(qtbot, AssessmentDialog(worker_ctx, runner, fid))
    dialog.add_proposal("add", "上门康复训练", "每周1次", "社区康复站")
    dialog.add_proposal("add", "轮椅适配", "一次", "区残联")
    dialog.save()                                                      # no need ticked
    qtbot.waitUntil(lambda: dialog.field_errors["needs"].isVisible(), timeout=10_000)
    assert records.assessments(worker_ctx, fid) == [] or all(a.assessed_on != D(2026, 11, 25) or a.proposals == ()
                                                             for a in records.assessments(worker_ctx, fid))
    dialog.need_boxes["rehab"].setChecked(True)
    dialog.need_boxes["device"].setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    before = records.package(worker_ctx, fid)
    package = _dialog(qtbot, PackageDialog(worker_ctx, runner, fid))
    qtbot.waitUntil(lambda: package.proposals.count() == 2, timeout=10_000)
    package.set_checked((1,))                                          # only the wheelchair
    with qtbot.waitSignal(package.changed, timeout=10_000):
        package.accept_checked()
    after = records.package(worker_ctx, fid)
    assert after.version_no == before.version_no + 1
    assert "轮椅适配" in [i.item for i in after.items] and "上门康复训练" not in [i.item for i in after.items]
    assert package.items.topLevelItemCount() == len(after.items) and reported == []


def test_survey_counts_in_the_rate_with_its_record(qtbot, worker_ctx, runner, reported):
    fid = _elder_file(worker_ctx)
    dialog = _dialog(qtbot, SurveyDialog(worker_ctx, runner, fid))
    dialog.save()                                                      # no score
    assert dialog.field_errors["score"].isVisible()
    dialog.score_buttons[2].setChecked(True)
    dialog.method_combo.setCurrentIndex(dialog.method_combo.findData("visit"))
    dialog.surveyor_edit.setText("周调查")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save()
    chief = login_as(worker_ctx, "chief")
    rate = _dialog(qtbot, SatisfactionDialog(chief, runner))
    qtbot.waitUntil(lambda: rate.records.topLevelItemCount() > 0, timeout=10_000)
    rows = [[rate.records.topLevelItem(i).text(c) for c in range(6)] for i in range(rate.records.topLevelItemCount())]
    mine = [r for r in rows if r[4] == "周调查"]         # who asked; credited to the file's worker (worker1)
    assert mine and mine[0][0].startswith("钱*英") and mine[0][5] == "✗" and mine[0][3].startswith("张伟")
    ind = records.satisfaction(chief, rate_since(rate), D(2026, 11, 25))
    assert f"{ind.numerator}/{ind.denominator}" in rate.rate_label.text() and reported == []


def rate_since(dialog: SatisfactionDialog) -> D:
    q = dialog.since_edit.date()
    return D(q.year(), q.month(), q.day())


def test_a_contact_is_corrected_by_a_new_entry_pointing_at_the_old(qtbot, worker_ctx, runner, reported):
    fid = _elder_file(worker_ctx)
    old = records.record_contact(worker_ctx, ContactInput(fid, "visit", "reached", D(2026, 11, 20), "上门，一切好"))
    dialog = _dialog(qtbot, ContactsDialog(worker_ctx, runner, fid))
    qtbot.waitUntil(lambda: dialog.log.topLevelItemCount() == 1, timeout=10_000)
    dialog.select(old.id)
    dialog.outcome_combo.setCurrentIndex(dialog.outcome_combo.findData("not_reached"))
    dialog.notes_edit.setText("敲门无人应答（更正）")
    from PySide6.QtCore import QDate
    dialog.date_edit.setDate(QDate(2026, 12, 1))                        # in the future: refused
    dialog.save()
    qtbot.waitUntil(lambda: dialog.field_errors["contact_on"].isVisible(), timeout=10_000)
    dialog.date_edit.setDate(QDate(2026, 11, 20))
    with qtbot.waitSignal(dialog.corrected, timeout=10_000):
        dialog.save()
    log = records.contacts(worker_ctx, fid)
    new = next(c for c in log if c.id != old.id)
    assert new.corrects_id == old.id and new.outcome == "not_reached"
    assert next(c for c in log if c.id == old.id).superseded           # the old entry stays, marked
    qtbot.waitUntil(lambda: dialog.log.topLevelItemCount() == 2, timeout=10_000)
    assert reported == []
