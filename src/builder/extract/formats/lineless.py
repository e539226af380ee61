"""Columns of a table printed without ruling lines: from its header, or carried from row to row.

First the header (issue #34): the words over a run of number lines, as OCR reads them with no rules
to part them (a box may hold the words of two columns: its width is shared evenly by its characters),
stack top to bottom into the columns' labels. When every word over the numbers is a column label
of the templates' tables (templates.py; a label over several columns, such as 法人或其他组织, is
passed over, and table 四's group labels are set over their runs of columns), the columns are the
labels' centres: each number goes to the column it stands under, within 0.3 of the columns' spacing;
a number under none, or two under one, goes to none (its cell stays unknown, never the one beside
it). The grid then begins with the header's rows, so grids.py names each column by its label. A
later run of the same table (a label of two lines breaks the run) takes the same columns.

Otherwise scan.py makes each run of number lines a grid whose columns are where its numbers stand
one above the other. A run of a line or two (a row whose label takes two lines breaks the run; a row
where the recogniser missed a number or two) then has fewer columns than the table: its numbers
would be counted into the wrong ones. Such a run takes the columns of the table's run above it
instead, when each of its numbers stands under exactly one of them; otherwise it keeps its own (and
whatever cannot be placed stays unknown downstream).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from statistics import median

from builder.extract.formats.ocr import Box
from builder.extract.labels import LabelMatcher, normalize
from builder.extract.ocr_numbers import read_number
from builder.extract.templates import TEMPLATES

Span = tuple[float, float]  # a column: the leftmost and rightmost centre of its numbers


def placed(centres: list[float], spans: list[Span], width: float) -> list[int] | None:
    """The column of each number (by its centre) among ``spans``; None unless every number stands
    under exactly one column and no two under the same."""
    if len(spans) < 2:
        return None
    gap = min(b[0] - a[1] for a, b in zip(spans, spans[1:]))
    slack = min(width, 0.3 * gap)
    out = []
    for c in centres:
        hits = [k for k, (lo, hi) in enumerate(spans) if lo - slack <= c <= hi + slack]
        if len(hits) != 1 or hits[0] in out:
            return None
        out.append(hits[0])
    return out


# ---------------------------------------------------------------- columns from the header (issue #34)

@dataclass(frozen=True)
class Piece:
    """A word of a header line: a box's text between spaces, where its characters stand (a box's width
    shared evenly by its characters: OCR gives one box for words the ruling lines no longer part)."""

    text: str
    x0: float
    x1: float
    line: int
    box: Box

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True)
class Header:
    """The columns a lineless table's header names: each its words (top to bottom) and centre; and
    table 四's groups, each a label over a run of columns."""

    columns: list[list[Piece]]
    centres: list[float]
    groups: list[tuple[int, int, Piece]]  # (first column, number of columns, label)
    spacing: float  # how far apart the numbers' columns stand

    @property
    def pitch(self) -> float:
        """The columns' spacing: never more than the numbers' (a header word OCR missed widens the header's)."""
        return min(self.spacing, *(b - a for a, b in pairwise(self.centres)))


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Every column label of both templates' tables (normalised), and table 四's group labels."""
    columns: set[str] = set()
    groups: set[str] = set()
    for template in TEMPLATES.values():
        for table in template.tables:
            for row in table.rows:
                columns.update(normalize(x) for c in row.columns for x in (c.label, *c.variants))
                if table.flat:
                    groups.update(normalize(x) for x in (row.label, *row.variants))
    return frozenset(columns), frozenset(groups)


@lru_cache(maxsize=1)
def _column_labels() -> LabelMatcher:
    """A column label as grids.py matches a header cell (a misread character within its budget: 尚未申结)."""
    return LabelMatcher([(label, label) for label in _vocabulary()[0]])


def _column_label(pieces: list[Piece]) -> str | None:
    return _column_labels().match("".join(p.text for p in pieces))


def _pieces(lines: list[list[Box]], left: float, pitch: float) -> list[Piece]:
    """The header lines' words right of ``left``; a word as wide as two or more columns that is no
    label is cut evenly into as many (two labels OCR read as one word: 社会法律)."""
    columns, groups = _vocabulary()
    labels = columns | groups
    out = []
    for n, line in enumerate(lines):
        for b in line:
            step = (b.x1 - b.x0) / max(len(b.text), 1)
            for m in re.finditer(r"\S+", b.text):
                x0, x1, word = b.x0 + m.start() * step, b.x0 + m.end() * step, m.group()
                k = round((x1 - x0) / pitch)
                size = len(word) // k if k >= 2 and len(word) % k == 0 else len(word)
                if normalize(word) in labels or \
                        not all(any(word[i:i + size] in c for c in columns) for i in range(0, len(word), size)):
                    size = len(word)  # a label, or words that are no pieces of column labels: not cut
                parts = len(word) // size
                for i in range(parts):
                    p = Piece(word[i * size:(i + 1) * size], x0 + (x1 - x0) * i / parts,
                              x0 + (x1 - x0) * (i + 1) / parts, n, b)
                    if p.cx >= left:
                        out.append(p)
    return out


def header_of(lines: list[list[Box]], number_spans: list[Span]) -> Header | None:
    """The columns the header ``lines`` (above a run of numbers, whose columns by the numbers are
    ``number_spans``) name: every word right of the row labels stacks with those under it into a
    column label of the templates, is a group label of table 四, or stands over several columns;
    None where any does not (a header we cannot read is no header: the numbers' own columns stand)."""
    if len(number_spans) < 2 or not lines:
        return None
    centres = [(a + b) / 2 for a, b in number_spans]
    pitch = median(b - a for a, b in pairwise(centres))  # a number read between two columns is one short gap
    columns_vocabulary, groups_vocabulary = _vocabulary()
    stacks: list[list[Piece]] = []
    labels: list[Piece] = []
    for p in _pieces(lines, number_spans[0][0] - pitch / 2, pitch):
        if normalize(p.text) in groups_vocabulary:
            labels.append(p)
            continue
        if p.x1 - p.x0 > 1.3 * pitch and normalize(p.text) not in columns_vocabulary:
            continue  # a label over several columns (申请人情况, 法人或其他组织, 行政诉讼) or a heading
        near = [s for s in stacks if abs(sum(q.cx for q in s) / len(s) - p.cx) < 0.3 * pitch and s[-1].line < p.line]
        if len(near) > 1:
            return None
        if near:
            near[0].append(p)
        else:
            stacks.append([p])
    stacks.sort(key=lambda s: s[0].cx)
    if len(stacks) < 2 or any(_column_label(s) is None for s in stacks):
        return None
    header_centres = [sum(p.cx for p in s) / len(s) for s in stacks]
    if min(b - a for a, b in pairwise(header_centres)) < 0.6 * pitch:
        return None
    groups = _groups(stacks, header_centres, labels)
    return None if groups is None else Header(stacks, header_centres, groups, pitch)


def _groups(stacks: list[list[Piece]], centres: list[float], labels: list[Piece]) -> list[tuple[int, int, Piece]] | None:
    """Table 四's group labels over the columns: the columns part into runs where a column label
    comes again (结果维持 … 总计 | 结果维持 …); each run takes the one group label that stands over it."""
    if not labels:
        return []
    names = [_column_label(s) for s in stacks]
    runs, start = [], 0
    for k in range(1, len(names) + 1):
        if k == len(names) or names[k] in names[start:k]:
            runs.append((start, k - start))
            start = k
    out = []
    for first, n in runs:
        lo = centres[first] - (centres[first] - centres[first - 1]) / 2 if first else float("-inf")
        end = first + n - 1
        hi = centres[end] + (centres[end + 1] - centres[end]) / 2 if end + 1 < len(centres) else float("inf")
        over = [p for p in labels if lo <= p.cx < hi]
        if len(over) != 1:
            return None
        out.append((first, n, over[0]))
    return out


def under_header(numbers: list[Box], header: Header) -> list[int | None]:
    """The header column each number stands under: its centre within 0.3 of a column's pitch of the
    column's centre and its box within the column; None for a number under no column or with another
    number in its column (it stays unknown, never in the column beside it)."""
    pitch = header.pitch
    out: list[int | None] = []
    for b in numbers:
        hits = [k for k, c in enumerate(header.centres)
                if abs(b.cx - c) <= 0.3 * pitch and c - 0.6 * pitch <= b.x0 and b.x1 <= c + 0.6 * pitch]
        out.append(hits[0] if len(hits) == 1 else None)
    for k in set(out) - {None}:
        if out.count(k) > 1:
            out = [None if j == k else j for j in out]
    return out


def header_grid(run: list[list[Box]], band: list[list[Box]], spans: list[Span],
                carried: Header | None) -> tuple[list[list[Box | None]], Header] | None:
    """``run`` (lines of a label and numbers) as grid rows under the columns its header names: the
    header read from ``band`` (the lines just above it; then the grid begins with the header's rows),
    else ``carried`` (the header of the table's run above). None without a header, or where fewer
    than 80% of the run's numbers stand under one of its columns."""
    header = header_of(band, spans)
    rows: list[list[Box | None]] = [] if header is None else _header_rows(header)
    header = header or carried
    if header is None:
        return None
    total = placed_numbers = 0
    for line in run:
        numbers = [b for b in line if read_number(b.text) is not None]
        row: list[Box | None] = [None] * len(header.centres)
        for b, k in zip(numbers, under_header(numbers, header)):
            if k is not None:
                row[k] = b
        rows.append([b for b in line if read_number(b.text) is None] + [None] + row)
        total += len(numbers)
        placed_numbers += sum(b is not None for b in row)
    return (rows, header) if placed_numbers >= 0.8 * total else None


def _header_rows(header: Header) -> list[list[Box | None]]:
    """The header as grid rows (no label cell): table 四's groups over their columns, then the columns' labels."""
    def joined(pieces: list[Piece]) -> Box:
        return Box("\n".join(p.text for p in pieces), min(p.x0 for p in pieces), min(p.box.top for p in pieces),
                   max(p.x1 for p in pieces), max(p.box.bottom for p in pieces), min(p.box.score for p in pieces))

    rows: list[list[Box | None]] = []
    if header.groups:
        groups: list[Box | None] = [None] * len(header.centres)
        for first, n, label in header.groups:
            groups[first:first + n] = [joined([label])] * n
        rows.append([None] + groups)
    rows.append([None] + [joined(s) for s in header.columns])
    return rows
