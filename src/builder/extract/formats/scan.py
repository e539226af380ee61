"""Scanned PDF pages (images, no text layer) → the same neutral blocks as a text page.

``page_to_blocks`` in steps: render → dewarp a photo (dewarp.py) → deskew → recognise (ocr.py) → a second
look at doubtful numbers (second_look.py) → ruling lines → cells → blocks.
The page is rendered at ``DPI``; its ruling lines are found in its red channel, which keeps black print
and lets red seals fade (a pale, blurred rule counts only under a seal's ink: ``seal_mask``), and its
text is recognised in the red channel with what is redder than green and blue lifted to white
(``unsealed``: a seal's ink, greyish in the red channel after JPEG, goes). Its skew (a scan is rarely
straight) is found from the rows of ink and undone. Ruling lines are found by morphology and made into
cells with pdfplumber's own table algorithm (``edges → intersections → cells → tables``), so a scanned
table has the grid, merged cells and blank cells a text PDF's table has (a ``models.Grid``, merged
cells with their spans). Recognised boxes inside a cell make its text; the others become lines in
reading order, except runs of lines with numbers (a table printed without rules), which become a grid
whose columns are those its header names, or else where the numbers stand one above the other
(lineless.py). Every cell and line keeps what was recognised, as recognised (``1O`` stays ``1O``: the
number reader says what it takes for a digit), with the recogniser's confidence and an ``uncertain``
mark, for the cross-check of numbers (extract/scanned.py).
"""
from __future__ import annotations

import cv2
import numpy as np
from pdfplumber import table as plumber_table

from builder.extract.formats import lineless
from builder.extract.formats.dewarp import flatten
from builder.extract.formats.lineless import placed
from builder.extract.formats.ocr import SURE, Box, recognise
from builder.extract.formats.second_look import looked_again
from builder.extract.ocr_numbers import read_number, touches_digits
from builder.models import Block, Box as PageBox, Cell, Grid, Origin, union

DPI = 150  # A4 at 150 dpi: 1240 × 1754 pixels; digits about 25 pixels high
INK = 160  # grey level below which a pixel is print
RULE_INK = 175  # below which a pixel may be part of a ruling line: a thin rule scanned and blurred is paler than print
PAPER_GAP = 60  # ... if it is this much darker than the paper around it
SEAL_LIFT = 25  # how much redder than green and blue a pixel is where red seal ink lies
SEAL_MARGIN = 15  # pixels round seal ink where a pale rule still counts (a rule's blurred edges)
MARGIN = 0.08  # the top and bottom share of a page where running headers and footers sit
TOLERANCE = 6  # pixels: ruling lines this close are one line, cells' corners this close meet
MAX_SIDE = 2480  # pixels: a page larger than A3 is rendered smaller than DPI, so one page's image stays bounded


def scale_of(page) -> float:
    """Pixels per PDF point at which ``render`` draws the page."""
    width, height = page.get_size()
    return min(DPI / 72, MAX_SIDE / max(width, height, 1))


def render(page) -> np.ndarray:
    """A pypdfium2 page → grey image (H×W, uint8) from its red channel: red seals fade, print stays."""
    rgb = render_rgb(page)
    return np.ascontiguousarray(rgb[..., 0]) if rgb.ndim == 3 else rgb


def render_rgb(page) -> np.ndarray:
    """A pypdfium2 page → its RGB image at ``scale_of`` (pdfium's own colour order is blue, green, red)."""
    return page.render(scale=scale_of(page), rev_byteorder=True).to_numpy()


def unsealed(rgb: np.ndarray) -> np.ndarray:
    """An RGB page image → the grey image text recognition reads: its red channel, each pixel lifted by as
    much as it is redder than its green and blue. Red seal ink, which JPEG and blur leave greyer than the
    paper in the red channel (about 200), goes white; print, dark in every channel also under a seal, and
    blue-black ink stay. Ruling lines are found in the red channel alone: a thin line under a seal, red at
    its blurred edges, would break here."""
    red = rgb[..., 0].astype(np.int16)
    redness = red - np.maximum(rgb[..., 1], rgb[..., 2]).astype(np.int16)
    return np.clip(red + np.maximum(redness, 0), 0, 255).astype(np.uint8)


