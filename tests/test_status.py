"""Each cell's status (render/status.py) and the one aggregation policy every page and download follows:
known and corrected numbers are added, unknown and contradicted ones never; a contradicted figure is
shown with its mark and note wherever it appears, and named where a total or ranking leaves it out."""
from __future__ import annotations

from pathlib import Path

from builder.extract.templates import TEMPLATES
from builder.models import Correction, Finding, Report, SourceFile
from builder.render.figures import figure_of, outcome_shares, total_of
from builder.render.site import render_site
from builder.render.status import status_of
from builder.validate import check


def tables(template: str = "2021") -> dict:
    return {t.key: {r.key: {c.key: 0 for c in r.columns} for r in t.rows} for t in TEMPLATES[template].tables}


def report(tables: dict, agency: str = "淮安市洪泽区人民政府", year: int = 2023, template: str = "2021", **changes) -> Report:
    source = SourceFile(Path(f"reports/江苏省/淮安市/洪泽区/{agency}{year}.txt"), f"{agency}{year}".encode().hex()[:64],
                        "text", ("江苏省", "淮安市", "洪泽区"))
    return check(Report(source, f"{agency}{year}年报", agency, year, template, {}, tables, **changes))


def hongze() -> Report:
    """Table 四 as 洪泽区 2023 prints it: 行政复议 结果维持 10, 结果纠正 1, 总计 0."""
    t = tables()
    t["review_litigation"]["review"].update(upheld=10, corrected=1, total=0)
    t["applications"]["new_received"].update(natural_person=5, total=5)
    t["applications"]["granted"].update(natural_person=5, total=5)
    t["applications"]["total_processed"].update(natural_person=5, total=5)
    return report(t)


def consistent(reviews: int, agency: str) -> Report:
    t = tables()
    t["review_litigation"]["review"].update(upheld=reviews, total=reviews)
    return report(t, agency=agency)


def test_every_cell_of_a_failing_equation_is_contradicted_with_the_rules_note():
    status = status_of(hongze())
    for column in ("upheld", "corrected", "other", "pending", "total"):
        cell = status.cell(f"review_litigation.review.{column}")
        assert cell.kind == "contradicted" and not cell.countable
        assert [c.note for c in cell.contradictions] == ["行政复议：报告所印总计为 0，各项结果之和为 11"]
    assert status.cell("review_litigation.litigation_direct.total").kind == "known"
    assert status.cell("applications.new_received.total").kind == "known"
    assert status.failed_rules == ["review_litigation.group_total"]


def test_a_figure_is_contradicted_when_a_cell_it_adds_is():
    figure = figure_of(hongze(), "reviews")
    assert (figure.value, figure.kind, figure.countable) == (0, "contradicted", False)
    assert figure.notes == ("行政复议：报告所印总计为 0，各项结果之和为 11",)
    assert figure_of(hongze(), "received").kind == "known"


def test_totals_leave_a_contradicted_figure_out_and_name_it():
    total = total_of([hongze(), consistent(2, "某区人民政府"), consistent(3, "另一区人民政府")], "reviews")
    assert (total.value, total.known, total.unknown, len(total.contradicted)) == (5, 2, 0, 1)
    assert total.text() == "≥5" and total.note() == "2 份年报有数，1 份数字自相矛盾，未计入"
    assert total.contradicted[0][0].agency == "淮安市洪泽区人民政府"


def test_outcome_shares_leave_out_a_report_whose_outcomes_are_contradicted():
    t = tables()
    t["applications"]["granted"].update(natural_person=3, total=3)  # 予以公开 3, 办理总计 0: 爱民区 2020
    t["applications"]["new_received"].update(natural_person=3, total=3)
    shares = outcome_shares([report(t), hongze()])
    assert (shares.reports, shares.inconsistent, shares.total_processed) == (1, 1, 5)


def test_a_correction_makes_a_cell_corrected_and_settles_its_note():
    t = tables()  # the parser read carried_over.total as unknown (its note), the correction made it 0
    note = Finding("cell.ambiguous", "applications.carried_over.total", "可能是 1、12 中的任一个，无法确定，记为未知。")
    corrected = report(t, warnings=(note,),
                       corrections=(Correction("applications.carried_over.total", None, 0, "原件第 3 页可见", 2),))
    cell = status_of(corrected).cell("applications.carried_over.total")
    assert cell.kind == "corrected" and cell.countable and cell.notes == () and cell.settled == (note,)
    page = render_site([corrected], [])["reports/2023-淮安市洪泽区人民政府/index.md"]
    assert "可能是 1、12" not in page  # the settled note is not shown as open
    assert "人工更正" in page and "表三 二、上年结转政府信息公开申请数量 / 总计：未知 → 0（理由：原件第 3 页可见）" in page
    assert "更正</abbr></sup>" in page


