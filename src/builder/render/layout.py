"""The three tables laid out like the official format, as grids of display text for the templates.

Every cell here is final Markdown: numbers exactly as known, report text escaped, unknown cells
marked ``未知`` and contradicted ones ``⚠不符``, each with a note number that points to the list under
the table; a value corrected by hand is marked 更正 (its reason is listed apart, with the corrections).
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from itertools import groupby
from typing import Mapping

from builder.extract.templates import APPLICANT_COLUMNS, ORGANIZATION_COLUMNS, Column, Row, Table
from builder.models import Finding, Value
from builder.render.glossary import term_html
from builder.render.markdown import escape, escape_html_text
from builder.render.marks import CORRECTED_MARK, contradicted_mark, differs_mark, settled_mark, unknown_mark
from builder.render.quality import brief, names_cell, row_label, where_label
from builder.render.evidence import NO_SOURCE, RowSource, cell_id
from builder.render.status import SETTLED_ACROSS_YEARS, ReportStatus, settled_across_years

@dataclass(frozen=True)
class CellNote:
    """A note under the table: an unknown cell (or cells of a row), a contradiction, or a finding."""

    label: str  # Markdown
    path: str  # the dotted path, raw (kept for grouping; never shown on the page)
    messages: tuple[str, ...]
    kind: str = "unknown"  # "unknown", "contradicted", "differs" (正文另述), "settled" (跨年核定) or "finding"


@dataclass
class Grid:
    """One table: an optional caption, a header row, body rows (first cell is the label).

    ``html`` holds the table already laid out as HTML where the official format needs merged header
    cells (tables 三 and 四); the template then uses it instead of a Markdown table.
    """

    caption: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    html: str = ""


@dataclass
class TableView:
    note: str
    grids: list[Grid]
    unknown: list[CellNote]  # every numbered note under the table (unknown and contradicted), in number order
    other_findings: list[CellNote]


def format_value(value: Value, column: Column) -> str:
    """A known value exactly as the report gives it: no separators, signs kept."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return escape_html_text(str(value))  # the tables are laid out in HTML
    if column.kind == "signed" and isinstance(value, int) and value != 0:
        return f"{value:+d}"
    return repr(value) if isinstance(value, float) else str(value)


