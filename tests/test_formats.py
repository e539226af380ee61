"""Format readers on the generated fixtures (tests/make_fixtures.py): what the shared parametrized
test cannot see — merged Word cells read once, a portal's page chrome dropped, GB encodings decoded.
"""
from __future__ import annotations

from pathlib import Path

import docx
import pytest

from builder.extract.formats import docx as word
from builder.extract.formats import html as web
from builder.models import Report, prose_text
from builder.pipeline import parse
from conftest import REPORTS

WORD_2019 = REPORTS / "word-2019-merged-cells-aimin.docx"
WORD_2021 = REPORTS / "word-2021-national-template-hongze.docx"
PORTAL_HTML = REPORTS / "portal-page-html-rowspan-2019-aimin.html"
WORD_HTML_GB2312 = REPORTS / "word-export-html-gb2312-2021-hongze.html"
TEXT_GBK = REPORTS / "text-gbk-encoded-2019-aimin.txt"
TEXT_UTF8 = REPORTS / "text-layer-short-row-and-page-numbers.txt"

CHROME = ("当前位置", "分享到", "备案号", "主办单位", "网站标识码", "打印本页", "关闭窗口", "走进爱民",
          "WordDocument", "Administrator", "mso-")


def _report(path: Path) -> Report:
    result = parse(path)
    assert isinstance(result, Report), result
    return result


def _tables(path: Path) -> list[tuple[tuple[str, ...], ...]]:
    return [b.rows for b in word.read(path) if b.kind == "table"]


def _line(rows, first: str) -> tuple[str, ...]:
    return next(r for r in rows if r and r[0] == first)


# ---------------------------------------------------------------- Word: merged cells read once

def test_the_word_fixture_really_has_merged_cells():
    # python-docx's own row.cells repeats a gridSpan cell: the fixture is what the reader must undo
    table = docx.Document(str(WORD_2019)).tables[0]
    procurement = next(r for r in table.rows if r.cells[0].text == "政府集中采购")
    assert [c.text for c in procurement.cells].count("2623.7200 万元（计划）") == 2


def test_docx_reads_a_horizontally_merged_number_once():
    active = _tables(WORD_2019)[0]
    assert _line(active, "政府集中采购") == ("政府集中采购", "107", "2623.7200 万元（计划）")
    assert _line(active, "行政事业性收费") == ("行政事业性收费", "0", "0")
    assert _line(active, "第二十条第（九）项") == ("第二十条第（九）项",)
    hongze = _tables(WORD_2021)[0]
    assert _line(hongze, "行政许可") == ("行政许可", "550")
    assert _line(hongze, "行政事业性收费") == ("行政事业性收费", "7730.28")


@pytest.mark.parametrize("path", [WORD_2019, WORD_2021], ids=lambda p: p.stem)
def test_docx_reads_a_vertically_merged_label_once(path):
    applications = _tables(path)[1]
    texts = [cell for row in applications for cell in row]
    for label in ("三、本年度办理结果", "（三）不予公开", "（四）无法提供", "（五）不予处理", "自然人", "总计"):
        assert texts.count(label) == 1, label
    granted = next(r for r in applications if "（一）予以公开" in r)
    assert granted[-7:] == (("3", "0", "0", "0", "0", "0", "3") if path == WORD_2019 else ("0",) * 7)


def test_docx_reads_table_four_headers_once():
    review = _tables(WORD_2019)[2]
    assert review[0] == ("行政复议", "行政诉讼")
    assert review[1][5:] == ("未经复议直接起诉", "复议后起诉")
    assert len(review[-1]) == 15


# ---------------------------------------------------------------- HTML: the report without the portal

@pytest.mark.parametrize("path", [PORTAL_HTML, WORD_HTML_GB2312], ids=lambda p: p.stem)
def test_html_sections_carry_no_page_chrome(path):
    report = _report(path)
    text = "\n".join(prose_text(prose) for prose in report.sections.values())
    for chrome in CHROME:
        assert chrome not in text, chrome
    assert any(report.sections.values())


@pytest.mark.parametrize("path", [PORTAL_HTML, WORD_HTML_GB2312], ids=lambda p: p.stem)
def test_html_blocks_carry_no_page_chrome(path):
    blocks = web.read(path)
    text = "\n".join([b.text for b in blocks] + [c for b in blocks for r in b.rows for c in r])
    for chrome in CHROME:
        assert chrome not in text, chrome


def test_html_rowspan_cells_are_not_repeated_and_nbsp_is_empty():
    tables = [b.rows for b in web.read(PORTAL_HTML) if b.kind == "table"]
    applications = tables[1]
    assert [c for r in applications for c in r].count("三、本年度办理结果") == 1
    assert _line(applications, "四、结转下年度继续办理") == ("四、结转下年度继续办理",) + ("",) * 7


def test_html_declared_gb2312_is_decoded():
    data = WORD_HTML_GB2312.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert b'charset="gb2312"' in data
    report = _report(WORD_HTML_GB2312)
    assert (report.agency, report.year, report.template) == ("淮安市洪泽区人民政府", 2023, "2021")
    assert "洪泽区人民政府坚持以习近平新时代中国特色社会主义思想为指导" in prose_text(report.sections["overview"])


# ---------------------------------------------------------------- text: GBK

def test_gbk_text_decodes_like_its_utf8_original():
    data = TEXT_GBK.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    gbk, utf8 = _report(TEXT_GBK), _report(TEXT_UTF8)
    assert (gbk.agency, gbk.year, gbk.template) == ("牡丹江市爱民区人民政府", 2020, "2019")
    assert gbk.sections == utf8.sections
