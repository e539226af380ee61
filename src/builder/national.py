"""The national portal over province sites: each province a site of its own, built and published apart
(a matrix job each in CI), and a national home and search page over them all.

A national portal holds hundreds of thousands of reports; no one build (nor GitHub Pages' 1 GB) holds
them. So each province is built as today, from its own reports/<省>/ folder, into its own site, and
published under ``<national root>/<省>/``. `portal national ROOT` then writes, beside those folders:

- ``index.html``: the national home, a search box and every province with its counts of reports and
  agencies, linked;
- ``search/index.html``: one search over all provinces, with the province sites' own search UI
  (search.js: every query word required, whole-word marks, each result's agency, year, region and key
  figures, the 年度 / 地区层级 / 报告格式 filters). Its div#portal-search lists the province sites;
  search.js loads the first one's ``pagefind.js`` and merges every province's index and index parts
  (Pagefind's ``mergeIndex``), each with its province's base URL, so results link into the province sites;
- ``assets/``: that script and the stylesheets, copied from the first province site (every province is
  built from the same commit), and ``data/search-filters.json``, the filters' values over all provinces.

Each merged index adds its metadata and the chunks of the query's words to a query (see README, Large
portals: bytes per query over 31 provinces); the province sites stay the place to search one province.
"""
from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from builder.errors import PortalError
from builder.render.search import SEARCH_FILTERS
from builder.render.search_fields import LEVELS
from builder.render.search_index import SHARDS, bundle_name

SCRIPT = "assets/javascripts/search.js"  # the province sites' search UI, run over all of them
STYLESHEETS = ("assets/stylesheets/main.*.min.css", "assets/stylesheets/portal.css")  # Material's, ours
OWN_FOLDERS = ("search", "assets", "data")  # written here, beside the province sites


@dataclass(frozen=True)
class Province:
    name: str  # the folder under the national root: the province's name, as in reports/<省>/
    reports: int
    agencies: int


def provinces_of(root: Path) -> list[Province]:
    """Every province site under ``root`` (a folder with index.html and a search index), by name."""
    found = []
    for site in sorted(p for p in root.iterdir() if p.is_dir() and (p / "index.html").is_file()
                       and p.name not in OWN_FOLDERS):
        listing = site / bundle_name(0) / SHARDS
        if not listing.is_file():
            raise PortalError(f"{site}/ has no search index ({listing} is missing) — build it with "
                              f"`portal site` (or run `portal index {site}`)")
        found.append(Province(site.name, count_pages(site / "reports"), count_pages(site / "agencies")))
    if not found:
        raise PortalError(f"{root}/ holds no province site (<省>/index.html): put each province's built site "
                          f"in a folder of its own there")
    return found


def count_pages(folder: Path) -> int:
    return sum(1 for _ in folder.glob("*/index.html")) if folder.is_dir() else 0


def write_national(root: Path) -> list[Province]:
    """Write the national home, search page, its script, styles and filters into ``root``, over its
    province sites."""
    provinces = provinces_of(root)
    first = root / provinces[0].name
    if not (first / SCRIPT).is_file():
        raise PortalError(f"{first / SCRIPT} is missing: the province sites must be built by `portal site` "
                          f"(or `mkdocs build`) from this repository's content/")
    assets = [SCRIPT, *(path.relative_to(first).as_posix() for pattern in STYLESHEETS
                        for path in sorted(first.glob(pattern))[:1])]
    for asset in assets:
        (root / asset).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(first / asset, root / asset)
    (root / SEARCH_FILTERS).parent.mkdir(parents=True, exist_ok=True)
    (root / SEARCH_FILTERS).write_text(search_filters(root, provinces), encoding="utf-8")
    styles = [a for a in assets if a.endswith(".css")]
    (root / "index.html").write_text(home_page(provinces, styles), encoding="utf-8")
    (root / "search").mkdir(exist_ok=True)
    (root / "search" / "index.html").write_text(search_page(provinces, styles), encoding="utf-8")
    return provinces


def search_filters(root: Path, provinces: list[Province]) -> str:
    """The values of the search filters over all provinces (each site's data/search-filters.json), in
    the order a province site gives them: years newest first, levels 省级 to 县级, templates in order."""
    found: dict[str, set[str]] = {"year": set(), "level": set(), "template": set()}
    for province in provinces:
        path = root / province.name / SEARCH_FILTERS
        if path.is_file():
            for name, values in json.loads(path.read_text(encoding="utf-8")).items():
                found.setdefault(name, set()).update(values)
    return json.dumps({"year": sorted(found["year"], reverse=True),
                       "level": [level for level in LEVELS if level in found["level"]],
                       "template": sorted(found["template"])}, ensure_ascii=False, separators=(",", ":")) + "\n"


STYLE = (".portal-national{max-width:61rem;margin:0 auto;padding:1.2rem .8rem}"
         ".portal-national nav{margin-bottom:1rem}.md-typeset table td.n{text-align:right}")


def _page(title: str, body: str, prefix: str, styles: list[str]) -> str:
    links = "".join(f'<link rel="stylesheet" href="{prefix}{html.escape(s)}">\n' for s in styles)
    return (f'<!doctype html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n{links}<style>{STYLE}</style>\n</head>\n<body>\n"
            f'<!-- 本页由 portal national 生成，请勿手工编辑 -->\n'
            f'<div class="portal-national md-typeset">\n'
            f'<nav><a href="{prefix}">全国首页</a> · <a href="{prefix}search/">全国搜索</a></nav>\n'
            f"<h1>{html.escape(title)}</h1>\n{body}</div>\n</body>\n</html>\n")


def home_page(provinces: list[Province], styles: list[str] = ()) -> str:
    rows = "".join(f'<tr><td><a href="{html.escape(p.name)}/">{html.escape(p.name)}</a></td>'
                   f'<td class="n">{p.reports:,}</td><td class="n">{p.agencies:,}</td></tr>\n' for p in provinces)
    total = sum(p.reports for p in provinces)
    body = (f"<p>{len(provinces)} 个省级地区，年报共 {total:,} 份。每个省级地区是一个独立的站点，"
            f"按机关、地区、年度浏览和数据下载都在其中；<a href=\"search/\">全国搜索</a>同时检索所有地区。</p>\n"
            f'<form class="portal-home-search" role="search" action="search/" method="get">'
            f'<input type="search" name="q" aria-label="搜索全国的年报、机关和地区" '
            f'placeholder="机关名称、地区、年度或年报中的词句，如“行政复议”" autocomplete="off" enterkeyhint="search">'
            f'<button class="md-button md-button--primary" type="submit">搜索</button></form>\n'
            f"<table>\n<thead><tr><th>地区</th><th>年报</th><th>机关</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n")
    return _page("政府信息公开工作年度报告库 · 全国", body, "./", list(styles))


def search_page(provinces: list[Province], styles: list[str] = ()) -> str:
    sites = json.dumps([f"{p.name}/" for p in provinces], ensure_ascii=False)
    body = (f"<p>在 {len(provinces)} 个省级地区的全部年报、机关和地区页面中搜索：机关名称、地区名称、年度，"
            f"或年报中的词句。每个词都要出现在结果中；可按年度、地区层级和报告格式筛选。结果链接到各省级地区的站点。</p>\n"
            f'<div id="portal-search" data-sites="{html.escape(sites)}"></div>\n'
            f"<noscript>搜索需要启用 JavaScript。也可以从<a href=\"../\">全国首页</a>进入各省级地区的站点浏览。</noscript>\n"
            f'<script src="../{SCRIPT}"></script>\n')
    return _page("全国搜索", body, "../", list(styles))
