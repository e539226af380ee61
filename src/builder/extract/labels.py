"""Row and column labels as tables print them, matched to the template's: normalised, then compared
whole within a small edit budget, never a guess between two.

A label cell is normalised (``normalize``): widths and punctuation folded, white space removed
(a label split over lines, or over one ``<span>`` per character, reads as one), list marks such as
``（三）``, ``2.`` and ``一、`` removed, and the group words a cell may carry in front of its label
(``（三）不予公开 1.属于国家秘密``) dropped. It then matches the template label (or variant) it equals,
else the one it is within ``budget`` edits of (``其他法律行政止公开`` for 其他法律行政法规禁止公开),
provided no label of another row or column is as close or one edit closer; a label cut short (a
row broken over two pages) names the one label it begins, when it is long enough.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extract

from builder.extract.chinese import fold

_LIST_MARK = re.compile(r"[(\[]?[一二三四五六七八九十]{1,3}[)\]、.]|[(\[]\d{1,2}[)\]]|(?<![\d.])\d{1,2}[.、](?!\d)|[①②③④⑤⑥⑦⑧⑨⑩]")
_PUNCT = re.compile(r"[\s\"'“”‘’()\[\]（）【】《》<>、，,。.:：;；/\\|*#_—\-~·…]+")


@lru_cache(maxsize=8192)
def normalize(text: str) -> str:
    """The label's words only: no white space, list marks or punctuation, widths folded."""
    squeezed = re.sub(r"\s+", "", fold(text))
    return _PUNCT.sub("", _LIST_MARK.sub("", squeezed))


_PREFIX = 6  # a cut-short label names a row only when it is this long and begins one label only


def budget(label: str) -> int:
    """Edits allowed for a label of this length: none for the short ones, a quarter for long ones."""
    n = len(label)
    return 0 if n <= 3 else 1 if n <= 7 else n // 4


class LabelMatcher:
    """Find which of a set of keys a printed label names.

    ``entries`` are (key, label) pairs; a key may have several labels (variants). ``prefixes`` are
    group words that may stand in front of a label in the same cell and are dropped before matching.
    """

    def __init__(self, entries: Iterable[tuple[str, str]], prefixes: Iterable[str] = ()):
        self._keys: list[str] = []
        self._labels: list[str] = []
        self._exact: dict[str, set[str]] = {}
        for key, label in entries:
            norm = normalize(label)
            if not norm:
                continue
            self._keys.append(key)
            self._labels.append(norm)
            self._exact.setdefault(norm, set()).add(key)
        self._prefixes = sorted({normalize(p) for p in prefixes if normalize(p)}, key=len, reverse=True)
        self._memo: dict[str, str | None] = {}

    def match(self, text: str) -> str | None:
        norm = normalize(text)
        if norm not in self._memo:
            self._memo[norm] = self._match(norm)
        return self._memo[norm]

    def _match(self, norm: str) -> str | None:
        if not norm:
            return None
        for candidate in self._candidates(norm):
            found = self._closest(candidate)
            if found is not None:
                return found
        for candidate in self._candidates(norm):  # a label cut short (a row broken over two pages)
            if len(candidate) >= _PREFIX:
                keys = {k for k, label in zip(self._keys, self._labels) if label.startswith(candidate)}
                if len(keys) == 1:
                    return keys.pop()
        return None

    def _candidates(self, norm: str) -> list[str]:
        out = [norm]
        rest, stripped = norm, True
        while stripped:
            stripped = False
            for p in self._prefixes:
                if rest.startswith(p) and len(rest) > len(p):
                    rest, stripped = rest[len(p):], True
                    out.append(rest)
                    break
        return out

    def _closest(self, norm: str) -> str | None:
        exact = self._exact.get(norm)
        if exact:
            return next(iter(exact)) if len(exact) == 1 else None
        limit = max(budget(norm), max((budget(lb) for lb in self._labels), default=0))
        if limit == 0:
            return None
        scored = extract(norm, self._labels, scorer=Levenshtein.distance, limit=None, score_cutoff=limit + 1)
        best: dict[str, int] = {}
        for label, distance, i in scored:
            if distance <= budget(label) and distance <= budget(norm) + 1:
                key = self._keys[i]
                best[key] = min(best.get(key, distance), distance)
        near: dict[str, int] = {}
        for label, distance, i in scored:
            key = self._keys[i]
            near[key] = min(near.get(key, distance), distance)
        if not best:
            return None
        key, distance = min(best.items(), key=lambda kv: kv[1])
        rivals = [d for k, d in near.items() if k != key]
        if rivals and min(rivals) <= distance + 1:
            return None  # another label is as close, or nearly: never a guess between two
        return key


@lru_cache(maxsize=1)
def _table_words() -> tuple[tuple[str, ...], ...]:
    from builder.extract.templates import TEMPLATES

    tables = {}
    for template in TEMPLATES.values():
        for table in template.tables:
            words = {normalize(r.label) for r in table.rows if not table.flat}
            words |= {normalize(c.label) for r in table.rows for c in r.columns} if table.flat else set()
            tables.setdefault(table.key, set()).update(w for w in words if len(w) >= 2)
    return tuple(tuple(sorted(w)) for w in tables.values())


def looks_like_table(text: str) -> bool:
    """The text holds one of the standard tables: at least three of its row labels (table 四: of its
    column labels)."""
    norm = normalize(text)
    return any(sum(1 for w in words if w in norm) >= 3 for words in _table_words())
