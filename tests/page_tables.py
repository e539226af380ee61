"""The rows of the long lists' HTML tables in a generated page (html_table in _macros.md.j2), as text."""
from __future__ import annotations

import html
import re

_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.S)


def cell_text(cell: str) -> str:
    """A cell as a reader sees it: no tags, entities read, &nbsp; as a space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).replace("\xa0", " ").split())


def html_rows(page: str) -> list[list[str]]:
    """Each body row of the page's HTML tables, as cell texts."""
    return [[cell_text(c) for c in _CELL.findall(row)]
            for body in re.findall(r"<tbody>(.*?)</tbody>", page, re.S) for row in _ROW.findall(body)]

