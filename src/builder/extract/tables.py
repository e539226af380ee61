"""Table text → exact cell values, for sources without cells (text layers, web text).

Where a table stands is found by its own labels, not by the section headings: its rows' keywords
printed in order, close together and with no full stop between them (``locate_tables``; inside the
table's own section first, then anywhere). It ends where another table begins, at the next section
heading, or at the first run of words that are none of its labels (the prose after it).
Each row is found by its label's keywords (templates.py); the numbers printed between one row's label
and the next belong to that row. A number is placed in a cell only when every reading of the text
that fits the layout and the table's own constraints puts the same number there; any other cell is
``None`` with a warning that names it. Three situations are read:

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
number are kept, and a cell so settled carries the warning ``cell.settled_by_text`` quoting the words.
A statement only ever chooses among the readings the digits allow (it never fills a cell the table
left blank or unreadable); one that fits no reading is reported (``text.fits_no_reading``) and not
used, and statements that disagree with each other settle nothing.
"""
from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass, field

from builder.extract.chinese import HAN, fold, fuzzy_pattern
from builder.extract.labels import normalize
from builder.extract.numbers import MAX_EXACT, Token, splits, token_value, tokenize
from builder.extract.templates import Column, Row, Table, table_equations, verdict
from builder.models import Finding, Statement, Value

_SUBTABLE = re.compile(r"第\s*二\s*十\s*条\s*第\s*\(\s*[一二三四五六七八九十]+\s*\)\s*项")
_SEARCH_BUDGET = 200_000  # assignments tried per group before giving up (cells become unknown)
_MAX_SOLUTIONS = 256


@dataclass
class RowSpan:
    row: Row
    anchor: tuple[int, int] | None
    tokens: list[Token] = field(default_factory=list)
    segment: int = 0  # which sub-table (第二十条第（X）项) the row's label is printed in

    @property
    def diff(self) -> int:
        return len(self.tokens) - len(self.row.columns)

    @property
    def disturbed(self) -> bool:
        return any(t.lead for t in self.tokens)


@dataclass
class Placement:
    values: dict[str, dict[str, Value]]
    findings: list[Finding]
    settled_by: list[Statement] = field(default_factory=list)  # statements that settled a cell
    unfit: list[Statement] = field(default_factory=list)  # statements no reading of the digits fits


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
        located[table.key] = _locate(text, folded, table, *regions[table.key])
    tokens = [t for spans in located.values() for s in spans for t in s.tokens]
    glued = any(not t.canonical for t in tokens)  # e.g. "0000000": a web page's cells run together
    values: dict[str, dict[str, Value]] = {}
    placement = Placement(values, findings)
    for table in tables:
        values[table.key] = {r.key: {c.key: None for c in r.columns} for r in table.rows}
        spans = located[table.key]
        if not spans:
            continue
        settling = Settling(table, _agreeing(statements, table.key))
        if table.flat:
            findings += _place_flat(table, spans, values[table.key], glued, settling)
        else:
            findings += _place_rows(table, spans, values[table.key], glued, settling)
        placement.settled_by += [st for st in settling.settling if st not in placement.settled_by]
        placement.unfit += settling.unfit
    return placement


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


# ------------------------------------------------------------------------------------ locate

_LINK = 400  # at most this many characters between two consecutive row labels of one table
_FLAT_LINK = 80  # table 四: between two of its header's result labels
_HAN_RUN = re.compile(f"[{HAN}，、；：“”（）《》]+")
_UNIT_START = re.compile(r"(?:万元|亿元|元|笔|件|个|项|次|条|宗|人次)")
_FOREIGN = 4  # Han characters that are none of a table's labels: the prose after the table


def locate_tables(folded: str, tables: tuple[Table, ...], sections: dict[str, tuple[int, int]],
                  headings: list[int]) -> dict[str, tuple[int, int]]:
    """Each table's span in the text, found by its labels: first inside its own section (if its
    heading was found), else anywhere. ``headings`` are the start positions of section headings."""
    bodies: dict[str, tuple[int, int]] = {}
    for table in tables:
        own = sections.get(table.key)
        body = (_body(folded, table, *own) if own else None) or _body(folded, table, 0, len(folded))
        if body:
            bodies[table.key] = body
    regions = {}
    for key, (begin, last) in bodies.items():
        table = next(t for t in tables if t.key == key)
        start = table_start(folded, table, max(0, begin - (_FLAT_LINK if table.flat else 600)), begin + 1)
        start = start if start <= begin else begin
        own = sections.get(key)
        if own and own[0] <= begin:
            start = max(start, own[0])
        bounds = [len(folded), *(h for h in headings if h > last),
                  *(b for k, (b, _) in bodies.items() if k != key and b > begin)]
        end = min(bounds)
        regions[key] = (start, _prose_start(folded, table, last, end))
    for table in tables:  # too few of its labels for a body: its own section, as headings tell it
        if table.key not in regions and table.key in sections:
            start, end = sections[table.key]
            regions[table.key] = (table_start(folded, table, start, end), end)
    return regions


