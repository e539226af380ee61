"""What the search indexes of a built page (search_pages.py), whichever generator built it."""
from __future__ import annotations

from builder.render.search_pages import INDEXED_ARTICLE, Names, is_indexed, page_for_index

PAGE = ('<html lang="zh"><body><header><h1>站点</h1></header><article class="md-content__inner md-typeset">'
        '<h1 id="x">牡丹江市爱民区人民政府 2020 年政府信息公开工作年度报告</h1><p>正文</p>'
        '<div class="portal-table" data-pagefind-ignore="index"><table><tr><td>12</td></tr></table></div>'
        '</article></body></html>')
NAMES = Names(["牡丹江市爱民区人民政府", "爱民区", "牡丹江市", "黑龙江省", "人民政府"])


def test_names_in_a_title_longest_first_and_not_again_inside_a_longer_one():
    assert NAMES.in_title("牡丹江市爱民区人民政府 2020 年报告") == ["牡丹江市爱民区人民政府"]
    assert NAMES.in_title("黑龙江省 牡丹江市 爱民区") == ["牡丹江市", "黑龙江省", "爱民区"]
    assert Names([]).in_title("任何标题") == []


def test_a_report_page_is_indexed_by_its_article_with_its_names_as_words():
    prepared = page_for_index("reports/2020-牡丹江市爱民区人民政府/index.html", PAGE, NAMES)
    assert prepared.count(INDEXED_ARTICLE) == 1
    hidden = prepared[prepared.index("<p hidden>"):prepared.index("</article>")]
    assert "牡丹江市爱民区人民政府" in hidden and " 爱民 " in hidden and " 区 " in hidden
    assert 'data-pagefind-ignore="index"' in prepared  # the number table stays out, as the template marks it
    assert "站点" not in prepared[prepared.index(INDEXED_ARTICLE):]  # the header is outside the body


def test_list_pages_originals_and_pages_without_an_article_are_not_indexed():
    for page in ("index.html", "404.html", "reports/index.html", "agencies/index.html", "years/2020/index.html",
                 "quality/index.html", "quality/2020/index.html", "files/某机关/report.html"):
        assert not is_indexed(page) and page_for_index(page, PAGE, NAMES) is None, page
    for page in ("agencies/某机关/index.html", "regions/黑龙江省/index.html", "stats/index.html", "search/index.html"):
        assert is_indexed(page), page
    assert page_for_index("stats/index.html", "<html><p>没有正文</p></html>", NAMES) is None
