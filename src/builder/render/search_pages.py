"""What the search indexes: the built pages of site/ that say what they give the index.

This works on the HTML files of a built site, whichever generator made them (MkDocs with Material, or
Zensical: the same theme markup), and never changes the pages that are served. Each page carries what
it gives the index itself, written by `portal build` (render/search_fields.py): ``data-pagefind-body``
around the text that is searched and quoted in excerpts (never the number tables or the header card,
marked ``data-pagefind-ignore``), and its metadata and filters. A page without it is not indexed: the
home page, the search page, the long lists (全部年报, 按机关, 按年度, a year's pages, 数据质量's years) and
the 404 page; nor is an original under files/, whatever it holds.
"""
from __future__ import annotations

INDEXED = "data-pagefind-body"  # in a page the search indexes
UNINDEXED_FOLDERS = ("files/",)  # originals, published as they are


def is_indexed(page: str, text: str) -> bool:
    """Whether the search indexes ``page`` (its path in site/, e.g. ``reports/2023-某机关/index.html``)."""
    return page.endswith(".html") and not page.startswith(UNINDEXED_FOLDERS) and INDEXED in text


def page_for_index(page: str, text: str) -> str | None:
    """The HTML of ``page`` as Pagefind is to index it (the page as served), or None when it is not indexed."""
    return text if is_indexed(page, text) else None
