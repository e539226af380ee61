"""The generated pages: official labels, exact numbers, unknown cells, escaping, stable output."""
from __future__ import annotations

import html
import io
import json
import re
import zipfile
from dataclasses import replace

import pytest
from factories import (UNKNOWN_MESSAGE, UNKNOWN_WHERE, fill_tables, make_failure, make_report_2019,
                       make_report_2021, make_source)

from builder.extract.templates import SECTIONS, TEMPLATES
from builder.models import CheckResult, Finding, Passage
from builder.render.markdown import escape, escape_cell, prose
from builder.render.site import original_files, render_site

XSS = "<script>alert(1)</script>"


def report_page(pages: dict[str, str], agency: str) -> str:
    return next(text for path, text in pages.items()
                if path.startswith("reports/") and path != "reports/index.md" and f"# {agency}" in text)


def _header(page: str, label: str) -> bool:
    """An HTML header cell holds ``label``, itself or as a link to its 术语说明 entry (the official tables
    leave out their cells' end tags: a cell ends where the next cell or its row's end begins)."""
    return bool(re.search(f">{re.escape(html.escape(label))}(?:</a>)?(?:</th>|<t[hd][ >]|</tr>)", page))


@pytest.mark.parametrize("make", [make_report_2019, make_report_2021])
def test_report_page_has_official_layout_and_every_number(make):
    report = make()
    page = report_page(render_site([report], []), report.agency)
    template = TEMPLATES[report.template]
    assert page.startswith("---\ndescription: ") and "本年新收申请" in page.split("\n---\n")[0]
    page = page.split("\n---\n\n", 1)[1]  # the front matter: the page's description, for its <head>

    # the heading first: mkdocs takes the page title (and the search result's) from a leading h1
    assert page.startswith(f"# {report.agency} {report.year} 年政府信息公开工作年度报告\n\n"
                           f"<!-- 本页由 portal build 从 {report.source.path.as_posix()} 生成，请勿手工编辑 -->")
    assert template.title in page
    assert report.source.sha256 in page
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings == [f"## {heading}" for _, heading in SECTIONS] + ["## 文件与来源"]  # provenance last
    for table in template.tables:
        for row in table.rows:
            if table.key != "review_litigation":  # its labels are checked below
                assert (f"<tr><th>{row.label}" in page or _header(page, row.label))  # the tables are laid out in HTML
            for column in row.columns:
                assert escape_cell(column.label) in page or _header(page, column.label)
                value = report.tables[table.key][row.key][column.key]
                if isinstance(value, int) and column.kind != "signed":
                    assert re.search(f'<td id="c[2-4]-\\d+-\\d+">{value}(?:<td|</tr>)', page)  # each cell with its anchor
    for section in report.sections.values():
        assert prose(section) in page


def test_table_two_is_split_by_article_with_its_own_columns():
    page = report_page(render_site([make_report_2019()], []), "平潭综合实验区")
    for caption in ("第二十条第（一）项", "第二十条第（五）项", "第二十条第（六）项", "第二十条第（八）项",
                    "第二十条第（九）项"):
        assert f">{caption}</a>**" in page  # a link to its 术语说明 entry
    assert "<tr><th>信息内容<th>上一年项目数量<th>本年增/减<th>处理决定数量</tr>" in page
    assert "<tr><th>信息内容<th>采购项目数量<th>采购总金额</tr>" in page
    # signs kept; each cell with its anchor (表二, the row's and the column's place in the format)
    assert '<tr><th>行政处罚<td id="c2-5-1">1013<td id="c2-5-2">-18<td id="c2-5-3">1015</tr>' in page
    assert '<tr><th>行政许可<td id="c2-3-1">1007<td id="c2-3-2">+442<td id="c2-3-3">1009</tr>' in page
    assert '<td id="c2-8-2">2623.7200 万元（计划）</tr>' in page


def _unlinked(page: str) -> str:
    """The page with the headers' links to 术语说明 and the cells' anchors taken off (their labels and
    numbers kept): the layout alone."""
    page = re.sub(r' id="c[2-4]-\d+-\d+t?"', "", page)
    return re.sub(r'<a class="portal-term" href="[^"]*">(.*?)</a>', r"\1", page)