def table_to_view(table: Table, status: ReportStatus, glossary_url: str = "",
                  sources: Mapping[str, RowSource] | None = None) -> TableView:
    """The table's view; with ``glossary_url`` (the 术语说明 page, relative to this one) the headers
    that name a term link to its entry; with ``sources`` ({row path: where the original prints it}) each
    row shows or links its place in the original. Every cell has its anchor (``evidence.cell_id``)."""
    sources = sources or {}
    unknown: list[CellNote] = []
    shared: dict[tuple, int] = {}  # (row, reasons) → its note's number
    columns: dict[int, list[str]] = {}  # note number → the columns it covers
    contradiction_notes: dict[str, int] = {}  # a contradiction's note → its number
    findings = status.report.warnings

    def cell(row: Row, column: Column) -> str:
        path = f"{table.key}.{row.key}.{column.key}"
        state = status.cell(path)
        value = state.value
        if value is not None:
            for contradiction in state.contradictions:
                if contradiction.note not in contradiction_notes:
                    unknown.append(CellNote(escape(contradiction.note), "", (), "contradicted"))
                    contradiction_notes[contradiction.note] = len(unknown)
            numbers = sorted({contradiction_notes[c.note] for c in state.contradictions})
            for note in state.differences:  # 正文另述: a note beside the figure, which stays known
                if note not in contradiction_notes:
                    unknown.append(CellNote(escape(note), "", (), "differs"))
                    contradiction_notes[note] = len(unknown)
            differs = sorted({contradiction_notes[n] for n in state.differences})
            settled = []  # 跨年核定: its digits split by the neighbouring years, the note naming their reports
            for finding in settled_across_years(state):
                unknown.append(CellNote(escape(brief(finding.message)), "", (), "settled"))
                settled.append(len(unknown))
            return (format_value(value, column) + (contradicted_mark(*numbers) if numbers else "")
                    + (differs_mark(*differs) if differs else "") + (settled_mark(*settled) if settled else "")
                    + (CORRECTED_MARK if state.correction else ""))
        messages = tuple(escape(brief(f.message)) for f in state.notes)
        if state.correction:  # corrected by hand to "cannot be told"
            messages = (escape(f"维护者人工更正为未知：{state.correction.reason}"),)
        key = (row.key, messages)
        if key in shared:  # the same reason for several cells of a row: one note for them all
            number = shared[key]
            note = unknown[number - 1]
            columns[number].append(column.label)
            whole = len(columns[number]) == len(row.columns)
            label = row_label(table, row.key) + (" / 整行" if whole else " / " + "、".join(columns[number]))
            unknown[number - 1] = CellNote(escape(label), f"{table.key}.{row.key}" if whole else note.path, messages)
            return unknown_mark(number)
        unknown.append(CellNote(escape(f"{row_label(table, row.key)} / {column.label}"), path, messages))
        shared[key] = len(unknown)
        columns[len(unknown)] = [column.label]
        return unknown_mark(len(unknown))

    def h(text: str) -> str:
        return term_html(text, glossary_url)

    places = {(row.key, c.key): (i, j) for i, row in enumerate(table.rows, 1) for j, c in enumerate(row.columns, 1)}

    contents: dict[tuple[str, str], str] = {}  # each cell made once: its notes are numbered as it is made

    def td(row: Row, column: Column, suffix: str = "") -> str:
        """The cell with its anchor (``suffix``: a second layout of the same cell) and its content."""
        if (row.key, column.key) not in contents:
            contents[row.key, column.key] = cell(row, column)
        return f'<td id="{cell_id(table.key, *places[row.key, column.key])}{suffix}">{contents[row.key, column.key]}'

    def source(row: Row) -> RowSource:
        return sources.get(f"{table.key}.{row.key}", NO_SOURCE)

    if table.key == "active_disclosure":
        grids, note = active_disclosure_grids(table, td, h, source), ""
    elif table.key == "applications":
        merged = printed_merged(table, status)
        grids, note = applications_grids(table, td, h, source, merged), ""  # the header groups 法人或其他组织
    else:
        grids, note = review_litigation_grids(table, td, h, source), ""
    return TableView(note, grids, unknown, table_findings(table, findings, unknown, status))


def active_disclosure_grids(table: Table, td, h, source) -> list[Grid]:
    """Table 二: one sub-table per 第二十条第（X）项, each with its own column labels (``td``: a cell with its
    anchor; ``source``: a row's place in the original)."""
    grids = []
    for (group, columns), rows in groupby(table.rows, key=lambda r: (r.group, r.columns)):
        head = "<tr><th>信息内容" + "".join(f"<th>{_h(c.label)}" for c in columns) + "</tr>"
        body = []
        for row in rows:
            body.append(f"<tr><th>{_h(row.label)}{source(row).label_html()}" + "".join(td(row, c) for c in columns)
                        + "</tr>")
            body.append(source(row).image_row(1 + len(columns)))
        grids.append(Grid(h(group), [], html=_table_html(head, [b for b in body if b], "portal-official portal-disclosure")))
    return grids


MERGED_OTHER = ("other_no_correction", "other_fee_unpaid")  # 2021's （六）其他处理 1. and 2.


