"""The site's generated pages and open data, as {path relative to content/: text, or bytes for XLSX}.

Pages are Markdown from the jinja2 templates in ``templates/``; every piece of report text goes
through ``escape``. Output depends only on the input: sorted, no timestamps.
"""
from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import jinja2

from builder.executors import process_pool
from builder.extract.templates import SECTIONS, TEMPLATES
from builder.models import Failure, Report
from builder.render import compare, downloads, glossary, rankings
from builder.render.catalog import Agency, Region, agencies_of, regions_of, walk, year_address, years_of
from builder.render.charts import Series, chart
from builder.render.crossyear import cross_year_checks
from builder.render.entries import Entry, link, page_file, relative, reports_to_entries, url_relative
from builder.render.figures import (FIGURE, FIGURES, OUTCOMES, Tally, countable, figure_of, format_number,
                                    outcome_shares, ranked, ratio, total_of)
from builder.render.keyfigures import key_figures
from builder.render.layout import TableView, table_to_view
from builder.render.labels import format_label
from builder.render.markdown import attribute, escape, escape_cell
from builder.render.marks import KIND_WORDS, NAMED, Notes, report_name
from builder.render.notices import failure_notice
from builder.render.open_data import dumps, failure_to_open_data, report_to_open_data
from builder.render.paging import paginate
from builder.render.policy import (FEW, MIN_BASE, counts_text, enough, median_per_report, same_scope, year_rows,
                                    year_span)
from builder.render.quality import origins_of, report_quality, row_label, rule_label, warning_label
from builder.render.search_fields import (LEVELS, agency_fields, level_of, region_fields, report_fields,
                                          site_fields)
from builder.render.status import status_of
from builder.render.subregions import children_rows, year_matrix
from builder.render.trends import trend_context
from builder.publish.memo import UNCHANGED, PageMemo

__all__ = ["render_site", "render_into", "original_files", "reports_to_entries", "Entry"]

_TABLES_AFTER = {"active_disclosure", "applications", "review_litigation"}
HEADLINE = ("received", "total_processed", "reviews", "lawsuits")
LATEST = 10
REPORTS_LISTED = 500  # up to this many reports, 全部年报 lists them all (≤ 200 KB); beyond, it links the year pages
SEARCH_FILTERS = "data/search-filters.json"  # the search page's filter choices, without loading Pagefind's
YEAR_PAGE = 180  # reports on one page of a year's list (≤ 200 KB of HTML: 250 came to 244 KB)
AGENCIES_PAGE = 500  # agencies on one page of 按机关
QUALITY_PAGE = 500  # reports on one page of a year's 数据质量
QUALITY_DETAILS = 200  # up to this many reports with findings, 数据质量 lists them in full; beyond, by year
POOL_REPORTS = 500  # from this many reports to put into downloads, making them in another process pays


def original_files(reports: list[Report], failures: list[Failure],
                   base_dir: Path | None = None) -> dict[str, Path]:
    """{files/<slug>/<name>: the original on disk}; relative source paths are taken from ``base_dir``."""
    base = base_dir or Path.cwd()
    return {e.original: base / e.source.path for e in reports_to_entries(reports, failures)}


def render_site(reports: list[Report], failures: list[Failure], memo: PageMemo | None = None,
                files_url: str | None = None, reports_dir: Path = Path("reports")) -> dict[str, str | bytes | object]:
    """Every generated page and data file, as {path: text}, sorted (see ``render_into``)."""
    pages: dict[str, str | bytes | object] = {}
    render_into(pages.__setitem__, reports, failures, memo, files_url, reports_dir)
    return dict(sorted(pages.items()))


