"""The ``portal`` command: thin; each command parses options and calls one function."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from builder import __version__
from builder.config import BuildConfig
from builder.models import Failure
from builder.pipeline import build, parse
from builder.render.open_data import dumps, report_to_open_data


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
def build_command(reports_dir: Path, content_dir: Path) -> None:
    """Parse every report under --reports and write the site's pages and open data into --content.

    Then `mkdocs build --strict` makes the site in site/.
    """
    result = build(BuildConfig(reports_dir, content_dir))
    click.echo(f"{len(result.reports)} reports parsed, {len(result.failures)} could not be parsed; "
               f"pages written to {content_dir}/")
    for failure in result.failures:
        click.echo(f"  could not parse: {failure.reason}", err=True)
