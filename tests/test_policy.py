"""Statistics that cannot mislead (render/policy.py), on the sample portal: reports/ plus two variants of
real fixtures whose prose restates 新收 in another scope (tests/variants.py: 平潭 2022, whose 「收到…81件」
counts the carried-over application, and 平潭综合实验区管理委员会 2020, whose 「区政府办代表区政府受理…17件」
is one office's part).

Each year on its own (no page shows a headline figure summed over two years; every time axis keeps the
years without reports as gaps; each year's total with its report count and its 同口径 total), enough
cases (every rate ranked or charted rests on MIN_BASE cases or more), a contradiction is not a zero
(爱民区 2020's 不予公开率), and the three kinds of inconsistency kept apart.
"""
from __future__ import annotations

import html
import itertools
import json
import re
from pathlib import Path

import pytest
from page_tables import html_rows

from builder.render.policy import MIN_BASE

YEARS = (2020, 2022, 2023)
GAP = 2021
AIMIN = "2020-牡丹江市爱民区人民政府"
VARIANTS = ("2022-平潭综合实验区", "2020-平潭综合实验区管理委员会")


@pytest.fixture(scope="module")
def content(policy_content) -> Path:
    return policy_content


def page(content: Path, path: str) -> str:
    return (content / path).read_text(encoding="utf-8")


def data(content: Path, slug: str) -> dict:
    return json.loads(page(content, f"data/{slug}.json"))


def generated(content: Path) -> dict[str, str]:
    """Every generated page but the reports' own (their prose is the report's, numbers and all)."""
    return {str(p.relative_to(content)): p.read_text(encoding="utf-8") for p in content.rglob("*.md")
            if not p.relative_to(content).as_posix().startswith("reports/")}


def year_totals(content: Path, key: str) -> dict[int, int]:
    """Each year's total of a headline figure over its reports whose figure counts, from the open data."""
    paths = {"received": ("applications", "new_received"), "total_processed": ("applications", "total_processed")}
    table, row = paths[key]
    totals: dict[int, int] = {}
    for path in (content / "data").glob("20*.json"):
        report = json.loads(path.read_text(encoding="utf-8"))
        failing = {c for check in report["checks"] for f in check["failures"] for c in f["cells"]}
        value = report["tables"][table][row]["total"]
        if isinstance(value, int) and f"{table}.{row}.total" not in failing:
            totals[report["year"]] = totals.get(report["year"], 0) + value
    return totals


def charts(text: str) -> list[dict]:
    return [json.loads(html.unescape(m)) for m in re.findall(r'data-chart="([^"]*)"', text)]


# ---------------------------------------------------------------- each year on its own

def test_no_page_shows_a_headline_figure_summed_over_years(content):
    for key in ("received", "total_processed"):
        totals = year_totals(content, key)
        assert set(totals) == set(YEARS)
        sums = {sum(totals[y] for y in years) for n in (2, 3) for years in itertools.combinations(YEARS, n)}
        sums -= set(totals.values())  # a year's own total is no sum of years
        for path, text in generated(content).items():
            figures = "\n".join(line for line in text.splitlines()  # tables, lists of reports and charts
                                 if line.startswith(("|", "<tr")) or "data-chart" in line)
            figures = re.sub(r"\]\([^)]*\)|href=\"[^\"]*\"", "", figures)  # link targets: %E5%82…
            shown = {int(n) for n in re.findall(r"(?<![\d.%])≥?(\d+)(?![\d.%])", figures)}
            assert not shown & sums, (key, path, shown & sums)
    home = page(content, "index.md")
    assert "全部年度合计" not in home and "各年度合计" not in page(content, "regions/福建省/index.md")


def test_every_time_axis_shows_the_years_without_reports(content):
    stats = page(content, "stats/index.md")
    for spec in charts(stats):
        assert any(label.startswith(f"{GAP}") and "无年报" in label for label in spec["labels"]), spec["labels"]
        gap = next(i for i, label in enumerate(spec["labels"]) if label.startswith(str(GAP)))
        assert all(s["values"][gap] is None for s in spec["series"])  # a gap, never 0
    for path in ("index.md", "stats/index.md", "regions/福建省/index.md"):
        assert f"| {GAP} 年 | 无年报 |" in page(content, path), path
    region = page(content, "regions/福建省/index.md")
    assert "| 地区 | 2023 | 2022 | 2021 | 2020 |" in region  # newest first, the gap kept
    trend = charts(page(content, "agencies/平潭综合实验区/index.md"))[0]
    assert trend["labels"] == ["2020", "2021", "2022", "2023"] and all(s["values"][1] is None for s in trend["series"])