def render_into(put: Callable[[str, str | bytes | object], None], reports: list[Report], failures: list[Failure],
                memo: PageMemo | None = None, files_url: str | None = None,
                reports_dir: Path = Path("reports")) -> None:
    """Every generated page and data file, each handed to ``put(path, text)`` as soon as it is made (the
    build writes it then: a province's pages are never all held at once). With a ``memo``, a report
    whose page and open data are the same as in the last build gets ``UNCHANGED`` for both instead of
    being rendered again. With a ``files_url``, originals are linked to their copy there (files_url +
    path under ``reports_dir``) instead of to files/ in the site."""
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

    def page(path: str, template_name: str, /, description: str = "", **context) -> None:
        emit(path, front_matter(description) + env.get_template(template_name).render(
            href=lambda target: relative(path, target), url=lambda target: url_relative(path, target),
            term=lambda label: glossary.term_html(label, url_relative(path, glossary.PAGE)),
            original=lambda entry: original_url(entry) or relative(path, entry.original), **context))

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
                         (changed, xlsx_readme(), everything)) as made:
        page("index.md", "index.md.j2", **home_context(entries, agencies, regions, years))
        page("reports/index.md", "reports_index.md.j2", groups=group_by_year(entries), failures=failures_of(entries),
             years=years, listed=len(found) <= REPORTS_LISTED)
        for entry in entries:
            if entry.failure:
                page(entry.page, "failure.md.j2", **failure_context(entry, agency_of.get(id(entry)), regions,
                                                                   {y.year for y in years}))
            elif memo and memo.unchanged((entry.page, entry.data), keys[id(entry)]):
                emit(entry.page, UNCHANGED)
                emit(entry.data, UNCHANGED)
            else:
                page(entry.page, "report.md.j2", description=report_description(entry.report),
                     **report_to_context(entry, links_of[id(entry)]))
                emit(entry.data, data_of[id(entry)])
        for path, chunk, pager in paginate("agencies/index", agencies, AGENCIES_PAGE,
                                          lambda a: " ".join(a.region[:2]) or a.name):
            page(path, "agencies_index.md.j2", agencies=chunk, agency_count=len(agencies), pager=pager)
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
        page("years/index.md", "years_index.md.j2", years=years, total_of=total_of, headline=HEADLINE, figure=FIGURE)
        by_year = {y.year: y.reports for y in years}
        for year in years:
            summary = summary_context(year.reports)
            summary["same"] = [(FIGURE[k].label, same_scope(by_year, year.year, k)) for k in HEADLINE]
            for path, chunk, pager in paginate(year.address, year.entries, YEAR_PAGE, entry_place):
                page(path, "year.md.j2", year=year, **summary, rows=report_rows(chunk, agencies), pager=pager)
        page("stats/index.md", "stats.md.j2", **stats_context(found, years, agencies), search_fields=site_fields("统计"))
        page(glossary.PAGE, "glossary.md.j2", **glossary.glossary_context(), search_fields=site_fields("术语说明"))
        year_numbers = [y.year for y in years]
        page(compare.PAGE, "compare.md.j2", **compare.compare_context(year_numbers),
             glossary_url=url_relative(compare.PAGE, glossary.PAGE), search_fields=site_fields("对比"))
        emit(compare.INDEX, compare.index_file(agencies, year_numbers))
        for path, template, context in rankings.rankings_pages(agencies, year_numbers):
            page(path, template, **context, search_fields=site_fields("排名") if path == rankings.INDEX else "")
        quality = quality_context(entries)
        page("quality/index.md", "quality.md.j2", **quality, search_fields=site_fields("数据质量"))
        if not quality["detailed"]:
            for label, items in quality["by_year"]:
                for path, chunk, pager in paginate(f"quality/{label}", items, QUALITY_PAGE,
                                                   lambda item: entry_place(item["entry"])):
                    page(path, "quality_year.md.j2", label=label, flagged=chunk, flagged_count=len(items),
                         pager=pager)
        page("downloads/index.md", "downloads.md.j2", search_fields=site_fields("数据下载"), report_count=len(found),
             years=years_files, all_json=downloads.ALL_JSON,
             all_xlsx=downloads.ALL_XLSX if all_xlsx else None, all_xlsx_reports=downloads.ALL_XLSX_REPORTS,
             formatted=bool(formatted),
             report_columns=downloads.REPORT_COLUMNS, long_columns=downloads.LONG_COLUMNS,
             table_names=downloads.TABLE_NAMES, templates=TEMPLATES)
        failures_data = dumps([failure_to_open_data(e.failure) for e in failures_of(entries)], compact=True)
        emit(downloads.ALL_JSON, downloads.zipped_text("all.json", downloads.all_json(
            (data_of[id(e)] for e in found), failures_data)))
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


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("builder.render", "templates"),
        autoescape=False,  # the output is Markdown: report text is escaped with the escape filter
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(escape=escape, e=escape, cell=escape_cell, code=code, comment=comment,
                       region=region_text, region_html=region_html,
                       h=attribute, number=format_number, external=external_link)
    env.globals.update(new_notes=Notes, report_name=report_name, notice=failure_notice, format_label=format_label,
                       kind_words=KIND_WORDS, min_base=MIN_BASE, few=FEW,
                       year_page=lambda year: page_file(year_address(year)))
    return env


