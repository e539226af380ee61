"""HTML reports as government portals publish them (lxml): the report, without the portal around it.

The page is decoded by its declared charset (gb2312/gbk read as GB18030, their superset), else as
UTF-8, else as detected. Scripts, styles, menus, breadcrumbs, footers and share buttons are dropped;
the report is the smallest element that holds every part of it that can be recognised: its numbered
section headings (a block of its own that starts with the number) and its tables (recognised by
their row labels). A preamble that names the sections is not a part; a table in a container of its
own is. A page that is only a fragment (a CMS's article body, no ``<html>``/``<body>``), a page whose
report sits in a ``<form>`` or a custom element (``<ucapcontent>``), or a crawler's copy that keeps
the page's markup as text inside ``<textarea>``/``<pre>`` are read the same way.

Tables come as grids (``models.Grid``) laid out by the HTML table model: a rowspan/colspan cell is
one cell with its spans, never repeated; ``&nbsp;`` and ``<o:p></o:p>`` make an empty cell;
``<p>``/``<span>``/``<font>``/``<br>`` inside a cell are joined. A table that holds other tables, or
a single cell, is a layout box: its content is read as text and tables.
"""
from __future__ import annotations

import bisect
import re
from pathlib import Path

import lxml.html
from lxml import etree

from builder.errors import UnreadableReport
from builder.extract.formats.text import decode, within_bounds
from builder.models import Block, Cell, Grid, Origin
from builder.extract.labels import looks_like_table
from builder.extract.sections import is_section_heading

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_DROP = ("script", "style", "noscript", "iframe", "button", "select", "input", "nav", "header", "footer",
         "object", "embed", "svg", "template", "textarea")
_MAX_SPAN = 200  # rowspan/colspan beyond this is a broken page, not a table
_MAX_SLOTS = 50_000  # slots a table's spans may cover in all (a standard table has a few hundred)
_CHROME = re.compile(r"nav|menu|breadcrumb|crumb|footer|header|share|sidebar|toolbar|position|location|"
                     r"weixin|weibo|qrcode|print|search", re.I)
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "blockquote", "pre", "center", "dd", "dt", "dl", "address", "main", "tbody", "thead", "tr"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_NUMERALS = "一二三四五六"
_ORDINAL = "data-portal-table"  # set on each <table>: its number in the page, in document order


def _text_of(data: bytes, path: Path) -> str:
    m = _META_CHARSET.search(data[:4096])
    if m:
        declared = m.group(1).decode("ascii", "replace").lower()
        codec = "gb18030" if declared in {"gb2312", "gbk", "gb18030", "x-gbk"} else declared
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, path)[0]


def _unwrap_quoted_markup(tree) -> None:
    """A crawler's or editor's copy that keeps the page's markup as text (``<textarea>``, ``<pre>``,
    ``<xmp>``): the markup is parsed in its place."""
    for el in list(tree.iter("textarea", "pre", "xmp")):
        quoted = el.text_content()
        if el.getparent() is None or not re.search(r"<\s*(?:table|p|div|td)\b", quoted, re.I):
            continue
        try:
            inner = lxml.html.fragment_fromstring(quoted, create_parent="div")
        except (etree.ParserError, ValueError):
            continue
        inner.tail = el.tail
        el.getparent().replace(el, inner)


def _is_chrome(el) -> bool:
    if el.tag in ("table", "tbody", "thead", "tr", "td", "th"):
        return False
    marks = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("role"))))
    return bool(marks and _CHROME.search(marks)) and len(el.text_content()) < 2000


def _report_root(body):
    """The smallest element holding every recognisable part of the report (headings, tables)."""
    parts = []
    for el in body.iter("table"):
        if looks_like_table(_cell(el)) and not any(isinstance(t.tag, str) for t in el.iterdescendants("table")):
            parts.append(el)
    for el in body.iter(*_BLOCK - {"tbody", "thead", "tr", "ul", "ol", "dl"}, "td", "th", "b", "strong"):
        first = next((t for t in el.itertext() if t.strip()), "").lstrip(" \t\r\n\u3000\xa0#*")
        if first[:1] not in _NUMERALS:  # cheap: a heading's text begins with its number
            continue
        text = el.text_content()
        if len(text) < 120 and is_section_heading(text):
            parts.append(el)
    if not parts:
        return body
    chains = [list(el.iterancestors())[::-1] + [el] for el in parts]
    root = body
    for level in zip(*chains):
        if any(node is not level[0] for node in level):
            break
        root = level[0]
    # the root is one of the parts (a lone table): read its container, where its section heading is
    return root.getparent() if root.tag == "table" and root.getparent() is not None else root


def _cell(el) -> str:
    """A cell's text; a line break or paragraph inside it is a space ("0<br>0" is two numbers)."""
    if next(el.iter("br", "p", "div", "li"), None) is None:
        return re.sub(r"\s+", " ", "".join(el.itertext()).replace("\xa0", " ")).strip()
    parts = []
    for node in el.iter():
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag in ("br", "p", "div", "li") and node is not el:
            parts.append(" ")
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        if node.tail and node is not el:
            parts.append(node.tail)
    return re.sub(r"\s+", " ", "".join(parts).replace("\xa0", " ")).strip()


