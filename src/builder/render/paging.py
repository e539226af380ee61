"""Long lists in pages of a size a phone can load: 全部年报's years and 按机关 at province scale.

The first page keeps the list's own address (years/2021/); the others follow it (years/2021-2/…).
Each page has a pager naming the first and last entry of every page, so that a reader goes straight to
the page that holds a region or an agency; a filter box on the page narrows the rows shown (page.js).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence, TypeVar

from builder.render.entries import page_file

T = TypeVar("T")


@dataclass(frozen=True)
class Pager:
    links: tuple[tuple[str, str], ...]  # (page path, label): every page of the list
    current: int  # index into links

    @property
    def paged(self) -> bool:
        return len(self.links) > 1


def page_path(address: str, number: int) -> str:
    """years/2021/index.md, years/2021-2/index.md, …: the n-th page (from 1) of the list at ``address``."""
    return page_file(address if number == 1 else f"{address}-{number}")


def paginate(address: str, items: Sequence[T], size: int,
             label: Callable[[T], str]) -> list[tuple[str, list[T], Pager]]:
    """(path, items, pager) of each page of ``items``, ``size`` at a time; one page when they fit. The
    list's address is a site path without its slash (``years/2021``, ``agencies/index``)."""
    chunks = [list(items[i:i + size]) for i in range(0, len(items), size)] or [[]]
    links = tuple((page_path(address, n), f"第 {n} 页" + (f"（{label(c[0])} — {label(c[-1])}）" if c else ""))
                  for n, c in enumerate(chunks, start=1))
    return [(links[i][0], chunk, Pager(links, i)) for i, chunk in enumerate(chunks)]
