"""Scans as agencies make them (tests/scan_kinds.py), one page of each kind: the table-三 page of the
real 洪泽区 2021 PDF scanned grey at 200 dpi, one-bit at 300 dpi, mailed at 100 dpi, photographed by
phone, sealed over a number, and printed without ruling lines, the other pages keeping their text
layer. Scored on the cells that page holds: none wrong (a doubtful read stays unknown, with its
warning); every kind but the photo and the lineless table reads at least 95% of them right.
benchmarks/variants.py --scan-matrix runs every page of every scannable fixture in every kind.
"""
from __future__ import annotations

import pytest
import scan_kinds
import variants

from builder.extract.formats import dewarp, scan

STEM, PAGE = "pdf-from-word-libreoffice-2021-hongze", 2
HARD = {"photo", "lineless"}  # no 95% floor (issue #34): their figures are reported, not held


BELOW: dict[str, str] = {}  # kinds that do not reach 95% yet (issue #34), held strictly: none since the seal
# is lifted from the text's image (scan.unsealed) and pale rules kept (scan.rulings)
SCORES: dict[str, variants.Score] = {}


def _score(kind: str, folder) -> variants.Score:
    if kind not in SCORES:
        SCORES[kind] = variants.score(scan_kinds.page_variant(STEM, kind, PAGE, folder), folder)
    return SCORES[kind]


@pytest.mark.slow
@pytest.mark.parametrize("kind", scan_kinds.KINDS)
def test_a_page_of_each_scan_kind_has_no_wrong_cell(kind, tmp_path):
    s = _score(kind, tmp_path)
    assert s.total >= 100  # the page holds table 三
    assert not s.wrong, s.wrong[:5]


@pytest.mark.slow
@pytest.mark.parametrize("kind", [pytest.param(k, marks=pytest.mark.xfail(reason=BELOW[k], strict=True))
                                  if k in BELOW else k for k in scan_kinds.KINDS if k not in HARD])
def test_a_page_of_each_scan_kind_but_photo_and_lineless_reads_95_percent_right(kind, tmp_path):
    s = _score(kind, tmp_path)
    assert s.right >= 0.95 * s.total, f"{kind}: {s.right} of {s.total} right"


@pytest.mark.slow  # three scans of a whole report at up to 300 dpi: seconds a kind
@pytest.mark.parametrize("kind", scan_kinds.KINDS)
def test_a_scan_kind_is_the_same_bytes_from_the_same_seed(kind):
    pdf = variants.REPORTS / f"{STEM}.pdf"
    images, dpi, quality = scan_kinds.scan_images(pdf, kind)
    again = scan_kinds.scan_images(pdf, kind)
    one = scan_kinds.images_to_pdf(images[PAGE:PAGE + 1], dpi, quality)
    assert one == scan_kinds.images_to_pdf(again[0][PAGE:PAGE + 1], *again[1:])
    other = scan_kinds.scan_images(pdf, kind, seed=1)
    assert one != scan_kinds.images_to_pdf(other[0][PAGE:PAGE + 1], *other[1:])


def test_a_photo_is_dewarped_and_a_scan_is_left_as_it_is():
    import pypdfium2

    photo = pypdfium2.PdfDocument(scan_kinds.one_page(STEM, "photo", PAGE))
    corners = dewarp.sheet_corners(scan.render(photo[PAGE]))
    assert corners is not None
    flat = dewarp.dewarp(scan.render(photo[PAGE]))
    assert 0.65 < flat.shape[1] / flat.shape[0] < 0.76  # an A4 sheet again (1:1.414)
    for name in ("scanned-every-page-image-seals-rotated-2021-hongze.pdf",
                 "mixed-text-pages-and-scanned-table-pages-2019-aimin.pdf"):
        doc = pypdfium2.PdfDocument(str(variants.REPORTS / name))
        for page in doc:
            gray = scan.render(page)
            assert dewarp.dewarp(gray) is gray  # byte for byte: straight scans read as before
    for kind in set(scan_kinds.KINDS) - {"photo"}:
        doc = pypdfium2.PdfDocument(scan_kinds.one_page(STEM, kind, PAGE))
        assert dewarp.sheet_corners(scan.render(doc[PAGE])) is None, kind


def _row(y: float, label: str, numbers: dict[int, str], xs=(300, 360, 420, 480, 540, 600, 660)) -> list:
    from builder.extract.formats.ocr import Box

    return [Box(label, 20, y, 250, y + 20, 0.99)] + [Box(t, xs[k] - 5, y, xs[k] + 5, y + 20, 0.99)
                                                    for k, t in numbers.items()]


