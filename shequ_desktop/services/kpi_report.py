"""Printing the KPI report (考核指标报告, kind ``kpi-report``): the figures of a period with their charts
and the records that missed, numbered, stored, registered and audited like every printed paper."""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from pathlib import Path

from shequ_desktop.domain import kpi as k
from shequ_desktop.domain import mediation as m
from shequ_desktop.domain import special_groups as sg
from shequ_desktop.domain.clock import local_today, to_local
from shequ_desktop.domain.indicators import Indicator, IndicatorRecord
from shequ_desktop.domain.kpi import Period
from shequ_desktop.persistence.counter_models import PrintedDocument
from shequ_desktop.printing.kpi_report import KIND, KpiFigure, KpiReportData, MissLine, kpi_report
from shequ_desktop.printing.templates import Header
from shequ_desktop.services import audit, worker_refs
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.counter import next_serial
from shequ_desktop.services.kpi import KpiReport, compute
from shequ_desktop.services.station import station_info

PREFIX = "KH"
MISSES_IN_SECTION = 30       # more misses than this: the indicator's whole list goes to the annex
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class PrintedReport:
    serial_no: str
    title: str
    path: Path


def miss_note(key: str, r: IndicatorRecord) -> str:
    """Why a record is outside the numerator, in the printed words (Chinese)."""
    d = r.detail
    done = d.get("done")
    if key == k.ON_TIME:
        if done is None:
            return "逾期未办结"
        late = (to_local(done).date() - d["due"]).days
        return f"逾期{late}天办结" if late > 0 else "超过当日下班时间办结"
    if key == k.FEEDBACK_24H:
        return "逾期未反馈" if done is None else f"反馈用时{math.ceil((done - d['received']).total_seconds() / 3600)}小时"
    if key == k.ONSITE_30MIN:
        return "无到场记录" if done is None else f"到场用时{math.ceil((done - d['received']).total_seconds() / 60)}分钟"
    if key == k.MEDIATION_SUCCESS:
        return m.STATE_ZH.get(str(d.get("state", "")), "")
    if key == k.SPECIAL_SATISFACTION:
        return sg.SCORE_LABELS.get(int(d.get("score", 0)), "")
    return ""


def _figure(report: KpiReport, key: str) -> KpiFigure:
    ind: Indicator = report[key]
    months = tuple((f"{p.number}月", i.percent) for p, i in report.per_month(key))
    workers = tuple((report.label(login) or k.NOBODY_ZH[key], i.percent, i.numerator, i.denominator)
                    for login, i in sorted(report.per_worker(key).items(), key=lambda x: (not x[0], report.label(x[0]))))
    misses = ind.missing_records()
    lines = tuple(MissLine(r.label, "、".join(report.label(x) for x in worker_refs.logins_of(r.detail))
                           or k.NOBODY_ZH[key], r.detail["date"].isoformat(), miss_note(key, r)) for r in misses)
    return KpiFigure(k.TITLES_ZH[key], float(ind.target * 100), ind.numerator, ind.denominator, ind.percent,
                     months, workers, lines, len(lines) > MISSES_IN_SECTION)


def report_data(ctx: AppContext, report: KpiReport, header: Header) -> KpiReportData:
    info = station_info(ctx)
    return KpiReportData(header, info.station_name, report.period.text_zh(), report.period.start, report.period.end,
                         tuple(_figure(report, key) for key in k.KEYS), local_today(ctx.clock),
                         ctx.user.display_name)


def print_report(ctx: AppContext, period: Period | str) -> PrintedReport:
    """Number, render, store and register the report of ``period`` (the chief prints it each quarter)."""
    report = compute(ctx, period)
    now = ctx.clock.now()
    year = to_local(now).year
    with ctx.transaction() as s:
        serial = f"{PREFIX}{year}-{next_serial(s, f'doc-{KIND}', year):04d}"
        code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        doc = kpi_report(report_data(ctx, report, Header(serial, code, f"shequ:verify:{serial}:{code}")))
        from shequ_desktop.printing.pdf_backend import render_pdf  # ReportLab loads on first print only
        from shequ_desktop.printing.text_backend import render_text
        pdf = render_pdf(doc)
        folder = ctx.db.path.parent / "documents" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{serial}.pdf"
        path.write_bytes(pdf)
        row = PrintedDocument(community_id=ctx.community_id, serial_no=serial, kind=KIND, title=doc.title[:64],
                              case_id=None, resident_id=None, printed_by=ctx.user.login, printed_at=now,
                              content_hash=hashlib.sha256(render_text(doc).encode("utf-8")).hexdigest(),
                              verification_code=code, file_name=f"{year}/{path.name}", issuer=doc.org_line[:100])
        s.add(row)
        s.flush()
        audit.append(s, ctx, audit.AuditAction.PRINT, "printed_document", row.id,
                     audit.describe(audit.MSG_PRINTED_PAPER, kind_msg=audit.MSG_KIND_KPI_REPORT, serial=serial))
    return PrintedReport(serial, doc.title, path)
