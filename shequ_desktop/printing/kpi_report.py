"""考核指标报告 (kind ``kpi-report``): the five KPI figures of a period for the subdistrict — the summary
table, each figure's trend by month and per worker (the dashboard's charts), the records that missed.

Built from plain data (:class:`KpiReportData`); ``services/kpi.py`` fills it from the records. Always Chinese.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shequ_desktop.printing.document import (BarChart, ChartRow, Document, DocumentBuilder, Heading, PageBreak, Paragraph,
                                             SignatureBlock, Spacer, Table, cn_ordinal, format_cn_date)
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # templates imports this module at its end (to list the specimen): no import cycle at run time
    from shequ_desktop.printing.templates import Header, SpecimenStation

KIND = "kpi-report"


@dataclass(frozen=True)
class MissLine:
    record: str          # case number / request number / masked name and date
    worker: str
    date: str
    note: str            # why it missed (late by …, not settled, 不满意 …)


@dataclass(frozen=True)
class KpiFigure:
    title: str                                            # 服务事项按时办结率
    target: float                                         # percent
    numerator: int
    denominator: int
    percent: float | None                                 # None: no records in the period
    months: tuple[tuple[str, float | None], ...]          # ("10月", 97.5)
    workers: tuple[tuple[str, float | None, int, int], ...]  # (name, percent, numerator, denominator)
    misses: tuple[MissLine, ...] = ()                     # every record that missed
    in_annex: bool = False                                # a long list: printed in the annex, not in the section

    @property
    def verdict(self) -> str:
        if self.percent is None:
            return "无数据"
        return "达标" if self.percent >= self.target - 1e-9 else "未达标"


@dataclass(frozen=True)
class KpiReportData:
    header: Header
    station_name: str
    period_text: str                 # 2026年第四季度
    start: dt.date
    end: dt.date
    figures: tuple[KpiFigure, ...]
    printed_on: dt.date
    printed_by: str = ""


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _summary(data: KpiReportData) -> Table:
    rows = tuple((f.title, f"≥{f.target:g}%", f"{f.numerator}/{f.denominator}", _pct(f.percent), f.verdict)
                 for f in data.figures)
    return Table(("指标", "目标", "分子/分母", "完成率", "结论"), rows, (3.4, 1.2, 1.5, 1.3, 1.2),
                 ("left", "center", "center", "center", "center"))


def _figure_blocks(n: int, f: KpiFigure) -> list:  # noqa: ANN001 (blocks)
    blocks: list = [Heading(f"（{cn_ordinal(n)}）{f.title}", level=2),
                    Paragraph(f"本期完成率{_pct(f.percent)}（{f.numerator}/{f.denominator}），目标不低于{f.target:g}%，"
                              f"{f.verdict}。", "body")]
    charts = [BarChart("逐月趋势（%）", tuple(m for m, _v in f.months), tuple(v for _m, v in f.months), f.target)]
    if f.workers:
        charts.append(BarChart("按社工（%）", tuple(w[0] or "未派单" for w in f.workers),
                               tuple(w[1] for w in f.workers), f.target))
    blocks.append(ChartRow(tuple(charts)))
    if f.misses and f.in_annex:
        blocks.append(Paragraph(f"未计入分子的记录共{len(f.misses)}条，全部列于附件（{cn_ordinal(n)}）。", "body_noindent"))
    elif f.misses:
        blocks.append(Paragraph("未计入分子的记录：", "body_noindent"))
        blocks.append(_miss_table(f.misses))
    return blocks


def _miss_table(misses: tuple[MissLine, ...]) -> Table:
    """Every miss; a long table continues over pages with its header repeated."""
    rows = tuple((m.record, m.worker or "-", m.date, m.note) for m in misses)
    return Table(("记录", "社工", "日期", "情况"), rows, (2.6, 1.2, 1.4, 2.8), ("left", "center", "center", "left"))


def _annex(figures: tuple[KpiFigure, ...]) -> list:  # noqa: ANN001 (blocks)
    """附件: the long lists of misses, one section per indicator, numbered like the indicator's section."""
    long = [(n, f) for n, f in enumerate(figures, 1) if f.misses and f.in_annex]
    if not long:
        return []
    blocks: list = [PageBreak(), Heading("附件：未计入分子的全部记录")]
    for n, f in long:
        blocks += [Heading(f"（{cn_ordinal(n)}）{f.title}（共{len(f.misses)}条）", level=2), _miss_table(f.misses)]
    return blocks