def test_a_lineless_row_with_numbers_missed_keeps_the_columns_of_the_rows_above():
    from builder.extract.formats.ocr import Box

    full = {k: "0" for k in range(7)}
    lines = [_row(100, "一、本年新收", full), _row(130, "二、上年结转", full),
             [Box("年度办", 20, 160, 80, 180, 0.99)],  # a label's second line, left of the columns
             _row(190, "2.其他法律行政法规禁止", {0: "1", 1: "0", 2: "0", 6: "1"})]
    grids = [g for g in scan.lines_to_grids(lines) if g and isinstance(g[0], list)]
    last = grids[-1][-1]
    cells = last[last.index(None) + 1:]
    assert [b.text if b else None for b in cells] == ["1", "0", "0", None, None, None, "1"]


def test_a_header_over_the_columns_starts_another_table():
    from builder.extract.formats.ocr import Box

    lines = [_row(100, "行政许可", {0: "5", 1: "2", 2: "7"}), _row(130, "其他", {0: "0", 1: "0", 2: "0"}),
             [Box("信息内容", 20, 160, 120, 180, 0.99), Box("上一年项目数量", 280, 160, 380, 180, 0.99)],
             _row(190, "行政事业性收费", {0: "3", 1: "1"}, xs=(330, 430))]
    grids = [g for g in scan.lines_to_grids(lines) if g and isinstance(g[0], list)]
    last = grids[-1][-1]
    assert [b.text for b in last[last.index(None) + 1:]] == ["3", "1"]  # its own two columns


def test_a_number_under_no_column_or_two_keeps_the_runs_own_columns():
    from builder.extract.formats.lineless import placed

    spans = [(295.0, 305.0), (355.0, 365.0), (415.0, 425.0)]
    assert placed([300, 420], spans, 10) == [0, 2]
    assert placed([330], spans, 10) is None  # between two columns
    assert placed([300, 302], spans, 10) is None  # two in one


def test_a_photos_boxes_map_back_to_the_photographed_sheet():
    import pypdfium2

    page = pypdfium2.PdfDocument(scan_kinds.one_page(STEM, "photo", PAGE))[PAGE]
    gray = scan.render(page)
    flat, warp = dewarp.flatten(gray)
    where = scan.PageMap(PAGE + 1, flat.shape, 0.0, scan.scale_of(page), warp)
    box = where.box(0, 0, flat.shape[1] - 1, flat.shape[0] - 1)  # the whole flattened sheet
    sheet = dewarp.sheet_corners(gray) / scan.scale_of(page)  # its corners on the photo, in points
    expected = (sheet[:, 0].min(), sheet[:, 1].min(), sheet[:, 0].max(), sheet[:, 1].max())
    assert all(abs(a - b) < 1.5 for a, b in zip(box, expected)), (box, expected)


def _read_lineless(lines: list[list], template: str = "2021") -> dict:
    """Lines of recognised boxes → lines_to_grids → grid blocks → the tables grids.py reads from them."""
    from builder.extract.grids import grids_to_tables
    from builder.extract.templates import TEMPLATES

    grids = [scan._grid_block(g)[1].grid for g in scan.lines_to_grids(lines) if g and isinstance(g[0], list)]
    return grids_to_tables(grids, TEMPLATES[template]).values


_XS = (300, 360, 420, 480, 540, 600, 660)  # table 三's seven columns, as _row places numbers


def _applicants_header(y: float) -> list[list]:
    """Table 三's header without rules as OCR reads it: words stacked in their columns, two words of
    neighbouring columns read as one box (商业 科研; 社会法律, no space), a label over several columns."""
    from builder.extract.formats.ocr import Box

    return [[Box("法人或其他组织", 345, y, 555, y + 20, 0.99)],
            [Box("自然", 282, y + 30, 318, y + 50, 0.99), Box("商业 科研", 342, y + 30, 438, y + 50, 0.99),
             Box("社会法律", 462, y + 30, 558, y + 50, 0.99), Box("总计", 642, y + 30, 678, y + 50, 0.99)],
            [Box("人", 291, y + 55, 309, y + 75, 0.99), Box("企业", 342, y + 55, 378, y + 75, 0.99),
             Box("机构", 402, y + 55, 438, y + 75, 0.99), Box("公益", 462, y + 55, 498, y + 75, 0.99),
             Box("服务", 522, y + 55, 558, y + 75, 0.99), Box("其他", 582, y + 55, 618, y + 75, 0.99)],
            [Box("组织", 462, y + 80, 498, y + 100, 0.99), Box("机构", 522, y + 80, 558, y + 100, 0.99)]]


