"""Build settings: where the reports are, where the generated pages go, and the parse cache."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from builder.errors import PortalError
from builder.ingest.cache import DEFAULT_DIR


@dataclass(frozen=True)
class BuildConfig:
    reports_dir: Path = Path("reports")
    content_dir: Path = Path("content")
    cache_dir: Path = DEFAULT_DIR
    rebuild: bool = False  # ignore the cache: parse every report again
    # Link originals to files_url + their path under reports_dir instead of copying them into the site
    # (a portal whose originals outgrow GitHub Pages' 1 GB publishes them on a file host of its own).
    files_url: str | None = None
    executor: str | None = None  # dask://HOST:PORT: extract on that Dask cluster's workers, not this machine's cores

    def __post_init__(self) -> None:
        if not self.reports_dir.is_dir():
            raise PortalError(f"{self.reports_dir}: no such folder of reports — run from the repository root "
                              f"or pass --reports DIR")
        if self.content_dir.exists() and not self.content_dir.is_dir():
            raise PortalError(f"{self.content_dir}: exists but is not a folder — pass --content DIR")
        if self.files_url is not None and not re.fullmatch(r"https?://[^\s/]+/\S*/", self.files_url):
            raise PortalError(f"--files-url {self.files_url}: give the full address of the copy of "
                              f"{self.reports_dir}/, starting with https:// and ending with /")
        if self.executor is not None and not re.fullmatch(r"(?:dask|tcp)://[^\s/:]+:\d+/?", self.executor):
            raise PortalError(f"--executor {self.executor}: give dask://HOST:PORT, the address of a Dask scheduler")
