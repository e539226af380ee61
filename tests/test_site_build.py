"""A real `mkdocs build --strict` of generated pages plus the hand-written ones and our mkdocs.yml."""
from __future__ import annotations

import gzip
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from factories import make_failure, make_report_2019, make_report_2021, make_source
from site_helpers import PUBLISH_ENV, ROOT, empty_admonitions, mkdocs_build, mkdocs_build_logged, portal_index
from site_helpers import write_content as write_reports_content

from builder.models import CheckResult
from builder.publish.smoke import dead_links, search_problems, site_files

# what a page fetches by itself (src, a <link>'s href but rel=canonical, CSS url()), and links to other
# hosts but those marked rel="external" (the footer's repository, 纠错 and licence: a reader's choice)
OUTSIDE_URL = re.compile(r"""(?:\bsrc\s*=\s*["']?|<link\b(?![^>]*\brel=["']?canonical)[^>]*\bhref\s*=\s*["']?"""
                         r"""|<a\b(?![^>]*\brel=["'][^"']*\bexternal\b)[^>]*\bhref\s*=\s*["']?"""
                         r"""|url\(\s*["']?)\s*(https?://(?!localhost[:/"'])[^\s"')>]+)""", re.IGNORECASE)
GOOGLE_FONTS = re.compile(r"fonts\.(googleapis|gstatic)\.com")


def build(tmp: Path, content: Path, name: str) -> Path:
    return mkdocs_build(tmp, content, name)


def write_content(tmp: Path) -> Path:
    """tmp/content: the hand-written pages and those of three reports (one whose checks all pass: a green
    box) and a file that could not be parsed."""
    clean = make_report_2019(agency="岭东区人民政府", source=make_source("reports/黑龙江省/双鸭山市/岭东区/岭东区.txt"),
                             checks=(CheckResult("applications.balance", "pass", "成立"),))  # a green box
    return write_reports_content(tmp, [make_report_2019(), make_report_2021(), clean], [make_failure()])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    content = write_content(tmp)
    return tmp, content, build(tmp, content, "site")


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_strict_build_publishes_the_report_pages(built):
    _, _, site = built
    page = (site / "reports/2023-淮安市洪泽区人民政府/index.html").read_text(encoding="utf-8")
    for number in ("1179", "5949.088667", "1200"):  # tables 三 and 四 leave out their cells' end tags, as HTML allows
        assert re.search(f">{re.escape(number)}(?:</td>|<td[ >]|</tr>)", page), number  # a cell may carry its anchor
    assert ">未知</abbr>" in page
    assert 'href="../../files/' in page and 'href="../../data/' in page
    assert (site / "files/2023-淮安市洪泽区人民政府/hongze_2023.pdf").is_file()
    assert (site / "files/浙江省-杭州市-scan-only-pdf/scan only.pdf").is_file()  # by its path under reports/
    assert (site / "data/all.json.zip").is_file()
    for page in ("index.html", "reports/index.html", "reports/浙江省-杭州市-scan-only-pdf/index.html", "add-report/index.html",
                 "data-format/index.html"):
        assert (site / page).is_file(), page
    legacy = (site / "reports/2020-平潭综合实验区/index.html").read_text(encoding="utf-8")
    assert re.search(r">-18(?:</td>|<td[ >])", legacy) and re.search(r">\+442(?:</td>|<td[ >])", legacy)


def test_every_link_of_every_page_reaches_a_page_or_file_of_the_site(built):
    """MkDocs checks Markdown's links; the smoke check also those of raw HTML (the long lists' tables,
    the 术语说明 links in table headers), and finds one that leads nowhere."""
    _, _, site = built
    files = site_files(site)
    pages = sorted(name for name in files if name.endswith(".html"))
    assert {name: dead_links(name, (site / name).read_text(encoding="utf-8"), files) for name in pages} \
        == dict.fromkeys(pages, [])
    year = (site / "years/2023/index.html").read_text(encoding="utf-8")
    assert '<td><a href="../../reports/2023-' in year  # the list's links are raw HTML
    broken = year.replace('href="../../reports/2023-', 'href="../reports/2023-', 1)
    assert len(dead_links("years/2023/index.html", broken, files)) == 1


def test_no_admonition_in_the_site_is_empty(built):
    _, _, site = built
    # the fixture puts 岭东区's report in another region's folder: its address carries that region
    page = site / "reports/2020-福建省-福州市-平潭综合实验区-岭东区人民政府/index.html"
    assert '<details class="success">' in page.read_text(encoding="utf-8")
    assert empty_admonitions(site) == []


