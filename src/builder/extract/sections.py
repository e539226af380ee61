"""Document text → the six sections: where each begins, and its prose as passages of plain text.

A section heading is a line of its own (or, in a web page's text run together, a sentence of its
own) that starts with its number: 一、 … 六、 then one of the wordings in ``templates.HEADINGS`` or,
for a misspelt heading with its own number, the keywords in ``templates.HEADING_KEYWORDS``. Words
inside a sentence (a preamble that names the sections) are never a heading. Headings are matched on
the text with white space removed, so a heading split over two lines by a PDF's text layer, written
``### 一、``, or split into one ``<span>`` per character is still found.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from builder.extract.chinese import display_width, drop_spaces_between_han, squeeze_with_map
from builder.extract.templates import HEADING_KEYWORDS, HEADINGS
from builder.models import Passage, Prose

_NUMERALS = "一二三四五六"
_NUMBERED = re.compile(f"[{_NUMERALS}][、.,，．]")
_TITLES = {key: re.compile("|".join(f"(?:{v})" for v in variants)) for key, variants in HEADINGS.items()}
_WITHIN_SENTENCE = re.compile("[，、,“‘《(（]")
_LISTED = re.compile("[、，,；;和及等]")  # "一、总体情况，二、……": sections named in a sentence
_KEYWORD_WINDOW = 24  # characters after the number in which a misspelt heading's keywords must stand


@dataclass(frozen=True)
class Heading:
    key: str
    start: int  # where the heading begins in the text
    end: int  # where its text ends (the section's body begins)


def _starts_line(text: str, pos: int) -> bool | None:
    """True: ``text[pos]`` begins a line; False: it may begin a sentence of text run together;
    None: it stands inside a sentence (after a comma, an opening quote or bracket)."""
    k = pos - 1
    spaced = False
    while k >= 0 and text[k] in " \t\u3000#*>":
        spaced = True
        k -= 1
    if k < 0 or text[k] in "\n\r":
        return True
    return False if spaced or not _WITHIN_SENTENCE.match(text[k]) else None


def _has_keywords(window: str, key: str) -> bool:
    return all(any(word in window for word in words) for words in HEADING_KEYWORDS[key])


def find_headings(text: str) -> list[Heading]:
    """The six section headings in order; a heading that cannot be found is left out."""
    squeezed, where = squeeze_with_map(text)
    starts = []
    for m in _NUMBERED.finditer(squeezed):
        line = _starts_line(text, where[m.start()])
        if line is not None:
            starts.append((m, line))
    found: list[Heading] = []
    pos = 0
    for n, key in enumerate(HEADINGS):
        title = _TITLES[key]
        hit = None
        for rule in ("own number", "any number", "keywords"):
            for m, line in starts:
                if m.start() < pos or (rule != "any number" and squeezed[m.start()] != _NUMERALS[n]):
                    continue
                if rule == "keywords":
                    line_end = text.find("\n", where[m.end() - 1])
                    stop = m.end() + _KEYWORD_WINDOW
                    if line_end >= 0:  # a heading line's keywords are on its line
                        stop = min(stop, m.end() + sum(1 for i in where[m.end():stop] if i < line_end))
                    window = squeezed[m.end():stop]
                    if _has_keywords(window, key) and line:
                        hit = (m.start(), _keyword_end(squeezed, m.end(), window, key))
                        break
                elif (t := title.match(squeezed, m.end())) and (line or not _LISTED.match(squeezed, t.end())):
                    hit = (m.start(), t.end())
                    break
            if hit:
                break
        if not hit:
            continue
        begin, end = where[hit[0]], where[hit[1] - 1] + 1
        while begin > 0 and text[begin - 1] in "#* \t":  # "### 一、", "**六、…**"
            begin -= 1
        while end < len(text) and text[end] in "#*":
            end += 1
        found.append(Heading(key, begin, end))
        pos = hit[1]
    return found


def _keyword_end(squeezed: str, start: int, window: str, key: str) -> int:
    """Where a heading found by its keywords ends: after its last keyword, through 情况/措施 if next."""
    last = max(window.find(w) + len(w) for words in HEADING_KEYWORDS[key] for w in words if w in window)
    tail = re.match(r"(?:的)?(?:情况|措施|事项)?", squeezed[start + last:])
    return start + last + (tail.end() if tail else 0)


def is_section_heading(text: str) -> bool:
    """The text (a block of its own) starts with a numbered section heading."""
    squeezed, _ = squeeze_with_map(text[:200])
    squeezed = squeezed.lstrip("#*")
    m = _NUMBERED.match(squeezed)
    if not m:
        return False
    n = _NUMERALS.index(squeezed[0])
    key = list(HEADINGS)[n]
    return bool(any(t.match(squeezed, m.end()) for t in _TITLES.values())) or \
        _has_keywords(squeezed[m.end():m.end() + _KEYWORD_WINDOW], key)


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


def prose_to_passages(text: str, full_width: float) -> Prose:
    """Re-flow a section's lines into paragraphs; keep the report's own sub-headings as headings."""
    lines = [ln.strip() for ln in text.split("\n")]
    lines = [ln for ln in lines if ln and not is_page_chrome(ln)]
    blocks: list[Passage] = []
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
            blocks.append(Passage(_pieces(bare), heading=True))
            continue
        if paragraph and _ITEM.match(bare) and _ends_sentence(paragraph[-1]):
            flush()
        paragraph.append(line)
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        full = full_width and display_width(line) >= full_width - 1.5
        if not nxt or (_ends_sentence(line) and not full) or (_ends_sentence(line) and _ITEM.match(nxt)):
            flush()
    flush()
    return tuple(blocks)


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


def _paragraphs(text: str) -> list[Passage]:
    # a web page's text runs sub-items together: start a paragraph at each （一） after a full stop
    return [Passage(_pieces(p)) for p in _INLINE_ITEM.split(text) if p.strip()]


def _pieces(text: str) -> tuple[tuple[str, bool], ...]:
    """Report text as (text, bold) pieces, its **bold** emphasis kept apart from the rest."""
    text = drop_spaces_between_han(re.sub(r"[ \t\u3000]+", " ", text)).strip()
    out, pos = [], 0
    for m in _BOLD.finditer(text):
        out.append((text[pos:m.start()], False))
        if m.group(1).strip():
            out.append((m.group(1).strip(), True))
        pos = m.end()
    out.append((text[pos:], False))
    return tuple(out)
