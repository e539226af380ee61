"""A smoke check of the built site before it is deployed: it exists, it is whole, it is self-contained,
and nothing on it runs but the site's own scripts.

A page is checked for what it *requests*, read as a browser reads it (lxml's HTML parser): the live
elements and their attributes. Text that merely shows markup (a report quoting ``<img src="https://…">``,
escaped) is text, and passes; a live ``<script>`` or ``on…=`` attribute that came from a report or a
sidecar fails the check, as does any request to another host.
"""
from __future__ import annotations

import functools
import json
import os
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from builder.executors import process_pool
from builder.files import under
from builder.ingest.sources import discover
from builder.render.search_index import SHARDS

# a URL to another host in a stylesheet or script (CSS url(), src=…, …): they are the site's own files
# and read as text; localhost is allowed (previews)
_HOST = r"""(?:https?:)?//(?!localhost|127\.0\.0\.1)[^"'\s>)]+"""
_OUTSIDE = re.compile(r"""(?:src|action|srcset)\s*=\s*["']?\s*""" + _HOST
                      + r"""|<link\b(?![^>]*\brel=["']?canonical)[^>]*\bhref\s*=\s*["']?\s*""" + _HOST
                      + r"""|<a\b(?![^>]*\brel=["'][^"']*\bexternal\b)[^>]*\bhref\s*=\s*["']?\s*""" + _HOST
                      + r"""|url\(\s*["']?""" + _HOST, re.I)
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')\s]+)|@import\s+["']([^"']+)""", re.I)
_ELSEWHERE = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//(?!localhost(?:[:/]|$)|127\.0\.0\.1(?:[:/]|$))")
# <link rel> values that make the browser fetch nothing (the page's public address, its other versions,
# the licence…); any other rel (stylesheet, icon, preload, "alternate stylesheet") is a request
_NO_FETCH = frozenset({"alternate", "canonical", "author", "license", "help", "me", "next", "prev", "bookmark",
                       "external", "nofollow", "noopener", "noreferrer", "tag", "search"})
# attributes whose URL the browser fetches by itself, on any element
_FETCHED = ("src", "poster", "data", "background", "action", "formaction", "lowsrc", "dynsrc", "manifest")
_SCRIPT_DATA = ("application/json", "application/ld+json")  # script elements that hold data, never run
_STRING = re.compile(r'"[^"]*"|\'[^\']*\'')


def outside_urls(text: str, files_url: str | None = None) -> list[str]:
    """Every URL to another host in the text of a stylesheet or script (or markup read as text), except
    links (href) to originals under ``files_url``. Pages are read as HTML: see ``page_problems``."""
    # No part of _OUTSIDE matches ">", so each match lies between two ">" and holds "//": the pattern
    # runs only there
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


def _elsewhere(url: str | None) -> bool:
    """Whether ``url`` names another host (http(s):, //host, or any other scheme's //)."""
    return bool(url) and bool(_ELSEWHERE.match(url.strip()))


def _css_elsewhere(css: str) -> list[str]:
    return [url for m in _CSS_URL.finditer(css) for url in m.groups() if url and _elsewhere(url)]


def own_scripts(page: bytes) -> frozenset[str]:
    """The inline scripts of a page made by the theme alone (404.html: no report's data is on it), with
    their string literals emptied (the base address differs from page to page)."""
    return frozenset(_shape(el.text or "") for el in _parse(page).iter("script")
                     if el.get("src") is None and (el.get("type") or "").lower() not in _SCRIPT_DATA)


def _shape(script: str) -> str:
    return _STRING.sub('""', script.strip())


_PARSER = etree.HTMLParser(default_doctype=False)  # plain elements: lxml.html's classes cost a Python call each


def _parse(page: bytes | str):
    """The page as a browser's parser reads it (libxml2's HTML parser: it mends broken markup, never fails)."""
    document = etree.fromstring(page, _PARSER) if page else None
    return document if document is not None else etree.fromstring("<html></html>", _PARSER)


# what a page can request or run, found by libxml2 (XPath) rather than by walking every element in Python
# in one pass: event handlers, and attributes with a scheme or a host (the URL attributes among them are
# picked out in Python: an XPath test of the name costs more than it saves)
_SUSPECT = etree.XPath("//@*[contains(., ':') or contains(., '//') or starts-with(name(), 'on')]")
_URL_ATTRIBUTES = frozenset({"src", "srcset", "imagesrcset", "poster", "data", "background", "action", "formaction",
                             "lowsrc", "dynsrc", "manifest", "style", "href", "xlink:href"})
_LINKS = etree.XPath("//a/@href")
_SCHEME = re.compile(r"[\x00-\x20]+")  # what a browser drops from a URL before reading its scheme


def page_problems(name: str, page: bytes | str, files: set[str], own: frozenset[str],
                  files_url: str | None = None) -> list[str]:
    """What the HTML page ``name`` of the site requests, links to or runs that it may not: a request to
    another host (src, srcset, poster, a stylesheet's or preload's href, CSS url(), a form's action…),
    an event-handler attribute, a script that is not the site's own, a link to a page the site lacks."""
    document = _parse(page)
    requests, runs = [], []
    for value in _SUSPECT(document):
        attribute = value.attrname
        if not attribute.startswith("on") and attribute not in _URL_ATTRIBUTES:
            continue
        el = value.getparent()
        tag = el.tag
        if attribute.startswith("on"):
            runs.append(f"<{tag} {attribute}=…>")
        elif _SCHEME.sub("", value).lower().startswith(("javascript:", "vbscript:", "data:text/html")) \
                and attribute != "style":
            runs.append(f"<{tag} {attribute}=\"{value.strip()[:40]}\">")
        elif attribute == "style":
            requests += _css_elsewhere(value)
        elif attribute in ("srcset", "imagesrcset"):
            requests += [u for u in (part.split()[0] for part in value.split(",") if part.split()) if _elsewhere(u)]
        elif not _elsewhere(value):
            continue
        elif attribute not in ("href", "xlink:href"):
            requests.append(value)
        else:
            rel = set((el.get("rel") or "").lower().split())
            if tag == "link" and not rel <= _NO_FETCH:
                requests.append(value)
            elif tag in ("a", "area") and "external" not in rel and not (files_url and value.startswith(files_url)):
                requests.append(value)
            elif tag not in ("a", "area", "link"):  # <base>, svg <image>/<use>
                requests.append(value)
    for el in document.iter("script", "style", "meta"):
        if el.tag == "style":
            requests += _css_elsewhere(el.text or "")
        elif el.tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            url = (el.get("content") or "").partition("=")[2]
            requests += [url] if _elsewhere(url) else []
        elif el.tag == "script":
            src, kind = el.get("src"), (el.get("type") or "").lower()
            if src is not None and not _elsewhere(src) and not _site_script(name, src, files):
                runs.append(f"<script src=\"{src[:60]}\">, not one of the site's scripts")
            elif src is None and kind not in _SCRIPT_DATA and _shape(el.text or "") not in own:
                runs.append(f"<script>{(el.text or '').strip()[:40]}…</script>, not one of the site's own scripts")
    problems = []
    if requests:
        problems.append(f"{name}: requests another host ({requests[0][:80]})")
    if runs:
        problems.append(f"{name}: runs what the site did not write — {runs[0]}"
                        + (f" (and {len(runs) - 1} more)" if len(runs) > 1 else "")
                        + ": markup from a report or sidecar reached the page unescaped")
    dead = _dead(name, [str(link) for link in _LINKS(document)], files)
    if dead:
        problems.append(f"{name}: links to {dead[0]}, which is not in the site"
                        + (f" (and {len(dead) - 1} more)" if len(dead) > 1 else ""))
    return problems


def _site_script(name: str, src: str, files: set[str]) -> bool:
    """A script of the site itself: a .js file it holds, not an original report (files/) nor data."""
    address = _unquoted(urlsplit(src).path)
    if address.startswith("/"):  # from the site's root, under its base path (/<repo>/ on GitHub Pages): any
        parts = address.strip("/").split("/")  # tail of the address that is a file of the site
        candidates = ["/".join(parts[i:]) for i in range(len(parts))]
    else:
        candidates = [posixpath.normpath(posixpath.join(posixpath.dirname(name), address))]
    return any(path in files and path.endswith((".js", ".mjs")) and not path.startswith(("files/", "data/"))
               for path in candidates)


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
    reference = next((site_dir / n for n in ("404.html", "index.html") if (site_dir / n).is_file()), None)
    own = own_scripts(reference.read_bytes()) if reference else frozenset()
    # each read once for both checks, on every core (0.6 GB of HTML at 10,000 reports)
    with process_pool(os.cpu_count() or 1, _take, (site_dir, files, files_url, own)) as pool:
        for found in pool.map(_page_problems, texts, chunksize=256):
            problems += found
    return problems


_SITE: tuple[Path, set[str], str | None, frozenset[str]] = (Path(), set(), None, frozenset())


def _take(site_dir: Path, files: set[str], files_url: str | None, own: frozenset[str]) -> None:
    global _SITE
    _SITE = (site_dir, files, files_url, own)


def _page_problems(name: str) -> list[str]:
    """What the page, stylesheet or script ``name`` of the worker's site requests, runs or links to that it
    may not."""
    site_dir, files, files_url, own = _SITE
    if name.endswith(".html"):
        return [f"{site_dir}/{problem}" for problem in
                page_problems(name, (site_dir / name).read_bytes(), files, own, files_url)]
    text = (site_dir / name).read_text(encoding="utf-8", errors="replace")
    found = outside_urls(text, files_url)
    return [f"{site_dir / name}: requests another host ({found[0][:80]})"] if found else []


# a link's target on this site: relative (no scheme, not // nor /…), up to its #fragment or ?query
_RELATIVE = re.compile(r"(?![a-zA-Z][a-zA-Z0-9+.-]*:|/|#)([^#?]+)")


def site_files(site_dir: Path) -> set[str]:
    """Every file of the built site, as a path relative to it."""
    return set(under(site_dir))


def dead_links(name: str, text: str, files: set[str]) -> list[str]:
    """The links (<a href>) of the page ``name`` (a path in the site) to a page or file the site lacks.
    MkDocs checks the links of Markdown in strict mode; those of raw HTML (the long lists' tables, the
    glossary links in headers) only this check sees."""
    return _dead(name, [a.get("href") for a in _parse(text).iter("a") if a.get("href") is not None], files)


def _dead(name: str, hrefs: list[str], files: set[str]) -> list[str]:
    here = posixpath.dirname(name)
    dead = []
    for href in dict.fromkeys(m.group(1) for m in map(_RELATIVE.match, hrefs) if m):
        target, page = _targets(here, href)  # outside the site: ../…, never in files
        if target not in files and page not in files:
            dead.append(href)
    return dead


@functools.lru_cache(maxsize=65536)
def _targets(here: str, href: str) -> tuple[str, str]:
    """The file a link from the folder ``here`` names, and the page it names as a folder: the same links
    recur on every page of a depth (glossary, agencies, years)."""
    target = posixpath.normpath(posixpath.join(here, _unquoted(href)))
    return target, posixpath.normpath(f"{target}/index.html")


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
