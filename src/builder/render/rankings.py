"""排名: per year (never mixing years), the agencies ranked by one figure or rate of their report.

A rate is worked out per report (不予公开率 = 不予公开 ÷ 办理结果总计, 复议纠错率 = 结果纠正 ÷ 已审结的行政复议),
so that a large agency's many cases do not drown a small one's; a rate over fewer than ``MIN_BASE``
cases is not ranked (render/policy.py): it is listed below with its counts. A report takes part in a ranking only
where its value is known and not contradicted (render/compare.py's values, the status every page
shows); the others are listed below the ranking with why. Each ranking says how many reports it rests
on; equal values share a rank (1, 2, 2, 4). The rows carry 地区, 级别 (省级/市级/县级) and 类型 (人民政府/部门)
so that the list filters by them (page.js's filter box) and sorts by any column (tables.js).
"""
from __future__ import annotations

from dataclasses import dataclass

from builder.render.catalog import Agency
from builder.render.compare import MEASURE, Measure, Value, kind_of, report_values
from builder.render.entries import Entry, page_file
from builder.render.figures import format_number
from builder.render.paging import paginate
from builder.render.policy import MIN_BASE
from builder.render.search_fields import level_of, site_fields

INDEX = "rankings/index.md"
RANKED = ("received", "total_processed", "denial_rate", "review_correction_rate", "review_total", "lawsuits_total")
LABELS = {"received": "新收申请", "total_processed": "办理结果总计", "denial_rate": "不予公开率",
          "review_correction_rate": "复议纠错率", "review_total": "行政复议", "lawsuits_total": "行政诉讼"}
# what a rate rests on, shown beside it: (label, measure)
BASES = {"denial_rate": (("不予公开", "denied"), ("办理总计", "total_processed")),
         "review_correction_rate": (("结果纠正", "review_corrected"), ("复议总计", "review_total"),
                                    ("尚未审结", "review_pending"))}
PAGE_SIZE = 350  # rows on one page, ranked or left out: ≤ 200 KB of HTML (at 10,000 reports 400 rows came to 203 KB)
LEFT_OUT = {"unknown": "未知", "contradicted": "⚠不符（数字与同一年报的其他数字不一致）", "undefined": "无法计算（分母为 0）",
            "few": f"样本太少（分母不足 {MIN_BASE} 件）"}


def address_of(year: int, key: str) -> str:
    return f"rankings/{year}/{key}"


def page_of(year: int, key: str) -> str:
    return page_file(address_of(year, key))


@dataclass(frozen=True)
class Row:
    rank: int
    agency: Agency
    entry: Entry
    value: Value
    values: dict[str, Value]

    @property
    def level(self) -> str:
        return level_of(self.agency.region) or "未知"

    @property
    def kind(self) -> str:
        return kind_of(self.agency)


def value_text(value: Value, measure: Measure) -> str:
    if value.kind == "few":
        return value.note  # the counts: 「2 件中 1 件（样本太少）」
    if value.number is None:
        return LEFT_OUT.get(value.kind, "未知")
    return f"{value.number:.1f}%" if measure.unit == "%" else format_number(value.number)


def year_reports(agencies: list[Agency], year: int) -> list[tuple[Agency, Entry, dict[str, Value]]]:
    """Each agency's report of ``year`` (one per agency, as on its page) with its values."""
    found = []
    for agency in agencies:
        report = agency.by_year().get(year)
        if report is not None:
            entry = next(e for e in agency.entries if e.report is report)
            found.append((agency, entry, report_values(report)))
    return found


def ranking(reports: list[tuple[Agency, Entry, dict[str, Value]]], key: str) -> tuple[list[Row], list[Row]]:
    """(the ranked rows, highest first with shared ranks; the reports left out, with their value)."""
    ranked, left_out = [], []
    for agency, entry, values in reports:
        value = values[key]
        if value.kind == "absent":
            continue
        row = Row(0, agency, entry, value, values)
        (ranked if value.kind in ("known", "corrected") else left_out).append(row)
    ranked.sort(key=lambda r: -r.value.number)  # stable: equal values keep the agencies' order
    rows, rank, previous = [], 0, None
    for n, row in enumerate(ranked, start=1):
        if row.value.number != previous:
            rank, previous = n, row.value.number
        rows.append(Row(rank, row.agency, row.entry, row.value, row.values))
    return rows, left_out


def rankings_pages(agencies: list[Agency], years: list[int]):
    """(path, template, context) of 排名's index and each year's ranking by each figure, in pages."""
    per_year = []
    for year in sorted(years, reverse=True):
        reports = year_reports(agencies, year)
        rankings = []
        for key in RANKED:
            rows, left_out = ranking(reports, key)
            rankings.append((key, len(rows)))
            measure = MEASURE[key]
            # the reports left out follow the ranked ones, in the same pages (a province's 复议纠错率 leaves
            # out thousands of reports without a 行政复议: listed on every page, they outgrew it)
            pages = paginate(address_of(year, key), [*rows, *left_out], PAGE_SIZE,
                             lambda r: f"第 {r.rank} 名" if r.rank else "不参加排名的年报")
            listed_from = next((n for n, (_, chunk, _) in enumerate(pages) if chunk and not chunk[-1].rank), 0)
            for path, chunk, pager in pages:
                yield path, "ranking.md.j2", {
                    "year": year, "key": key, "label": LABELS[key], "measure": measure,
                    "rows": [r for r in chunk if r.rank], "left_out": [r for r in chunk if not r.rank],
                    "left_out_count": len(left_out), "left_out_page": (pages[listed_from][0], listed_from + 1),
                    "ranked": len(rows), "reports": len(reports), "pager": pager,
                    "bases": BASES.get(key, ()), "text": lambda v, m=measure: value_text(v, m),
                    "number": lambda v: value_text(v, MEASURE["received"]),
                    "others": [(k, LABELS[k]) for k in RANKED if k != key], "page_of": page_of,
                    "left_out_words": LEFT_OUT, "search_fields": "", "min_base": MIN_BASE}
        per_year.append((year, len(reports), rankings))
    yield INDEX, "rankings_index.md.j2", {"per_year": per_year, "labels": LABELS, "page_of": page_of,
                                          "search_fields": site_fields("排名"), "min_base": MIN_BASE}
