"""Whose inconsistency it is, counted for the 数据质量 page: the report's own problems (原文问题: ⚠不符, cells it
left blank, rows it left out) apart from ours (本站未能读出: cells it printed that we could not read or
place) and from the prose restating a figure otherwise (正文另述)."""
from __future__ import annotations

from dataclasses import dataclass, field

from builder.models import Report
from builder.render.status import CellStatus, status_of

# the findings that say the report itself left a cell empty
ORIGINAL_GAPS = {"cell.blank": "blank", "row.missing": "omitted"}


def unknown_kind(cell: CellStatus) -> str:
    """Whose an unknown cell is: "blank" or "omitted" (原文问题: the report printed nothing there) or
    "unread" (本站未能读出: printed, but not read or placed with confidence)."""
    codes = {f.code for f in cell.notes}
    return next((ORIGINAL_GAPS[c] for c in ORIGINAL_GAPS if c in codes), "unread")


@dataclass
class Inconsistencies:
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


def inconsistencies_of(reports: list[Report]) -> Inconsistencies:
    """Counts of 原文问题 (⚠不符, cells left blank, rows left out) apart from 本站未能读出 and 正文另述."""
    counts = Inconsistencies()
    for report in reports:
        status = status_of(report)
        gaps = {"blank": 0, "omitted": 0, "unread": 0}
        for path in status.unknown_cells:
            gaps[unknown_kind(status.cell(path))] += 1
        counts.add(counts.contradicted, sum(len(c.contradictions) or 1 for c in report.checks if c.status == "fail"))
        for kind, count in gaps.items():
            counts.add(getattr(counts, kind), count)
        counts.add(counts.differs, len(report.differences))
    return counts
