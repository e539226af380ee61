"""An agency's page (agency.md.j2): its reports year by year, its figures side by side, the checks
across years and its trends; and 按机关, the list of every agency (agencies_index.md.j2).
"""
from __future__ import annotations

from builder.publish.memo import PageMemo
from builder.render.catalog import Agency, Region, region_page_of
from builder.render.crossyear import cross_year_checks
from builder.render.feeds import feed_path
from builder.render.figures import FIGURES, figure_of
from builder.render.paging import paginate
from builder.render.rows import report_rows
from builder.render.search_fields import agency_fields
from builder.render.trends import trend_context

AGENCIES_PAGE = 500  # agencies on one page of 按机关


def agency_key(agency: Agency, regions: Region, keys: dict[int, str]) -> str:
    """What an agency's page (``agency_context``) and its 对比 file are made of: its name, region and the
    link to the region's page, each report's key (its data and links), each file that could not be parsed."""
    return PageMemo.key(agency.page, agency.name, *agency.region, region_page_of(regions, agency.region) or "",
                        *(keys[id(e)] for e in agency.entries),
                        *(f"{e.page}\0{e.year}\0{e.failure!r}" for e in agency.failures))


def agency_context(agency: Agency, regions: Region) -> dict:
    by_year = agency.by_year()
    years = sorted(by_year)
    return {
        "agency": agency,
        "region_page": region_page_of(regions, agency.region),
        "rows": report_rows(agency.entries, [agency]),
        "years": years,
        "figures": [(f.label, [(by_year[y], figure_of(by_year[y], f.key)) for y in years]) for f in FIGURES],
        "checks": cross_year_checks(by_year),
        **trend_context(by_year),
        "search_fields": agency_fields(agency.name, agency.region, agency.reports),
        "feed": feed_path(agency.page),  # its Atom feed, announced in the page's head
    }


def agency_description(agency: Agency) -> str:
    years = "、".join(str(y) for y in agency.by_year())
    return f"{agency.name}（{' / '.join(agency.region) or '地区未识别'}）的政府信息公开工作年度报告 " \
           f"{len(agency.entries)} 份{f'（{years} 年）' if years else ''}，主要数字逐年对照。"


def agencies_index_pages(agencies: list[Agency]):
    """(path, template, context) of 按机关's pages, each a page's worth of agencies."""
    for path, chunk, pager in paginate("agencies/index", agencies, AGENCIES_PAGE,
                                      lambda a: " ".join(a.region[:2]) or a.name):
        yield path, "agencies_index.md.j2", {"agencies": chunk, "agency_count": len(agencies), "pager": pager}
