"""What pdfplumber makes of a PDF page, exactly, in well under half the time.

Reading a text-layer page was mostly pdfminer tokenizing its content streams one character state at
a time (a page from Word holds 5,000-10,000 tokens: each glyph is placed on its own), pdfplumber
turning each character into a dict, and ``dedupe_chars`` ordering its result by a linear search.
Here a stream is cut into the same tokens by one regular expression and fed to pdfminer's own
operators, which draw the same characters, lines and rectangles; characters become the same dicts
by a shorter path; and ``unique_chars`` and ``table_rows`` give what ``dedupe_chars`` and
``Table.extract`` give. The result must be exactly pdfplumber's: a stream with anything the
tokenizer does not read the same way (an inline image, a name with ``#``, a construct left open at
the end of a stream) is read by pdfminer itself, and under another pdfminer.six or pdfplumber than
the ones this copies (``CHECKED``), the libraries do all the work.
"""
from __future__ import annotations

import itertools
import re
from operator import itemgetter
from unicodedata import normalize as normalize_unicode

import pdfminer
import pdfplumber
from pdfminer import settings
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfinterp import PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import PDFStream, stream_value
from pdfminer.psexceptions import PSSyntaxError, PSTypeError
from pdfminer.psparser import (ESC_STRING, KEYWORD_ARRAY_BEGIN, KEYWORD_ARRAY_END, KEYWORD_DICT_BEGIN,
                               KEYWORD_DICT_END, KEYWORD_PROC_BEGIN, KEYWORD_PROC_END, KWD, LIT, PSKeyword,
                               literal_name)
from pdfminer.utils import choplist
from pdfplumber import utils
from pdfplumber.page import ALL_ATTRS, PDFPageAggregatorWithMarkedContent, fix_fontname_bytes
from pdfplumber.utils import resolve_all, resolve_and_decode
from pdfplumber.utils.exceptions import PdfminerException

# The versions whose code this module mirrors: pdfminer.six's PSBaseParser, PSStackParser.nextobject
# and PDFPageInterpreter.execute; pdfplumber's Page.layout, parse_objects, process_object,
# utils.dedupe_chars and Table.extract.
CHECKED = {"pdfminer": "20260107", "pdfplumber": "0.11.10"}
_BUFSIZ = 4096  # pdfminer reads a stream in chunks of this size, which matters inside one escape

# One alternative per token kind, chosen by its first character as PSBaseParser._parse_main does,
# each after the whitespace before it; \s is bytes' ASCII whitespace, as in pdfminer's patterns.
# The last alternatives catch the end of the stream and anything else (which pdfminer must read).
_TOKEN = re.compile(rb"""[\s\x00]*+(?:
    ([-+0-9][0-9]*+)(?!\.)                    # 1 integer
  | ([-+0-9][0-9]*+\.[0-9]*+|\.[0-9]*+)       # 2 real
  | ([A-Za-z][^\#/%\[\]()<>{}\s]*+)           # 3 keyword, true, false
  | /([^\#/%\[\]()<>{}\s]*+)(?!\#)            # 4 name (one with # escapes is left to pdfminer)
  | \(([^()\\]*+)\)                           # 5 string without escapes or nested parentheses
  | (<<)                                      # 6 dictionary begins
  | <([\s0-9a-fA-F]*+)(?=[^\s0-9a-fA-F])      # 7 hexadecimal string, up to (not past) its end
  | (>>)                                      # 8 dictionary ends
  | (\()                                      # 9 any other string
  | (%[^\r\n]*+)                              # 10 comment
  | (>)(?=[\s\S])                             # 11 a ">" that is not ">>": nothing
  | ([^\s%/\-+0-9.A-Za-z(<>\x00])             # 12 one character as a keyword: [ ] { } ' " ...
  | (\Z)                                      # 13 the end
  | ([\s\S])                                  # 14 pdfminer must read this
)""", re.VERBOSE)
_SPACE = re.compile(rb"\s")
_END_STRING = re.compile(rb"[()\\]")
_OCTAL = b"01234567"
_ESCAPES = {key[0]: value for key, value in ESC_STRING.items()}
_INLINE = (KWD(b"BI"), KWD(b"ID"))
_OPENING = {KEYWORD_ARRAY_BEGIN: "a", KEYWORD_DICT_BEGIN: "d", KEYWORD_PROC_BEGIN: "p"}
_CLOSING = {KEYWORD_ARRAY_END: "a", KEYWORD_DICT_END: "d", KEYWORD_PROC_END: "p"}


