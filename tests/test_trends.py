"""An agency's trend: every year from its first report to its last, gaps where a year has no report
or no countable figure, changes only between consecutive years that both have one."""
from __future__ import annotations

import html
import json
import re

from factories import make_report_2019, make_report_2021, make_source

from builder.render.site import render_site
from builder.render.trends import change_text

REGION = ("江苏省", "淮安市", "洪泽区")


def hongze(year: int, template: str, received, **changes):
    make = make_report_2019 if template == "2019" else make_report_2021
    report = make(source=make_source(f"reports/江苏省/淮安市/洪泽区/hongze_{year}.txt", region=REGION),
                  agency="淮安市洪泽区人民政府", year=year, **changes)
    report.tables["applications"]["new_received"]["total"] = received
    return report


def test_changes_in_counts_and_percent():
    assert change_text(20, 25) == "+5（+25.0%）"
    assert change_text(20, 18) == "−2（−10.0%）"
    assert change_text(7, 7) == "±0（±0.0%）"
    assert change_text(0, 3) == "+3（上年为 0）"
    assert change_text(0, 0) == "±0"
    assert change_text(None, 3) == change_text(3, None) == "—"


def test_an_agency_trend_has_gaps_and_changes_across_formats():
    reports = [hongze(2020, "2019", 20), hongze(2021, "2021", 25), hongze(2023, "2021", None)]
    pages = render_site(reports, [])
    page = pages["agencies/淮安市洪泽区人民政府/index.md"]
    section = page[page.index("## 逐年变化"):page.index("## 跨年度核对")]
    assert "2020 年用 2019 版，2021 年用 2021 版，2022 年无年报，2023 年用 2021 版" in section
    assert "没有年报的年度（2022）" in section
    spec = json.loads(html.unescape(re.search(r'data-chart="([^"]+)"', section).group(1)))
    assert spec["type"] == "line" and spec["labels"] == ["2020", "2021", "2022", "2023"]
    received = next(s for s in spec["series"] if s["label"] == "本年新收申请")
    assert received["values"] == [20, 25, None, None]  # no report in 2022, unknown in 2023: gaps
    row = next(line for line in section.splitlines() if "本年新收申请</a> |" in line)
    assert row.startswith('| <a class="portal-term" href="../../glossary/#new_received"')  # the term's entry
    assert re.sub(r"<[^>]+>", "", row) == "| 本年新收申请 | +5（+25.0%） | — | — |"
    assert "| 项目 | 2021 | 2022 | 2023 |" in section and "比上一年增减" in section


def test_no_consecutive_years_no_change_table():
    page = render_site([hongze(2020, "2019", 20), hongze(2023, "2021", 25)], [])["agencies/淮安市洪泽区人民政府/index.md"]
    section = page[page.index("## 逐年变化"):page.index("## 跨年度核对")]
    assert "data-chart" in section and "无法逐年比较增减" in section and "本年新收申请</a> |" not in section


def test_one_year_has_no_trend():
    page = render_site([hongze(2021, "2021", 5)], [])["agencies/淮安市洪泽区人民政府/index.md"]
    assert "## 逐年变化" not in page
