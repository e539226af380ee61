"""Tables continued on the next page of a PDF (extract/formats/continued.py, issue #34): a grid that ends
a page and one that begins the next, their edges in line, are one grid; a header cell the page cut in
two is read as one label (extract/grids.py). tests/test_variants.py holds the Word-made PDFs of the class
(tests/table_breaks.py); these are the small cases."""
from __future__ import annotations

from builder.extract.formats.continued import join_pages
from builder.extract.grids import grids_to_tables
from builder.extract.templates import TEMPLATES
from builder.models import Block, Cell, Grid, Origin

T2021 = TEMPLATES["2021"]
RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
LEFT, WIDTH = 80.0, 30.0  # table 四's 15 columns, in points


def _cell(text: str, row: int, col: int, page: int, top: float, bottom: float, colspan: int = 1, rowspan: int = 1) -> Cell:
    box = (LEFT + col * WIDTH, top, LEFT + (col + colspan) * WIDTH, bottom)
    return Cell(text, row, col, rowspan, colspan, origin=Origin(page=page, box=box))


def _table(cells: list[Cell]) -> Block:
    return Block("table", grid=Grid(tuple(cells), 1 + max(c.row + c.rowspan - 1 for c in cells),
                                    1 + max(c.col + c.colspan - 1 for c in cells)))


def _line(text: str, page: int) -> Block:
    return Block("line", text, origin=Origin(page=page))


GROUPS = [_cell("行政复议", 0, 0, 4, 690, 710, colspan=5), _cell("行政诉讼", 0, 5, 4, 690, 710, colspan=10)]
NUMBERS = [str(i) for i in range(15)]


def _rest(page: int, first_row: int = 0) -> list[Cell]:
    """Table 四 below its group row: the review's results over two rows, litigation's two groups."""
    r = first_row
    return [*(_cell(h, r, i, page, 72, 160, rowspan=2) for i, h in enumerate(RESULTS)),
            _cell("未经复议直接起诉", r, 5, page, 72, 96, colspan=5), _cell("复议后起诉", r, 10, page, 72, 96, colspan=5),
            *(_cell(h, r + 1, 5 + i, page, 96, 160) for i, h in enumerate(RESULTS * 2)),
            *(_cell(n, r + 2, i, page, 160, 184) for i, n in enumerate(NUMBERS))]


def _read(blocks: list[Block]):
    return grids_to_tables([b.grid for b in blocks if b.kind == "table"], T2021)


def _all_right(reading) -> bool:
    values = reading.values["review_litigation"]
    got = [values[g][c] for g in ("review", "litigation_direct", "litigation_after_review")
           for c in ("upheld", "corrected", "other", "pending", "total")]
    return got == list(range(15)) and not [f for f in reading.findings if f.where.startswith("review_litigation")]


def test_the_group_row_at_a_pages_foot_joins_the_rest_of_the_table_on_the_next():
    pages = [[_line("四、政府信息公开行政复议、行政诉讼情况", 4), _table(GROUPS), _line("- 4 -", 4)],
             [_line("- 5 -", 5), _table(_rest(5)), _line("五、存在的主要问题及改进情况", 5)]]
    apart = _read([b for blocks in pages for b in blocks])
    assert "review_litigation.review" in {f.where for f in apart.findings}  # the loss issue #34 reported
    blocks = join_pages(pages)
    assert [b.kind for b in blocks].count("table") == 1
    assert _all_right(_read(blocks))


def test_a_header_cell_the_page_cut_in_two_is_read_as_one_label():
    """结 | 果维持 and 总 | 计 on two pages (a cell merged over two rows, the page between them), with the
    empty rest of 未经复议直接起诉 on the new page and the group row repeated there (Word's header row)."""
    first = [*GROUPS, *(_cell(h[0], 1, i, 4, 710, 722) for i, h in enumerate(RESULTS)),
             _cell("未经复议直接起诉", 1, 5, 4, 710, 722, colspan=5), _cell("复议后起诉", 1, 10, 4, 710, 722, colspan=5)]
    repeated = [_cell("行政复议", 0, 0, 5, 60, 72, colspan=5), _cell("行政诉讼", 0, 5, 5, 60, 72, colspan=10)]
    second = [*repeated, *(_cell(h[1:], 1, i, 5, 72, 160) for i, h in enumerate(RESULTS)),
              *(_cell("", 1, 5 + 5 * k, 5, 72, 80, colspan=5) for k in range(2)),
              *(_cell(h, 2, 5 + i, 5, 80, 160) for i, h in enumerate(RESULTS * 2)),
              *(_cell(n, 3, i, 5, 160, 184) for i, n in enumerate(NUMBERS))]
    blocks = join_pages([[_table(first)], [_table(second)]])
    assert len(blocks) == 1
    assert _all_right(_read(blocks))


def test_tables_apart_stay_apart():
    """Prose between them, edges not in line, or pages not next to each other: two tables."""
    rest = _table(_rest(5))
    assert len(join_pages([[_table(GROUPS), _line("（一）行政复议情况", 4)], [rest]])) == 3
    assert len(join_pages([[_table(GROUPS)], [_line("表4", 5), rest]])) == 3
    narrow = [_cell(c.text, c.row, c.col, 4, 690, 710, colspan=c.colspan - 1) for c in GROUPS]
    assert len(join_pages([[_table(narrow)], [rest]])) == 2
    assert len(join_pages([[_table(GROUPS)], [], [_table(_rest(6))]])) == 2
