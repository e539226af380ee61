"""Report text made safe as Markdown: shown as literal text, never as markup or HTML.

Everything a report says passes through ``escape`` before it lands in a page, so ``<script>``,
``[x](javascript:…)``, ``{{ }}``, ``!!! note`` or ``--8<--`` in a report appear as typed.
"""
from __future__ import annotations

import html
import re

# Python-Markdown's own backslash escapes, plus | (the tables extension adds it).
_ESCAPED = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_LINE_START = re.compile(r"^(\s*)")


def escape(text: str) -> str:
    """Escape one line (or paragraph) of plain text for use inside a Markdown block."""
    text = " ".join(text.split("\n"))
    text = html.escape(text, quote=False)  # & < > as entities: no raw HTML survives
    text = _ESCAPED.sub(r"\\\1", text)
    return _LINE_START.sub("", text)


def escape_cell(text: str) -> str:
    """Escape text for a Markdown table cell."""
    return escape(text).replace("\n", " ")


def bold(text: str) -> str:
    return f"**{escape(text)}**"
