"""Scanned PDFs read by OCR (fixtures made by tests/make_scan_and_doc_fixtures.py): only pages without a
text layer are recognised, results are cached, OCR'd numbers are published only when cross-checked,
and the report page says the text was recognised from a scan. Each fixture is recognised once per
session (the session's OCR cache, conftest.py)."""
from __future__ import annotations

import time

import pypdfium2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.extract.formats import ocr, pdf, scan
from builder.extract.ocr_numbers import read_number
from builder.extract.report import document_to_report
from builder.extract.templates import SECTIONS, TEMPLATES
from builder.models import Block, Cell, Document, Grid, Report
from builder.pipeline import parse
from builder.render.site import render_site
from conftest import REPORTS, cells, expected_of
from factories import make_source

SCANNED = REPORTS / "scanned-every-page-image-seals-rotated-2021-hongze.pdf"
MIXED = REPORTS / "mixed-text-pages-and-scanned-table-pages-2019-aimin.pdf"


@pytest.fixture(scope="module")
def scanned() -> Report:
    report = parse(SCANNED)
    assert isinstance(report, Report), report
    return report


@pytest.mark.slow  # OCR of a scanned fixture
def test_only_pages_without_a_text_layer_are_recognised(monkeypatch):
    seen = []
    read_page = scan.read_page
    monkeypatch.setattr(scan, "read_page", lambda path, index: seen.append(index) or read_page(path, index))
    blocks = pdf.read(MIXED)
    assert seen == [2, 3]
    assert any(b.kind == "note" and "第 3、4 页是扫描图像" in b.text for b in blocks)
    grids = [b.grid for b in blocks if b.kind == "table"]
    assert any(all(c.confidence is not None for c in g.cells) for g in grids)  # recognised, cell by cell
    assert any(all(c.confidence is None for c in g.cells) for g in grids)  # from the text layer


@pytest.mark.slow  # OCR of a scanned fixture
def test_a_scanned_table_comes_as_a_grid_of_recognised_cells(scanned):
    blocks = pdf.read(SCANNED)  # from the OCR cache
    grids = [b.grid for b in blocks if b.kind == "table"]
    assert grids and all(c.confidence is not None for g in grids for c in g.cells)
    row = next(r for g in grids for r in g.rows if r and "本年新收" in "".join(r))
    assert [c for c in row if c][-7:] == ["21", "0", "0", "0", "0", "0", "21"]
    merged = [c for g in grids for c in g.cells if c.rowspan > 1 or c.colspan > 1]
    assert any(c.text == "（三）不予公开" and c.rowspan == 8 for c in merged)  # spans from the rulings
    assert any(c.text == "行政诉讼" and c.colspan == 10 for c in merged)
    lines = [b for b in blocks if b.kind == "line"]
    assert lines and all(b.confidence is not None for b in lines)


@pytest.mark.slow  # OCR of a scanned fixture
def test_recognised_pages_are_cached_by_content(scanned, monkeypatch):
    monkeypatch.setattr(ocr, "engine", lambda threads: pytest.fail("recognised again instead of read from the cache"))
    assert pdf.read(SCANNED)


@pytest.mark.slow  # OCR of a scanned fixture
def test_recognition_time_is_not_counted_in_the_pdfs_time_budget(scanned, monkeypatch):
    # a page recognised before costs nothing (the OCR cache): counting recognition would make the
    # pages read depend on the cache
    read_page, plain = scan.read_page, pdf.read(SCANNED)

    def slow(path, index):
        started = time.process_time()
        while time.process_time() - started < 0.5:
            pass
        return read_page(path, index)

    monkeypatch.setattr(scan, "read_page", slow)
    monkeypatch.setattr(pdf, "TIME_BUDGET", 1.0)
    blocks = pdf.read(SCANNED)
    assert blocks == plain and not any(b.kind == "note" and "用时超过" in b.text for b in blocks)


def test_a_huge_page_is_rendered_at_a_bounded_size():
    doc = pypdfium2.PdfDocument.new()
    page = doc.new_page(14400, 14400)  # the largest page a PDF allows: 200 inches square
    assert max(scan.render(page).shape) <= scan.MAX_SIDE
    doc.close()


