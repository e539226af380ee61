"""The site's generated pages and open data, as {path relative to content/: text, or bytes for XLSX}.

This module orchestrates: what is rendered, in which order, and what the memo of the last build lets
keep as it is. Each page kind builds its context in a module of its own, beside its template in
``templates/`` (report.py, agency.py, region.py, year.py, statistics.py, quality.py, home.py,
downloads.py, rankings.py, compare.py, glossary.py, search.py); pages are Markdown rendered in
environment.py's jinja2 environment, where every piece of report text is escaped. Output depends only
on the input: sorted, no timestamps.
"""
from __future__ import annotations

import os
import posixpath
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path

from builder.executors import process_pool
from builder.models import Failure, Report
from builder.publish.memo import UNCHANGED, PageMemo
from builder.render import compare, downloads, evidence, glossary, rankings
from builder.render.agency import agencies_index_pages, agency_context, agency_description, agency_key
from builder.render.catalog import agencies_of, regions_of, walk, years_of
from builder.render.discovery import discovery_files
from builder.render.entries import Entry, failures_of, link, relative, reports_to_entries, url_relative
from builder.render.environment import front_matter, make_environment
from builder.render.home import home_context
from builder.render.open_data import dumps, failure_to_open_data, report_to_open_data
from builder.render.quality import quality_pages
from builder.render.region import region_context, region_description
from builder.render.report import (failure_context, report_description, report_links, report_to_context,
                                   reports_index_context)
from builder.render.search import SEARCH_FILTERS, search_filters
from builder.render.statistics import stats_context
from builder.render.year import year_pages

__all__ = ["render_site", "render_into", "original_files", "reports_to_entries", "Entry"]

POOL_REPORTS = 500  # from this many reports to put into downloads, making them in another process pays


def original_files(reports: list[Report], failures: list[Failure],
                   base_dir: Path | None = None) -> dict[str, Path]:
    """{files/<slug>/<name>: the original on disk}; relative source paths are taken from ``base_dir``."""
    base = base_dir or Path.cwd()
    return {e.original: base / e.source.path for e in reports_to_entries(reports, failures)}


def render_site(reports: list[Report], failures: list[Failure], memo: PageMemo | None = None,
                files_url: str | None = None, reports_dir: Path = Path("reports"),
                times: Mapping[Path, int] | None = None) -> dict[str, str | bytes | object]:
    """Every generated page and data file, as {path: text}, sorted (see ``render_into``)."""
    pages: dict[str, str | bytes | object] = {}
    render_into(pages.__setitem__, reports, failures, memo, files_url, reports_dir, times)
    return dict(sorted(pages.items()))


