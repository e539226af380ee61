"""A region page's comparison of its sub-regions: each one's key figures summed over its reports (the
aggregation policy of render/figures.py: what is not countable is left out and the total marked ≥),
the share of its reports whose own figures fail a check, and a sub-region × year matrix of 新收申请
that never adds different years together.
"""
from __future__ import annotations

from dataclasses import dataclass

from builder.models import Report
from builder.render.catalog import Region
from builder.render.figures import Total, total_of

SUMMED = ("received", "total_processed", "reviews", "lawsuits")
MATRIX = "received"


@dataclass(frozen=True)
class Child:
    region: Region
    reports: int
    agencies: int
    totals: dict[str, Total]
    failed: int  # reports with a failed consistency check

    @property
    def failed_text(self) -> str:
        if not self.reports:
            return "—"
        return f"{self.failed} 份（{100 * self.failed / self.reports:.0f}%）"


def failed(report: Report) -> bool:
    return any(c.status == "fail" for c in report.checks)


def children_rows(region: Region) -> list[Child]:
    rows = []
    for child in region.children:
        reports = child.reports
        rows.append(Child(child, len(reports), len({(r.region, r.agency) for r in reports if r.agency}),
                          {key: total_of(reports, key) for key in SUMMED}, sum(1 for r in reports if failed(r))))
    return rows


def year_matrix(region: Region) -> tuple[list[int], list[tuple[Region, list[Total | None]]], list[Total | None]]:
    """(the years, each sub-region's 新收申请 per year (None: no report that year), this region's own
    per year); the matrix of a region without sub-regions is its own row alone."""
    years = sorted({r.year for r in region.reports if r.year})

    def row(reports: list[Report]) -> list[Total | None]:
        by_year: dict[int, list[Report]] = {}
        for report in reports:
            if report.year:
                by_year.setdefault(report.year, []).append(report)
        return [total_of(by_year[y], MATRIX) if y in by_year else None for y in years]

    return years, [(child, row(child.reports)) for child in region.children], row(region.reports)