def test_a_box_with_only_its_title_is_found(tmp_path):
    """The check itself: the empty green box of a report whose checks all passed, as it once rendered."""
    (tmp_path / "x.html").write_text('<div class="admonition success"><p class="admonition-title">数据质量</p></div>'
                                     '<details class="note"><summary>详情</summary><p>有内容</p></details>',
                                     encoding="utf-8")
    assert empty_admonitions(tmp_path) == ["x.html: 数据质量"]


def test_navigation_does_not_list_every_report(built):
    _, _, site = built
    page = (site / "add-report/index.html").read_text(encoding="utf-8")
    assert "全部年报" in page
    assert not re.search(r'href="[^"]*reports/20\d\d-', page)
    listing = (site / "reports/index.html").read_text(encoding="utf-8")
    assert re.search(r'href="[^"]*2023-%E6%B7%AE', listing)


def test_site_loads_nothing_from_other_hosts(built):
    _, _, site = built
    for path in site.rglob("*"):
        if path.suffix not in {".html", ".css", ".js", ".json"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not GOOGLE_FONTS.search(text), path
        if path.suffix != ".json":  # open data and the search index hold text, not links
            found = OUTSIDE_URL.findall(text)
            assert not found, f"{path}: {found[:3]}"


def search_fragments(site: Path, parts: str = "pagefind") -> list[dict]:
    """The pages as Pagefind indexed them: one gzipped JSON fragment each (url, content, meta.title), from
    the index folders of site/ that ``parts`` names (a glob: "pagefind*" for every part)."""
    fragments = []
    for path in sorted(site.glob(f"{parts}/fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        fragment = json.loads(data)
        fragment["content"] = fragment["content"].replace("\u200b", "")  # Pagefind's word boundaries
        fragments.append(fragment)
    return fragments


def test_search_is_set_up_for_chinese(built):
    _, _, site = built
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["zh"]  # from <html lang="zh">: Pagefind segments Chinese words
    assert (site / "pagefind/pagefind.js").is_file() and (site / "assets/javascripts/search.js").is_file()
    assert not (site / "search/search_index.json").exists()  # no one-file index: Material's search is off
    page = (site / "search/index.html").read_text(encoding="utf-8")
    assert 'id="portal-search"' in page and "search.js" in page


def test_building_twice_gives_identical_sites(built):
    tmp, content, site = built
    # sitemap.xml's <lastmod> and sitemap.xml.gz's mtime are the build date unless SOURCE_DATE_EPOCH is set
    assert tree_bytes(build(tmp, content, "site-again")) == tree_bytes(site)


def test_browse_pages_downloads_and_assets_are_built(built):
    _, _, site = built
    for page in ("agencies/index.html", "agencies/淮安市洪泽区人民政府/index.html", "regions/index.html",
                 "regions/江苏省/淮安市/洪泽区/index.html", "years/2023/index.html", "stats/index.html",
                 "quality/index.html", "downloads/index.html"):
        assert (site / page).is_file(), page
    for data in ("data/2023-长表.csv.zip", "data/all.json.zip", "data/2023-表三-依申请.csv",
                 "data/2023-年报数据.xlsx", "data/全部年度-年报数据.xlsx"):
        assert (site / data).is_file(), data
    assert (site / "assets/vendor/chartjs/chart.umd.js").is_file()
    stats = (site / "stats/index.html").read_text(encoding="utf-8")
    assert 'src="../assets/javascripts/charts.js"' in stats and "portal-chart" in stats
    assert "chart.umd.js" not in stats  # charts.js loads Chart.js only where a chart is (test_browser.py)
    assert "data-search-exclude" not in stats  # search_index.py turns it into data-pagefind-ignore


def test_table_numbers_stay_out_of_the_search_index(built):
    _, _, site = built
    fragments = search_fragments(site)
    text = " ".join(f["content"] for f in fragments)
    assert "1179" not in text and "5949.088667" not in text  # cells of the factory reports' tables
    urls = {f["url"] for f in fragments}
    assert "/agencies/淮安市洪泽区人民政府/" in urls  # the agency page, found by its name
    assert "/reports/2023-淮安市洪泽区人民政府/" in urls and "行政复议" in text
    assert "/reports/" not in urls and "/" not in urls  # list pages are left out of the index
    stats = (site / "stats/index.html").read_text(encoding="utf-8")
    assert "data-pagefind-ignore" in stats and "data-search-exclude" not in stats


def test_sitemap_lists_every_page_with_its_public_address(built):
    """site_url (PORTAL_SITE_URL, from the Publish workflow) gives sitemap.xml, canonical links and og:url."""
    _, _, site = built
    site_url = "https://portal.example.gov.cn/nianbao/"
    listed = set(re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text(encoding="utf-8")))
    pages = {site_url + quote(p.parent.relative_to(site).as_posix() + "/") if p.parent != site else site_url
             for p in site.rglob("index.html") if not p.relative_to(site).parts[0].startswith("pagefind")}
    assert listed == pages, sorted(pages ^ listed)[:5]
    report = next((site / "reports").glob("2023-*/index.html")).read_text(encoding="utf-8")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)"', report).group(1)
    assert canonical in listed and f'<meta property="og:url" content="{canonical}">' in report
    assert '<meta name="description" content="淮安市洪泽区人民政府 2023 年政府信息公开工作年度报告' in report


def test_nothing_hidden_is_searched(built):
    """Matching aids live in search metadata, never in hidden text that an excerpt could quote: no hidden
    element in a page's searched text (data-pagefind-body) but inside a part left out of it."""
    from lxml import html as lxml_html
    _, _, site = built
    bodies = 0
    for path in site.rglob("*.html"):
        tree = lxml_html.fromstring(path.read_bytes())
        for body in tree.xpath("//*[@data-pagefind-body]"):
            bodies += 1
            for element in body.xpath(".//*[@hidden]"):
                assert element.xpath("ancestor::*[@data-pagefind-ignore]"), (path, lxml_html.tostring(element)[:200])
    assert bodies >= 10


def test_navigation_does_not_list_agencies_or_regions(built):
    _, _, site = built
    page = (site / "stats/index.html").read_text(encoding="utf-8")
    assert not re.search(r'href="[^"]*agencies/%E6', page) and not re.search(r'href="[^"]*regions/%E6', page)


# ------------------------------------------------------------------ the search index in parts

def indexed_urls(site: Path, part: str) -> list[str]:
    return sorted(fragment["url"] for fragment in search_fragments(site, part))


@pytest.fixture(scope="module")
def parted(tmp_path_factory):
    """The site of ``built``'s reports with the search index in parts of 2 pages, built twice in a folder of
    its own: first with an empty cache, then with the parts of the first build in it."""
    tmp = tmp_path_factory.mktemp("parted")
    content = write_content(tmp)
    first, first_log = mkdocs_build_logged(tmp, content, "site", pages_per_index=2)
    again, again_log = mkdocs_build_logged(tmp, content, "site-again", pages_per_index=2)
    return content, (first, first_log), (again, again_log)


@pytest.mark.slow  # two strict builds with the index in parts (parted)
def test_a_large_site_is_indexed_in_parts_that_hold_every_page_once(built, parted):
    _, _, single = built
    _, (site, log), _ = parted
    merged = json.loads((site / "pagefind/shards.json").read_text(encoding="utf-8"))
    assert merged == [f"pagefind-{i}/" for i in range(1, len(merged) + 1)] and len(merged) >= 2
    parts = [indexed_urls(site, "pagefind")] + [indexed_urls(site, part.rstrip("/")) for part in merged]
    assert sorted(url for part in parts for url in part) == indexed_urls(single, "pagefind")
    for agency in ("平潭综合实验区", "淮安市洪泽区人民政府"):  # an agency's page and its reports change together
        assert any(f"/agencies/{agency}/" in part and any(u.startswith("/reports/") and agency in u for u in part)
                   for part in parts), parts
    assert f"index parts: {len(parts)}, unchanged ones from the cache: 0" in log
    assert json.loads((single / "pagefind/shards.json").read_text(encoding="utf-8")) == []  # small: one index
    for bundle in ("pagefind", *merged):
        assert not (site / bundle / "pagefind-ui.js").exists()  # search.js is the UI


@pytest.mark.slow  # two strict builds with the index in parts (parted)
def test_unchanged_parts_come_from_the_cache_as_indexing_would_write_them(parted):
    _, (site, _), (again, log) = parted
    parts = 1 + len(json.loads((site / "pagefind/shards.json").read_text(encoding="utf-8")))
    assert f"index parts: {parts}, unchanged ones from the cache: {parts}" in log
    assert tree_bytes(again) == tree_bytes(site)


@pytest.mark.slow  # two strict builds with the index in parts (parted)
def test_the_smoke_check_finds_a_part_of_the_index_missing(parted, tmp_path):
    _, (site, _), _ = parted
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    assert search_problems(copy) == []
    shutil.rmtree(copy / "pagefind-1")
    assert search_problems(copy) == [f"{copy}/pagefind-1/pagefind-entry.json is missing: a part of the search "
                                     f"index listed in {copy}/pagefind/shards.json"]


@pytest.mark.slow  # two strict builds with the index in parts (parted)
def test_a_changed_page_indexes_its_part_again_and_no_other(parted):
    content, (site, _), _ = parted
    tmp = content.parent
    parts = 1 + len(json.loads((site / "pagefind/shards.json").read_text(encoding="utf-8")))
    page = content / "reports" / "2023-淮安市洪泽区人民政府" / "index.md"
    text = page.read_text(encoding="utf-8")
    end = text.rindex("</div>")  # the end of the page's searched text (data-pagefind-body)
    page.write_text(text[:end] + "\n补充说明：本页有一处更正。\n\n" + text[end:], encoding="utf-8")
    changed, log = mkdocs_build_logged(tmp, content, "site-changed", pages_per_index=2)
    assert f"index parts: {parts}, unchanged ones from the cache: {parts - 1}" in log
    assert any("补充说明" in f["content"] for f in search_fragments(changed, "pagefind*"))
    assert not any("补充说明" in f["content"] for f in search_fragments(site, "pagefind*"))


# ------------------------------------------------------------------ `portal index` over a built site

@pytest.mark.slow  # Pagefind runs again over the site
def test_portal_index_over_a_site_built_without_the_plugin_writes_the_plugins_index(built):
    tmp, content, site = built
    bare = mkdocs_build(tmp, content, "site-bare", search=False)
    assert not (bare / "pagefind").exists()
    pages = tree_bytes(bare)
    marked = sum("data-pagefind-body" in p.read_text(encoding="utf-8") for p in bare.rglob("*.html"))
    assert marked == 23 and f"Pagefind indexed {marked} pages" in portal_index(bare, "--no-cache")  # with a third report and its agency; 术语说明, 对比, 排名 too
    indexed = tree_bytes(bare)
    assert {path: data for path, data in indexed.items() if not path.startswith("pagefind")} == pages  # read only
    assert indexed == tree_bytes(site)  # what `mkdocs build` writes with the portal-search plugin
    portal_index(bare, "--no-cache")
    assert tree_bytes(bare) == indexed  # indexing again changes nothing


@pytest.mark.slow  # Pagefind runs again over the site
def test_portal_index_in_parts_uses_its_cache_and_says_so(built, tmp_path):
    _, _, site = built
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    cache = tmp_path / "cache"
    first = portal_index(copy, "--pages-per-index", "2", "--cache", str(cache))
    parts = 1 + len(json.loads((copy / "pagefind/shards.json").read_text(encoding="utf-8")))
    assert parts >= 3 and f"index parts: {parts}, unchanged ones from the cache: 0" in first
    indexed = tree_bytes(copy)
    again = portal_index(copy, "--pages-per-index", "2", "--cache", str(cache))  # site/ holds them
    assert f"index parts: {parts}, unchanged ones from the cache: 0, kept in site/: {parts}" in again
    assert tree_bytes(copy) == indexed
    assert len(list((cache / "parts").iterdir())) == parts  # a copy of each, for a site built clean
    for part in copy.glob("pagefind*"):
        shutil.rmtree(part)
    third = portal_index(copy, "--pages-per-index", "2", "--cache", str(cache))
    assert f"index parts: {parts}, unchanged ones from the cache: {parts}, kept in site/: 0" in third
    assert tree_bytes(copy) == indexed


@pytest.mark.slow  # Pagefind runs again over the site
def test_a_part_is_kept_in_site_only_as_the_last_index_left_it(built, tmp_path):
    """The cache records which part site/ holds; an index stopped half-way leaves no record, and a part
    whose pages changed is indexed again."""
    _, _, site = built
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    cache = tmp_path / "cache"
    portal_index(copy, "--pages-per-index", "2", "--cache", str(cache))
    indexed = tree_bytes(copy)
    records = list(cache.glob("site-*.json"))
    assert len(records) == 1
    records[0].unlink()  # as an index stopped half-way leaves it
    out = portal_index(copy, "--pages-per-index", "2", "--cache", str(cache))
    assert "kept in site/: 0" in out and tree_bytes(copy) == indexed
    page = copy / "reports/2023-淮安市洪泽区人民政府/index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("行政复议", "行政复查"), encoding="utf-8")
    parts = 1 + len(json.loads((copy / "pagefind/shards.json").read_text(encoding="utf-8")))
    out = portal_index(copy, "--pages-per-index", "2", "--cache", str(cache))
    assert f"unchanged ones from the cache: 0, kept in site/: {parts - 1}" in out
    assert any("行政复查" in f["content"] for f in search_fragments(copy, "pagefind*"))


@pytest.mark.slow  # Pagefind runs again over the site
def test_the_index_reads_a_page_again_when_its_size_or_time_changed(built, tmp_path):
    """The cache notes each page's digest with its size and modification time: a page with both as noted
    is not read again (so the index does not see a change made behind that), one with either changed is,
    and one written in the last seconds before the noting is not noted."""
    _, _, site = built
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    settled = time.time() - 60
    for path in copy.rglob("*.html"):
        os.utime(path, (settled, settled))
    cache = tmp_path / "cache"
    portal_index(copy, "--cache", str(cache))
    page = copy / "reports/2023-淮安市洪泽区人民政府/index.html"
    noted = json.loads((cache / "pages.json").read_text(encoding="utf-8"))
    assert noted["reports/2023-淮安市洪泽区人民政府/index.html"][2] and noted["index.html"][2] == ""  # not indexed
    text = page.read_text(encoding="utf-8")
    assert "行政复议" in text
    page.write_text(text.replace("行政复议", "行政复查"), encoding="utf-8")  # the same size
    os.utime(page, (settled, settled))  # and the same time: taken for the page noted
    portal_index(copy, "--cache", str(cache))
    assert not any("行政复查" in f["content"] for f in search_fragments(copy))
    page.write_text(text.replace("行政复议", "行政复查"), encoding="utf-8")  # a new time
    portal_index(copy, "--cache", str(cache))
    assert any("行政复查" in f["content"] for f in search_fragments(copy))
    noted = json.loads((cache / "pages.json").read_text(encoding="utf-8"))
    assert "reports/2023-淮安市洪泽区人民政府/index.html" not in noted  # written just now: read again next time


def test_portal_index_refuses_a_folder_that_is_no_built_site(tmp_path):
    result = subprocess.run([sys.executable, "-m", "builder", "index", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 1 and f"{tmp_path}/index.html is missing: build the site first" in result.stderr


@pytest.mark.slow  # a Zensical build
def test_a_site_built_by_zensical_is_indexed_and_passes_the_smoke_check(built, tmp_path):
    """What the Publish workflow's Zensical job does: `zensical build` reads our mkdocs.yml, then
    `portal index site` and `portal smoke site` (the job may fail while Zensical is young; here too it
    runs only where Zensical is installed: `pip install zensical`). The search is MkDocs' to the byte."""
    spec = importlib.util.find_spec("zensical")
    if spec is None or Path(spec.origin or "").parent == ROOT / "benchmarks":  # benchmarks/zensical.py, on sys.path
        pytest.skip("Zensical is not installed (pip install zensical)")  # once a browser test ran a benchmark
    _, _, mkdocs_site = built
    content = write_content(tmp_path)
    reports = tmp_path / "reports-listed"
    for page in (content / "reports").glob("*/index.md"):
        (reports / page.parent.name).mkdir(parents=True)
        (reports / page.parent.name / "report.txt").write_text("x", encoding="utf-8")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)  # docs_dir content/ and site_dir site/ beside it
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")  # theme.custom_dir
    result = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict"], capture_output=True, text=True,
                            cwd=tmp_path, env={**os.environ, **PUBLISH_ENV})
    assert result.returncode == 0, result.stdout + result.stderr
    portal_index(tmp_path / "site", "--no-cache")
    index = {path: data for path, data in tree_bytes(tmp_path / "site").items() if path.startswith("pagefind")}
    assert index == {path: data for path, data in tree_bytes(mkdocs_site).items() if path.startswith("pagefind")}
    # the footer's date file (an extra template), written by Zensical too
    assert 'window.portalUpdated = "1700000000";' in (tmp_path / "site/updated.js").read_text(encoding="utf-8")
    fragments = search_fragments(tmp_path / "site")
    text = " ".join(f["content"] for f in fragments)
    assert "/agencies/淮安市洪泽区人民政府/" in {f["url"] for f in fragments} and "行政复议" in text
    assert "1179" not in text  # the number tables stay out of the index with Zensical too
    smoke = subprocess.run([sys.executable, "-m", "builder", "smoke", str(tmp_path / "site"), "--reports", str(reports)],
                           capture_output=True, text=True)
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
