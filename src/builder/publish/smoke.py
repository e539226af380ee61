"""A smoke check of the built site before it is deployed: it exists, it is whole, it is self-contained."""
from __future__ import annotations

import functools
import json
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

from builder.executors import process_pool
from builder.files import under
from builder.ingest.sources import discover
from builder.render.search_index import SHARDS

# a URL to another host: in src, srcset, action, a <link>'s href (but rel="canonical", the page's own
# public address), CSS url(), or a link (<a href>) that is not marked rel="external" (the footer's
# repository, 纠错 and licence: a reader's choice to leave the site); localhost is allowed (previews)
_HOST = r"""(?:https?:)?//(?!localhost|127\.0\.0\.1)[^"'\s>)]+"""
_OUTSIDE = re.compile(r"""(?:src|action|srcset)\s*=\s*["']?\s*""" + _HOST
                      + r"""|<link\b(?![^>]*\brel=["']?canonical)[^>]*\bhref\s*=\s*["']?\s*""" + _HOST
                      + r"""|<a\b(?![^>]*\brel=["'][^"']*\bexternal\b)[^>]*\bhref\s*=\s*["']?\s*""" + _HOST
                      + r"""|url\(\s*["']?""" + _HOST, re.I)


def outside_urls(text: str, files_url: str | None = None) -> list[str]:
    """Every URL to another host in ``text``, except links (href) to originals under ``files_url``: a
    download the reader chooses, never a request the page makes by itself."""
    # No part of _OUTSIDE matches ">", so each match lies between two ">" and holds "//": the pattern
    # runs only there (10,000 reports' pages are 0.6 GB; the pattern over all of it took a minute)
    found = []
    slashes = text.find("//")
    while slashes != -1:
        end = text.find(">", slashes)
        end = len(text) if end == -1 else end
        found += [m.group() for m in _OUTSIDE.finditer(text, text.rfind(">", 0, slashes) + 1, end)]
        slashes = text.find("//", end)
    if files_url:
        allowed = re.compile(r"""<a\b[^>]*\bhref\s*=\s*["']?\s*""" + re.escape(files_url), re.I)
        found = [url for url in found if not allowed.match(url)]
    return found


def smoke_check(site_dir: Path, reports_dir: Path, files_url: str | None = None) -> list[str]:
    """Problems found in the built site (empty when it may be deployed)."""
    problems = []
    if not (site_dir / "index.html").is_file():
        problems.append(f"{site_dir}/index.html is missing: run `mkdocs build --strict` first")
    pages = [p for p in (site_dir / "reports").glob("*/index.html")] if (site_dir / "reports").is_dir() else []
    expected = len(discover(reports_dir))
    if len(pages) != expected:
        problems.append(f"{len(pages)} report pages in {site_dir}/reports/ but {expected} files in {reports_dir}/")
    problems += search_problems(site_dir)
    files = site_files(site_dir)
    texts = [name for name in sorted(files) if name.endswith((".html", ".css", ".js"))]
    # each read once for both checks, on every core (0.6 GB of HTML at 10,000 reports)
    with process_pool(os.cpu_count() or 1, _take, (site_dir, files, files_url)) as pool:
        for found in pool.map(_page_problems, texts, chunksize=256):
            problems += found
    return problems


_SITE: tuple[Path, set[str], str | None] = (Path(), set(), None)  # a worker's site, its files and files_url


def _take(site_dir: Path, files: set[str], files_url: str | None) -> None:
    global _SITE
    _SITE = (site_dir, files, files_url)


def _page_problems(name: str) -> list[str]:
    """What the page, stylesheet or script ``name`` of the worker's site requests or links to that it may not."""
    site_dir, files, files_url = _SITE
    problems = []
    text = (site_dir / name).read_text(encoding="utf-8", errors="replace")
    found = outside_urls(text, files_url)
    if found:
        problems.append(f"{site_dir / name}: requests another host ({found[0][:80]})")
    dead = dead_links(name, text, files) if name.endswith(".html") else []
    if dead:
        problems.append(f"{site_dir / name}: links to {dead[0]}, which is not in the site"
                        + (f" (and {len(dead) - 1} more)" if len(dead) > 1 else ""))
    return problems


# a link's target on this site: relative (no scheme, not // nor /…), up to its #fragment or ?query
_LINK = re.compile(r"""<a\b[^>]*?\shref="(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^"#?]+)""")


def site_files(site_dir: Path) -> set[str]:
    """Every file of the built site, as a path relative to it."""
    return set(under(site_dir))


def dead_links(name: str, text: str, files: set[str]) -> list[str]:
    """The links (<a href>) of the page ``name`` (a path in the site) to a page or file the site lacks.
    MkDocs checks the links of Markdown in strict mode; those of raw HTML (the long lists' tables, the
    glossary links in headers) only this check sees."""
    here = posixpath.dirname(name)
    dead = []
    for href in dict.fromkeys(m.group(1) for m in _LINK.finditer(text)):
        target = posixpath.normpath(posixpath.join(here, _unquoted(href)))  # outside the site: ../…, never in files
        if target not in files and posixpath.normpath(f"{target}/index.html") not in files:
            dead.append(href)
    return dead


@functools.cache
def _unquoted(href: str) -> str:
    """``href`` with %XX read: the same few thousand links recur on every page (glossary, agencies, years)."""
    return unquote(href)


def search_problems(site_dir: Path) -> list[str]:
    """The search index is there, every part of it (pagefind/shards.json lists the parts merged)."""
    listing = site_dir / "pagefind" / SHARDS
    if not (site_dir / "pagefind" / "pagefind.js").is_file() or not listing.is_file():
        return [f"{site_dir}/pagefind/ is incomplete: the search index is written by `portal index {site_dir}` "
                f"(which `mkdocs build` runs: portal-search in mkdocs.yml)"]
    return [f"{site_dir}/{part}pagefind-entry.json is missing: a part of the search index listed in {listing}"
            for part in json.loads(listing.read_text(encoding="utf-8"))
            if not (site_dir / part / "pagefind-entry.json").is_file()]
