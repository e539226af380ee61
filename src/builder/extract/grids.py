"""Table grids → cell values: every number read in the cell where it stands.

A grid (``models.Grid``, from HTML, Word, ruled PDF tables or OCR) is read the same for every format:

- a *row* of a standard table is a grid row whose label cells (text, left of its number cells) name
  a template row (``labels.LabelMatcher``; the rightmost label that names one, so the group cells
  of a merged 三、本年度办理结果 column do not count); table 四's cells are named by the labels above
  and beside them (行政复议 / 未经复议直接起诉 / 复议后起诉 and 结果维持 …);
- a cell's *column* is the nearest header cell above it that names one of its row's columns; a row
  whose headers are not in this grid (a table continued on the next page) is read in order when it
  has exactly as many cells as the template row;
- a blank cell (empty, ``/``, ``—``) is one unknown cell; a number in a cell merged over several
  template cells is printed once and belongs to none of them: they are unknown; a cell holding two
  numbers is unknown; a template row printed twice with different numbers is unknown;
- a cell recognised from an image (OCR: ``Cell.confidence`` set) is read with the digit look-alikes
  OCR confuses (1O → 10, said, never silent: ocr_numbers.py), and every number read from such cells
  is listed in ``GridReading.recognised`` with its confidence, for the cross-check that keeps it only
  where the template's rules vouch for it (scanned.py, called by report.py for every reader).

Tables are found by their labels wherever they stand, in any grid, independent of section headings.
Every unknown cell gets a warning naming it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from builder.extract.chinese import HAN, fold
from builder.extract.labels import LabelMatcher, normalize
from builder.extract.numbers import MAX_EXACT, Token, token_value, tokenize
from builder.extract.ocr_numbers import read_number, touches_digits
from builder.extract.scanned import Recognised
from builder.extract.templates import TEMPLATES, Column, Row, Table, Template
from builder.models import Cell, Finding, Grid, Value

_HAN_RE = re.compile(f"[{HAN}]")
_UNIT_WORDS = re.compile(r"万\s*元|亿\s*元|元|笔|件|个|项|次|条|宗|人次|计划|预算|[(（)）]")
_BLANK_WORDS = {"", "无", "空", "/", "-", "—", "\\", "×"}
MIN_ROWS = 2  # template rows a grid must name before it counts as holding the table
MIN_FLAT_CELLS = 3  # table 四: cells named by both a group and a result label
MAX_SLOTS = 100_000  # a standard table has a few hundred slots; beyond this a grid is not one of them


@dataclass(frozen=True)
class CellText:
    kind: str  # "label", "value", "blank" or "multi" (more than one number)
    token: Token | None = None
    lookalikes: tuple[str, ...] = ()  # recognised text: look-alikes taken for digits ("O→0")


@lru_cache(maxsize=4096)
def read_cell(text: str, recognised: bool = False) -> CellText:
    """What a cell holds: a label, one number (with its unit), nothing, or several numbers. Text
    recognised from an image may write digits with look-alikes (1O): one such number is read, and
    says so; a look-alike beside digits in anything else (1O件, or any such text of a file: B1) makes
    the cell unreadable, never a number read from part of it."""
    folded = fold(text).strip()
    if recognised and (number := read_number(folded)) is not None and number.confusions:
        tokens = tokenize(number.text)
        if len(tokens) == 1 and tokens[0].canonical:
            return CellText("value", tokens[0], number.confusions)
        return CellText("multi")
    if touches_digits(folded):
        return CellText("multi")
    if re.sub(r"\s+", "", folded) in _BLANK_WORDS:
        return CellText("blank")
    tokens = tokenize(folded, original=text.strip())
    rest = folded
    for t in reversed(tokens):
        rest = rest[:t.start] + rest[t.end:]
    if _HAN_RE.search(_UNIT_WORDS.sub("", rest)) or not tokens:
        return CellText("label")
    numbers = [t for t in tokens if not t.blank]
    if not numbers:
        return CellText("blank")
    if len(numbers) == 1 and len(tokens) == 1 and numbers[0].canonical:
        return CellText("value", numbers[0])
    return CellText("multi")  # two numbers in one cell, or digits no table prints (007)


@dataclass
class GridReading:
    """The tables found in grids: their values, findings, and which grid rows hold them."""

    values: dict[str, dict[str, dict[str, Value]]] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    rows: dict[int, set[int]] = field(default_factory=dict)  # grid number → its rows that hold tables
    recognised: dict[str, Recognised] = field(default_factory=dict)  # cell path → how OCR read its number
    cells: dict[str, Cell] = field(default_factory=dict)  # a known value's path → the cell it was read in
    lines: dict[str, tuple[int, int]] = field(default_factory=dict)  # a row's path → (grid number, grid row)


@dataclass
class _Seen:
    """What was read for one template cell (possibly from several grid rows)."""

    values: list[Value] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (code, message)
    sources: list[tuple[Cell, CellText]] = field(default_factory=list)  # the cells its numbers were read in


class _Matchers:
    def __init__(self, template: Template):
        rows = [(t, r) for t in template.tables if not t.flat for r in t.rows]
        groups = {g for _, r in rows for g in (r.group, r.subgroup) if g}
        self.rows = LabelMatcher([(f"{t.key}.{r.key}", label) for t, r in rows for label in _row_labels(t, r)],
                                 prefixes=groups)
        self.by_key = {f"{t.key}.{r.key}": (t, r) for t, r in rows}
        self.flat = next((t for t in template.tables if t.flat), None)
        if self.flat is not None:
            self.groups = LabelMatcher([(r.key, label) for r in self.flat.rows for label in (r.label, *r.variants)])
            self.results = LabelMatcher([(c.key, label) for c in self.flat.rows[0].columns
                                         for label in (c.label, *c.variants)])
        self._columns: dict[tuple[Column, ...], LabelMatcher] = {}

    def columns(self, columns: tuple[Column, ...]) -> LabelMatcher:
        if columns not in self._columns:
            self._columns[columns] = LabelMatcher([(c.key, label) for c in columns for label in (c.label, *c.variants)])
        return self._columns[columns]


def _row_labels(table: Table, row: Row) -> tuple[str, ...]:
    """A row's label, its variants, and the same row's labels in the other format (an agency printing
    the 2019 规范性文件 in a 2021 table): the text reader finds a row by the same words (``Row.anchors``).
    A label that is one word once its list mark is gone (2021's 3.其他) is not taken over: bare, it is a
    column header (其他) as well."""
    labels = [row.label, *row.variants]
    for other in TEMPLATES.values():
        for t in other.tables:
            if t.key == table.key:
                labels += [lb for r in t.rows if r.key == row.key for lb in (r.label, *r.variants)
                           if len(normalize(lb)) > 2]
    return tuple(dict.fromkeys(labels))


@lru_cache(maxsize=4)
def _matchers(template: Template) -> _Matchers:
    return _Matchers(template)


def grids_to_tables(grids: list[Grid], template: Template) -> GridReading:
    """Read every standard table found in ``grids``; tables not found are left to the text reader."""
    m = _matchers(template)
    seen: dict[str, dict[str, dict[str, _Seen]]] = {}
    row_hits: dict[str, int] = {}  # table key → template rows named in grids
    used_rows: dict[int, dict[str, set[int]]] = {}
    lines: dict[str, tuple[int, int]] = {}
    for number, grid in enumerate(grids):
        if grid.height * grid.width > MAX_SLOTS:
            continue  # hostile spans (colspan=10000 on every cell): left to the text reader
        slots = grid.slots()
        kinds = {id(c): read_cell(c.text, c.confidence is not None) for c in grid.cells}
        named: dict[int, tuple[Table, Row]] = {}
        for r in range(grid.height):
            line = _distinct(slots[r])
            labels = [i for i, c in enumerate(line) if kinds[id(c)].kind == "label"]
            if not labels or labels[-1] == len(line) - 1:
                continue
            for i in reversed(labels):
                key = m.rows.match(line[i].text)
                if key is not None:
                    named[r] = m.by_key[key]
                    break
        spans = _row_spans(named)
        first_value_col = min((c.col for r in named for c in _distinct(slots[r])
                               if kinds[id(c)].kind in ("value", "multi")), default=0)
        for r, (table, row) in named.items():
            lines.setdefault(f"{table.key}.{row.key}", (number, r))
            line = _distinct(slots[r])
            labels = [i for i, c in enumerate(line) if kinds[id(c)].kind == "label"]
            cells = line[labels[-1] + 1:]
            placed, header_rows = _columns_of(row, cells, r, slots, kinds, m, first_value_col)
            target = seen.setdefault(table.key, {}).setdefault(row.key, {})
            row_hits[table.key] = row_hits.get(table.key, 0) + (not target)
            used_rows.setdefault(number, {}).setdefault(table.key, set()).update({r, *header_rows})
            if placed is None:
                for col in row.columns:
                    target.setdefault(col.key, _Seen()).problems.append(
                        ("cells.unplaced", f"「{row.label}」一行印了 {len(cells)} 格，应有 {len(row.columns)} 格，"
                                           f"且表头无法对应到各列：该行各数无法确定所在的格，记为未知。"))
                continue
            for col in row.columns:
                entry = target.setdefault(col.key, _Seen())
                hits = [c for c, keys in placed if col.key in keys]
                if not hits:
                    entry.problems.append(("cell.missing", f"「{row.label}」一行没有「{col.label}」这一格，记为未知。"))
                    continue
                cell = hits[0]
                keys = next(k for c, k in placed if c is cell)
                _read_into(entry, cell, kinds[id(cell)], col, row, shared=len(keys) > 1 or spans(cell))
        if m.flat is not None:
            _read_flat(grid, slots, kinds, named, m, seen, used_rows.setdefault(number, {}))
    reading = GridReading()
    for table in template.tables:
        found = seen.get(table.key, {})
        if table.flat:
            if sum(len(cols) for cols in found.values()) < MIN_FLAT_CELLS:
                continue
        elif row_hits.get(table.key, 0) < MIN_ROWS:
            continue
        reading.values[table.key] = _settle(table, found, reading.findings)
        for number, tables in used_rows.items():
            if table.key in tables and tables[table.key]:
                rows = tables[table.key]
                reading.rows.setdefault(number, set()).update(range(min(rows), max(rows) + 1))
    reading.recognised = _recognised(reading.values, seen)
    reading.cells = {f"{t}.{r}.{c}": entry.sources[0][0] for t, rows in seen.items() if t in reading.values
                     for r, cols in rows.items() for c, entry in cols.items()
                     if entry.sources and reading.values[t].get(r, {}).get(c) is not None}
    reading.lines = {path: at for path, at in lines.items() if path.split(".")[0] in reading.values}
    for path, cell in reading.cells.items():  # table 四's rows: where their cells stand
        table, row, _ = path.split(".")
        reading.lines.setdefault(f"{table}.{row}", (next(n for n, g in enumerate(grids) if any(c is cell for c in g.cells)),
                                                            cell.row))
    return reading


def _distinct(slots_row: list[Cell | None]) -> list[Cell]:
    out: list[Cell] = []
    seen: set[int] = set()
    for cell in slots_row:
        if cell is not None and id(cell) not in seen:
            seen.add(id(cell))
            out.append(cell)
    return out


def _row_spans(named: dict[int, tuple[Table, Row]]):
    """A cell spanning two or more named rows holds one number for several cells."""
    def spans(cell: Cell) -> bool:
        return sum(1 for r in range(cell.row, cell.row + cell.rowspan) if r in named) > 1
    return spans


def _columns_of(row: Row, cells: list[Cell], r: int, slots, kinds, m: _Matchers, first_value_col: int):
    """[(cell, template column keys it covers)] by the header cells above, else in order; None if
    the cells cannot be put in columns."""
    matcher = m.columns(row.columns)
    placed: list[tuple[Cell, set[str]]] = []
    header_rows: set[int] = set()
    complete = True
    for cell in cells:
        keys: set[str] = set()
        for c in range(cell.col, cell.col + cell.colspan):
            for up in range(r - 1, -1, -1):
                above = slots[up][c] if c < len(slots[up]) else None
                if above is None or above is cell or kinds[id(above)].kind != "label":
                    continue
                key = _match_label(matcher, above, slots, kinds)
                if key is not None:
                    keys.add(key)
                    header_rows.add(up)
                    break
        if not keys and kinds[id(cell)].kind == "blank":
            continue  # an empty cell under no header of this row: the label column's, or a spare one
        if not keys:
            complete = False
        placed.append((cell, keys))
    taken = [k for _, keys in placed for k in keys]
    if complete and placed and len(taken) == len(set(taken)):
        return placed, header_rows
    # no usable header (a table continued on a new page): the cells in order, if they are as many
    ordered = [c for c in cells if not (kinds[id(c)].kind == "blank" and c.col < first_value_col)]
    found = {id(c): keys for c, keys in placed if keys}
    if len(ordered) == len(row.columns) and all(col.key in found.get(id(c), {col.key})
                                                for c, col in zip(ordered, row.columns)):
        return [(c, {col.key}) for c, col in zip(ordered, row.columns)], set()  # never against a header
    return None, header_rows


def _cut_above(cell: Cell, slots, kinds) -> Cell | None:
    """The first part of a header cell the page cut in two (a cell merged over two rows a page break
    falls between, its text broken: 结 | 果维持): the label cell in the same columns that ends the page
    before ``cell``'s, header rows repeated on the new page between them."""
    page = cell.origin.page if cell.origin is not None else None
    if not page:
        return None
    for up in range(cell.row - 1, -1, -1):
        above = slots[up][cell.col]
        if above is None or above is cell or above.origin is None or above.origin.page == page:
            continue
        ends_page = all(slots[r][cell.col] is None or slots[r][cell.col].origin is None
                        or slots[r][cell.col].origin.page != above.origin.page
                        for r in range(above.row + above.rowspan, cell.row))
        if (above.origin.page == page - 1 and ends_page and (above.col, above.colspan) == (cell.col, cell.colspan)
                and kinds[id(above)].kind == "label"):
            return above
        return None
    return None


def _match_label(matcher: LabelMatcher, cell: Cell, slots, kinds) -> str | None:
    """The key ``cell``'s label names; a label the page cut in two is read whole first."""
    first = _cut_above(cell, slots, kinds)
    return (first is not None and matcher.match(first.text + cell.text)) or matcher.match(cell.text)


def _read_into(entry: _Seen, cell: Cell, kind: CellText, col: Column, row: Row, shared: bool) -> None:
    what = f"「{row.label}」的「{col.label}」一格"
    if kind.kind == "blank":
        entry.values.append(None)
        entry.problems.append(("cell.blank", f"{what}没有印数字（空白、/ 或 —），记为未知。" if cell.confidence is None
                               else f"扫描件中{what}是空白或没能识别（可能被印章、污迹遮住），记为未知。"))
    elif shared:
        entry.problems.append(("cell.merged", f"{what}与相邻的格合并为一格，只印了一个数：无法确定它属于哪一格，记为未知。"))
    elif kind.kind == "multi" or kind.token is None:
        entry.problems.append(("cell.unreadable", f"{what}印了不止一个数（{cell.text}），记为未知。"))
    else:
        value = token_value(kind.token, col)
        if value is None and kind.token.huge:
            entry.problems.append(("cell.too_large", f"{what}印的「{cell.text[:40]}」大于 {MAX_EXACT:,}，不可能是这一格的数，"
                                                     f"也无法准确保存，记为未知。"))
        elif value is None:
            entry.problems.append(("cell.unreadable", f"{what}印的「{cell.text}」不是这一格可能的值，记为未知。"))
        else:
            entry.values.append(value)
            entry.sources.append((cell, kind))


def _read_flat(grid: Grid, slots, kinds, named, m: _Matchers, seen, used_rows) -> None:
    """Table 四: each number cell named by a group label and a result label above or beside it."""
    table = m.flat
    rows = {r.key: r for r in table.rows}
    last_numbers = max((c.row for c in grid.cells if kinds[id(c)].kind in ("value", "multi")), default=None)
    for cell in grid.cells:
        kind = kinds[id(cell)]
        if kind.kind == "label" or cell.row in named:
            continue
        if kind.kind == "blank" and last_numbers is not None and cell.row > last_numbers and \
                all(kinds[id(c)].kind == "blank" for c in _distinct(slots[cell.row])):
            continue  # an empty row below the numbers (Word's spacer row): no cell of the table
        if kind.kind == "blank" and _cut_above(cell, slots, kinds) is not None:
            continue  # the empty rest of a header cell the page cut (its text stayed on the page before)
        chains = [[slots[up][c] for up in range(cell.row - 1, -1, -1)] for c in range(cell.col, cell.col + cell.colspan)]
        chains.append([slots[cell.row][c] for c in range(cell.col - 1, -1, -1)])
        groups, results, label_rows = set(), set(), set()
        for chain in chains:
            g = r_ = None
            for above in chain:
                if above is None or above is cell or kinds[id(above)].kind != "label":
                    continue
                if g is None and (g := _match_label(m.groups, above, slots, kinds)):
                    label_rows.add(above.row)
                if r_ is None and (r_ := _match_label(m.results, above, slots, kinds)):
                    label_rows.add(above.row)
                if g and r_:
                    break
            if g:
                groups.add(g)
            if r_:
                results.add(r_)
        if not groups or not results:
            continue
        target = seen.setdefault(table.key, {})
        shared = len(groups) > 1 or len(results) > 1
        for group in groups:
            row = rows[group]
            for result in results:
                col = next(c for c in row.columns if c.key == result)
                _read_into(target.setdefault(row.key, {}).setdefault(col.key, _Seen()), cell, kind, col, row, shared)
        used_rows.setdefault(table.key, set()).update({cell.row, *label_rows})


def _settle(table: Table, found: dict[str, dict[str, _Seen]], findings: list[Finding]) -> dict[str, dict[str, Value]]:
    values: dict[str, dict[str, Value]] = {}
    for row in table.rows:
        values[row.key] = {}
        cols = found.get(row.key)
        if not cols:
            for col in row.columns:
                values[row.key][col.key] = None
            findings.append(Finding("row.missing", f"{table.key}.{row.key}",
                                    f"报告的表格中没有找到「{row.label}」一行：该行各数记为未知。"))
            continue
        for col in row.columns:
            entry = cols.get(col.key, _Seen())
            where = f"{table.key}.{row.key}.{col.key}"
            distinct = set(map(repr, entry.values))
            if entry.values and len(distinct) == 1 and not [p for p in entry.problems if p[0] != "cell.blank"]:
                values[row.key][col.key] = entry.values[0]
                if entry.values[0] is None:
                    findings.append(Finding("cell.blank", where, entry.problems[0][1]))
                continue
            values[row.key][col.key] = None
            if len(distinct) > 1:
                shown = "、".join(sorted(str(v) for v in entry.values if v is not None))
                findings.append(Finding("cell.ambiguous", where, f"「{row.label}」一行在报告中出现不止一次，这一格"
                                                                 f"「{col.label}」印了不同的数（{shown}），记为未知。"))
            else:
                code, message = next((p for p in entry.problems if p[0] != "cell.blank"),
                                     entry.problems[0] if entry.problems else
                                     ("cell.missing", f"「{row.label}」的「{col.label}」一格没有找到，记为未知。"))
                findings.append(Finding(code, where, message))
    return values


def _recognised(values, seen) -> dict[str, Recognised]:
    """The numbers kept that were read in recognised cells (OCR), and how surely."""
    out = {}
    for t, rows in seen.items():
        for r, cols in rows.items():
            for c, entry in cols.items():
                ocr = [(cell, kind) for cell, kind in entry.sources if cell.confidence is not None]
                if ocr and values.get(t, {}).get(r, {}).get(c) is not None:
                    out[f"{t}.{r}.{c}"] = Recognised(ocr[0][0].text, min(cell.confidence for cell, _ in ocr),
                                                     any(cell.uncertain for cell, _ in ocr),
                                                     tuple(x for _, kind in ocr for x in kind.lookalikes),
                                                     tuple(x for cell, _ in ocr for x in cell.also))
    return out