def render_into(put: Callable[[str, str | bytes | object], None], reports: list[Report], failures: list[Failure],
                memo: PageMemo | None = None, files_url: str | None = None,
                reports_dir: Path = Path("reports"), times: Mapping[Path, int] | None = None) -> None:
    """Every generated page and data file, each handed to ``put(path, text)`` as soon as it is made (the
    build writes it then: a province's pages are never all held at once). With a ``memo``, a report
    whose page and open data are the same as in the last build gets ``UNCHANGED`` for both instead of
    being rendered again. With a ``files_url``, originals are linked to their copy there (files_url +
    path under ``reports_dir``) instead of to files/ in the site. ``times``: when each report last changed
    (ingest/history.py), for the feeds."""
    entries = reports_to_entries(reports, failures)
    found = [e for e in entries if e.report]
    agencies = agencies_of(entries)
    regions = regions_of(entries, agencies)
    years = years_of(entries)
    agency_of = {id(e): a for a in agencies for e in (*a.entries, *a.failures)}
    env = make_environment()

    def original_url(entry: Entry) -> str | None:
        if files_url is None:
            return None
        return files_url + link(posixpath.relpath(entry.source.path.as_posix(), reports_dir.as_posix()))

    def emit(path: str, text: str | bytes | object) -> None:
        put(path, _one_final_newline(text))

    def emit_all(files: dict[str, str | bytes | object]) -> None:
        for path, text in files.items():
            emit(path, text)

    def page(path: str, template_name: str, /, description: str = "", feed: str = "", **context) -> None:
        emit(path, front_matter(description, feed) + env.get_template(template_name).render(
            href=lambda target: relative(path, target), url=lambda target: url_relative(path, target),
            term=lambda label: glossary.term_html(label, url_relative(path, glossary.PAGE)),
            original=lambda entry: original_url(entry) or relative(path, entry.original), **context))

    def pages(made: Iterable[tuple[str, str, dict]]) -> None:
        for path, template_name, context in made:
            page(path, template_name, **context)

    # each report's open data and links, and a key of them: what its page, data and download rows are made of
    data_of: dict[int, str] = {}
    links_of: dict[int, dict[str, str | None]] = {}
    keys: dict[int, str] = {}  # id(entry) → what its page, data and download rows are made from
    for entry in found:
        data_of[id(entry)] = dumps(report_to_open_data(entry.report), compact=True)
        links_of[id(entry)] = report_links(entry, agency_of.get(id(entry)), regions, original_url(entry))
        keys[id(entry)] = PageMemo.key(data_of[id(entry)], *(v or "" for v in links_of[id(entry)].values()))

    # the years' downloads (most of a build's time at province scale) are made on another core while
    # this one renders the pages; a year whose reports are all unchanged keeps its files, and the
    # all-years workbook is kept when no report changed
    years_files = downloads.by_year(found)
    changed = []
    for year in years_files:
        if memo and memo.unchanged(year.paths, PageMemo.key(year.label, *(keys[id(e)] for e in year.entries))):
            emit_all(dict.fromkeys(year.paths, UNCHANGED))
        else:
            changed.append(year)
    formatted = [e for e in found if e.report.template]
    all_xlsx = bool(formatted) and len(formatted) <= downloads.ALL_XLSX_REPORTS
    everything: list[Entry] | None = formatted  # the all-years workbook's reports, when it is made again
    if not all_xlsx or (memo and memo.unchanged((downloads.ALL_XLSX,), PageMemo.key(
            "all", *(keys[id(e)] for e in formatted)))):
        emit_all(dict.fromkeys((downloads.ALL_XLSX,) if all_xlsx else (), UNCHANGED))
        everything = None
    with _downloads_made(sum(len(y.entries) for y in changed) + len(everything or ()),
                         (changed, downloads.xlsx_readme(), everything)) as made:
        page("index.md", "index.md.j2", **home_context(entries, agencies, regions, years))
        page("reports/index.md", "reports_index.md.j2", **reports_index_context(entries, years))
        for entry in entries:
            if entry.failure:
                page(entry.page, "failure.md.j2", **failure_context(entry, agency_of.get(id(entry)), regions,
                                                                   {y.year for y in years}))
            else:
                scanned = evidence.scanned_rows(entry.report)  # rows shown as their images cut from the page
                files = (entry.page, entry.data, *evidence.crop_paths(entry.page, scanned))
                if memo and memo.unchanged(files, keys[id(entry)]):
                    emit_all(dict.fromkeys(files, UNCHANGED))
                    continue
                page(entry.page, "report.md.j2", description=report_description(entry.report),
                     **report_to_context(entry, links_of[id(entry)], scanned))
                emit(entry.data, data_of[id(entry)])
                emit_all(evidence.crop_files(entry.report, entry.page, scanned))
        pages(agencies_index_pages(agencies))
        for agency in agencies:  # its page and 对比 file, like a report's, kept when nothing they are made of changed
            data = compare.agency_data(agency)
            if memo and memo.unchanged((agency.page, data), agency_key(agency, regions, keys)):
                emit(agency.page, UNCHANGED)
                emit(data, UNCHANGED)
            else:
                page(agency.page, "agency.md.j2", description=agency_description(agency),
                     **agency_context(agency, regions))
                emit(data, compare.agency_file(agency))
        for region in walk(regions):
            page(region.page, "region.md.j2", description=region_description(region),
                 **region_context(region, regions))
        pages(year_pages(years, agencies))
        page("stats/index.md", "stats.md.j2", **stats_context(found, years, agencies))
        page(glossary.PAGE, "glossary.md.j2", **glossary.glossary_context())
        year_numbers = [y.year for y in years]
        page(compare.PAGE, "compare.md.j2", **compare.compare_context(year_numbers))
        emit(compare.INDEX, compare.index_file(agencies, year_numbers))
        pages(rankings.rankings_pages(agencies, year_numbers))
        pages(quality_pages(entries))
        page("downloads/index.md", "downloads.md.j2", **downloads.downloads_context(
            len(found), years_files, all_xlsx, bool(formatted)))
        failures_data = dumps([failure_to_open_data(e.failure) for e in failures_of(entries)], compact=True)
        emit(downloads.ALL_JSON, downloads.zipped_text("all.json", downloads.all_json(
            (data_of[id(e)] for e in found), failures_data)))
        emit_all(discovery_files(entries, agencies, regions, years_files, times or {},
                                 lambda e: report_description(e.report) if e.report else ""))
        emit_all(made.result())
    emit(SEARCH_FILTERS, search_filters(found, years))


def _one_final_newline(text: str | bytes | object) -> str | bytes | object:
    """A text ending in exactly one newline; the same object where it already does (a province's pages
    are not copied)."""
    if not isinstance(text, str) or (text.endswith("\n") and not text.endswith("\n\n")):
        return text
    return text.rstrip("\n") + "\n"


_JOB: tuple = ()  # in the downloads process: the arguments of downloads.year_files_of


def _take_job(*job) -> None:
    global _JOB
    _JOB = job


def _do_job() -> dict[str, bytes | str]:
    return downloads.year_files_of(*_JOB)


@contextmanager
def _downloads_made(reports: int, job: tuple) -> Iterator[Future]:
    """The downloads of ``job`` (downloads.year_files_of's arguments): made in another process while
    this one renders the pages when there are many reports and cores to spare, else here and now. The
    process is given the job as it starts (forked, it inherits a province's reports: no copy is sent)."""
    if reports < POOL_REPORTS or (os.cpu_count() or 1) < 2:
        made: Future = Future()
        made.set_result(downloads.year_files_of(*job))
        yield made
        return
    with process_pool(1, _take_job, job) as pool:
        yield pool.submit(_do_job)
