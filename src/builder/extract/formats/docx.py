"""Word reports (.docx, python-docx): paragraphs as lines, tables as grids, in document order.

A merged cell is one cell of the grid with its spans: python-docx repeats the text of a horizontally
(gridSpan) or vertically (vMerge) merged cell at every grid position, which would print a number
twice; here each ``w:tc`` is read once, its ``gridSpan`` is its column span, and a vMerge
continuation lengthens the row span of the cell above it.

A .docx is a ZIP, and a few KB of it can inflate to gigabytes: before python-docx reads it (whole, into
memory), each member's declared size and the bytes it actually inflates to, counted while streaming,
must stay within MAX_MEMBER, and all of them within MAX_TOTAL.
"""
from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from builder.errors import UnreadableReport
from builder.models import Block, Cell, Grid, Origin


def _cell_text(cell: _Cell) -> str:
    # paragraphs of a cell on lines of their own: "1" and "2" are two numbers, not 12
    return "\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def _grid(table: Table, ordinal: int | None = None) -> Grid:
    """``ordinal``: the table's number in document order (each cell's origin names it, its row and column)."""
    cells: list[Cell] = []
    open_cells: dict[int, int] = {}  # column → index in ``cells`` of the cell a vMerge may continue
    width = 0
    for r, tr in enumerate(table._tbl.tr_lst):
        col = _grid_before(tr)
        for tc in tr.tc_lst:
            span = max(1, tc.grid_span)
            if tc.vMerge == "continue" and col in open_cells:
                above = cells[open_cells[col]]
                cells[open_cells[col]] = Cell(above.text, above.row, above.col, r - above.row + 1, above.colspan,
                                              origin=above.origin)
            else:
                cells.append(Cell(_cell_text(_Cell(tc, table)), r, col, 1, span,
                                  origin=Origin(table=ordinal, row=r + 1, column=col + 1)))
                for c in range(col, col + span):
                    open_cells.pop(c, None)
                if tc.vMerge == "restart":
                    open_cells[col] = len(cells) - 1
            col += span
        width = max(width, col)
    return Grid(tuple(cells), len(table._tbl.tr_lst), width)


def _grid_before(tr) -> int:
    """Columns a row leaves out at its start (``w:gridBefore``)."""
    trpr = tr.trPr
    before = trpr.find(qn("w:gridBefore")) if trpr is not None else None
    return int(before.get(qn("w:val"), "0")) if before is not None else 0


def _is_layout(table: Table) -> bool:
    """A table that lays out the page (one cell, or cells holding tables): its content is read."""
    cells = [tc for tr in table._tbl.tr_lst for tc in tr.tc_lst]
    return len(cells) == 1 or any(tc.tbl_lst for tc in cells)


def _blocks(container, ordinals: dict | None = None) -> list[Block]:
    """``ordinals``: {w:tbl element: its number among the document's tables, in document order}."""
    ordinals = {} if ordinals is None else ordinals
    blocks: list[Block] = []
    for item in container.iter_inner_content():
        if isinstance(item, Paragraph):
            style = (item.style.name if item.style is not None else "") or ""
            if style.lower().startswith(("heading", "title")) and item.text.strip():
                level = int(style.split()[-1]) if style.split()[-1].isdigit() else 1
                blocks.append(Block("heading", item.text.strip(), level=level))
            else:
                blocks.append(Block("line", item.text))
        elif _is_layout(item):
            for tr in item._tbl.tr_lst:
                for tc in tr.tc_lst:
                    blocks.extend(_blocks(_Cell(tc, item), ordinals))
        else:
            blocks.append(Block("table", grid=_grid(item, ordinals.get(item._tbl))))
    return blocks


MAX_MEMBER = 50 * 1024 * 1024  # a report's document.xml is well under 5 MB; its largest image rarely 10 MB
MAX_TOTAL = 200 * 1024 * 1024  # all members together: python-docx holds every part in memory
_CHUNK = 1024 * 1024


def _within_bounds(path: Path) -> None:
    """Raise UnreadableReport when a member of the ZIP inflates beyond MAX_MEMBER, or all beyond MAX_TOTAL;
    a file that is no ZIP is left for python-docx to refuse."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    total = 0
    with archive:
        for info in archive.infolist():
            inflated = 0
            if info.file_size <= MAX_MEMBER and total + info.file_size <= MAX_TOTAL:
                try:
                    with archive.open(info) as member:
                        while chunk := member.read(_CHUNK):  # zlib inflates at most _CHUNK bytes a call
                            inflated += len(chunk)
                            if inflated > MAX_MEMBER or total + inflated > MAX_TOTAL:
                                break
                except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, EOFError, ValueError,
                        zlib.error) as exc:  # python-docx would inflate the part whole before seeing this
                    raise UnreadableReport(path, f"not a readable Word .docx file: its part {info.filename[:80]} is "
                                                 f"damaged ({exc})",
                                           "open it in Word or WPS and save it again as .docx, or commit the PDF") from exc
            size = max(info.file_size, inflated)
            if size > MAX_MEMBER or total + size > MAX_TOTAL:
                what = (f"its part {info.filename[:80]} expands to more than {MAX_MEMBER // 2**20} MB"
                        if size > MAX_MEMBER else f"its parts expand to more than {MAX_TOTAL // 2**20} MB")
                raise UnreadableReport(path, f"not read: {what} (a report is far smaller; the file may be "
                                             f"damaged or built to exhaust memory)",
                                       "open it in Word or WPS and save it again as .docx, or commit the PDF")
            total += size


def read(path: Path) -> tuple[Block, ...]:
    _within_bounds(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableReport(path, "not a Word .docx file (damaged, or an old binary .doc)",
                               "open it in Word or LibreOffice and save it as .docx, or commit the PDF") from exc
    tables = list(document.element.body.iter(qn("w:tbl")))  # held, so each element keeps its proxy
    blocks = _blocks(document, {tbl: n for n, tbl in enumerate(tables, 1)})
    if not any((b.text.strip() or b.rows) for b in blocks):
        raise UnreadableReport(path, "the Word file has no text", "commit the report's full file")
    return tuple(blocks)
