"""Table 三's rules: the official 勾稽关系 and the sums its structure implies (stated as equations in
templates.py)."""
from __future__ import annotations

from builder.models import CheckResult, Report
from builder.validate.judge import judge_rule


def balance(report: Report) -> CheckResult:
    """new_received + carried_over = total_processed + carried_forward, for every column."""
    return judge_rule(report, "applications.balance",
                      "{name}列：本年新收与上年结转之和为 {left}，办理结果总计与结转下年度之和为 {right}")


def total_processed_is_sum_of_outcomes(report: Report) -> CheckResult:
    """（七）总计 = the sum of every outcome row, for every column."""
    return judge_rule(report, "applications.total_processed_is_sum_of_outcomes",
                      "{name}列：报告所印办理结果总计为 {left}，各项办理结果之和为 {right}")


def total_column_is_sum(report: Report) -> CheckResult:
    """总计 = 自然人 + the five kinds of 法人或其他组织, for every row."""
    return judge_rule(report, "applications.total_column_is_sum", "{name}：报告所印总计为 {left}，各类申请人之和为 {right}")
