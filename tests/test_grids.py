"""The grid reader (extract/grids.py) on small grids: a number is read in the cell where it stands,
a blank cell is one unknown cell, a number printed once in a merged cell belongs to none of the cells
it covers, and an uncertain (OCR) number stays only where the template's rules vouch for it."""
from __future__ import annotations

from builder.extract.grids import grids_to_tables
from builder.extract.scanned import cross_check
from builder.extract.templates import TEMPLATES
from builder.models import Cell, Grid

T2019 = TEMPLATES["2019"]
HEAD = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _apps(rows: list[list[str]], extra_header: list[str] | None = None) -> Grid:
    return Grid.from_rows([["申请人情况", *(extra_header or HEAD)], *rows])


def _read(*grids: Grid, template=T2019):
    return grids_to_tables(list(grids), template)


def _warned(reading, path: str) -> set[str]:
    return {f.code for f in reading.findings if f.where == path}


def test_a_blank_cell_is_one_unknown_cell():
    reading = _read(_apps([["一、本年新收政府信息公开申请数量", "3", "", "", "", "", "", "3"],
                           ["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0"]]))
    row = reading.values["applications"]["new_received"]
    assert row["natural_person"] == 3 and row["total"] == 3
    assert row["commercial_enterprise"] is None
    assert _warned(reading, "applications.new_received.commercial_enterprise") == {"cell.blank"}


