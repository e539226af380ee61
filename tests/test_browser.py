"""The built site of the sample reports in a real browser (Debian's chromium driven by playwright).

Checks what a citizen sees: counts, a report's numbers, search by agency name and by phrase, a chart
drawn on a canvas, no console error, no request to any host but the local server, nothing wider than
a phone. Saves screenshots of home, a report page and statistics at desktop and phone width into
tests/output/screenshots/ for a person to look at.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import quote, quote_plus, unquote, urlsplit

import pytest
from site_helpers import ROOT, copy_hand_written, mkdocs_build, portal_build, served

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.is_file():
    pytest.skip("browser tests need Debian's chromium at /usr/bin/chromium (apt-get install -y chromium)",
                allow_module_level=True)
playwright_api = pytest.importorskip("playwright.sync_api",
                                     reason="browser tests need playwright (pip install playwright)")

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "tests" / "output" / "screenshots"
DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
REPORT = "2020-牡丹江市爱民区人民政府"  # has a known table and an unknown cell


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    content = tmp / "content"
    copy_hand_written(content)
    portal_build(Path("reports"), content)
    return mkdocs_build(tmp, content, "site")


@pytest.fixture(scope="module")
def server(site):
    with served(site) as address:
        yield address


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


def report_slugs(site: Path, agency: str, year: int) -> list[str]:
    """The page names of an agency's reports of a year, from the reports list."""
    rows = list(csv.reader(io.StringIO((site / "data/年报清单.csv").read_text(encoding="utf-8-sig"))))
    return [r[0] for r in rows[2:] if dict(zip(rows[1], r))["agency"] == agency and r[rows[1].index("year")] == str(year)]


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
    # each year on its own (render/policy.py), with its report count; the aggregation policy
    # (render/status.py): a figure the report's own figures contradict is left out of its year's total,
    # which is then a lower bound; 爱民区's 3 (its prose says 受理 1 件: 正文另述) counts
    path = "applications.new_received.total"
    totals = desktop.page.locator("table", has_text="本年新收申请").first.inner_text()
    for year in {r["year"] for r in reports}:
        mine = [r for r in reports if r["year"] == year]
        contradicted = [r for r in mine if any(path in f["cells"] for c in r["checks"] for f in c["failures"])]
        received = sum(r["tables"]["applications"]["new_received"]["total"] for r in mine if r not in contradicted)
        assert re.search(rf"{year} 年\t{len(mine)} 份\t{'≥' if contradicted else ''}{received}\b", totals), totals


