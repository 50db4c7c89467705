"""Who a figure is credited to (考核到人): the special-groups satisfaction view and the KPI dashboard credit a
survey to the same worker (the file's responsible worker, not the surveyor); a survey of a file without a
responsible worker is said so in its own row (not "not dispatched", which belongs to work orders); two
workers with the same name (张伟) stay two workers, told apart by grid and login."""

from __future__ import annotations

import datetime as dt

import pytest

from shequ_desktop import i18n
from shequ_desktop.domain import kpi as k
from shequ_desktop.domain.idnumber import make_id_number
from shequ_desktop.domain.kpi import Period
from shequ_desktop.domain.roles import Role
from shequ_desktop.printing.templates import Header
from shequ_desktop.services import auth, kpi, kpi_report, residents
from shequ_desktop.services.residents import ResidentInput
from shequ_desktop.services.special_groups import files, records, rosters
from shequ_desktop.services.special_groups.files import FileInput
from shequ_desktop.ui.oversight import OversightPage
from shequ_desktop.ui.oversight import kpi_labels
from shequ_desktop.ui.oversight.kpi_tab import NOBODY_SCOPE
from shequ_desktop.ui.special_groups.record_dialogs import SatisfactionDialog
from tests.gui.conftest import login_as

D = dt.date
Q4 = Period(2026, "quarter", 4)
SURVEYOR = "周调查员"


def _file(chief, name: str, birth: D, worker: str | None) -> str:  # noqa: ANN001
    r = residents.create(chief, ResidentInput(name=name, id_number=make_id_number("420111", birth, 37),
                                              phone="13911112222", address="幸福里小区3栋1单元201室"))
    f = files.open_file(chief, FileInput(r.id, "elderly", opened_on=D(2026, 10, 8)))
    if worker:
        rosters.add_member(chief, f.id, "worker", login=worker, on=D(2026, 10, 8))
    rosters.add_member(chief, f.id, "volunteer", name="李志愿", phone="13900001111", on=D(2026, 10, 8))
    return f.id


@pytest.fixture
def surveyed(ctx):  # noqa: ANN001, ANN201
    """worker1 (张伟 in the demo) and a second 张伟 (zhangwei2, another grid) each answer for one surveyed file;
    a third file has no responsible worker. The chief's surveyor asked all three."""
    chief = login_as(ctx, "chief")
    auth.create_user(chief, "zhangwei2", "张伟", Role.WORKER, "password-1", check_permission=False)
    ids = {}
    for key, name, birth, worker, score in (("w1", "钱秀英", D(1941, 3, 2), "worker1", 5),
                                            ("w2", "孙桂兰", D(1942, 4, 3), "zhangwei2", 2),
                                            ("none", "周玉珍", D(1943, 5, 4), None, 4)):
        fid = _file(chief, name, birth, worker)
        ids[key] = records.record_survey(chief, fid, score, "visit", SURVEYOR, D(2026, 11, 20))
    return chief, ids


def test_satisfaction_view_and_kpi_credit_the_responsible_worker_by_login(surveyed) -> None:  # noqa: ANN001
    chief, ids = surveyed
    report = kpi.compute(chief, Q4)
    per = report.per_worker(k.SPECIAL_SATISFACTION)
    # two 张伟 are two workers; the surveyor is nobody's figure; the file without a worker is under ""
    assert ids["w1"] in [r.ref for r in per["worker1"].records]
    assert ids["w2"] in [r.ref for r in per["zhangwei2"].records]
    assert ids["w2"] not in [r.ref for r in per["worker1"].records]
    assert ids["none"] in [r.ref for r in per[""].records]
    assert SURVEYOR not in per
    one, two = report.label("worker1"), report.label("zhangwei2")
    assert one != two and one.startswith("张伟") and two.startswith("张伟")
    assert "worker1" in one and "zhangwei2" in two
    assert "worker1" in report.workers() and "zhangwei2" in report.workers()
    # the special-groups view over the same days: the same workers with the same counts
    view = records.satisfaction_view(chief, Q4.start, Q4.end)
    assert {w.login: (w.figure.numerator, w.figure.denominator) for w in view.per_worker} == \
        {login: (i.numerator, i.denominator) for login, i in per.items()}
    assert {w.login: w.label for w in view.per_worker if w.login} == {x: report.label(x) for x in per if x}
    assert view.per_worker[-1].login == ""                  # nobody's row last, where the chief sees it
    # the printed report: two lines for the two 张伟, and the file without a worker in words
    data = kpi_report.report_data(chief, report, Header("KH2026-0001", "ABCDEFGH", "x"))
    figure = data.figures[k.KEYS.index(k.SPECIAL_SATISFACTION)]
    names = [w[0] for w in figure.workers]
    assert one in names and two in names and "未指定责任人" in names and "未派单" not in names


