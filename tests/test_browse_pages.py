"""The pages around the reports: home totals, agency, region, year, statistics, quality, downloads."""
from __future__ import annotations

import csv
import io
import time
import zipfile

from factories import make_failure, make_report_2019, make_report_2021, make_source
from page_tables import html_rows

from builder.models import Finding
from builder.render.crossyear import cross_year_checks
from builder.render.figures import figure_of, outcome_shares, total_of
from builder.render.site import render_site


def csv_rows(text: str) -> list[dict]:
    """The rows by key: the first header row is the Chinese labels, the second the keys."""
    assert text.startswith("\ufeff")
    lines = io.StringIO(text[1:])
    next(csv.reader(lines))
    return list(csv.DictReader(lines))


def test_unknown_cells_are_never_summed_as_zero():
    known = make_report_2019()
    unknown = make_report_2021()  # carried_forward.total is None
    assert figure_of(unknown, "carried_forward").value is None and figure_of(unknown, "carried_forward").kind == "unknown"
    total = total_of([known, unknown], "carried_forward")
    assert (total.value, total.known, total.unknown) == (known.tables["applications"]["carried_forward"]["total"], 1, 1)
    assert total.text().startswith("≥") and total.note() == "1 份年报有数，1 份未知，未计入"
    nothing = total_of([unknown], "carried_forward")
    assert nothing.text() == "未知"


def test_outcome_shares_leave_out_unknown_and_inconsistent_reports():
    report = make_report_2019()  # the factory's numbers do not add up: outcomes ≠ total_processed
    shares = outcome_shares([report, make_report_2021(tables={})])
    assert (shares.reports, shares.unknown, shares.inconsistent) == (0, 1, 1)


def test_home_page_has_counts_totals_and_a_chart():
    pages = render_site([make_report_2019(), make_report_2021()], [make_failure()])
    home = pages["index.md"]
    assert "年报 **2** 份" in home and "机关 **2** 个" in home
    assert "| 本年新收申请 |" in home and "| 行政复议 |" in home
    # each year on its own (render/policy.py): no outcome shares over all years on the home page; 统计 has
    # them per year, and says that the factory's outcomes do not add up
    assert "办理结果按" not in home and "各项结果之和与总计不符" in pages["stats/index.md"]
    assert 'data-pagefind-ignore="index"' in home  # number tables stay out of the search index
    assert pages["stats/index.md"].count('class="portal-chart" data-chart="') == 2


def test_every_kind_of_page_is_generated():
    pages = render_site([make_report_2019(), make_report_2021()], [make_failure()])
    for path in ("agencies/index.md", "agencies/淮安市洪泽区人民政府/index.md", "regions/index.md",
                 "regions/江苏省/淮安市/洪泽区/index.md", "regions/浙江省/杭州市/index.md", "years/index.md",
                 "years/2023/index.md", "stats/index.md", "quality/index.md", "downloads/index.md", "data/2023-长表.csv.zip", "data/all.json.zip",
                 "data/2020-表三-依申请.csv", "data/2023-表三-依申请.csv", "data/2020-年报数据.xlsx",
                 "data/全部年度-年报数据.xlsx"):
        assert path in pages, path
    region = pages["regions/江苏省/淮安市/index.md"]
    assert "[洪泽区](" in region and "下级地区" in region
    assert "data/search-words.txt" not in pages  # matching aids are in each page's search metadata


def test_agency_page_checks_across_years():
    last = make_report_2021(year=2022, source=make_source("reports/江苏省/淮安市/洪泽区/hongze_2022.pdf", "x",
                                                          region=("江苏省", "淮安市", "洪泽区")))
    this = make_report_2021()
    checks = {c.rule: c for c in cross_year_checks({2022: last, 2023: this})}
    # the factory fills every cell with a distinct number: carried_over ≠ last year's carried_forward
    assert checks["carried_over"].status == "fail"  # known cells contradict it (total is unknown)
    assert checks["in_force"].soft and checks["in_force"].status == "fail"
    assert checks["in_force"].status_label == "不符（仅作提示）"
    tables = {t: {r: dict(c) for r, c in rows.items()} for t, rows in this.tables.items()}
    tables["applications"]["carried_over"] = dict(last.tables["applications"]["carried_forward"])
    for row in ("regulations", "normative_documents"):
        cells = tables["active_disclosure"][row]
        cells["in_force"] = last.tables["active_disclosure"][row]["in_force"] + cells["issued"] - cells["repealed"]
    fixed = make_report_2021(tables=tables)
    checks = {c.rule: c for c in cross_year_checks({2022: last, 2023: fixed})}
    assert checks["in_force"].status == "pass"
    assert checks["carried_over"].status == "unverified"  # last year's carried_forward.total is unknown
    page = render_site([last, this], [])["agencies/淮安市洪泽区人民政府/index.md"]
    assert "| 项目 | 2022 | 2023 |" in page and "跨年度核对" in page and "不符" in page


def test_quality_page_lists_findings_and_failures():
    report = make_report_2021(warnings=(Finding("cell.unreadable", "applications.carried_forward.total", "看不清"),))
    quality = render_site([report, make_report_2019()], [make_failure()])["quality/index.md"]
    assert "看不清" in quality and "表三 四、结转下年度继续办理 / 总计" in quality
    assert "不符" in quality and "scan only.pdf" in quality and "-scan-only-pdf/scan%20only.pdf)" in quality


