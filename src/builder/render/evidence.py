"""Every number one click from where the report printed it: each table row's place in the original, and
each cell's anchor and the labels its citation (引用) names.

A row read from a PDF links to the original opened at its page (``…pdf#page=3``, which browsers' PDF
viewers honour); a row read from HTML, Word or text folds out the row as the source printed it
(原文此行); a row read from a scanned page shows the image of that row cut from the page, beside the
numbers read from it, so that a reader checks the recognition by eye. The images are small PNGs in four
greys (``CROP_SCALE``; about 2 KB a row), written by one encoder (OpenCV's) with fixed settings and no
metadata: the same report gives the same bytes on every build. They are made only for pages without a
text layer, and the page loads them lazily (as they scroll into view).
"""
from __future__ import annotations

import html
import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from builder.extract.templates import TEMPLATES, Template
from builder.models import Origin, Report
from builder.render.markdown import escape_html_text
from builder.render.quality import TABLE_NUMBERS, row_label

CROP_SCALE = 1.5  # pixels per PDF point of a row's image (108 dpi): digits of a 10.5 pt font about 15 pixels high
PAD = 2.0  # points around a row's box
MAX_CROP_HEIGHT = 120.0  # points: a taller "row" (a merged cell, or a table 四 spread over lines) is cut off
ROWS_DIR = "rows"  # beside the report's page: reports/<slug>/rows/<page>-<x0>-<top>-<x1>-<bottom>.png
TABLE_IDS = {"active_disclosure": 2, "applications": 3, "review_litigation": 4}  # 表二, 表三, 表四


def row_id(table: str, row: int) -> str:
    """A row's prefix of its cells' anchors: 表 number and the row's place in the format (1-based)."""
    return f"c{TABLE_IDS[table]}-{row}"


def cell_id(table: str, row: int, column: int) -> str:
    """A cell's anchor on the report page: its row's and its column's place (1-based)."""
    return f"{row_id(table, row)}-{column}"


@dataclass(frozen=True)
class RowSource:
    """Where one table row stands in the original, as the report page shows it."""

    page: int | None = None
    href: str = ""  # the original opened at this place (a PDF at its page)
    text: str = ""  # the row as the source printed it (HTML, Word, text)
    image: str = ""  # the row's image cut from a scanned page, relative to the report's page
    width: int = 0
    height: int = 0

    def label_html(self) -> str:
        """What stands after the row's label: a link to the page, or the folded row as printed."""
        if self.href:
            return f' <a class="portal-src" href="{html.escape(self.href, quote=True)}">原文第 {self.page} 页</a>'
        if self.text:
            shown = " │ ".join(escape_html_text(cell) for cell in self.text.split("\t"))
            return f'<details class="portal-src"><summary>原文此行</summary><span>{shown}</span></details>'
        return ""

    def image_html(self) -> str:
        """The image of the printed row (lazy: loaded when it is about to be shown), or ""."""
        if not self.image:
            return ""
        return (f'<img src="{self.image}" loading="lazy" width="{self.width}" height="{self.height}" '
                f'alt="原文此行的扫描图像（第 {self.page} 页）">')

    def image_row(self, colspan: int) -> str:
        """A table row under the row it shows, beside its labels (``colspan``: the columns it takes)."""
        if not self.image:
            return ""
        return f'<tr class="portal-scan"><td colspan="{colspan}">{self.image_html()}</tr>'


NO_SOURCE = RowSource()


_URL_SPECIAL = re.compile(r"[\x00-\x20\"#%<>?\\^`{|}\x7f]")


def short_href(href: str) -> str:
    """A relative link with its Chinese as it is (an IRI, which browsers encode themselves) and only what a
    URL reads specially encoded: a PDF link on each of a table's forty rows then weighs a third as much."""
    if "://" in href:
        return href
    return _URL_SPECIAL.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), unquote(href))


def _pdf(report: Report) -> bool:
    return report.source.format == "pdf"


def _scanned_pages(path: Path, pages: set[int]) -> set[int]:
    """Of ``pages`` (1-based), those without a text layer: the pages read by text recognition."""
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(str(path))
    except (pypdfium2.PdfiumError, OSError):
        return set()
    try:
        return {n for n in pages if 0 < n <= len(doc) and doc[n - 1].get_textpage().count_chars() < 20}
    finally:
        doc.close()


def crop_box(origin: Origin) -> tuple[float, float, float, float]:
    x0, top, x1, bottom = origin.box
    return (x0 - PAD, top - PAD, x1 + PAD, min(bottom, top + MAX_CROP_HEIGHT) + PAD)


def crop_name(origin: Origin) -> str:
    """The image's file, named for its page and box: rows printed as one (table 四's three) share it."""
    return f"{ROWS_DIR}/{origin.page}-" + "-".join(str(round(v)) for v in origin.box) + ".png"


def row_origins(report: Report) -> dict[str, Origin]:
    """The report's rows' origins (their paths have one dot), in a fixed order."""
    return {path: o for path, o in report.origins.items() if path.count(".") == 1}


