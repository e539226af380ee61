"""The site's generated pages and open data, as {path relative to content/: text}.

Pages are Markdown from the jinja2 templates in ``templates/``; every piece of report text goes
through ``escape``. Output depends only on the input: sorted, no timestamps.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import jinja2

from builder.extract.templates import SECTIONS, TEMPLATES
from builder.models import Failure, Report, SourceFile
from builder.render.layout import TableView, table_to_view
from builder.render.markdown import escape, escape_cell
from builder.render.open_data import dumps, failure_to_open_data, report_to_open_data
from builder.render.quality import describe_rule, describe_where
from builder.render.slugs import assign_slugs, base_slug, source_key

# Originals a browser or mkdocs would treat as a page (HTML, Markdown…) are published as text.
_SAFE_SUFFIXES = {".pdf", ".docx", ".doc", ".txt", ".wps", ".ofd", ".xls", ".xlsx"}
_TABLES_AFTER = {"active_disclosure", "applications", "review_litigation"}


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
    def original(self) -> str:
        """The original's path relative to content/."""
        return f"files/{self.slug}/{published_name(self.source)}"


def published_name(source: SourceFile) -> str:
    name = source.name.replace("/", "-").replace("\\", "-")
    return name if PurePosixPath(name).suffix.lower() in _SAFE_SUFFIXES else f"{name}.txt"


def sort_key(entry: Entry) -> tuple:
    """Year (newest first, unknown last), region, agency, path."""
    report = entry.report
    year = report.year if report and report.year else None
    agency = report.agency if report and report.agency else ""
    return (year is None, -(year or 0), entry.source.region, agency, source_key(entry.source))


def reports_to_entries(reports: list[Report], failures: list[Failure]) -> list[Entry]:
    """Reports and failures in page order, each with its unique slug."""
    entries = sorted([*(Entry("", r, None) for r in reports), *(Entry("", None, f) for f in failures)],
                     key=sort_key)
    bases = [(e.source, base_slug(e.source, e.report and e.report.agency, e.report and e.report.year))
             for e in entries]
    slugs = assign_slugs(bases)
    return [replace(e, slug=slugs[source_key(e.source)]) for e in entries]


def original_files(reports: list[Report], failures: list[Failure],
                   base_dir: Path | None = None) -> dict[str, Path]:
    """{files/<slug>/<name>: the original on disk}; relative source paths are taken from ``base_dir``."""
    base = base_dir or Path.cwd()
    return {e.original: base / e.source.path for e in reports_to_entries(reports, failures)}


def render_site(reports: list[Report], failures: list[Failure]) -> dict[str, str]:
    entries = reports_to_entries(reports, failures)
    env = make_environment()
    pages = {
        "index.md": env.get_template("index.md.j2").render(**summarize_site(entries)),
        "reports/index.md": env.get_template("reports_index.md.j2").render(groups=group_by_year(entries),
                                                                       failures=failures_of(entries)),
        "data/all.json": dumps({
            "reports": [report_to_open_data(e.report) for e in entries if e.report],
            "failures": [failure_to_open_data(e.failure) for e in failures_of(entries)],
        }),
    }
    report_page, failure_page = env.get_template("report.md.j2"), env.get_template("failure.md.j2")
    for entry in entries:
        if entry.report:
            pages[f"reports/{entry.slug}.md"] = report_page.render(**report_to_context(entry))
            pages[f"data/{entry.slug}.json"] = dumps(report_to_open_data(entry.report))
        else:
            pages[f"reports/{entry.slug}.md"] = failure_page.render(
                entry=entry, source=entry.source, reason=entry.failure.reason, original=link(entry.original))
    return {path: text.rstrip("\n") + "\n" for path, text in sorted(pages.items())}


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("builder.render", "templates"),
        autoescape=False,  # the output is Markdown: report text is escaped with the escape filter
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(escape=escape, e=escape, cell=escape_cell, code=code, comment=comment, link=link,
                       region=region_text)
    return env


def code(text: str) -> str:
    """Text in code font; falls back to escaped text when it would break out of the code span."""
    return f"`{text}`" if text and "`" not in text and "\n" not in text else escape(text)


def comment(text: str) -> str:
    """Text safe inside an HTML comment."""
    return text.replace("--", "‐‐").replace("<", "‹").replace(">", "›").replace("\n", " ")


def link(path: str) -> str:
    """A relative link target: percent-encoded so that spaces and brackets cannot end it."""
    return quote(path, safe="/.-_~")


def region_text(region: tuple[str, ...]) -> str:
    return escape(" / ".join(region)) if region else "—"


def failures_of(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.failure]


def summarize_site(entries: list[Entry]) -> dict:
    reports = [e.report for e in entries if e.report]
    return {
        "entries": [e for e in entries if e.report],
        "failures": failures_of(entries),
        "report_count": len(reports),
        "agency_count": len({r.agency for r in reports if r.agency}),
        "years": sorted({r.year for r in reports if r.year}, reverse=True),
    }


def group_by_year(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.report:
            year = entry.report.year
            groups.setdefault(f"{year} 年" if year else "年份未识别", []).append(entry)
    return list(groups.items())  # entries are sorted by year already


def report_to_context(entry: Entry) -> dict:
    report = entry.report
    template = TEMPLATES.get(report.template or "")
    tables: dict[str, TableView] = {}
    if template:
        for table in template.tables:
            tables[table.key] = table_to_view(table, report.tables.get(table.key) or {}, report.warnings)
    return {
        "entry": entry,
        "report": report,
        "source": report.source,
        "template": template,
        "original": link(entry.original),
        "data": link(f"data/{entry.slug}.json"),
        "sections": [(key, heading, report.sections.get(key, "").strip()) for key, heading in SECTIONS],
        "tables": tables,
        "tables_after": _TABLES_AFTER,
        "failed_checks": [c for c in report.checks if c.status == "fail"],
        "unverified_checks": [c for c in report.checks if c.status == "unverified"],
        "warnings": report.warnings,
        "describe_rule": describe_rule,
        "describe_where": lambda where: describe_where(report.template, where),
    }