def test_each_years_total_carries_its_report_count_and_its_same_scope_total(content):
    for path in ("index.md", "stats/index.md"):
        text = page(content, path)
        for year, count in ((2023, 2), (2022, 1), (2020, 7)):
            row = next(line for line in text.splitlines() if line.startswith(f"| [{year} 年]"))
            assert f"| {count} 份 |" in row, (path, row)
        same = text[text.index("**同口径比较**"):]
        # 平潭综合实验区 reported in 2023 and 2022, and in 2022 and 2020: its own figures side by side
        assert "| 2023 年 | 2022 年 | 1 个 | 81 / 80 |" in same and "| 2022 年 | 2020 年 | 1 个 | 80 / 21 |" in same
    year = page(content, "years/2022/index.md")
    assert "**同口径**：本年度与 2020 年都有年报的 1 个机关" in year


# ---------------------------------------------------------------- enough cases

def test_every_rate_ranked_rests_on_at_least_min_base(content):
    bases = {"denial_rate": 1, "review_correction_rate": None}  # column of the base among the rate's columns
    for year in YEARS:
        for key in bases:
            text = page(content, f"rankings/{year}/{key}/index.md")
            for row in html_rows(text):
                numbers = [int(n) for n in row[6:]]
                base = numbers[1] if key == "denial_rate" else numbers[1] - numbers[2]
                assert base >= MIN_BASE, (year, key, row)
    stats = page(content, "stats/index.md")
    for part in stats.split("**不予公开比例最高**")[1:]:
        table = part.split("**行政复议和行政诉讼最多**")[0]
        for line in table.splitlines():
            if re.match(r"\| \d+\. \[", line):
                assert int(line.split("|")[3]) >= MIN_BASE, line
    for spec in charts(stats):
        if spec["unit"] == "%":  # outcome shares: only the years whose outcomes rest on MIN_BASE cases
            assert spec["series"][0]["values"][0] is None  # 2020: 1 case in the shares' reports


def test_a_share_below_min_base_is_counts_with_its_base_never_a_bare_percentage(content):
    year = page(content, "years/2020/index.md")
    assert "1 件中 1 件（样本太少）" in year and "100.0%" not in year
    assert 'data-chart' not in year.split("## 本年度年报")[0]  # no chart of 1 case
    glossary = page(content, "glossary/index.md")
    assert "样本太少" in glossary and f"不足 {MIN_BASE} 件" in glossary


# ---------------------------------------------------------------- contradiction, not zero

def test_aimin_2020s_rate_over_a_contradicted_total_is_listed_as_contradicted(content):
    text = page(content, "rankings/2020/denial_rate/index.md")
    line = next(line for line in text.split("## 不参加排名的年报")[1].splitlines() if "牡丹江市爱民区人民政府" in line)
    assert "⚠不符" in line and "报告所印办理结果总计为 0，各项办理结果之和为 3" in line and "分母为 0" not in line


# ---------------------------------------------------------------- whose inconsistency

@pytest.mark.parametrize("slug", VARIANTS)
def test_prose_of_another_scope_is_no_contradiction_counts_and_settles_nothing(content, slug):
    report = data(content, slug)
    received = [s for s in report["statements"] if s["figure"] == "received"]
    assert received and all(s["use"] == "scope_in_doubt" for s in received)
    assert report["prose_differences"] == []
    failing = {c for check in report["checks"] for f in check["failures"] for c in f["cells"]}
    assert "applications.new_received.total" not in failing
    assert not [w for w in report["warnings"] if w["code"] == "cell.settled_by_text"
                and w["where"].startswith("applications.")]
    text = page(content, f"reports/{slug}/index.md")
    keys = text.split("</section>")[0]
    new = re.search(r"<dt>本年新收申请</dt><dd>(.*?)</dd>", keys).group(1)
    assert "⚠不符" not in new and "正文另述" not in new
    # it counts in its year's total: the year's 新收 is complete (no ≥)
    year = report["year"]
    row = next(line for line in page(content, "stats/index.md").splitlines() if line.startswith(f"| [{year} 年]"))
    assert row.split("|")[3].strip() == str(year_totals(content, "received")[year])


