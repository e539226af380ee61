"""统计 (stats.md.j2): per year, the headline figures and outcome shares, table 三 summed cell by cell, the
charts across years, and the reports most received, refused and contested, each year on its own
(render/policy.py).
"""
from __future__ import annotations

from builder.extract.templates import TEMPLATES
from builder.render.catalog import Agency
from builder.render.charts import Series, chart
from builder.render.entries import Entry
from builder.render.figures import FIGURE, OUTCOMES, Tally, countable, figure_of, outcome_shares, ranked, ratio
from builder.render.headline import HEADLINE, summary_context
from builder.render.marks import NAMED
from builder.render.policy import counts_text, enough, median_per_report, year_rows, year_span
from builder.render.quality import row_label
from builder.render.rows import report_rows
from builder.render.search_fields import site_fields
from builder.render.status import status_of


def stats_context(entries: list[Entry], years, agencies: list[Agency]) -> dict:
    """统计: each year on its own (render/policy.py): per-year rows newest first with their report counts
    and 同口径 totals, charts over every year from the first to the last (a year without reports a gap),
    outcome shares only on MIN_BASE cases or more, and the lists per year, known zeros included."""
    reports = [e.report for e in entries]
    per_year = []
    for year in years:  # newest first
        per_year.append({"year": year, "summary": summary_context(year.reports), "shares": outcome_shares(year.reports)})
    by_year = {item["year"].year: item for item in per_year}
    axis = list(reversed(year_span(by_year)))  # a time axis runs oldest → newest, with its gaps
    labels = [f"{y}（{len(by_year[y]['year'].reports)} 份）" if y in by_year else f"{y}（无年报）" for y in axis]
    medians = [median_per_report(by_year[y]["year"].reports, "received") if y in by_year else None for y in axis]
    received_chart = chart("各年度每份年报的新收申请（中位数）", labels,
                           [Series("每份年报新收申请的中位数（件）", tuple(medians))], time=True) if axis else ""
    shared = [by_year[y]["shares"] if y in by_year else None for y in axis]
    outcome_chart = chart("各年度办理结果构成（%）", labels, [
        Series(FIGURE[k].label, tuple(round(100 * s.counts[k] / s.total_processed, 1)
                                      if s and enough(s.total_processed) else None for s in shared))
        for k in OUTCOMES], stacked=True, unit="%", time=True) if axis else ""
    rows = {id(r["entry"]): r for r in report_rows(entries, agencies)}

    def reviews_and_lawsuits(entry):
        reviews, lawsuits = countable(entry.report, "reviews"), countable(entry.report, "lawsuits")
        return None if reviews is None or lawsuits is None else reviews + lawsuits

    def refused(entry):
        base = countable(entry.report, "total_processed")
        return ratio(entry.report, "denied", "total_processed") if enough(base) else None

    lists = []
    for year in years:  # per year only: never one ranking over several years
        mine = [e for e in entries if e.report.year == year.year]

        def ranking(value, limit=10, mine=mine):
            """(rank, value, row): equal values share a rank (1, 2, 2, 4)."""
            out, rank, previous = [], 0, None
            for n, (v, e) in enumerate(ranked(mine, value, limit), start=1):
                if v != previous:
                    rank, previous = n, v
                out.append((rank, v, rows[id(e)]))
            return out

        lists.append({
            "year": year.year, "reports": len(mine),
            "most_received": ranking(lambda e: countable(e.report, "received")),
            "received_known": sum(1 for e in mine if countable(e.report, "received") is not None),
            "most_refused": ranking(refused),
            "refused_known": sum(1 for e in mine if refused(e) is not None),
            "refused_few": [(rows[id(e)], countable(e.report, "denied"), countable(e.report, "total_processed"))
                            for e in mine if countable(e.report, "total_processed") is not None
                            and countable(e.report, "denied") is not None
                            and not enough(countable(e.report, "total_processed"))],
            "most_contested": ranking(reviews_and_lawsuits),
            "contested_known": sum(1 for e in mine if reviews_and_lawsuits(e) is not None),
            # reports a list leaves out because a figure it ranks by is contradicted: listed under it
            "received_contradicted": contradicted_in(mine, ("received",)),
            "refused_contradicted": contradicted_in(mine, ("denied", "total_processed")),
            "contested_contradicted": contradicted_in(mine, ("reviews", "lawsuits")),
        })

    return {
        "report_count": len(reports),
        "year_rows": year_rows(reports, HEADLINE),
        "per_year": per_year,
        "tables": applications_by_year(years),
        "received_chart": received_chart,
        "outcome_chart": outcome_chart,
        "lists": lists,
        "named": NAMED,  # reports named under a ranking (a province's contradicted ones would fill the page)
        "figure": figure_of,
        "outcome_labels": [FIGURE[k].label for k in OUTCOMES],
        "outcome_keys": OUTCOMES,
        "row_label": row_label,
        "counts_text": counts_text,
        "search_fields": site_fields("统计"),
    }


def contradicted_in(entries: list[Entry], keys: tuple[str, ...]) -> list[tuple[Entry, list[tuple[str, object]]]]:
    """The reports where one of the figures ``keys`` is contradicted, with those figures (label, status)."""
    found = []
    for entry in entries:
        figures = [(FIGURE[k].label, figure_of(entry.report, k)) for k in keys]
        if any(f.kind == "contradicted" for _, f in figures):
            found.append((entry, figures))
    return found


def applications_by_year(years) -> list[dict]:
    """Table 三 summed per year and format (the two formats' 其他处理 rows differ), cell by cell by the
    aggregation policy (render/status.py): unknown and contradicted cells are left out and counted."""
    tables = []
    for year in years:
        for template in TEMPLATES.values():
            reports = [r for r in year.reports if r.template == template.key]
            if not reports:
                continue
            table = template.table("applications")
            paths = [f"applications.{row.key}.{c.key}" for row in table.rows for c in row.columns]
            tallies = [Tally() for _ in paths]  # one pass over the reports
            unknown = contradicted = 0
            for report in reports:
                status = status_of(report)
                values = status.uncontradicted_values(paths)
                if values is not None:  # a cell's status is its value: 2.6 s of 10,000 reports' build
                    unknown += any(v is None for v in values)
                    for tally, value in zip(tallies, values):
                        tally.add_uncontradicted(value)
                    continue
                cells = [status.cell(path) for path in paths]
                unknown += any(c.value is None for c in cells)
                contradicted += any(c.contradictions for c in cells)
                for tally, cell in zip(tallies, cells):
                    tally.add(report, cell)
            totals = iter(t.total() for t in tallies)
            rows = [(row, [next(totals) for _ in row.columns]) for row in table.rows]
            tables.append({"year": year.year, "template": template, "count": len(reports), "table": table,
                           "rows": rows, "unknown": unknown, "contradicted": contradicted})
    return tables
