"""An agency's key figures over the years: a line chart where a year without a countable figure is a
gap (never joined across), and each figure's change from the year before, in 件 and %.

Every year from the agency's first report to its last is a column: a year without a report is shown
as such, not skipped, so that a gap reads as a gap. A change is worked out only between two
consecutive years whose figures are both countable (known and not contradicted, render/figures.py);
the format of each year is named, and the key figures mean the same in both formats (其他处理 as its
total), so a change across the 2020 → 2021 switch of formats is a change in the same figure.
"""
from __future__ import annotations

from dataclasses import dataclass

from builder.models import Report
from builder.render.charts import Series, chart
from builder.render.figures import FIGURE, Number, countable as countable_figure, format_number

TREND = ("received", "total_processed", "granted", "denied", "reviews", "lawsuits")  # shown in the trend
CHARTED = ("received", "total_processed", "reviews", "lawsuits")  # drawn: a few lines stay readable


@dataclass(frozen=True)
class Year:
    year: int
    report: Report | None  # None: no report of that year

    @property
    def label(self) -> str:
        template = self.report.template if self.report else None
        return f"{self.year}（{template} 版）" if template else str(self.year)


def countable(report: Report | None, key: str) -> Number | None:
    """The figure where it may be compared (known, not contradicted), else None."""
    return countable_figure(report, key) if report is not None else None


def span(by_year: dict[int, Report]) -> list[Year]:
    """Every year from the first report to the last, with its report or none."""
    if not by_year:
        return []
    return [Year(y, by_year.get(y)) for y in range(min(by_year), max(by_year) + 1)]


def change_text(before: Number | None, after: Number | None) -> str:
    """``+5（+25.0%）``, ``−2（−10.0%）``, ``+3（上年为 0）``; ``—`` when either year has no countable figure."""
    if before is None or after is None:
        return "—"
    diff = after - before
    sign = "+" if diff > 0 else ("−" if diff < 0 else "±")
    count = f"{sign}{format_number(abs(diff))}"
    if before == 0:
        return f"{count}（上年为 0）" if diff else "±0"
    return f"{count}（{sign}{abs(100 * diff / before):.1f}%）"


def trend_context(by_year: dict[int, Report]) -> dict:
    years = span(by_year)
    values = {key: [countable(y.report, key) for y in years] for key in TREND}
    changes = [(FIGURE[key].label, [change_text(a, b) for a, b in zip(values[key], values[key][1:])])
               for key in TREND]
    drawn = chart(f"主要数字逐年变化（{years[0].year}—{years[-1].year}）" if years else "", [str(y.year) for y in years],
                  [Series(FIGURE[key].label, tuple(values[key])) for key in CHARTED], line=True) \
        if len(years) > 1 else ""
    return {
        "trend_years": years,
        "trend_chart": drawn,
        "trend_changes": changes if len(years) > 1 else [],
        "consecutive": any(a.report and b.report for a, b in zip(years, years[1:])),
        "missing_years": [y.year for y in years if y.report is None],
    }