def kpi_report(data: KpiReportData) -> Document:
    title = f"{data.period_text}考核指标报告"
    b = DocumentBuilder()
    b.add(Paragraph(f"统计期间：{format_cn_date(data.start)}至{format_cn_date(data.end)}。以下各项指标由系统按办件、"
                    "工单、调解案件和满意度回访记录自动统计，每一项数字均可在系统中查看其背后的明细记录。", "body"))
    b.add(Heading("一、指标汇总"), _summary(data))
    b.add(Heading("二、各项指标明细"))
    for n, f in enumerate(data.figures, 1):
        b.add(*_figure_blocks(n, f))
    b.add(Spacer(0.5), SignatureBlock(data.station_name, format_cn_date(data.printed_on),
                                      handler_lines=(f"制表人：{data.printed_by}",) if data.printed_by else ()))
    annex = _annex(data.figures)
    if annex:
        b.add(*annex)
    h = data.header
    return Document(kind=KIND, title=title, serial_no=h.serial_no, verification_code=h.verification_code,
                    verify_url_or_text=h.verify_text, blocks=b.build(), reprint=h.reprint, draft=h.draft,
                    org_line=data.station_name, author=data.station_name, subject=title)


# --- specimen ------------------------------------------------------------------------------------------

def _specimen_data(station: SpecimenStation) -> KpiReportData:
    from shequ_desktop.printing.templates import _specimen_header
    months = ("10月", "11月", "12月")
    workers = ("张伟", "刘洋", "赵丽", "孙志强")

    def fig(title: str, target: float, num: int, den: int, trend: tuple[float | None, ...],
            per: tuple[float | None, ...], misses: tuple[MissLine, ...] = ()) -> KpiFigure:
        return KpiFigure(title, target, num, den, 100.0 * num / den if den else None, tuple(zip(months, trend)),
                         tuple((w, p, 0, 0) for w, p in zip(workers, per)), misses)
    return KpiReportData(
        _specimen_header(31), station.station_name, "2026年第四季度", dt.date(2026, 10, 1), dt.date(2026, 12, 31), (
            fig("服务事项按时办结率", 98, 146, 148, (100.0, 98.1, 97.0), (100.0, 98.0, 97.4, 100.0),
                (MissLine("20261118-DIBAO-0007", "李晓梅", "2026-11-25", "逾期1个工作日上报街道"),)),
            fig("一般问题24小时内反馈率", 100, 508, 517, (98.8, 98.3, 97.6), (98.0, 99.2, 97.5, 98.1),
                (MissLine("WO20261103-8K2F1Q", "刘洋", "2026-11-04", "反馈用时31小时"),)),
            fig("紧急问题30分钟内到场率", 100, 44, 45, (100.0, 93.3, 100.0), (100.0, 100.0, 90.0, 100.0),
                (MissLine("WO20261121-Q7D3MA", "赵丽", "2026-11-21", "到场用时42分钟"),)),
            fig("矛盾纠纷调解成功率", 90, 28, 30, (90.0, 100.0, 88.9), (100.0, 87.5, 100.0, 85.7)),
            fig("特殊群体服务满意度", 95, 187, 194, (96.9, 95.4, 96.8), (97.0, 95.0, 96.0, 94.7)),
        ), dt.date(2026, 12, 31), "王建国")


def _specimen() -> Document:
    from shequ_desktop.printing.templates import _st
    return kpi_report(_specimen_data(_st()))


SPECIMENS = {KIND: _specimen}
