"""`portal national`: a national home and one search over province sites built apart (in Chromium)."""
from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from factories import make_report_2019, make_report_2021
from site_helpers import copy_hand_written, mkdocs_build

from builder.publish.tree import write_tree
from builder.render.site import original_files, render_site

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    """Two province sites, each built from its own reports (as a CI matrix job builds one), and
    `portal national` over them."""
    tmp = tmp_path_factory.mktemp("national")
    root = tmp / "national"
    root.mkdir()
    for province, report in (("福建省", make_report_2019()), ("江苏省", make_report_2021())):
        content, originals = tmp / f"content-{province}", tmp / f"repo-{province}"
        copy_hand_written(content)
        original = originals / report.source.path
        original.parent.mkdir(parents=True)
        original.write_text("original", encoding="utf-8")
        write_tree(content, render_site([report], []), original_files([report], [], originals))
        mkdocs_build(tmp, content, f"national/{province}")
    result = subprocess.run([sys.executable, "-m", "builder", "national", str(root)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "national home and search over 2 province sites, 2 report pages" in result.stdout
    return root


def test_the_national_home_lists_every_province_with_its_counts(national):
    home = (national / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in home and "年报共 2 份" in home
    for province in ("福建省", "江苏省"):
        assert f'<a href="{province}/">{province}</a></td><td class="n">1</td><td class="n">1</td>' in home


def test_a_folder_without_province_sites_is_refused(tmp_path):
    result = subprocess.run([sys.executable, "-m", "builder", "national", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1 and "holds no province site" in result.stderr


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_the_national_search_finds_pages_of_every_province_and_links_into_their_sites(national):
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(national)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    requests: list[str] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            page = browser.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(f"{base}/search/?q={quote('行政复议')}", wait_until="networkidle")
            page.locator(".national-search__result").first.wait_for(timeout=30000)
            links = [unquote(h) for h in page.eval_on_selector_all(".national-search__result a",
                                                                      "els => els.map(e => e.href)")]
            assert any("/福建省/reports/2020-平潭综合实验区/" in h for h in links), links
            assert any("/江苏省/reports/2023-淮安市洪泽区人民政府/" in h for h in links), links
            page.goto(f"{base}/search/?q={quote('淮安市洪泽区人民政府')}", wait_until="networkidle")
            page.locator(".national-search__result").first.wait_for(timeout=30000)
            shown = page.eval_on_selector_all(".national-search__result a", "els => els.map(e => e.href)")
            agency = [h for h in shown if unquote(h).endswith("/江苏省/agencies/淮安市洪泽区人民政府/")]
            assert agency, [unquote(h) for h in shown]  # among the results shown (ranked by Pagefind across indexes)
            assert page.goto(agency[0]).status == 200 and "淮安市洪泽区人民政府" in page.title()
            browser.close()
    finally:
        httpd.shutdown()
    assert all(url.startswith(base) for url in requests)  # nothing from another host
