"""What the search page (content/search/index.md, hand-written) reads besides Pagefind's index: the
values of its filters.
"""
from __future__ import annotations

from builder.render.entries import Entry
from builder.render.open_data import dumps
from builder.render.search_fields import LEVELS, level_of

SEARCH_FILTERS = "data/search-filters.json"  # the search page's filter choices, without loading Pagefind's


def search_filters(found: list[Entry], years) -> str:
    """The values of the search filters (search_fields.py), for the search page's choices: loading them
    from Pagefind would fetch every filter's index with every query."""
    levels = {level_of(e.report.region[:depth]) for e in found for depth in range(1, len(e.report.region) + 1)}
    return dumps({"year": [str(y.year) for y in years], "level": [lv for lv in LEVELS if lv in levels],
                  "template": [f"{t} 版" for t in sorted({e.report.template for e in found if e.report.template})]},
                 compact=True)