def test_long_and_wide_csv_keep_unknown_apart_from_zero():
    pages = render_site([make_report_2019(), make_report_2021()], [])
    rows = []
    for year in ("2020", "2023"):  # one long table per year, each zipped
        with zipfile.ZipFile(io.BytesIO(pages[f"data/{year}-长表.csv.zip"])) as archive:
            assert archive.namelist() == [f"{year}-长表.csv"]
            year_rows = csv_rows(archive.read(f"{year}-长表.csv").decode("utf-8"))
        assert {r["year"] for r in year_rows} == {year}
        rows += year_rows
    cell = next(r for r in rows if r["row"] == "carried_forward" and r["column"] == "total" and r["year"] == "2023")
    assert cell["value"] == "" and cell["unknown"] == "1" and cell["province"] == "江苏省"
    assert cell["county"] == "洪泽区" and cell["row_label"] == "四、结转下年度继续办理"
    fee = next(r for r in rows if r["column"] == "amount_10k_yuan")
    assert fee["value"] == "5949.088667" and fee["unknown"] == "0"
    wide = csv_rows(pages["data/2023-表三-依申请.csv"])
    assert len(wide) == 1 and wide[0]["carried_forward.total"] == "" and wide[0]["new_received.total"] != ""
    assert "new_received.natural_person" in wide[0]


def test_xlsx_is_byte_identical_and_keeps_text_as_text():
    tables = make_report_2019().tables
    tables["active_disclosure"]["centralized_procurement"]["amount"] = "=HYPERLINK(\"x\")"
    reports = [make_report_2019(tables=tables), make_report_2021()]
    first = render_site(reports, [])["data/2020-年报数据.xlsx"]  # the 2019-format report is of 2020
    time.sleep(1.1)  # openpyxl stamps the time of saving; it must not show
    assert render_site(list(reversed(reports)), [])["data/2020-年报数据.xlsx"] == first
    with zipfile.ZipFile(io.BytesIO(first)) as book:
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in book.infolist())
        sheets = "".join(book.read(n).decode("utf-8") for n in book.namelist() if n.startswith("xl/worksheets/"))
        strings = book.read("xl/sharedStrings.xml").decode("utf-8") if "xl/sharedStrings.xml" in book.namelist() else ""
    assert "<f>" not in sheets  # no formula, whatever a report prints
    assert "HYPERLINK" in sheets + strings


def test_quality_page_sums_findings_up_and_moves_long_lists_to_year_pages(monkeypatch):
    import builder.render.quality as quality

    flagged = make_report_2021(warnings=(Finding("cell.unreadable", "applications.carried_forward.total", "看不清"),))
    pages = render_site([flagged, make_report_2019()], [])
    assert "| 单元格无法读取 | 1 份 |" in pages["quality/index.md"] and "cell.unreadable" not in pages["quality/index.md"]
    assert "看不清" in pages["quality/index.md"] and not any(p.startswith("quality/") for p in pages if p != "quality/index.md")
    monkeypatch.setattr(quality, "QUALITY_DETAILS", 0)  # a province's thousands of reports with findings
    pages = render_site([flagged, make_report_2019()], [])
    assert "看不清" not in pages["quality/index.md"] and "(2023/index.md)" in pages["quality/index.md"]
    year = pages["quality/2023/index.md"]
    assert [row[0] for row in html_rows(year)] == ["淮安市洪泽区人民政府"] and 'href="../../reports/' in year
    assert html_rows(year)[0][2] == "1 项无法核对，1 格未知"


def test_all_reports_page_links_the_year_pages_when_the_list_grows_long(monkeypatch):
    import builder.render.report as report

    reports = [make_report_2019(), make_report_2021()]
    assert "(2023-" in render_site(reports, [])["reports/index.md"]  # every report listed
    monkeypatch.setattr(report, "REPORTS_LISTED", 1)
    index = render_site(reports, [])["reports/index.md"]
    assert "(2023-" not in index and "[2023 年](../years/2023/index.md) | 1 份" in index


def test_long_lists_come_in_pages_with_a_pager_and_a_filter(monkeypatch):
    """A year's reports and 按机关 beyond a page's worth: pages that follow the list's path, each with
    a pager naming where every page starts and ends, and the table marked for the on-page filter."""
    from builder.render import agency, year
    monkeypatch.setattr(year, "YEAR_PAGE", 2)
    monkeypatch.setattr(agency, "AGENCIES_PAGE", 2)
    reports = [make_report_2021(agency=f"测试{i}局", source=make_source(f"reports/江苏省/淮安市/r{i}.txt", "x",
                                                                    region=("江苏省", "淮安市"))) for i in range(5)]
    pages = render_site(reports, [])
    assert {"years/2023/index.md", "years/2023-2/index.md", "years/2023-3/index.md"} <= set(pages) and "years/2023-4/index.md" not in pages
    first, last = pages["years/2023/index.md"], pages["years/2023-3/index.md"]
    assert "## 主要数字" in first and "## 主要数字" not in last  # the totals once, on the first page
    assert "第 3 页（江苏省 淮安市 — 江苏省 淮安市）](../2023-3/index.md)" in first and "**第 3 页" in last
    assert first.count('href="../../reports/2023-') == 2 and len(html_rows(first)) == 2 and "portal-filterable" in first
    assert {"agencies/index.md", "agencies/index-2/index.md", "agencies/index-3/index.md"} <= set(pages)
    assert "共 5 个机关" in pages["agencies/index-3/index.md"]
