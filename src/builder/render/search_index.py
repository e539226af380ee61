"""The site's search: a Pagefind index written into site/pagefind/ at the end of `mkdocs build`.

A MkDocs plugin (``portal-search`` in mkdocs.yml, registered in pyproject.toml) so that
`mkdocs build --strict` stays the one command that builds the site. Pagefind splits its index into
small chunks, so one query downloads a few hundred KB however many reports there are, where
Material's search plugin made every visitor download one index of tens of MB at province scale.

Each page marks what is searched: its article (``data-pagefind-body``), without the number tables
(``data-search-exclude`` in the templates becomes ``data-pagefind-ignore``), plus the agency and region
names of its title as words on their own. Pagefind segments Chinese itself, but a name inside a longer
run of Han text can split differently from the same name typed alone as a query; the standalone copy
makes a full agency name always find its pages. The long list pages are left out: a query for an agency
should find its report and agency pages, not every list that names it.

Pagefind's indexer holds about 400 KB per page of Chinese text in memory (4.5 GB for the 13,500 pages of
10,000 reports), so a large site is indexed in parts of at most ``pages_per_index`` pages, each in a
run of its own: ``pagefind/`` holds the first (the site's own pages, regions), ``pagefind-1/``… the
others (report and agency pages, an agency's together), listed in ``pagefind/shards.json``; the search
page merges them (Pagefind's ``mergeIndex``), so a query still fetches one wasm and a few chunks of
each. A part whose pages did not change since an earlier build is copied from the cache instead of
indexed again: adding one report re-indexes one or two parts.
"""
from __future__ import annotations

import ctypes
import gc
import hashlib
import html
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
from importlib.metadata import version
from pathlib import Path

import jieba
from mkdocs.config import base, config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" lines in the mkdocs log

log = logging.getLogger("mkdocs.plugins.portal-search")

ARTICLE = '<article class="md-content__inner md-typeset">'
UNINDEXED = ("index.md", "reports/index.md", "agencies/index.md", "years/index.md", "quality.md")
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
TAG = re.compile(r"<[^>]+>")
INDEXED_ARTICLE = ARTICLE.replace("<article ", "<article data-pagefind-body ")  # what Pagefind indexes
BUNDLE = re.compile(r"pagefind(-\d+)?")  # the folders of site/ this plugin writes
SHARDS = "shards.json"  # in pagefind/: the other parts' folders, for the search page to merge
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")  # search.js has its own UI


def name_tokens(name: str) -> list[str]:
    """A name, its jieba words (search mode: also the shorter words inside longer ones) and its
    characters, each once: the browser splits a query with Intl.Segmenter, whose words for a place
    name (爱民 + 区) need not be Pagefind's (爱民区), so the index holds every likely piece."""
    pieces = [name, *jieba.cut(name), *jieba.cut_for_search(name), *name]
    return list(dict.fromkeys(p for p in pieces if p.strip()))


def indexed_pages(site: Path) -> dict[str, bytes]:
    """{path of every page the search indexes, relative to site/: the digest of its HTML}, sorted."""
    pages, body = {}, INDEXED_ARTICLE.encode()
    for path in sorted(site.rglob("*.html")):
        data = path.read_bytes()
        if body in data:
            pages[path.relative_to(site).as_posix()] = hashlib.sha256(data).digest()
    return pages


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


class SearchConfig(base.Config):
    words = config_options.Type(str, default="data/search-words.txt")  # in docs_dir, from `portal build`
    enabled = config_options.Type(bool, default=True)  # false: no index (faster `mkdocs serve`)
    pages_per_index = config_options.Type(int, default=3500)  # Pagefind needs ~400 KB a page: 1.3 GB
    cache_dir = config_options.Type(str, default=".cache/portal/search")  # beside mkdocs.yml; "" for none


