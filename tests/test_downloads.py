"""Downloads a journalist can open: named by year and table, Chinese headers over the stable keys, each
report's failed checks, contradicted and corrected cells and source url; workbooks per year and for all
years with frozen headers, an autofilter, column widths, marked cells and a 说明 sheet; nothing empty."""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import replace

from factories import make_report_2019, make_report_2021, make_source
from openpyxl import load_workbook
from test_status import consistent, hongze

from builder.models import Correction
from builder.render.site import render_site


def rows_of(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def pages_of():
    other_year = make_report_2019(checks=(), source=replace(make_source("reports/福建省/平潭综合实验区/p.txt"),
                                                            sidecar={"url": "https://www.pingtan.gov.cn/nb.htm",
                                                                     "published": "2021-03-05"}))
    return render_site([hongze(), consistent(2, "某区人民政府"), other_year], [])


def test_files_are_named_by_year_and_table_and_none_is_empty():
    pages = pages_of()
    data = sorted(p for p in pages if p.startswith("data/") and not p.endswith(".json") and p != "data/search-words.txt"
                  and not p.startswith("data/feeds/"))
    assert data == sorted([
        "data/2023-表二-主动公开.csv", "data/2023-表三-依申请.csv", "data/2023-表四-复议诉讼.csv",
        "data/2023-长表.csv.zip", "data/2023-年报数据.xlsx", "data/年报-2023.sqlite",
        "data/2020-表二-主动公开.csv", "data/2020-表三-依申请.csv", "data/2020-表四-复议诉讼.csv",
        "data/2020-长表.csv.zip", "data/2020-年报数据.xlsx", "data/年报-2020.sqlite",
        "data/全部年度-年报数据.xlsx", "data/all.json.zip", "data/年报清单.csv"])
    for path in data:
        if path.endswith(".csv"):
            assert len(rows_of(pages[path])) > 2, path  # two header rows and at least one report
    unknown_format = make_report_2019(template=None, tables={}, checks=())
    assert not any(p.endswith((".csv", ".xlsx", ".csv.zip", ".sqlite")) and p != "data/年报清单.csv"
                   for p in render_site([unknown_format], []))


def test_beyond_a_province_s_worth_of_reports_the_all_years_workbook_gives_way_to_the_years(monkeypatch):
    """Rewritten whole for every new report, the all-years workbook was most of the Publish workflow's build
    at 10,000 reports: beyond ALL_XLSX_REPORTS it is not made, and the downloads page says where to look."""
    from builder.render import downloads
    assert "全部年度的 Excel 工作簿" not in pages_of()["downloads/index.md"]
    monkeypatch.setattr(downloads, "ALL_XLSX_REPORTS", 2)
    pages = pages_of()  # 3 reports with a format
    assert downloads.ALL_XLSX not in pages and {"data/2023-年报数据.xlsx", "data/2020-年报数据.xlsx"} <= set(pages)
    assert "全部年度-年报数据.xlsx" not in pages["downloads/index.md"]
    assert "年报多于 2 份时不提供全部年度的 Excel 工作簿" in pages["downloads/index.md"]


def test_a_csv_has_chinese_labels_over_the_keys_and_the_reports_own_columns():
    rows = rows_of(pages_of()["data/2023-表四-复议诉讼.csv"])
    labels, keys = rows[0], rows[1]
    assert labels[:3] == ["年报（本站页面名）", "机关", "地区"] and keys[:3] == ["report", "agency", "region"]
    assert labels[keys.index("review.total")] == "行政复议 / 总计"
    hongze_row = dict(zip(keys, next(r for r in rows[2:] if r[1] == "淮安市洪泽区人民政府")))
    assert hongze_row["failed_checks"] == "表四 行政复议：报告所印总计为 0，各项结果之和为 11"
    assert "review_litigation.review.total" in hongze_row["contradicted_cells"].split()
    assert hongze_row["review.total"] == "0" and hongze_row["review.upheld"] == "10"  # as printed, marked per row


def test_the_long_table_says_each_cells_status_and_why():
    with zipfile.ZipFile(io.BytesIO(pages_of()["data/2023-长表.csv.zip"])) as archive:
        rows = rows_of(archive.read("2023-长表.csv").decode("utf-8"))
    keys = rows[1]
    cells = [dict(zip(keys, r)) for r in rows[2:]]
    total = next(c for c in cells if c["agency"] == "淮安市洪泽区人民政府" and c["row"] == "review" and c["column"] == "total")
    assert (total["value"], total["status"], total["note"]) == ("0", "⚠不符", "行政复议：报告所印总计为 0，各项结果之和为 11")
    assert {c["status"] for c in cells} == {"已知", "⚠不符"}  # in words a reader's spreadsheet shows, the site's mark


def test_corrections_and_source_urls_reach_the_rows():
    corrected = replace(consistent(3, "另一区人民政府"),
                        corrections=(Correction("review_litigation.review.upheld", None, 3, "原件第 4 页可见", 2),))
    rows = rows_of(render_site([corrected], [])["data/2023-表四-复议诉讼.csv"])
    row = dict(zip(rows[1], rows[2]))
    assert row["corrected_cells"] == "review_litigation.review.upheld"
    rows = rows_of(pages_of()["data/2020-表三-依申请.csv"])
    row = dict(zip(rows[1], rows[2]))
    assert (row["source_url"], row["published"]) == ("https://www.pingtan.gov.cn/nb.htm", "2021-03-05")


def test_workbooks_freeze_their_headers_filter_size_columns_and_mark_contradicted_cells():
    pages = pages_of()
    for path, sheets in (("data/2023-年报数据.xlsx", ["说明", "表二-主动公开", "表三-依申请", "表四-复议诉讼"]),
                         ("data/全部年度-年报数据.xlsx", ["说明", "表二-主动公开-2019版", "表三-依申请-2019版",
                                                      "表四-复议诉讼-2019版", "表二-主动公开-2021版",
                                                      "表三-依申请-2021版", "表四-复议诉讼-2021版"])):
        book = load_workbook(io.BytesIO(pages[path]))
        assert book.sheetnames == sheets, path
        readme = book["说明"]
        assert readme["A1"].value == "项目" and "橙色单元格" in [c.value for c in readme["A"]]
        for name in sheets[1:]:
            sheet = book[name]
            assert sheet.freeze_panes == "B3" and sheet.auto_filter.ref.startswith("A2:")
            assert sheet.max_row > 2  # never an empty sheet
            assert sheet["B1"].value == "机关" and sheet["B2"].value == "agency"
            assert sheet.column_dimensions["B"].width >= 8
    sheet = load_workbook(io.BytesIO(pages["data/2023-年报数据.xlsx"]))["表四-复议诉讼"]
    keys = [c.value for c in sheet[2]]
    row = next(r for r in sheet.iter_rows(min_row=3) if r[1].value == "淮安市洪泽区人民政府")
    total = row[keys.index("review.total")]
    assert total.value == 0 and total.fill.fgColor.rgb.endswith("FFE0B2")
    assert total.comment.text == "行政复议：报告所印总计为 0，各项结果之和为 11"
    assert row[keys.index("litigation_direct.total")].comment is None


def test_each_wide_table_s_status_columns_speak_of_that_table_only_one_path_a_line():
    """洪泽区's table 四 is contradicted: its 表四 row lists those cells, one per line; its 表二 and 表三 rows
    list nothing of table 四 (they once listed the whole report's)."""
    pages = pages_of()
    rows = {}
    for name in ("表二-主动公开", "表三-依申请", "表四-复议诉讼"):
        table = rows_of(pages[f"data/2023-{name}.csv"])
        rows[name] = dict(zip(table[1], next(r for r in table[2:] if r[1] == "淮安市洪泽区人民政府")))
    contradicted = rows["表四-复议诉讼"]["contradicted_cells"].split("\n")
    assert "review_litigation.review.total" in contradicted and all(" " not in p for p in contradicted)
    assert all(p.startswith("review_litigation.") for p in contradicted)
    for name in ("表二-主动公开", "表三-依申请"):
        assert rows[name]["contradicted_cells"] == rows[name]["failed_checks"] == "", name
    assert rows["表四-复议诉讼"]["failed_checks"].startswith("表四 ")


def test_the_long_table_gives_each_value_its_unit_and_amounts_in_10k_yuan():
    fees = rows_of(render_site([make_report_2021()], [])["data/2023-表二-主动公开.csv"])
    assert dict(zip(fees[1], fees[2]))["administrative_fees.amount_10k_yuan"] == "5949.088667"  # exact, as printed
    with zipfile.ZipFile(io.BytesIO(pages_of()["data/2020-长表.csv.zip"])) as archive:
        rows = rows_of(archive.read("2020-长表.csv").decode("utf-8"))
    cells = [dict(zip(rows[1], r)) for r in rows[2:]]
    assert {c["unit"] for c in cells} == {"件", "项", "万元"}
    amount = next(c for c in cells if c["row"] == "centralized_procurement" and c["column"] == "amount")
    assert (amount["value"], amount["unit"], amount["printed"], amount["note"]) == (
        "2623.72", "万元", "2623.7200 万元（计划）", "计划")  # exact, in 万元; the qualifier in the note
    assert all(c["unit"] == "件" for c in cells if c["table"] != "active_disclosure")
