"""The built site of the sample reports in a real browser (Debian's chromium driven by playwright).

Checks what a citizen sees: counts, a report's numbers, search by agency name and by phrase, a chart
drawn on a canvas, no console error, no request to any host but the local server, nothing wider than
a phone. Saves screenshots of home, a report page and statistics at desktop and phone width into
tests/output/screenshots/ for a person to look at.
"""
from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import zipfile
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from site_helpers import ROOT, copy_hand_written, mkdocs_build, portal_build

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.is_file():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)",
                allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="browser tests need playwright (pip install playwright)")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "tests" / "output" / "screenshots"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 375, "height": 740}
REPORT = "2020-牡丹江市爱民区人民政府"  # has a known table and an unknown cell


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    content = tmp / "content"
    copy_hand_written(content)
    portal_build(Path("reports"), content)
    return mkdocs_build(tmp, content, "site")


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


class Watched:
    """A page whose console errors, page errors and outside requests are recorded."""

    def __init__(self, browser, viewport: dict):
        self.context = browser.new_context(viewport=viewport, service_workers="block")
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self.route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def route(self, route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="networkidle")

    def check(self) -> None:
        assert not self.outside, f"requests to other hosts: {self.outside}"
        assert not self.errors, f"console errors: {self.errors}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def desktop(browser):
    watched = Watched(browser, DESKTOP)
    yield watched
    watched.check()
    watched.close()


def all_data(site: Path) -> dict:
    with zipfile.ZipFile(site / "data/all.json.zip") as archive:
        return json.loads(archive.read("all.json").decode("utf-8"))


def url_of(server: str, path: str) -> str:
    return server + quote(path)


def test_home_shows_the_counts_of_the_sample_reports(site, server, desktop):
    data = all_data(site)
    reports = data["reports"]
    agencies = {(tuple(r["region"]), r["agency"]) for r in reports}
    desktop.open(server)
    counts = desktop.page.locator(".portal-counts").inner_text()
    assert f"年报 {len(reports)} 份" in counts
    assert f"机关 {len(agencies)} 个" in counts
    received = sum(r["tables"]["applications"]["new_received"]["total"] for r in reports)
    totals = desktop.page.locator("table", has_text="本年新收申请").first.inner_text()
    assert f"本年新收申请\t{received}\t{len(reports)} 份年报" in totals


def test_a_report_page_shows_its_table_with_the_right_numbers(site, server, desktop):
    data = json.loads((site / f"data/{REPORT}.json").read_text(encoding="utf-8"))
    desktop.open(url_of(server, f"reports/{REPORT}/"))
    assert "牡丹江市爱民区人民政府" in desktop.page.locator("h1").inner_text()
    table = desktop.page.locator("table", has_text="申请人情况")
    row = table.locator("tr", has_text="一、本年新收政府信息公开申请数量").inner_text().split("\t")
    expected = data["tables"]["applications"]["new_received"]
    assert row[1:] == [str(v) for v in expected.values()]
    forward = table.locator("tr", has_text="四、结转下年度继续办理").inner_text()
    assert "未知" in forward  # an unknown cell, never 0
    assert desktop.page.locator("a", has_text="下载原文件").count() == 1


RESULTS = ".portal-search__results"  # search.js's results: the ARIA live region


def shown_for(query: str) -> str:
    """The result links once search.js has shown the results of this query (it marks them data-query)."""
    return f'{RESULTS}[data-query="{query}"] .portal-search__link'


def search(watched: Watched, query: str) -> list[str]:
    """Types a query on the search page (search.js over Pagefind's index, served from the site) and returns the result links."""
    page = watched.page
    box = page.locator("input.portal-search__input")
    box.wait_for(timeout=15000)
    box.fill(query)
    page.locator(shown_for(query)).first.wait_for(timeout=15000)
    page.wait_for_load_state("networkidle")
    return page.locator(shown_for(query)).evaluate_all("els => els.map(e => e.href)")


def open_search(watched: Watched, server: str) -> None:
    """The search page, reached from the home page through Material's instant navigation."""
    watched.open(server)
    watched.page.locator("nav.md-nav--primary a", has_text="搜索").first.click()
    watched.page.locator("input.portal-search__input").wait_for(timeout=15000)


def test_searching_an_agency_name_finds_its_pages(server, desktop):
    open_search(desktop, server)
    hrefs = search(desktop, "岭东区经济合作促进局")
    wanted = quote("岭东区经济合作促进局")
    assert any(f"agencies/{wanted}/" in h or f"reports/2020-{wanted}/" in h for h in hrefs[:3]), hrefs


def test_searching_a_phrase_finds_the_reports_containing_it(server, desktop):
    open_search(desktop, server)
    hrefs = search(desktop, "行政复议")
    assert any("/reports/2020-" in h for h in hrefs), hrefs
    hrefs = search(desktop, "依申请公开")
    assert any("/reports/2020-" in h for h in hrefs), hrefs