@pytest.mark.slow  # OCR of a scanned fixture
def test_numbers_that_break_their_row_are_unknown_with_what_was_read(scanned):
    review = scanned.tables["review_litigation"]["review"]
    assert all(v is None for v in review.values())  # printed 10/1/0/0 → 总计 0: the row does not add up
    warning = next(w for w in scanned.warnings if w.where == "review_litigation.review.upheld")
    assert warning.code == "cell.ocr_uncertain" and "「10」" in warning.message
    assert scanned.tables["applications"]["new_received"]["total"] == 21  # its row and column add up


@pytest.mark.slow  # OCR of a scanned fixture
def test_the_report_page_says_the_text_was_recognised_from_a_scan(scanned):
    pages = render_site([scanned], [])
    page = next(text for name, text in pages.items()
                if name.startswith("reports/") and name != "reports/index.md" and "# 淮安市洪泽区人民政府" in text)
    assert "文字来源" in page and "文字识别（OCR）" in page


@pytest.mark.parametrize("text,digits,confusions", [
    ("1O", "10", ("O→0",)), ("〇", "0", ("〇→0",)), ("丨2", "12", ("丨→1",)), ("l5", "15", ("l→1",)),
    ("S", "5", ("S→5",)), ("B1", "81", ("B→8",)), ("２１", "21", ()), ("7730.28", "7730.28", ()),
])
def test_digit_lookalikes_are_read_and_said(text, digits, confusions):
    number = read_number(text)
    assert number is not None and (number.text, number.confusions) == (digits, confusions)


@pytest.mark.parametrize("text", ["", "万元", "1 0", "0 0", "总计", "2623.7200 万元（计划）", "3.其他"])
def test_other_text_is_not_a_number(text):
    assert read_number(text) is None


# ---------------------------------------------------------------- property: a broken row is never published

_T = TEMPLATES["2021"]
_APPS = _T.table("applications")


def _document(rows: dict[str, list[str]], confidence: float = 0.999, as_lines: bool = False) -> Document:
    """A one-table scanned report: table 三 as an OCR grid (label + seven cells per row), or as
    recognised lines of text that make no grid (``as_lines``)."""
    lines = [Block("line", "某某县人民政府2023年政府信息公开工作年度报告", confidence=0.999)]
    cells, text = [], []
    for r, row in enumerate(_APPS.rows):
        cells.append(Cell(row.label, r, 0, confidence=0.999))
        cells += [Cell(c, r, 1 + i, confidence=confidence, uncertain=confidence < scan.SURE)
                  for i, c in enumerate(rows[row.key])]
        text.append(Block("line", " ".join((row.label, *rows[row.key])), confidence=confidence,
                          uncertain=confidence < scan.SURE))
    for key, heading in SECTIONS:
        lines.append(Block("line", heading, confidence=0.999))
        lines.append(Block("line", "本年度情况如下。", confidence=0.999))
        if key == "applications":
            lines += text if as_lines else [Block("table", grid=Grid(tuple(cells), len(_APPS.rows), 8))]
    return Document(make_source("reports/某省/某县/scan.pdf", "x", ("某省", "某县"), "pdf"), tuple(lines))