def test_table_headers_link_their_terms_to_the_glossary():
    pages = render_site([make_report_2021()], [])
    page = report_page(pages, "淮安市洪泽区人民政府")
    for key, label in (("granted", "（一）予以公开"), ("denied_state_secret", "1.属于国家秘密"),
                       ("not_processed", "（五）不予处理"), ("corrected", "结果纠正"), ("review", "行政复议"),
                       ("art20_1", "第二十条第（一）项")):
        assert re.search(rf'<a class="portal-term" href="\.\./\.\./glossary/#{key}">{re.escape(label)}</a>',
                         page), label
    # the article and meaning are on the term's entry (a tooltip on each header weighed 8 KB a report page)
    assert "《条例》第十四条" in pages["glossary/index.md"] and "《条例》第十四条" not in page
    assert not re.search(r'<a class="portal-term"[^>]*>总计</a>', page)  # 总计 names no one term


def test_table_three_and_four_rows_follow_the_official_format():
    page = _unlinked(report_page(render_site([make_report_2021()], []), "淮安市洪泽区人民政府"))
    # table 三: 申请人情况 over 自然人, 法人或其他组织 (five columns), 总计; three label columns
    # (cells without their end tags, as HTML allows: a cell ends where the next one or its row's end begins)
    assert '<th colspan="7">申请人情况</tr>' in page
    assert '<tr><th rowspan="2">自然人<th colspan="5">法人或其他组织<th rowspan="2">总计</tr>' in page
    assert "<tr><th>商业企业<th>科研机构<th>社会公益组织<th>法律服务机构<th>其他</tr>" in page
    # each label cell names the label column it starts in (sticky on a phone: portal.css)
    assert ('<th rowspan="22" class="portal-l1 portal-group">三、本年度办理结果'
            '<th colspan="2" class="portal-l2 portal-span2">（一）予以公开<td>') in page
    assert '<th rowspan="8" class="portal-l2">（三）不予公开<th class="portal-l3">1.属于国家秘密<td>' in page
    assert '<th rowspan="3" class="portal-l2">（六）其他处理<th class="portal-l3">1.申请人无正当理由逾期不补正' in page
    assert '<th colspan="3" class="portal-l1 portal-span3">四、结转下年度继续办理<td>' in page
    # table 四: 行政复议 (five results) and 行政诉讼 (未经复议直接起诉, 复议后起诉; five results each)
    assert '<tr><th colspan="5">行政复议<th colspan="10">行政诉讼</tr>' in page
    assert '<th colspan="5">未经复议直接起诉<th colspan="5">复议后起诉</tr>' in page
    # and turned for a phone: one row per result, one column per kind of case, the same cells
    turned = page.split('class="portal-official portal-review-turned"')[1].split("</table>")[0]
    assert '<th rowspan="2">行政复议<th colspan="2">行政诉讼</tr>' in turned
    assert turned.split("<tbody>")[1].count("<tr><th>") == 5 and "<tr><th>总计<td>" in turned
    assert "<tr><th>行政事业性收费<td>5949.088667</tr>" in page  # floats exactly as given


def test_unknown_cell_is_shown_as_unknown_with_its_warning():
    page = _unlinked(report_page(render_site([make_report_2021()], []), "淮安市洪泽区人民政府"))
    row = next(line for line in page.splitlines() if line.startswith('<tr><th colspan="3" class="portal-l1 portal-span3">四、结转下年度继续办理'))
    assert row.endswith("<sup>注1</sup></tr>")
    assert ">未知</abbr>" in row
    assert "<td>0" not in row.split("1184")[1]
    notes = page.split('<div class="portal-notes" data-pagefind-ignore="index" markdown="1">')[1].split("</div>")[0]
    assert "注1（未知）：四、结转下年度继续办理 / 总计：" + escape(UNKNOWN_MESSAGE) in notes
    assert UNKNOWN_WHERE not in page  # the cell's path is for the open data, not for readers
    quality = page.split('??? warning "数据核对：1 项无法核对，1 格未知"')[1].split("## ")[0]
    assert "表三 1 格" in quality and "无法核对" in quality


def test_quality_box_is_one_line_folded_in_plain_chinese_or_says_success():
    failing = report_page(render_site([make_report_2019()], []), "平潭综合实验区")
    assert '??? warning "数据核对：1 项核对不符"' in failing  # <details>, folded: the report text comes first
    assert "表三：（七）总计 = 各项办理结果之和（每一列）" in failing
    assert "applications.total_processed_is_sum_of_outcomes" not in failing
    clean = report_page(render_site([make_report_2019(checks=(CheckResult("applications.balance", "pass", "成立"),))], []),
                        "平潭综合实验区")
    box = clean.split('??? success "数据核对：1 项核对全部通过"\n\n')[1].split("\n")[0]
    assert box.startswith("    表中数字全部读出，1 项勾稽关系")  # the box's body, indented under it: never empty


