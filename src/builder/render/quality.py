"""Findings and checks in plain Chinese: which cell a dotted path names, what a rule means."""
from __future__ import annotations

from builder.extract.templates import TEMPLATES, Table
from builder.models import CheckResult, Finding

RULE_LABELS = {
    "applications.balance":
        "表三：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理（每一列）",
    "applications.total_processed_is_sum_of_outcomes":
        "表三：（七）总计 = 各项办理结果之和（每一列）",
    "applications.total_column_is_sum":
        "表三：总计列 = 六类申请人之和（每一行）",
    "review_litigation.group_total":
        "表四：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结（每一组）",
}

TABLE_NUMBERS = {"active_disclosure": "表二", "applications": "表三", "review_litigation": "表四"}


def describe_rule(check: CheckResult) -> str:
    return rule_label(check.rule)


def rule_label(rule: str) -> str:
    return RULE_LABELS.get(rule, rule)


def row_label(table: Table, row_key: str) -> str:
    """The row label with its group and subgroup, as in the official table."""
    row = next((r for r in table.rows if r.key == row_key), None)
    if row is None:
        return row_key
    if table.subtables:
        return f"{row.group} / {row.label}"
    return " / ".join([*(p for p in (row.group, row.subgroup) if p and p != row.label), row.label])


def where_label(table: Table, where: str) -> str:
    """A path inside ``table`` as its row and column labels; 全表 for the table itself."""
    _, row_key, column_key = (where.split(".", 2) + ["", ""])[:3]
    if not row_key:
        return "全表"
    row = next((r for r in table.rows if r.key == row_key), None)
    column = next((c for c in row.columns if c.key == column_key), None) if row else None
    label = row_label(table, row_key)
    return f"{label} / {column.label if column else column_key}" if column_key else label


def describe_where(template: str | None, where: str) -> str:
    """``applications.carried_forward.total`` → 表三 四、结转下年度继续办理 / 总计."""
    table_key = where.split(".", 1)[0]
    if table_key not in TABLE_NUMBERS or template not in TEMPLATES:
        return where
    return f"{TABLE_NUMBERS[table_key]} {where_label(TEMPLATES[template].table(table_key), where)}"


def names_cell(finding: Finding, cell_path: str) -> bool:
    """True when the finding's ``where`` is the cell's path or a dotted prefix of it."""
    return cell_path == finding.where or cell_path.startswith(finding.where + ".")
