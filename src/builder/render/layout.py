"""The three tables laid out like the official format, as grids of display text for the templates.

Every cell here is final Markdown: numbers exactly as known, report text escaped, unknown cells
marked ``未知`` with a note number that points to the list under the table.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from builder.extract.templates import APPLICANT_COLUMNS, ORGANIZATION_COLUMNS, Column, Row, Table
from builder.models import Finding, Value
from builder.render.markdown import escape, escape_cell
from builder.render.quality import names_cell, row_label, where_label

UNKNOWN_TITLE = "报告未印出该数值，或未能可靠读取；未知不等于 0"
# a value a maintainer corrected by hand (<report>.corrections.yml); the reason is listed under the table
CORRECTED_MARK = '<sup><abbr title="维护者人工更正的数值，理由见表下说明">更正</abbr></sup>'


@dataclass(frozen=True)
class CellNote:
    """An unknown cell, or a finding on the table, listed under it."""

    label: str  # Markdown
    path: str  # the dotted path, raw
    messages: tuple[str, ...]


@dataclass
class Grid:
    """One Markdown table: an optional caption, a header row, body rows (first cell is the label)."""

    caption: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


@dataclass
class TableView:
    note: str
    grids: list[Grid]
    unknown: list[CellNote]
    other_findings: list[CellNote]


def format_value(value: Value, column: Column) -> str:
    """A known value exactly as the report gives it: no separators, signs kept."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return escape_cell(str(value))
    if column.kind == "signed" and isinstance(value, int) and value != 0:
        return f"{value:+d}"
    return repr(value) if isinstance(value, float) else str(value)


def unknown_marker(number: int) -> str:
    return f'<abbr title="{UNKNOWN_TITLE}">未知</abbr><sup>注{number}</sup>'


def table_to_view(table: Table, values: dict, findings: tuple[Finding, ...]) -> TableView:
    unknown: list[CellNote] = []

    def cell(row: Row, column: Column) -> str:
        value = (values.get(row.key) or {}).get(column.key)
        path = f"{table.key}.{row.key}.{column.key}"
        if value is not None:
            corrected = any(f.code == "cell.corrected" and f.where == path for f in findings)
            return format_value(value, column) + (CORRECTED_MARK if corrected else "")
        messages = tuple(escape(f.message) for f in findings if names_cell(f, path))
        unknown.append(CellNote(escape(f"{row_label(table, row.key)} / {column.label}"), path, messages))
        return unknown_marker(len(unknown))

    if table.key == "active_disclosure":
        grids, note = active_disclosure_grids(table, cell), ""
    elif table.key == "applications":
        grids, note = applications_grids(table, cell), organization_note()
    else:
        grids, note = review_litigation_grids(table, cell), ""
    return TableView(note, grids, unknown, table_findings(table, findings, unknown))


def active_disclosure_grids(table: Table, cell) -> list[Grid]:
    """Table 二: one sub-table per 第二十条第（X）项, each with its own column labels."""
    grids = []
    for (group, columns), rows in groupby(table.rows, key=lambda r: (r.group, r.columns)):
        grid = Grid(escape(group), header_cells("信息内容", columns))
        grid.rows = [[escape_cell(row.label), *(cell(row, c) for c in columns)] for row in rows]
        grids.append(grid)
    return grids


def header_cells(corner: str, columns: tuple[Column, ...]) -> list[str]:
    return [escape_cell(corner), *(escape_cell(c.label) for c in columns)]


def applications_grids(table: Table, cell) -> list[Grid]:
    grid = Grid("", header_cells("申请人情况", APPLICANT_COLUMNS))
    for row in table.rows:
        grid.rows.append([escape_cell(row_label(table, row.key)), *(cell(row, c) for c in row.columns)])
    return [grid]


def organization_note() -> str:
    labels = "、".join(c.label for c in APPLICANT_COLUMNS if c.key in ORGANIZATION_COLUMNS)
    return escape(f"{labels} 五列同属“法人或其他组织”。")


def review_litigation_grids(table: Table, cell) -> list[Grid]:
    """Table 四: 行政复议 and the two kinds of 行政诉讼 as rows, the five results as columns."""
    grid = Grid("", header_cells("", table.rows[0].columns))
    for row in table.rows:
        label = row.label if row.group == row.label else f"{row.group}·{row.label}"
        grid.rows.append([escape_cell(label), *(cell(row, c) for c in row.columns)])
    return [grid]


def table_findings(table: Table, findings: tuple[Finding, ...], unknown: list[CellNote]) -> list[CellNote]:
    """Findings on this table that no unknown cell already lists."""
    listed = {f for f in findings for note in unknown if names_cell(f, note.path)}
    notes = []
    for finding in findings:
        if finding in listed or not is_within(finding.where, table.key):
            continue
        notes.append(CellNote(escape(where_label(table, finding.where)), finding.where,
                              (escape(finding.message),)))
    return notes


def is_within(where: str, table_key: str) -> bool:
    return where == table_key or where.startswith(table_key + ".")
