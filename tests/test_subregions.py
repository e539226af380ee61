"""A region page compares its sub-regions (reports, agencies, years, reports failing a check) and shows a
sub-region × year matrix, newest year first with the years without reports, that never adds two years
together; its key figures are per year (render/policy.py), never summed over years."""
from __future__ import annotations


from factories import make_report_2019, make_report_2021, make_source

from builder.models import CheckResult
from builder.render.site import render_site


def report(make, region: tuple[str, ...], agency: str, year: int, received, failing: bool = False):
    checks = (CheckResult("applications.balance", "fail" if failing else "pass", "…"),)
    made = make(source=make_source(f"reports/{'/'.join(region)}/{agency}{year}.txt", region=region),
                agency=agency, year=year, checks=checks)
    made.tables["applications"]["new_received"]["total"] = received
    return made


def row(page: str, start: str) -> list[str]:
    line = next(line for line in page.splitlines() if line.startswith(start))
    return [c.strip() for c in line.strip("|").split("|")]


def test_sub_regions_figures_and_the_region_by_year_matrix():
    reports = [report(make_report_2019, ("江苏省", "淮安市", "洪泽区"), "洪泽区人民政府", 2020, 10, failing=True),
               report(make_report_2021, ("江苏省", "淮安市", "洪泽区"), "洪泽区人民政府", 2022, 12),
               report(make_report_2021, ("江苏省", "淮安市", "淮阴区"), "淮阴区人民政府", 2022, None),
               report(make_report_2021, ("江苏省", "淮安市", "淮阴区"), "淮阴区教育局", 2022, 5)]
    pages = render_site(reports, [])
    city = pages["regions/江苏省/淮安市/index.md"]
    hongze = row(city, "| [洪泽区]")
    assert hongze[1:] == ["2", "1", "2022、2020", "1 份"]  # no figure summed over 2020 and 2022 (10 + 12)
    huaiyin = row(city, "| [淮阴区]")
    assert huaiyin[1:] == ["2", "2", "2022", "0 份"]
    matrix = city[city.index("## 各年度新收申请"):]
    assert row(matrix, "| 地区 |") == ["地区", "2022", "2021", "2020"]  # 2021: no report, a gap
    assert row(matrix, "| [洪泽区]")[1:] == ["12", "无年报", "10"]
    assert row(matrix, "| [淮阴区]")[1:] == ["≥5", "无年报", "无年报"]
    assert row(matrix, "| **淮安市合计**")[1:] == ["≥17", "无年报", "10"]
    assert "| 22 |" not in city and "≥27" not in city  # 10 + 12, 10 + 17: years never added
    years = city[city.index("## 各年度主要数字"):]
    assert row(years, "| [2022 年]")[1] == "3 份" and row(years, "| [2022 年]")[2].startswith("≥17<") and row(years, "| 2021 年")[1] == "无年报"
    county = pages["regions/江苏省/淮安市/洪泽区/index.md"]  # no sub-regions: its own row
    assert "## 下级地区" not in county
    assert row(county[county.index("## 各年度新收申请"):], "| 洪泽区 |")[1:] == ["12", "无年报", "10"]
