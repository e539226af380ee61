"""Word reports (.docx, python-docx): paragraphs as lines, tables as grids, in document order.

A merged cell is one cell: python-docx repeats the text of a horizontally (gridSpan) or vertically
(vMerge) merged cell at every grid position, which would print a number twice; each ``w:tc`` is
read once here and a vMerge continuation is an empty cell.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from builder.errors import UnreadableReport
from builder.models import Block


def _cell_text(cell: _Cell) -> str:
    return "".join(p.text for p in cell.paragraphs).strip()


def _table_rows(table: Table) -> tuple[tuple[str, ...], ...]:
    rows = []
    for tr in table._tbl.tr_lst:
        cells = []
        for tc in tr.tc_lst:
            continued = tc.vMerge == "continue"
            cells.append("" if continued else _cell_text(_Cell(tc, table)))
        rows.append(tuple(cells))
    return tuple(rows)


def read(path: Path) -> tuple[Block, ...]:
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableReport(path, "not a Word .docx file (damaged, or an old binary .doc)",
                               "open it in Word or LibreOffice and save it as .docx, or commit the PDF") from exc
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            style = (item.style.name if item.style is not None else "") or ""
            if style.lower().startswith(("heading", "title")) and item.text.strip():
                level = int(style.split()[-1]) if style.split()[-1].isdigit() else 1
                blocks.append(Block("heading", item.text.strip(), level=level))
            else:
                blocks.append(Block("line", item.text))
        else:
            blocks.append(Block("table", rows=_table_rows(item)))
    if not any((b.text.strip() or b.rows) for b in blocks):
        raise UnreadableReport(path, "the Word file has no text", "commit the report's full file")
    return tuple(blocks)
