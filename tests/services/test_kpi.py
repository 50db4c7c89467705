"""The five KPI figures (R32–R36): the work orders' response rules at their edges, the figures and the
lists behind them never disagree (station, per worker, per month), the CLI's exact lines, the printed report."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from shequ_desktop.domain import kpi as k
from shequ_desktop.domain.clock import SHANGHAI
from shequ_desktop.domain.errors import PermissionDenied
from shequ_desktop.domain.roles import Role
from shequ_desktop.persistence.counter_models import PrintedDocument
from shequ_desktop.persistence.sync_models import WorkOrder
from shequ_desktop.i18n import set_language
from shequ_desktop.services import kpi, kpi_report
from shequ_desktop.domain.clock import FixedClock
from shequ_desktop.persistence.db import open_database
from shequ_desktop.services.context import AppContext, CurrentUser
from shequ_desktop.services.station import ensure_station
from tests.conftest import START, as_role

ADMIN = CurrentUser(id="t-admin", login="tadmin", display_name="测试管理员", role=Role.ADMIN)

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=SHANGHAI)   # a Monday of the period under test


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo community (200 households) built once for this module; tests open it with their own context."""
    from shequ_desktop.services import demo
    path = tmp_path_factory.mktemp("kpi") / "demo.db"
    db = open_database(path)
    demo.generate(ensure_station(AppContext(db=db, clock=FixedClock(START), user=ADMIN)), households=200)
    db.dispose()
    return path


@pytest.fixture
def demo_ctx(demo_db: Path) -> Iterator[AppContext]:
    db = open_database(demo_db)
    yield ensure_station(AppContext(db=db, clock=FixedClock(START), user=ADMIN))
    db.dispose()


def _order(ctx, no: str, urgency: str, received: dt.datetime, feedback: dt.timedelta | None = None,  # noqa: ANN001
           arrived: dt.timedelta | None = None) -> None:
    with ctx.transaction() as s:
        s.add(WorkOrder(community_id=ctx.community_id, request_no=no, urgency=urgency, received_at=received,
                        feedback_at=received + feedback if feedback is not None else None,
                        arrived_at=received + arrived if arrived is not None else None, status="in_progress"))


def test_response_figures_count_the_deadline_inclusive_and_leave_running_requests_out(ctx) -> None:  # noqa: ANN001
    h, m = dt.timedelta(hours=1), dt.timedelta(minutes=1)
    _order(ctx, "G-23h", "general", T0, feedback=23 * h)
    _order(ctx, "G-24h", "general", T0, feedback=24 * h)                 # exactly at the limit: in time
    _order(ctx, "G-25h", "general", T0, feedback=24 * h + m)             # one minute late
    _order(ctx, "G-none", "general", T0)                                 # never fed back, past due: late
    _order(ctx, "G-running", "general", ctx.clock.now() - 2 * h)         # due tomorrow: not in any figure yet
    _order(ctx, "G-oct", "general", dt.datetime(2026, 10, 31, 22, 0, tzinfo=SHANGHAI), feedback=2 * h)  # due in Nov
    _order(ctx, "U-30", "urgent", T0, arrived=30 * m)
    _order(ctx, "U-31", "urgent", T0, arrived=31 * m, feedback=5 * m)   # feedback does not replace arrival
    report = kpi.compute(ctx, "2026-11")
    feedback, onsite = report[k.FEEDBACK_24H], report[k.ONSITE_30MIN]
    # a request belongs to the month its deadline falls in (received 31 October 22:00 → November)
    assert {r.label: r.counts for r in feedback.records} == {"G-oct": True, "G-23h": True, "G-24h": True,
                                                            "G-25h": False, "G-none": False}
    assert {r.label: r.counts for r in onsite.records} == {"U-30": True, "U-31": False}
    assert report.lines()[1:3] == ["feedback_24h\t60.0\t3/5\t100\tmissed", "onsite_30min\t50.0\t1/2\t100\tmissed"]
    assert kpi.compute(ctx, "2026-10")[k.FEEDBACK_24H].records == ()
    assert [r.label for r in kpi.compute(ctx, "2026Q4")[k.FEEDBACK_24H].records] == \
        ["G-oct", "G-23h", "G-24h", "G-25h", "G-none"]


def test_the_report_prints_every_miss_more_than_30_in_the_annex(ctx) -> None:  # noqa: ANN001
    for i in range(35):
        _order(ctx, f"G-late-{i:02d}", "general", T0 + dt.timedelta(minutes=i), feedback=dt.timedelta(hours=30))
    _order(ctx, "U-late", "urgent", T0, arrived=dt.timedelta(minutes=45))
    paper = kpi_report.print_report(as_role(ctx, Role.CHIEF), "2026-11")
    flat = "".join(_pdf_text(paper.path).split())
    assert "未计入分子的记录共35条，全部列于附件（二）" in flat and "附件：未计入分子的全部记录" in flat
    assert all(f"G-late-{i:02d}" in flat for i in range(35))      # not only the first 30
    assert "U-late" in flat and "到场用时45分钟" in flat            # a short list stays in its section


