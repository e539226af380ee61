"""The ``portal`` command: thin; each command parses options and calls one function."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from builder import __version__
from builder.config import BuildConfig
from builder.errors import os_errors_as_one_line
from builder.executors import stop_on_sigterm
from builder.files import build_lock
from builder.ingest.cache import DEFAULT_DIR, ParseCache
from builder.models import Failure
from builder.national import write_national
from builder.pipeline import build, check_paths, parse
from builder.publish.site import build_site, show_mkdocs_log, verify_site
from builder.publish.smoke import smoke_check
from builder.render.open_data import dumps, report_to_open_data
from builder.render.search_index import CACHE_DIR, PAGES_PER_INDEX, index_site
from builder.render.summary import summarize


def _tick(done: int, total: int) -> None:
    """A progress line on a terminal; nothing in CI logs."""
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        click.echo(f"\r解析年报 {done}/{total}", err=True, nl=False)
        click.echo(end, err=True, nl=False)


@click.group(help="政府信息公开工作年度报告: extract, check and publish annual reports as open data and a site.")
@click.version_option(__version__, prog_name="portal")
def main() -> None:
    pass


@main.command("extract")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def extract_command(file: Path) -> None:
    """Print the open data of one report FILE as JSON (UTF-8) on stdout.

    Exits 1 with one line naming the file and the reason when the file cannot be read.
    """
    result = parse(file)
    if isinstance(result, Failure):
        raise click.ClickException(result.reason)
    sys.stdout.write(dumps(report_to_open_data(result)))


@main.command("build")
@click.option("--reports", "reports_dir", default="reports", show_default=True,
              type=click.Path(path_type=Path), help="Folder of report files (<省>/<市>/<区县>/<file>).")
@click.option("--content", "content_dir", default="content", show_default=True,
              type=click.Path(path_type=Path), help="MkDocs docs folder to write the generated pages into.")
@click.option("--cache", "cache_dir", default=str(DEFAULT_DIR), show_default=True,
              type=click.Path(path_type=Path), help="Folder of cached parses (by content hash and parser version).")
@click.option("--rebuild", is_flag=True, help="Ignore the cache and parse every report again.")
@click.option("--files-url", envvar="PORTAL_FILES_URL", default=None, metavar="URL",
              help="Link each original to URL + its path under --reports instead of copying it into the site "
                   "(for portals whose originals outgrow GitHub Pages' 1 GB; publish the copy of --reports "
                   "there yourself). Also read from $PORTAL_FILES_URL.")
@click.option("--executor", default=None, metavar="dask://HOST:PORT",
              help="Extract the new or changed reports on the workers of the Dask cluster whose scheduler is "
                   "there (each file is sent with its task) instead of this machine's cores "
                   "(pip install -e '.[cluster]').")
def build_command(reports_dir: Path, content_dir: Path, cache_dir: Path, rebuild: bool, files_url: str | None,
                  executor: str | None) -> None:
    """Parse every report under --reports and write the site's pages and open data into --content.

    Only new or changed reports are parsed (on every core, or a cluster's workers); the others come
    from the cache. A report that kills the process reading it (the OOM killer) is tried once more alone,
    then listed as not parsed. SIGTERM or Ctrl-C stops the workers too; a build stopped at any point, even
    by SIGKILL, is finished by the next one; a second build over the same --cache stops at once. Then `mkdocs build --strict` makes the site in site/. An
    invalid sidecar (.meta.yml) or correction (.corrections.yml) stops the build before anything is
    written: it exits 1, naming each file, line and fix. So do a symbolic link or special file under
    --reports, a folder that is not a region (see reports/regions.yml), the same file twice, two files
    of one agency and year, a sidecar's year the report's title contradicts and a report in another
    region's folder. A report file that cannot be parsed does not: it is published as such.
    """
    config = BuildConfig(reports_dir, content_dir, cache_dir, rebuild, files_url or None, executor)
    with stop_on_sigterm():
        result = build(config, tick=_tick)
    click.echo(f"{len(result.reports) + len(result.failures)} files: {result.parsed} parsed, "
               f"{result.cached} from the cache; {len(result.failures)} could not be parsed; "
               f"pages written to {content_dir}/")
    for failure in result.failures:
        click.echo(f"  could not parse: {failure.reason}", err=True)


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Also fail when a report breaks a consistency rule (勾稽关系).")
@click.option("--allow-unparsed", is_flag=True,
              help="A file that cannot be parsed does not fail the check (it is published as such); invalid "
                   "sidecars and corrections still do. What the Publish workflow runs.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="markdown: a summary for a CI job (GitHub's step summary).")
@click.option("--cache", "cache_dir", default=str(DEFAULT_DIR), show_default=True,
              type=click.Path(path_type=Path),
              help="The build's parse cache, read (never written) to know the agency and year of the other "
                   "reports under reports/.")
def check_command(paths: tuple[Path, ...], strict: bool, allow_unparsed: bool, fmt: str, cache_dir: Path) -> None:
    """Validate reports without building: PATHS are files or folders (default: reports/).

    Prints each report's agency, region, year, template, key figures, failed checks, corrections and
    warnings, marked ✅ (passes), ⚠ (its own figures contradict each other: a consistency rule fails)
    or ❌. Looks beyond PATHS: a file the same byte for byte as any other under reports/, or of the same
    agency, region and year (from the cache, else the other's sidecar and file name), fails the check,
    as do a symbolic link, a folder that is not a region (see reports/regions.yml) and two reports
    that would share an address. Exits 1 on any of these, when a file cannot be parsed (unless
    --allow-unparsed), a sidecar or correction is invalid or metadata conflicts (a sidecar's year the
    title contradicts, a report in another region's folder), and with --strict also when a consistency
    rule fails; else 0. `portal build` stops on the same problems.
    """
    checked = check_paths(list(paths) or [Path("reports")], ParseCache(cache_dir))
    text, ok = summarize(checked.results, strict=strict, markdown=fmt == "markdown", allow_unparsed=allow_unparsed,
                         problems=checked.problems)
    click.echo(text)
    if not ok:
        sys.exit(1)


@main.command("smoke")
@click.argument("site_dir", default="site", type=click.Path(path_type=Path))
@click.option("--reports", "reports_dir", default="reports", show_default=True, type=click.Path(path_type=Path),
              help="Folder of report files the site was built from.")
@click.option("--files-url", envvar="PORTAL_FILES_URL", default=None, metavar="URL",
              help="The --files-url the site was built with: links to originals there are allowed.")
def smoke_command(site_dir: Path, reports_dir: Path, files_url: str | None) -> None:
    """Smoke-check a built SITE_DIR before deploying: home page, one page per report, nothing requested
    from another host, no script or event handler but the site's own (pages read as a browser reads them)."""
    with stop_on_sigterm():  # and its workers with it
        problems = smoke_check(site_dir, reports_dir, files_url or None)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{site_dir}/: home page, one page per report, no request to another host, no script but the site's own")


@main.command("index")
@click.argument("site_dir", default="site", type=click.Path(path_type=Path))
@click.option("--pages-per-index", default=PAGES_PER_INDEX, show_default=True, type=click.IntRange(1),
              help="Index a larger site in parts of at most this many pages (Pagefind needs ~400 KB a page).")
@click.option("--cache", "cache_dir", default=CACHE_DIR, show_default=True, type=click.Path(path_type=Path),
              help="Folder of earlier parts of the index, copied when their pages did not change.")
@click.option("--no-cache", is_flag=True, help="Index every part again and keep none.")
def index_command(site_dir: Path, pages_per_index: int, cache_dir: Path, no_cache: bool) -> None:
    """Write the search index of a built SITE_DIR into SITE_DIR/pagefind/ (and pagefind-1/… in parts).

    SITE_DIR may come from `mkdocs build` (whose portal-search plugin does the same) or from
    `zensical build`; its pages are read, never changed.
    """
    with stop_on_sigterm():
        click.echo(index_site(site_dir, pages_per_index, None if no_cache else cache_dir))


@main.command("site")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path), help="The MkDocs configuration.")
@click.option("--cache", "cache_dir", default=str(DEFAULT_DIR), show_default=True, type=click.Path(path_type=Path),
              help="Where the record of the last complete build is kept (beside the parse cache).")
@click.option("--clean", is_flag=True, help="Render every page again, as `mkdocs build --strict` does.")
@click.option("--verify", is_flag=True,
              help="Then build the site again, clean, in a temporary folder and exit 1 unless it is byte-identical.")
def site_command(config_file: Path, cache_dir: Path, clean: bool, verify: bool) -> None:
    """Build the site (`mkdocs build --strict`) into site/, rendering only the pages and files whose
    source in content/ changed since the last complete build into the same site/.

    The build is clean when there is no such build, mkdocs.yml, the theme, a package or the code
    changed, a source file was removed, or the last build was stopped. The search index is written
    as ever (portal-search), reusing its unchanged parts.
    """
    show_mkdocs_log()
    with stop_on_sigterm(), os_errors_as_one_line(), build_lock(cache_dir):
        result = build_site(config_file, cache_dir, clean)
        click.echo(result)
        if verify:
            differences = verify_site(config_file, cache_dir)
            for difference in differences[:50]:
                click.echo(f"  {difference}", err=True)
            if differences:
                raise click.ClickException(f"{result.site}/ differs from a clean build in {len(differences)} files")
            click.echo(f"{result.site}/ is byte-identical to a clean build")


@main.command("national")
@click.argument("root", type=click.Path(exists=True, file_okay=False, path_type=Path))
def national_command(root: Path) -> None:
    """Write the national home and search page into ROOT, over the province sites in ROOT/<省>/.

    Each province is a site of its own (`portal build` + `portal site` over its reports/<省>/); the
    search page merges all of their Pagefind indexes.
    """
    provinces = write_national(root)
    click.echo(f"{root}/: national home and search over {len(provinces)} province sites, "
               f"{sum(p.reports for p in provinces):,} report pages")
