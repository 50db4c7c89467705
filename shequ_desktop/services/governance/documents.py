"""Printing oversight papers through the document register (services/documents.py): the 情况说明 of an
overdue complaint, the 公示 of an evaluation result, of the 社区治理之星 proposals and of a quarterly
inspection — numbered, stored, registered, audited, reprintable — and the blank questionnaire form
(a form to fill by hand: rendered, not registered)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from shequ_desktop.domain import governance as g
from shequ_desktop.domain.clock import to_local
from shequ_desktop.domain.errors import NotFound, UserError
from shequ_desktop.domain.ids import new_id
from shequ_desktop.domain.masking import mask_name
from shequ_desktop.domain.roles import Permission
from shequ_desktop.persistence.governance_models import Complaint, Inspection
from shequ_desktop.persistence.models import Community
from shequ_desktop.printing import governance as pg
from shequ_desktop.printing import templates as t
from shequ_desktop.services import documents, print_fonts
from shequ_desktop.services.context import AppContext
from shequ_desktop.services.document_data import Prepared
from shequ_desktop.services.governance import evaluation, incentives, surveys
from shequ_desktop.services.governance.common import today
from shequ_desktop.services.station import station_info_in

DEFAULT_MEASURES = ("落实首问负责和AB岗工作制度，岗位人员请假时当日交接在办事项；站长每日查看热线投诉时限预警，"
                    "防止类似情况再次发生。")


def _local(when):  # noqa: ANN001, ANN202
    return None if when is None else to_local(when).replace(tzinfo=None)


def _issue(ctx: AppContext, s: Session, prepared: Prepared) -> documents.PrintedView:
    return documents._register(ctx, s, prepared)   # number, render, store, register, audit (one transaction)


def print_explanation_letter(ctx: AppContext, complaint_id: str, measures: str = "") -> documents.PrintedView:
    """情况说明 of a complaint whose result was late (R42); refused before the explanation is written."""
    ctx.require(Permission.OVERSIGHT_WORK)
    with ctx.transaction() as s:
        c = s.get(Complaint, complaint_id)
        if c is None or c.deleted_at is not None:
            raise NotFound("The complaint was not found.")
        if not c.explanation or c.explained_at is None:
            raise UserError("Write the explanation first; then it can be filed.", field="explanation")
        info = station_info_in(s, ctx.community_id)
        community = s.get(Community, ctx.community_id)
        subdistrict = (community.subdistrict if community and community.subdistrict else "") or "街道"
        data = pg.ExplanationLetterData(
            t.DRAFT, info.station_name, f"{subdistrict}办事处" if not subdistrict.endswith("办事处") else subdistrict,
            c.complaint_no, _local(c.received_at), g.COMPLAINT_CHANNEL_ZH[c.channel], mask_name(c.complainant_name),
            c.about, c.content, _local(c.contacted_at), _local(c.feedback_due_at), _local(c.fed_back_at), c.result,
            c.explanation, measures.strip() or DEFAULT_MEASURES, today(ctx), c.filed_on,
            c.handler_name or ctx.user.display_name, info.phone)
        return _issue(ctx, s, Prepared("explanation-letter", data, holder=c.complainant_name,
                                       issuer=info.station_name))


def _notice(ctx: AppContext, s: Session, title: str, intro: str, columns: tuple[str, ...],
            rows: tuple[tuple[str, ...], ...], closing: tuple[str, ...], issuer: str | None = None) -> documents.PrintedView:
    info = station_info_in(s, ctx.community_id)
    data = pg.PublicNoticeData(t.DRAFT, issuer or info.seal_name, title, intro, columns, rows, closing, today(ctx),
                               pg.NOTICE_DAYS, info.hotline)
    return _issue(ctx, s, Prepared("public-notice", data, issuer=issuer or info.seal_name))


def _period_zh(period: str) -> str:
    year, _, rest = period.partition("Q")
    if rest:
        return f"{year}年第{'一二三四'[int(rest) - 1]}季度"
    if "-" in period:
        y, m = period.split("-")
        return f"{y}年{int(m)}月"
    return f"{period}年度"


def print_evaluation_notice(ctx: AppContext, evaluation_id: str) -> documents.PrintedView:
    """公示 of a final evaluation: the two parts with their weights, the score, the coverage."""
    ctx.require(Permission.OVERSIGHT)
    e = evaluation.get(ctx, evaluation_id)
    if not e.final:
        raise UserError("Only a final evaluation is posted.", field="state")
    cov = e.coverage
    base_word = "户" if cov.basis == g.HOUSEHOLDS else "人"
    rows = tuple((x.indicator, f"{x.points:g} / {x.max_points:g}") for x in e.items) + (
        (f"街道考核（权重{e.subdistrict_weight:g}%）", f"{e.subdistrict_score:.2f}"),
        (f"居民评价（权重{e.resident_weight:g}%）", f"{e.residents_score:.2f}"),
        ("综合得分", f"{e.score:.2f}"),
        ("居民评价覆盖", f"{cov.count}{base_word} / {cov.base:,}{base_word}（{cov.percent or 0:.1f}%）"))
    with ctx.transaction() as s:
        return _notice(ctx, s, f"关于{_period_zh(e.period)}社区工作站考核评价结果的公示",
                       f"根据社区工作站考核办法，现将{_period_zh(e.period)}双重考核评价结果公示如下（街道考核占"
                       f"{e.subdistrict_weight:g}%，居民评价占{e.resident_weight:g}%；居民评价通过线上问卷和线下测评收集，"
                       f"共{e.answers}份有效答卷）：", ("项目", "得分"), rows, ())


def print_star_notice(ctx: AppContext, year: int) -> documents.PrintedView:
    """公示 of the 社区治理之星 proposals of ``year`` (names masked, R45)."""
    rows = [r for r in incentives.ranking(ctx, year) if r.proposed]
    if not rows:
        raise UserError("Nobody is proposed for {year}.", field="ranking", year=year)
    table = tuple((str(i), mask_name(r.name), f"{r.score:g}", str(r.votes), r.deeds or "—")
                  for i, r in enumerate(rows, 1))
    with ctx.transaction() as s:
        return _notice(ctx, s, f"关于{year}年度“社区治理之星”拟推荐人选的公示",
                       f"根据{year}年度居民评价排名，按排名前{_pct(ctx)}%的比例，拟推荐以下{len(rows)}名热心居民为"
                       f"{year}年度“{g.STAR_TITLE}”，现予公示：", ("序号", "姓名", "居民评价得分", "得票", "主要事迹"),
                       table, ())


def _pct(ctx: AppContext) -> str:
    from shequ_desktop.services.governance.common import policy
    return f"{policy(ctx).float_value('star_resident_pct'):g}"


def print_inspection_notice(ctx: AppContext, inspection_id: str) -> documents.PrintedView:
    """公示 of a quarterly inspection by the supervision committee (R38)."""
    ctx.require(Permission.OVERSIGHT)
    with ctx.transaction() as s:
        i = s.get(Inspection, inspection_id)
        if i is None or i.deleted_at is not None:
            raise NotFound("The inspection was not found.")
        rows = tuple((g.LEDGER_ZH[x], "已检查") for x in i.ledgers)
        community = s.get(Community, ctx.community_id)
        name = (community.name if community else "") or "本社区"
        closing = (f"检查发现：{i.findings}",) + ((f"经费使用：{i.funds_findings}",) if i.funds_findings else ()) + (
            f"检查结论：{g.INSPECTION_RESULT_ZH[i.result]}。",)
        return _notice(ctx, s, f"{_period_zh(i.quarter)}居务监督检查情况公示",
                       f"{name}居务监督委员会（{i.inspectors}）于{i.inspected_on.year}年{i.inspected_on.month}月"
                       f"{i.inspected_on.day}日对社区工作站{_period_zh(i.quarter)}服务台账和经费使用情况进行了检查，"
                       "现将检查情况公示如下：", ("检查内容", "情况"), rows, closing, f"{name}居务监督委员会")


def print_questionnaire_form(ctx: AppContext, survey_id: str) -> Path:
    """The blank paper form of a questionnaire (not numbered: a form to copy and fill in by hand)."""
    q = surveys.get(ctx, survey_id)
    with ctx.transaction() as s:
        info = station_info_in(s, ctx.community_id)
        print_fonts.apply_in(s)
    doc = pg.questionnaire_form(pg.QuestionnaireFormData(
        t.Header(""), info.community_name or "本社区", q.title, q.intro,
        tuple(pg.FormQuestion(x.key or f"q{i}", x.text, x.kind, x.options) for i, x in enumerate(q.questions, 1)),
        q.closes_on))
    from shequ_desktop.printing.pdf_backend import render_pdf
    folder = documents.documents_dir(ctx) / "forms"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"questionnaire-{new_id()}.pdf"
    path.write_bytes(render_pdf(doc))
    return path
