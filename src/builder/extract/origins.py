"""Where each value was printed: the readers' origins (``models.Origin``) gathered per cell and per row.

A value read from a grid takes its cell's origin (page and box, or table, row and column); one placed
from the text takes the origin of the line it stands on (page and the line's box; or line and
characters). A row's origin is where its printed row is, with the row's text as the source printed it
(the report page shows it beside the numbers, and links a PDF's row to its page).
"""
from __future__ import annotations

import bisect
import re
from typing import Mapping

from builder.models import Grid, Origin, Value, union

DERIVED = {"amount_yuan": "amount"}  # 采购总金额 in 元 (tables.derive_amounts), from the amount as printed
MAX_ROW_TEXT = 400  # characters of a row's printed text kept (a row of table 三 prints about 60)


def row_text(text: str) -> str:
    """A printed row on one line: its runs of white space as one space (a tab between cells kept as one)."""
    text = re.sub(r"[ \u3000\xa0]*\t[ \t\u3000\xa0]*", "\t", text.strip())
    return re.sub(r"[ \u3000\xa0]*\n\s*|[ \u3000\xa0]{2,}", " ", text)[:MAX_ROW_TEXT]


def grid_row_origin(grid: Grid, r: int) -> Origin | None:
    """Grid row ``r``: its page and the box of its cells on that page, or its table and row; with its text."""
    cells = sorted((c for c in grid.cells if c.row == r), key=lambda c: c.col)
    first = next((c.origin for c in cells if c.origin is not None), None)
    if first is None:
        return None
    text = row_text("\t".join(c.text.replace("\n", " ") for c in cells))
    if first.page is not None:  # the row's own cells: a cell merged over the rows below (a group's label) is theirs too
        own = [c for c in cells if c.rowspan == 1] or cells
        box = union(c.origin.box for c in own
                    if c.origin is not None and c.origin.page == first.page and c.origin.box is not None)
        return Origin(page=first.page, box=box, text=text)
    return Origin(table=first.table, row=first.row, text=text)


class TextPlaces:
    """Positions in the blocks' text (``report.Layout``) → the origin of the line they stand on."""

    def __init__(self, text: str, lines: tuple[tuple[int, Origin | None], ...]):
        self.text = text
        self.starts = [start for start, _ in lines]
        self.origins = [origin for _, origin in lines]

    def _index(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def line_start(self, pos: int, most: int = 8) -> int:
        """Where the line holding ``pos`` begins, when at most ``most`` characters before it (a row's label
        matched after its number, 二、 or （一）); else ``pos``."""
        begin = self.text.rfind("\n", 0, pos) + 1
        return begin if pos - begin <= most else pos

    def at(self, start: int, end: int, text: str = "") -> Origin | None:
        """The origin of ``text[start:end]``: its line and characters (a text file), or its page and the
        box of the lines it spans on that page."""
        i = self._index(start)
        if i < 0 or self.origins[i] is None:
            return None
        base = self.origins[i]
        if base.line is not None:
            line_end = self.text.find("\n", self.starts[i])
            stop = min(end, line_end if line_end >= 0 else len(self.text))
            return Origin(line=base.line, chars=(start - self.starts[i] + 1, max(stop - self.starts[i], 1)), text=text)
        j = max(i, self._index(max(end - 1, start)))
        boxes = [o.box for o in self.origins[i:j + 1] if o is not None and o.page == base.page and o.box]
        return Origin(page=base.page, box=union(boxes), text=text)


def origins_of(values: Mapping[str, Mapping[str, Mapping[str, Value]]], grids: tuple[Grid, ...], grid_cells,
               grid_lines: Mapping[str, tuple[int, int]], places: TextPlaces,
               text_cells: Mapping[str, tuple[int, int]], text_rows: Mapping[str, tuple[int, int]]) -> dict[str, Origin]:
    """{cell path: origin} for every known value, and {row path: origin} for every row read, in a fixed order.
    ``grid_cells``: {cell path: the grid cell it was read in}; ``grid_lines``: {row path: (grid, row)};
    ``text_cells`` and ``text_rows``: {path: (start, end)} in the text, for what the text reader placed."""
    out: dict[str, Origin] = {}
    for path, (g, r) in grid_lines.items():
        origin = grid_row_origin(grids[g], r)
        if origin is not None:
            out[path] = origin
    for path, (start, end) in text_rows.items():
        start = places.line_start(start)
        origin = places.at(start, end, row_text(places.text[start:end]))
        if origin is not None:
            out.setdefault(path, origin)
    for table, rows in values.items():
        for row, cols in rows.items():
            for col, value in cols.items():
                path = f"{table}.{row}.{col}"
                if value is None:
                    continue
                printed = f"{table}.{row}.{DERIVED.get(col, col)}"  # a value worked out from a printed one: its place
                cell = grid_cells.get(printed)
                if printed != path and printed in out:
                    out[path] = out[printed]
                    continue
                if cell is not None and cell.origin is not None:
                    out[path] = cell.origin
                elif printed in text_cells:
                    origin = places.at(*text_cells[printed])
                    if origin is not None:
                        out[path] = origin
                elif f"{table}.{row}" in out:  # the row is known, the number's place in it is not
                    out[path] = _without_text(out[f"{table}.{row}"])
    return dict(sorted(out.items()))


def _without_text(origin: Origin) -> Origin:
    return Origin(origin.page, origin.box, origin.table, origin.row, origin.column, origin.line, origin.chars)