def seal_mask(gray: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """Where red seal ink lies, and a margin round it: ``unsealed`` lifted those pixels above the red
    channel (``gray``) by their redness."""
    red = (seen.astype(np.int16) - gray.astype(np.int16) > SEAL_LIFT).astype(np.uint8)
    return cv2.dilate(red, np.ones((SEAL_MARGIN, SEAL_MARGIN), np.uint8)).astype(bool)


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


class PageMap:
    """Boxes on the straightened page image (pixels) → boxes on the page (PDF points, x0, top, x1, bottom):
    the deskew undone, then the render scale."""

    def __init__(self, number: int, shape: tuple[int, ...], angle: float, scale: float,
                 warp: np.ndarray | None = None):
        h, w = shape[:2]
        turned = abs(angle) >= 0.05  # as ``straighten``: a smaller angle is left as it is
        self.number, self.scale = number, scale
        self.unwarp = None if warp is None else np.linalg.inv(warp)  # a photo's dewarp undone (dewarp.py)
        self.inverse = cv2.invertAffineTransform(cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)) if turned \
            else np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])

    def box(self, x0: float, top: float, x1: float, bottom: float) -> PageBox:
        corners = np.array([[x0, top, 1.0], [x1, top, 1.0], [x0, bottom, 1.0], [x1, bottom, 1.0]]) @ self.inverse.T
        if self.unwarp is not None:
            corners = cv2.perspectiveTransform(corners[None].astype(np.float64), self.unwarp)[0]
        xs, ys = corners[:, 0] / self.scale, corners[:, 1] / self.scale
        return (round(float(xs.min()), 1), round(float(ys.min()), 1), round(float(xs.max()), 1),
                round(float(ys.max()), 1))

    def origin(self, boxes) -> Origin:
        """The page and the box of what was read in ``boxes`` (recognised ``Box``es or pixel tuples)."""
        pixels = [(b.x0, b.top, b.x1, b.bottom) if isinstance(b, Box) else b for b in boxes]
        return Origin(page=self.number, box=self.box(*union(pixels)) if pixels else None)