def test_prose_of_the_same_scope_that_differs_is_a_note_that_counts(content):
    report = data(content, AIMIN)  # 受理依申请公开 1 件 against 新收 3
    assert [(d["prose"], d["table"]) for d in report["prose_differences"]] == [(1, 3)]
    assert all(c["rule"] != "text.matches_table" for c in report["checks"])
    text = page(content, f"reports/{AIMIN}/index.md")
    assert "正文另述" in text.split("## 一、")[0]  # in the key figures and the 数据核对 box
    assert "portal-mark--differs" in text
    stats = page(content, "stats/index.md")
    assert "| 3 |" in stats.split("**新收申请最多**")[-1]  # ranked with its table's 3


def test_quality_counts_the_reports_own_problems_apart_from_ours(content):
    quality = page(content, "quality/index.md")
    section = quality[quality.index("## 问题出在哪里"):]
    for kind in ("**原文问题**：⚠不符", "**原文问题**：年报留空的单元格", "**原文问题**：年报缺印的行",
                 "**正文另述**", "**本站未能读出**"):
        assert kind in section, kind
    differs = next(line for line in section.splitlines() if line.startswith("| **正文另述**"))
    assert "| 1 份 | 1 处 |" in differs  # 爱民区 2020 only: the two variants raise none


def test_the_badge_shows_each_kind_with_the_count_its_text_lists(content):
    home = page(content, "index.md")
    badges = re.findall(r'<span class="portal-status[^"]*" title="([^"]*)">(.*?)</span></td>', home)
    assert badges
    for summary, shown in badges:
        if shown == "✓ 通过":
            continue
        items = re.findall(r">([^<>]+) (\d+) ([项格处条])</span>", shown)
        listed = re.findall(r"(\d+) ([项格处条])(核对不符|无法核对|未知|正文另述|人工更正|提示)", summary)
        assert [(n, unit) for _, n, unit in items] == [(n, unit) for n, unit, _ in listed], (summary, shown)


# ---------------------------------------------------------------- the report page

def test_every_report_page_opens_with_its_key_figures_before_section_one(content):
    for path in (content / "reports").glob("20*/index.md"):
        text = path.read_text(encoding="utf-8")
        keys = text.index('<section class="portal-keys"')
        assert keys < text.index("## 一、"), path
        for label in ("本年新收申请", "办理结果总计", "行政复议", "行政诉讼"):
            assert f"<dt>{label}</dt>" in text[keys:text.index("</section>")], (path, label)


def test_the_sections_prose_holds_no_table_residue(content):
    report = data(content, "2023-淮安市洪泽区人民政府")
    for key, text in report["sections"].items():
        assert "第二十条第（一）项" not in text and "申请人情况" not in text and "勾稽关系为" not in text, key


def test_a_row_printed_merged_is_shown_as_printed(tmp_path):
    """2021's （六）其他处理 printed as one row: one row of the report's numbers, never 3.其他 beside two unknowns."""
    from variants import REPORTS, other_processing_printed_merged

    from builder.pipeline import parse
    from builder.render.site import render_site
    from builder.validate import check

    path = tmp_path / "平潭综合实验区2023年度政府信息公开工作年度报告.txt"
    path.write_text(other_processing_printed_merged(
        (REPORTS / "web-text-cells-run-together-2021.txt").read_text(encoding="utf-8")), encoding="utf-8")
    pages = render_site([check(parse(path))], [])
    page = next(text for name, text in pages.items() if name.startswith("reports/") and name.endswith("/index.md"))
    table = page[page.index('<table class="portal-official portal-applications">'):]
    table = table[:table.index("</table>")]
    row = next(line for line in table.splitlines() if "（报告印为一行" in line)
    assert "（六）其他处理" in row and re.findall(r"<td[^>]*>(\d+)", row) == ["2", "0", "0", "0", "0", "0", "2"]
    assert "3.其他" not in table and "申请人无正当理由逾期不补正" not in table