def test_every_page_kind_marks_the_contradicted_figure_and_no_total_adds_it():
    reports = [hongze(), consistent(2, "某区人民政府"), consistent(4, "另一区人民政府")]
    pages = render_site(reports, [])
    note = "行政复议：报告所印总计为 0，各项结果之和为 11"
    for path in ("reports/2023-淮安市洪泽区人民政府/index.md", "agencies/淮安市洪泽区人民政府/index.md", "index.md", "stats/index.md",
                 "years/2023/index.md", "years/index.md", "regions/江苏省/index.md", "regions/江苏省/淮安市/洪泽区/index.md"):
        assert "⚠不符" in pages[path] and note in pages[path], path
    year = next(line for line in pages["index.md"].splitlines() if line.startswith("| [2023 年]"))
    assert year.split("|")[5].strip().startswith("≥6<")  # 行政复议: 2 + 4, never + 0 from 洪泽区
    ranking = pages["stats/index.md"].split("**行政复议和行政诉讼最多**")[1].split("## 表三")[0]
    assert "另一区人民政府" in ranking and "未参与排行" in ranking and "淮安市洪泽区人民政府 2023 年" in ranking
    assert "没有行政复议或行政诉讼大于 0" not in ranking


def test_a_broken_file_named_for_an_agency_and_year_is_listed_under_them():
    from builder.models import Failure

    broken = Failure(SourceFile(Path("reports/江苏省/淮安市/清江浦区/清江浦区人民政府2023年年报.docx"), "b" * 64, "docx",
                                ("江苏省", "淮安市", "清江浦区")),
                     "reports/江苏省/淮安市/清江浦区/清江浦区人民政府2023年年报.docx: not a Word .docx file (damaged, "
                     "or an old binary .doc) — save it again as .docx")
    pages = render_site([hongze()], [broken])
    agency = pages["agencies/清江浦区人民政府/index.md"]
    assert "清江浦区人民政府2023年年报.docx" in agency and "该文件不是可读取的 Word（.docx）文件" in agency
    year = pages["years/2023/index.md"].split("未能解析的文件")[1]
    assert "[清江浦区人民政府](../../reports/" in year and "该文件不是可读取的 Word（.docx）文件" in year
    failure = pages["reports/江苏省-淮安市-清江浦区-清江浦区人民政府2023年年报-docx/index.md"]  # its path
    assert failure.startswith("# 清江浦区人民政府 2023 年（未能解析的文件）")
    assert "save it again" not in failure and "reports/江苏省" not in failure.split("-->", 1)[1]  # no fix, no path
    assert "[清江浦区人民政府](../../agencies/" in failure


def test_a_region_with_only_unparsed_files_is_not_counted_as_a_region_with_reports():
    from builder.models import Failure

    broken = Failure(SourceFile(Path("reports/浙江省/杭州市/scan.pdf"), "c" * 64, "pdf", ("浙江省", "杭州市")),
                     "reports/浙江省/杭州市/scan.pdf: the PDF has no text layer (a scan): it needs OCR — commit a PDF "
                     "with a text layer")
    home = render_site([hongze()], [broken])["index.md"]
    assert "[地区 **3** 个](regions/index.md)（1 个省级）" in home  # 江苏省, 淮安市, 洪泽区; not 浙江省 / 杭州市
    pages = render_site([hongze()], [broken])
    assert "regions/浙江省/杭州市/index.md" in pages  # still listed: nothing is lost
    assert "该文件为扫描件（图片），暂未能识别其中的文字和表格。" in pages["reports/浙江省-杭州市-scan-pdf/index.md"]


def test_a_ranking_names_a_few_of_the_reports_it_leaves_out_and_counts_the_rest():
    """A province has hundreds of self-contradicting reports: 统计 names the first few under each ranking
    and sends the reader to 数据质量 for the rest, so that the page stays a page (at 1,000 reports it was 654 KB)."""
    from builder.render.marks import NAMED

    def contradicted(n: int) -> Report:
        t = tables()
        t["review_litigation"]["review"].update(upheld=10, corrected=1, total=0)
        return report(t, agency=f"第{n}局")

    pages = render_site([contradicted(n) for n in range(NAMED + 3)] + [consistent(2, "某区人民政府")], [])
    ranking = pages["stats/index.md"].split("**行政复议和行政诉讼最多**")[1].split("## 表三")[0]
    named = [n for n in range(NAMED + 3) if f"第{n}局 2023 年" in ranking]
    assert len(named) == NAMED and f"等，共 {NAMED + 3} 份" in ranking and "[数据质量](../quality/index.md)" in ranking
