"""The site's search: a Pagefind index of a built site/, written into site/pagefind/.

``index_site`` runs over the HTML files of a built site, so that site/ can come from `mkdocs build`
or from `zensical build`: `portal index site/` calls it, and so does the ``portal-search`` MkDocs
plugin (mkdocs.yml, registered in pyproject.toml) at the end of `mkdocs build`, which then stays the
one command that builds the site. What each page gives the index is search_pages.py's part; this
module runs Pagefind. Pagefind splits its index into small chunks, so one query downloads a few hundred
KB however many reports there are, where Material's search plugin made every visitor download one
index of tens of MB at province scale.

Pagefind's indexer holds about 400 KB per page of Chinese text in memory (4.5 GB for the 13,500 pages of
10,000 reports), so a large site is indexed in parts of at most ``pages_per_index`` pages, each in a
run of its own: ``pagefind/`` holds the first (the site's own pages, regions), ``pagefind-1/``… the
others (report and agency pages, an agency's together), listed in ``pagefind/shards.json``; the search
page merges them (Pagefind's ``mergeIndex``), so a query still fetches one wasm and a few chunks of
each. A part whose pages did not change since an earlier build is not indexed again: adding one report
re-indexes one or two parts. It is kept in site/ when the cache recorded that this site's last index left
it there (an incremental build leaves site/ as it was), or else copied from the cache's copy (a clean
build empties site/). So CI need not keep the copies in actions/cache: site/ holds the same parts.

Which pages changed is told by their HTML's digests. Reading all of a site's pages for them took 14 s at
10,000 reports, so the cache also keeps each page's digest with its size and modification time
(builder/files.py, as `portal site` notes its sources), and reads again only the pages whose size or
time differ, or that were written in the last seconds before the cache noted them (so that a page
rewritten within the same clock tick is never taken for the one noted).
"""
from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import logging
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from mkdocs.config import base, config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from builder.errors import PortalError
from builder.files import folder_key, noted, read_record, under, write_record
from builder.render.search_pages import page_for_index

log = logging.getLogger("mkdocs.plugins.portal-search")

BUNDLE = re.compile(r"pagefind(-\d+)?")  # the folders of site/ the index is written into
SHARDS = "shards.json"  # in pagefind/: the other parts' folders, for the search page to merge
PAGES_PER_INDEX = 3500  # Pagefind needs ~400 KB a page: 1.3 GB
CACHE_DIR = ".cache/portal/search"
DIGESTS = "pages.json"  # in the cache: {page: [size, mtime_ns, digest or ""]} of the pages last indexed
PARTS = "parts"  # in the cache: a copy of each part of the last index, by key (for a site built clean)
SETTLED_NS = 2_000_000_000  # a page noted with its time only once it is this much older than the noting
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")  # search.js has its own UI


@dataclass(frozen=True)
class IndexResult:
    pages: int  # pages indexed
    parts: int  # index folders: pagefind/, pagefind-1/…
    cached: int  # parts copied from the cache
    kept: int  # parts site/ already held, as the last index wrote them
    seconds: float

    def __str__(self) -> str:
        return (f"Pagefind indexed {self.pages} pages in {self.seconds:.1f} s (index parts: {self.parts}, "
                f"unchanged ones from the cache: {self.cached}, kept in site/: {self.kept})")


def index_site(site: Path, pages_per_index: int = PAGES_PER_INDEX, cache: Path | None = Path(CACHE_DIR)) -> IndexResult:
    """Index the built ``site`` into its pagefind*/ folders, reusing the parts whose pages did not change:
    those site/ already holds (as the cache recorded its last index) or else a copy in the cache, which
    keeps this index's parts only."""
    if not (site / "index.html").is_file():
        raise PortalError(f"{site}/index.html is missing: build the site first (`mkdocs build --strict` or "
                          f"`zensical build`), then index it")
    start = time.perf_counter()
    pages = indexed_pages(site, cache / DIGESTS if cache else None)
    shards = pages_to_shards(list(pages), pages_per_index)
    keys = {bundle_name(i): part_key(shard, pages) for i, shard in enumerate(shards)}
    record = cache / f"site-{folder_key(site)}.json" if cache else None
    held = read_record(record) if record else {}  # {part folder in site/: its key} as the last index left it
    if record:
        record.unlink(missing_ok=True)  # an index stopped half-way leaves none: its parts are not trusted
    kept = {bundle for bundle, key in keys.items() if held.get(bundle) == key and (site / bundle).is_dir()}
    for old in site.iterdir():  # no part left from an earlier build, nor one whose pages changed
        if old.is_dir() and BUNDLE.fullmatch(old.name) and old.name not in kept:
            shutil.rmtree(old)
    cached = sum(write_part(site, shard, site / bundle, key, cache)
                 for (bundle, key), shard in zip(keys.items(), shards) if bundle not in kept)
    (site / bundle_name(0) / SHARDS).write_text(
        json.dumps([f"{bundle_name(i)}/" for i in range(1, len(shards))]), encoding="utf-8")
    if cache:  # keep the parts of this index only
        for entry in [*cache.iterdir(), *((cache / PARTS).iterdir() if (cache / PARTS).is_dir() else ())]:
            if entry.is_dir() and entry.name not in (PARTS, *keys.values()):
                shutil.rmtree(entry, ignore_errors=True)
        write_record(record, keys)
    return IndexResult(len(pages), len(shards), cached, len(kept), time.perf_counter() - start)


