"""排名: per year, only reports whose value is known and not contradicted, equal values sharing a rank,
rates per report, the count each ranking rests on, the others listed below it."""
from __future__ import annotations

from factories import make_report_2021, make_source
from page_tables import html_rows

from builder.render.site import render_site


def agency(name: str, region: tuple[str, ...], year: int, received, denied_first=0, total=None):
    report = make_report_2021(source=make_source(f"reports/{'/'.join(region)}/{name}{year}.txt", region=region),
                              agency=name, year=year)
    apps = report.tables["applications"]
    apps["new_received"]["total"] = received
    for key in list(apps):
        if key.startswith("denied_"):
            apps[key]["total"] = 0
    apps["denied_state_secret"]["total"] = denied_first
    apps["total_processed"]["total"] = total
    return report


def test_rankings_per_year_with_shared_ranks_rates_and_the_reports_left_out():
    county = ("江苏省", "淮安市", "洪泽区")
    reports = [agency("淮安市洪泽区人民政府", county, 2023, 40, 2, 20),
               agency("洪泽区教育局", county, 2023, 40, 1, 4),
               agency("淮安市人民政府", ("江苏省", "淮安市"), 2023, 90, 0, 0),
               agency("洪泽区公安局", county, 2023, None, 0, 10),
               agency("洪泽区教育局", county, 2022, 500, 0, 10)]  # another year: never in 2023's ranking
    pages = render_site(reports, [])
    received = pages["rankings/2023/received/index.md"]
    assert "2023 年的 4 份年报中，**3 份**有已知且无矛盾的新收申请，参加排名；1 份不参加" in received
    rows = html_rows(received)
    assert sorted((r[0], r[1], r[3], r[4], r[5]) for r in rows) == [
        ("1", "淮安市人民政府", "市级", "人民政府", "90"),
        ("2", "洪泽区教育局", "县级", "部门", "40"),
        ("2", "淮安市洪泽区人民政府", "县级", "人民政府", "40")]  # equal values share a rank
    assert "## 不参加排名的年报" in received and "洪泽区公安局" in received.split("## 不参加排名的年报")[1]
    assert "500" not in received
    rate = pages["rankings/2023/denial_rate/index.md"]
    rows = html_rows(rate)
    # a rate over fewer than MIN_BASE (10) cases is not ranked: 1 of 4 is listed below as counts
    assert [(r[0], r[1], r[5], r[6], r[7]) for r in rows] == [
        ("1", "淮安市洪泽区人民政府", "10.0%", "2", "20"), ("2", "洪泽区公安局", "0.0%", "0", "10")]
    left = rate.split("## 不参加排名的年报")[1]
    assert "淮安市人民政府" in left and "无法计算（分母为 0）" in left  # 0 ÷ 0 is no rate
    assert "洪泽区教育局" in left and "4 件中 1 件（样本太少）" in left and "25.0%" not in rate
    index = pages["rankings/index.md"]
    assert index.index("## 2023 年（4 份年报）") < index.index("## 2022 年（1 份年报）")
    assert "[新收申请](2023/received/index.md)：3 份年报参加排名" in index


def test_a_contradicted_figure_takes_no_part_in_its_ranking():
    from test_compare import contradicted
    county = ("江苏省", "淮安市", "洪泽区")
    note = "本年新收申请（正文：“共收到申请1件”）：正文为 1，表中为 40"
    reports = [contradicted(agency("淮安市洪泽区人民政府", county, 2023, 40, 2, 20), "applications.new_received.total", note),
               agency("洪泽区教育局", county, 2023, 30, 1, 4)]
    page = render_site(reports, [])["rankings/2023/received/index.md"]
    assert [r[1] for r in html_rows(page)] == ["洪泽区教育局"]
    left = page.split("## 不参加排名的年报")[1]
    assert "淮安市洪泽区人民政府" in left and "⚠不符" in left and "正文为 1，表中为 40" in left


def test_a_long_ranking_lists_each_report_left_out_once_after_the_ranked_ones_in_pages_of_a_size(monkeypatch):
    """A province's 复议纠错率 leaves out most reports (no 行政复议: no rate); each is listed once, after the
    ranked rows and in the same pages, never on every page, and every page says where the list is."""
    from builder.render import rankings

    monkeypatch.setattr(rankings, "PAGE_SIZE", 4)
    county = ("江苏省", "淮安市", "洪泽区")
    reports = [agency(f"洪泽区第{n}局", county, 2023, n + 1, 1, 10) for n in range(6)]
    reports += [agency(f"洪泽区第{n}所", county, 2023, n + 1, 0, 0) for n in range(5)]  # 0 ÷ 0: left out
    pages = render_site(reports, [])
    paths = ["rankings/2023/denial_rate/index.md", "rankings/2023/denial_rate-2/index.md", "rankings/2023/denial_rate-3/index.md"]
    assert sorted(p for p in pages if p.startswith("rankings/2023/denial_rate")) == sorted(paths)
    ranked = [r[1] for p in paths for r in html_rows(pages[p])]
    assert sorted(ranked) == sorted(f"洪泽区第{n}局" for n in range(6))
    left = [line for p in paths for line in pages[p].split("## 不参加排名的年报")[-1].splitlines()
            if "## 不参加排名的年报" in pages[p] and line.startswith("- [")]
    assert sorted(line.split("]")[0].lstrip("- [") for line in left) == sorted(f"洪泽区第{n}所" for n in range(5))
    assert all(line.endswith("：无法计算（分母为 0）") for line in left)  # said once, not twice
    assert "## 不参加排名的年报" not in pages[paths[0]]  # the first page holds ranked rows only
    assert "6 份**有已知且无矛盾的不予公开率，参加排名；5 份不参加（列在[第 2 页](../denial_rate-2/index.md)）" in pages[paths[0]]
    assert "5 份不参加（见表下）" in pages[paths[1]]
    assert "没有可以排名的年报" not in pages[paths[2]]  # a page of left-out reports only