def test_columns_come_from_the_headers_not_from_the_order():
    header = ["自然人", "备注", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    reading = _read(_apps([["一、本年新收政府信息公开申请数量", "3", "x", "1", "0", "0", "0", "0", "4"],
                           ["（一）予以公开", "2", "", "1", "0", "0", "0", "0", "3"]], header))
    assert reading.values["applications"]["new_received"]["commercial_enterprise"] == 1
    assert reading.values["applications"]["granted"]["total"] == 3


def test_a_number_in_a_merged_cell_counts_in_no_cell():
    cells = [Cell("申请人情况", 0, 0), *(Cell(h, 0, 1 + i) for i, h in enumerate(HEAD)),
             Cell("一、本年新收政府信息公开申请数量", 1, 0), Cell("3", 1, 1), Cell("0", 1, 2, colspan=5),
             Cell("3", 1, 7),
             Cell("二、上年结转政府信息公开申请数量", 2, 0), *(Cell("0", 2, 1 + i) for i in range(7))]
    reading = _read(Grid(tuple(cells), 3, 8))
    row = reading.values["applications"]["new_received"]
    assert row["natural_person"] == 3 and row["total"] == 3
    for col in ("commercial_enterprise", "research_institution", "social_organization", "legal_service_agency",
                "other_organization"):
        assert row[col] is None and _warned(reading, f"applications.new_received.{col}") == {"cell.merged"}


def test_a_label_typo_within_the_budget_is_read_and_no_guess_between_two():
    reading = _read(_apps([["2.其他法律行政止公开", "1", "0", "0", "0", "0", "0", "1"],
                           ["1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"]]))
    assert reading.values["applications"]["denied_prohibited_by_law"]["total"] == 1
    # "本年新公开数量" is one edit from 本年新制作数量's neighbour: a header between two is not read
    active = Grid.from_rows([["信息内容", "本年新X开数量", "本年新公开数量", "对外公开总数量"],
                             ["规章", "1", "2", "3"], ["规范性文件", "4", "5", "6"]])
    values = _read(active).values["active_disclosure"]["regulations"]
    assert values == {"made": 1, "published": 2, "total_public": 3}  # read in order: as many cells as columns


def test_table_four_is_read_by_its_header_labels():
    cells = [Cell("行政复议", 0, 0, colspan=5), Cell("行政诉讼", 0, 5, colspan=10),
             *(Cell(h, 1, i, rowspan=2) for i, h in enumerate(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"])),
             Cell("未经复议直接起诉", 1, 5, colspan=5), Cell("复议后起诉", 1, 10, colspan=5),
             *(Cell(h, 2, 5 + i) for i, h in enumerate(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)),
             *(Cell(str(i), 3, i) for i in range(15))]
    values = _read(Grid(tuple(cells), 4, 15)).values["review_litigation"]
    assert values["review"]["upheld"] == 0 and values["litigation_direct"]["upheld"] == 5
    assert values["litigation_after_review"]["total"] == 14


def _uncertain_grid(total: str, uncertain_cell: int, confidence: float = 0.96, text: str = "3") -> Grid:
    cells = [Cell("申请人情况", 0, 0), *(Cell(h, 0, 1 + i) for i, h in enumerate(HEAD)),
             Cell("一、本年新收政府信息公开申请数量", 1, 0)]
    for i, printed in enumerate([text, "1", "0", "0", "0", "0", total]):
        cells.append(Cell(printed, 1, 1 + i, confidence=confidence if i == uncertain_cell else 0.99,
                          uncertain=i == uncertain_cell))
    cells += [Cell("二、上年结转政府信息公开申请数量", 2, 0), *(Cell("0", 2, 1 + i) for i in range(7))]
    return Grid(tuple(cells), 3, 8)


def _checked(grid: Grid):
    """The grid read, its recognised numbers cross-checked as report.py does (extract/scanned.py)."""
    reading = _read(grid)
    values, findings = cross_check(T2019, reading.values, reading.recognised)
    return values["applications"]["new_received"], {f.where.split(".")[-1]: f.code for f in findings}


def test_an_uncertain_ocr_number_stays_only_where_its_rules_hold():
    kept, _ = _checked(_uncertain_grid("4", 0))
    assert kept["natural_person"] == 3  # 3 + 1 = 4: the row's total vouches for it
    row, warned = _checked(_uncertain_grid("5", 0))
    assert row["natural_person"] is None and warned["natural_person"] == "cell.ocr_uncertain"
    # the row's sum fails: any of its recognised numbers may be the misread one, sure or not
    assert row["total"] is None and warned["total"] == "cell.ocr_uncertain"
    row, warned = _checked(_uncertain_grid("4", 0, confidence=0.4))  # too unsure for any rule to vouch
    assert row["natural_person"] is None and warned["natural_person"] == "cell.ocr_uncertain"


def test_digit_lookalikes_in_a_recognised_cell_are_read_and_said():
    reading = _read(_uncertain_grid("4", 0, confidence=0.99, text="l0"))  # 10 + 1 ≠ 4: the row fails
    assert reading.recognised["applications.new_received.natural_person"].lookalikes == ("l→1",)
    row, warned = _checked(_uncertain_grid("4", 0, confidence=0.99, text="S"))  # 5 + 1 ≠ 4
    assert row["natural_person"] is None
    row, warned = _checked(_uncertain_grid("6", 0, confidence=0.99, text="S"))  # 5 + 1 = 6: vouched
    assert row["natural_person"] == 5 and warned["natural_person"] == "cell.ocr_lookalike"


def test_a_lookalike_beside_digits_is_no_number():
    row = _read(_uncertain_grid("4", 0, confidence=0.99, text="3O件")).values["applications"]["new_received"]
    assert row["natural_person"] is None
    text_layer = _read(_apps([["一、本年新收政府信息公开申请数量", "B1", "0", "0", "0", "0", "0", "1"],
                              ["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0"]]))
    assert text_layer.values["applications"]["new_received"]["natural_person"] is None  # never the 1 of B1


T2021 = TEMPLATES["2021"]
ISSUED = ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]


def test_a_row_label_of_the_other_format_names_the_row():
    """规范性文件 (2019) in a 2021 table 二, 行政规范性文件 (2021) in a 2019 one: the row is read."""
    reading = _read(Grid.from_rows([ISSUED, ["规章", "1", "0", "5"], ["规范性文件", "10", "7", "77"]]),
                    template=T2021)
    assert reading.values["active_disclosure"]["normative_documents"] == {"issued": 10, "repealed": 7, "in_force": 77}
    made = ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]
    reading = _read(Grid.from_rows([made, ["规章", "1", "0", "5"], ["行政规范性文件", "10", "7", "77"]]))
    assert reading.values["active_disclosure"]["normative_documents"]["total_public"] == 77


def _table4(*extra_rows: list[str]) -> Grid:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    numbers = [str(i) for i in range(15)]
    return Grid.from_rows([["行政复议"] * 5 + ["行政诉讼"] * 10,
                           [""] * 5 + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
                           results * 3, numbers, *extra_rows])


def test_an_empty_row_below_table_4s_numbers_is_no_cell_of_it():
    """Word's spacer row (<![if !supportMisalignedColumns]>: one empty cell per column) under table 四:
    its blank cells stand under the same labels, but the numbers are read, not nulled as printed twice."""
    reading = _read(_table4([""] * 15), template=T2021)
    assert reading.values["review_litigation"]["review"]["upheld"] == 0
    assert reading.values["review_litigation"]["litigation_after_review"]["total"] == 14
    assert not [f for f in reading.findings if f.where.startswith("review_litigation")]


def test_a_blank_table_4_is_unknown_cell_by_cell():
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    grid = Grid.from_rows([["行政复议"] * 5 + ["行政诉讼"] * 10,
                           [""] * 5 + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5, results * 3, [""] * 15, [""] * 15])
    reading = _read(grid, template=T2021)
    assert reading.values["review_litigation"]["review"]["upheld"] is None
    assert _warned(reading, "review_litigation.review.upheld") == {"cell.blank"}


def test_a_read_below_the_threshold_is_kept_only_as_the_one_doubtful_cell_of_a_rule_that_holds():
    """Confidence judged with the template's rules (issue #34): 0.92 < MIN_CONFIDENCE, but the row's
    total vouches for it when every other cell of the row was read surely."""
    row, warned = _checked(_uncertain_grid("4", 0, confidence=0.92))
    assert row["natural_person"] == 3 and "natural_person" not in warned
    row, warned = _checked(_uncertain_grid("5", 0, confidence=0.92))  # it breaks the row: never kept
    assert row["natural_person"] is None and warned["natural_person"] == "cell.ocr_uncertain"


def test_two_doubtful_cells_of_one_rule_vouch_for_neither():
    cells = [Cell("申请人情况", 0, 0), *(Cell(h, 0, 1 + i) for i, h in enumerate(HEAD)),
             Cell("一、本年新收政府信息公开申请数量", 1, 0)]
    for i, printed in enumerate(["3", "1", "0", "0", "0", "0", "4"]):
        cells.append(Cell(printed, 1, 1 + i, confidence=0.92 if i in (0, 1) else 0.99))
    cells += [Cell("二、上年结转政府信息公开申请数量", 2, 0), *(Cell("0", 2, 1 + i, confidence=0.99) for i in range(7))]
    reading = _read(Grid(tuple(cells), 3, 8))
    values, findings = cross_check(T2019, reading.values, reading.recognised)
    row = values["applications"]["new_received"]
    assert row["natural_person"] is None and row["commercial_enterprise"] is None and row["total"] == 4


def test_a_doubtful_read_in_no_rule_stays_unknown():
    """Table 二's cells are in no rule: below the threshold nothing vouches for them."""
    made = ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]
    rows = [made, ["规章", "1", "0", "5"], ["规范性文件", "10", "7", "77"]]
    for confidence, kept in ((0.92, None), (0.99, 77)):
        cells = tuple(Cell(text, r, c, confidence=None if r == 0 or c == 0 else confidence)
                      for r, line in enumerate(rows) for c, text in enumerate(line))
        reading = _read(Grid(cells, 3, 4))
        values, findings = cross_check(T2019, reading.values, reading.recognised)
        assert values["active_disclosure"]["normative_documents"]["total_public"] == kept
        assert (kept is None) == any(f.code == "cell.ocr_uncertain" for f in findings)
