"""What a figure over many reports may say, written once and applied by every page kind, chart and
download (beside ``status.py``, which says what one report's cell may say).

- **Each year on its own.** No figure adds different years. A view over several years has one row or
  point per year, newest first in tables, each with the number of reports it rests on; a year without
  reports between the first and the last is shown as a gap (``year_span``), never skipped.
- **Like with like.** A year's total over all its reports is shown beside its 同口径 total: the same
  figure over the agencies that have a report in both that year and the year before it that has
  reports (``same_scope``). An agency's trend is its own reports only.
- **Enough cases.** A rate or share whose base (its denominator: 办理结果总计 for 不予公开率, the reviews
  decided for 复议纠错率, the summed base of the reports a share covers) is below ``MIN_BASE`` is not
  ranked, charted or shown as a bare percentage: it is shown as counts (「2 件中 1 件」) with 样本太少.
  Every share shows its base. No statistic that needs a disclaimer to be read right (WhatDoTheyKnow's
  rule).
- **Contradiction, not zero.** A rate whose numerator or denominator is contradicted is contradicted
  (with the note), never 分母为 0 (``compare._rate``).
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Iterable

from builder.models import Report
from builder.render.figures import FIGURE, Total, countable, format_number, total_of

MIN_BASE = 10  # a rate or share rests on at least this many cases (its denominator), or it is not shown as one
FEW = "样本太少"
FEW_NOTE = f"分母不足 {MIN_BASE} 件：只列件数，不算比例、不参加排名和图表"


def enough(base: int | float | None) -> bool:
    """May a rate over ``base`` cases be shown, ranked or charted as a percentage?"""
    return base is not None and base >= MIN_BASE


def counts_text(count: int | float, base: int | float, unit: str = "件") -> str:
    """「2 件中 1 件」: a share as its counts."""
    return f"{format_number(base)} {unit}中 {format_number(count)} {unit}"


def share_text(count: int | float, base: int | float, unit: str = "件") -> str:
    """A share with its base: 「25.0%（8 件中 2 件）」, or below ``MIN_BASE``「2 件中 1 件（样本太少）」."""
    if not enough(base):
        return f"{counts_text(count, base, unit)}（{FEW}）"
    return f"{100 * count / base:.1f}%（{counts_text(count, base, unit)}）"


def year_span(years: Iterable[int]) -> list[int]:
    """Every year from the first with reports to the last, newest first: the years between without
    reports are gaps, never skipped."""
    years = set(years)
    return list(range(max(years), min(years) - 1, -1)) if years else []


@dataclass(frozen=True)
class SameScope:
    """One figure over the agencies with a report in both ``year`` and ``previous`` (同口径)."""

    year: int
    previous: int
    agencies: int
    now: Total
    before: Total

    def text(self) -> str:
        return (f"{self.agencies} 个机关两年都有年报：{self.year} 年 {self.now.text()}，"
                f"{self.previous} 年 {self.before.text()}")


def _key(report: Report) -> tuple:
    return (report.region, report.agency)


def same_scope(by_year: dict[int, list[Report]], year: int, key: str) -> SameScope | None:
    """``key`` over the agencies that reported in ``year`` and in the latest earlier year with reports;
    None when there is no earlier year or no agency reported in both."""
    earlier = [y for y in by_year if y < year]
    if not earlier:
        return None
    previous = max(earlier)
    both = {_key(r) for r in by_year[year] if r.agency} & {_key(r) for r in by_year[previous] if r.agency}
    if not both:
        return SameScope(year, previous, 0, total_of([], key), total_of([], key))
    return SameScope(year, previous, len(both), total_of([r for r in by_year[year] if _key(r) in both], key),
                     total_of([r for r in by_year[previous] if _key(r) in both], key))


def median_per_report(reports: list[Report], key: str) -> float | int | None:
    """The median of ``key`` over the reports where it is countable (None: none is): a per-report
    figure, comparable between years with different numbers of reports."""
    values = [v for r in reports if (v := countable(r, key)) is not None]
    return median(values) if values else None


@dataclass(frozen=True)
class YearRow:
    """One year of a multi-year view: its reports, each figure's total and its 同口径 total."""

    year: int
    reports: int
    totals: list[tuple[str, Total]]
    same: list[tuple[str, SameScope | None]]

    @property
    def label(self) -> str:
        return f"{self.year} 年（{self.reports} 份年报）" if self.reports else f"{self.year} 年（无年报）"


def year_rows(reports: list[Report], keys: tuple[str, ...]) -> list[YearRow]:
    """Per year, newest first, every year from the first to the last (a year without reports is a row
    that says so): its report count, each figure's total and its 同口径 total with the year before."""
    by_year: dict[int, list[Report]] = {}
    for report in reports:
        if report.year:
            by_year.setdefault(report.year, []).append(report)
    rows = []
    for year in year_span(by_year):
        here = by_year.get(year, [])
        rows.append(YearRow(year, len(here), [(FIGURE[k].label, total_of(here, k)) for k in keys],
                            [(FIGURE[k].label, same_scope(by_year, year, k) if here else None) for k in keys]))
    return rows
