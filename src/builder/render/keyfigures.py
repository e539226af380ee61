"""A report page's key figures, shown before its section 一: what a reader came for, on a phone's
first screen (新收申请 and 办理结果总计 within 390 × 844), each with its status as every page shows it
(render/status.py): a number, 未知, a number marked ⚠不符 with its note, or with 正文另述 beside it;
table 二's figures split by the neighbouring years say 跨年核定, as the table does.

办理结果总计 carries its outcomes' shares with their base (render/policy.py: counts only below
MIN_BASE); table 二's main counts follow (the documents issued or made, and the decisions).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from builder.models import Report
from builder.render.figures import FIGURE, OUTCOMES, format_number, figure_of
from builder.render.policy import enough
from builder.render.status import FigureStatus, settled_across_years, status_of

# table 二's main counts of each format: (label, cell)
ACTIVE = {
    "2021": (("行政规范性文件 本年制发", "active_disclosure.normative_documents.issued"),
             ("行政规范性文件 现行有效", "active_disclosure.normative_documents.in_force"),
             ("行政许可 处理决定", "active_disclosure.administrative_licensing.decisions"),
             ("行政处罚 处理决定", "active_disclosure.administrative_penalty.decisions")),
    "2019": (("规范性文件 本年新制作", "active_disclosure.normative_documents.made"),
             ("规范性文件 本年新公开", "active_disclosure.normative_documents.published"),
             ("行政许可 处理决定", "active_disclosure.administrative_licensing.decisions"),
             ("行政处罚 处理决定", "active_disclosure.administrative_penalty.decisions")),
}


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str  # the number as printed, or 未知
    kind: str  # known, unknown, contradicted, corrected
    notes: tuple[str, ...] = ()  # why it is contradicted
    differences: tuple[str, ...] = ()  # 正文另述
    detail: str = ""  # 办理结果总计: its outcomes' shares with their base
    settled: bool = False  # 跨年核定: its run-together digits split by the neighbouring years


def _figure(label: str, figure: FigureStatus, detail: str = "") -> KeyFigure:
    value = "未知" if figure.value is None else format_number(figure.value)
    return KeyFigure(label, value, figure.kind, figure.notes, figure.differences, detail)


def _outcomes(report: Report) -> str:
    """「予以公开 27.2%（81 件中 22 件）…」, or counts alone below MIN_BASE; "" when they cannot be told
    (an outcome unknown or contradicted, or they do not add up to the total)."""
    total = figure_of(report, "total_processed")
    figures = [(FIGURE[k].label, figure_of(report, k)) for k in OUTCOMES]
    if not total.countable or not all(f.countable for _, f in figures) or \
            sum(f.value for _, f in figures) != total.value or not total.value:
        return ""
    if not enough(total.value):
        return "、".join(f"{label} {format_number(f.value)}" for label, f in figures) + \
            f"（共 {format_number(total.value)} 件，样本太少，不算比例）"
    shares = "、".join(f"{label} {100 * f.value / total.value:.1f}%" for label, f in figures if f.value)
    return f"{shares}（占办理结果总计 {format_number(total.value)} 件）"  # the shares' base, said once


def key_figures(report: Report) -> list[KeyFigure]:
    """The headline figures, then table 二's main counts (none when the format is unknown)."""
    if report.template is None:
        return []
    status = status_of(report)
    out = [_figure("本年新收申请", figure_of(report, "received")),
           _figure("办理结果总计", figure_of(report, "total_processed"), _outcomes(report)),
           _figure("行政复议", figure_of(report, "reviews")),
           _figure("行政诉讼", figure_of(report, "lawsuits"))]
    for label, path in ACTIVE.get(report.template, ()):
        figure = _figure(label, status.figure((path,)))
        out.append(replace(figure, settled=figure.kind != "unknown" and bool(settled_across_years(status.cell(path)))))
    return out
