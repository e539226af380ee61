"""Table 四's rule: each group's 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 (stated as equations
in templates.py)."""
from __future__ import annotations

from builder.models import CheckResult, Report
from builder.validate.judge import judge_rule


def group_total(report: Report) -> CheckResult:
    return judge_rule(report, "review_litigation.group_total", "{name}：报告所印总计为 {left}，各项结果之和为 {right}")
