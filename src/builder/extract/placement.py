"""Table text → exact cell values, for sources without cells (text layers, web text).

The numbers printed after each row's label (table_finder.py) are placed in cells. A number is placed
in a cell only when every reading of the text that fits the layout and the table's own constraints
puts the same number there (readings.py, digit_runs.py); any other cell is ``None`` with a warning
that names it. Three situations are read:

- numbers separated by spaces or tabs, one row per label (the usual case): placed in order; in a
  tab-separated line (a table copied from a web page) an empty field between two numbers is a blank
  cell, when the row's numbers and blanks then fill its cells exactly;
- a PDF text layer that interleaves rows (the numbers of two rows printed in one run): rows are
  pooled until the count of numbers matches the count of cells, then every assignment allowed by
  the layout is tried (numbers on a label's own line stay in that row, in column order; only 增/减
  may be negative; 上一年项目数量 + 本年增/减 ≥ 0) and only cells all assignments agree on are kept;
- text copied from a web page, where cells run together (``0000000``, ``801000081``): each run is
  split every way into as many numbers as the row has cells, and kept when exactly one split fits
  the row's own sums.

Where the readings still differ, a figure the report restates in its prose (``statements.py``:
「动态更新本年度制发的规范性文件77件」) may settle them: only readings whose cells sum to the stated
number are kept, and a cell so settled carries the warning ``cell.settled_by_text`` quoting the words
(settling.py).
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass, field

from builder.extract.chinese import fold
from builder.extract.digit_runs import split_runs
from builder.extract.numbers import MAX_EXACT, Token, token_value
from builder.extract.readings import SEARCH_BUDGET, solve
from builder.extract.settling import Settling, agreeing
from builder.extract.table_finder import RowSpan, row_spans
from builder.extract.templates import Table, table_equations, verdict
from builder.models import Finding, Statement, Undecided, Value


@dataclass
class Placement:
    values: dict[str, dict[str, Value]]
    findings: list[Finding]
    settled_by: list[Statement] = field(default_factory=list)  # statements that settled a cell
    unfit: list[Statement] = field(default_factory=list)  # statements no reading of the digits fits
    cells: dict[str, tuple[int, int]] = field(default_factory=dict)  # a placed value's path → its digits in the text
    rows: dict[str, tuple[int, int]] = field(default_factory=dict)  # a row's path → its label and numbers in the text
    undecided: list[Undecided] = field(default_factory=list)  # rows of run-together digits left open


def text_to_tables(text: str, folded: str, tables: tuple[Table, ...], regions: dict[str, tuple[int, int]],
                   statements: tuple[Statement, ...] = ()) -> Placement:
    """Place the numbers of ``tables``; ``regions`` gives each table's span in the text.

    ``folded`` is ``chinese.fold(text)`` (with the text of tables read from grids blanked out):
    matching runs on it, printed values are read from ``text``. ``statements`` (the prose's
    restatements of figures) may settle cells whose readings differ.
    """
    located: dict[str, list[RowSpan]] = {}
    findings: list[Finding] = []
    for table in tables:
        if table.key not in regions:
            findings.append(Finding("table.missing", table.key,
                                    f"没有找到表格「{table.title}」：其中各数均记为未知。"))
            located[table.key] = []
            continue
        located[table.key] = row_spans(text, folded, table, *regions[table.key])
    tokens = [t for spans in located.values() for s in spans for t in s.tokens]
    glued = any(not t.canonical for t in tokens)  # e.g. "0000000": a web page's cells run together
    values: dict[str, dict[str, Value]] = {}
    placement = Placement(values, findings)
    for table in tables:
        values[table.key] = {r.key: {c.key: None for c in r.columns} for r in table.rows}
        spans = located[table.key]
        if not spans:
            continue
        settling = Settling(table, agreeing(statements, table.key))
        if table.flat:
            findings += _place_flat(table, spans, values[table.key], glued, settling)
        else:
            findings += _place_rows(table, spans, values[table.key], glued, settling, placement.undecided)
        placement.settled_by += [st for st in settling.settling if st not in placement.settled_by]
        placement.unfit += settling.unfit
        _place_origins(table, spans, values[table.key], glued, placement)
    return placement


def _place_origins(table: Table, spans: list[RowSpan], values, glued: bool, placement: Placement) -> None:
    """Where each row stands in the text, and each value whose number is the one printed in its place
    (read in order, one number per cell): the rest of a row's values are known only by their row."""
    for s in spans:
        if s.anchor is None:
            continue
        cells = [(r, c) for r in table.rows for c in r.columns] if table.flat else [(s.row, c) for c in s.row.columns]
        span = (min([s.anchor[0], *(t.start for t in s.tokens)]), max([s.anchor[1], *(t.end for t in s.tokens)]))
        for row in table.rows if table.flat else (s.row,):  # table 四's rows: its numbers, until told apart
            placement.rows[f"{table.key}.{row.key}"] = span
        if glued or s.disturbed or len(s.tokens) != len(cells):
            continue
        for tok, (row, col) in zip(s.tokens, cells):
            value = values[row.key][col.key]
            if value is not None and not tok.blank and value == token_value(tok, col):
                placement.cells[f"{table.key}.{row.key}.{col.key}"] = (tok.start, tok.end)
        if table.flat:  # each row of table 四 from its first to its last number
            for row in table.rows:
                at = [placement.cells[p] for c in row.columns if (p := f"{table.key}.{row.key}.{c.key}") in placement.cells]
                if at:
                    placement.rows[f"{table.key}.{row.key}"] = (min(a for a, _ in at), max(b for _, b in at))


