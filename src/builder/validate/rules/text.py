"""Text against table: where the prose restates a figure (「共收到政府信息公开申请 26 件」) otherwise than
the table, the report's page says so beside the figure (正文另述).

This is not a consistency rule: the table's figure stays as printed, counts in every total, is not
marked ⚠不符 and never fails ``portal check --strict``. Prose and table often speak of different
things under the same words (区本级 and 全区; an office 代表 its government; 收到 counting the
carried-over applications), so a difference is raised only where the prose speaks of the same
measure and scope (``extract/statements.py`` leaves a statement of doubtful scope out, as
``scope_in_doubt``) and no reading reconciles the two: every cell the figure adds is known, and
none of the prose's statements of that figure equals the table's sum (a figure the prose states
twice with different numbers, 区本级 and 全区 say, agrees when the table has either).

Only statements left to compare are judged (``Statement.use == "check"``): one that settled a cell
agrees by construction, and one that fits no reading of the table's digits is already reported by
the table reader.
"""
from __future__ import annotations

from builder.extract.statements import FIGURES
from builder.models import ProseDifference, Report, Statement

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


def prose_differences(report: Report) -> tuple[ProseDifference, ...]:
    """正文另述: each figure the prose restates otherwise than the table, once (the first quote)."""
    statements = [s for s in report.statements if s.use == "check"]
    if not statements or not report.tables:
        return ()
    by_cells: dict[tuple[str, ...], list[Statement]] = {}
    for s in statements:
        by_cells.setdefault(s.cells, []).append(s)
    found = []
    for cells, group in by_cells.items():
        values = [_value(report, p) for p in cells]
        if not values or any(not isinstance(v, (int, float)) or isinstance(v, bool) for v in values):
            continue  # a cell unknown: nothing can be told
        table = sum(values)
        if any(s.value == table for s in group):
            continue
        first = group[0]
        note = f"{figure_label(first)}：正文为 {first.value}，表中为 {_shown(table)}（正文：“{first.quote}”）"
        found.append(ProseDifference(first.figure, cells, first.value, table, first.quote, note))
    return tuple(found)


def _value(report: Report, path: str):
    table, row, column = path.split(".", 2)
    return ((report.tables.get(table) or {}).get(row) or {}).get(column)


def _shown(x: int | float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)
