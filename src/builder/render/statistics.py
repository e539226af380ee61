"""统计 (stats.md.j2): per year, the headline figures and outcome shares, table 三 summed cell by cell, the
charts across years, and the reports most received, refused and contested.
"""
from __future__ import annotations

from builder.extract.templates import TEMPLATES
from builder.render.catalog import Agency
from builder.render.charts import Series, chart
from builder.render.entries import Entry
from builder.render.figures import FIGURE, OUTCOMES, Tally, countable, figure_of, outcome_shares, ranked, ratio, total_of
from builder.render.headline import summary_context
from builder.render.marks import NAMED
from builder.render.quality import row_label
from builder.render.rows import report_rows
from builder.render.search_fields import site_fields
from builder.render.status import status_of


def stats_context(entries: list[Entry], years, agencies: list[Agency]) -> dict:
    reports = [e.report for e in entries]
    ascending = list(reversed(years))
    per_year = []
    for year in ascending:
        shares = outcome_shares(year.reports)
        per_year.append({"year": year, "summary": summary_context(year.reports), "shares": shares})
    labels = [f"{y.year}" for y in ascending]
    received = [total_of(y.reports, "received") for y in ascending]
    received_chart = chart("各年度新收申请", labels, [Series("本年新收申请（已知且无矛盾的部分）", tuple(
        t.value for t in received))]) if ascending else ""
    outcome_chart = chart("各年度办理结果", labels, [
        Series(FIGURE[k].label, tuple(p["shares"].counts[k] for p in per_year)) for k in OUTCOMES],
        stacked=True) if ascending else ""
    rows = {id(r["entry"]): r for r in report_rows(entries, agencies)}

    def ranking(value, limit=10):
        return [(v, rows[id(e)]) for v, e in ranked(entries, value, limit)]

    def reviews_and_lawsuits(entry):
        reviews, lawsuits = countable(entry.report, "reviews"), countable(entry.report, "lawsuits")
        return None if reviews is None or lawsuits is None else reviews + lawsuits

    return {
        "report_count": len(reports),
        "per_year": per_year,
        "tables": applications_by_year(years),
        "received_chart": received_chart,
        "received_left_out": sum(t.left_out for t in received),
        "outcome_chart": outcome_chart,
        "most_received": ranking(lambda e: countable(e.report, "received")),
        "most_refused": ranking(lambda e: ratio(e.report, "denied", "total_processed")),
        "most_contested": ranking(reviews_and_lawsuits),
        # reports a ranking leaves out because a figure it ranks by is contradicted: listed under it
        "received_contradicted": contradicted_in(entries, ("received",)),
        "refused_contradicted": contradicted_in(entries, ("denied", "total_processed")),
        "contested_contradicted": contradicted_in(entries, ("reviews", "lawsuits")),
        "named": NAMED,  # reports named under a ranking (a province's contradicted ones would fill the page)
        "figure": figure_of,
        "outcome_labels": [FIGURE[k].label for k in OUTCOMES],
        "outcome_keys": OUTCOMES,
        "row_label": row_label,
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
