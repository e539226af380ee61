"""Columns of a table printed without ruling lines, carried from row to row.

scan.py makes each run of number lines a grid whose columns are where its numbers stand one above
the other. A run of a line or two (a row whose label takes two lines breaks the run; a row where the
recogniser missed a number or two) then has fewer columns than the table: its numbers would be
counted into the wrong ones. Such a run takes the columns of the table's run above it instead, when
each of its numbers stands under exactly one of them; otherwise it keeps its own (and whatever
cannot be placed stays unknown downstream).
"""
from __future__ import annotations

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