def test_the_search_page_shows_counts_highlights_and_keeps_the_query_in_the_address(server, desktop):
    page = desktop.page
    open_search(desktop, server)
    assert page.evaluate("() => document.activeElement.id") == "portal-search-input"
    assert page.locator(RESULTS).get_attribute("aria-live") == "polite"
    search(desktop, "行政复议")
    assert "q=" + quote("行政复议") in page.url  # typing updates the address, so the page can be shared
    count = page.locator(".portal-search__status").inner_text()
    assert count.startswith("找到 ") and count.endswith(" 个结果"), count
    excerpt = page.locator(".portal-search__result .portal-search__excerpt").first
    assert excerpt.locator("mark").count() >= 1
    # only text and <mark> come from the index into the page
    assert excerpt.evaluate("p => [...p.querySelectorAll('*')].every(e => e.tagName === 'MARK')")
    page.locator("input.portal-search__input").fill("qzxjvwkq")
    page.locator(f'{RESULTS}[data-query="qzxjvwkq"]').wait_for(timeout=15000)
    assert page.locator(".portal-search__result").count() == 0
    assert "没有找到" in page.locator(".portal-search__status").inner_text()
    page.locator("input.portal-search__input").fill("")
    page.wait_for_function("() => !new URL(location.href).searchParams.has('q')")


HOSTILE_PAGEFIND = """
export async function options() {}
export async function search() {
  const bad = '<img src=x onerror="window.injected=1">';
  return {results: [{data: async () => ({
    url: "/reports/x/", meta: {title: bad + "标题"}, excerpt: "甲<mark>乙</mark>" + bad + "&lt;b&gt;丙",
    sub_results: [{url: "/reports/x/#a", title: bad + "一、总体情况", excerpt: bad + "<mark>丁</mark>", locations: [1]}]
  })}]};
}
"""


def test_search_results_never_turn_page_text_into_markup(server, desktop):
    """Whatever Pagefind hands over (here a stand-in pagefind.js), only text and <mark> reach the page."""
    desktop.page.route("**/pagefind/pagefind.js", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body=HOSTILE_PAGEFIND))
    desktop.open(url_of(server, "search/") + "?q=" + quote("乙"))
    desktop.page.locator(shown_for("乙")).first.wait_for(timeout=15000)
    result = desktop.page.locator(".portal-search__result")
    assert result.locator("img").count() == 0
    assert result.locator("mark").count() == 2
    assert result.locator(".portal-search__link").inner_text() == '<img src=x onerror="window.injected=1">标题'
    assert desktop.page.evaluate("() => window.injected") is None


