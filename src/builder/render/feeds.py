"""Atom feeds of new and changed reports, so that a journalist can follow a county or an agency.

- ``data/feeds/all.xml``: the newest ``SITE_ENTRIES`` reports of the whole site;
- ``data/feeds/regions/<region>.xml`` and ``data/feeds/agencies/<agency>.xml``: every report of a region (and the
  regions below it) or of an agency, named as the region's or agency's page.

An entry's time is when its report last changed: the last commit of the file, its sidecar or its
corrections (ingest/history.py), else ``SOURCE_DATE_EPOCH``, else 1970 — never the clock, so that the
same repository gives the same feeds. Links are absolute where the site's address is set
(``PORTAL_SITE_URL``, as mkdocs.yml's site_url), else relative to the feed. Every page's head
announces the site's feed, and a region's or agency's page its own (overrides/main.html, from the
page's ``feed`` front matter).
"""
from __future__ import annotations

import os
import posixpath
import re
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping
from xml.sax import saxutils

from builder.render.catalog import Agency, Region, walk
from builder.render.entries import Entry, link, page_url, relpath

SITE = "data/feeds/all.xml"
SITE_ENTRIES = 100
SITE_NAME = "政府信息公开工作年度报告库"  # as mkdocs.yml's site_name
ATOM = "http://www.w3.org/2005/Atom"
_NAMESPACE = uuid.UUID("6f1c1c52-3b9e-4c57-9d2e-0d6f3c0a9b21")  # the feeds' ids: uuid5 of a page's address


def feed_path(page: str) -> str:
    """The feed of a region's or agency's page: ``regions/江苏省/淮安市/index.md`` → ``data/feeds/regions/江苏省/淮安市.xml``."""
    return "data/feeds/" + page_url(page).rstrip("/") + ".xml"


def site_url() -> str | None:
    """The site's public address when it is set (the Publish workflow sets it), with a final slash."""
    url = (os.environ.get("PORTAL_SITE_URL") or "").strip()
    return url.rstrip("/") + "/" if url else None


def fallback_time() -> int:
    """The time of an entry without history: SOURCE_DATE_EPOCH (the last commit's, in CI), else 0."""
    try:
        return int(os.environ.get("SOURCE_DATE_EPOCH") or 0)
    except ValueError:
        return 0


class Feeds:
    """Every feed of the site, from the entries and when each last changed. An entry's XML but its link is
    made once, however many feeds (its agency's, each of its regions', the site's) it is in."""

    def __init__(self, entries: list[Entry], times: Mapping[Path, int], describe=None):
        fallback = fallback_time()
        self.order = {id(e): i for i, e in enumerate(entries)}
        self.time = {id(e): times.get(e.source.path, fallback) for e in entries}
        self.base = site_url()
        self.describe = describe or (lambda entry: "")
        self._parts: dict[int, tuple[str, str]] = {}

    def newest(self, entries: list[Entry]) -> list[Entry]:
        return sorted(entries, key=lambda e: (-self.time[id(e)], self.order[id(e)]))

    def href(self, feed: str, target: str) -> str:
        """A site address (``reports/x/``) as the feed links it: absolute where the site's address is set."""
        if self.base:
            return self.base + link(target)
        relative = relpath(target or ".", posixpath.dirname(feed))
        return link(relative + "/" if target.endswith("/") or not target else relative)

    def parts(self, entry: Entry) -> tuple[str, str]:
        """An entry's XML before and after its link."""
        parts = self._parts.get(id(entry))
        if parts is None:
            head = f" <entry>\n  <title>{escape(entry_title(entry))}</title>\n  <id>{_id(page_url(entry.page))}</id>\n"
            tail = f"  <updated>{_time(self.time[id(entry)])}</updated>\n"
            if entry.region:
                tail += f"  <category term={quoteattr(' / '.join(entry.region))} />\n"
            summary = self.describe(entry)
            if summary:
                tail += f"  <summary>{escape(summary)}</summary>\n"
            parts = self._parts[id(entry)] = (head, tail + " </entry>\n")
        return parts

    def feed(self, path: str, title: str, page: str, entries: list[Entry], limit: int | None = None) -> str:
        chosen = self.newest(entries)[:limit]
        updated = max((self.time[id(e)] for e in chosen), default=fallback_time())
        out = ['<?xml version="1.0" encoding="utf-8"?>\n', f'<feed xmlns="{ATOM}" xml:lang="zh-CN">\n',
               f" <title>{escape(title)}</title>\n", f" <id>{_id(path)}</id>\n", f" <updated>{_time(updated)}</updated>\n",
               f' <link rel="self" type="application/atom+xml" href={quoteattr(self.href(path, path))} />\n',
               f' <link rel="alternate" type="text/html" href={quoteattr(self.href(path, page_url(page)))} />\n',
               f" <author>\n  <name>{escape(SITE_NAME)}</name>\n </author>\n", " <generator>portal build</generator>\n"]
        for entry in chosen:
            head, tail = self.parts(entry)
            out += [head, f'  <link rel="alternate" type="text/html" href={quoteattr(self.href(path, page_url(entry.page)))} />\n',
                    tail]
        out.append("</feed>\n")
        return "".join(out)


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold


def escape(text: str) -> str:
    return saxutils.escape(_NOT_XML.sub("", text))


def quoteattr(text: str) -> str:
    return saxutils.quoteattr(_NOT_XML.sub("", text))


def entry_title(entry: Entry) -> str:
    year = f" {entry.year} 年" if entry.year else ""
    name = entry.agency or (entry.report.title if entry.report else "") or entry.source.name
    return f"{name}{year}政府信息公开工作年度报告" + ("（文件未能读出）" if entry.failure else "")


def _id(address: str) -> str:
    return uuid.uuid5(_NAMESPACE, address).urn  # a page's id is the same in every feed and every build


def _time(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def feeds_of(entries: list[Entry], agencies: list[Agency], regions: Region, times: Mapping[Path, int],
             describe=None) -> dict[str, str]:
    """{path: Atom XML} of the site's feed, each region's (below the root) and each agency's."""
    feeds = Feeds(entries, times, describe)
    out = {SITE: feeds.feed(SITE, f"{SITE_NAME}：新收入和更新的年报", "index.md", entries, SITE_ENTRIES)}
    for region in walk(regions)[1:]:
        path = feed_path(region.page)
        out[path] = feeds.feed(path, f"{' / '.join(region.names)}：新收入和更新的年报", region.page, region.entries)
    for agency in agencies:
        path = feed_path(agency.page)
        name = f"{agency.name}（{' / '.join(agency.region)}）" if agency.region else agency.name
        out[path] = feeds.feed(path, f"{name}：新收入和更新的年报", agency.page, [*agency.entries, *agency.failures])
    return out
