"""A region page's comparison of its sub-regions: each one's reports, agencies and years, how many of
its reports fail a check of their own figures, and a sub-region × year matrix of 新收申请, newest year
first with the years without reports as gaps, that never adds different years together
(render/policy.py).
"""
from __future__ import annotations

from dataclasses import dataclass

from builder.models import Report
from builder.render.catalog import Region
from builder.render.figures import Total, total_of
from builder.render.policy import year_span

MATRIX = "received"


@dataclass(frozen=True)
class Child:
    region: Region
    reports: int
    agencies: int
    years: list[int]  # the years it has reports of, newest first
    failed: int  # reports with a failed consistency check

    @property
    def failed_text(self) -> str:
        return f"{self.failed} 份" if self.reports else "—"


def failed(report: Report) -> bool:
    return any(c.status == "fail" for c in report.checks)


def children_rows(region: Region) -> list[Child]:
    rows = []
    for child in region.children:
        reports = child.reports
        rows.append(Child(child, len(reports), len({(r.region, r.agency) for r in reports if r.agency}),
                          sorted({r.year for r in reports if r.year}, reverse=True), sum(1 for r in reports if failed(r))))
    return rows


def year_matrix(region: Region) -> tuple[list[int], list[tuple[Region, list[Total | None]]], list[Total | None]]:
    """(the years, newest first with the years between without reports, each sub-region's 新收申请 per year
    (None: no report that year), this region's own per year); the matrix of a region without
    sub-regions is its own row alone."""
    years = year_span(r.year for r in region.reports if r.year)

    def row(reports: list[Report]) -> list[Total | None]:
        by_year: dict[int, list[Report]] = {}
        for report in reports:
            if report.year:
                by_year.setdefault(report.year, []).append(report)
        return [total_of(by_year[y], MATRIX) if y in by_year else None for y in years]

    return years, [(child, row(child.reports)) for child in region.children], row(region.reports)