def test_satisfaction_dialog_shows_the_responsible_worker_and_a_row_for_nobody(qtbot, surveyed, runner,
                                                                            reported) -> None:  # noqa: ANN001
    chief, ids = surveyed
    dialog = SatisfactionDialog(chief, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.view is not None, timeout=10_000)
    dialog.since_edit.setDate(Q4.start)
    dialog.until_edit.setDate(Q4.end)
    view_before = dialog.view
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.view is not view_before, timeout=10_000)
    per = kpi.compute(chief, Q4).per_worker(k.SPECIAL_SATISFACTION)
    rows = {}
    for i in range(1, dialog.workers.topLevelItemCount()):
        item = dialog.workers.topLevelItem(i)
        rows[item.data(0, 0x0100)] = (item.text(0), item.text(1))
    assert {login: counts for login, (_t, counts) in rows.items()} == \
        {login: f"{i.numerator} / {i.denominator}" for login, i in per.items()}
    assert rows[""][0] == "No responsible worker"           # the message id (the test catalog has no entry)
    assert rows["worker1"][0] != rows["zhangwei2"][0]
    # the nobody row lists exactly the surveys of files without a worker
    nobody = next(dialog.workers.topLevelItem(i) for i in range(dialog.workers.topLevelItemCount())
                  if dialog.workers.topLevelItem(i).data(0, 0x0100) == "")
    dialog.workers.setCurrentItem(nobody)
    assert dialog.records.topLevelItemCount() == per[""].denominator
    shown = [[dialog.records.topLevelItem(i).text(c) for c in range(6)]
             for i in range(dialog.records.topLevelItemCount())]
    assert any(r[0].startswith("周*珍") and r[3] == "No responsible worker" and r[4] == SURVEYOR for r in shown)
    assert reported == []


def test_kpi_tab_names_nobody_in_the_indicators_words_and_keeps_two_zhang_wei(qtbot, surveyed, runner,
                                                                             reported) -> None:  # noqa: ANN001
    chief, _ids = surveyed
    page = OversightPage(chief, runner)
    qtbot.addWidget(page)
    page.resize(1366 - 180, 728 - 60)
    page.show()
    tab = page.kpi
    qtbot.waitUntil(lambda: tab.report is not None, timeout=10_000)
    if tab.period() != Q4:
        with qtbot.waitSignal(tab.report_loaded, timeout=10_000):
            tab.set_period(Q4)
    tab.open_figure(k.SPECIAL_SATISFACTION)
    assert "No responsible worker" in tab.worker_chart.labels
    assert "(not dispatched)" not in tab.worker_chart.labels
    assert "No responsible worker" in tab.drill_label.text()
    texts = [tab.scope_combo.itemText(i) for i in range(tab.scope_combo.count())]
    one = texts[tab.scope_combo.findData("worker1")]
    two = texts[tab.scope_combo.findData("zhangwei2")]
    assert one != two and one.startswith("张伟") and two.startswith("张伟")
    # the records of nobody are one pick away
    tab.scope_combo.setCurrentIndex(tab.scope_combo.findData(NOBODY_SCOPE))
    per = tab.report.per_worker(k.SPECIAL_SATISFACTION)
    assert tab.model.total() == per[""].denominator
    assert tab.model.index(0, 2).data() == "No responsible worker"
    tab.scope_combo.setCurrentIndex(tab.scope_combo.findData("zhangwei2"))
    assert tab.model.total() == per["zhangwei2"].denominator
    assert tab.model.index(0, 2).data() == two
    assert reported == []


def test_nobody_is_said_in_each_indicators_words_in_both_languages(monkeypatch) -> None:  # noqa: ANN001
    from shequ_desktop import paths
    monkeypatch.setattr(i18n, "locale_dir", paths.locale_dir)      # the real catalogs
    try:
        i18n.set_language("zh_CN")
        assert kpi_labels.nobody_text(k.SPECIAL_SATISFACTION) == "未指定责任人"
        assert kpi_labels.nobody_text(k.FEEDBACK_24H) == "（未派单）"
        assert all(not any("a" <= ch.lower() <= "z" for ch in kpi_labels.nobody_text(key)) for key in k.KEYS)
        i18n.set_language("en")
        assert kpi_labels.nobody_text(k.SPECIAL_SATISFACTION) == "No responsible worker"
    finally:
        i18n.set_language("zh_CN")
