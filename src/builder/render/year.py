"""按年度 (years_index.md.j2): every year's headline totals; and each year's pages (year.md.j2): its
headline figures and its reports, a page's worth at a time.
"""
from __future__ import annotations

from builder.render.catalog import Agency, Year
from builder.render.entries import entry_place
from builder.render.figures import FIGURE
from builder.render.headline import HEADLINE, summary_context
from builder.render.paging import paginate
from builder.render.policy import same_scope, year_rows
from builder.render.rows import report_rows

YEAR_PAGE = 180  # reports on one page of a year's list (≤ 200 KB of HTML: 250 came to 244 KB)


def year_pages(years: list[Year], agencies: list[Agency]):
    """(path, template, context) of 按年度 and of each year's pages."""
    yield "years/index.md", "years_index.md.j2", {  # each year on its own, the gap years and 同口径 totals
        "year_rows": year_rows([r for y in years for r in y.reports], HEADLINE)}
    by_year = {y.year: y.reports for y in years}
    for year in years:
        summary = summary_context(year.reports)
        # 同口径: the agencies that also reported in the latest earlier year with reports (render/policy.py)
        summary["same"] = [(FIGURE[k].label, same_scope(by_year, year.year, k)) for k in HEADLINE]
        for path, chunk, pager in paginate(year.address, year.entries, YEAR_PAGE, entry_place):
            yield path, "year.md.j2", {"year": year, **summary, "rows": report_rows(chunk, agencies), "pager": pager}
