"""Plain text and Markdown reports (.txt, .md): lines, and Markdown ``#`` headings.

The text is decoded as UTF-8 (with or without BOM), else as detected by charset-normalizer
(GBK/GB18030 is common on government sites).
"""
from __future__ import annotations

import re
from pathlib import Path

from charset_normalizer import from_bytes

from builder.errors import UnreadableReport
from builder.models import Block, Origin

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


WEAK_GUESS = 0.2  # charset-normalizer's chaos above which the encoding is only a guess
MAX_BYTES = 5 * 1024 * 1024  # a report's text is 20–200 KB; beyond this it is not a report (nor read whole)


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """The text, and a note when its encoding had to be guessed weakly ("" otherwise)."""
    if not data.strip():
        raise UnreadableReport(path, "the file is empty", "commit the report's full text")
    try:
        return data.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableReport(path, "the file is not text in any known encoding",
                               "save it as UTF-8 text, or commit the original PDF/Word file")
    note = ""
    if best.chaos > WEAK_GUESS or not any("\u4e00" <= ch <= "\u9fff" for ch in str(best)[:2000]):
        note = (f"文件不是 UTF-8 编码，按 {best.encoding} 读取，但把握不大：请核对文字，"
                f"或将文件另存为 UTF-8 后重新提交。")
    return str(best), note


def within_bounds(path: Path, limit: int = MAX_BYTES) -> None:
    """Raise UnreadableReport for a text file larger than any report: one line, before it is read."""
    size = path.stat().st_size
    if size > limit:
        raise UnreadableReport(path, f"a text file of {size / 2**20:.1f} MB is not a report (a report's text is "
                                     f"well under {limit // 2**20} MB)",
                               "commit the report itself (its PDF, Word file or text), not a collection or a dump")


def read(path: Path) -> tuple[Block, ...]:
    within_bounds(path)
    text, note = decode(path.read_bytes(), path)
    blocks = [Block("note", note)] if note else []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        m = _HEADING.match(line.strip())
        if m:
            blocks.append(Block("heading", m.group(2).strip(), level=len(m.group(1)), origin=Origin(line=number)))
        else:
            blocks.append(Block("line", line, origin=Origin(line=number)))
    return tuple(blocks)
