"""What the search indexes: each built page of site/ as Pagefind is given it.

This works on the HTML files of a built site, whichever generator made them (MkDocs with Material, or
Zensical: the same theme markup), and never changes the pages that are served: the index is made from
prepared copies (search_index.py runs Pagefind on them).

A page is indexed by its article (``data-pagefind-body``), without the number tables (the templates mark
them ``data-pagefind-ignore``), plus the agency and region names of its title as words on their own.
Pagefind segments Chinese itself, but a name inside a longer run of Han text can split differently from
the same name typed alone as a query; the standalone copy makes a full agency name always find its
pages. The long list pages are left out: a query for an agency should find its report and agency pages,
not every list that names it.
"""
from __future__ import annotations

import html
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import jieba

jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" lines in a build's log

ARTICLE = '<article class="md-content__inner md-typeset">'
INDEXED_ARTICLE = ARTICLE.replace("<article ", "<article data-pagefind-body ")  # what Pagefind indexes
WORDS = "data/search-words.txt"  # in site/ (copied from content/, written by `portal build`)
# the long list pages (home, 全部年报, 按机关, 按年度, 数据质量), the 404 page, and originals under files/
UNINDEXED = ("index.html", "404.html", "reports/index.html", "agencies/index.html")
UNINDEXED_FOLDERS = ("years/", "quality/", "files/")
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
TAG = re.compile(r"<[^>]+>")


class Names:
    """The agency and region names of the site (``data/search-words.txt``), to find in page titles."""

    def __init__(self, words: Iterable[str]):
        self.names = frozenset(w for w in words if w.strip())
        self.longest = max(map(len, self.names), default=0)

    @classmethod
    def of_site(cls, site: Path, words: str = WORDS) -> Names:
        path = site / words
        return cls(path.read_text(encoding="utf-8").split() if path.is_file() else [])

    def in_title(self, title: str) -> list[str]:
        """The names in ``title``, longest first, leaving out a name inside one already found."""
        pieces = {title[i:j] for i in range(len(title)) for j in range(i + 1, min(len(title), i + self.longest) + 1)}
        found: list[str] = []
        for name in sorted(sorted(pieces & self.names), key=len, reverse=True):
            if not any(name in longer for longer in found):
                found.append(name)
        return found


@lru_cache(maxsize=65536)
def name_tokens(name: str) -> tuple[str, ...]:
    """A name, its jieba words (search mode: also the shorter words inside longer ones) and its
    characters, each once: the browser splits a query with Intl.Segmenter, whose words for a place
    name (爱民 + 区) need not be Pagefind's (爱民区), so the index holds every likely piece."""
    pieces = [name, *jieba.cut(name), *jieba.cut_for_search(name), *name]
    return tuple(dict.fromkeys(p for p in pieces if p.strip()))


def is_indexed(page: str) -> bool:
    """Whether the search indexes ``page`` (its path in site/, e.g. ``reports/2023-某机关/index.html``)."""
    return page.endswith(".html") and page not in UNINDEXED and not page.startswith(UNINDEXED_FOLDERS)


def page_for_index(page: str, text: str, names: Names) -> str | None:
    """The HTML of ``page`` as Pagefind is to index it, or None when it is not indexed."""
    if not is_indexed(page):
        return None
    start = text.find(ARTICLE)
    end = text.find("</article>", start)
    if start < 0 or end < 0:
        return None
    match = H1.search(text, start, end)
    title = html.unescape(TAG.sub("", match.group(1))) if match else ""
    words = [w for name in names.in_title(title) for w in name_tokens(name)]
    hidden = f'<p hidden>{html.escape(" ".join(words))}</p>' if words else ""
    return text[:start] + INDEXED_ARTICLE + text[start + len(ARTICLE):end] + hidden + text[end:]