def scanned_rows(report: Report) -> dict[str, Origin]:
    """The rows read from a scanned page of the report's PDF, whose images the page shows."""
    if not _pdf(report) or not any(w.code == "source.scanned" for w in report.warnings):
        return {}
    rows = {p: o for p, o in row_origins(report).items() if o.page and o.box}
    scanned = _scanned_pages(report.source.path, {o.page for o in rows.values()}) if rows else set()
    return {p: o for p, o in rows.items() if o.page in scanned}


def crop_paths(page: str, rows: dict[str, Origin]) -> list[str]:
    """The paths in content/ of the images of ``rows``, beside the report's ``page`` (sorted, each once)."""
    folder = posixpath.dirname(page)
    return sorted({f"{folder}/{crop_name(origin)}" for origin in rows.values()})


def crop_files(report: Report, page: str, rows: dict[str, Origin]) -> dict[str, bytes]:
    """{path in content/: PNG} of the images of ``rows``, beside the report's ``page``."""
    if not rows:
        return {}
    import cv2
    import numpy as np
    import pypdfium2

    folder = posixpath.dirname(page)
    out: dict[str, bytes] = {}
    doc = pypdfium2.PdfDocument(str(report.source.path))
    try:
        rendered: dict[int, np.ndarray] = {}
        for path, origin in rows.items():
            if origin.page not in rendered:
                rgb = doc[origin.page - 1].render(scale=CROP_SCALE, grayscale=True).to_numpy()
                rendered[origin.page] = rgb if rgb.ndim == 2 else np.ascontiguousarray(rgb[..., 0])
            image = rendered[origin.page]
            x0, top, x1, bottom = (round(v * CROP_SCALE) for v in crop_box(origin))
            piece = image[max(top, 0):max(min(bottom, image.shape[0]), 1), max(x0, 0):max(min(x1, image.shape[1]), 1)]
            piece = (piece // 64) * 85  # four greys: print stays legible, the scan's grain goes (a tenth of the bytes)
            ok, png = cv2.imencode(".png", np.ascontiguousarray(piece), [cv2.IMWRITE_PNG_COMPRESSION, 9])
            if ok:
                out[f"{folder}/{crop_name(origin)}"] = png.tobytes()
    finally:
        doc.close()
    return out


def row_sources(report: Report, original_href: str, scanned: dict[str, Origin]) -> dict[str, RowSource]:
    """{row path: its RowSource}: ``original_href`` is the original's link from the report's page;
    ``scanned`` the rows with images (``scanned_rows``)."""
    out = {}
    for path, origin in row_origins(report).items():
        if _pdf(report) and origin.page:
            href = f"{short_href(original_href)}#page={origin.page}"
            if path in scanned:
                x0, top, x1, bottom = (round(v * CROP_SCALE) for v in crop_box(origin))
                out[path] = RowSource(origin.page, href, image=crop_name(origin), width=x1 - x0, height=bottom - top)
            else:
                out[path] = RowSource(origin.page, href)
        elif origin.text:
            out[path] = RowSource(text=origin.text)
    return out


def origin_words(origin: Origin | None) -> str:
    """Where a value stands in the original, in Chinese (原文第 3 页; 原文第 1 个表格第 12 行第 3 列; 原文第 52 行)."""
    if origin is None:
        return ""
    if origin.page:
        where = f"原文第 {origin.page} 页"
    elif origin.table:
        where = f"原文第 {origin.table} 个表格第 {origin.row} 行" + (f"第 {origin.column} 列" if origin.column else "")
    elif origin.line:
        where = f"原文第 {origin.line} 行"
    else:
        where = ""
    if origin.corrections:  # the file and its line are in the open data
        where = f"{where}；维护者已对照原文更正" if where else "维护者已对照原文更正"
    return where


def cite_data(report: Report, template: Template, name: str) -> str:
    """The labels a cell's citation names, for the page's script (as JSON for the attribute ``data-cells``,
    in single quotes): the report, each table's name, each row's label, each row's columns, and each cell's
    origin in words (by the cells' anchors)."""
    tables = {}
    for table in template.tables:
        column_sets: list[list[str]] = []
        rows = []
        for row in table.rows:
            labels = [c.label for c in row.columns]
            if labels not in column_sets:
                column_sets.append(labels)
            rows.append([row_label(table, row.key), column_sets.index(labels)])
        title = re.sub(r"^[一二三四五六]、", "", table.title)  # 表三“收到和处理…”, not 表三“三、收到…”
        tables[str(TABLE_IDS[table.key])] = {"t": f"{TABLE_NUMBERS[table.key]}“{title}”", "r": rows, "c": column_sets}
    origins = {}  # a row's anchor prefix (c3-5) where all its cells are in one place, else each cell's anchor
    for table in template.tables:
        for i, row in enumerate(table.rows, 1):
            words = {cell_id(table.key, i, j): origin_words(report.origins.get(f"{table.key}.{row.key}.{column.key}"))
                     for j, column in enumerate(row.columns, 1)}
            if len(set(words.values())) == 1:
                if next(iter(words.values())):
                    origins[row_id(table.key, i)] = next(iter(words.values()))
            else:
                origins.update((k, v) for k, v in words.items() if v)
    data = {"n": name, "t": tables, "o": origins}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return html.escape(text, quote=False).replace("'", "&#39;")  # for an attribute in single quotes


def template_of(report: Report) -> Template | None:
    return TEMPLATES.get(report.template or "")
