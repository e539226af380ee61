"""Document text → the six sections: where each begins, and its prose as clean Markdown.

Headings are found on the text with white space removed, so a heading split over two lines by a
PDF's text layer, written ``### 一、``, or run into the text of a web page is still found.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from builder.extract.chinese import display_width, drop_spaces_between_han, squeeze_with_map
from builder.render.markdown import escape

_NUMERALS = "一二三四五六"
_TITLES = {
    "overview": r"总体情况",
    "active_disclosure": r"主动公开政府信息(?:的)?情况",
    "applications": r"收到和处理政府信息公开申请(?:的)?情况",
    "review_litigation": r"(?:因)?(?:政府信息公开)?(?:申请)?行政复议[、,，和及]?(?:提起)?行政诉讼(?:的)?情况",
    "problems_improvements": r"(?:政府信息公开)?(?:工作)?存在的?主要问题(?:及|和|与)(?:其)?改进(?:的)?(?:情况|措施)",
    "other_matters": r"其他需要报告的?事项",
}
_MARK = r"[、.,，]"


@dataclass(frozen=True)
class Heading:
    key: str
    start: int  # where the heading begins in the text
    end: int  # where its text ends (the section's body begins)


def find_headings(text: str) -> list[Heading]:
    """The six section headings in order; a heading that cannot be found is left out."""
    squeezed, where = squeeze_with_map(text)
    found: list[Heading] = []
    pos = 0
    for n, (key, title) in enumerate(_TITLES.items()):
        m = (re.compile(f"{_NUMERALS[n]}{_MARK}{title}").search(squeezed, pos)
             or re.compile(f"[{_NUMERALS}]{_MARK}{title}").search(squeezed, pos))
        if not m:
            continue
        begin, end = where[m.start()], where[m.end() - 1] + 1
        while begin > 0 and text[begin - 1] in "#* \t":  # "### 一、", "**六、…**"
            begin -= 1
        while end < len(text) and text[end] in "#*":
            end += 1
        found.append(Heading(key, begin, end))
        pos = m.end()
    return found


def section_spans(text: str, headings: list[Heading]) -> dict[str, tuple[int, int]]:
    """Each found section's body: from the end of its heading to the next heading (or the end)."""
    spans = {}
    for h, nxt in zip(headings, [*headings[1:], None]):
        spans[h.key] = (h.end, nxt.start if nxt else len(text))
    return spans


# ------------------------------------------------------------------------------------ prose

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)\s*$")
_SUBHEADING = re.compile(r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．])")
_ITEM = re.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、.．]|"
                   r"[一二三四五六七八九十]是|\d{1,2}[、.．](?!\d)|第[一二三四五六七八九十]{1,3}[，,、])")
_TERMINAL = tuple("。！？；：…”’」）)")
_MD_HEADING = re.compile(r"^#{1,6}\s*")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_INLINE_ITEM = re.compile(r"(?<=[。；！？])\s*(?=[（(][一二三四五六七八九十]{1,3}[）)])")


_PORTAL_CHROME = re.compile(
    r"^\s*(?:当前位置|您的位置|所在位置)\s*[:：]|^\s*(?:分享到|分享)\s*[:：]?\s*(?:微信|微博|QQ|朋友圈)"
    r"|^\s*(?:(?:微信|微博|QQ空间|QQ|朋友圈|打印|关闭|收藏)\s*)+$|^\s*【?\s*(?:打印本页|关闭窗口|返回顶部|打印|关闭)\s*】?\s*(?:【.*】\s*)*$"
    r"|^\s*扫一扫|^\s*字号\s*[:：]?\s*[【\[]?\s*大|^\s*(?:主办单位|承办单位|网站标识码|版权所有)\s*[:：]"
    r"|ICP\s*备\s*\d|公网安备|^\s*(?:浏览次数|访问量|点击数|阅读次数)\s*[:：]\s*\d+\s*$")


def is_page_chrome(line: str) -> bool:
    """A page number, or a web portal's chrome (breadcrumb, share buttons, footer) copied with the text."""
    return bool(_PAGE_NUMBER.match(line)) or (len(line) <= 80 and bool(_PORTAL_CHROME.search(line)))


def line_width(lines: list[str]) -> float:
    """The width of a full line in this document (text layers wrap every ~25 characters)."""
    widths = sorted(display_width(s) for s in lines if display_width(s) >= 8)
    if not widths:
        return 0.0
    return widths[int(0.9 * (len(widths) - 1))]


def prose_to_markdown(text: str, full_width: float) -> str:
    """Re-flow a section's lines into paragraphs; keep the report's own sub-headings as headings."""
    lines = [ln.strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln and not is_page_chrome(ln)]
    blocks: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.extend(_paragraphs("".join(_join(paragraph))))
            paragraph.clear()

    for i, line in enumerate(lines):
        bare = _MD_HEADING.sub("", line).strip("* ")
        is_md_heading = line.startswith("#")
        width = display_width(bare)
        heading_like = (_SUBHEADING.match(bare) and width <= 30 and not re.search("[。；！？;]", bare)
                        and not (full_width and width >= full_width - 1.5))
        if is_md_heading or (heading_like and not paragraph):
            flush()
            blocks.append("### " + _inline(bare))
            continue
        if paragraph and _ITEM.match(bare) and _ends_sentence(paragraph[-1]):
            flush()
        paragraph.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        full = full_width and display_width(line) >= full_width - 1.5
        if not nxt or (_ends_sentence(line) and not full) or (_ends_sentence(line) and _ITEM.match(nxt)):
            flush()
    flush()
    return "\n\n".join(blocks)


def _ends_sentence(line: str) -> bool:
    line = line.rstrip("* ")
    if line.endswith(tuple("”’」)）")):  # a closing quote ends a sentence only after 。！？
        return line.rstrip("”’」)）").endswith(tuple("。！？；…"))
    return line.endswith(_TERMINAL)


def _join(lines: list[str]) -> list[str]:
    """A line break inside Chinese text joins with no space; between Latin words, one space."""
    out: list[str] = []
    for line in lines:
        if out and out[-1][-1:].isascii() and out[-1][-1:].isalnum() and line[:1].isascii() and line[:1].isalnum():
            out.append(" ")
        out.append(line)
    return out


def _paragraphs(text: str) -> list[str]:
    # a web page's text runs sub-items together: start a paragraph at each （一） after a full stop
    return [_inline(p) for p in _INLINE_ITEM.split(text) if p.strip()]


def _inline(text: str) -> str:
    """Escape report text as Markdown, keeping only its **bold** emphasis."""
    text = drop_spaces_between_han(re.sub(r"[ \t\u3000]+", " ", text)).strip()
    out, pos = [], 0
    for m in _BOLD.finditer(text):
        out.append(escape(text[pos:m.start()]))
        if m.group(1).strip():
            out.append("**" + escape(m.group(1).strip()) + "**")
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)
