"""`portal national`: a national home and one search over province sites built apart (in Chromium)."""
from __future__ import annotations

import contextlib
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlencode

import pytest
from factories import make_report_2019, make_report_2021
from site_helpers import copy_hand_written, mkdocs_build, served

from builder.publish.tree import write_tree
from builder.render.site import original_files, render_site

pytestmark = pytest.mark.slow  # two province sites built, then searched in a browser

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
    assert '<form class="portal-home-search" role="search" action="search/" method="get">' in home


def test_the_national_search_runs_the_province_sites_search_ui_over_all_of_them(national):
    page = (national / "search/index.html").read_text(encoding="utf-8")
    assert 'data-sites="[&quot;江苏省/&quot;, &quot;福建省/&quot;]"' in page
    assert '<script src="../assets/javascripts/search.js"></script>' in page
    assert (national / "assets/javascripts/search.js").read_bytes() == \
        (national / "江苏省/assets/javascripts/search.js").read_bytes()
    for style in re.findall(r'<link rel="stylesheet" href="\.\./([^"]+)">', page):
        assert (national / style).is_file(), style
    assert json.loads((national / "data/search-filters.json").read_text(encoding="utf-8")) == {
        "year": ["2023", "2020"], "level": ["省级", "市级", "县级"], "template": ["2019 版", "2021 版"]}


def test_writing_the_national_pages_again_changes_nothing(national):
    before = {p.relative_to(national): p.read_bytes() for p in sorted(national.rglob("*")) if p.is_file()}
    result = subprocess.run([sys.executable, "-m", "builder", "national", str(national)], capture_output=True, text=True)
    assert result.returncode == 0 and "over 2 province sites" in result.stdout, result.stdout + result.stderr
    assert {p.relative_to(national): p.read_bytes() for p in sorted(national.rglob("*")) if p.is_file()} == before


def test_a_folder_without_province_sites_is_refused(tmp_path):
    result = subprocess.run([sys.executable, "-m", "builder", "national", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1 and "holds no province site" in result.stderr


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
def test_the_national_search_finds_pages_of_every_province_and_links_into_their_sites(national, browser):
    with served(national) as address:
        base = address.rstrip("/")
        requests: list[str] = []
        failed: list[str] = []
        errors: list[str] = []

        def search(page, query: str, **filters: str) -> list[str]:
            """The links of the results the national search page shows for ``query`` (search.js, as on a province site)."""
            page.goto(f"{base}/search/?{urlencode({'q': query, **filters})}", wait_until="networkidle")
            page.wait_for_function("q => document.querySelector('.portal-search__results')?.dataset.query === q", arg=query,
                                   timeout=30000)
            return [unquote(h) for h in page.eval_on_selector_all(".portal-search__result .portal-search__link",
                                                                   "els => els.map(e => e.href)")]

        with contextlib.closing(browser.new_context()) as context:  # the session's Chromium (conftest.py)
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {unquote(r.url)}"))
            page.on("pageerror", lambda e: errors.append(str(e)))
            links = search(page, "行政复议")
            assert any("/福建省/reports/2020-平潭综合实验区/" in h for h in links), links
            assert any("/江苏省/reports/2023-淮安市洪泽区人民政府/" in h for h in links), links
            facts = page.locator(".portal-search__facts").all_inner_texts()
            assert any("淮安市洪泽区人民政府" in f and "2023 年" in f for f in facts), facts  # the result's metadata
            marks = page.locator(".portal-search__excerpt mark").all_inner_texts()
            assert marks and set(marks) == {"行政复议"}, marks  # whole query words marked
            # the filters over all provinces: one year's reports, from the province that has them
            assert page.locator("select[name=year] option").all_inner_texts() == ["全部年度", "2023", "2020"]
            links = search(page, "行政复议", year="2020")
            assert links and all("/福建省/" in h for h in links), links
            agency = [h for h in search(page, "淮安市洪泽区人民政府") if h.endswith("/江苏省/agencies/淮安市洪泽区人民政府/")]
            assert agency  # among the results shown (ranked by Pagefind across indexes)
            assert search(page, "不存在的词语甲乙丙") == []  # every word required: a word in no page, no result
            assert "没有找到" in page.locator(".portal-search__status").inner_text()
            assert page.goto(agency[0]).status == 200 and "淮安市洪泽区人民政府" in page.title()
    assert all(url.startswith(base) for url in requests)  # nothing from another host
    assert failed == [] and errors == []