def rulings(gray: np.ndarray, sealed: np.ndarray | None = None) -> list[dict]:
    """Horizontal and vertical ruling lines as pdfplumber edges (pixels). ``sealed``: where red seal ink
    lies (``seal_mask``), the only place a pale rule counts (elsewhere pale strokes are a photo's shading)."""
    h, w = gray.shape
    paper = None  # the paper's own tone round each pixel, worked out only where a seal lies
    if sealed is not None and sealed.any():
        paper = cv2.resize(cv2.dilate(cv2.resize(gray, (w // 4 + 1, h // 4 + 1), interpolation=cv2.INTER_AREA),
                                      np.ones((15, 15), np.uint8)), (w, h), interpolation=cv2.INTER_LINEAR).astype(np.int16)
    edges = []
    for orientation, kernel, across in (("h", (max(w // 25, 20), 1), (3, 1)), ("v", (1, max(h // 50, 20)), (1, 3))):
        # a thin rule scanned and blurred over two rows (or columns) is pale: the darkest of three across it,
        # and, under a seal, paler than print where the paper around it is white
        dark = cv2.erode(gray, np.ones(across, np.uint8)).astype(np.int16)
        ink = dark < INK
        if paper is not None:
            ink |= sealed & (dark < RULE_INK) & (dark < paper - PAPER_GAP)
        ink = ink.astype(np.uint8) * 255
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


def tables_of(edges: list[dict]) -> list[list[tuple[float, float, float, float]]]:
    """Ruled tables: each the boxes (x0, top, x1, bottom) of its cells, merged cells as one box."""
    edges = plumber_table.merge_edges(edges, TOLERANCE, TOLERANCE, TOLERANCE, TOLERANCE)
    points = plumber_table.edges_to_intersections(edges, TOLERANCE, TOLERANCE)
    cells = plumber_table.intersections_to_cells(points)
    return [group for group in plumber_table.cells_to_tables(cells)
            if len({c[1] for c in group}) >= 2 and len({c[0] for c in group}) >= 2]


def _spans(group: list[tuple[float, float, float, float]]) -> list[tuple[int, int, int, int]]:
    """Each cell box's (row, col, rowspan, colspan): the rows and columns are where cells begin (their
    corners are the rulings' intersections, so cells of one row share their top exactly)."""
    xs = sorted({c[0] for c in group})
    ys = sorted({c[1] for c in group})
    return [(ys.index(top), xs.index(x0), max(1, sum(1 for y in ys if top <= y < bottom)),
             max(1, sum(1 for x in xs if x0 <= x < x1))) for x0, top, x1, bottom in group]


def _joined(line: list[Box], gap: float) -> str:
    """The boxes of one line of print as text: apart by a space where a gap of ``gap`` heights parts
    them, and always between two boxes with digits (two numbers never run into one)."""
    parts = [line[0].text.strip()]
    for prev, b in zip(line, line[1:]):
        digits = any(ch.isdigit() for ch in prev.text) and any(ch.isdigit() for ch in b.text)
        parts.append((" " if digits or b.x0 - prev.x1 > gap * b.height else "") + b.text.strip())
    return "".join(parts)


def _text(boxes: list[Box]) -> str:
    """A cell's boxes as its text: its lines of print apart by a line break."""
    return "\n".join(_joined(line, 0.3) for line in boxes_to_lines(boxes))


def _recognised_cell(boxes: list[Box], row: int, col: int, rowspan: int = 1, colspan: int = 1,
                     crossed: bool = False, origin: Origin | None = None, others: dict | None = None) -> Cell:
    """A grid cell from the boxes read in it. Nothing read: an empty cell, confidence 0. A box that ran
    over the cell's ruling (the text of two cells in one box): confidence 0. ``origin``: where it is on the page;
    ``others``: what a second look read instead, by box (second_look.py)."""
    text = _text(boxes)
    confidence = 0.0 if crossed or not boxes else min(b.score for b in boxes)
    also = tuple(t for b in boxes for t in (others or {}).get(b, ()))
    uncertain = confidence < SURE or touches_digits(text) or bool(also)
    return Cell(text, row, col, rowspan, colspan, confidence=confidence, uncertain=uncertain, origin=origin,
                also=also)


def _inside(b: Box, box: tuple) -> bool:
    return box[0] <= b.cx <= box[2] and box[1] <= b.cy <= box[3]


def _table_block(group: list[tuple], boxes: list[Box], where: PageMap | None = None,
                 others: dict | None = None) -> tuple[float, Block, set[int]]:
    """A ruled table's cells filled with the boxes whose centre is inside them."""
    inside: list[list[Box]] = [[] for _ in group]
    crossed = [False] * len(group)
    used: set[int] = set()
    for i, b in enumerate(boxes):
        k = next((k for k, box in enumerate(group) if _inside(b, box)), None)
        if k is None:
            continue
        used.add(i)
        inside[k].append(b)
        if max(b.x1 - group[k][2], group[k][0] - b.x0) > 0.4 * b.height:  # well past a vertical ruling
            crossed[k] = True
    spans = _spans(group)
    cells = tuple(_recognised_cell(inside[k], *spans[k], crossed=crossed[k], others=others,
                                   origin=where.origin([group[k]]) if where else None) for k in range(len(group)))
    grid = Grid(cells, max(r + rs for r, _, rs, _ in spans), max(c + cs for _, c, _, cs in spans))
    return min(c[1] for c in group), Block("table", grid=grid), used


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


def _line_block(line: list[Box], page_height: float, where: PageMap | None = None,
                others: dict | None = None) -> tuple[float, Block]:
    top, bottom = min(b.top for b in line), max(b.bottom for b in line)
    margin = page_height * MARGIN
    level = 1 if top < margin or bottom > page_height - margin else 0
    confidence = min(b.score for b in line)
    uncertain = confidence < SURE or any(touches_digits(b.text) or b in (others or {}) for b in line)
    return top, Block("line", _joined(line, 0.8), level=level, confidence=confidence, uncertain=uncertain,
                      origin=where.origin(line) if where else None)


def _value_box(b: Box) -> bool:
    return read_number(b.text) is not None


def lines_to_grids(lines: list[list[Box]]) -> list[list[Box] | list[list[Box]]]:
    """Runs of lines that are a label and then numbers only (a table without ruling lines, or a row
    whose rulings the scan lost) as one grid each: its columns those the header above names
    (lineless.header_grid), else where the numbers of the run stand, one above the other. A label
    with one number is a grid of its own (its number may stand under columns merged into one). Other
    lines stay lines."""
    out: list = []
    run: list[list[Box]] = []
    above: list = []  # the columns of the grid above, for a shorter run below it (lineless.py)
    header: list = []  # the header the table's columns were taken from (lineless.header_grid)

    def close() -> None:
        under = lineless.header_grid(run, _band(out), _spans_of(run), header[0] if header else None) if run else None
        if under is not None:
            header[:] = [under[1]]
            out.append(under[0])
            run.clear()
            return
        grid = _columns(run, above[0]) if run and above else None
        if run and grid is None:
            grid, spans = _columns(run), _spans_of(run)
            if grid is not None and len(spans) >= 2 and (not above or len(spans) >= len(above[0])):
                above[:] = [spans]
        out.extend([grid] if grid is not None else run)
        run.clear()

    for line in lines:
        values = [b for b in line if _value_box(b)]
        first = line.index(values[0]) if values else 0
        row = bool(values) and all(not _value_box(b) for b in line[:first]) and \
            all(_value_box(b) for b in line[first:])
        if row and len(values) >= 2:
            run.append(line)
        elif row and first > 0:
            close()
            run.append(line)
            close()
        else:
            close()
            if above and any(b.x1 > above[0][0][0] for b in line):
                above.clear()  # print over the columns: the header of another table
            if header and any(b.x1 > header[0].centres[0] - header[0].pitch / 2 for b in line):
                header.clear()
            out.append(line)
    close()
    return out


def _band(out: list) -> list[list[Box]]:
    """The lines just above a run: up to 8 lines of print back to a grid or a line with numbers (where a
    header over the run's columns stands, if it has one)."""
    band: list[list[Box]] = []
    for item in reversed(out[-8:]):
        if not item or isinstance(item[0], list) or any(_value_box(b) for b in item):
            break
        band.insert(0, item)
    return band


def _spans_of(run: list[list[Box]]) -> list[tuple[float, float]]:
    """The columns of ``run``: where its numbers' centres stand one above the other."""
    values = [b for line in run for b in line if _value_box(b)]
    width = float(np.median([b.x1 - b.x0 for b in values]))
    centres = sorted(b.cx for b in values)
    columns = [[centres[0]]]
    for c in centres[1:]:
        if c - columns[-1][-1] > max(1.5 * width, 20):
            columns.append([c])
        else:
            columns[-1].append(c)
    return [(min(c), max(c)) for c in columns]


def _columns(run: list[list[Box]], above: list[tuple[float, float]] | None = None) -> list[list[Box | None]] | None:
    """Each line of ``run`` as [label boxes…] + one box or None per column; None if the columns are unclear.
    With ``above`` (the columns of the table's grid above), a run with fewer columns takes those, when
    every number of it stands under one of them (lineless.placed); otherwise None."""
    spans = _spans_of(run)
    if above is not None and len(spans) >= len(above):
        return None
    width = float(np.median([b.x1 - b.x0 for line in run for b in line if _value_box(b)]))
    grid = []
    for line in run:
        row: list[Box | None] = [None] * len(spans if above is None else above)
        numbers = [b for b in line if _value_box(b)]
        where = None if above is None else placed([b.cx for b in numbers], above, width)
        if above is not None and where is None:
            return None
        for j, b in enumerate(numbers):
            k = where[j] if where is not None else \
                next((i for i, (lo, hi) in enumerate(spans) if lo <= b.cx <= hi), None)
            if k is None or row[k] is not None:
                return None  # two numbers in one column: not a grid we can trust
            row[k] = b
        grid.append([b for b in line if not _value_box(b)] + [None] + row)  # None: where the label ends
    return grid


def _grid_block(grid: list[list[Box | None]], where: PageMap | None = None,
                others: dict | None = None) -> tuple[float, Block]:
    """A table without rules: per line its label cell, then one cell per column (empty where nothing
    was read in a column that has numbers: perhaps under a seal)."""
    cells = []
    for r, row in enumerate(grid):
        cut = row.index(None)
        place = where.origin if where else (lambda boxes: None)
        cells.append(_recognised_cell(row[:cut], r, 0, origin=place(row[:cut]), others=others))
        cells.extend(_recognised_cell([b] if b is not None else [], r, 1 + k, origin=place([b] if b else []),
                                      others=others) for k, b in enumerate(row[cut + 1:]))
    columns = len(grid[0]) - grid[0].index(None) - 1
    top = min(b.top for row in grid if any(b is not None and _value_box(b) for b in row) for b in row if b is not None)
    return top, Block("table", grid=Grid(tuple(cells), len(grid), 1 + columns))


def page_to_blocks(page, number: int = 0) -> list[Block]:
    """One scanned pypdfium2 page (``number``: 1-based) → its blocks in reading order, each cell and line
    with its origin: the page and its box in PDF points."""
    mapping = (lambda shape, angle, warp: PageMap(number, shape, angle, scale_of(page), warp)) if number else None
    rgb = render_rgb(page)
    if rgb.ndim == 2:
        return image_to_blocks(rgb, mapping)
    return image_to_blocks(np.ascontiguousarray(rgb[..., 0]), mapping, unsealed(rgb))


def image_to_blocks(image: np.ndarray, mapping=None, text_image: np.ndarray | None = None) -> list[Block]:
    """A page's grey image (as ``render`` makes it) → its blocks in reading order; ``mapping`` (shape,
    angle, dewarp matrix → PageMap) gives their origins on a PDF page (an image file has none);
    ``text_image`` (the same page as ``unsealed`` makes it) is what text recognition reads, if given."""
    flat, warp = flatten(image)  # a phone photo's sheet warped flat (dewarp.py); a scan as it is
    angle = skew(flat)
    gray = straighten(flat, angle)
    where = mapping(gray.shape, angle, warp) if mapping else None
    seen = gray if text_image is None else straighten(_warped(text_image, warp, flat.shape), angle)
    boxes, others = looked_again([b for b in recognise(np.dstack([seen] * 3)) if b.text.strip()], seen)
    items: list[tuple[float, Block]] = []
    taken: set[int] = set()
    for group in tables_of(rulings(gray, None if text_image is None else seal_mask(gray, seen))):
        top, block, used = _table_block(group, [b for i, b in enumerate(boxes) if i not in taken], where, others)
        rest = [i for i in range(len(boxes)) if i not in taken]
        taken.update(rest[j] for j in used)
        items.append((top, block))
    for item in lines_to_grids(boxes_to_lines([b for i, b in enumerate(boxes) if i not in taken])):
        is_grid = bool(item) and isinstance(item[0], list)
        items.append(_grid_block(item, where, others) if is_grid else _line_block(item, gray.shape[0], where, others))
    items.sort(key=lambda item: item[0])
    return [block for _, block in items]


def _warped(image: np.ndarray, warp: np.ndarray | None, shape: tuple[int, ...]) -> np.ndarray:
    """``image`` warped as ``flatten`` warped the page (``warp``: its matrix, None: left as it is)."""
    if warp is None:
        return image
    return cv2.warpPerspective(image, warp, (shape[1], shape[0]), flags=cv2.INTER_CUBIC, borderValue=255)


def read_page(path, index: int) -> list[Block]:
    """Page ``index`` (0-based) of the PDF at ``path``, recognised from its image."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(path))
    try:
        return page_to_blocks(doc[index], index + 1)
    finally:
        doc.close()
