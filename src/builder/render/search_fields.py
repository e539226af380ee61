"""What each page gives the search index (Pagefind), written into the page itself, so that any site
builder that keeps raw HTML (MkDocs, Zensical) gives Pagefind the same pages.

- ``data-pagefind-body`` marks the text that is searched and quoted in excerpts: a page's prose, never
  its number tables or header card (``data-pagefind-ignore``), and, on the site's own pages (统计, 数据下载,
  数据格式…), only their one-line summary, so that a query for 行政复议 finds reports, not the statistics page.
- Metadata (``data-pagefind-meta``) is what a result shows beside its excerpt (agency, year, region, key
  figures) and the matching aids: ``names`` holds the pieces of the agency's and regions' names, so
  that however the browser splits a query (爱民区 → 爱 + 民 + 区), each piece is an indexed word.
  Pagefind searches metadata but never quotes it in an excerpt.
- Facets: the page's year, region level and template as tokens of their own (``facets``: y2020,
  lvcounty, t2019) that the search page adds to a query to filter by them. Not Pagefind's filters:
  Pagefind writes a filter's values in a different order each run, and builds must be byte-identical.
"""
from __future__ import annotations

from builder.models import Report
from builder.render.markdown import attribute

KIND_REPORT, KIND_AGENCY, KIND_REGION, KIND_SITE = "年报", "机关", "地区", "本站页面"
LEVELS = ("省级", "市级", "县级")  # a region of one, two, three or more names (省 / 市 / 区县)
LEVEL_TOKENS = {"省级": "lvprovince", "市级": "lvcity", "县级": "lvcounty"}  # as search.js asks for them


def level_of(region: tuple[str, ...]) -> str | None:
    return LEVELS[min(len(region), len(LEVELS)) - 1] if region else None


def name_pieces(*names: str) -> str:
    """The pieces of names a query can be split into, space-separated: every piece of up to four
    characters (the words a browser's segmenter makes of a name: 牡丹江, 市, 爱, 人民政府) as a word of its
    own, and every suffix (Pagefind matches a query word as the start of an indexed word). Both are
    needed: Pagefind loads only the index chunk where a query word itself would stand, so the words it
    merely starts (经济 → 经济合作促进局) can be in a chunk that is never loaded."""
    pieces: dict[str, None] = {}
    for name in names:
        compact = "".join(name.split())
        for start in range(len(compact)):
            for end in range(start + 1, min(start + 4, len(compact)) + 1):
                pieces[compact[start:end]] = None
            pieces[compact[start:]] = None
    return " ".join(pieces)


def facet_tokens(years: list[str], level: str | None, templates: list[str]) -> str:
    """y2020 lvcounty t2019: one word each, which the browser never splits (search.js asks for them)."""
    tokens = [f"y{y}" for y in years if y] + ([LEVEL_TOKENS[level]] if level else []) + [f"t{t}" for t in templates if t]
    return " ".join(dict.fromkeys(tokens))


def fields_html(kind: str, meta: dict[str, str]) -> str:
    """A hidden element carrying a page's metadata (a raw HTML block of its own)."""
    keys = [k for k, v in meta.items() if v]
    parts = [f'<div hidden data-pagefind-meta="kind:{attribute(kind)}">']
    if keys:
        parts.append('<span data-pagefind-meta="' + ", ".join(f"{k}[data-{k}]" for k in keys) + '" '
                     + " ".join(f'data-{k}="{attribute(meta[k])}"' for k in keys) + "></span>")
    return "".join(parts) + "</div>"


def region_text(region: tuple[str, ...]) -> str:
    return " / ".join(region)


def report_fields(report: Report, received: str, processed: str) -> str:
    agency = report.agency or report.title or ""
    level = level_of(report.region)
    return fields_html(KIND_REPORT, {
        "agency": agency,
        "year": str(report.year or ""),
        "region": region_text(report.region),
        "received": received,
        "processed": processed,
        "names": name_pieces(agency, *report.region),
        "facets": facet_tokens([str(report.year or "")], level, [report.template or ""]),
    })


def agency_fields(name: str, region: tuple[str, ...], reports: list[Report]) -> str:
    years = [str(y) for y in sorted({r.year for r in reports if r.year})]
    return fields_html(KIND_AGENCY, {
        "agency": name,
        "region": region_text(region),
        "years": " ".join(years),
        "names": name_pieces(name, *region),
        "facets": facet_tokens(years, level_of(region), sorted({r.template for r in reports if r.template})),
    })


def region_fields(region: tuple[str, ...], reports: list[Report]) -> str:
    years = [str(y) for y in sorted({r.year for r in reports if r.year})]
    return fields_html(KIND_REGION, {
        "region": region_text(region),
        "years": " ".join(years),
        "names": name_pieces(*region),
        "facets": facet_tokens(years, level_of(region), []),
    })


def site_fields(title: str) -> str:
    """The site's own pages: a kind for the result, their title's pieces (``sitewords``, weighted low by
    search.js: a query for 年报 should find reports before 如何添加年报), no facets."""
    return fields_html(KIND_SITE, {"sitewords": name_pieces(title)})
