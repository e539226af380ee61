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
"""
from __future__ import annotations

import html
import logging
import re
import shutil
import subprocess
import sys
import time
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


def name_tokens(name: str) -> list[str]:
    """A name, its jieba words (search mode: also the shorter words inside longer ones) and its
    characters, each once: the browser splits a query with Intl.Segmenter, whose words for a place
    name (爱民 + 区) need not be Pagefind's (爱民区), so the index holds every likely piece."""
    pieces = [name, *jieba.cut(name), *jieba.cut_for_search(name), *name]
    return list(dict.fromkeys(p for p in pieces if p.strip()))


class SearchConfig(base.Config):
    words = config_options.Type(str, default="data/search-words.txt")  # in docs_dir, from `portal build`
    enabled = config_options.Type(bool, default=True)  # false: no index (faster `mkdocs serve`)


class PagefindPlugin(BasePlugin[SearchConfig]):
    def on_pre_build(self, config) -> None:
        path = Path(config.docs_dir) / self.config.words
        words = path.read_text(encoding="utf-8").split() if path.is_file() else []
        self.names = sorted(set(words), key=len, reverse=True)  # longest first: whole names before parts

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
        return (output[:start] + ARTICLE.replace("<article ", "<article data-pagefind-body ")
                + output[start + len(ARTICLE):end] + hidden + output[end:])

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
        shutil.rmtree(site / "pagefind", ignore_errors=True)  # no fragments left from an earlier build
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise PluginError(f"pagefind failed on {site} (is `pagefind[extended]` installed?):\n{result.stdout}\n{result.stderr}")
        pages = re.search(r"Indexed (\d+) pages", result.stdout)
        log.info("Pagefind indexed %s pages in %.1f s", pages.group(1) if pages else "?",
                 time.perf_counter() - start)