QUERIES = json.loads((ROOT / "tests" / "search_queries.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", QUERIES["queries"], ids=[q["query"] for q in QUERIES["queries"]])
def test_the_query_set_finds_its_pages(server, desktop, case):
    """tests/search_queries.json: each query, opened as search/?q=…, lists the pages it must find."""
    desktop.open(url_of(server, "search/") + "?q=" + quote(case["query"]))
    links = desktop.page.locator(shown_for(case["query"]))
    links.first.wait_for(timeout=15000)
    desktop.page.wait_for_load_state("networkidle")
    more = desktop.page.locator("button.portal-search__more:visible")
    while more.count():  # "显示更多": the next results
        shown = links.count()
        more.click()
        desktop.page.wait_for_function(f"() => document.querySelectorAll('.portal-search__result').length > {shown}")
        desktop.page.wait_for_load_state("networkidle")
    hrefs = [h.removeprefix(server) for h in links.evaluate_all("els => els.map(e => e.href)")]
    for wanted in case["must_find"]:
        assert quote(wanted) in hrefs, f"{case['query']}: {wanted} not among {hrefs}"
    for unwanted in case.get("must_not_find", []):
        assert quote(unwanted) not in hrefs, f"{case['query']}: {unwanted} found"


def test_search_requests_stay_small_and_local(server, desktop):
    """One query fetches Pagefind's script, its index chunks and the results' fragments, all from this site."""
    sizes = search_downloads(desktop, server, "行政复议")
    assert any(u.endswith(".pf_index") for u in sizes) and any(u.endswith(".pf_fragment") for u in sizes)
    assert not any("pagefind-ui" in u for u in sizes), sizes  # our own UI, not Pagefind's
    assert sum(sizes.values()) <= 500_000, sizes


SEARCH_FILES = re.compile(r"/pagefind(-\d+)?/")  # the search index: pagefind/, and its other parts


def search_downloads(watched: Watched, server: str, query: str) -> dict[str, int]:
    """{URL: bytes} of every search index file the search page fetched to show one query's results."""
    sizes: dict[str, int] = {}
    watched.page.on("requestfinished", lambda r: SEARCH_FILES.search(r.url) and sizes.setdefault(
        r.url, len(r.response().body())))
    watched.open(url_of(server, "search/") + "?q=" + quote(query))
    watched.page.locator(shown_for(query)).first.wait_for(timeout=30000)
    watched.page.wait_for_load_state("networkidle")
    return sizes


CANVAS_PAINTED = """canvas => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  return canvas.width > 0 && canvas.height > 0 && painted > 100;
}"""


def test_charts_render_also_after_instant_navigation(server, desktop):
    desktop.open(url_of(server, "stats/"))
    canvases = desktop.page.locator(".portal-chart canvas")
    assert canvases.count() >= 2
    for i in range(canvases.count()):
        assert canvases.nth(i).evaluate(CANVAS_PAINTED)
    # Material's instant navigation swaps the page without reloading the scripts
    desktop.open(url_of(server, "add-report/"))
    desktop.page.locator("nav.md-nav--primary a", has_text="首页").first.click()
    desktop.page.locator(".portal-chart canvas").first.wait_for()
    desktop.page.wait_for_function("() => !!Chart.getChart(document.querySelector('.portal-chart canvas'))")
    assert desktop.page.locator(".portal-chart canvas").first.evaluate(CANVAS_PAINTED)


def test_every_page_type_loads_without_errors_or_outside_requests(site, server, desktop):
    pages = ["", "reports/", f"reports/{REPORT}/", "agencies/", "agencies/牡丹江市爱民区人民政府/",
             "regions/", "regions/黑龙江省/", "years/", "years/2020/", "stats/", "quality/", "downloads/", "search/",
             "add-report/", "data-format/"]
    for path in pages:
        assert (site / path / "index.html").is_file(), path
        desktop.open(url_of(server, path))
        assert desktop.page.locator("h1").count() == 1, path
    desktop.check()


@pytest.mark.parametrize("name,path", [("home", ""), ("report", f"reports/{REPORT}/"), ("stats", "stats/")])
@pytest.mark.parametrize("width,viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_and_nothing_wider_than_the_screen(browser, server, name, path, width, viewport):
    watched = Watched(browser, viewport)
    try:
        watched.open(url_of(server, path))
        overflow = watched.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than a {viewport['width']}px screen"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        watched.page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        watched.check()
    finally:
        watched.close()


# ------------------------------------------------------------------ search quality at 1,000 reports

@pytest.fixture(scope="module")
def server_1000(tmp_path_factory):
    """The sample reports and 995 generated ones (benchmarks/scale.py, text formats), built with the search
    index in parts, and served."""
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from scale import make_report

    tmp = tmp_path_factory.mktemp("search1000")
    reports = tmp / "reports"
    shutil.copytree(ROOT / "reports", reports)
    for i in range(QUERIES["at_scale"]["generated"]):
        make_report(reports, i, texts_only=True)
    content = tmp / "content"
    copy_hand_written(content)
    portal_build(reports, content)
    site = mkdocs_build(tmp, content, "site", QUERIES["at_scale"]["pages_per_index"])
    assert len(json.loads((site / "pagefind/shards.json").read_text(encoding="utf-8"))) >= 2  # merged parts
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


def results_for(watched: Watched, server: str, query: str, everything: bool = False) -> tuple[int, list[str]]:
    """(the result count search.js reports, the result paths shown: the first 10, or all of them)."""
    page = watched.page
    watched.open(url_of(server, "search/") + "?q=" + quote(query))
    links = page.locator(shown_for(query))
    links.first.wait_for(timeout=30000)
    page.wait_for_load_state("networkidle")
    more = page.locator("button.portal-search__more:visible")
    while everything and more.count():
        shown = links.count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('.portal-search__result').length > {shown}")
        page.wait_for_load_state("networkidle")
    count = int(page.locator(".portal-search__status").inner_text().removeprefix("找到 ").split()[0])
    return count, [h.removeprefix(server) for h in links.evaluate_all("els => els.map(e => e.href)")]


@pytest.mark.parametrize("case", QUERIES["at_scale"]["queries"], ids=[q["query"] for q in QUERIES["at_scale"]["queries"]])
def test_the_query_set_at_1000_reports(server_1000, desktop, case):
    count, paths = results_for(desktop, server_1000, case["query"], everything="all_results" in case)
    for wanted in case.get("first_10", []):
        assert quote(wanted) in paths[:10], f"{case['query']}: {wanted} not in the first 10 of {count}: {paths[:10]}"
    for wanted in case.get("all_results", []):
        assert quote(wanted) in paths, f"{case['query']}: {wanted} not among all {count} results"
    assert count >= case.get("min_results", 1)


def test_a_query_fetches_every_part_of_the_index_and_stays_small(server_1000, desktop):
    sizes = search_downloads(desktop, server_1000, "行政复议")
    parts = {SEARCH_FILES.search(u).group(0) for u in sizes if "pagefind-entry.json" in u}
    assert len(parts) >= 3, sorted(sizes)  # pagefind/ and the parts it merges
    assert sum(sizes.values()) <= 500_000, sizes


def test_a_generated_agency_is_found_first_among_1000_reports(server_1000, desktop):
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from scale import agency_of

    _, name = agency_of(7)
    _, paths = results_for(desktop, server_1000, name)
    assert quote(f"agencies/{name}/") in paths[:3], paths[:10]