def indexed_pages(site: Path, notes_file: Path | None = None) -> dict[str, bytes]:
    """{path of every page the search indexes, relative to site/: the digest of its HTML as indexed}, sorted.
    With ``notes_file`` (a file of the cache), a page whose size and modification time are the ones noted there
    is not read again, and the file is rewritten with this site's pages."""
    known = read_record(notes_file) if notes_file else {}
    now = time.time_ns()
    pages, notes = {}, {}
    for page in sorted((p for p in under(site) if p.endswith(".html")), key=lambda p: p.split("/")):  # as Paths sort
        note = noted(site / page, known.get(page), lambda path: _indexed_digest(page, path))
        if note[2]:
            pages[page] = bytes.fromhex(note[2])
        if now - note[1] > SETTLED_NS:
            notes[page] = note
    if notes_file:
        write_record(notes_file, notes)
    return pages


def _indexed_digest(page: str, path: Path) -> str:
    """The digest of ``page``'s HTML as indexed; "" when the search does not index it."""
    prepared = page_for_index(page, path.read_text(encoding="utf-8"))
    return hashlib.sha256(prepared.encode()).hexdigest() if prepared is not None else ""


def group_of(page: str) -> str | None:
    """Pages that change together (an agency's reports and its page) share a group; None: the site's own
    pages and the regions', indexed in the first part."""
    section, _, rest = page.partition("/")
    slug = rest.removesuffix("/index.html")
    if section == "reports":
        return re.sub(r"^\d{4}-", "", slug)
    return slug if section == "agencies" else None


def pages_to_shards(pages: list[str], pages_per_index: int) -> list[list[str]]:
    """The pages in parts of about ``pages_per_index`` pages; the same page always in the same part
    while the number of parts stays the same. One part when the site is small."""
    if len(pages) <= pages_per_index:
        return [pages]
    grouped = [(page, group_of(page)) for page in pages]
    parts = math.ceil(sum(group is not None for _, group in grouped) / pages_per_index)
    shards: list[list[str]] = [[] for _ in range(parts + 1)]
    for page, group in grouped:
        bucket = 0 if group is None else 1 + int(hashlib.sha256(group.encode()).hexdigest()[:8], 16) % parts
        shards[bucket].append(page)
    return [shard for shard in shards if shard]


def bundle_name(part: int) -> str:
    """The folder of site/ that holds a part of the index: pagefind/ the first (Pagefind's own name)."""
    return "pagefind" if part == 0 else f"pagefind-{part}"


def part_key(shard: list[str], digests: dict[str, bytes]) -> str:
    """What a part's index is made from: Pagefind's version, and its pages' paths and HTML as indexed."""
    material = version("pagefind").encode() + b"".join(p.encode() + b"\0" + digests[p] for p in shard)
    return hashlib.sha256(material).hexdigest()


def write_part(site: Path, shard: list[str], bundle: Path, key: str, cache: Path | None) -> bool:
    """The index of ``shard`` in ``bundle``: copied from the cache (True) or indexed, then cached."""
    copy = cache / PARTS / key if cache else None
    if copy and copy.is_dir():
        shutil.copytree(copy, bundle)
        return True
    index(site, shard, bundle)
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    if copy:
        shutil.copytree(bundle, copy.with_suffix(".tmp"), dirs_exist_ok=True)
        os.replace(copy.with_suffix(".tmp"), copy)
    return False


def index(site: Path, pages: list[str], bundle: Path) -> None:
    """One Pagefind run over ``pages`` (paths under ``site``), writing its index into ``bundle``.
    Pagefind indexes a folder: it gets one with just these pages as indexed, at their paths."""
    with tempfile.TemporaryDirectory(dir=site.parent, prefix=".pagefind-") as tmp:
        for page in pages:
            copy = Path(tmp, page)
            copy.parent.mkdir(parents=True, exist_ok=True)
            prepared = page_for_index(page, (site / page).read_text(encoding="utf-8"))
            copy.write_text(prepared or "", encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "pagefind", "--site", tmp, "--output-path", str(bundle)],
                                capture_output=True, text=True)
    if result.returncode != 0:
        raise PortalError(f"pagefind failed on {site} (is `pagefind[extended]` installed?):\n"
                          f"{result.stdout}\n{result.stderr}")


# ------------------------------------------------------------------ the MkDocs plugin

class SearchConfig(base.Config):
    enabled = config_options.Type(bool, default=True)  # false: no index (faster `mkdocs serve`)
    pages_per_index = config_options.Type(int, default=PAGES_PER_INDEX)
    cache_dir = config_options.Type(str, default=CACHE_DIR)  # beside mkdocs.yml; "" for none


class PagefindPlugin(BasePlugin[SearchConfig]):
    """``portal-search``: `portal index` at the end of `mkdocs build`."""

    def on_env(self, env, config, files):
        self.files = files  # their pages' text is released before the index is built
        return env

    def on_post_build(self, config) -> None:
        if not self.config.enabled:
            return
        self.release_pages()
        root = Path(config.config_file_path).parent
        try:
            result = index_site(Path(config.site_dir), self.config.pages_per_index,
                                root / self.config.cache_dir if self.config.cache_dir else None)
        except PortalError as exc:
            raise PluginError(exc.message) from exc
        log.info("%s", result)

    def release_pages(self) -> None:
        """MkDocs keeps every page's Markdown and HTML until it exits (0.5 GB for 13,000 pages); the pages
        are written by now, so that memory goes back to the system before Pagefind needs its own."""
        for file in self.files.documentation_pages():
            if file.page:
                file.page.markdown = file.page.content = None
        gc.collect()
        try:
            ctypes.CDLL(None).malloc_trim(0)  # glibc keeps freed memory in its heap unless asked
        except (OSError, AttributeError):  # not glibc: the memory is freed all the same
            pass
