"""The rows of the long lists' HTML tables in a generated page (html_table in _macros.md.j2), as text."""
from __future__ import annotations

import html
import re

_ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
_CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.S)


def cell_text(cell: str) -> str:
    """A cell as a reader sees it: no tags, entities read, &nbsp; as a space."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", cell)).replace("\xa0", " ").split())


def html_rows(page: str, header: bool = False) -> list[list[str]]:
    """Each body row (with ``header``: and the header row) of the page's HTML tables, as cell texts."""
    rows = []
    for table in re.findall(r"<table>(.*?)</table>", page, re.S):
        head, _, body = table.partition("<tbody>")
        for part in ((head, body) if header else (body,)):
            rows += [[cell_text(c) for c in _CELL.findall(row)] for row in _ROW.findall(part)]
    return rows


def row_starting(page: str, first: str) -> list[str]:
    """The row of the page's HTML tables whose first cell reads ``first``."""
    return next(row for row in html_rows(page, header=True) if row and row[0] == first)
