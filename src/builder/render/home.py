"""The home page (index.md.j2): the headline figures per year (render/policy.py: never a total over
all years), the latest reports and how many regions and years the portal holds.
"""
from __future__ import annotations

from builder.render.catalog import Agency, Region, walk
from builder.render.entries import Entry, failures_of
from builder.render.headline import HEADLINE
from builder.render.policy import year_rows
from builder.render.rows import report_rows

LATEST = 10


def home_context(entries: list[Entry], agencies: list[Agency], regions: Region, years) -> dict:
    found = [e for e in entries if e.report]
    reports = [e.report for e in found]
    return {  # each year on its own, with its report count and 同口径 totals
        "year_rows": year_rows(reports, HEADLINE),
        "report_count": len(reports),
        "agency_count": len({(r.region, r.agency) for r in reports if r.agency}),
        "latest": report_rows(found[:LATEST], agencies),
        "more": max(0, len(found) - LATEST),
        "failure_count": len(failures_of(entries)),
        # a region counts when it holds a parsed report: a folder of files that could not be read does not
        "region_count": sum(1 for node in walk(regions)[1:] if node.reports),
        "province_count": sum(1 for node in regions.children if node.reports),
        "years": [y.year for y in years],
    }