def test_no_records_gives_dashes(ctx) -> None:  # noqa: ANN001
    assert kpi.compute(ctx, "2019").lines() == [
        "on_time\t-\t0/0\t98\t-", "feedback_24h\t-\t0/0\t100\t-", "onsite_30min\t-\t0/0\t100\t-",
        "mediation_success\t-\t0/0\t90\t-", "special_satisfaction\t-\t0/0\t95\t-"]


@pytest.mark.parametrize("period", ["2026", "2026Q4", "2026-11"])
def test_every_figure_and_its_lists_never_disagree(demo_ctx, period: str) -> None:  # noqa: ANN001
    report = kpi.compute(demo_ctx, period)
    assert report[k.FEEDBACK_24H].denominator > 0 and report[k.MEDIATION_SUCCESS].denominator > 0
    for key in k.KEYS:
        ind = report[key]
        # the figure is its list: numerator = records counted, denominator = all of them, each record once
        assert ind.numerator == len(ind.numerator_records()) == ind.denominator - len(ind.missing_records())
        assert len({r.ref for r in ind.records}) == ind.denominator
        assert all(report.period.start <= r.detail["date"] <= report.period.end for r in ind.records)
        # the months add up to the figure
        months = report.per_month(key)
        assert sum(i.denominator for _m, i in months) == ind.denominator
        assert sum(i.numerator for _m, i in months) == ind.numerator
        # each worker's figure is exactly the records attributed to that worker
        for name, own in report.per_worker(key).items():
            assert {r.ref for r in own.records} == {r.ref for r in ind.records if name in kpi.owners(r)}
        if key != k.MEDIATION_SUCCESS:      # one worker per record: the workers add up to the station
            assert sum(i.denominator for i in report.per_worker(key).values()) == ind.denominator
        line = report.lines()[k.KEYS.index(key)]
        assert line.split("\t")[2] == f"{ind.numerator}/{ind.denominator}"


def test_the_on_time_figure_is_the_counters_rate(demo_ctx) -> None:  # noqa: ANN001
    from shequ_desktop.services import counter_oversight
    report = kpi.compute(demo_ctx, "2026")
    rate = counter_oversight.on_time_rate(demo_ctx, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert (report[k.ON_TIME].numerator, report[k.ON_TIME].denominator) == (rate.numerator, rate.denominator)


def test_only_the_chief_and_the_admin_see_everyones_figures(demo_ctx) -> None:  # noqa: ANN001
    kpi.compute(as_role(demo_ctx, Role.CHIEF), "2026Q4")
    for role in (Role.CLERK, Role.WORKER):
        with pytest.raises(PermissionDenied):
            kpi.compute(as_role(demo_ctx, role), "2026Q4")


def test_cli_prints_the_exact_lines_and_refuses_a_bad_period(demo_db, capsys, monkeypatch) -> None:  # noqa: ANN001
    from shequ_desktop.cli import admin
    db_path = demo_db
    assert admin.main(["--db", str(db_path), "kpi", "--period", "2026Q4"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in out] == list(k.KEYS)
    assert all(re.fullmatch(r"[a-z_0-9]+\t(\d+\.\d|-)\t\d+/\d+\t\d+(\.\d+)?\t(met|missed|-)", x) for x in out)
    db = open_database(db_path)      # the CLI ran on the real clock: the same figures on that clock
    try:
        assert out == kpi.compute(ensure_station(AppContext(db=db, user=ADMIN)), "2026Q4").lines()
    finally:
        db.dispose()
    for bad in ("2026Q5", "2026-13", "Q4"):
        assert admin.main(["--db", str(db_path), "kpi", "--period", bad]) == 2
        err = capsys.readouterr().err
        assert bad in err and "2026Q4" in err
    monkeypatch.setenv("SHEQU_LANG", "zh_CN")
    try:
        assert admin.main(["--db", str(db_path), "kpi", "--period", "2026Q5"]) == 2
        assert "无法识别的期间 2026Q5" in capsys.readouterr().err
    finally:
        set_language("en")      # the CLI set the process's language: later tests read English


def _pdf_text(path) -> str:  # noqa: ANN001
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_printed_report_reads_back_with_the_figures_and_embedded_fonts(demo_ctx) -> None:  # noqa: ANN001
    chief = as_role(demo_ctx, Role.CHIEF)
    paper = kpi_report.print_report(chief, "2026Q4")
    report = kpi.compute(chief, "2026Q4")
    text = _pdf_text(paper.path)
    flat = "".join(text.split())
    assert "2026年第四季度考核指标报告" in flat and paper.serial_no in flat
    for key in k.KEYS:
        ind = report[key]
        assert k.TITLES_ZH[key] in flat
        assert f"{ind.numerator}/{ind.denominator}" in flat
        for r in ind.missing_records():
            assert r.label.replace(" ", "") in flat          # the records that missed are listed
    assert "逐月趋势" in flat and "按社工" in flat and "10月" in flat
    fonts = subprocess.run(["pdffonts", str(paper.path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes yes " in row for row in rows)      # embedded, subset, unicode
    with demo_ctx.transaction() as s:
        row = s.query(PrintedDocument).filter_by(serial_no=paper.serial_no).one()
        assert row.kind == "kpi-report" and row.printed_by == "tuser"