def derive_amounts(values: dict[str, dict[str, dict[str, Value]]]) -> list[Finding]:
    """采购总金额 in 元 beside the amount as printed (2019 table 二)."""
    procurement = values.get("active_disclosure", {}).get("centralized_procurement")
    if procurement is None:
        return []
    procurement["amount_yuan"] = amount_in_yuan(procurement["amount"])
    if procurement["amount_yuan"] is None:
        return [Finding("cell.derived_unknown", "active_disclosure.centralized_procurement.amount_yuan",
                        "采购总金额未知，或没有写明单位（元、万元），无法换算为元。", "info")]
    return []


_MONEY = re.compile(r"([\d.]+)\s*(亿元|万元|元)?")


def amount_in_yuan(printed: Value) -> float | int | None:
    """采购总金额 as a number of 元 when the report says its unit (or prints 0); else None."""
    if not isinstance(printed, str):
        return None
    m = _MONEY.match(fold(printed).replace(" ", ""))
    if not m:
        return None
    number = float(m.group(1))
    if number == 0:
        return 0
    scale = {"亿元": 100_000_000, "万元": 10_000, "元": 1}.get(m.group(2) or "")
    if scale is None:
        return None
    yuan = round(number * scale, 2)
    if yuan > MAX_EXACT:
        return None  # no procurement is that large: a misprint, never a rounded number
    return int(yuan) if yuan.is_integer() else yuan


def _place_rows(table: Table, spans: list[RowSpan], values, glued: bool, settling: Settling,
                undecided: list[Undecided]) -> list[Finding]:
    findings: list[Finding] = []
    present = []
    for s in spans:
        if s.anchor is None:
            findings.append(Finding("row.missing", f"{table.key}.{s.row.key}",
                                    f"报告中没有找到「{s.row.label}」一行：该行各数记为未知。"))
        else:
            present.append(s)
    if glued:
        return findings + _place_glued(table, present, values, settling, undecided)
    for group in _group(present):
        findings += _place_group(table, group, values, settling)
    return findings


