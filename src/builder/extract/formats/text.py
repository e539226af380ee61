"""Plain text and Markdown reports (.txt, .md): lines, and Markdown ``#`` headings.

The text is decoded as UTF-8 (with or without BOM), else as detected by charset-normalizer
(GBK/GB18030 is common on government sites).
"""
from __future__ import annotations

import re
from pathlib import Path

from charset_normalizer import from_bytes

from builder.errors import UnreadableReport
from builder.models import Block

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def decode(data: bytes, path: Path) -> str:
    if not data.strip():
        raise UnreadableReport(path, "the file is empty", "commit the report's full text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableReport(path, "the file is not text in any known encoding",
                               "save it as UTF-8 text, or commit the original PDF/Word file")
    return str(best)


def read(path: Path) -> tuple[Block, ...]:
    text = decode(path.read_bytes(), path)
    blocks = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        m = _HEADING.match(line.strip())
        if m:
            blocks.append(Block("heading", m.group(2).strip(), level=len(m.group(1))))
        else:
            blocks.append(Block("line", line))
    return tuple(blocks)