def printed_merged(table: Table, status: ReportStatus) -> bool:
    """Did the report print 2021's （六）其他处理 as one row, as the 2019 format does? Its sub-rows 1. and 2. are
    then missing, the one row's numbers stand in ``other`` (templates.py), and with the other outcomes they
    add up to the report's 总计 (else the sub-rows may have been printed and not found: no merge is shown)."""
    missing = {f.where for f in status.report.warnings if f.code == "row.missing"}
    if not all(f"applications.{key}" in missing for key in MERGED_OTHER):
        return False
    rows = {r.key: r for r in table.rows}
    if "other" not in rows or "total_processed" not in rows:
        return False
    outcomes = [r.key for r in table.rows if r.group == rows["other"].group
                and r.key not in (*MERGED_OTHER, "total_processed")]
    values = [status.cell(f"applications.{key}.total").value for key in (*outcomes, "total_processed")]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return False
    return sum(values[:-1]) == values[-1]


def applications_grids(table: Table, td, h, source, merged: bool = False) -> list[Grid]:
    """Table 三 as printed (``h``: a header label as HTML): three label columns (结果 / 不予公开… / 1.属于…), 申请人情况 over
    自然人, 法人或其他组织 (five columns) and 总计. Each label cell names the label column it starts in
    (portal-l1…l3) and how many it spans, so that on a phone the labels stay in view (sticky) while the
    numbers scroll under them to 总计. ``merged``: the report printed （六）其他处理 as one row: shown so, as
    printed, never as its sub-row 3.其他 beside two unknown ones."""
    orgs = [c for c in APPLICANT_COLUMNS if c.key in ORGANIZATION_COLUMNS]
    head = (
        f'<tr><th colspan="3" rowspan="3" class="portal-l1 portal-span3">'
        f'{_h("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")}'
        f'<th colspan="{len(APPLICANT_COLUMNS)}">申请人情况</tr>'
        f'<tr><th rowspan="2">{h(APPLICANT_COLUMNS[0].label)}<th colspan="{len(orgs)}">法人或其他组织'
        f'<th rowspan="2">{h(APPLICANT_COLUMNS[-1].label)}</tr>'
        "<tr>" + "".join(f"<th>{h(c.label)}" for c in orgs) + "</tr>"
    )
    body = []
    rows = [r for r in table.rows if not (merged and r.key in MERGED_OTHER and r.subgroup)]
    height = {r.key: 2 if source(r).image else 1 for r in rows}  # a row shown with its scanned image takes two
    group_size = {g: sum(height[r.key] for r in rows if r.group == g) for g in {r.group for r in rows}}
    seen_groups: set[str] = set()
    for i, row in enumerate(rows):
        labels = []
        if not row.group:
            labels.append(f'<th colspan="3" class="portal-l1 portal-span3">{h(row.label)}')
        else:
            if row.group not in seen_groups:
                seen_groups.add(row.group)
                labels.append(f'<th rowspan="{group_size[row.group]}" class="portal-l1 portal-group">{h(row.group)}')
            if merged and row.key == "other" and row.subgroup:
                labels.append(f'<th colspan="2" class="portal-l2 portal-span2">{h(row.subgroup)}'
                              f'<span class="portal-merged">{_h("（报告印为一行，未分 1、2、3 项）")}</span>')
            elif not row.subgroup:
                labels.append(f'<th colspan="2" class="portal-l2 portal-span2">{h(row.label)}')
            else:
                if i == 0 or rows[i - 1].subgroup != row.subgroup:
                    end = next((j for j in range(i, len(rows)) if rows[j].subgroup != row.subgroup), len(rows))
                    span = sum(height[r.key] for r in rows[i:end])
                    labels.append(f'<th rowspan="{span}" class="portal-l2">{h(row.subgroup)}')
                labels.append(f'<th class="portal-l3">{h(row.label)}')
        labels[-1] += source(row).label_html()
        body.append("<tr>" + "".join(labels) + "".join(td(row, c) for c in row.columns) + "</tr>")
        nested = bool(row.subgroup) and not (merged and row.key == "other")  # a merged row spans its subgroup's column
        if image := source(row).image_row(3 - bool(row.group) - nested + len(row.columns)):  # beside its labels
            body.append(image)
    hint = '<p class="portal-scroll-hint">表格较宽：向左滑动可看到右侧各列和“总计”，行名称留在左侧。</p>\n'
    return [Grid("", [], html=hint + _table_html(head, body, "portal-official portal-applications"))]