def test_a_report_page_shows_its_table_with_the_right_numbers(site, server, desktop):
    data = json.loads((site / f"data/{REPORT}.json").read_text(encoding="utf-8"))
    desktop.open(url_of(server, f"reports/{REPORT}/"))
    assert "牡丹江市爱民区人民政府" in desktop.page.locator("h1").inner_text()
    table = desktop.page.locator("table", has_text="申请人情况")
    row = table.locator("tr", has_text="一、本年新收政府信息公开申请数量").inner_text().split("\t")
    expected = data["tables"]["applications"]["new_received"]
    contradicted = {cell for c in data["checks"] for f in c["failures"] for cell in f["cells"]}
    differs = {cell for d in data["prose_differences"] for cell in d["cells"]}
    # as printed; a cell whose figure the prose restates otherwise (its total 3, against its prose's 受理 1 件)
    # carries 正文另述: a note, not ⚠不符 (render/status.py)
    assert [re.sub(r"注\d+$", "", cell) for cell in row[1:]] == [
        str(v) + ("⚠不符" if f"applications.new_received.{k}" in contradicted else "")
        + ("正文另述" if f"applications.new_received.{k}" in differs else "") for k, v in expected.items()]
    assert "applications.new_received.total" in differs and "applications.new_received.total" not in contradicted
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
export async function filters() { return {}; }
export async function search() {
  const bad = '<img src=x onerror="window.injected=1">';
  return {results: [{data: async () => ({
    url: "/reports/x/", meta: {title: bad + "标题"}, content: "甲乙丙" + bad, excerpt: "甲<mark>乙</mark>" + bad + "&lt;b&gt;丙",
    sub_results: [{url: "/reports/x/#a", title: bad + "一、总体情况", excerpt: bad + "<mark>丁</mark>乙", locations: [1]}]
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


def all_results(watched: Watched, server: str, query: str) -> list[dict]:
    """Every result search/?q=… shows (显示更多 until it is gone): its path, title, facts and excerpts."""
    page = watched.page
    watched.open(url_of(server, "search/") + "?q=" + quote(query))
    page.locator(f'{RESULTS}[data-query="{query}"]').wait_for(timeout=15000)
    page.wait_for_load_state("networkidle")
    more = page.locator("button.portal-search__more:visible")
    while more.count():
        shown = page.locator(".portal-search__result").count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('.portal-search__result').length > {shown}")
        page.wait_for_load_state("networkidle")
    return page.locator(".portal-search__result").evaluate_all("""items => items.map(item => ({
        path: new URL(item.querySelector('.portal-search__link').href).pathname.slice(1),
        text: item.innerText,
        excerpts: [...item.querySelectorAll('.portal-search__excerpt')].map(p => p.textContent)}))""")


def letters(text: str) -> str:
    """Only the letters and digits of a text: what an excerpt shares with its page however it is cut."""
    return "".join(ch for ch in text if ch.isalnum())


@pytest.mark.parametrize("case", QUERIES["queries"], ids=[q["query"] for q in QUERIES["queries"]])
def test_the_query_set_finds_its_pages(server, desktop, case):
    """tests/search_queries.json: each query, opened as search/?q=…, lists its pages first, never the pages
    or words it must not show; a query for words in no page finds nothing."""
    results = all_results(desktop, server, case["query"])
    paths = [r["path"] for r in results]
    if case.get("no_results"):
        assert not results, f"{case['query']}: {paths}"
        assert "没有找到" in desktop.page.locator(".portal-search__status").inner_text()
        return
    first = paths[:len(case["first"]) + 2]
    for wanted in case["first"]:
        assert quote(wanted) in first, f"{case['query']}: {wanted} not among the first results {first}"
    for unwanted in case.get("must_not_find", []):
        assert quote(unwanted) not in paths, f"{case['query']}: {unwanted} found"
    for words in case.get("must_not_show", []):
        assert not any(words in r["text"] for r in results), f"{case['query']}: shows {words!r}"


def test_no_excerpt_shows_words_its_page_does_not(server, desktop, browser):
    """Every excerpt of the committed query set is text that its page shows: no hidden matching words."""
    pages: dict[str, str] = {}
    reader = Watched(browser, DESKTOP)
    try:
        for case in QUERIES["queries"]:
            for result in all_results(desktop, server, case["query"]):
                if result["path"] not in pages:
                    reader.open(server + result["path"])
                    pages[result["path"]] = letters(reader.page.locator("article").inner_text())
                for excerpt in result["excerpts"]:  # blocks apart: tables between them are not indexed
                    for piece in re.split(r"[\s…；]+", excerpt):
                        assert letters(piece) in pages[result["path"]], (case["query"], result["path"], piece)
        reader.check()
    finally:
        reader.close()
    assert len(pages) >= 10


def test_a_query_with_a_year_no_report_has_says_which_years_have_results(server, desktop):
    results = all_results(desktop, server, "爱民区 2023")
    assert not results
    hint = desktop.page.locator(".portal-search__hint").inner_text()
    assert "没有 2023 年的结果" in hint and "2020 年" in hint, hint
    desktop.page.locator("button.portal-search__year", has_text="2020 年").click()
    desktop.page.locator(f'{RESULTS}[data-query="爱民区 2020"] .portal-search__link').first.wait_for(timeout=15000)
    assert "q=" + quote_plus("爱民区 2020") in desktop.page.url


def test_results_show_agency_year_region_and_figures_and_filter_by_year_level_template(server, desktop):
    results = all_results(desktop, server, "牡丹江市爱民区人民政府")
    report = next(r for r in results if r["path"] == quote(f"reports/{REPORT}/"))
    assert "2020 年" in report["text"] and "黑龙江省 / 牡丹江市 / 爱民区" in report["text"]
    # its prose's 受理 1 件 against its 3 is 正文另述, not a contradiction; its 办理总计 0 is contradicted
    assert "新收申请 3 件" in report["text"] and "办理总计 0（不符） 件" in report["text"]
    page = desktop.page
    for name, value in (("year", "2020"), ("level", "县级"), ("template", "2019 版")):
        assert value in page.locator(f"select[name={name}] option").all_inner_texts(), name
    page.locator("select[name=level]").select_option("省级")
    page.wait_for_function("() => new URL(location.href).searchParams.get('level') === '省级'")
    page.locator(f'{RESULTS}[aria-busy]').wait_for(state="detached", timeout=15000)
    assert "没有找到" in page.locator(".portal-search__status").inner_text()  # the agency is a county's


@pytest.mark.parametrize("path", ["", "reports/", f"reports/{REPORT}/", "agencies/牡丹江市爱民区人民政府/",
                                  "regions/黑龙江省/", "years/2020/", "stats/", "downloads/", "data-format/"])
def test_the_header_searches_from_every_page(server, desktop, path):
    page = desktop.page
    desktop.open(url_of(server, path))
    field = page.locator("input.portal-header-search__input")
    assert field.is_visible()
    page.locator("body").press("/")  # Material's shortcut: to the search field
    assert page.evaluate("() => document.activeElement.id") == "portal-header-search-input"
    page.keyboard.type("行政复议")
    page.keyboard.press("Enter")
    page.locator(shown_for("行政复议")).first.wait_for(timeout=15000)
    assert urlsplit(page.url).path.endswith("/search/")


def test_the_header_search_on_a_phone_and_the_home_page_box(browser, server):
    phone = Watched(browser, PHONE)
    try:
        phone.open(server)
        assert not phone.page.locator("input.portal-header-search__input").is_visible()
        phone.page.locator("button.portal-header-search__button").click()
        phone.page.locator("input.portal-search__input").wait_for(timeout=15000)
        assert phone.page.evaluate("() => document.activeElement.id") == "portal-search-input"
        phone.open(server)
        box = phone.page.locator("form.portal-home-search input[name=q]")
        box.fill("爱民区")
        box.press("Enter")
        phone.page.locator(shown_for("爱民区")).first.wait_for(timeout=15000)
        overflow = phone.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        phone.check()
    finally:
        phone.close()


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
    desktop.page.locator("nav.md-nav--primary a", has_text="统计").first.click()  # the home page has no chart now
    desktop.page.locator(".portal-chart canvas").first.wait_for()
    # Chart.js loads after the canvas appears: until then `Chart` is not defined (a loaded machine shows it)
    desktop.page.wait_for_function(
        "() => typeof Chart !== 'undefined' && !!Chart.getChart(document.querySelector('.portal-chart canvas'))")
    assert desktop.page.locator(".portal-chart canvas").first.evaluate(CANVAS_PAINTED)


def test_every_page_type_loads_without_errors_or_outside_requests(site, server, desktop):
    pages = ["", "reports/", f"reports/{REPORT}/", "agencies/", "agencies/牡丹江市爱民区人民政府/",
             "regions/", "regions/黑龙江省/", "years/", "years/2020/", "stats/", "quality/", "downloads/", "search/",
             "add-report/", "data-format/", "glossary/", "compare/", "rankings/", "rankings/2020/denial_rate/"]
    for path in pages:
        assert (site / path / "index.html").is_file(), path
        desktop.open(url_of(server, path))
        assert desktop.page.locator("h1").count() == 1, path
    desktop.check()


SCREENS = [("home", ""), ("report", f"reports/{REPORT}/"), ("search", "search/?q=" + quote("行政复议")),
           ("stats", "stats/"), ("year", "years/2020/"),
           ("compare", "compare/?a=" + quote_plus("牡丹江市爱民区人民政府") + "&a=" + quote_plus("岭东区人民政府") + "&m=received"),
           ("ranking", "rankings/2020/denial_rate/")]


@pytest.mark.parametrize("name,path", SCREENS, ids=[n for n, _ in SCREENS])
@pytest.mark.parametrize("width,viewport", [("desktop", DESKTOP), ("phone", PHONE)])
def test_screenshots_and_nothing_wider_than_the_screen(browser, server, name, path, width, viewport):
    """Screenshots at 1366 and 390 px for a person to look at (tests/output/screenshots/)."""
    watched = Watched(browser, viewport)
    try:
        watched.open(url_of(server, path) if "?" not in path else server + path)
        if name == "search":
            watched.page.locator(shown_for("行政复议")).first.wait_for(timeout=15000)
        if name == "compare":
            watched.page.locator(".portal-compare__result table tbody tr").first.wait_for(timeout=15000)
        overflow = watched.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than a {viewport['width']}px screen"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        watched.page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        watched.check()
    finally:
        watched.close()


LABEL_IN_VIEW = """([scroller, label]) => {
  const box = scroller.getBoundingClientRect(), cell = label.getBoundingClientRect();
  const x = cell.left + Math.min(cell.width / 2, 20), y = cell.top + cell.height / 2;
  const top = document.elementFromPoint(x, y);
  return cell.left >= box.left - 1 && cell.right <= box.right + 1 && (top === label || label.contains(top));
}"""


def test_table_three_keeps_its_labels_in_view_when_scrolled_to_the_total_on_a_phone(browser, server):
    phone = Watched(browser, PHONE)
    try:
        phone.open(url_of(server, f"reports/{REPORT}/"))
        table = phone.page.locator("table.portal-applications")
        scroller = table.locator("xpath=..")
        assert phone.page.locator(".portal-scroll-hint").first.is_visible()  # the cue that it scrolls
        assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")  # too wide for the phone
        scroller.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        total = table.locator("thead th", has_text="总计").first
        assert total.evaluate("""th => { const b = th.closest('div').getBoundingClientRect(), r = th.getBoundingClientRect();
                                         return r.left >= b.left - 1 && r.right <= b.right + 1; }""")
        handle = scroller.element_handle()
        for text in ("一、本年新收政府信息公开申请数量", "（三）不予公开", "1.属于国家秘密", "四、结转下年度继续办理"):
            label = table.locator("tbody th", has_text=text).first
            label.evaluate("el => window.scrollTo(0, window.scrollY + el.getBoundingClientRect().top - 300)")
            assert phone.page.evaluate(LABEL_IN_VIEW, [handle, label.element_handle()]), text
        # table 四: turned for the phone, nothing cut off
        assert not phone.page.locator("table.portal-review").is_visible()
        turned = phone.page.locator("table.portal-review-turned")
        assert turned.is_visible() and turned.locator("tbody tr").count() == 5
        assert turned.evaluate("t => t.closest('div').scrollWidth <= t.closest('div').clientWidth")
        phone.check()
    finally:
        phone.close()


def test_lists_show_status_marks_not_words_that_break(server, desktop):
    desktop.open(server)
    # each kind apart, with its count and unit, in words a phone shows without a tooltip (render/site.py)
    marks = desktop.page.locator(".portal-status").all_inner_texts()
    item = r"(⚠不符|无法核对|未知|正文另述|更正|提示) \d+ [项格处条]"
    assert marks and all(m == "✓ 通过" or re.fullmatch(rf"{item}(\s+{item})*", m) for m in marks), marks
    assert desktop.page.locator(".portal-status--warn").first.get_attribute("title")  # the summary's words
    items = desktop.page.locator(".portal-status__item")
    assert all(items.nth(i).evaluate("e => getComputedStyle(e).whiteSpace") == "nowrap" for i in range(items.count()))


def page_weight(watched: Watched, url: str) -> dict[str, int]:
    """{URL: bytes gzip-compressed, as a server would send them} of everything a first visit loads."""
    sizes: dict[str, int] = {}
    watched.page.on("requestfinished", lambda r: sizes.setdefault(r.url, len(gzip.compress(r.response().body()))))
    watched.open(url)
    return sizes


def test_a_report_page_is_light_and_has_no_chart_js(browser, server):
    first = Watched(browser, DESKTOP)
    try:
        sizes = page_weight(first, url_of(server, f"reports/{REPORT}/"))
        assert not any("chart.umd.js" in u for u in sizes), sorted(sizes)  # no chart on a report page
        assert not any("/pagefind" in u for u in sizes), sorted(sizes)  # the index loads only to search
        assert sum(sizes.values()) <= 150_000, sizes
        first.check()
    finally:
        first.close()
    stats = Watched(browser, DESKTOP)
    try:
        assert any("chart.umd.js" in u for u in page_weight(stats, url_of(server, "stats/")))
        stats.check()
    finally:
        stats.close()


def test_chrome_footer_citation_and_maintainer_links(browser, server):
    context_page = Watched(browser, DESKTOP)
    context_page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context_page.page
    try:
        context_page.open(url_of(server, f"reports/{REPORT}/"))
        footer = page.locator("footer .portal-footer")
        # SOURCE_DATE_EPOCH of the test build, 2023-11-14 22:13 UTC: the day in Beijing (from updated.js)
        assert "数据更新于 2023-11-15" in footer.inner_text()
        assert footer.locator("time").get_attribute("datetime") == "2023-11-15"
        report = footer.locator("a", has_text="纠错")
        href = report.get_attribute("href")
        assert href.startswith("https://github.com/example/nianbao/issues/new?title=")
        assert quote("牡丹江市爱民区人民政府", safe="") in href  # the page's title, prefilled
        assert footer.locator("a", has_text="如何添加年报").count() == 1
        nav = page.locator("nav.md-nav--primary").inner_text()
        assert "如何添加年报" not in nav and "数据格式" not in nav  # the citizens' navigation
        cite = page.locator(".portal-cite")
        canonical = page.locator('link[rel="canonical"]').get_attribute("href")
        assert canonical.startswith("https://portal.example.gov.cn/nianbao/reports/")
        assert unquote(canonical) in cite.inner_text() and "[EB/OL]" in cite.inner_text()
        cite.locator("button", has_text="复制链接").click()
        page.wait_for_function("() => document.querySelector('.portal-cite__copy').textContent === '已复制链接'")
        assert page.evaluate("() => navigator.clipboard.readText()") == canonical
        description = page.locator('meta[name="description"]').get_attribute("content")
        assert "牡丹江市爱民区人民政府" in description and "本年新收申请 3 件" in description
        assert page.locator('meta[property="og:description"]').get_attribute("content") == description
        context_page.open(server)
        assert "reports/" not in page.locator("article").inner_text()  # no repository instructions
        page.evaluate("() => { document.querySelector('footer .portal-footer').dataset.before = '1'; }")
        page.locator("nav.md-nav--primary a", has_text="统计").first.click()  # instant navigation: a new footer
        page.wait_for_function("() => { const f = document.querySelector('footer .portal-footer'); "
                               "return f && !f.dataset.before && f.querySelector('time').textContent; }")
        assert "数据更新于 2023-11-15" in page.locator("footer .portal-footer").inner_text()
        context_page.check()
    finally:
        context_page.close()


# ------------------------------------------------------------------ 对比, sortable lists, 术语说明

COMPARED = ("牡丹江市爱民区人民政府", "岭东区人民政府")


def choose_agency(watched: Watched, typed: str, name: str) -> None:
    box = watched.page.locator("#portal-compare-agency")
    box.fill(typed)
    watched.page.locator(".portal-compare__option", has_text=name).first.click()
    watched.page.locator(".portal-compare__chip", has_text=name).wait_for()


def compare_rows(watched: Watched, count: int = len(COMPARED)) -> list[list[str]]:
    """The comparison table's rows once it shows ``count`` agencies (each chosen agency's data is
    fetched on its own, so the table grows one row at a time)."""
    watched.page.wait_for_function(
        "n => document.querySelectorAll('.portal-compare__result table tbody tr').length === n", arg=count)
    return [[c.strip() for c in row.split("\t")]
            for row in watched.page.locator(".portal-compare__result table tbody tr").all_inner_texts()]


@pytest.mark.slow
def test_compare_two_agencies_table_chart_csv_and_shared_url(site, server, browser):
    reports = all_data(site)["reports"]
    first, last = min(r["year"] for r in reports), max(r["year"] for r in reports)
    years = list(range(first, last + 1))  # every year of the span, a year without a report too
    span = str(first) if first == last else f"{first}-{last}"

    def expected(name: str, table: str, row: str) -> list[str]:
        """Each year's cell as shown: the number, ⚠不符 and its note's number when the report's own
        figures contradict it (as on every page), 无年报 for a year without a report."""
        by_year = {r["year"]: r for r in reports if r["agency"] == name}
        cells = []
        for y in years:
            if y not in by_year:
                cells.append("无年报")
                continue
            report, path = by_year[y], f"{table}.{row}.total"
            contradicted = any(path in f["cells"] for c in report["checks"] for f in c.get("failures", ()))
            cells.append(str(report["tables"][table][row]["total"]) + ("⚠不符注" if contradicted else ""))
        return cells

    def shown(rows: list[list[str]]) -> list[list[str]]:
        return [[re.sub(r"(⚠不符注)\d+$", r"\1", cell) for cell in row[1:]] for row in rows]

    received = {name: expected(name, "applications", "new_received") for name in COMPARED}
    watched = Watched(browser, DESKTOP)
    try:
        watched.open(url_of(server, "compare/"))
        choose_agency(watched, "爱民", COMPARED[0])
        choose_agency(watched, "双鸭山", COMPARED[1])  # found by its region, too
        rows = compare_rows(watched)
        assert [row[0].splitlines()[0] for row in rows] == list(COMPARED)
        assert shown(rows) == [received[name] for name in COMPARED]
        assert "黑龙江省 / 牡丹江市 / 爱民区" in rows[0][0]  # each agency with its region
        header = watched.page.locator(".portal-compare__result table caption a.portal-term")
        assert header.inner_text() == "本年新收申请" and header.get_attribute("href").endswith("glossary/#new_received")
        canvas = watched.page.locator(".portal-compare__chart canvas")
        watched.page.wait_for_function("() => !!Chart.getChart(document.querySelector('.portal-compare__chart canvas'))")
        assert canvas.evaluate(CANVAS_PAINTED)
        drawn = watched.page.evaluate(
            "() => Chart.getChart(document.querySelector('.portal-compare__chart canvas')).data.datasets"
            ".map(d => [d.label, d.data])")
        # a year without a report is a gap (null), never 0
        assert drawn == [[name, [None if v == "无年报" else int(v.removesuffix("⚠不符注")) for v in received[name]]]
                         for name in COMPARED]
        if any("⚠不符" in v for name in COMPARED for v in received[name]):  # its note under the table
            assert "正文为" in watched.page.locator(".portal-compare__notes").inner_text()
        # another measure: the table, the chart and the address follow
        watched.page.select_option("#portal-compare-measure", "review_total")
        watched.page.wait_for_function("() => location.search.includes('m=review_total')")
        review = {name: expected(name, "review_litigation", "review") for name in COMPARED}
        assert shown(compare_rows(watched)) == [review[name] for name in COMPARED]
        with watched.page.expect_download() as download:
            watched.page.locator("[data-action=csv]").click()
        assert download.value.suggested_filename == f"对比-行政复议 总计-{span}.csv"
        # one row per agency and year (two header rows, as every CSV of the site): value, unit, status and the
        # report's page address (its schema: compare/对比.schema.json)
        lines = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
        assert lines[0] == ["机关", "地区", "年度", "指标", "数值", "单位", "状态", "说明", "年报页面"]
        assert lines[1] == ["agency", "region", "year", "measure", "value", "unit", "status", "note", "page"]
        schema = json.loads((site / "compare/对比.schema.json").read_text(encoding="utf-8"))
        assert [f["name"] for f in schema["fields"]] == lines[1]
        frictionless = pytest.importorskip("frictionless")
        checked = frictionless.Resource(
            path=Path(download.value.path()).name, basepath=str(Path(download.value.path()).parent), format="csv",
            encoding="utf-8",
            dialect=frictionless.Dialect.from_descriptor(schema["dialect"]),
            schema=frictionless.Schema.from_descriptor({k: v for k, v in schema.items() if k not in ("dialect", "$comment")}),
        ).validate()
        assert checked.valid, checked.flatten(["rowNumber", "fieldName", "message"])
        rows = iter(lines[2:])
        for name in COMPARED:
            region = " / ".join(next(r["region"] for r in reports if r["agency"] == name))
            assert not any("⚠" in v for v in review[name])
            for year, shown_value in zip(years, review[name]):
                row = dict(zip(lines[1], next(rows)))
                assert (row["agency"], row["region"], row["year"], row["measure"], row["unit"]) == (
                    name, region, str(year), "行政复议 总计", "件")
                if shown_value == "无年报":
                    assert (row["value"], row["status"], row["page"]) == ("", "无年报", "")
                else:
                    assert (row["value"], row["status"]) == (shown_value, "已知")
                    assert row["page"].startswith(server) and "/reports/" in row["page"]
                    assert any(unquote(urlsplit(row["page"]).path).endswith(f"/{slug}/")
                               for slug in report_slugs(site, name, year))
        assert next(rows, None) is None
        shared = watched.page.url
        query = urlsplit(shared).query
        assert query == "a=" + "&a=".join(quote_plus(n) for n in COMPARED) + f"&y={span}&m=review_total"
        watched.check()
    finally:
        watched.close()
    other = Watched(browser, PHONE)  # the shared address on someone else's phone
    try:
        other.open(shared)
        assert shown(compare_rows(other)) == [review[name] for name in COMPARED]
        assert other.page.locator("#portal-compare-measure").input_value() == "review_total"
        assert other.page.locator(".portal-compare__chip > span").all_inner_texts() == list(COMPARED)
        assert other.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth") <= 0
        other.check()
    finally:
        other.close()


def test_compare_marks_unknown_cells_and_formats_without_the_measure(site, server, desktop):
    name = "牡丹江市爱民区人民政府"
    desktop.open(server + "compare/?a=" + quote_plus(name) + "&y=2020&m=carried_forward")
    cell = desktop.page.locator(".portal-compare__result tbody td").first
    cell.wait_for()
    expected = json.loads((site / f"data/{REPORT}.json").read_text(encoding="utf-8"))
    assert expected["tables"]["applications"]["carried_forward"]["total"] is None
    assert cell.inner_text() == "未知" and cell.get_attribute("data-kind") == "unknown"
    desktop.page.select_option("#portal-compare-measure", "regulations_issued")  # 2021 format only; 2020 is 2019's
    desktop.page.wait_for_function("() => document.querySelector('.portal-compare__result tbody td').dataset.kind === 'absent'")
    assert desktop.page.locator(".portal-compare__result tbody td").first.inner_text() == "无此项"


def numbers_in(column: list[str]) -> list[float]:
    return [float(re.match(r"[≥]?(\d+(?:\.\d+)?)", c).group(1)) if re.match(r"[≥]?\d", c) else -1 for c in column]


def test_a_list_page_sorts_by_a_column(server, desktop):
    desktop.open(url_of(server, "years/2020/"))
    table = desktop.page.locator(".portal-sortable table").first
    headers = table.locator("thead th").all_inner_texts()
    column = headers.index("新收申请")

    def shown() -> list[str]:
        return [row.split("\t")[column].strip() for row in table.locator("tbody tr").all_inner_texts()]

    before = shown()
    table.locator("thead th").nth(column).click()
    first = numbers_in(shown())
    assert sorted(first) in (first, first[::-1]) and sorted(shown()) == sorted(before)
    table.locator("thead th").nth(column).click()
    assert numbers_in(shown()) == first[::-1]  # a second click turns the order round
    agencies = table.locator("thead th").nth(0)
    agencies.click()
    names = [row.split("\t")[0] for row in table.locator("tbody tr").all_inner_texts()]
    assert names != [] and len(set(names)) == len(names)


@pytest.mark.parametrize("path", ["years/2020/", "rankings/2020/received/", "agencies/"])
def test_the_long_lists_html_tables_align_numbers_right_and_words_left(server, desktop, path):
    """The long lists are HTML tables (Markdown's are too slow at province scale): they must look like
    the Markdown ones, numbers right-aligned, names left."""
    desktop.open(url_of(server, path))
    rows = """Array.from(document.querySelector(".portal-table td.num").closest("table").tBodies[0].rows)"""
    aligned = desktop.page.evaluate(f"""() => {rows}.slice(0, 3)
        .map(tr => Array.from(tr.cells, td => getComputedStyle(td).textAlign))""")
    numeric = desktop.page.evaluate(f"() => Array.from({rows}[0].cells, td => td.classList.contains('num'))")
    assert aligned and any(numeric) and not all(numeric)
    for row in aligned:
        assert row == ["right" if n else "left" for n in numeric]


def test_a_table_header_links_to_its_glossary_entry(server, desktop):
    desktop.open(url_of(server, f"reports/{REPORT}/"))
    link = desktop.page.locator("table.portal-applications th a.portal-term", has_text="予以公开").first
    link.click()
    desktop.page.wait_for_url("**/glossary/#granted")
    entry = desktop.page.locator("[id=granted]")
    assert entry.is_visible() and "第" in desktop.page.locator("article").inner_text()


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
    with served(site) as address:
        yield address


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
    count = int(page.locator(RESULTS).get_attribute("data-count"))
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


PDF_REPORT = "2023-淮安市洪泽区人民政府"  # the sample's PDF (tables on pages 2-4)


def _report_html(site: Path, slug: str) -> str:
    return (site / "reports" / slug / "index.html").read_text(encoding="utf-8")


def test_the_sample_pdfs_page_links_each_table_row_to_its_page(site):
    """Every table row read from the PDF links to the original opened at the page that prints it."""
    from builder.extract.templates import TEMPLATES

    data = next(r for r in all_data(site)["reports"] if r["source"]["format"] == "pdf")
    tables = {f"c{n}": t for n, t in zip((2, 3, 4), TEMPLATES[data["template"]].tables)}
    page = _report_html(site, PDF_REPORT)
    linked = 0
    for table in re.findall(r'<table class="portal-official (?!portal-review).*?</table>', page, re.S):
        for row in re.findall(r"<tr>.*?</tr>", table, re.S):
            anchor = re.search(r'<td id="(c\d)-(\d+)-1"', row)
            if not anchor:
                continue
            template_table = tables[anchor.group(1)]
            origin = data["origins"].get(f"{template_table.key}.{template_table.rows[int(anchor.group(2)) - 1].key}")
            link = re.search(r'<a class="portal-src" href="([^"]+)">原文第 (\d+) 页</a>', row)
            if origin is None:  # a row the report does not print (its cells are unknown)
                assert link is None
                continue
            assert link and link.group(1).endswith(f".pdf#page={origin['page']}"), row[:300]
            assert (site / "reports" / PDF_REPORT / unquote(link.group(1).split("#")[0])).resolve().is_file()
            linked += 1
    assert linked >= 25  # tables 二 and 三: every row the report prints
    # table 四's one printed row: its page below the table
    assert re.search(r'<div class="portal-src-line">原文此表：<a class="portal-src" href="[^"]+\.pdf#page=\d+">', page)


def test_report_pages_stay_within_80_kb(site):
    """A report page's HTML, its tables with every cell's anchor and every row's place in the original."""
    sizes = {p.parent.name: p.stat().st_size for p in (site / "reports").glob("*/index.html")}
    assert sizes and max(sizes.values()) <= 80_000, sizes


def test_a_cell_is_cited_with_its_link_and_its_place_in_the_original(server, desktop):
    desktop.open(url_of(server, f"reports/{PDF_REPORT}/"))
    cell = desktop.page.locator("td#c3-1-1")  # 表三, 一、本年新收政府信息公开申请数量, 自然人
    cell.click()
    box = desktop.page.locator(".portal-cell-cite")
    text = box.locator(".portal-cell-cite__text").inner_text()
    assert box.inner_text().startswith("引用：")
    assert text.startswith("淮安市洪泽区人民政府 2023 年，表三“收到和处理政府信息公开申请情况”，"
                           "“一、本年新收政府信息公开申请数量”行“自然人”列：")
    assert re.search(r"（原文第 \d+ 页）。$", text), text
    assert box.locator(".portal-cell-cite__url").inner_text().endswith(f"reports/{PDF_REPORT}/#c3-1-1")
    assert desktop.page.evaluate("location.hash") == "#c3-1-1"
    desktop.page.keyboard.press("Escape")  # closes, and the cell has the focus again
    assert box.count() == 0
    assert desktop.page.evaluate("document.activeElement.id") == "c3-1-1"
    desktop.page.keyboard.press("Tab")  # the next cell, by keyboard alone
    desktop.page.keyboard.press("Enter")
    assert "“自然人”列" not in box.locator(".portal-cell-cite__text").inner_text()
    assert "“商业企业”列" in box.locator(".portal-cell-cite__text").inner_text()


def test_the_pdf_report_page_is_light(browser, server):
    """Each row's link to its page and each cell's anchor: the first visit stays within 150 KB compressed."""
    first = Watched(browser, DESKTOP)
    try:
        sizes = page_weight(first, url_of(server, f"reports/{PDF_REPORT}/"))
        assert sum(sizes.values()) <= 150_000, sizes
        first.check()
    finally:
        first.close()