def entry_place(entry: Entry) -> str:
    """Where a report stands in a year's list (sorted by region): its province and city, or agency."""
    region = entry.region
    return " ".join(region[:2]) if region else (entry.report and entry.report.agency) or entry.source.name


def search_filters(found: list[Entry], years) -> str:
    """The values of the search filters (search_fields.py), for the search page's choices: loading them
    from Pagefind would fetch every filter's index with every query."""
    levels = {level_of(e.report.region[:depth]) for e in found for depth in range(1, len(e.report.region) + 1)}
    return dumps({"year": [str(y.year) for y in years], "level": [lv for lv in LEVELS if lv in levels],
                  "template": [f"{t} 版" for t in sorted({e.report.template for e in found if e.report.template})]},
                 compact=True)


def front_matter(description: str) -> str:
    """The page's YAML front matter: its description, for the description and og: meta of its head
    (overrides/main.html) and link previews; none for a page without one (the site's description)."""
    if not description:
        return ""
    text = attribute(" ".join(description.split()))  # the theme prints it into an attribute as is
    return "---\ndescription: " + json.dumps(text, ensure_ascii=False) + "\n---\n\n"


def report_description(report: Report) -> str:
    figures = "，".join(figure_said(report, key) for key in HEADLINE)
    region = " / ".join(report.region)
    year = f" {report.year} 年" if report.year else ""
    return f"{report.agency or report.title or report.source.name}{year}政府信息公开工作年度报告" \
           f"{f'（{region}）' if region else ''}：{figures}。数字取自年报原文，附全文与开放数据。"


def figure_said(report: Report, key: str) -> str:
    """行政复议 2 件, 行政复议未知, 行政复议 0 件（与报告中其他数字不符）: a figure in running text."""
    figure = figure_of(report, key)
    if figure.value is None:
        return f"{FIGURE[key].label}未知"
    mark = "（与报告中其他数字不符）" if figure.kind == "contradicted" else ""
    return f"{FIGURE[key].label} {format_number(figure.value)} 件{mark}"


def figure_text(report: Report, key: str) -> str:
    """A figure's number (未知 when unknown), marked when the report's other figures contradict it."""
    figure = figure_of(report, key)
    if figure.value is None:
        return "未知"
    return format_number(figure.value) + ("（不符）" if figure.kind == "contradicted" else "")


def agency_description(agency: Agency) -> str:
    years = "、".join(str(y) for y in agency.by_year())
    return f"{agency.name}（{' / '.join(agency.region) or '地区未识别'}）的政府信息公开工作年度报告 " \
           f"{len(agency.entries)} 份{f'（{years} 年）' if years else ''}，主要数字逐年对照。"


def region_description(region: Region) -> str:
    agencies = len({(r.region, r.agency) for r in region.reports if r.agency})
    return f"{' / '.join(region.names) or '全部地区'}各级行政机关的政府信息公开工作年度报告：" \
           f"{len(region.reports)} 份，{agencies} 个机关。"


def code(text: str) -> str:
    """Text in code font; falls back to escaped text when it would break out of the code span."""
    return f"`{text}`" if text and "`" not in text and "\n" not in text else escape(text)


def external_link(url: str) -> str:
    """A link target to another site (a report's 原文发布地址): percent-encoded so that nothing in it can
    end the Markdown link or the HTML attribute."""
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def comment(text: str) -> str:
    """Text safe inside an HTML comment."""
    return text.replace("--", "‐‐").replace("<", "‹").replace(">", "›").replace("\n", " ")


def region_text(region: tuple[str, ...], escaped: Callable[[str], str] = escape) -> str:
    """省 / 市 / 区县, in a span that breaks only at the slashes (portal.css): a narrow table column on a
    phone would otherwise stack it a character or two per line."""
    glued = "&nbsp;/ ".join(escaped(name) for name in region)  # a line may break after a slash, never before
    return f'<span class="portal-region">{glued}</span>' if region else "—"


def region_html(region: tuple[str, ...]) -> str:
    """``region_text`` for an HTML table (html_table in _macros.md.j2), where Markdown escapes would show."""
    return region_text(region, attribute)