@st.composite
def consistent_applications(draw):
    """Table 三 whose rows add up (总计 = the six applicant columns) and whose columns balance."""
    outcome_rows = [r.key for r in _APPS.rows[2:-2]]
    values: dict[str, list[int]] = {}
    for key in outcome_rows:
        values[key] = draw(st.lists(st.integers(0, 30), min_size=6, max_size=6))
    values["total_processed"] = [sum(values[k][i] for k in outcome_rows) for i in range(6)]
    values["carried_forward"] = draw(st.lists(st.integers(0, 5), min_size=6, max_size=6))
    values["carried_over"] = [min(c, t) for c, t in zip(draw(st.lists(st.integers(0, 5), min_size=6, max_size=6)),
                                                         values["total_processed"])]
    values["new_received"] = [t + f - o for t, f, o in zip(values["total_processed"], values["carried_forward"],
                                                           values["carried_over"])]
    return {k: [*v, sum(v)] for k, v in values.items()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(truth=consistent_applications(), data=st.data())
def test_an_ocr_cell_that_breaks_its_rows_sum_is_never_published(truth, data):
    row = data.draw(st.sampled_from(sorted(truth)))
    column = data.draw(st.integers(0, 6))
    misread = data.draw(st.integers(0, 99).filter(lambda v: v != truth[row][column]))
    printed = {k: [str(v) for v in vs] for k, vs in truth.items()}
    printed[row][column] = str(misread)  # read with full confidence, and wrong
    # in a grid of cells, or as recognised lines that the text reader places: the same cross-check
    report = document_to_report(_document(printed, as_lines=data.draw(st.booleans())))
    key = _APPS.rows[[r.key for r in _APPS.rows].index(row)].columns[column].key
    published = report.tables["applications"]
    assert published[row][key] is None
    assert any(w.code == "cell.ocr_uncertain" and w.where == f"applications.{row}.{key}" for w in report.warnings)
    for r in _APPS.rows:  # and nothing else published is wrong
        for i, c in enumerate(r.columns):
            assert published[r.key][c.key] in (None, truth[r.key][i]) or (r.key, i) == (row, column)


def test_a_lookalike_confirmed_by_the_sums_is_published_and_said():
    truth = {r.key: [0] * 7 for r in _APPS.rows}
    for key in ("new_received", "granted", "total_processed"):
        truth[key] = [10, 0, 0, 0, 0, 0, 10]
    printed = {k: [str(v) for v in vs] for k, vs in truth.items()}
    printed["granted"][0] = "1O"
    report = document_to_report(_document(printed))
    assert report.tables["applications"]["granted"]["natural_person"] == 10
    assert any(w.code == "cell.ocr_lookalike" and w.where == "applications.granted.natural_person" and "O→0" in w.message
               for w in report.warnings)


def test_low_confidence_cells_are_unknown_even_when_the_sums_hold():
    truth = {r.key: ["0"] * 7 for r in _APPS.rows}
    report = document_to_report(_document(truth, confidence=0.6))
    assert all(v is None for row in report.tables["applications"].values() for v in row.values())
    assert all(w.code != "cell.ocr_uncertain" or "置信度 0.60" in w.message for w in report.warnings)


@pytest.mark.slow  # OCR of a scanned fixture
def test_a_scan_whose_ruling_lines_are_not_seen_is_read_from_the_boxes_positions(scanned, monkeypatch):
    # as a faint scan or a table printed without rules: columns from where the numbers stand
    monkeypatch.setattr(scan, "rulings", lambda gray, sealed=None: [])
    report = parse(SCANNED)  # boxes from the OCR cache
    expected = expected_of(SCANNED)
    wrong = [(p, v) for p, v in cells(expected["tables"])
             if (got := _at(report.tables, p)) is not None and got != v]
    assert not wrong
    assert report.tables["applications"]["new_received"] == scanned.tables["applications"]["new_received"]


def _at(tables, path):
    table, row, column = path.split(".")
    return tables[table][row][column]


def test_recognised_lines_that_make_no_grid_go_through_the_same_cross_check():
    truth = {r.key: [0] * 7 for r in _APPS.rows}
    for key in ("new_received", "granted", "total_processed"):
        truth[key] = [10, 0, 0, 0, 0, 0, 10]
    printed = {k: [str(v) for v in vs] for k, vs in truth.items()}
    report = document_to_report(_document(printed, as_lines=True))  # read surely, and the sums hold
    assert all(report.tables["applications"][r.key][c.key] == truth[r.key][i]
               for r in _APPS.rows for i, c in enumerate(r.columns))
    printed["granted"][0] = "1O"  # a look-alike in the text: the text reader would read the 1 of it
    report = document_to_report(_document(printed, as_lines=True))
    apps = report.tables["applications"]
    assert apps["granted"]["natural_person"] is None
    assert all(v is None for row in apps.values() for v in row.values())  # no cell of the text vouched alone
    assert any(w.code == "cell.ocr_uncertain" and w.where == "applications.granted.total" for w in report.warnings)
