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


BADGE_WORDS = {"contradicted": "⚠不符", "unverified": "无法核对", "unknown": "未知", "differs": "正文另述",
               "corrected": "更正", "notes": "提示"}


def quality_label(report: Report) -> str:
    """A report's status in a list, visible without a tooltip (a phone has none): ✓ 通过, or each kind
    of its summary apart with the same count the summary gives (⚠不符 1 项 · 未知 14 格): the report's own
    contradictions, our unreadable cells and the prose's other wording are never added into one number."""
    quality = report_quality(report)
    words = attribute(quality.summary)
    if quality.clean:
        return f'<span class="portal-status" title="{words}">✓ 通过</span>'
    items = [f'<span class="portal-status__item portal-status__item--{kind}">{BADGE_WORDS[kind]} {n} '
             f'{unit[0]}</span>' for kind, n, unit in quality.parts]
    shown = " ".join(items) if items else words
    warn = " portal-status--warn" if any(kind == "contradicted" for kind, _, _ in quality.parts) else ""
    return f'<span class="portal-status{warn}" title="{words}">{shown}</span>'
