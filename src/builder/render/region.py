"""A region's page (region.md.j2): its reports' headline figures per year (render/policy.py: never a
total over years), its sub-regions, its years, and the reports of the region itself.
"""
from __future__ import annotations

from builder.render.catalog import Region
from builder.render.feeds import feed_path
from builder.render.headline import HEADLINE
from builder.render.policy import year_rows
from builder.render.rows import report_rows
from builder.render.search_fields import region_fields
from builder.render.subregions import children_rows, year_matrix


def region_context(region: Region, regions: Region) -> dict:
    reports = region.reports
    here = [e for e in region.entries if e.report and e.region == region.names]
    agencies_here = {id(e): a for a in region.agencies for e in a.entries}
    return {
        "region": region,
        "breadcrumb": [(n.name, n.page) for n in _ancestors(regions, region.names)],
        "year_rows": year_rows(reports, HEADLINE),  # each year on its own
        "report_count": len(reports),
        "agency_count": len({(r.region, r.agency) for r in reports if r.agency}),
        "children": children_rows(region),
        "matrix": year_matrix(region),
        "rows": report_rows(here, list({id(a): a for a in agencies_here.values()}.values())),
        "failure_count": sum(1 for e in region.entries if e.failure),
        "years": sorted({r.year for r in reports if r.year}, reverse=True),
        "search_fields": region_fields(region.names, reports),
        "feed": feed_path(region.page) if region.names else "",  # its Atom feed (全部地区: the site's)
    }


def _ancestors(root: Region, names: tuple[str, ...]) -> list[Region]:
    chain, node = [root], root
    for depth in range(1, len(names)):
        node = next(c for c in node.children if c.names == names[:depth])
        chain.append(node)
    return chain if names else []


def region_description(region: Region) -> str:
    agencies = len({(r.region, r.agency) for r in region.reports if r.agency})
    return f"{' / '.join(region.names) or '全部地区'}各级行政机关的政府信息公开工作年度报告：" \
           f"{len(region.reports)} 份，{agencies} 个机关。"