class _Unsupported(Exception):
    """The stream has a construct this reader does not tokenize exactly as pdfminer: let pdfminer read it."""


def _string(data: bytes, start: int) -> tuple[bytes, int]:
    """A literal string with escapes or nested parentheses from ``data[start]`` (after its ``(``),
    as PSBaseParser._parse_string and _parse_string_1 read it; returns it and the index past ``)``."""
    out = bytearray()
    depth = 1
    i = start
    while True:
        m = _END_STRING.search(data, i)
        if not m:
            raise _Unsupported("a string left open at the end of the stream")
        j = m.start()
        out += data[i:j]
        c = data[j]
        if c == 0x5C:  # backslash
            i = j + 1
            if i >= len(data):
                raise _Unsupported("an escape at the end of the stream")
            c = data[i]
            if c in _OCTAL:
                k = i
                while k < len(data) and k - i < 3 and data[k] in _OCTAL:
                    k += 1
                if k >= len(data):
                    raise _Unsupported("an octal escape at the end of the stream")
                code = int(data[i:k], 8)
                if code >= 256:
                    raise _Unsupported("an octal escape past 255")
                out.append(code)
                i = k
            elif c in _ESCAPES:
                out.append(_ESCAPES[c])
                i += 1
            elif c == 0x0D and i + 1 < len(data) and data[i + 1] == 0x0A:
                if (i + 1) % _BUFSIZ == 0:
                    raise _Unsupported("an escaped CR LF split between pdfminer's chunks")
                i += 2
            else:  # pdfminer drops an unknown escaped character (and a lone escaped CR or LF)
                i += 1
        elif c == 0x28:  # (
            depth += 1
            out.append(c)
            i = j + 1
        else:  # )
            depth -= 1
            i = j + 1
            if not depth:
                return bytes(out), i
            out.append(c)


def _tokens(data: bytes) -> list:
    """The tokens of one content stream, as pdfminer's PSBaseParser yields them (without positions)."""
    tokens: list = []
    add = tokens.append
    pos = 0
    while pos is not None:
        start, pos = pos, None
        for m in _TOKEN.finditer(data, start):
            kind = m.lastindex
            if kind == 1 or kind == 2:
                try:
                    add(int(m.group(1)) if kind == 1 else float(m.group(2)))
                except ValueError:  # "-" or "." alone: pdfminer drops it
                    pass
            elif kind == 3:
                word = m.group(3)
                add(True if word == b"true" else False if word == b"false" else KWD(word))
            elif kind == 4:
                name = m.group(4)
                if not name and m.end() == len(data):
                    raise _Unsupported("a / at the end of the stream")
                try:
                    add(LIT(str(name, "utf-8")))
                except UnicodeDecodeError:
                    add(LIT(name))
            elif kind == 5:
                add(m.group(5))
            elif kind == 6:
                add(KEYWORD_DICT_BEGIN)
            elif kind == 7:
                digits = _SPACE.sub(b"", m.group(7))
                odd = bytes((int(digits[-1:], 16),)) if len(digits) % 2 else b""
                add(bytes.fromhex(digits[:len(digits) - len(odd)].decode()) + odd)
            elif kind == 8:
                add(KEYWORD_DICT_END)
            elif kind == 9:
                text, pos = _string(data, m.end())
                add(text)
                break
            elif kind == 12:
                add(KWD(m.group(12)))
            elif kind == 14:
                raise _Unsupported(f"{m.group(14)!r} at {m.start(14)}")
            # 10 comment, 11 a lone ">" and 13 the end make no token
    return tokens


def _streams_tokens(streams: list[PDFStream]) -> list | None:
    """The tokens of a page's streams read one after another, or None when pdfminer must read them."""
    tokens: list = []
    try:
        for stream in streams:
            tokens += _tokens(stream.get_data())
    except Exception:  # noqa: BLE001 - _Unsupported, or a stream that does not decode: pdfminer's to judge
        return None
    if any(token in _INLINE for token in tokens if type(token) is PSKeyword):
        return None
    return tokens


