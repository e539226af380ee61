"""Report text made safe as Markdown: shown as literal text, never as markup or HTML.

Everything a report says passes through ``escape`` before it lands in a page, so ``<script>``,
``[x](javascript:…)``, ``{{ }}``, ``!!! note`` or ``--8<--`` in a report appear as typed.
"""
from __future__ import annotations

import html
import re

from builder.models import Passage, Prose

# Characters that are markup anywhere in a line (| for the tables extension, {} for attr_list).
_INLINE = re.compile(r"([\\`*_{}\[\]|])")


def escape(text: str) -> str:
    """Escape one line (or paragraph) of plain text for use inside a Markdown block."""
    text = " ".join(text.split("\n")).strip()
    text = html.escape(text, quote=False)  # & < > as entities: no raw HTML survives
    text = _INLINE.sub(r"\\\1", text)
    m = re.match(r"\d+(?=[.)])", text)
    if m:
        return text[: m.end()] + "\\" + text[m.end():]
    return re.sub(r"^([#+=\-!?])", r"\\\1", text)  # headings, lists, underlines, admonitions


_MARKUP_ENTITIES = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]|#!+=-:~^"})


def escape_html_text(text: str) -> str:
    """Report text for inside raw HTML (a table laid out in HTML): entities for what HTML reads and for
    every character Markdown could read, so that it shows as typed in any context."""
    return html.escape(" ".join(text.split()), quote=True).translate(_MARKUP_ENTITIES)


def escape_cell(text: str) -> str:
    """Escape text for a Markdown table cell."""
    return escape(text).replace("\n", " ")


def prose(passages: Prose) -> str:
    """A section's prose as Markdown: a paragraph per passage, the report's sub-headings as ### headings,
    its bold as bold; the text itself escaped."""
    return "\n\n".join(("### " if p.heading else "") + _inline(p) for p in passages)


def _inline(passage: Passage) -> str:
    # each piece escaped on its own, as the line it was cut from
    return "".join(f"**{escape(text)}**" if bold else escape(text) for text, bold in passage.pieces)


def bold(text: str) -> str:
    return f"**{escape(text)}**"


_LINK_MARKUP = str.maketrans({"[": "&#91;", "]": "&#93;", "(": "&#40;", ")": "&#41;"})


def attribute(text: str) -> str:
    """Report text for raw HTML, an attribute or an element's text (a raw HTML block, the long lists' HTML
    tables, front matter printed into <head>): nothing in it is markup or can end the attribute, nor
    reads as a Markdown link in the generated page."""
    return html.escape(text, quote=True).translate(_LINK_MARKUP)
