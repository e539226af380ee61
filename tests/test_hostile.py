"""Hostile text in a report is shown as text, never executed or interpreted."""
from __future__ import annotations

import re
from pathlib import Path

import markdown
import yaml

from builder.pipeline import parse
from builder.render.markdown import prose
from conftest import FIXTURES

HOSTILE = FIXTURES / "hostile" / "hostile-text-in-sections.txt"
ROOT = Path(__file__).resolve().parent.parent


class ConfigLoader(yaml.Loader):
    """yaml's full loader, knowing mkdocs.yml's !ENV tag (a value from the environment; not needed here)."""


ConfigLoader.add_constructor("!ENV", lambda loader, node: None)


def _site_markdown(text: str) -> str:
    """Markdown → HTML with the extensions mkdocs.yml enables."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=ConfigLoader)  # noqa: S506 - our own file with !!python tags
    names, configs = [], {}
    for ext in config["markdown_extensions"]:
        if isinstance(ext, dict):
            (name, options), = ext.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(ext)
    return markdown.markdown(text, extensions=names, extension_configs=configs)


def test_hostile_sections_render_as_literal_text():
    report = parse(HOSTILE)
    html = "\n".join(_site_markdown(prose(section)) for section in report.sections.values())
    html = re.sub(r'<a class="headerlink" href="#[^"]*" title="本节链接">&para;</a>', "", html)  # toc's own (mkdocs.yml: permalink_title)
    tags = set(re.findall(r"<\s*([a-zA-Z][\w-]*)", html))
    assert tags <= {"p", "h3", "strong", "em"}, tags
    attributes = " ".join(re.findall(r"<[a-zA-Z][^>]*>", html))  # inside real tags only
    assert not re.search(r"\s(on\w+|href|src|style)\s*=", attributes)
    for shown in ("&lt;script&gt;", "javascript:window.__pwned=3", "{{ config.site_name }}", "{% include",
                  "--8&lt;--", "!!! danger", "&lt;!-- a raw HTML comment"):
        assert shown in html, shown
    assert "很长" * 2000 in html  # the very long line is kept whole


def test_hostile_report_still_gives_its_tables():
    report = parse(HOSTILE)
    assert report.tables["applications"]["new_received"]["total"] == 1
    assert not [c for c in report.checks if c.status == "fail"]