def _place_glued(table: Table, spans: list[RowSpan], values, settling: Settling,
                 undecided: list[Undecided]) -> list[Finding]:
    """Rows of run-together digits: split each row, then let the columns' sums choose among splits; a
    row still read several ways is listed in ``undecided`` with its readings."""
    solved = []
    for s in spans:
        cells = [(s.row, c) for c in s.row.columns]
        solved.append((s, cells, split_runs(table, cells, s.tokens)))
    open_rows = [i for i, (_, _, sols) in enumerate(solved) if sols and len(sols) > 1]
    if open_rows and table.key == "applications":
        known = {s.row.key: dict(zip([c.key for _, c in cells], sols[0])) if sols and len(sols) == 1
                 else {c.key: None for _, c in cells} for s, cells, sols in solved}
        survivors = []
        for combo in itertools.islice(itertools.product(*(solved[i][2] for i in open_rows)), SEARCH_BUDGET):
            trial = dict(known)
            for i, reading in zip(open_rows, combo):
                s, cells, _ = solved[i]
                trial[s.row.key] = dict(zip([c.key for _, c in cells], reading))
            if _columns_hold(table, trial):
                survivors.append(combo)
        if survivors:  # a report whose own sums fail keeps every split (and its cells unknown)
            for n, i in enumerate(open_rows):
                s, cells, _ = solved[i]
                solved[i] = (s, cells, sorted({combo[n] for combo in survivors}, key=repr))
    before = {i: sols for i, (_, _, sols) in enumerate(solved)}
    open_rows = [i for i, (_, _, sols) in enumerate(solved) if sols and len(sols) > 1]
    if open_rows and settling.statements:  # statements over several rows (不予公开 5 件) choose among them
        paths = [p for i in open_rows for p in settling.paths(solved[i][1])]
        known = {f"{table.key}.{s.row.key}.{c.key}": v for s, cells, sols in solved if sols and len(sols) == 1
                 for (_, c), v in zip(cells, sols[0])}
        combos = [tuple(v for reading in combo for v in reading)
                  for combo in itertools.product(*(solved[i][2] for i in open_rows))] \
            if math.prod(len(solved[i][2]) for i in open_rows) <= SEARCH_BUDGET else []
        kept = settling.narrow(combos, paths, known) if combos else combos
        if len(kept) < len(combos):
            offset = 0
            for i in open_rows:
                s, cells, _ = solved[i]
                width = len(cells)
                solved[i] = (s, cells, sorted({combo[offset:offset + width] for combo in kept}, key=repr))
                offset += width
    findings: list[Finding] = []
    for i, (s, cells, sols) in enumerate(solved):
        if sols and len(sols) > 1:
            undecided.append(Undecided(tuple(f"{table.key}.{r.key}.{c.key}" for r, c in cells), tuple(sols)))
        findings += _apply(table, cells, sols, values, f"{table.key}.{s.row.key}", f"「{s.row.label}」一行",
                           printed=len(s.tokens), settling=settling, before=before[i], tokens=s.tokens)
    return findings + settling.unfit_findings()


def _columns_hold(table: Table, rows: dict[str, dict[str, Value]]) -> bool:
    """Table 三's column rules (its 勾稽关系 and （七）总计, templates.py) could hold, unknown cells being ≥ 0."""
    def value(path: str) -> Value:
        _, row, column = path.split(".")
        return rows.get(row, {}).get(column)

    return all(verdict([value(p) for p in e.left], [value(p) for p in e.right]) != "fail"
               for e in table_equations(table) if e.rule != "applications.total_column_is_sum")


def _group(spans: list[RowSpan]) -> list[list[RowSpan]]:
    """Runs of rows whose numbers, together, match their cells (a text layer may interleave them).

    A run never crosses into another sub-table: its numbers are printed under another header.
    """
    groups: list[list[RowSpan]] = []
    for _, segment in itertools.groupby(spans, key=lambda s: s.segment):
        groups += _group_segment(list(segment))
    return groups


def _group_segment(spans: list[RowSpan]) -> list[list[RowSpan]]:
    groups: list[list[RowSpan]] = []
    i = 0
    while i < len(spans):
        if spans[i].diff == 0:
            groups.append([spans[i]])
            i += 1
            continue
        total, j = 0, i
        while j < len(spans):
            total += spans[j].diff
            j += 1
            if total == 0:
                break
        if total == 0:
            groups.append(spans[i:j])
            i = j
        else:
            groups.append([spans[i]])
            i += 1
    return groups