def review_litigation_grids(table: Table, td, h, source) -> list[Grid]:
    """Table 四 as printed: 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉), five results each, one row;
    and the same cells turned for a phone, where fifteen columns cannot be read: one row per result
    (结果维持 … 总计), one column per kind of case (the stylesheet shows the one that fits). Where the
    original prints it follows the tables (its three groups stand in one printed row)."""
    review, direct, after = table.rows
    results = review.columns
    values = {(row.key, c.key): td(row, c) for row in table.rows for c in row.columns}  # each cell once
    turned_values = {(row.key, c.key): td(row, c, "t") for row in table.rows for c in row.columns}
    head = (
        f'<tr><th colspan="{len(results)}">{h(review.group)}'
        f'<th colspan="{2 * len(results)}">{h(direct.group)}</tr>'
        "<tr>" + "".join(f'<th rowspan="2">{h(c.label)}' for c in results)
        + f'<th colspan="{len(results)}">{h(direct.label)}<th colspan="{len(results)}">{h(after.label)}</tr>'
        "<tr>" + "".join(f"<th>{h(c.label)}" for c in (*results, *results)) + "</tr>"
    )
    body = ["<tr>" + "".join(values[row.key, c.key] for row in table.rows for c in row.columns) + "</tr>"]
    places = list(dict.fromkeys(source(row) for row in table.rows if source(row) != NO_SOURCE))
    turned_head = (
        f'<tr><th rowspan="2">结果<th rowspan="2">{h(review.group)}<th colspan="2">{h(direct.group)}</tr>'
        f"<tr><th>{h(direct.label)}<th>{h(after.label)}</tr>"
    )
    turned = [f"<tr><th>{h(c.label)}" + "".join(turned_values[row.key, c.key] for row in table.rows)
              + "</tr>" for c in results]
    where = "".join(f'<div class="portal-src-line">原文此表：{place.label_html().strip()}{place.image_html()}</div>\n'
                    for place in places if place.label_html())  # below both layouts: the same on a phone
    return [Grid("", [], html=_table_html(head, body, "portal-official portal-review") + "\n"
                 + _table_html(turned_head, turned, "portal-official portal-review-turned") + ("\n" + where if where else ""))]


def _h(text: str) -> str:
    """Template label text for HTML (labels come from templates.py, never from a report)."""
    return html.escape(text, quote=True)


def _table_html(head: str, body: list[str], css: str) -> str:
    """An official table's HTML. Its cells' end tags are left out, as HTML allows (a cell ends where the next
    one or its row's </tr> begins): Python-Markdown and MkDocs parse a page's raw HTML tag by tag, twice,
    and table 三 alone has 200 cells."""
    return f'<table class="{css}">\n<thead>{head}</thead>\n<tbody>\n' + "\n".join(body) + "\n</tbody>\n</table>"


def table_findings(table: Table, findings: tuple[Finding, ...], unknown: list[CellNote],
                   status: ReportStatus) -> list[CellNote]:
    """Findings on this table that no unknown cell already lists, and that no correction settled."""
    listed = {f for f in findings for note in unknown if note.path and names_cell(f, note.path)}
    settled = status.settled
    notes = []
    for finding in findings:
        if finding in listed or finding in settled or not is_within(finding.where, table.key) \
                or finding.code == "correction.invalid" \
                or finding.code == SETTLED_ACROSS_YEARS and status.cell(finding.where).value is not None:  # marked at its cell
            continue
        notes.append(CellNote(escape(where_label(table, finding.where)), finding.where,
                              (escape(brief(finding.message)),), "finding"))
    return notes


def is_within(where: str, table_key: str) -> bool:
    return where == table_key or where.startswith(table_key + ".")
