"""Hostile and oddly named files on the built site, in a real browser: nothing runs, nothing is lost.

A report whose text holds <script>, event handlers, javascript: links, iframes and styles must show
them as text: a script that would set ``window.__pwned`` or the title must not run, and no request
may leave the local server. Files named with spaces, full-width characters, emoji, leading dashes
and dots each get a page whose original downloads, and a broken file is listed with its reason.
"""
from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from site_helpers import copy_hand_written, mkdocs_build, portal_build
from test_browser import Watched, browser, server  # noqa: F401 - fixtures, served from this module's site

from conftest import FIXTURES

ODD_NAMES = ["年报 2020 版.txt", "年报（全角）２０２０.txt", "年报📄2020.txt", "-年报2020.txt", "..年报2020.txt"]
SOURCES = ["text-layer-labels-broken-across-lines.txt", "tab-separated-with-markdown-bold.txt",
           "text-layer-short-row-and-page-numbers.txt", "text-layer-columns-interleaved.txt",
           "web-text-cells-run-together-2021.txt"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    reports = tmp / "reports" / "测试省" / "测试市"
    reports.mkdir(parents=True)
    shutil.copy(FIXTURES / "hostile" / "hostile-text-in-sections.txt", reports / "恶意文本<script>.txt")
    for name, source in zip(ODD_NAMES, SOURCES):
        shutil.copy(FIXTURES / "reports" / source, reports / name)
    shutil.copy(FIXTURES / "broken" / "truncated-download.pdf", reports / "下载中断 的年报.pdf")
    for file in list(reports.iterdir()):  # 测试省 is no region of the gazetteer: the sidecars say where they are
        file.with_name(f"{file.name}.meta.yml").write_text("region: [测试省, 测试市]\n", encoding="utf-8")
    content = tmp / "content"
    copy_hand_written(content)
    portal_build(tmp / "reports", content)
    return mkdocs_build(tmp, content, "site")


def _page_of(site: Path, text: str) -> str:
    for page in sorted((site / "reports").glob("*/index.html")):
        if text in page.read_text(encoding="utf-8"):
            return page.parent.name
    raise AssertionError(f"no report page mentions {text!r}")


def test_hostile_text_is_shown_and_never_run(site, server, browser):
    watched = Watched(browser, {"width": 1280, "height": 900})
    slug = _page_of(site, "模板语法")
    watched.open(f"{server}reports/{quote(slug)}/")
    page = watched.page
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert "PWNED" not in page.title()
    body = page.locator("article").inner_text()
    for shown in ("<script>window.__pwned = 1;", '<img src=x onerror="window.__pwned = 2">',
                  "javascript:window.__pwned=3", "{{ config.site_name }}", "--8<--", "!!! danger"):
        assert shown in body, shown
    assert page.locator("article script, article iframe, article img[onerror], article [onclick]").count() == 0
    page.hover("text=悬停")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    watched.check()  # no console error, no request to another host
    watched.close()


def test_every_oddly_named_file_has_a_page_and_its_original(site, server):
    pages = {p.parent.name: p.read_text(encoding="utf-8") for p in (site / "reports").glob("*/index.html")}
    for name in [*ODD_NAMES, "恶意文本<script>.txt", "下载中断 的年报.pdf"]:
        shown = name.replace("<", "&lt;").replace(">", "&gt;")
        holders = [slug for slug, html in pages.items() if shown in html]
        assert holders, f"{name} has no page"
    originals = [p for p in (site / "files").rglob("*") if p.is_file()]
    assert len(originals) == len(ODD_NAMES) + 2
    for original in originals:
        url = server + quote(original.relative_to(site).as_posix())
        with urllib.request.urlopen(url) as response:
            assert response.status == 200 and response.read() == original.read_bytes()


def test_a_broken_file_is_listed_with_its_reason(site):
    quality = (site / "quality" / "index.html").read_text(encoding="utf-8")
    assert "下载中断 的年报.pdf" in quality and "damaged or truncated" in quality
