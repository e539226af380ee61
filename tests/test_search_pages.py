"""What the search indexes of a built page (search_pages.py), whichever generator built it: the pages
that carry ``data-pagefind-body`` (written by `portal build`, render/search_fields.py), as served."""
from __future__ import annotations

from builder.render.search_fields import name_pieces, report_fields
from builder.render.search_pages import is_indexed, page_for_index
from factories import make_report_2021

PAGE = ('<html lang="zh"><body><header><h1>站点</h1></header><article class="md-content__inner md-typeset">'
        '<h1 id="x">牡丹江市爱民区人民政府 2020 年政府信息公开工作年度报告</h1>'
        '<div hidden data-pagefind-meta="kind:年报"></div><div data-pagefind-body><p>正文</p>'
        '<div class="portal-table" data-pagefind-ignore="index"><table><tr><td>12</td></tr></table></div>'
        '</div></article></body></html>')


def test_a_page_that_marks_its_searched_text_is_indexed_as_served():
    assert page_for_index("reports/2020-牡丹江市爱民区人民政府/index.html", PAGE) == PAGE


def test_pages_without_searched_text_and_originals_are_not_indexed():
    plain = PAGE.replace(" data-pagefind-body", "")
    for page in ("index.html", "404.html", "reports/index.html", "years/2020/index.html", "search/index.html"):
        assert not is_indexed(page, plain) and page_for_index(page, plain) is None, page
    assert page_for_index("files/某机关/report.html", PAGE) is None  # an original, whatever it holds
    assert page_for_index("reports/x/index.json", PAGE) is None


def test_names_are_given_as_pieces_a_query_may_be_split_into():
    pieces = name_pieces("牡丹江市爱民区人民政府").split()
    for piece in ("牡丹江", "市", "爱", "民", "区", "人民政府", "爱民区人民政府", "府"):
        assert piece in pieces, piece
    assert len(pieces) == len(set(pieces))
    fields = report_fields(make_report_2021(), "1017", "1178")
    assert 'data-facets="y2023 lvcounty t2021"' in fields and "data-pagefind-filter" not in fields
    assert 'data-received="1017"' in fields and "hidden" in fields.split(">")[0]
