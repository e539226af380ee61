"""A report's page (report.md.j2) and, for a file that could not be parsed, its failure page
(failure.md.j2); and 全部年报, the list of every report (reports_index.md.j2).
"""
from __future__ import annotations

from builder.extract.templates import SECTIONS, TEMPLATES
from builder.models import Report
from builder.render import evidence, glossary
from builder.render.catalog import Agency, Region, region_page_of, year_address
from builder.render.entries import Entry, failures_of, page_file, relative, url_relative
from builder.render.figures import FIGURE, figure_of, format_number
from builder.render.headline import HEADLINE
from builder.render.labels import format_label
from builder.render.layout import TableView, table_to_view
from builder.render.markdown import prose
from builder.render.marks import report_name
from builder.render.notices import failure_notice
from builder.render.keyfigures import key_figures
from builder.render.quality import report_quality
from builder.render.search_fields import report_fields
from builder.render.status import status_of

_TABLES_AFTER = {"active_disclosure", "applications", "review_litigation"}
REPORTS_LISTED = 500  # up to this many reports, 全部年报 lists them all (≤ 200 KB); beyond, it links the year pages


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


def report_to_context(entry: Entry, links: dict[str, str | None], scanned: dict | None = None) -> dict:
    """``scanned``: the rows whose images cut from a scanned page the page shows (``evidence.scanned_rows``)."""
    report = entry.report
    template = TEMPLATES.get(report.template or "")
    status = status_of(report)
    tables: dict[str, TableView] = {}
    original = links["original"] or entry.original
    sources = evidence.row_sources(report, original if "://" in original else relative(entry.page, original),
                                   scanned or {})
    if template:
        for table in template.tables:
            tables[table.key] = table_to_view(table, status, url_relative(entry.page, glossary.PAGE), sources)
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
        "sections": [(key, heading, prose(report.sections.get(key, ())).strip()) for key, heading in SECTIONS],
        "tables": tables,
        "tables_after": _TABLES_AFTER,
        "quality": report_quality(report),
        "keys": key_figures(report),  # before section 一, on a phone's first screen
        "scanned": any(w.code == "source.scanned" for w in report.warnings),
        "cite_data": evidence.cite_data(report, template, report_name(report)) if template else "",
        "search_fields": report_fields(report, figure_text(report, "received"),
                                       figure_text(report, "total_processed")),
    }


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


def group_by_year(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.report:
            year = entry.report.year
            groups.setdefault(f"{year} 年" if year else "年份未识别", []).append(entry)
    return list(groups.items())  # entries are sorted by year already


def reports_index_context(entries: list[Entry], years) -> dict:
    """全部年报: every report by year (up to REPORTS_LISTED; beyond, links to the year pages) and the files
    that could not be parsed."""
    found = [e for e in entries if e.report]
    return {"groups": group_by_year(entries), "failures": failures_of(entries), "years": years,
            "listed": len(found) <= REPORTS_LISTED}