def _body(folded: str, table: Table, start: int, end: int) -> tuple[int, int] | None:
    """(first label start, last label end) of the earliest run of the table's row labels (table
    四: its result labels) in order, each within a link of the previous, with no 。 between."""
    if table.flat:
        labels = [(c.label,) for c in table.rows[0].columns]
        link, need = _FLAT_LINK, 3
    else:
        labels = [r.anchors for r in table.rows]
        link, need = _LINK, max(3, len(table.rows) // 2)
    for first in range(min(3, len(labels))):
        for m in _hits(folded, labels[first], start, end):
            count, pos = 1, m.end()
            for anchors in labels[first + 1:]:
                nxt = min(_hits(folded, anchors, pos, min(end, pos + link)), key=lambda h: h.start(), default=None)
                if nxt is None or "。" in folded[pos:nxt.start()]:
                    continue
                count, pos = count + 1, nxt.end()
            if count >= need:
                return m.start(), pos
    return None


def _hits(folded: str, anchors: tuple[str, ...], start: int, end: int):
    found = []
    for a in anchors:
        pattern = fuzzy_pattern(a)
        pos = start
        while (m := pattern.search(folded, pos, end)) is not None:
            found.append(m)
            pos = m.start() + 1
            if len(found) > 50:
                break
    return sorted(found, key=lambda m: (m.start(), -m.end()))


@functools.lru_cache(maxsize=8)
def _vocabulary(table: Table) -> tuple[str, ...]:
    words = {table.title, *table.vocabulary}
    for row in table.rows:
        words.update((row.label, row.group, row.subgroup, *row.variants, *row.anchors))
        for col in row.columns:
            words.update((col.label, *col.variants))
    return tuple(sorted({normalize(w) for w in words if normalize(w)}, key=len, reverse=True))


def _foreign(run: str, table: Table) -> bool:
    """A run of words holding ``_FOREIGN`` or more Han characters that are no label of the table."""
    norm = normalize(run)
    words = _vocabulary(table)
    if len(norm) < _FOREIGN or any(norm in w for w in words):
        return False
    for w in words:
        if len(w) >= 2 and w in norm:
            norm = norm.replace(w, "")
    return len(re.findall(f"[{HAN}]", norm)) >= _FOREIGN


def _prose_start(folded: str, table: Table, after: int, end: int) -> int:
    """Where the table's text ends: the first run of foreign words after its last label."""
    for m in _HAN_RUN.finditer(folded, after, end):
        if _foreign(m.group(), table):
            unit = _UNIT_START.match(m.group())
            return m.start() + (unit.end() if unit else 0)
    return end


def table_start(folded: str, table: Table, start: int, end: int) -> int:
    """Where the table's header begins in ``folded[start:end]`` (``start`` if no header is found)."""
    for tier in table.starts:
        hits = [m.start() for kw in tier if (m := fuzzy_pattern(kw).search(folded, start, end))]
        if hits:
            begin = min(hits)
            while begin > start and folded[begin - 1] in "( \t\n":  # the （ of （本列数据…）
                begin -= 1
            return begin
    return start


def _locate(text: str, folded: str, table: Table, start: int, end: int) -> list[RowSpan]:
    start = table_start(folded, table, start, end)
    if table.flat:
        header_end = start
        return [RowSpan(table.rows[0], (start, header_end), tokenize(folded, header_end, end, original=text))]
    spans: list[RowSpan] = []
    pos = start
    for row in table.rows:
        hits = [m for a in row.anchors if (m := fuzzy_pattern(a).search(folded, pos, end))]
        if not hits:
            spans.append(RowSpan(row, None))
            continue
        m = min(hits, key=lambda h: (h.start(), -h.end()))
        spans.append(RowSpan(row, (m.start(), m.end())))
        pos = m.end()
    found = [s for s in spans if s.anchor]
    markers = [m.start() for m in _SUBTABLE.finditer(folded, start, end)] if table.subtables else []
    boundaries = sorted({*(s.anchor[0] for s in found), *markers, end})
    for s in found:
        a_start, a_end = s.anchor
        s.segment = sum(1 for m in markers if m <= a_start)
        stop = next(b for b in boundaries if b >= a_end)
        newline = folded.find("\n", a_end, stop)
        s.tokens = tokenize(folded, a_end, stop, label_line_end=stop if newline < 0 else newline,
                            original=text)
        if len(s.tokens) != len(s.row.columns):
            gaps = _empty_fields(folded, a_end, stop if newline < 0 else newline)
            if gaps and len(s.tokens) + len(gaps) == len(s.row.columns):
                s.tokens = sorted(s.tokens + gaps, key=lambda t: t.start)
    # numbers printed between a (sub-)table's header and its first row label belong to that row
    zone_starts = sorted({start, *(m for m in markers)})
    for zone in zone_starts:
        first = next((s for s in found if s.anchor[0] >= zone), None)
        if first is None:
            continue
        lead = [Token(t.text, t.digits, t.sign, t.unit, t.start, t.end, False, True, t.blank)
                for t in tokenize(folded, zone, first.anchor[0], original=text)]
        first.tokens = lead + first.tokens
    return spans


def _empty_fields(folded: str, start: int, end: int) -> list[Token]:
    """Empty cells of a tab-separated line (a table copied from a web page): a field with nothing in it
    between two fields with numbers. An empty field before the first number may be alignment: not one."""
    fields, pos = [], start
    for part in folded[start:end].split("\t"):
        fields.append((pos, part))
        pos += len(part) + 1
    filled = [i for i, (_, part) in enumerate(fields) if re.search(r"\d", part)]
    if len(filled) < 2:
        return []
    return [Token("", "", "", "", at, at, True, False, True)
            for i, (at, part) in enumerate(fields) if filled[0] < i < filled[-1] and not part.strip()]


# ------------------------------------------------------------------------------------ place

def _place_rows(table: Table, spans: list[RowSpan], values, glued: bool, settling: "Settling") -> list[Finding]:
    findings: list[Finding] = []
    present = []
    for s in spans:
        if s.anchor is None:
            findings.append(Finding("row.missing", f"{table.key}.{s.row.key}",
                                    f"报告中没有找到「{s.row.label}」一行：该行各数记为未知。"))
        else:
            present.append(s)
    if glued:
        return findings + _place_glued(table, present, values, settling)
    for group in _group(present):
        findings += _place_group(table, group, values, settling)
    return findings


def _place_glued(table: Table, spans: list[RowSpan], values, settling: "Settling") -> list[Finding]:
    """Rows of run-together digits: split each row, then let the columns' sums choose among splits."""
    solved = []
    for s in spans:
        cells = [(s.row, c) for c in s.row.columns]
        solved.append((s, cells, _solve_glued(table, cells, s.tokens)))
    open_rows = [i for i, (_, _, sols) in enumerate(solved) if sols and len(sols) > 1]
    if open_rows and table.key == "applications":
        known = {s.row.key: dict(zip([c.key for _, c in cells], sols[0])) if sols and len(sols) == 1
                 else {c.key: None for _, c in cells} for s, cells, sols in solved}
        survivors = []
        for combo in itertools.islice(itertools.product(*(solved[i][2] for i in open_rows)), _SEARCH_BUDGET):
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
            if math.prod(len(solved[i][2]) for i in open_rows) <= _SEARCH_BUDGET else []
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


def _place_flat(table: Table, spans: list[RowSpan], values, glued: bool, settling: "Settling") -> list[Finding]:
    span = spans[0]
    cells = [(r, c) for r in table.rows for c in r.columns]
    solutions = _solve(table, cells, span.tokens, rows_of=None, glued=glued)
    return _apply(table, cells, solutions, values, where=table.key, what=f"表格「{table.title}」",
                  printed=len(span.tokens), settling=settling, tokens=span.tokens) + settling.unfit_findings()


def _place_group(table: Table, group: list[RowSpan], values, settling: "Settling") -> list[Finding]:
    cells = [(s.row, c) for s in group for c in s.row.columns]
    tokens = [t for s in group for t in s.tokens]
    rows_of = [s.row.key for s in group for _ in s.tokens]
    solutions = _solve(table, cells, tokens, rows_of, glued=False)
    if len(group) == 1:
        where, what = f"{table.key}.{group[0].row.key}", f"「{group[0].row.label}」一行"
    else:
        where = table.key
        what = "、".join(f"「{s.row.label}」" for s in group) + "这几行"
    return _apply(table, cells, solutions, values, where, what, printed=len(tokens), settling=settling,
                  tokens=tokens) + settling.unfit_findings()


def _apply(table, cells, solutions, values, where, what, printed, settling: "Settling | None" = None,
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


# ------------------------------------------------------------------------------------ settle

def _agreeing(statements: tuple[Statement, ...], table_key: str) -> list[Statement]:
    """The statements about cells of one table that no other statement of the same cells contradicts."""
    mine = [s for s in statements if all(c.split(".", 1)[0] == table_key for c in s.cells)]
    values: dict[tuple[str, ...], set[int]] = {}
    for s in mine:
        values.setdefault(s.cells, set()).add(s.value)
    return [s for s in mine if len(values[s.cells]) == 1]


def _is_number(v: Value) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class Settling:
    """The prose's statements about one table, choosing among the readings of its digits."""

    def __init__(self, table: Table, statements: list[Statement]):
        self.table = table
        self.statements = statements
        self.by_path: dict[str, list[Statement]] = {}  # cell → the statements that narrowed its readings
        self.unfit: list[Statement] = []
        self.settling: list[Statement] = []  # the statements that settled a cell
        self._reported = 0

    def paths(self, cells) -> list[str]:
        return [f"{self.table.key}.{row.key}.{col.key}" for row, col in cells]

    def narrow(self, readings: list[tuple], paths: list[str], known: dict[str, Value]) -> list[tuple]:
        """The readings (values of ``paths``) that every statement about them allows. A statement that
        allows none is set aside as unfit; when the fitting ones together allow none, none is used."""
        index = {p: i for i, p in enumerate(paths)}
        about = [st for st in self.statements if any(c in index for c in st.cells)
                 and all(c in index or _is_number(known.get(c)) for c in st.cells)]
        fitting = []
        for st in about:
            if any(self._holds(st, r, index, known) is not False for r in readings):
                fitting.append(st)
            elif st not in self.unfit:
                self.unfit.append(st)
        kept = [r for r in readings if all(self._holds(st, r, index, known) is not False for st in fitting)]
        if not kept or len(kept) == len(readings):
            return readings
        used = [st for st in fitting if any(self._holds(st, r, index, known) is False for r in readings)]
        for path in paths:
            self.by_path.setdefault(path, []).extend(st for st in used if st not in self.by_path.get(path, []))
        return kept

    @staticmethod
    def _holds(st: Statement, reading: tuple, index: dict[str, int], known: dict[str, Value]) -> bool | None:
        """Whether the reading's cells sum to the statement's value (None: a cell of it is blank)."""
        values = [reading[index[c]] if c in index else known.get(c) for c in st.cells]
        if not all(_is_number(v) for v in values):
            return None
        return sum(values) == st.value

    def settled(self, row: Row, col: Column, earlier: set, value: Value) -> Finding:
        path = f"{self.table.key}.{row.key}.{col.key}"
        used = self.by_path.get(path, [])
        self.settling += [st for st in used if st not in self.settling]
        quotes = "”“".join(st.quote for st in used)
        shown = "、".join(sorted(str(o) for o in earlier if o is not None))
        return Finding("cell.settled_by_text", path,
                       f"「{row.label}」的「{col.label}」一格，表中的数字可能是 {shown} 中的任一个；正文写明“{quotes}”，"
                       f"据此定为 {value}（按报告正文所述确定，请对照原文核实）。")

    def unfit_findings(self) -> list[Finding]:
        """The statements no reading of the digits fits, each reported once."""
        new, self._reported = self.unfit[self._reported:], len(self.unfit)
        return [Finding("text.fits_no_reading", _where(st.cells),
                        f"正文写明“{st.quote}”，但表中这些数字的任何一种读法都不是 {st.value}：正文与表格不一致，"
                        f"该数未被采用。") for st in new]


def _where(cells: tuple[str, ...]) -> str:
    """The dotted path the cells share: the cell itself, their row, or their table."""
    parts = [c.split(".") for c in cells]
    common = []
    for level in zip(*parts):
        if len(set(level)) > 1:
            break
        common.append(level[0])
    return ".".join(common)


# ------------------------------------------------------------------------------------ solve

def _solve(table: Table, cells, tokens: list[Token], rows_of, glued: bool):
    """Every reading of ``tokens`` as the values of ``cells`` (a list of value tuples), or ``None``.

    ``None`` means the text cannot be read as these cells at all (too few or too many numbers).
    """
    if glued:
        return _solve_glued(table, cells, tokens)
    if len(tokens) != len(cells):
        return None
    in_order = _read_in_order(cells, tokens)
    undisturbed = not any(t.lead for t in tokens) and (rows_of is None or len(set(rows_of)) == 1)
    if undisturbed and in_order is not None:
        return [in_order]  # as printed; whether its sums hold is for validation to say
    same = {(t.sign, t.digits, t.unit, t.blank) for t in tokens}
    if len(same) == 1:  # one value printed everywhere: its order cannot matter
        return [in_order] if in_order is not None else []
    if rows_of is None:
        return []
    return _permutations(table, cells, tokens, rows_of)


def _read_in_order(cells, tokens):
    out = []
    for (row, col), tok in zip(cells, tokens):
        v = token_value(tok, col)
        if v is None and not (tok.blank or tok.huge):
            return None
        out.append(v)
    return tuple(out)


def _permutations(table: Table, cells, tokens: list[Token], rows_of: list[str]):
    solutions: set[tuple] = set()
    budget = [_SEARCH_BUDGET]
    assigned: list[Value] = [None] * len(cells)
    used = [False] * len(cells)
    last_col: dict[str, int] = {}

    def walk(k: int) -> bool:
        budget[0] -= 1
        if budget[0] < 0 or len(solutions) > _MAX_SOLUTIONS:
            return False
        if k == len(tokens):
            sol = tuple(assigned)
            if _fits(table, cells, sol, sums=False):
                solutions.add(sol)
            return True
        tok, home = tokens[k], rows_of[k]
        for i, (row, col) in enumerate(cells):
            if used[i]:
                continue
            bound = tok.on_label_line and not tok.lead
            col_index = row.columns.index(col)
            if bound and (row.key != home or col_index <= last_col.get(home, -1)):
                continue
            value = token_value(tok, col)
            if value is None and not (tok.blank or tok.huge):
                continue
            used[i], assigned[i] = True, value
            previous = last_col.get(home)
            if bound:
                last_col[home] = col_index
            ok = walk(k + 1)
            used[i], assigned[i] = False, None
            if bound:
                if previous is None:
                    last_col.pop(home, None)
                else:
                    last_col[home] = previous
            if not ok:
                return False
        return True

    if not walk(0):
        return []  # too many readings to be sure of any: every cell unknown
    return sorted(solutions, key=repr)


def _solve_glued(table: Table, cells, tokens: list[Token]):
    """Split runs of digits printed without separators into exactly ``len(cells)`` numbers.

    Only splits that give as many numbers as cells are tried; when there are more of them than the
    search budget, no reading is trusted (every cell unknown)."""
    if not tokens:
        return None
    n = len(cells)
    options = []
    for i, t in enumerate(tokens):
        by_count: dict[int, list[tuple[Token, ...]]] = {}
        for piece in splits(t, max_parts=n - (len(tokens) - 1)):
            by_count.setdefault(len(piece), []).append(piece)
        options.append(by_count)
    solutions: set[tuple] = set()
    counted = [False]
    budget = [_SEARCH_BUDGET]

    def walk(i: int, room: int, parts: list[Token]) -> bool:
        if i == len(tokens):
            if room:
                return True
            counted[0] = True
            budget[0] -= 1
            if budget[0] < 0:
                return False
            reading = _read_in_order(cells, parts)
            if reading is not None and _fits(table, cells, reading):
                solutions.add(reading)
            return len(solutions) <= _MAX_SOLUTIONS
        rest = len(tokens) - i - 1  # each later token gives one number at least
        for count, pieces in options[i].items():
            if count > room - rest:
                continue
            for piece in pieces:
                if not walk(i + 1, room - count, parts + list(piece)):
                    return False
        return True

    if not walk(0, n, []):
        return []  # too many readings to be sure of any: every cell unknown
    if not counted[0]:
        return None
    return sorted(solutions, key=repr)


def _fits(table: Table, cells, reading, sums: bool = True) -> bool:
    """The table's own constraints on one reading; unknown cells never violate anything.

    Row sums are used only to choose among splits of run-together digits (``sums``); the order of
    interleaved numbers is settled by what no real table can print (a negative count of items).
    """
    rows: dict[str, dict[str, Value]] = {}
    for (row, col), v in zip(cells, reading):
        rows.setdefault(row.key, {})[col.key] = v
    for key, cols in rows.items():
        if "previous_count" in cols and "change" in cols:
            p, c = cols["previous_count"], cols["change"]
            if isinstance(p, int) and isinstance(c, int) and p + c < 0:
                return False
        if sums and "total" in cols and len(cols) > 2:
            parts = [v for k, v in cols.items() if k != "total"]
            if cols["total"] is not None and all(isinstance(v, int) for v in parts) and len(parts) == len(cols) - 1:
                if sum(parts) != cols["total"]:
                    return False
    return True