class FastInterpreter(PDFPageInterpreter):
    """pdfminer's PDFPageInterpreter with ``execute`` reading tokens cut by ``_tokens``."""

    def execute(self, streams) -> None:
        valid = [stream for stream in map(stream_value, streams)
                 if stream.objid is not None and stream.objid not in self.parent_stream_ids]
        tokens = _streams_tokens(valid)
        if tokens is None:
            return super().execute(streams)
        self.stream_ids.clear()
        self.stream_ids.update(stream.objid for stream in valid)
        self._run(tokens)

    def _run(self, tokens: list) -> None:
        """PSStackParser.nextobject and PDFPageInterpreter.execute's loop, over the tokens: an
        operand goes on the argument stack, an operator is called with its operands, and arrays,
        dictionaries and procedures are gathered first (with whatever they hold) as one operand."""
        operators: dict = {}
        context: list = []  # the enclosing (type, items) of an open array, dictionary or procedure
        curtype = None
        curstack: list = []
        for token in tokens:
            if type(token) is not PSKeyword:
                if context:
                    curstack.append(token)
                else:
                    self.argstack.append(token)  # self.push
                continue
            if token in _OPENING:
                context.append((curtype, curstack))
                curtype, curstack = _OPENING[token], []
                continue
            if token in _CLOSING:
                want = _CLOSING[token]
                if curtype != want:
                    if settings.STRICT:
                        raise PSTypeError(f"Type mismatch: {curtype!r} != {want!r}")
                    continue
                objs = curstack
                curtype, curstack = context.pop()
                if want == "d":
                    if len(objs) % 2 != 0:
                        raise PSSyntaxError(f"Invalid dictionary construct: {objs!r}")
                    objs = {literal_name(k): v for (k, v) in choplist(2, objs) if v is not None}
                if context:
                    curstack.append(objs)
                else:
                    self.argstack.append(objs)
                continue
            if context:
                curstack.append(token)
                continue
            found = operators.get(token)
            if found is None:
                name = str(token.name, "utf-8", "ignore")
                method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
                func = getattr(self, method, None)
                found = operators[token] = (func, func.__code__.co_argcount - 1 if func else name)
            func, nargs = found
            if func is None:
                if settings.STRICT:
                    raise PDFInterpreterError(f"Unknown operator: {nargs!r}")
            elif nargs:
                args = self.pop(nargs)
                if len(args) == nargs:
                    func(*args)
            else:
                func()


_PLAIN = (float, int, bool, str, type(None))  # values pdfplumber's resolve_all returns as they are


def _resolved(value):
    """pdfplumber's resolve_all; a tuple of plain values (a character's matrix) is its own result."""
    if type(value) is tuple and all(type(v) in _PLAIN for v in value):
        return value
    return resolve_all(value)


def _char(page, obj: LTChar, decoded: dict) -> dict:
    """pdfplumber's Page.process_object for a character, without its per-object overheads."""
    attr = {k: v if type(v) in _PLAIN else _resolved(v) for k, v in obj.__dict__.items() if k in ALL_ATTRS}
    attr["object_type"] = "char"
    attr["page_number"] = page.page_number
    for cs in ("ncs", "scs"):
        if hasattr(obj, cs):
            name = getattr(obj, cs).name
            if type(name) is not str:
                attr[cs] = resolve_and_decode(name)
            elif name in decoded:
                attr[cs] = decoded[name]
            else:
                attr[cs] = decoded[name] = resolve_and_decode(name)
    text = obj.get_text()
    attr["text"] = text if page.pdf.unicode_norm is None else normalize_unicode(page.pdf.unicode_norm, text)
    gs = obj.graphicstate
    attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
    attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
    if isinstance(attr["fontname"], bytes):
        attr["fontname"] = fix_fontname_bytes(attr["fontname"])
    mb_x0, mb_top = page.mediabox[:2]
    if "y0" in attr:
        attr["top"] = (page.height - attr["y1"]) + mb_top
        attr["bottom"] = (page.height - attr["y0"]) + mb_top
        attr["doctop"] = page.initial_doctop + attr["top"]
    if "x0" in attr and mb_x0 != 0:
        attr["x0"] = attr["x0"] + mb_x0
        attr["x1"] = attr["x1"] + mb_x0
    return attr


