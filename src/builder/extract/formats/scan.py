"""Scanned PDF pages (images, no text layer) → the same neutral blocks as a text page.

``page_to_blocks`` in steps: render → deskew → recognise (ocr.py) → ruling lines → cells → blocks.
The page is rendered at ``DPI`` from the red channel, which drops red seals and keeps black print;
its skew (a scan is rarely straight) is found from the rows of ink and undone. Ruling lines are
found by morphology and made into cells with pdfplumber's own table algorithm
(``edges → intersections → cells → tables``), so a scanned table has the grid, merged cells and
blank cells a text PDF's table has. Recognised boxes inside a cell make its text; the others become
lines in reading order, except runs of lines with numbers (a table printed without rules), whose
columns are where the numbers stand one above the other. Every block keeps what was read and how surely (``Block.reads``), for the
number cross-check (extract/scanned.py).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from pdfplumber import table as plumber_table

from builder.extract.formats.ocr import Box, recognise
from builder.extract.ocr_numbers import read_number
from builder.models import Block, CellRead

DPI = 150  # A4 at 150 dpi: 1240 × 1754 pixels; digits about 25 pixels high
INK = 160  # grey level below which a pixel is print
MARGIN = 0.08  # the top and bottom share of a page where running headers and footers sit
TOLERANCE = 6  # pixels: ruling lines this close are one line, cells' corners this close meet


def render(page) -> np.ndarray:
    """A pypdfium2 page → grey image (H×W, uint8) from its red channel: red seals fade, print stays."""
    rgb = page.render(scale=DPI / 72).to_numpy()
    return np.ascontiguousarray(rgb[..., 0]) if rgb.ndim == 3 else rgb


def skew(gray: np.ndarray) -> float:
    """The angle (degrees) that straightens the page: the one whose rows of ink are sharpest."""
    small = cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    ink = (small < INK).astype(np.float32)
    h, w = ink.shape

    def sharpness(angle: float) -> float:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        rows = cv2.warpAffine(ink, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-3, 3.01, 0.2), key=sharpness)
    return float(max(np.arange(best - 0.2, best + 0.201, 0.04), key=sharpness))


def straighten(gray: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 0.05:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def rulings(gray: np.ndarray) -> list[dict]:
    """Horizontal and vertical ruling lines as pdfplumber edges (pixels)."""
    ink = (gray < INK).astype(np.uint8) * 255
    h, w = ink.shape
    edges = []
    for orientation, kernel in (("h", (max(w // 25, 20), 1)), ("v", (1, max(h // 50, 20)))):
        lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        n, _, stats, _ = cv2.connectedComponentsWithStats(lines)
        for x, y, bw, bh, _ in stats[1:n]:
            if orientation == "h":
                mid = y + bh / 2
                edges.append({"x0": float(x), "x1": float(x + bw), "top": mid, "bottom": mid, "width": float(bw),
                              "height": 0.0, "orientation": "h"})
            else:
                mid = x + bw / 2
                edges.append({"x0": mid, "x1": mid, "top": float(y), "bottom": float(y + bh), "width": 0.0,
                              "height": float(bh), "orientation": "v"})
    return edges


def tables_of(edges: list[dict]) -> list[list[list[tuple | None]]]:
    """Ruled tables: each a list of rows, each row its cells' boxes (None where a merged cell continues)."""
    edges = plumber_table.merge_edges(edges, TOLERANCE, TOLERANCE, TOLERANCE, TOLERANCE)
    points = plumber_table.edges_to_intersections(edges, TOLERANCE, TOLERANCE)
    cells = plumber_table.intersections_to_cells(points)
    out = []
    for group in plumber_table.cells_to_tables(cells):
        rows = [row.cells for row in plumber_table.Table(None, group).rows]
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            out.append(rows)
    return out


@dataclass
class _Cell:
    box: tuple[float, float, float, float]
    boxes: list[Box]
    crossed: bool = False  # a recognised box ran over the cell's ruling into the next cell


def _cell_read(cell: _Cell) -> tuple[str, CellRead]:
    """A cell's text for the blocks (a number read through digit confusions, else as recognised)."""
    boxes = sorted(cell.boxes, key=lambda b: (round(b.cy / 12), b.x0))
    raw = "".join(b.text.strip() for b in boxes)
    confidence = min((b.score for b in boxes), default=1.0)
    if cell.crossed:
        confidence = 0.0
    number = read_number(raw)
    return (number.text if number is not None else raw), CellRead(raw, confidence)


def _inside(b: Box, box: tuple) -> bool:
    return box[0] <= b.cx <= box[2] and box[1] <= b.cy <= box[3]


def _table_block(rows: list[list[tuple | None]], boxes: list[Box]) -> tuple[float, Block, set[int]]:
    cells = [[_Cell(c, []) if c is not None else None for c in row] for row in rows]
    flat = [c for row in cells for c in row if c is not None]
    used: set[int] = set()
    for i, b in enumerate(boxes):
        cell = next((c for c in flat if _inside(b, c.box)), None)
        if cell is None:
            continue
        used.add(i)
        cell.boxes.append(b)
        over = max(b.x1 - cell.box[2], cell.box[0] - b.x0)
        if over > 0.4 * b.height:  # runs well past a vertical ruling: the text of two cells in one box
            cell.crossed = True
    texts, reads = [], []
    for row in cells:
        t_row, r_row = [], []
        for c in row:
            if c is None:
                t_row.append("")
                r_row.append(None)
            else:
                text, read = _cell_read(c)
                t_row.append(text)
                r_row.append(read)
        texts.append(tuple(t_row))
        reads.append(tuple(r_row))
    top = min(c.box[1] for c in flat)
    return top, Block("table", rows=tuple(texts), reads=tuple(reads)), used


