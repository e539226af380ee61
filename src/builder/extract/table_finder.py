"""Where a table stands in text, and which numbers follow each of its rows' labels (for sources
without cells: text layers, web text).

A table is found by its own labels, not by the section headings: its rows' keywords printed in order,
close together and with no full stop between them (``locate_tables``; inside the table's own section
first, then anywhere). It ends where another table begins, at the next section heading, or at the
first run of words that are none of its labels (the prose after it). Each row is found by its label's
keywords (templates.py); the numbers printed between one row's label and the next belong to that row
(``row_spans``); placing them in cells is placement.py's.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from builder.extract.chinese import HAN, fuzzy_pattern
from builder.extract.labels import normalize
from builder.extract.numbers import Token, tokenize
from builder.extract.templates import Row, Table

_SUBTABLE = re.compile(r"第\s*二\s*十\s*条\s*第\s*\(\s*[一二三四五六七八九十]+\s*\)\s*项")


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


def row_spans(text: str, folded: str, table: Table, start: int, end: int) -> list[RowSpan]:
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
