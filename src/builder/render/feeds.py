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
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping

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
    """Every feed of the site, from the entries and when each last changed."""

    def __init__(self, entries: list[Entry], times: Mapping[Path, int], describe=None):
        fallback = fallback_time()
        self.order = {id(e): i for i, e in enumerate(entries)}
        self.time = {id(e): times.get(e.source.path, fallback) for e in entries}
        self.base = site_url()
        self.describe = describe or (lambda entry: "")

    def newest(self, entries: list[Entry]) -> list[Entry]:
        return sorted(entries, key=lambda e: (-self.time[id(e)], self.order[id(e)]))

    def href(self, feed: str, target: str) -> str:
        """A site address (``reports/x/``) as the feed links it: absolute where the site's address is set."""
        if self.base:
            return self.base + link(target)
        relative = relpath(target or ".", posixpath.dirname(feed))
        return link(relative + "/" if target.endswith("/") or not target else relative)

    def feed(self, path: str, title: str, page: str, entries: list[Entry], limit: int | None = None) -> str:
        chosen = self.newest(entries)[:limit]
        root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "zh-CN"})
        ET.SubElement(root, "title").text = title
        ET.SubElement(root, "id").text = _id(path)
        updated = max((self.time[id(e)] for e in chosen), default=fallback_time())
        ET.SubElement(root, "updated").text = _time(updated)
        ET.SubElement(root, "link", {"rel": "self", "type": "application/atom+xml", "href": self.href(path, path)})
        ET.SubElement(root, "link", {"rel": "alternate", "type": "text/html", "href": self.href(path, page_url(page))})
        ET.SubElement(ET.SubElement(root, "author"), "name").text = SITE_NAME
        ET.SubElement(root, "generator").text = "portal build"
        for entry in chosen:
            item = ET.SubElement(root, "entry")
            ET.SubElement(item, "title").text = entry_title(entry)
            ET.SubElement(item, "id").text = _id(page_url(entry.page))
            ET.SubElement(item, "link", {"rel": "alternate", "type": "text/html",
                                         "href": self.href(path, page_url(entry.page))})
            ET.SubElement(item, "updated").text = _time(self.time[id(entry)])
            if entry.region:
                ET.SubElement(item, "category", {"term": " / ".join(entry.region)})
            summary = self.describe(entry)
            if summary:
                ET.SubElement(item, "summary").text = summary
        ET.indent(root, " ")
        return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def entry_title(entry: Entry) -> str:
    year = f" {entry.year} 年" if entry.year else ""
    name = entry.agency or (entry.report.title if entry.report else "") or entry.source.name
    return f"{name}{year}政府信息公开工作年度报告" + ("（文件未能读出）" if entry.failure else "")


def _id(address: str) -> str:
    return uuid.uuid5(_NAMESPACE, address).urn


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
