"""Tables broken across a page as Word breaks them (issue #34's layout class "table 四 header at a page's
foot"): one table, the page ending after a chosen row of its grid, in a Word-made PDF.

A variant's ``Shape.break_at`` is (table key, grid row that begins the next page). Its Word file puts
the table on a fresh page below an empty paragraph of exact height (the spacer), its rows unsplittable;
``tests/make_variant_pdfs.py`` renders it once to measure the table's rows as LibreOffice lays them
out, sets the spacer so that the page ends just before that row, renders again and checks that it does
(``render``). Word's other options on such a table: its first rows repeated at the top of the next page
("repeat as header row", ``Shape.repeat_rows``). A table whose continuation has no rule on the new
page's top edge (``Shape.open_top``) is two Word tables, a page break between them (``split``).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

MARKERS = {"review_litigation": "行政复议", "applications": "申请人情况", "active_disclosure": "第二十条"}
BODY_BOTTOM = 792.0 - 72.0  # python-docx's default page (Letter) less its bottom margin, in points
FIRST_SPACER = 2.0  # the spacer's height in the measuring render


def add_spacer(box, height: float) -> None:
    """The empty paragraph at the top of a new page that pushes the table down to the page's foot."""
    p = box.add_paragraph()
    p.paragraph_format.page_break_before = True
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = Pt(max(height, 1.0))  # a Length: exact line spacing
    p.paragraph_format.first_line_indent = None
    p.add_run("").font.size = Pt(1)


def _border(tc, edge: str, value: str) -> None:
    tc_pr = tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tc_pr.append(borders)
    el = OxmlElement(f"w:{edge}")
    el.set(qn("w:val"), value)
    if value != "nil":
        for k, v in {"sz": "4", "space": "0", "color": "000000"}.items():
            el.set(qn(f"w:{k}"), v)
    borders.append(el)


def shape_table(table, repeat_rows: int) -> None:
    """Rows kept whole (the page ends between rows), the first ``repeat_rows`` repeated on every page."""
    for i, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if i < repeat_rows:
            tr_pr.append(OxmlElement("w:tblHeader"))


def split(grid, break_row: int):
    """``grid`` cut before ``break_row`` into two grids (Word's split table): a cell spanning the cut
    keeps its text above it, its slots below are left empty."""
    from make_fixtures import Grid

    head = tuple(replace(c, rowspan=min(c.rowspan, break_row - c.row)) for c in grid.cells if c.row < break_row)
    rest = tuple(replace(c, row=c.row - break_row) for c in grid.cells if c.row >= break_row)
    return Grid(grid.width, break_row, head), Grid(grid.width, grid.height - break_row, rest)


def open_top(table) -> None:
    """No rule on the table's top edge (LibreOffice tops a table continued by the page with a rule
    whatever its borders say: a table with an open top on a new page is a second table)."""
    for edge in table._tbl.tblPr.find(qn("w:tblBorders")).iterchildren(qn("w:top")):
        edge.set(qn("w:val"), "nil")


def _row_tops(pdf_path: Path, key: str) -> tuple[int, list[float], float] | None:
    """(page index, tops of the table's rows on the page where it begins, its bottom there)."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        for index, page in enumerate(pdf.pages):
            for table in page.find_tables():
                first = " ".join(t or "" for t in (table.extract() or [[]])[0])
                if MARKERS[key] in first.replace("\n", ""):
                    return index, sorted({round(c[1], 1) for c in table.cells}), round(table.bbox[3], 1)
    return None


def _rules_below(pdf_path: Path, index: int, top: float) -> int:
    """How many horizontal rules page ``index`` draws from ``top`` down (near ones counted once)."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        ys = sorted(round(e["top"], 1) for e in pdf.pages[index].horizontal_edges if e["top"] >= top - 2)
    return sum(1 for i, y in enumerate(ys) if i == 0 or y - ys[i - 1] > 1.5)


def render(make_docx, to_pdf, docx_path: Path, pdf_path: Path, key: str, break_row: int) -> bool:
    """``make_docx(path, spacer)`` rendered by ``to_pdf`` with the page ending before ``break_row``: the
    table measured on a page of its own, then pushed down so that the row's top stands a little above
    the page's foot (it cannot fit, the rows above it do), and the page checked to draw the rules of
    exactly the rows before it (a row of one cell is no table to pdfplumber, but it is ruled)."""
    make_docx(docx_path, FIRST_SPACER)
    if not to_pdf(docx_path, pdf_path):
        return False
    found = _row_tops(pdf_path, key)
    if found is None:
        raise SystemExit(f"{pdf_path.name}: no table beginning with {MARKERS[key]} found to measure")
    index, tops, bottom = found
    if break_row >= len(tops):
        raise SystemExit(f"{pdf_path.name}: the table has {len(tops)} rows on one page, not {break_row + 1}")
    height = (tops[break_row + 1] if break_row + 1 < len(tops) else bottom) - tops[break_row]
    shift = BODY_BOTTOM - min(height / 2, 8.0) - tops[break_row]  # how far down the table must go
    for nudge in (0.0, -4.0, 4.0):  # LibreOffice's rounding: a few points either way
        make_docx(docx_path, FIRST_SPACER + shift + nudge)
        to_pdf(docx_path, pdf_path)
        if _rules_below(pdf_path, index, tops[0] + shift + nudge) == break_row + 1:
            return True
    raise SystemExit(f"{pdf_path.name}: the page does not end before row {break_row} of {key}")