def test_a_lineless_tables_columns_are_its_headers_and_a_number_between_two_stays_unknown():
    from builder.extract.formats.ocr import Box

    first = _row(200, "一、本年新收政府信息公开申请数量", {0: "5", 1: "1", 6: "6"})  # its zeros not recognised
    second = _row(230, "二、上年结转政府信息公开申请数量", {0: "2", 1: "0", 2: "0", 3: "0", 4: "0", 5: "0", 6: "2"})
    second[2] = Box("0", 382, 230, 398, 250, 0.99)  # between 商业企业 (360) and 科研机构 (420)
    values = _read_lineless(_applicants_header(90) + [first, second])["applications"]
    assert values["new_received"] == {"natural_person": 5, "commercial_enterprise": 1, "research_institution": None,
                                      "social_organization": None, "legal_service_agency": None,
                                      "other_organization": None, "total": 6}
    assert values["carried_over"]["commercial_enterprise"] is None  # never counted into a column beside it
    assert {k: v for k, v in values["carried_over"].items() if k != "commercial_enterprise"} == {
        "natural_person": 2, "research_institution": 0, "social_organization": 0, "legal_service_agency": 0,
        "other_organization": 0, "total": 2}


def test_a_lineless_table_four_is_read_by_its_stacked_header_and_its_groups():
    from builder.extract.formats.ocr import Box

    results = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    xs = [100 + 60 * k for k in range(15)]
    header = [[Box("行政复议", 182, 100, 278, 120, 0.99), Box("行政诉讼", 642, 100, 738, 120, 0.99)],
              [Box("未经复议直接起诉", 422, 130, 598, 150, 0.99), Box("复议后起诉", 712, 130, 828, 150, 0.99)]]
    for part in range(2):  # each result label printed in two lines of two characters
        header.append([Box(results[k % 5][2 * part:2 * part + 2] if k % 5 != 4 or part == 0 else "",
                           x - 18, 160 + 25 * part, x + 18, 180 + 25 * part, 0.99) for k, x in enumerate(xs)])
        header[-1] = [b for b in header[-1] if b.text]
    numbers = [[Box(str(v), x - 6, 240, x + 6, 260, 0.99) for x, v in zip(xs, (3, 1, 0, 0, 4, 2, 0, 0, 1, 3,
                                                                                0, 0, 0, 0, 0))]]
    values = _read_lineless(header + numbers)["review_litigation"]
    assert values["review"] == {"upheld": 3, "corrected": 1, "other": 0, "pending": 0, "total": 4}
    assert values["litigation_direct"] == {"upheld": 2, "corrected": 0, "other": 0, "pending": 1, "total": 3}
    assert values["litigation_after_review"]["total"] == 0


def test_a_header_that_does_not_read_as_column_labels_leaves_the_numbers_own_columns():
    from builder.extract.formats import lineless
    from builder.extract.formats.ocr import Box

    band = [[Box("自然人", 282, 100, 318, 120, 0.99), Box("某某", 342, 100, 378, 120, 0.99)]]
    assert lineless.header_of(band, [(295.0, 305.0), (355.0, 365.0)]) is None


def test_a_pale_rule_counts_only_under_a_seal():
    """A thin rule blurred pale (under a seal's ink) is a rule; a pale stroke elsewhere is a photo's shading
    or blur, not a rule (it cut rows out of the photo kind's tables: 510 → 531 of 598 on the matrix)."""
    import numpy as np

    page = np.full((400, 1000), 250, np.uint8)
    page[200:202, 50:950] = 168  # pale: above INK (160), below RULE_INK, far darker than the paper
    rgb = np.dstack([page] * 3)
    assert not [e for e in scan.rulings(page) if e["orientation"] == "h"]
    sealed = rgb.copy()
    sealed[150:250, 400:600] = (250, 120, 120)  # red seal ink across the rule's middle
    sealed[200:202, 50:950, 0] = 168
    mask = scan.seal_mask(sealed[..., 0], scan.unsealed(sealed))
    assert mask[200, 500] and not mask[200, 60]
    found = [e for e in scan.rulings(page, np.ones_like(mask)) if e["orientation"] == "h"]
    assert found and found[0]["width"] >= 850
