"""HTML reports as government portals publish them (lxml): the report, without the portal around it.

The page is decoded by its declared charset (gb2312/gbk read as GB18030, their superset), else as
UTF-8, else as detected. Scripts, styles, menus, breadcrumbs, footers and share buttons are dropped;
the report is the smallest element that holds both its first and its last section heading. Tables
come as grids with each ``<td>`` once (a rowspan/colspan cell is not repeated), ``&nbsp;`` as an
empty cell, and ``<p>``/``<span>``/``<br>`` inside a cell joined.
"""
from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from builder.errors import UnreadableReport
from builder.extract.formats.text import decode
from builder.models import Block

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_DROP = ("script", "style", "noscript", "iframe", "form", "button", "select", "nav", "header", "footer",
         "object", "embed", "svg", "template")
_CHROME = re.compile(r"nav|menu|breadcrumb|crumb|footer|header|share|sidebar|toolbar|position|location|"
                     r"weixin|weibo|qrcode|print|search", re.I)
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "blockquote", "pre", "center", "dd", "dt", "dl", "address", "main", "tbody", "thead", "tr"}
_HEADINGS = {f"h{n}": n for n in range(1, 7)}


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


def _is_chrome(el) -> bool:
    marks = " ".join(filter(None, (el.get("class"), el.get("id"), el.get("role"))))
    return bool(marks and _CHROME.search(marks)) and len(el.text_content()) < 2000


def _report_root(body):
    """The smallest element holding both 总体情况 and 其他需要报告 (the report without the portal)."""
    best = body
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        text = el.text_content()
        if "总体情况" in text and ("其他需要报告" in text or "存在的主要问题" in text):
            best = el
    return best


def _cell(el) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext()).replace("\xa0", " ")).strip()


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
            if tag == "table":
                flush()
                rows = [tuple(_cell(td) for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th"))
                        for tr in child.iter("tr")]
                blocks.append(Block("table", rows=tuple(r for r in rows if r)))
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


def read(path: Path) -> tuple[Block, ...]:
    text = _text_of(path.read_bytes(), path)
    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise UnreadableReport(path, f"not a readable HTML page ({exc})", "save the page again as .html") from exc
    for el in list(tree.iter(*_DROP)):
        el.drop_tree()
    for el in [e for e in tree.iter() if isinstance(e.tag, str) and _is_chrome(e)]:
        if el.getparent() is not None:
            el.drop_tree()
    body = tree.find("body") if tree.find("body") is not None else tree
    root = _report_root(body)
    blocks = _blocks(root)
    # the report's title is often outside its text box: in an <h1> of the page, or in <title>
    titles = [_cell(h) for h in body.iter("h1") if h not in set(root.iter())] + \
             [_cell(t) for t in tree.iter("title")]
    if titles and titles[0]:
        blocks.insert(0, Block("line", titles[0]))
    if not blocks:
        raise UnreadableReport(path, "the HTML page has no text", "save the report's page itself, not a frame")
    return tuple(blocks)