def test_report_text_cannot_inject_html():
    tables = fill_tables("2019")
    tables["active_disclosure"]["centralized_procurement"]["amount"] = XSS
    report = make_report_2019(
        agency=f"某局{XSS}", title=XSS, tables=tables,
        source=make_source(f"reports/某省/{XSS}.txt", region=(XSS, "[x](javascript:alert(1))")),
        sections={key: (Passage(((f"{XSS} [点我](javascript:alert(1)) !!! note", False),)),) for key, _ in SECTIONS},
        warnings=(Finding("cell.unreadable", "active_disclosure", XSS),),
    )
    failure = replace(make_failure(), reason=XSS)
    pages = render_site([report], [failure])
    for path, text in pages.items():
        if path.endswith(".md"):
            assert "<script" not in text.lower(), path
            assert not re.search(r"(?<!\\)\]\(javascript:", text), path
    assert "&lt;script&gt;" in report_page(pages, "某局")


def test_output_is_identical_whatever_the_input_order():
    reports = [make_report_2019(), make_report_2021()]
    failures = [make_failure()]
    first = render_site(reports, failures)
    assert render_site(list(reversed(reports)), failures) == first
    assert original_files(reports, failures) == original_files(list(reversed(reports)), failures)


def test_every_page_is_the_index_of_a_folder_named_for_its_address(monkeypatch):
    """A page's source folder is its address's folder (reports/x/index.md is served at reports/x/), so a
    link in its raw HTML means the same to MkDocs (relative to the address) and to Zensical (relative to
    the source file); the pages that lists split keep the same form."""
    import builder.render.agency as agency
    import builder.render.rankings as rankings
    import builder.render.year as year

    monkeypatch.setattr(year, "YEAR_PAGE", 1)
    monkeypatch.setattr(agency, "AGENCIES_PAGE", 1)
    monkeypatch.setattr(rankings, "PAGE_SIZE", 1)
    pages = [path for path in render_site([make_report_2019(), make_report_2021()], [make_failure()])
             if path.endswith(".md")]
    assert {"index.md", "stats/index.md", "quality/index.md", "downloads/index.md", "glossary/index.md",
            "years/2023/index.md", "agencies/index-2/index.md", "rankings/2023/received/index.md"} <= set(pages)
    assert [path for path in pages if path != "index.md" and not path.endswith("/index.md")] == []


def test_pages_are_listed_newest_year_first():
    pages = render_site([make_report_2019(), make_report_2021()], [make_failure()])
    listing = pages["reports/index.md"]
    assert listing.index("## 2023 年") < listing.index("## 2020 年") < listing.index("## 未能解析的文件")
    home = pages["index.md"]
    assert "年报 **2** 份" in home and "机关 **2** 个" in home and "2023、2020" in home
    assert "add-report.md" not in home and "另有 1 个文件未能解析" in home  # maintainers: the footer
    assert escape_cell(make_failure().reason) in pages["quality/index.md"]


def test_an_address_depends_on_its_report_alone():
    """No hash when another file shares a name: a report's address is its own, whatever else is built
    (two that would still meet stop the build: catalog.address_problems)."""
    a = make_report_2021()
    elsewhere = make_report_2021(source=make_source("reports/福建省/福州市/鼓楼区/hongze_2023_copy.pdf", "other",
                                                    region=("福建省", "福州市", "鼓楼区")))
    alone = sorted(p for p in render_site([a], []) if p.startswith("reports/2023"))
    both = sorted(p for p in render_site([a, elsewhere], []) if p.startswith("reports/2023"))
    assert alone == ["reports/2023-淮安市洪泽区人民政府/index.md"]
    assert both == ["reports/2023-淮安市洪泽区人民政府/index.md",  # its name places it in its own region
                    "reports/2023-福建省-福州市-鼓楼区-淮安市洪泽区人民政府/index.md"]  # elsewhere: with the region
    gulou = [make_report_2019(agency="鼓楼区人民政府", source=make_source(f"reports/{p}/{c}/鼓楼区/a.txt", c,
                                                                   region=(p, c, "鼓楼区")))
             for p, c in (("福建省", "福州市"), ("江苏省", "南京市"))]
    pages = render_site(gulou, [])
    assert {"reports/2020-福建省-福州市-鼓楼区人民政府/index.md", "reports/2020-江苏省-南京市-鼓楼区人民政府/index.md",
            "agencies/福建省-福州市-鼓楼区人民政府/index.md", "agencies/江苏省-南京市-鼓楼区人民政府/index.md"} <= set(pages)
    index_like = make_report_2019(agency=None, year=None, source=make_source("reports/x/index.txt", "i"))
    assert "reports/x-index-txt/index.md" in render_site([index_like], [])  # by its path under reports/


