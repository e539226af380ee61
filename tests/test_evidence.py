"""Every number one click from where the report printed it (issue 33): each value's origin, from the
reader that found it, through the parse cache, corrections, the open data and the report page."""
from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import zipfile

import pytest

from builder.extract.formats import doc
from builder.ingest.cache import ParseCache
from builder.pipeline import parse
from builder.render import evidence
from builder.render.open_data import report_to_open_data
from builder.render.site import render_site
from conftest import REPORTS, report_fixtures

SCANNED = REPORTS / "scanned-every-page-image-seals-rotated-2021-hongze.pdf"
TEXT = REPORTS / "text-gbk-encoded-2019-aimin.txt"
GRID_FORMATS = {".html", ".docx", ".doc", ".wps"}


def _known(data: dict) -> list[str]:
    return [f"{t}.{r}.{c}" for t, rows in data["tables"].items() for r, cols in rows.items()
            for c, v in cols.items() if v is not None]


@pytest.fixture(scope="module", params=report_fixtures(), ids=lambda p: p.stem)
def parsed(request):
    path = request.param
    if path.suffix in {".doc", ".wps"} and doc.converter() is None:
        pytest.skip("reading .doc/.wps needs LibreOffice (soffice), which .ci/run installs")
    return path, parse(path)


def test_the_open_data_names_where_every_known_cell_was_printed(parsed):
    path, report = parsed
    data = report_to_open_data(report)
    origins = data["origins"]
    known = _known(data)
    assert known and all(cell in origins for cell in known), [c for c in known if c not in origins][:5]
    for cell in known:
        origin = origins[cell]
        if path.suffix == ".pdf":  # text layers and scans: the page and the box in PDF points
            x0, top, x1, bottom = origin["box"]
            assert origin["page"] >= 1 and 0 <= x0 < x1 <= 842 and 0 <= top < bottom <= 1191, (cell, origin)
        elif path.suffix in GRID_FORMATS:  # the table's ordinal and the cell's place in the source's grid
            assert origin["table"] >= 1 and origin["row"] >= 1 and origin["column"] >= 1, (cell, origin)
        else:  # text: the line, and the characters in it
            assert origin["line"] >= 1 and 1 <= origin["chars"][0] <= origin["chars"][1], (cell, origin)
    rows = {p: o for p, o in origins.items() if p.count(".") == 1}
    assert rows and all(o["text"] for o in rows.values())  # each row read, as the source printed it


def test_a_grid_cell_names_the_column_it_stands_in():
    """HTML: the 1-based row and column after rowspan and colspan are expanded (table 三's 总计 is its 10th)."""
    report = parse(REPORTS / "portal-page-html-rowspan-2019-aimin.html")
    total, person = (report.origins[f"applications.new_received.{c}"] for c in ("total", "natural_person"))
    assert total.table == person.table and total.row == person.row
    assert total.column - person.column == 6  # 自然人, five kinds of organization, then 总计


def test_a_text_cell_names_its_line_and_characters():
    report = parse(TEXT)
    lines = TEXT.read_bytes().decode("gb18030").splitlines()
    read = 0
    for row, cols in report.tables["applications"].items():
        for column, value in cols.items():
            origin = report.origins.get(f"applications.{row}.{column}")
            if value is None or origin is None or origin.chars == (1, len(lines[origin.line - 1])):
                continue  # known by its row only
            first, last = origin.chars
            assert lines[origin.line - 1][first - 1:last] == str(value), (row, column, origin)
            read += 1
    assert read >= 150  # table 三's 175 cells, each at its own digits


def test_origins_survive_the_parse_cache(tmp_path):
    cache = ParseCache(tmp_path)
    first = parse(TEXT, cache)
    again = parse(TEXT, cache)
    assert again.origins == first.origins and first.origins


def test_a_corrected_cell_keeps_its_place_and_names_its_corrections_file_and_line(tmp_path):
    report_file = tmp_path / TEXT.name
    shutil.copy(TEXT, report_file)
    corrections = report_file.with_name(report_file.name + ".corrections.yml")
    corrections.write_text("# 对照原文\n- cell: applications.carried_over.total\n  value: 0\n  reason: 原文此格为 0\n"
                           "- cell: applications.new_received.total\n  value: 27\n  reason: 原文第 3 页印的是 27\n",
                           encoding="utf-8")
    report = parse(report_file)
    origin = report.origins["applications.new_received.total"]
    assert (origin.corrections, origin.corrections_line) == (corrections.as_posix(), 5)
    assert origin.line is not None  # where the report printed the value it replaces
    data = report_to_open_data(report)["origins"]["applications.new_received.total"]
    assert data["corrections"] == corrections.as_posix() and data["corrections_line"] == 5


def test_the_long_table_names_each_cells_origin():
    report = parse(REPORTS / "pdf-from-word-libreoffice-2019-aimin.pdf")
    pages = render_site([report], [])
    name = next(p for p in pages if p.endswith("-长表.csv.zip"))
    with zipfile.ZipFile(io.BytesIO(pages[name])) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    keys = rows[1]
    for key in ("source_page", "source_box", "source_table", "source_row", "source_column", "source_line",
                "corrections_file", "corrections_line"):
        assert key in keys
    known = [dict(zip(keys, row)) for row in rows[2:] if row[keys.index("unknown")] == "0"]
    assert known and all(row["source_page"] and len(row["source_box"].split()) == 4 for row in known)


