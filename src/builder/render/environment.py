"""The jinja2 environment the pages are rendered in: its filters (report text escaped for where it
lands: Markdown, a table cell, raw HTML, a code span, a comment, a link) and a page's front matter.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from urllib.parse import quote

import jinja2

from builder.render.figures import format_number
from builder.render.labels import format_label
from builder.render.markdown import attribute, escape, escape_cell
from builder.render.catalog import year_address
from builder.render.entries import page_file
from builder.render.marks import KIND_WORDS, Notes, report_name
from builder.render.policy import MIN_BASE
from builder.render.notices import failure_notice


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("builder.render", "templates"),
        autoescape=False,  # the output is Markdown: report text is escaped with the escape filter
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(escape=escape, e=escape, cell=escape_cell, code=code, comment=comment,
                       region=region_text, region_html=region_html,
                       h=attribute, number=format_number, external=external_link)
    env.globals.update(new_notes=Notes, report_name=report_name, notice=failure_notice, format_label=format_label,
                       kind_words=KIND_WORDS, min_base=MIN_BASE, year_page=lambda year: page_file(year_address(year)))
    return env


def front_matter(description: str, feed: str = "") -> str:
    """The page's YAML front matter: its description, for the description and og: meta of its head
    (overrides/main.html) and link previews; none for a page without one (the site's description); its
    Atom feed (a region's, an agency's: render/feeds.py), announced in its head."""
    lines = []
    if description:
        text = attribute(" ".join(description.split()))  # the theme prints it into an attribute as is
        lines.append("description: " + json.dumps(text, ensure_ascii=False))
    if feed:
        lines.append("feed: " + json.dumps(feed, ensure_ascii=False))
    return "---\n" + "\n".join(lines) + "\n---\n\n" if lines else ""


def code(text: str) -> str:
    """Text in code font; falls back to escaped text when it would break out of the code span."""
    return f"`{text}`" if text and "`" not in text and "\n" not in text else escape(text)


def external_link(url: str) -> str:
    """A link target to another site (a report's 原文发布地址): percent-encoded so that nothing in it can
    end the Markdown link or the HTML attribute."""
    return quote(url, safe=":/?#@!$&'*+,;=%~-._")


def comment(text: str) -> str:
    """Text safe inside an HTML comment."""
    return text.replace("--", "‐‐").replace("<", "‹").replace(">", "›").replace("\n", " ")


def region_text(region: tuple[str, ...], escaped: Callable[[str], str] = escape) -> str:
    """省 / 市 / 区县, in a span that breaks only at the slashes (portal.css): a narrow table column on a
    phone would otherwise stack it a character or two per line."""
    glued = "&nbsp;/ ".join(escaped(name) for name in region)  # a line may break after a slash, never before
    return f'<span class="portal-region">{glued}</span>' if region else "—"


def region_html(region: tuple[str, ...]) -> str:
    """``region_text`` for an HTML table (html_table in _macros.md.j2), where Markdown escapes would show."""
    return region_text(region, attribute)
