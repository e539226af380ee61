"""Whose inconsistency it is, counted for the 数据质量 page: the report's own problems (原文问题: ⚠不符, cells it
left blank, rows it left out) apart from ours (本站未能读出: cells it printed that we could not read or
place) and from the prose restating a figure otherwise (正文另述)."""
from __future__ import annotations

from dataclasses import dataclass, field

from builder.models import Report
from builder.render.status import status_of

# the findings that say the report itself left a cell empty
ORIGINAL_GAPS = {"cell.blank": "blank", "row.missing": "omitted"}


@dataclass
class Origins:
    """The 数据质量 page's counts, each kind of inconsistency apart: (reports, items) for each."""

    contradicted: list[int] = field(default_factory=lambda: [0, 0])  # ⚠不符: reports, failing instances
    blank: list[int] = field(default_factory=lambda: [0, 0])  # cells the report left blank
    omitted: list[int] = field(default_factory=lambda: [0, 0])  # cells of rows the report left out
    unread: list[int] = field(default_factory=lambda: [0, 0])  # cells printed that we could not read or place
    differs: list[int] = field(default_factory=lambda: [0, 0])  # 正文另述

    def add(self, which: list[int], count: int) -> None:
        if count:
            which[0] += 1
            which[1] += count


def origins_of(reports: list[Report]) -> Origins:
    """Counts of 原文问题 (⚠不符, cells left blank, rows left out) apart from 本站未能读出 and 正文另述."""
    origins = Origins()
    for report in reports:
        status = status_of(report)
        gaps = {"blank": 0, "omitted": 0, "unread": 0}
        for path in status.unknown_cells:
            codes = {f.code for f in status.cell(path).notes}
            kind = next((ORIGINAL_GAPS[c] for c in ORIGINAL_GAPS if c in codes), "unread")
            gaps[kind] += 1
        origins.add(origins.contradicted, sum(len(c.contradictions) or 1 for c in report.checks if c.status == "fail"))
        for kind, count in gaps.items():
            origins.add(getattr(origins, kind), count)
        origins.add(origins.differs, len(report.differences))
    return origins
