"""Text against table: every figure the prose restates (「共收到政府信息公开申请 26 件」) equals the table's.

Only statements left to check are judged (``Statement.use == "check"``): one that settled a cell
agrees by construction, and one that fits no reading of the table's digits is already reported by
the table reader. A figure the prose states twice with different numbers (区本级 and 全区, say)
passes when the table has either. No statement, no record: most reports restate nothing.
"""
from __future__ import annotations

from builder.extract.statements import FIGURES
from builder.models import CheckResult, Report, Statement
from builder.validate.judge import Instance, combine, judge_equation

RULE = "text.matches_table"
TITLE = "正文中复述的数字 = 表格中的数字"
_LABELS = {f.key: f.label for f in FIGURES}
_APPLICANT_LABELS = {"natural_person": "自然人", "commercial_enterprise": "商业企业", "research_institution": "科研机构",
                     "social_organization": "社会公益组织", "legal_service_agency": "法律服务机构",
                     "other_organization": "其他组织"}


def figure_label(statement: Statement) -> str:
    """The figure as readers know it: 本年新收申请, or 本年新收申请（自然人） for one column."""
    label = _LABELS.get(statement.figure, "表格中的数字")
    columns = {c.rsplit(".", 1)[-1] for c in statement.cells}
    if len(columns) == 1 and (column := columns.pop()) in _APPLICANT_LABELS:
        return f"{label}（{_APPLICANT_LABELS[column]}）"
    if columns == {"commercial_enterprise", "research_institution", "social_organization", "legal_service_agency",
                   "other_organization"}:
        return f"{label}（法人或其他组织）"
    return label


def matches_table(report: Report) -> CheckResult | None:
    statements = [s for s in report.statements if s.use == "check"]
    if not statements or not report.tables:
        return None
    by_cells: dict[tuple[str, ...], list[Statement]] = {}
    for s in statements:
        by_cells.setdefault(s.cells, []).append(s)
    instances = [_instance(report, group) for group in by_cells.values()]
    return combine(RULE, TITLE, instances, "{name}：正文为 {left}，表中为 {right}")


def _value(report: Report, path: str):
    table, row, column = path.split(".", 2)
    return ((report.tables.get(table) or {}).get(row) or {}).get(column)


def _instance(report: Report, group: list[Statement]) -> Instance:
    """One figure: passes when any of its statements agrees, fails when every one disagrees."""
    cells = [_value(report, p) for p in group[0].cells]
    # the table's cells are the ones contradicted (the prose has none): they carry the mark
    judged = [judge_equation(f"{figure_label(s)}（正文：“{s.quote}”）", [s.value], cells, ((), tuple(s.cells)))
              for s in group]
    for status in ("pass", "unverified"):
        hit = next((i for i in judged if i.status == status), None)
        if hit:
            return hit
    return judged[0]