def failures_of(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.failure]


def group_by_year(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.report:
            year = entry.report.year
            groups.setdefault(f"{year} 年" if year else "年份未识别", []).append(entry)
    return list(groups.items())  # entries are sorted by year already


# ---------------------------------------------------------------- summaries shared by several pages

def summary_context(reports: list[Report]) -> dict:
    """Headline totals and outcome shares of some reports, with a chart of the outcomes."""
    shares = outcome_shares(reports)
    outcome_chart = ""
    if shares.reports and enough(shares.total_processed):  # a chart of shares only on MIN_BASE cases or more
        outcome_chart = chart("办理结果分布", [FIGURE[k].label for k in OUTCOMES],
                              [Series("件数", tuple(shares.counts[k] for k in OUTCOMES))])
    return {
        "totals": [(FIGURE[key].label, total_of(reports, key)) for key in HEADLINE],
        "shares": shares,
        "outcomes": [(FIGURE[key].label, shares.counts[key], shares.percent(key)) for key in OUTCOMES],
        "outcome_chart": outcome_chart,
        "report_count": len(reports),
        "agency_count": len({(r.region, r.agency) for r in reports if r.agency}),
    }


def report_rows(entries: list[Entry], agencies: list[Agency]) -> list[dict]:
    """One line per report for the lists on year, region and agency pages."""
    agency_pages = {id(e): a.page for a in agencies for e in a.entries}
    return [{
        "entry": entry,
        "agency_page": agency_pages.get(id(entry)),
        "figures": [(FIGURE[key].label, figure_of(entry.report, key)) for key in HEADLINE],
        "quality": quality_label(entry.report),
    } for entry in entries if entry.report]


BADGE_WORDS = {"contradicted": "⚠不符", "unverified": "无法核对", "unknown": "未知", "differs": "正文另述",
               "corrected": "更正", "notes": "提示"}


def quality_label(report: Report) -> str:
    """A report's status in a list, visible without a tooltip (a phone has none): ✓ 通过, or each kind
    of its summary apart with the same count the summary gives (⚠不符 1 项 · 未知 14 格): the report's own
    contradictions, our unreadable cells and the prose's other wording are never added into one number."""
    quality = report_quality(report)
    words = attribute(quality.summary)
    if quality.clean:
        return f'<span class="portal-status" title="{words}">✓ 通过</span>'
    items = [f'<span class="portal-status__item portal-status__item--{kind}">{BADGE_WORDS[kind]} {n} '
             f'{unit[0]}</span>' for kind, n, unit in quality.parts]
    shown = " ".join(items) if items else attribute(quality.summary)
    warn = " portal-status--warn" if any(kind == "contradicted" for kind, _, _ in quality.parts) else ""
    return f'<span class="portal-status{warn}" title="{words}">{shown}</span>'


def region_page_of(regions: Region, names: tuple[str, ...]) -> str | None:
    node = regions
    for depth in range(1, len(names) + 1):
        node = next((c for c in node.children if c.names == names[:depth]), None)
        if node is None:
            return None
    return node.page


# ---------------------------------------------------------------- pages

def home_context(entries: list[Entry], agencies: list[Agency], regions: Region, years) -> dict:
    found = [e for e in entries if e.report]
    reports = [e.report for e in found]
    return {  # each year on its own (render/policy.py): never a total over all years
        "year_rows": year_rows(reports, HEADLINE),
        "report_count": len(reports),
        "agency_count": len({(r.region, r.agency) for r in reports if r.agency}),
        "latest": report_rows(found[:LATEST], agencies),
        "more": max(0, len(found) - LATEST),
        "failure_count": len(failures_of(entries)),
        # a region counts when it holds a parsed report: a folder of files that could not be read does not
        "region_count": sum(1 for node in walk(regions)[1:] if node.reports),
        "province_count": sum(1 for node in regions.children if node.reports),
        "years": [y.year for y in years],
    }


def report_links(entry: Entry, agency: Agency | None, regions: Region,
                 original_url: str | None = None) -> dict[str, str | None]:
    """Where a report's page and its links lead: the only inputs of the page besides the report."""
    report = entry.report
    return {
        "page": entry.page, "data": entry.data, "original": original_url or entry.original,
        "agency_page": agency.page if agency else None,
        "region_page": region_page_of(regions, report.region),
        "year_page": page_file(year_address(report.year)) if report.year else None,
    }


def report_to_context(entry: Entry, links: dict[str, str | None]) -> dict:
    report = entry.report
    template = TEMPLATES.get(report.template or "")
    status = status_of(report)
    tables: dict[str, TableView] = {}
    if template:
        for table in template.tables:
            tables[table.key] = table_to_view(table, status, url_relative(entry.page, glossary.PAGE))
    return {
        "entry": entry,
        "report": report,
        "source": report.source,
        "template": template,
        "format": format_label(report.source),
        "source_url": source_url(report.source),
        "published": date_text(report.source.sidecar.get("published")),
        "agency_page": links["agency_page"],
        "region_page": links["region_page"],
        "year_page": links["year_page"],
        "sections": [(key, heading, report.sections.get(key, "").strip()) for key, heading in SECTIONS],
        "tables": tables,
        "tables_after": _TABLES_AFTER,
        "quality": report_quality(report),
        "keys": key_figures(report),  # before section 一, on a phone's first screen
        "scanned": any(w.code == "source.scanned" for w in report.warnings),
        "search_fields": report_fields(report, figure_text(report, "received"),
                                       figure_text(report, "total_processed")),
    }


def source_url(source) -> str | None:
    """Where the agency published the report (the sidecar's ``url``), if the maintainer said."""
    url = source.sidecar.get("url")
    return str(url).strip() if url else None


def date_text(iso: object) -> str:
    """2024-03-08 → 2024 年 3 月 8 日 ("" when not given)."""
    if not iso:
        return ""
    year, month, day = str(iso).split("-")
    return f"{int(year)} 年 {int(month)} 月 {int(day)} 日"


def failure_context(entry: Entry, agency: Agency | None, regions: Region, years: set[int]) -> dict:
    return {
        "entry": entry,
        "source": entry.source,
        "notice": failure_notice(entry.failure),
        "format": format_label(entry.source),
        "source_url": source_url(entry.source),
        "published": date_text(entry.source.sidecar.get("published")),
        "agency": entry.agency,
        "year": entry.year,
        "agency_page": agency.page if agency else None,
        "region_page": region_page_of(regions, entry.source.region),
        "year_page": page_file(year_address(entry.year)) if entry.year in years else None,
    }


def agency_key(agency: Agency, regions: Region, keys: dict[int, str]) -> str:
    """What an agency's page (``agency_context``) and its 对比 file are made of: its name, region and the
    link to the region's page, each report's key (its data and links), each file that could not be parsed."""
    return PageMemo.key(agency.page, agency.name, *agency.region, region_page_of(regions, agency.region) or "",
                        *(keys[id(e)] for e in agency.entries),
                        *(f"{e.page}\0{e.year}\0{e.failure!r}" for e in agency.failures))


def agency_context(agency: Agency, regions: Region) -> dict:
    by_year = agency.by_year()
    years = sorted(by_year)
    return {
        "agency": agency,
        "region_page": region_page_of(regions, agency.region),
        "rows": report_rows(agency.entries, [agency]),
        "years": years,
        "figures": [(f.label, [(by_year[y], figure_of(by_year[y], f.key)) for y in years]) for f in FIGURES],
        "checks": cross_year_checks(by_year),
        **trend_context(by_year),
        "search_fields": agency_fields(agency.name, agency.region, agency.reports),
    }


def region_context(region: Region, regions: Region) -> dict:
    reports = region.reports
    here = [e for e in region.entries if e.report and e.region == region.names]
    agencies_here = {id(e): a for a in region.agencies for e in a.entries}
    return {
        "region": region,
        "breadcrumb": [(n.name, n.page) for n in _ancestors(regions, region.names)],
        "year_rows": year_rows(reports, HEADLINE),  # each year on its own (render/policy.py)
        "report_count": len(reports),
        "agency_count": len({(r.region, r.agency) for r in reports if r.agency}),
        "children": children_rows(region),
        "matrix": year_matrix(region),
        "rows": report_rows(here, list({id(a): a for a in agencies_here.values()}.values())),
        "failure_count": sum(1 for e in region.entries if e.failure),
        "years": sorted({r.year for r in reports if r.year}, reverse=True),
        "search_fields": region_fields(region.names, reports),
    }


def _ancestors(root: Region, names: tuple[str, ...]) -> list[Region]:
    chain, node = [root], root
    for depth in range(1, len(names)):
        node = next(c for c in node.children if c.names == names[:depth])
        chain.append(node)
    return chain if names else []


def stats_context(entries: list[Entry], years, agencies: list[Agency]) -> dict:
    """统计: each year on its own (render/policy.py): per-year rows newest first with their report counts
    and 同口径 totals, charts over every year from the first to the last (a year without reports a gap),
    outcome shares only on MIN_BASE cases or more, and the lists per year, known zeros included."""
    reports = [e.report for e in entries]
    per_year = []
    for year in years:  # newest first
        per_year.append({"year": year, "summary": summary_context(year.reports), "shares": outcome_shares(year.reports)})
    by_year = {item["year"].year: item for item in per_year}
    axis = list(reversed(year_span(by_year)))  # a time axis runs oldest → newest, with its gaps
    labels = [f"{y}（{len(by_year[y]['year'].reports)} 份）" if y in by_year else f"{y}（无年报）" for y in axis]
    medians = [median_per_report(by_year[y]["year"].reports, "received") if y in by_year else None for y in axis]
    received_chart = chart("各年度每份年报的新收申请（中位数）", labels,
                           [Series("每份年报新收申请的中位数（件）", tuple(medians))], time=True) if axis else ""
    shared = [by_year[y]["shares"] if y in by_year else None for y in axis]
    outcome_chart = chart("各年度办理结果构成（%）", labels, [
        Series(FIGURE[k].label, tuple(round(100 * s.counts[k] / s.total_processed, 1)
                                      if s and enough(s.total_processed) else None for s in shared))
        for k in OUTCOMES], stacked=True, unit="%", time=True) if axis else ""
    rows = {id(r["entry"]): r for r in report_rows(entries, agencies)}

    def reviews_and_lawsuits(entry):
        reviews, lawsuits = countable(entry.report, "reviews"), countable(entry.report, "lawsuits")
        return None if reviews is None or lawsuits is None else reviews + lawsuits

    def refused(entry):
        base = countable(entry.report, "total_processed")
        return ratio(entry.report, "denied", "total_processed") if enough(base) else None

    lists = []
    for year in years:  # per year only: never one ranking over several years
        mine = [e for e in entries if e.report.year == year.year]

        def ranking(value, limit=10, mine=mine):
            """(rank, value, row): equal values share a rank (1, 2, 2, 4)."""
            out, rank, previous = [], 0, None
            for n, (v, e) in enumerate(ranked(mine, value, limit), start=1):
                if v != previous:
                    rank, previous = n, v
                out.append((rank, v, rows[id(e)]))
            return out

        lists.append({
            "year": year.year, "reports": len(mine),
            "most_received": ranking(lambda e: countable(e.report, "received")),
            "received_known": sum(1 for e in mine if countable(e.report, "received") is not None),
            "most_refused": ranking(refused),
            "refused_known": sum(1 for e in mine if refused(e) is not None),
            "refused_few": [(rows[id(e)], countable(e.report, "denied"), countable(e.report, "total_processed"))
                            for e in mine if countable(e.report, "total_processed") is not None
                            and countable(e.report, "denied") is not None
                            and not enough(countable(e.report, "total_processed"))],
            "most_contested": ranking(reviews_and_lawsuits),
            "contested_known": sum(1 for e in mine if reviews_and_lawsuits(e) is not None),
            # reports a list leaves out because a figure it ranks by is contradicted: listed under it
            "received_contradicted": contradicted_in(mine, ("received",)),
            "refused_contradicted": contradicted_in(mine, ("denied", "total_processed")),
            "contested_contradicted": contradicted_in(mine, ("reviews", "lawsuits")),
        })

    return {
        "report_count": len(reports),
        "year_rows": year_rows(reports, HEADLINE),
        "per_year": per_year,
        "tables": applications_by_year(years),
        "received_chart": received_chart,
        "outcome_chart": outcome_chart,
        "lists": lists,
        "named": NAMED,  # reports named under a ranking (a province's contradicted ones would fill the page)
        "figure": figure_of,
        "outcome_labels": [FIGURE[k].label for k in OUTCOMES],
        "outcome_keys": OUTCOMES,
        "row_label": row_label,
        "counts_text": counts_text,
    }


def contradicted_in(entries: list[Entry], keys: tuple[str, ...]) -> list[tuple[Entry, list[tuple[str, object]]]]:
    """The reports where one of the figures ``keys`` is contradicted, with those figures (label, status)."""
    found = []
    for entry in entries:
        figures = [(FIGURE[k].label, figure_of(entry.report, k)) for k in keys]
        if any(f.kind == "contradicted" for _, f in figures):
            found.append((entry, figures))
    return found


def applications_by_year(years) -> list[dict]:
    """Table 三 summed per year and format (the two formats' 其他处理 rows differ), cell by cell by the
    aggregation policy (render/status.py): unknown and contradicted cells are left out and counted."""
    tables = []
    for year in years:
        for template in TEMPLATES.values():
            reports = [r for r in year.reports if r.template == template.key]
            if not reports:
                continue
            table = template.table("applications")
            paths = [f"applications.{row.key}.{c.key}" for row in table.rows for c in row.columns]
            tallies = [Tally() for _ in paths]  # one pass over the reports
            unknown = contradicted = 0
            for report in reports:
                status = status_of(report)
                values = status.uncontradicted_values(paths)
                if values is not None:  # a cell's status is its value: 2.6 s of 10,000 reports' build
                    unknown += any(v is None for v in values)
                    for tally, value in zip(tallies, values):
                        tally.add_uncontradicted(value)
                    continue
                cells = [status.cell(path) for path in paths]
                unknown += any(c.value is None for c in cells)
                contradicted += any(c.contradictions for c in cells)
                for tally, cell in zip(tallies, cells):
                    tally.add(report, cell)
            totals = iter(t.total() for t in tallies)
            rows = [(row, [next(totals) for _ in row.columns]) for row in table.rows]
            tables.append({"year": year.year, "template": template, "count": len(reports), "table": table,
                           "rows": rows, "unknown": unknown, "contradicted": contradicted})
    return tables


def quality_context(entries: list[Entry]) -> dict:
    items = [{"entry": e, "quality": report_quality(e.report)} for e in entries if e.report]
    flagged = [item for item in items if not item["quality"].clean]
    by_year: dict[str, list[dict]] = {}
    for item in flagged:
        by_year.setdefault(str(item["entry"].report.year or "unknown"), []).append(item)
    rules: dict[str, list[int]] = {}  # rule → [reports failing it, reports where it is unverified]
    kinds: dict[str, int] = {}  # a kind of finding, in words → reports with such a finding
    for item in flagged:
        report = item["entry"].report
        for index, status in ((0, "fail"), (1, "unverified")):
            for rule in {c.rule for c in report.checks if c.status == status}:
                rules.setdefault(rule, [0, 0])[index] += 1
        for label in {warning_label(w.code) for w in report.warnings}:
            kinds[label] = kinds.get(label, 0) + 1
    return {
        "flagged": flagged,
        "detailed": len(flagged) <= QUALITY_DETAILS,
        "by_year": list(by_year.items()),
        "rules": [(rule_label(rule), *counts) for rule, counts in sorted(rules.items())],
        "kinds": sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])),
        "failures": failures_of(entries),
        "report_count": len(items),
        "clean_count": len(items) - len(flagged),
        "origins": origins_of([item["entry"].report for item in items]),
    }


def xlsx_readme() -> list[tuple[str, str]]:
    """The 说明 sheet of every workbook, for readers."""
    return [
        ("来源", "政府信息公开工作年度报告库：数字取自各机关公开发布的年报，按国家统一格式的表二、表三、表四读出"),
        ("各表的列", "第一行是中文列名，第二行是列键（与开放数据一致，程序读取时用）。每行一份年报：先是年报的机关、地区、年度等，"
                    "再是表中每一格，列名为“行 / 列”"),
        ("空单元格", "未知：年报未印出，或未能可靠读取。未知不是 0"),
        ("橙色单元格", "不符：该数字与同一年报中的其他数字不一致（勾稽关系不成立），批注说明原因；本站的合计和排行不计入这些数字"),
        ("蓝色单元格", "人工更正：维护者对照原文更正的数字，批注说明理由"),
        ("长表", "每行一个单元格（年报 × 表 × 行 × 列），行数过多，不放在工作簿中：见同年度的“长表”CSV"),
        ("列说明", "见网站“数据下载”和“数据格式”页"),
    ]
