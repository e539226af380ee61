"""Table 四's rule: each group's 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
from __future__ import annotations

from builder.extract.templates import REVIEW_LITIGATION
from builder.models import CheckResult, Report
from builder.validate.judge import combine, judge_equation

_PARTS = ("upheld", "corrected", "other", "pending")


def group_total(report: Report) -> CheckResult:
    t = report.tables.get("review_litigation") or {}
    labels = {r.key: r.label for r in REVIEW_LITIGATION.rows}
    instances = [judge_equation(labels[group], [cols["total"]], [cols[p] for p in _PARTS],
                                ((f"review_litigation.{group}.total",),
                                 tuple(f"review_litigation.{group}.{p}" for p in _PARTS)))
                 for group, cols in t.items()]
    return combine("review_litigation.group_total", "行政复议、行政诉讼各组的总计 = 各项结果之和", instances,
                   "{name}：报告所印总计为 {left}，各项结果之和为 {right}")
