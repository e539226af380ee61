"""The build, stage by stage: ingest → extract → validate → render → publish."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from builder.config import BuildConfig
from builder.errors import PortalError
from builder.extract import extract, format_of
from builder.ingest.sources import discover, sha256_of, source_for
from builder.models import Failure, Report, SourceFile
from builder.publish.tree import write_tree
from builder.render.site import original_files, render_site
from builder.validate import check


@dataclass(frozen=True)
class BuildResult:
    reports: list[Report]
    failures: list[Failure]


def parse(path: Path) -> Report | Failure:
    """One file → a checked Report, or a Failure that says why. Never raises for bad input."""
    try:
        source = source_for(path, format_of(path.suffix))
    except PortalError as exc:
        return Failure(SourceFile(path, sha256_of(path), format_of(path.suffix) or ""), exc.message)
    if not source.format:
        return Failure(source, f"{path}: unknown file type '{path.suffix or '(none)'}' — commit the report as "
                               f".pdf, .docx, .html, .txt or .md")
    try:
        return check(extract(source))
    except PortalError as exc:
        return Failure(source, exc.message)
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the build
        return Failure(source, f"{path}: could not be parsed ({exc.__class__.__name__}: {exc}) — "
                               f"please open an issue with this file attached")


def build(config: BuildConfig) -> BuildResult:
    # ingest: every file under reports/, in a stable order
    paths = discover(config.reports_dir)
    # extract + validate: one result per file; failures are kept, not raised
    results = [parse(p) for p in paths]
    reports = [r for r in results if isinstance(r, Report)]
    failures = [r for r in results if isinstance(r, Failure)]
    # render: Markdown pages and open data from the models
    pages = render_site(reports, failures)
    # publish: write content/ deterministically, removing what is stale
    write_tree(config.content_dir, pages, original_files(reports, failures))
    return BuildResult(reports, failures)