def _leaves(items: list, with_containers: bool):
    """pdfplumber's Page.iter_layout_objects, unprocessed."""
    for obj in items:
        if isinstance(obj, LTContainer):
            if with_containers:
                yield obj
            yield from _leaves(obj._objs, with_containers)
        else:
            yield obj


def _layout(page):
    """pdfplumber's Page.layout, with the faster interpreter."""
    device = PDFPageAggregatorWithMarkedContent(page.pdf.rsrcmgr, pageno=page.page_number,
                                                laparams=page.pdf.laparams)
    interpreter = FastInterpreter(page.pdf.rsrcmgr, device)
    try:
        interpreter.process_page(page.page_obj)
    except Exception as e:
        raise PdfminerException(e)
    return device.get_result()


def _objects(page) -> dict[str, list[dict]]:
    """pdfplumber's Page.parse_objects, characters by ``_char``."""
    objects: dict[str, list[dict]] = {}
    decoded: dict = {}  # colour space name -> its decoded text, the same for every character
    for obj in _leaves(page.layout._objs, page.pdf.laparams is not None):
        attr = _char(page, obj, decoded) if type(obj) is LTChar else page.process_object(obj)
        kind = attr["object_type"]
        if kind in ["anno"]:
            continue
        if objects.get(kind) is None:
            objects[kind] = []
        objects[kind].append(attr)
    return objects


def table_rows(table) -> list[list[str | None]]:
    """pdfplumber's Table.extract() (no settings): each character's middle is computed once, not
    once per row and cell, and a row's box once, not once per character."""
    if not _checked():
        return table.extract()
    middles = [((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, c) for c in table.page.chars]
    rows = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        in_row = [m for m in middles if m[1] >= x0 and m[1] < x1 and m[0] >= top and m[0] < bottom]
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            x0, top, x1, bottom = cell
            chars = [c for v, h, c in in_row if h >= x0 and h < x1 and v >= top and v < bottom]
            cells.append(utils.extract_text(chars) if chars else "")
        rows.append(cells)
    return rows


def unique_chars(chars: list[dict], tolerance: float = 1) -> list[dict]:
    """pdfplumber's ``utils.dedupe_chars`` (the same clusters, the same order), faster.

    Its final ``sorted(kept, key=chars.index)`` is a linear search per char, and it clusters every
    char even when no other char on the page has its text and font; together a fifth of a page's
    reading time. Here the index is looked up and a char alone in its group is kept as it is.
    """
    if not _checked():
        return utils.dedupe_chars(chars, tolerance)
    key = itemgetter("upright", "text", "fontname", "size")
    kept: list[dict] = []
    for _, same in itertools.groupby(sorted(chars, key=key), key=key):
        same = list(same)
        if len(same) == 1:
            kept.extend(same)
            continue
        for row in utils.cluster_objects(same, itemgetter("doctop"), tolerance):
            if len(row) == 1:
                kept.extend(row)
                continue
            for spot in utils.cluster_objects(row, itemgetter("x0"), tolerance):
                kept.append(sorted(spot, key=itemgetter("doctop", "x0"))[0])
    first: dict[int, int] = {}  # id(char) -> chars.index(char), the first equal char
    alike: dict[tuple, list[int]] = {}  # equal chars share text and position
    for i, char in enumerate(chars):
        seen = alike.setdefault((char["text"], char["doctop"], char["x0"]), [])
        first[id(char)] = next((j for j in seen if chars[j] == char), i)
        seen.append(i)
    return sorted(kept, key=lambda char: first[id(char)])


def _checked() -> bool:
    return pdfminer.__version__ == CHECKED["pdfminer"] and pdfplumber.__version__ == CHECKED["pdfplumber"]


def read(page) -> None:
    """Read an original (uncropped) pdfplumber page: fill in its ``layout`` and ``objects``."""
    if not _checked():
        return
    if not hasattr(page, "_layout"):
        page._layout = _layout(page)
    if not hasattr(page, "_objects"):
        page._objects = _objects(page)
