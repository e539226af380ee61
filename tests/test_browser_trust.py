"""Numbers a citizen can trust, on the built sample portal in Chromium, at desktop width and on a 390 px phone.

淮安市洪泽区 2023 prints 行政复议 结果维持 10, 结果纠正 1 and 总计 0: its report page, its agency page,
the home totals and the statistics ranking must mark that figure and say why, never add it or rank
it silently. No public page but 数据格式 shows a rule or warning code; no box is empty; a report's
text starts within a phone's first screen; the 404 page is Chinese. Screenshots of home, a report
with failed checks, statistics and downloads on a phone go to tests/output/screenshots/.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_helpers import PUBLISH_ENV, ROOT, QuietHandler, empty_admonitions, served
from test_docs import finding_codes
from test_browser import SCREENSHOTS, Watched, browser, site, url_of  # noqa: F401 - fixtures

from builder.extract.templates import TEMPLATES
from builder.validate import RULES

PHONE_390 = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": PHONE_390}
HONGZE = "reports/2023-淮安市洪泽区人民政府/"
HONGZE_NOTE = "报告所印总计为 0，各项结果之和为 11"
RULE_CODES = {rule.__module__.rsplit(".", 1)[-1] + "." + rule.__name__ for rule in RULES}
WARNING_CODES = finding_codes(ROOT)
# keys of the open data: a cell path or a key with an underscore never reaches a reader's page
KEYS = {t.key for template in TEMPLATES.values() for t in template.tables} | {
    k for template in TEMPLATES.values() for t in template.tables for r in t.rows for k in
    (r.key, *(c.key for c in r.columns)) if "_" in k} | {"amount_yuan"}


SITE_PATH = urlsplit(PUBLISH_ENV["PORTAL_SITE_URL"]).path  # "/nianbao/": the 404 page links there


class GitHubPagesHandler(QuietHandler):
    """Serves 404.html for an address that does not exist, with status 404, as GitHub Pages does; the site
    answers both at / and at its public path (site_url's), where the 404 page's own links point."""

    def translate_path(self, path):
        if path.startswith(SITE_PATH):
            path = "/" + path[len(SITE_PATH):]
        return super().translate_path(path)

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server(site):
    with served(site, GitHubPagesHandler) as address:
        yield address


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def watched(request, browser):
    page = Watched(browser, VIEWPORTS[request.param])
    yield page
    page.check()
    page.close()


def text_of(watched: Watched, selector: str = "article") -> str:
    return watched.page.locator(selector).first.inner_text()


def test_the_report_page_marks_the_contradiction_at_the_figure(server, watched):
    watched.open(url_of(server, HONGZE))
    table = watched.page.locator("table.portal-review")
    cells = table.locator("td")
    assert cells.nth(0).inner_text().startswith("10") and "⚠不符" in cells.nth(0).inner_text()  # 结果维持 10
    assert cells.nth(4).inner_text().startswith("0") and "⚠不符" in cells.nth(4).inner_text()  # 总计 0
    assert "⚠" not in cells.nth(5).inner_text()  # 未经复议直接起诉 holds
    notes = watched.page.locator(".portal-notes", has_text=HONGZE_NOTE)
    assert notes.count() >= 1 and notes.first.is_visible()
    summary = watched.page.locator("details.warning summary").first.inner_text()
    assert "1 项核对不符" in summary  # the one-line summary; the details stay folded
    assert watched.page.locator("details.warning").first.get_attribute("open") is None


def test_the_agency_page_marks_it_in_the_list_and_the_year_over_year_table(server, watched):
    watched.open(url_of(server, "agencies/淮安市洪泽区人民政府/"))
    tables = watched.page.locator(".portal-table table")
    listed = tables.first.locator("tr", has_text="2023").inner_text()
    assert "⚠不符" in listed
    yearly = watched.page.locator(".portal-table table", has_text="结转下年度继续办理").locator("tr", has_text="行政复议")
    assert yearly.inner_text().split("\t")[1].startswith("0") and "⚠不符" in yearly.inner_text()
    assert HONGZE_NOTE in text_of(watched)


def test_the_home_totals_leave_it_out_and_say_so(server, watched):
    watched.open(server)
    # each year on its own (render/policy.py): 2023's row, its 行政复议 column
    row = watched.page.locator("table", has_text="本年新收申请").first.locator("tr", has_text="2023 年").inner_text()
    total = row.split("\t")[4]
    assert total.startswith("≥") and "⚠注" in total and "1 份不符" in total  # the mark at the figure
    notes = watched.page.locator(".portal-notes").first.inner_text()
    assert "淮安市洪泽区人民政府 2023 年" in notes and HONGZE_NOTE in notes


def test_the_statistics_ranking_lists_it_apart_and_never_says_there_is_none(server, watched):
    watched.open(url_of(server, "stats/"))
    article = text_of(watched)
    ranking = article.split("行政复议和行政诉讼最多")[1].split("表三 逐年合计")[0]
    assert "没有行政复议或行政诉讼大于 0 且已知的年报" not in ranking
    assert "未参与排行" in ranking and "淮安市洪泽区人民政府 2023 年" in ranking and HONGZE_NOTE in ranking
    assert "平潭综合实验区 2023 年" in ranking  # 2 reviews and 7 lawsuits, consistent: ranked
    overview = watched.page.locator(".portal-table", has_text="2023 年").first.inner_text()  # 各年度概览
    assert "⚠注" in overview.split("2023 年")[1].split("\n")[0]


def public_pages(site: Path) -> list[str]:
    """Every page of the built site as a path to open ("" for home), but the 404 page."""
    pages = []
    for index in sorted(site.rglob("index.html")):
        path = index.parent.relative_to(site).as_posix()
        if not path.startswith(("pagefind", "assets")):
            pages.append("" if path == "." else f"{path}/")
    return pages


def test_no_public_page_but_the_data_format_shows_a_code(site, server, browser):
    watched = Watched(browser, VIEWPORTS["desktop"])
    try:
        pages = public_pages(site)
        assert len(pages) >= 30 and HONGZE in pages
        for path in pages:
            if path == "data-format/":
                continue  # the codes' own page
            watched.open(url_of(server, path))
            text = watched.page.locator("body").inner_text()
            found = [code for code in RULE_CODES | WARNING_CODES if code in text]
            assert not found, f"{path} shows {found}"
            if path not in {"add-report/"}:  # the maintainers' page shows a cell path in its YAML example
                words = set(re.findall(r"[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)*", text))
                keys = sorted(w for w in words if w in KEYS or w.split(".")[0] in KEYS)
                assert not keys, f"{path} shows the open data's keys {keys}"
        watched.check()
    finally:
        watched.close()


def test_no_box_is_empty_on_any_page(site):
    assert empty_admonitions(site) == []


def test_a_reports_text_starts_within_the_first_screen_of_a_phone(site, server, browser):
    watched = Watched(browser, PHONE_390)
    try:
        for page in sorted((site / "reports").glob("*/index.html")):
            watched.open(url_of(server, f"reports/{page.parent.name}/"))
            heading = watched.page.locator("h2", has_text="一、总体情况")
            text = heading.locator("xpath=following-sibling::*[1]")
            top = text.evaluate("e => e.getBoundingClientRect().top")
            assert top < PHONE_390["height"] - 40, f"{page.parent.name}: the report text starts at {top}px"
        watched.check()
    finally:
        watched.close()


def test_the_404_page_is_chinese(server, watched):
    response = watched.page.goto(url_of(server, "no-such-report/"), wait_until="networkidle")
    assert response.status == 404
    watched.errors.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")  # the page itself
    assert watched.page.locator("h1").inner_text() == "页面不存在"
    body = watched.page.locator("article").inner_text()
    assert "Not found" not in body and "返回首页" in body
    watched.page.locator("a", has_text="返回首页").click()
    watched.page.wait_for_load_state("networkidle")
    assert watched.page.url == server.rstrip("/") + SITE_PATH


@pytest.mark.parametrize("name,path", [("home", ""), ("report-failed-checks", HONGZE), ("stats", "stats/"),
                                       ("downloads", "downloads/")])
def test_screenshots_on_a_phone(browser, server, name, path):
    watched = Watched(browser, PHONE_390)
    try:
        watched.open(url_of(server, path))
        overflow = watched.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than a 390px phone"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        watched.page.screenshot(path=str(SCREENSHOTS / f"trust-{name}-phone.png"), full_page=False)
        watched.page.screenshot(path=str(SCREENSHOTS / f"trust-{name}-phone-full.png"), full_page=True)
        watched.check()
    finally:
        watched.close()
