"""What a program can discover of the open data: the reports list and data package, the databases'
Datasette metadata, the 对比 CSV's schema and the Atom feeds — small files, made on every build from
the reports' list and the years' file names (the years' CSVs and databases are made with the downloads)."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

from builder.render import database, datapackage, downloads, feeds
from builder.render.catalog import Agency, Region
from builder.render.entries import Entry


def discovery_files(entries: list[Entry], agencies: list[Agency], regions: Region,
                    years: list[downloads.YearFiles], times: Mapping[Path, int],
                    describe: Callable[[Entry], str]) -> dict[str, str]:
    files = {
        datapackage.REPORTS_LIST: datapackage.reports_list(entries),
        datapackage.PATH: datapackage.data_package(years),
        datapackage.COMPARE_SCHEMA: datapackage.compare_schema(),
        database.METADATA: database.metadata([year.database for year in years]),
    }
    files.update(datapackage.schema_files(years))
    files.update(feeds.feeds_of(entries, agencies, regions, times, describe))
    return files


def open_data_links() -> dict:
    """What the 数据下载 page links and explains besides the years' files."""
    return {"reports_list": datapackage.REPORTS_LIST, "datapackage": datapackage.PATH, "metadata": database.METADATA,
            "site_feed": feeds.SITE, "feed_entries": feeds.SITE_ENTRIES, "meanings": datapackage.MEANINGS}
