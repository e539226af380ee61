"""Reports and failures in page order, each with the slug its page, data and original are published under."""
from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from urllib.parse import quote

from builder.ingest.sources import name_metadata
from builder.models import Failure, Report, SourceFile
from builder.render.slugs import file_slug, report_slug, source_key

# Originals a browser or mkdocs would treat as a page (HTML, Markdown…) are published as text.
_SAFE_SUFFIXES = {".pdf", ".docx", ".doc", ".txt", ".wps", ".ofd", ".xls", ".xlsx", ".jpg", ".jpeg", ".png"}


@dataclass(frozen=True)
class Entry:
    """A report or a failure with the names it is published under."""

    slug: str
    report: Report | None
    failure: Failure | None

    @property
    def source(self) -> SourceFile:
        return self.report.source if self.report else self.failure.source

    @property
    def region(self) -> tuple[str, ...]:
        """The report's region (folders, sidecar, or its agency's name); a failure's folders."""
        return self.report.region if self.report else self.source.region

    @property
    def agency(self) -> str | None:
        """The report's agency; for a file that could not be parsed, as its sidecar or name says."""
        return self.report.agency if self.report else name_metadata(self.source)[0]

    @property
    def year(self) -> int | None:
        return self.report.year if self.report else name_metadata(self.source)[1]

    @property
    def original(self) -> str:
        """The original's path relative to content/."""
        return f"files/{self.slug}/{published_name(self.source)}"

    @property
    def page(self) -> str:
        return page_file(f"reports/{self.slug}")

    @property
    def data(self) -> str:
        return f"data/{self.slug}.json"


def published_name(source: SourceFile) -> str:
    name = source.name.replace("/", "-").replace("\\", "-")
    # MkDocs leaves out files whose names start with a dot: "..年报.pdf" is published as "年报.pdf"
    name = name.lstrip(".") or "file"
    return name if PurePosixPath(name).suffix.lower() in _SAFE_SUFFIXES else f"{name}.txt"


def sort_key(entry: Entry) -> tuple:
    """Year (newest first, unknown last), region, agency, path."""
    report = entry.report
    year = report.year if report and report.year else None
    agency = report.agency if report and report.agency else ""
    return (year is None, -(year or 0), entry.region, agency, source_key(entry.source))


def reports_to_entries(reports: list[Report], failures: list[Failure]) -> list[Entry]:
    """Reports and failures in page order, each with its slug (unique once ``catalog.address_problems``
    finds none)."""
    entries = sorted([*(Entry("", r, None) for r in reports), *(Entry("", None, f) for f in failures)],
                     key=sort_key)
    return [replace(e, slug=slug_of(e)) for e in entries]


def slug_of(entry: Entry) -> str:
    """``<year>-<agency>`` (its region first where the name does not carry it); a file that could not be
    parsed, or whose agency or year is unknown, by its path under reports/."""
    report = entry.report
    if report and report.agency and report.year:
        return report_slug(report.agency, report.region, report.year)
    return file_slug(entry.source)


def link(path: str) -> str:
    """A relative link target: percent-encoded so that spaces and brackets cannot end it."""
    return quote(path, safe="/.-_~")


_link_once = functools.lru_cache(maxsize=1 << 16)(link)


def relative(page: str, target: str) -> str:
    """The link from the page at content-relative ``page`` to content-relative ``target``, encoded."""
    return link(relpath(target, posixpath.dirname(page)))


def relpath(target: str, start: str) -> str:
    """``posixpath.relpath`` for two site-relative paths, without its two calls to ``os.getcwd`` (a
    10,000-report build asks for millions of links: 2 s of it went there)."""
    to, frm = _segments(target), _segments(start)
    if to is None or frm is None:  # a ".." in either: the general case
        return posixpath.relpath(target or ".", start or ".")
    common = 0
    for a, b in zip(to, frm):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(frm) - common) + to[common:]) or "."


def _segments(path: str) -> list[str] | None:
    parts = [part for part in path.split("/") if part and part != "."]
    return None if ".." in parts or path.startswith("/") else parts


def page_file(address: str) -> str:
    """The source file of the page at ``address`` (a site path without its slash): ``reports/x`` →
    ``reports/x/index.md``, ``agencies/index`` → ``agencies/index.md``. Every page is an index.md in a
    folder of its own, so that a generator resolving raw-HTML links against the source file (Zensical)
    and one resolving them against the page's address (MkDocs) build the same site."""
    return f"{address}.md" if address == "index" or address.endswith("/index") else f"{address}/index.md"


def page_url(page: str) -> str:
    """The site address of a content-relative page, with the site's directory URLs (mkdocs.yml
    ``use_directory_urls``): ``reports/x/index.md`` → ``reports/x/``, ``agencies/index.md`` → ``agencies/``."""
    stem = page[: -len(".md")] if page.endswith(".md") else page
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    return stem.rstrip("/") + "/" if stem else ""


def url_relative(page: str, target: str) -> str:
    """The link from ``page`` to ``target`` as the built site has them, for raw HTML (which MkDocs does
    not rewrite as it does Markdown links): ``reports/x/index.md`` to ``glossary/index.md`` → ``../../glossary/``."""
    path = relpath(page_url(target), page_url(page))
    if path == ".":
        return "./"
    path += "/"
    up = 0
    while path.startswith("../", up):
        up += 3
    return path[:up] + _link_once(path[up:])  # a page links many pages to the same target: encode it once


def failures_of(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.failure]


def entry_place(entry: Entry) -> str:
    """Where a report stands in a year's list (sorted by region): its province and city, or agency."""
    region = entry.region
    return " ".join(region[:2]) if region else (entry.report and entry.report.agency) or entry.source.name
