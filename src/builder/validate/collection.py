"""Rules over the whole collection of reports, not one report: two files for one agency and year."""
from __future__ import annotations

import dataclasses
from collections import defaultdict

from builder.models import Finding, Report


def flag_duplicates(reports: list[Report]) -> list[Report]:
    """Reports of the same agency and year get an error naming every file involved."""
    by_key: dict[tuple[str, int], list[Report]] = defaultdict(list)
    for r in reports:
        if r.agency and r.year:
            by_key[(r.agency, r.year)].append(r)
    out = []
    for r in reports:
        same = by_key.get((r.agency, r.year), []) if r.agency and r.year else []
        if len(same) > 1:
            others = "、".join(sorted(str(o.source.path) for o in same if o is not r))
            r = dataclasses.replace(r, warnings=r.warnings + (Finding(
                "report.duplicate", "agency",
                f"{r.agency} {r.year} 年的年报有多个文件：本文件与 {others}。请只保留一份（或在 .meta.yml 中改正机关或年度）。",
                "error"),))
        out.append(r)
    return out