class PagefindPlugin(BasePlugin[SearchConfig]):
    def on_pre_build(self, config) -> None:
        path = Path(config.docs_dir) / self.config.words
        words = path.read_text(encoding="utf-8").split() if path.is_file() else []
        self.names = sorted(set(words), key=len, reverse=True)  # longest first: whole names before parts

    def on_env(self, env, config, files):
        self.files = files  # their pages' text is released before the index is built
        return env

    def on_post_page(self, output: str, page, config) -> str:
        output = output.replace('data-search-exclude="1"', "data-pagefind-ignore")
        src = page.file.src_uri
        if src in UNINDEXED or src.startswith(("years/", "quality/")) or ARTICLE not in output:
            return output
        words = [w for name in self.title_words(output) for w in name_tokens(name)]
        hidden = f'<p hidden>{html.escape(" ".join(words))}</p>' if words else ""
        start = output.index(ARTICLE)
        end = output.find("</article>", start)
        if end < 0:
            return output
        return output[:start] + INDEXED_ARTICLE + output[start + len(ARTICLE):end] + hidden + output[end:]

    def title_words(self, output: str) -> list[str]:
        """The agency and region names in the page's h1, each once."""
        match = H1.search(output)
        title = html.unescape(TAG.sub("", match.group(1))) if match else ""
        found: list[str] = []
        for name in self.names:
            if name in title and not any(name in longer for longer in found):
                found.append(name)
        return found

    def on_post_build(self, config) -> None:
        if not self.config.enabled:
            return
        site = Path(config.site_dir)
        for old in site.iterdir():  # no part left from an earlier build
            if old.is_dir() and BUNDLE.fullmatch(old.name):
                shutil.rmtree(old)
        start = time.perf_counter()
        self.release_pages()
        pages = indexed_pages(site)
        shards = pages_to_shards(list(pages), self.config.pages_per_index)
        cache = Path(config.config_file_path).parent / self.config.cache_dir if self.config.cache_dir else None
        keys = [part_key(shard, pages) for shard in shards]
        cached = sum(write_part(site, shard, site / bundle_name(i), key, cache)
                     for i, (shard, key) in enumerate(zip(shards, keys)))
        (site / bundle_name(0) / SHARDS).write_text(
            json.dumps([f"{bundle_name(i)}/" for i in range(1, len(shards))]), encoding="utf-8")
        if cache:  # keep the parts of this build only
            for entry in cache.iterdir():
                if entry.name not in keys:
                    shutil.rmtree(entry, ignore_errors=True)
        log.info("Pagefind indexed %d pages in %.1f s (index parts: %d, unchanged ones from the cache: %d)",
                 len(pages), time.perf_counter() - start, len(shards), cached)

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


def bundle_name(part: int) -> str:
    """The folder of site/ that holds a part of the index: pagefind/ the first (Pagefind's own name)."""
    return "pagefind" if part == 0 else f"pagefind-{part}"


def part_key(shard: list[str], digests: dict[str, bytes]) -> str:
    """What a part's index is made from: Pagefind's version, and its pages' paths and HTML."""
    material = version("pagefind").encode() + b"".join(p.encode() + b"\0" + digests[p] for p in shard)
    return hashlib.sha256(material).hexdigest()


def write_part(site: Path, shard: list[str], bundle: Path, key: str, cache: Path | None) -> bool:
    """The index of ``shard`` in ``bundle``: copied from the cache (True) or indexed, then cached."""
    if cache and (cache / key).is_dir():
        shutil.copytree(cache / key, bundle)
        return True
    index(site, shard, bundle)
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    if cache:
        shutil.copytree(bundle, cache / f"{key}.tmp", dirs_exist_ok=True)
        os.replace(cache / f"{key}.tmp", cache / key)
    return False


def index(site: Path, pages: list[str], bundle: Path) -> None:
    """One Pagefind run over ``pages`` (paths under ``site``), writing its index into ``bundle``.
    Pagefind indexes a folder: it gets one with links to just these pages, at their paths."""
    with tempfile.TemporaryDirectory(dir=site.parent, prefix=".pagefind-") as tmp:
        for page in pages:
            link = Path(tmp, page)
            link.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site / page, link)
            except OSError:  # a file system without hard links
                shutil.copyfile(site / page, link)
        result = subprocess.run([sys.executable, "-m", "pagefind", "--site", tmp, "--output-path", str(bundle)],
                                capture_output=True, text=True)
    if result.returncode != 0:
        raise PluginError(f"pagefind failed on {site} (is `pagefind[extended]` installed?):\n"
                          f"{result.stdout}\n{result.stderr}")
