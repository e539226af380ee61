"""Table 三's rules: the official 勾稽关系 and the sums its structure implies."""
from __future__ import annotations

from builder.extract.templates import APPLICANT_COLUMNS, TEMPLATES
from builder.models import CheckResult, Report
from builder.validate.judge import Instance, combine, judge_equation

_COLUMNS = [c.key for c in APPLICANT_COLUMNS]
_LABELS = {c.key: c.label for c in APPLICANT_COLUMNS}


def _equation(t: dict, name: str, left: list[tuple[str, str]], right: list[tuple[str, str]]) -> Instance:
    """``left == right`` over cells of table 三 given as (row, column)."""
    def paths(side):
        return tuple(f"applications.{row}.{column}" for row, column in side)

    return judge_equation(name, [t[r][c] for r, c in left], [t[r][c] for r, c in right], (paths(left), paths(right)))


def balance(report: Report) -> CheckResult:
    """new_received + carried_over = total_processed + carried_forward, for every column."""
    t = report.tables.get("applications") or {}
    instances = [] if not t else [
        _equation(t, _LABELS[c], [("new_received", c), ("carried_over", c)],
                  [("total_processed", c), ("carried_forward", c)]) for c in _COLUMNS]
    return combine("applications.balance", "本年新收 + 上年结转 = 办理结果总计 + 结转下年度", instances,
                   "{name}列：本年新收与上年结转之和为 {left}，办理结果总计与结转下年度之和为 {right}")


def total_processed_is_sum_of_outcomes(report: Report) -> CheckResult:
    """（七）总计 = the sum of every outcome row, for every column."""
    t = report.tables.get("applications") or {}
    rows = [r.key for r in TEMPLATES[report.template].table("applications").rows[2:-2]] if t else []
    instances = [] if not t else [
        _equation(t, _LABELS[c], [("total_processed", c)], [(r, c) for r in rows]) for c in _COLUMNS]
    return combine("applications.total_processed_is_sum_of_outcomes", "（七）总计 = 各项办理结果之和", instances,
                   "{name}列：报告所印办理结果总计为 {left}，各项办理结果之和为 {right}")


def total_column_is_sum(report: Report) -> CheckResult:
    """总计 = 自然人 + the five kinds of 法人或其他组织, for every row."""
    t = report.tables.get("applications") or {}
    labels = {r.key: r.label for r in TEMPLATES[report.template].table("applications").rows}
    instances = [_equation(t, labels[row], [(row, "total")], [(row, c) for c in _COLUMNS[:-1]]) for row in t]
    return combine("applications.total_column_is_sum", "每行的总计 = 各类申请人之和", instances,
                   "{name}：报告所印总计为 {left}，各类申请人之和为 {right}")