def boxes_to_lines(boxes: list[Box]) -> list[list[Box]]:
    """Boxes on the same line of print, each line left to right, lines top to bottom."""
    lines: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: b.cy):
        for line in lines:
            ref = line[-1]
            if abs(b.cy - ref.cy) < 0.5 * max(ref.height, b.height) and \
                    all(b.x1 <= o.x0 or b.x0 >= o.x1 for o in line):
                line.append(b)
                break
        else:
            lines.append([b])
    return [sorted(line, key=lambda b: b.x0) for line in sorted(lines, key=lambda ln: min(b.top for b in ln))]


def _line_block(line: list[Box], page_height: float) -> tuple[float, Block]:
    parts = []
    for i, b in enumerate(line):
        number = read_number(b.text)
        text = number.text if number is not None else b.text.strip()
        gap = b.x0 - line[i - 1].x1 if i else 0
        parts.append((" " if i and gap > 0.8 * b.height else "") + text)
    top, bottom = min(b.top for b in line), max(b.bottom for b in line)
    margin = page_height * MARGIN
    level = 1 if top < margin or bottom > page_height - margin else 0
    reads = (tuple(CellRead(b.text.strip(), b.score) for b in line),)
    return top, Block("line", "".join(parts), level=level, reads=reads)


def _value_box(b: Box) -> bool:
    return read_number(b.text) is not None


def lines_to_grids(lines: list[list[Box]]) -> list[list[Box] | list[list[Box]]]:
    """Runs of two or more lines with numbers (a table without ruling lines) as one grid each: its
    columns where the numbers of the run stand, one above the other. Other lines stay lines."""
    out: list = []
    run: list[list[Box]] = []

    def close() -> None:
        grid = _columns(run) if len(run) >= 2 else None
        out.extend([grid] if grid is not None else run)
        run.clear()

    for line in lines:
        values = [b for b in line if _value_box(b)]
        if len(values) >= 2 and all(not _value_box(b) for b in line[: line.index(values[0])]) and \
                all(_value_box(b) for b in line[line.index(values[0]):]):
            run.append(line)
        else:
            close()
            out.append(line)
    close()
    return out


def _columns(run: list[list[Box]]) -> list[list[Box | None]] | None:
    """Each line of ``run`` as [label boxes…] + one box or None per column; None if the columns are unclear."""
    values = [b for line in run for b in line if _value_box(b)]
    width = float(np.median([b.x1 - b.x0 for b in values]))
    centres = sorted(b.cx for b in values)
    columns = [[centres[0]]]
    for c in centres[1:]:
        if c - columns[-1][-1] > max(1.5 * width, 20):
            columns.append([c])
        else:
            columns[-1].append(c)
    spans = [(min(c), max(c)) for c in columns]
    grid = []
    for line in run:
        row: list[Box | None] = [None] * len(spans)
        for b in (b for b in line if _value_box(b)):
            k = next((i for i, (lo, hi) in enumerate(spans) if lo <= b.cx <= hi), None)
            if k is None or row[k] is not None:
                return None  # two numbers in one column: not a grid we can trust
            row[k] = b
        grid.append([b for b in line if not _value_box(b)] + [None] + row)  # None: where the label ends
    return grid


def _grid_block(grid: list[list[Box | None]]) -> tuple[float, Block]:
    texts, reads = [], []
    for row in grid:
        cut = row.index(None)
        label = row[:cut]
        t_row = ["".join(b.text.strip() for b in label)]
        r_row: list[CellRead | None] = [CellRead(t_row[0], min((b.score for b in label), default=1.0))]
        for b in row[cut + 1:]:
            if b is None:
                t_row.append("")
                r_row.append(CellRead("", 0.0))  # nothing read where the column has numbers: maybe a seal
            else:
                number = read_number(b.text)
                t_row.append(number.text if number else b.text.strip())
                r_row.append(CellRead(b.text.strip(), b.score))
        texts.append(tuple(t_row))
        reads.append(tuple(r_row))
    top = min(b.top for row in grid for b in row if b is not None)
    return top, Block("table", rows=tuple(texts), reads=tuple(reads))


def page_to_blocks(page) -> list[Block]:
    """One scanned pypdfium2 page → its blocks in reading order."""
    gray = straighten(g := render(page), skew(g))
    boxes = [b for b in recognise(np.dstack([gray] * 3)) if b.text.strip()]
    items: list[tuple[float, Block]] = []
    taken: set[int] = set()
    for rows in tables_of(rulings(gray)):
        top, block, used = _table_block(rows, [b for i, b in enumerate(boxes) if i not in taken])
        rest = [i for i in range(len(boxes)) if i not in taken]
        taken.update(rest[j] for j in used)
        items.append((top, block))
    for item in lines_to_grids(boxes_to_lines([b for i, b in enumerate(boxes) if i not in taken])):
        is_grid = bool(item) and isinstance(item[0], list)
        items.append(_grid_block(item) if is_grid else _line_block(item, gray.shape[0]))
    items.sort(key=lambda item: item[0])
    return [block for _, block in items]


def read_page(path, index: int) -> list[Block]:
    """Page ``index`` (0-based) of the PDF at ``path``, recognised from its image."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(path))
    try:
        return page_to_blocks(doc[index])
    finally:
        doc.close()