def test_two_reports_at_one_address_are_named_with_the_fix():
    from builder.render.catalog import address_problems

    a = make_report_2019(agency="A(B)局")
    b = make_report_2019(agency="A-B-局", source=make_source("reports/福建省/福州市/平潭综合实验区/b.txt", "b"))
    problems = address_problems([a, b], [])
    assert len(problems) == 2  # the report page and the agency page
    assert all(str(a.source.path) in p and str(b.source.path) in p and "agency:" in p for p in problems)
    assert address_problems([a], []) == []


def test_slugs_are_safe_in_urls_and_file_names():
    report = make_report_2021(agency="某市 / 某区?人民政府#1 100%")
    path = next(p for p in render_site([report], []) if p.startswith("data/2023") and p.endswith(".json"))
    # the name does not carry its region (江苏省/淮安市/洪泽区): the address does
    assert re.fullmatch(r"data/2023-江苏省-淮安市-洪泽区-某市-某区-人民政府-1-100\.json", path)


def test_originals_are_published_beside_their_pages():
    markdown = make_report_2019(source=make_source("reports/福建省/平潭/pingtan.md", fmt="markdown"))
    files = original_files([markdown, make_report_2021()], [make_failure()], base_dir=None)
    assert set(files) == {
        "files/2020-平潭综合实验区/pingtan.md.txt",  # never a page mkdocs would render
        "files/2023-淮安市洪泽区人民政府/hongze_2023.pdf",
        "files/浙江省-杭州市-scan-only-pdf/scan only.pdf",
    }
    pages = render_site([markdown, make_report_2021()], [make_failure()])
    assert "(../../files/%E6%B5%99%E6%B1%9F%E7%9C%81-%E6%9D%AD%E5%B7%9E%E5%B8%82-scan-only-pdf/scan%20only.pdf)" in \
        pages["reports/浙江省-杭州市-scan-only-pdf/index.md"]  # a file not parsed: by its path under reports/
    assert "(../../files/2020-%E5%B9%B3" in pages["reports/2020-平潭综合实验区/index.md"]


def test_open_data_pages_are_written_for_reports_and_all():
    pages = render_site([make_report_2019(), make_report_2021()], [make_failure()])
    with zipfile.ZipFile(io.BytesIO(pages["data/all.json.zip"])) as archive:
        everything = json.loads(archive.read("all.json").decode("utf-8"))
    assert [r["agency"] for r in everything["reports"]] == ["淮安市洪泽区人民政府", "平潭综合实验区"]
    assert len(everything["failures"]) == 1
    assert json.loads(pages["data/2020-平潭综合实验区.json"])["agency"] == "平潭综合实验区"
    assert all(text.endswith("\n") and not text.endswith("\n\n") for text in pages.values()
               if isinstance(text, str))
    assert {p for p, text in pages.items() if isinstance(text, bytes)} == {
        "data/all.json.zip", "data/2020-年报数据.xlsx", "data/2023-年报数据.xlsx", "data/全部年度-年报数据.xlsx",
        "data/2020-长表.csv.zip", "data/2023-长表.csv.zip", "data/年报-2020.sqlite", "data/年报-2023.sqlite"}


def test_reports_with_missing_metadata_or_tables_still_render():
    unknown_format = make_report_2021(template=None, agency=None, year=None, tables={})
    page = render_site([unknown_format], [])["reports/江苏省-淮安市-洪泽区-hongze_2023-pdf/index.md"]
    assert page.count("未能识别报告所用的格式") == 3
    missing_table = make_report_2021(tables={})  # every cell unknown, never 0
    page = report_page(render_site([missing_table], []), "淮安市洪泽区人民政府")
    cells = len([c for t in TEMPLATES["2021"].tables for c in t.cell_paths])
    turned = page.split('class="portal-official portal-review-turned"')[1].split("</table>")[0]
    assert page.count(">未知</abbr>") - turned.count(">未知</abbr>") == cells  # table 四 is also shown turned
