"""Statistics that cannot mislead, as a reader sees them in Chromium at 1366 px and on a 390 px phone:
统计, a year, a region, 排名, 对比, a report page and 搜索 of the sample portal with the two variants of
tests/variants.py (prose of another scope). Screenshots of each go to tests/output/screenshots/policy-*.png
for a person to look at, as a journalist looking for a story would.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from site_helpers import mkdocs_build, served
from test_browser import SCREENSHOTS, Watched, url_of  # the browser fixture: conftest.py

pytestmark = pytest.mark.slow

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
COMPARE = "compare/?a=" + "&a=".join(quote(a) for a in ("平潭综合实验区", "平潭综合实验区管理委员会")) + \
    "&y=2020-2023&m=received"
PAGES = {  # page kind → its address
    "stats": "stats/",
    "year": "years/2020/",
    "region": "regions/福建省/",
    "ranking": "rankings/2020/denial_rate/",
    "compare": COMPARE,
    "report": "reports/2020-牡丹江市爱民区人民政府/",
    "search": "search/?q=" + quote("行政复议"),
}
HEX64 = re.compile(r"\b[0-9a-f]{64}\b")


@pytest.fixture(scope="module")
def site(tmp_path_factory, policy_content) -> Path:
    return mkdocs_build(tmp_path_factory.mktemp("policy-site"), policy_content, "site")


@pytest.fixture(scope="module")
def server(site):
    with served(site) as address:
        yield address


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def watched(request, browser):
    page = Watched(browser, VIEWPORTS[request.param])
    page.name = request.param
    yield page
    page.check()
    page.close()


def settle(watched: Watched) -> None:
    """Charts drawn, search results shown: what the screenshot is to hold."""
    page = watched.page
    if page.locator("#portal-search").count():
        page.locator(".portal-search__results[data-query]").wait_for(timeout=15000)
    if page.locator("#portal-compare").count():
        page.locator(".portal-compare__result:not([hidden])").wait_for(timeout=15000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)


@pytest.mark.parametrize("kind", list(PAGES))
def test_each_page_kind_at_desktop_and_phone_width(server, watched, kind):
    watched.open(url_of(server, "") + PAGES[kind])
    settle(watched)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    watched.page.screenshot(path=str(SCREENSHOTS / f"policy-{kind}-{watched.name}.png"), full_page=True)
    text = watched.page.locator("article").first.inner_text()
    assert "全部年度合计" not in text and "各年度合计" not in text
    wide = watched.page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert wide <= 1, f"{kind}: the page is {wide} px wider than the screen"


def test_a_report_page_shows_its_key_figures_on_a_phones_first_screen(server, browser):
    phone = Watched(browser, VIEWPORTS["phone"])
    try:
        for slug in ("2020-牡丹江市爱民区人民政府", "2023-淮安市洪泽区人民政府", "2022-平潭综合实验区"):
            phone.open(url_of(server, f"reports/{slug}/"))
            for label in ("本年新收申请", "办理结果总计"):
                item = phone.page.locator(".portal-keys__item", has=phone.page.locator("dt", has_text=label)).first
                box = item.bounding_box()
                assert item.is_visible() and box["y"] + box["height"] <= 844, (slug, label, box)
            first = phone.page.locator("h2", has_text="一、").first.bounding_box()
            keys = phone.page.locator(".portal-keys").bounding_box()
            assert keys["y"] < first["y"]
        aimin = phone.page  # 爱民区 2020's 正文另述 is said beside its 新收, in words
        phone.open(url_of(server, "reports/2020-牡丹江市爱民区人民政府/"))
        new = aimin.locator(".portal-keys__item", has=aimin.locator("dt", has_text="本年新收申请")).first.inner_text()
        assert "正文另述" in new and "⚠不符" not in new
        phone.check()
    finally:
        phone.close()


def test_the_status_badges_show_what_their_text_lists_on_a_phone(server, browser):
    phone = Watched(browser, VIEWPORTS["phone"])
    try:
        phone.open(url_of(server, "years/2020/"))
        badges = phone.page.locator("td .portal-status")
        assert badges.count() >= 5
        for i in range(badges.count()):
            badge = badges.nth(i)
            badge.scroll_into_view_if_needed()
            assert badge.is_visible()
            shown, summary = badge.inner_text(), badge.get_attribute("title")
            if shown == "✓ 通过":
                continue
            counts = re.findall(r"(\d+) ([项格处条])", shown)
            assert counts == re.findall(r"(\d+) ([项格处条])", summary), (shown, summary)
        phone.check()
    finally:
        phone.close()


def test_tables_wider_than_a_phone_say_that_they_scroll(server, browser):
    phone = Watched(browser, VIEWPORTS["phone"])
    try:
        for path in ("", "years/2020/", "stats/", "regions/福建省/"):
            phone.open(url_of(server, path))
            phone.page.wait_for_timeout(300)  # tables.js may widen a table after the page is shown
            cues = phone.page.locator(".portal-scroll-cue")
            assert cues.count() >= 1 and cues.first.is_visible(), path
            assert "向左滑动" in cues.first.inner_text()
            # every box that scrolls sideways has its cue (Material's box of a Markdown table, ours of HTML)
            uncued = phone.page.evaluate("""() => [...document.querySelectorAll(
                '.md-typeset .portal-table, .md-typeset .md-typeset__scrollwrap')]
                .filter(b => !b.querySelector('.md-typeset__scrollwrap, .portal-scroll-hint')
                             && b.scrollWidth > b.clientWidth + 2
                             && !(b.previousElementSibling && b.previousElementSibling.classList.contains('portal-scroll-cue')))
                .map(b => b.innerText.slice(0, 40))""")
            assert not uncued, (path, uncued)
        desktop = Watched(browser, VIEWPORTS["desktop"])
        try:
            desktop.open(url_of(server, ""))
            assert desktop.page.locator(".portal-scroll-cue").count() == 0  # the tables fit: no cue
        finally:
            desktop.close()
        phone.check()
    finally:
        phone.close()


def chart_legends(watched: Watched) -> list[list[str]]:
    return watched.page.evaluate("""() => [...document.querySelectorAll('canvas')].map(c => Chart.getChart(c))
        .filter(Boolean).map(chart => chart.legend.legendItems.map(item => item.text))""")


@pytest.mark.parametrize("path", ["stats/", "years/2023/", "agencies/平潭综合实验区/", COMPARE])
def test_every_charts_legend_explains_the_contradiction_mark(server, watched, path):
    watched.open(url_of(server, "") + path if "?" in path else url_of(server, path))
    settle(watched)
    watched.page.wait_for_function("() => typeof Chart !== 'undefined'", timeout=15000)
    legends = chart_legends(watched)
    assert legends, path
    for items in legends:
        assert any("⚠不符" in item for item in items), (path, items)


def test_equal_series_are_told_apart(server, watched):
    """平潭综合实验区 and its 管理委员会 both print 21 for 2020: their points differ in shape and size."""
    watched.open(url_of(server, "") + COMPARE)
    settle(watched)
    styles = watched.page.evaluate("""() => Chart.getChart(document.querySelector('.portal-compare__chart canvas'))
        .data.datasets.map(d => [JSON.stringify(d.pointStyle), JSON.stringify(d.pointRadius), JSON.stringify(d.borderDash)])""")
    assert len(styles) == 2 and styles[0] != styles[1]
    assert all(a != b for a, b in zip(*styles)), styles


def results_of(watched: Watched, server: str, query: str) -> list[dict]:
    page = watched.page
    watched.open(url_of(server, "search/") + "?q=" + quote(query))
    page.locator(f'.portal-search__results[data-query="{query}"]').wait_for(timeout=15000)
    page.wait_for_load_state("networkidle")
    return page.locator(".portal-search__result").evaluate_all("""items => items.map(item => ({
        path: decodeURI(new URL(item.querySelector('.portal-search__link').href).pathname.slice(1)),
        marks: [...item.querySelectorAll('mark')].map(m => [m.previousSibling ? m.previousSibling.textContent.slice(-1) : '',
                                                           m.textContent,
                                                           m.nextSibling ? m.nextSibling.textContent.slice(0, 1) : ''])}))""")


def test_a_year_typed_in_the_query_sets_the_year_filter(server, watched):
    results = results_of(watched, server, "岭东区 2020")
    assert results and watched.page.locator("select[name=year]").input_value() == "2020"
    assert "year=2020" in watched.page.url


def test_reports_outrank_the_sites_own_pages_for_a_term(server, watched):
    results = results_of(watched, server, "行政复议")
    own = [i for i, r in enumerate(results) if r["path"].startswith(("glossary/", "rankings/", "stats/", "quality/"))]
    reports = [i for i, r in enumerate(results) if r["path"].startswith("reports/")]
    assert reports and (not own or min(reports) < min(own)), [r["path"] for r in results]


def test_highlights_match_whole_numbers(server, watched):
    results = results_of(watched, server, "平潭 26")
    marked = [m for r in results for m in r["marks"] if m[1] == "26"]
    assert all(not before.isdigit() and not after.isdigit() for before, _, after in marked), marked


def test_the_no_results_message_names_the_whole_query(server, watched):
    results_of(watched, server, "行政复议 不存在的词语甲乙丙")
    status = watched.page.locator(".portal-search__status").inner_text()
    assert "行政复议 不存在的词语甲乙丙" in status


def test_no_hash_or_file_name_in_the_searched_text(server, watched):
    watched.open(url_of(server, "search/"))
    contents = watched.page.evaluate("""async () => {
        const api = await import(new URL('pagefind/pagefind.js', location.href.replace(/search\\/.*$/, '')).href);
        const out = [];
        for (const q of ['牡丹江市爱民区人民政府', '平潭综合实验区', '淮安市洪泽区人民政府', '岭东区']) {
            const found = await api.search(q);
            for (const r of found.results.slice(0, 10)) { const d = await r.data(); out.push([d.url, d.content]); }
        }
        return out;
    }""")
    assert contents
    for url, text in contents:
        assert not HEX64.search(text), url
        assert ".json" not in text, url


def test_no_english_in_any_pages_title_or_aria_label(site):
    english = re.compile(r"[A-Za-z]{2,}")
    allowed = {"PDF", "JSON", "CSV", "Excel", "OCR", "CC", "BY", "SHA"}
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found = [m.group(2) for m in re.finditer(r'\b(aria-label|title)="([^"]*)"', text)]
        found += re.findall(r"<title>([^<]*)</title>", text)
        for value in found:
            words = set(english.findall(value)) - allowed
            assert not words, (path.relative_to(site), value)
