"""The national portal over province sites: each province a site of its own, built and published apart
(a matrix job each in CI), and a national home and search page over them all.

A national portal holds hundreds of thousands of reports; no one build (nor GitHub Pages' 1 GB) holds
them. So each province is built as today, from its own reports/<省>/ folder, into its own site, and
published under ``<national root>/<省>/``. `portal national ROOT` then writes, beside those folders:

- ``index.html``: the national home, every province with its counts of reports and agencies, linked;
- ``search/index.html``: one search over all provinces. Pagefind merges indexes in the browser
  (``mergeIndex``): the page loads one province's ``pagefind.js`` and merges every other province's
  index and index parts, each with its own base URL, so results link into the province sites.

Each merged index adds its metadata and the chunks of the query's words to a query (see README, Large
portals: bytes per query over 31 provinces); the province sites stay the place to search one province.
"""
from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

from builder.errors import PortalError
from builder.render.search_index import SHARDS, bundle_name

SCRIPT = "national-search.js"


@dataclass(frozen=True)
class Province:
    name: str  # the folder under the national root: the province's name, as in reports/<省>/
    reports: int
    agencies: int
    indexes: tuple[str, ...]  # its search index folders, relative to the national root


def provinces_of(root: Path) -> list[Province]:
    """Every province site under ``root`` (a folder with index.html and a search index), by name."""
    found = []
    for site in sorted(p for p in root.iterdir() if p.is_dir() and (p / "index.html").is_file()):
        listing = site / bundle_name(0) / SHARDS
        if not listing.is_file():
            raise PortalError(f"{site}/ has no search index ({listing} is missing) — build it with "
                              f"`portal site` (or run `portal index {site}`)")
        parts = [bundle_name(0) + "/", *json.loads(listing.read_text(encoding="utf-8"))]
        found.append(Province(site.name, count_pages(site / "reports"), count_pages(site / "agencies"),
                              tuple(f"{site.name}/{part}" for part in parts)))
    if not found:
        raise PortalError(f"{root}/ holds no province site (<省>/index.html): put each province's built site "
                          f"in a folder of its own there")
    return found


def count_pages(folder: Path) -> int:
    return sum(1 for _ in folder.glob("*/index.html")) if folder.is_dir() else 0


def write_national(root: Path) -> list[Province]:
    """Write the national home, search page and its script into ``root``, over its province sites."""
    provinces = provinces_of(root)
    (root / "index.html").write_text(home_page(provinces), encoding="utf-8")
    (root / "search").mkdir(exist_ok=True)
    (root / "search" / "index.html").write_text(search_page(provinces), encoding="utf-8")
    (root / SCRIPT).write_text(SEARCH_SCRIPT, encoding="utf-8")
    return provinces


STYLE = ("body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
         "line-height:1.6}table{border-collapse:collapse}td,th{padding:.3rem .8rem;border-bottom:1px solid #ddd;"
         "text-align:left}td.n{text-align:right}mark{background:#fe6}input{font-size:1.1rem;width:100%;padding:.4rem}")


def _page(title: str, body: str, prefix: str) -> str:
    return (f'<!doctype html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f'<!-- 本页由 portal national 生成，请勿手工编辑 -->\n'
            f'<nav><a href="{prefix}">全国首页</a> · <a href="{prefix}search/">全国搜索</a></nav>\n'
            f"<h1>{html.escape(title)}</h1>\n{body}</body>\n</html>\n")


def home_page(provinces: list[Province]) -> str:
    rows = "".join(f'<tr><td><a href="{html.escape(p.name)}/">{html.escape(p.name)}</a></td>'
                   f'<td class="n">{p.reports:,}</td><td class="n">{p.agencies:,}</td></tr>\n' for p in provinces)
    total = sum(p.reports for p in provinces)
    body = (f"<p>{len(provinces)} 个省级地区，年报共 {total:,} 份。每个省级地区是一个独立的站点，"
            f"按机关、地区、年度浏览和数据下载都在其中；<a href=\"search/\">全国搜索</a>同时检索所有地区。</p>\n"
            f"<table>\n<thead><tr><th>地区</th><th>年报</th><th>机关</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n")
    return _page("政府信息公开工作年度报告库 · 全国", body, "./")


def search_page(provinces: list[Province]) -> str:
    indexes = json.dumps([{"province": p.name, "bundles": list(p.indexes)} for p in provinces], ensure_ascii=False)
    body = (f'<form id="national-search" role="search"><input type="search" name="q" aria-label="搜索全国的年报" '
            f'placeholder="搜索全国的年报（机关名称、地区、正文）"></form>\n'
            f'<p id="national-search-status" aria-live="polite"></p>\n<ol id="national-search-results"></ol>\n'
            f'<script type="application/json" id="national-indexes">{html.escape(indexes, quote=False)}</script>\n'
            f'<script type="module" src="../{SCRIPT}"></script>\n')
    return _page("全国搜索", body, "../")


# One Pagefind instance: the first province's pagefind.js, every other index merged with the base URL of
# its province's site, so each result's url leads into the province site. Text only goes into the page
# as text nodes (and <mark> for Pagefind's highlights): no report text becomes markup.
SEARCH_SCRIPT = r"""// 全国搜索: one Pagefind search over every province's index (written by `portal national`).
const root = new URL("../", import.meta.url);
const indexes = JSON.parse(document.getElementById("national-indexes").textContent);
const form = document.getElementById("national-search");
const input = form.elements.q;
const status = document.getElementById("national-search-status");
const list = document.getElementById("national-search-results");
let pagefind = null;

async function load() {
  if (pagefind) return pagefind;
  const [first, ...rest] = indexes;
  const base = (province) => new URL(encodeURIComponent(province) + "/", root).pathname;
  const bundle = (path) => new URL(path.split("/").map(encodeURIComponent).join("/"), root).href;
  pagefind = await import(bundle(first.bundles[0]) + "pagefind.js");
  await pagefind.options({ baseUrl: base(first.province) });
  for (const path of first.bundles.slice(1)) await pagefind.mergeIndex(bundle(path), { baseUrl: base(first.province) });
  for (const other of rest)
    for (const path of other.bundles) await pagefind.mergeIndex(bundle(path), { baseUrl: base(other.province) });
  return pagefind;
}

function excerpt(text) {
  const p = document.createElement("p");
  const parts = text.split(/(<mark>|<\/mark>)/);
  let marked = false;
  for (const part of parts) {
    if (part === "<mark>") { marked = true; continue; }
    if (part === "</mark>") { marked = false; continue; }
    const plain = part.replace(/<[^>]*>/g, "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    if (!plain) continue;
    const node = marked ? document.createElement("mark") : document.createTextNode(plain);
    if (marked) node.textContent = plain;
    p.append(node);
  }
  return p;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) { status.textContent = ""; return; }
  status.textContent = "正在搜索……";
  const search = await (await load()).search(query);
  const shown = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  status.textContent = `找到 ${search.results.length} 个页面` + (search.results.length > 10 ? "，显示前 10 个" : "");
  for (const data of shown) {
    const item = document.createElement("li");
    item.className = "national-search__result";
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    item.append(link, excerpt(data.excerpt));
    list.append(item);
  }
}

form.addEventListener("submit", (event) => { event.preventDefault(); run(input.value); });
const query = new URLSearchParams(location.search).get("q");
if (query) { input.value = query; run(query); }
"""
