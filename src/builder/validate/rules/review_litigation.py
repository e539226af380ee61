"""Table 四's rule: each group's 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
from __future__ import annotations

from builder.extract.templates import REVIEW_LITIGATION, TEMPLATES, Template
from builder.models import CheckResult, Report
from builder.validate.judge import Equation, combine, judge

_PARTS = ("upheld", "corrected", "other", "pending")
_T = "review_litigation"


def group_equations(template: Template) -> list[Equation]:
    return [Equation(r.label, (f"{_T}.{r.key}.total",), tuple(f"{_T}.{r.key}.{p}" for p in _PARTS))
            for r in REVIEW_LITIGATION.rows]


def group_total(report: Report) -> CheckResult:
    title = "行政复议、行政诉讼各组的总计 = 各项结果之和"
    if not report.tables.get(_T):
        return combine("review_litigation.group_total", title, [])
    return combine("review_litigation.group_total", title,
                   [judge(e, report.tables) for e in group_equations(TEMPLATES[report.template])])
