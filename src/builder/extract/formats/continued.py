"""Tables continued on the next page of a PDF, joined into one grid again (issue #34).

A table the page cuts (Word breaks it between rows; some reports print it as two tables on two pages)
comes from pdfplumber as two grids. Read apart, the rows on the new page lose the header cells above
them: table 四's numbers under 结果维持 … on one page, their 行政复议 | 行政诉讼 heading at the foot of the
page before. A grid that ends a page and a grid that begins the next, with nothing but page numbers
and running headers and footers between them, whose outer edges line up, are one table: ``join_pages``
puts the second's rows under the first's, their columns at every edge either draws. Each cell keeps
its page and box (its ``origin``): a header cell the page cut in two is two cells on two pages, which
the grid reader reads as one label (grids.py).
"""
from __future__ import annotations

import dataclasses

from builder.extract.sections import is_page_chrome
from builder.models import Block, Cell, Grid

TOLERANCE = 2.0  # points: the same edge drawn on two pages


def _edges(grid: Grid) -> tuple[float, float] | None:
    """The grid's left and right edges; None for a grid without boxes or read from a page image."""
    boxes = [c.origin.box for c in grid.cells if c.origin is not None and c.origin.box is not None]
    if not boxes or len(boxes) < len(grid.cells) or any(c.confidence is not None for c in grid.cells):
        return None
    return min(b[0] for b in boxes), max(b[2] for b in boxes)


def _page(grid: Grid) -> int | None:
    pages = {c.origin.page for c in grid.cells if c.origin is not None}
    return pages.pop() if len(pages) == 1 else None


def _last_page(grid: Grid) -> int | None:
    pages = {c.origin.page for c in grid.cells if c.origin is not None and c.origin.page}
    return max(pages) if pages else None


def continues(upper: Grid, lower: Grid) -> bool:
    """``lower`` (the first block of a page) goes on with ``upper`` (the last of the page before)."""
    a, b = _edges(upper), _edges(lower)
    last, page = _last_page(upper), _page(lower)
    return (a is not None and b is not None and last is not None and page == last + 1
            and abs(a[0] - b[0]) <= TOLERANCE and abs(a[1] - b[1]) <= TOLERANCE)


def joined(upper: Grid, lower: Grid) -> Grid:
    """``lower``'s rows under ``upper``'s; a column at every left or right edge of a cell of either."""
    xs: list[float] = []
    for x in sorted(v for g in (upper, lower) for c in g.cells for v in (c.origin.box[0], c.origin.box[2])):
        if not xs or x - xs[-1] > TOLERANCE:
            xs.append(x)

    def placed(cell: Cell, row: int) -> Cell:
        x0, _, x1, _ = cell.origin.box
        col = next(i for i, x in enumerate(xs) if x >= x0 - TOLERANCE)
        span = sum(1 for x in xs[col:-1] if x < x1 - TOLERANCE)
        return dataclasses.replace(cell, row=row, col=col, colspan=max(span, 1))

    cells = [placed(c, c.row) for c in upper.cells] + [placed(c, upper.height + c.row) for c in lower.cells]
    return Grid(tuple(cells), upper.height + lower.height, len(xs) - 1)


def _chrome(block: Block) -> bool:
    return block.kind == "line" and (not block.text.strip() or is_page_chrome(block.text.strip()))


def join_pages(pages: list[list[Block]]) -> list[Block]:
    """The pages' blocks in order, each table continued on the next page joined to its first part."""
    out: list[Block] = []
    for blocks in pages:
        first = next((i for i, b in enumerate(blocks) if not _chrome(b)), None)
        last = next((i for i in range(len(out) - 1, -1, -1) if not _chrome(out[i])), None)
        if first is not None and last is not None and blocks[first].kind == out[last].kind == "table" \
                and continues(out[last].grid, blocks[first].grid):
            out[last] = dataclasses.replace(out[last], grid=joined(out[last].grid, blocks[first].grid))
            blocks = blocks[:first] + blocks[first + 1:]
        out.extend(blocks)
    return out