def _own_rows(table) -> list:
    """The table's own rows (not those of tables nested in its cells)."""
    rows = []
    for child in table:
        tag = child.tag.lower() if isinstance(child.tag, str) else ""
        if tag == "tr":
            rows.append(child)
        elif tag in ("tbody", "thead", "tfoot"):
            rows.extend(tr for tr in child if isinstance(tr.tag, str) and tr.tag.lower() == "tr")
    return rows


def _own_cells(tr) -> list:
    return [td for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")]


def _is_layout(table) -> bool:
    """A table used to lay out a page: it holds tables, or it is a single cell."""
    if any(isinstance(t.tag, str) for t in table.iterdescendants("table")):
        return True
    rows = _own_rows(table)
    return len(rows) <= 1 and sum(len(_own_cells(tr)) for tr in rows) <= 1


def _span(td, name: str) -> int:
    try:
        return min(max(int(re.sub(r"\D", "", td.get(name, "1")) or 1), 1), _MAX_SPAN)
    except ValueError:
        return 1


def _grid(table) -> Grid:
    """The HTML table model: each cell at the first free slot of its row, covering its spans."""
    cells: list[Cell] = []
    taken: set[tuple[int, int]] = set()
    rows = [tr for tr in _own_rows(table)]
    height = 0
    for r, tr in enumerate(rows):
        col = 0
        for td in _own_cells(tr):
            while (r, col) in taken:
                col += 1
            rowspan, colspan = _span(td, "rowspan"), _span(td, "colspan")
            rowspan = min(rowspan, len(rows) - r)
            if len(taken) + rowspan * colspan > _MAX_SLOTS:
                rowspan = colspan = 1  # a hostile page's spans: cells kept, their spans not
            ordinal = table.get(_ORDINAL)
            cells.append(Cell(_cell(td), r, col, rowspan, colspan,
                              origin=Origin(table=int(ordinal) if ordinal else None, row=r + 1, column=col + 1)))
            taken.update((r + i, col + j) for i in range(rowspan) for j in range(colspan))
            col += colspan
            height = max(height, r + rowspan)
    width = max((c.col + c.colspan for c in cells), default=0)
    # rows with no cell of their own (a <tr></tr>, or covered by rowspans only) are dropped
    own = sorted({c.row for c in cells})
    index = {r: i for i, r in enumerate(own)}
    cells = [Cell(c.text, index[c.row], c.col, max(1, bisect.bisect_left(own, c.row + c.rowspan) - index[c.row]),
                  c.colspan, origin=c.origin) for c in cells]
    return Grid(tuple(cells), len(own), width)


def _blocks(root) -> list[Block]:
    blocks: list[Block] = []
    line: list[str] = []

    def flush() -> None:
        text = "".join(line).replace("\xa0", " ")
        if text.strip():
            blocks.append(Block("line", text.strip()))
        line.clear()

    def walk(el) -> None:
        for child in el:
            if not isinstance(child.tag, str):  # comments (Word's <!--[if mso]>), processing instructions
                line.append(child.tail or "")
                continue
            tag = child.tag.lower().split("}")[-1]
            if tag == "table" and not _is_layout(child):
                flush()
                grid = _grid(child)
                if grid.cells:
                    blocks.append(Block("table", grid=grid))
            elif tag == "br":
                flush()
            elif tag in _HEADINGS:
                flush()
                text = _cell(child)
                if text:
                    blocks.append(Block("heading", text, level=_HEADINGS[tag]))
            elif tag in _BLOCK:
                flush()
                line.append(child.text or "")
                walk(child)
                flush()
            else:
                line.append(child.text or "")
                walk(child)
            line.append(child.tail or "")

    walk(root)
    flush()
    return blocks


MAX_BYTES = 20 * 1024 * 1024  # a saved report page with its images inline; beyond, not a report (30 MB took 0.5 GB)


def read(path: Path) -> tuple[Block, ...]:
    within_bounds(path, MAX_BYTES)
    text = _text_of(path.read_bytes(), path)
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableReport(path, f"not a readable HTML page ({exc})", "save the page again as .html") from exc
    _unwrap_quoted_markup(tree)
    for n, table in enumerate(tree.iter("table"), 1):  # numbered before anything is dropped: as the page has them
        table.set(_ORDINAL, str(n))
    for el in list(tree.iter(*_DROP)):
        el.drop_tree()
    for el in [e for e in tree.iter() if isinstance(e.tag, str) and _is_chrome(e)]:
        if el.getparent() is not None and next(el.iterancestors("table"), None) is None:
            el.drop_tree()  # never a part of a table: a dropped cell would shift the cells after it
    body = tree.find("body") if tree.find("body") is not None else tree
    root = _report_root(body)
    blocks = _blocks(root)
    # the report's title is often outside its text box: in an <h1> of the page, or in <title>
    inside = set(root.iter("h1"))
    titles = [_cell(h) for h in body.iter("h1") if h not in inside] + \
             [_cell(t) for t in tree.iter("title")]
    if titles and titles[0]:
        blocks.insert(0, Block("line", titles[0]))
    if not blocks:
        raise UnreadableReport(path, "the HTML page has no text", "save the report's page itself, not a frame")
    return tuple(blocks)