def _scanned_pages(report):
    return render_site([report], [])


def test_a_scanned_report_shows_one_image_per_table_row_the_same_on_every_build():
    report = parse(SCANNED)
    first, second = _scanned_pages(report), _scanned_pages(report)
    page_path = next(p for p in first if p.startswith("reports/") and p.endswith("/index.md"))
    folder, page = page_path.rsplit("/", 1)[0], first[page_path]
    images = {p: data for p, data in first.items() if p.startswith(folder + "/rows/")}
    rows = {p: o for p, o in report.origins.items() if p.count(".") == 1 and o.page}
    # tables 二 and 三: under each row read, the image of that row cut from its page (lazily loaded)
    under = re.findall(r'<tr class="portal-scan"><td colspan="\d+"><img src="(rows/[^"]+\.png)" loading="lazy"', page)
    assert len(under) == len([p for p in rows if not p.startswith("review_litigation.")]) >= 25
    # table 四: its one printed row, below the table (in both of its layouts' view)
    below = re.findall(r'<div class="portal-src-line">原文此表：<a [^>]+>[^<]+</a><img src="(rows/[^"]+\.png)" loading="lazy"',
                       page)
    assert len(below) == 1
    assert {f"{folder}/{name}" for name in under + below} == set(images)
    for path, data in images.items():
        assert data == second[path]  # byte-identical across builds
        assert data.startswith(b"\x89PNG") and b"tEXt" not in data and b"tIME" not in data  # no metadata
        assert len(data) < 10_000, (path, len(data))
    # each row also links to its page of the original
    assert len(re.findall(r'<a class="portal-src" href="[^"]+\.pdf#page=\d+">原文第 \d+ 页</a>', page)) == len(under) + 1


def test_cells_have_anchors_and_the_page_holds_the_words_of_their_citation():
    report = parse(TEXT)
    page = next(text for path, text in render_site([report], []).items()
                if path.startswith("reports/") and path.endswith("/index.md"))
    assert re.search(r'<td id="c3-1-1">3<', page)  # 表三, 一、本年新收…, 自然人
    data = json.loads(html.unescape(re.search(r"<div class=\"portal-cells\" hidden data-cells='(.*?)'></div>", page).group(1)))
    assert data["t"]["3"]["t"] == "表三“收到和处理政府信息公开申请情况”"
    assert data["t"]["3"]["r"][0][0] == "一、本年新收政府信息公开申请数量"
    assert data["t"]["3"]["c"][data["t"]["3"]["r"][0][1]][0] == "自然人"
    assert re.fullmatch(r"原文第 \d+ 行", data["o"].get("c3-1-1") or data["o"]["c3-1"])
    # the rows of a text report fold out as printed
    assert page.count('<details class="portal-src"><summary>原文此行</summary>') >= 30
    assert evidence.origin_words(report.origins["applications.new_received.natural_person"]).startswith("原文第 ")


def test_content_with_a_scanned_reports_images_is_the_same_on_every_build(tmp_path):
    from builder.publish.tree import write_tree

    report = parse(SCANNED)
    trees = []
    for name in ("one", "two"):
        content = tmp_path / name
        write_tree(content, render_site([report], []), {})
        trees.append({p.relative_to(content).as_posix(): p.read_bytes() for p in sorted(content.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1] and any("/rows/" in p for p in trees[0])


def test_table_four_numbers_each_unknown_cell_once_in_both_layouts():
    """Table 四 shows each cell twice (as printed, and turned for a phone), each with its anchor; its note
    under the table names the cell once."""
    from factories import fill_tables, make_report_2021
    from builder.models import Finding

    tables = fill_tables("2021")
    tables["review_litigation"]["review"]["upheld"] = None
    report = make_report_2021(tables=tables, warnings=(
        Finding("cell.blank", "review_litigation.review.upheld", "「行政复议」的「结果维持」一格没有印数字，记为未知。"),))
    page = next(text for path, text in render_site([report], []).items()
                if path.startswith("reports/") and path.endswith("/index.md"))
    assert '<td id="c4-1-1">' in page and '<td id="c4-1-1t">' in page
    assert "行政复议 / 结果维持：" in page and "结果维持、结果维持" not in page


def test_an_unchanged_scanned_report_keeps_its_images_in_an_incremental_build(tmp_path):
    from builder.publish.memo import UNCHANGED, PageMemo
    from builder.publish.tree import write_tree

    report = parse(SCANNED)
    content = tmp_path / "content"
    first = PageMemo(tmp_path / "cache", content)
    write_tree(content, render_site([report], [], first), {})
    first.save()
    before = {p: p.read_bytes() for p in content.rglob("*.png")}
    again = render_site([report], [], PageMemo(tmp_path / "cache", content))
    images = {p: v for p, v in again.items() if "/rows/" in p}
    assert images and all(v is UNCHANGED for v in images.values())  # not cut from the page again
    write_tree(content, again, {})
    assert {p: p.read_bytes() for p in content.rglob("*.png")} == before  # and not removed as stale
