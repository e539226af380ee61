"""Headline figures of some reports, shared by the home, region, year and statistics pages and the
report pages' descriptions: their totals and outcome shares, with a chart of the outcomes.
"""
from __future__ import annotations

from builder.models import Report
from builder.render.charts import Series, chart
from builder.render.figures import FIGURE, OUTCOMES, outcome_shares, total_of
from builder.render.policy import enough

HEADLINE = ("received", "total_processed", "reviews", "lawsuits")


def summary_context(reports: list[Report]) -> dict:
    """Headline totals and outcome shares of some reports, with a chart of the outcomes."""
    shares = outcome_shares(reports)
    outcome_chart = ""
    if shares.reports and enough(shares.total_processed):  # a chart of shares only on MIN_BASE cases or more
        outcome_chart = chart("办理结果分布", [FIGURE[k].label for k in OUTCOMES],
                              [Series("件数", tuple(shares.counts[k] for k in OUTCOMES))])
    return {
        "totals": [(FIGURE[key].label, total_of(reports, key)) for key in HEADLINE],
        "shares": shares,
        "outcomes": [(FIGURE[key].label, shares.counts[key], shares.percent(key)) for key in OUTCOMES],
        "outcome_chart": outcome_chart,
        "report_count": len(reports),
        "agency_count": len({(r.region, r.agency) for r in reports if r.agency}),
    }