def _place_flat(table: Table, spans: list[RowSpan], values, glued: bool, settling: Settling) -> list[Finding]:
    span = spans[0]
    cells = [(r, c) for r in table.rows for c in r.columns]
    solutions = split_runs(table, cells, span.tokens) if glued else solve(table, cells, span.tokens, rows_of=None)
    return _apply(table, cells, solutions, values, where=table.key, what=f"表格「{table.title}」",
                  printed=len(span.tokens), settling=settling, tokens=span.tokens) + settling.unfit_findings()


def _place_group(table: Table, group: list[RowSpan], values, settling: Settling) -> list[Finding]:
    cells = [(s.row, c) for s in group for c in s.row.columns]
    tokens = [t for s in group for t in s.tokens]
    rows_of = [s.row.key for s in group for _ in s.tokens]
    solutions = solve(table, cells, tokens, rows_of)
    if len(group) == 1:
        where, what = f"{table.key}.{group[0].row.key}", f"「{group[0].row.label}」一行"
    else:
        where = table.key
        what = "、".join(f"「{s.row.label}」" for s in group) + "这几行"
    return _apply(table, cells, solutions, values, where, what, printed=len(tokens), settling=settling,
                  tokens=tokens) + settling.unfit_findings()


def _apply(table, cells, solutions, values, where, what, printed, settling: Settling | None = None,
           before=None, tokens: list[Token] | None = None) -> list[Finding]:
    if solutions is None or not solutions:
        for row, col in cells:
            values[row.key][col.key] = None
        if solutions is None:
            reason = f"印了 {printed} 个数，应有 {len(cells)} 个" if printed != len(cells) else "各数的位置无法确定"
        else:
            reason = "这些数无法与表格的结构相符地放进各格"
        code = "row.incomplete" if printed < len(cells) else "cells.unplaced"
        return [Finding(code, where, f"{what}{reason}：无法确定每个数所在的格，全部记为未知。")]
    before = solutions if before is None else before
    if settling and len(solutions) > 1:
        known = {f"{table.key}.{r}.{c}": v for r, cols in values.items() for c, v in cols.items()}
        solutions = settling.narrow(solutions, settling.paths(cells), known)
    findings = []
    for k, (row, col) in enumerate(cells):
        options = {s[k] for s in solutions}
        if len(options) == 1:
            values[row.key][col.key] = next(iter(options))
            earlier = {s[k] for s in before}
            if len(earlier) > 1 and settling and values[row.key][col.key] is not None:
                findings.append(settling.settled(row, col, earlier, values[row.key][col.key]))
            elif values[row.key][col.key] is None and tokens and len(tokens) == len(cells) and tokens[k].huge:
                findings.append(too_large(f"{table.key}.{row.key}.{col.key}", row, col, tokens[k].text))
            elif values[row.key][col.key] is None:
                findings.append(Finding("cell.blank", f"{table.key}.{row.key}.{col.key}",
                                        f"「{row.label}」的「{col.label}」一格没有印数字（空白、/ 或 —），记为未知。"))
        else:
            values[row.key][col.key] = None
            shown = "、".join(sorted(str(o) for o in options if o is not None))
            findings.append(Finding("cell.ambiguous", f"{table.key}.{row.key}.{col.key}",
                                    f"「{row.label}」的「{col.label}」一格可能是 {shown} 中的任一个，"
                                    f"无法确定，记为未知。"))
    return findings


def too_large(where: str, row, col, printed: str) -> Finding:
    return Finding("cell.too_large", where, f"「{row.label}」的「{col.label}」一格印的「{printed[:40]}」大于 "
                                            f"{MAX_EXACT:,}，不可能是这一格的数，也无法准确保存，记为未知。")
