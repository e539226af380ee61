"""Table 三's rules: the official 勾稽关系 and the sums its structure implies."""
from __future__ import annotations

from builder.extract.templates import APPLICANT_COLUMNS, TEMPLATES, Template
from builder.models import CheckResult, Report
from builder.validate.judge import Equation, combine, judge

_COLUMNS = [c.key for c in APPLICANT_COLUMNS]
_LABELS = {c.key: c.label for c in APPLICANT_COLUMNS}
_T = "applications"


def balance_equations(template: Template) -> list[Equation]:
    """new_received + carried_over = total_processed + carried_forward, for every column."""
    return [Equation(_LABELS[c], (f"{_T}.new_received.{c}", f"{_T}.carried_over.{c}"),
                     (f"{_T}.total_processed.{c}", f"{_T}.carried_forward.{c}")) for c in _COLUMNS]


def outcome_equations(template: Template) -> list[Equation]:
    """（七）总计 = the sum of every outcome row, for every column."""
    rows = [r.key for r in template.table(_T).rows[2:-2]]
    return [Equation(_LABELS[c], (f"{_T}.total_processed.{c}",), tuple(f"{_T}.{r}.{c}" for r in rows))
            for c in _COLUMNS]


def total_column_equations(template: Template) -> list[Equation]:
    """总计 = 自然人 + the five kinds of 法人或其他组织, for every row."""
    return [Equation(r.label, (f"{_T}.{r.key}.total",), tuple(f"{_T}.{r.key}.{c}" for c in _COLUMNS[:-1]))
            for r in template.table(_T).rows]


def _judged(report: Report, rule: str, title: str, equations) -> CheckResult:
    if not report.tables.get(_T):
        return combine(rule, title, [])
    return combine(rule, title, [judge(e, report.tables) for e in equations(TEMPLATES[report.template])])


def balance(report: Report) -> CheckResult:
    return _judged(report, "applications.balance", "本年新收 + 上年结转 = 办理结果总计 + 结转下年度",
                   balance_equations)


def total_processed_is_sum_of_outcomes(report: Report) -> CheckResult:
    return _judged(report, "applications.total_processed_is_sum_of_outcomes", "（七）总计 = 各项办理结果之和",
                   outcome_equations)


def total_column_is_sum(report: Report) -> CheckResult:
    return _judged(report, "applications.total_column_is_sum", "每行的总计 = 各类申请人之和",
                   total_column_equations)
