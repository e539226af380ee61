"""One row per report in the lists of the home, year, region, agency and statistics pages: its
headline figures and its data-quality status.
"""
from __future__ import annotations

from builder.models import Report
from builder.render.catalog import Agency
from builder.render.entries import Entry
from builder.render.figures import FIGURE, figure_of
from builder.render.headline import HEADLINE
from builder.render.markdown import attribute
from builder.render.quality import report_quality


def report_rows(entries: list[Entry], agencies: list[Agency]) -> list[dict]:
    """One line per report for the lists on year, region and agency pages."""
    agency_pages = {id(e): a.page for a in agencies for e in a.entries}
    return [{
        "entry": entry,
        "agency_page": agency_pages.get(id(entry)),
        "figures": [(FIGURE[key].label, figure_of(entry.report, key)) for key in HEADLINE],
        "quality": quality_label(entry.report),
    } for entry in entries if entry.report]


def quality_label(report: Report) -> str:
    """A report's status in a list: ✓, or ⚠ and how many findings, with its one-line summary in the
    title (a narrow column on a phone would break the words a character per line)."""
    quality = report_quality(report)
    words = attribute(quality.summary)
    if quality.clean:
        return f'<span class="portal-status" title="{words}" aria-label="{words}">✓</span>'
    failed = sum(1 for c in report.checks if c.status != "pass")
    count = failed + len(report.warnings) + len(report.corrections)
    return f'<span class="portal-status portal-status--warn" title="{words}" aria-label="{words}">⚠ {count}</span>'
