"""The ways into the reports besides the list: by agency, by region (province → city → county), by year.

Each group knows the page it is published on (a path relative to content/). Names come from the
reports, so page names go through ``clean_slug``; an agency's page name is its own (slugs.agency_slug),
never changed by another's: two that would share one are the maintainer's to settle
(``address_problems``).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from builder.models import Report
from builder.render.entries import Entry, page_file, reports_to_entries
from builder.render.slugs import agency_slug, clean_slug


@dataclass
class Agency:
    name: str
    region: tuple[str, ...]
    slug: str = ""
    entries: list[Entry] = field(default_factory=list)  # its reports, newest first
    failures: list[Entry] = field(default_factory=list)  # files named for it that could not be parsed

    @property
    def page(self) -> str:
        return page_file(f"agencies/{self.slug}")

    @property
    def reports(self) -> list[Report]:
        return [e.report for e in self.entries]

    def by_year(self) -> dict[int, Report]:
        """One report per year (the first in page order when an agency has two for a year)."""
        years: dict[int, Report] = {}
        for entry in reversed(self.entries):
            if entry.report.year:
                years[entry.report.year] = entry.report
        return {year: years[year] for year in sorted(years)}


@dataclass
class Region:
    names: tuple[str, ...]  # province first; () is the root (全国)
    page: str
    entries: list[Entry] = field(default_factory=list)  # every report and failure in this region or below
    children: list["Region"] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)  # agencies whose region is exactly this one

    @property
    def name(self) -> str:
        return self.names[-1] if self.names else "全部地区"

    @property
    def reports(self) -> list[Report]:
        return [e.report for e in self.entries if e.report]


def year_address(year: int) -> str:
    """The address of a year's page (its first page, when its list is split)."""
    return f"years/{year}"


@dataclass
class Year:
    year: int
    entries: list[Entry] = field(default_factory=list)  # its reports
    failures: list[Entry] = field(default_factory=list)  # files named for it that could not be parsed

    @property
    def address(self) -> str:
        return year_address(self.year)

    @property
    def page(self) -> str:
        return page_file(self.address)

    @property
    def reports(self) -> list[Report]:
        return [e.report for e in self.entries]


def agencies_of(entries: list[Entry]) -> list[Agency]:
    """Agencies (a name in a region) with their reports, sorted by region then name; a file that could
    not be parsed is listed under the agency its name (or sidecar) gives."""
    agencies: dict[tuple, Agency] = {}
    for entry in entries:
        if entry.agency:
            key = (entry.region, entry.agency)
            agency = agencies.setdefault(key, Agency(entry.agency, entry.region))
            (agency.entries if entry.report else agency.failures).append(entry)
    ordered = [agencies[key] for key in sorted(agencies)]
    for agency in ordered:
        agency.slug = agency_slug(agency.name, agency.region)
    return ordered


def address_problems(reports: list[Report], failures: list) -> list[str]:
    """One line for each address two different reports (or agencies) would share, naming both files and
    the fix. The same agency and year twice is left to validate.collection, which says so."""
    entries = reports_to_entries(reports, failures)
    problems = []
    for kind, groups in (("reports", _by_slug((e.slug, e, _key(e)) for e in entries)),
                         ("agencies", _by_slug((a.slug, (a.entries + a.failures)[0], (a.region, a.name))
                                               for a in agencies_of(entries)))):
        for slug, items in groups:
            names = " and ".join(sorted({str(e.source.path) for e, _ in items}))
            problems.append(f"{names}: would share the address {kind}/{slug}/ — give one of them its agency's full "
                            "name in a sidecar (`agency:` in <file>.meta.yml), or rename a file that could not be "
                            "parsed")
    return problems


def _key(entry: Entry) -> tuple:
    return (entry.region, entry.agency, entry.year) if entry.report else (entry.source.path,)


def _by_slug(items) -> list[tuple[str, list]]:
    """The slugs (compared ignoring case, as some file systems do) that items of different keys share."""
    groups: dict[str, list] = {}
    for slug, entry, key in items:
        groups.setdefault(slug.casefold(), []).append((slug, entry, key))
    return [(group[0][0], [(e, k) for _, e, k in group]) for group in groups.values()
            if len({k for _, _, k in group}) > 1]


def regions_of(entries: list[Entry], agencies: list[Agency]) -> Region:
    """The region tree: the root, then one node per folder level that holds any report or failure."""
    root = Region((), "regions/index.md", list(entries))
    nodes: dict[tuple[str, ...], Region] = {(): root}
    for entry in entries:
        region = entry.region
        for depth in range(1, len(region) + 1):
            names = region[:depth]
            if names not in nodes:
                parent = nodes[names[:-1]]
                slugs = [region_slug(n) for n in names]
                node = Region(names, "regions/" + "/".join(slugs) + "/index.md")
                nodes[names] = node
                parent.children.append(node)
            nodes[names].entries.append(entry)
    for agency in agencies:
        nodes[agency.region].agencies.append(agency)
    for node in nodes.values():
        node.children.sort(key=lambda n: n.names)
    return root


def region_slug(name: str) -> str:
    """A region's folder: its name, with a short hash of it where cleaning changed it (鼓楼(新)区 and
    鼓楼-新-区 stay apart, whatever else is published)."""
    slug = clean_slug(name)
    return slug if slug == name else f"{slug}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:8]}"


def walk(root: Region) -> list[Region]:
    """Every node, parents before children."""
    nodes, stack = [], [root]
    while stack:
        node = stack.pop(0)
        nodes.append(node)
        stack[:0] = node.children
    return nodes


def years_of(entries: list[Entry]) -> list[Year]:
    """The years with reports (a file that could not be parsed is listed under the year its name gives;
    a year of such files only has no page)."""
    years: dict[int, Year] = {}
    for entry in entries:
        if entry.report and entry.report.year:
            years.setdefault(entry.report.year, Year(entry.report.year)).entries.append(entry)
    for entry in entries:
        if entry.failure and entry.year in years:
            years[entry.year].failures.append(entry)
    return [years[y] for y in sorted(years, reverse=True)]


def region_page_of(regions: Region, names: tuple[str, ...]) -> str | None:
    node = regions
    for depth in range(1, len(names) + 1):
        node = next((c for c in node.children if c.names == names[:depth]), None)
        if node is None:
            return None
    return node.page
