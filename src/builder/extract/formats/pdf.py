"""PDF reports (pdfplumber): ruled tables as cell grids, the rest as text lines, in reading order.

Per page: fake-bold doubled characters are removed (``dedupe_chars``), ruled tables are read from
the page geometry, and the text outside them comes as lines; both are ordered top to bottom, so a
table continued on the next page continues in the text the shared matcher reads, and a grid continued
on the next page is joined to its first part (continued.py). A page whose text
decodes as garbage (``(cid:12)``, private-use characters) is read again with pypdfium2.
"""
from __future__ import annotations

import dataclasses
import logging
import re
import time
import zlib
from pathlib import Path

import pdfplumber
from pdfminer import pdftypes
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError

from builder.errors import UnreadableReport
from builder.extract.formats.continued import join_pages
from builder.models import Block, Cell, Grid, Origin

MAX_PAGES = 40  # an annual report is 3–20 pages: past this only the first pages are read, with a warning
MAX_STREAM = 128 * 1024 * 1024  # one inflated stream: a page's text is KBs, a colour A4 scan at 600 dpi 100 MB


class StreamTooLarge(Exception):
    """A stream of the PDF inflates beyond MAX_STREAM (a few KB can expand to gigabytes)."""


class _BoundedZlib:
    """What pdfminer's streams are inflated with (it calls zlib.decompress on the whole stream): the same,
    stopped past MAX_STREAM. A truncated stream gives what it holds, as pdfminer's own fallback does."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)

    @staticmethod
    def decompress(data: bytes, *args) -> bytes:
        inflated = zlib.decompressobj().decompress(data, MAX_STREAM + 1)
        if len(inflated) > MAX_STREAM:
            raise StreamTooLarge(f"a stream of the PDF expands to more than {MAX_STREAM // 2**20} MB")
        return inflated


pdftypes.zlib = _BoundedZlib  # type: ignore[assignment]  # every pdfminer stream in this process


def _too_large(path: Path, exc: BaseException) -> UnreadableReport | None:
    cause = exc if isinstance(exc, StreamTooLarge) else exc.__cause__ or exc.__context__
    if isinstance(cause, StreamTooLarge):
        return UnreadableReport(path, f"not read: {cause} (a report is far smaller; the file may be damaged or "
                                      f"built to exhaust memory)", "export the PDF again, or commit the report's text")
    return None
TIME_BUDGET = 60  # CPU seconds of reading per report before the rest of its pages are left, with a warning
# (CPU, not wall-clock, time: on a busy machine a report is not cut short, so the output does not depend
# on the load; text recognition is not counted: a page recognised before comes from the OCR cache at no
# cost, so counting it would make the pages read depend on the cache; its cost is bounded per page by
# scan.MAX_SIDE and per report by MAX_PAGES)
MARGIN = 0.08  # the top and bottom share of a page where running headers and footers sit
_GARBAGE = re.compile(r"\(cid:\d+\)|[\ue000-\uf8ff\ufffd]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font warnings are noise to a maintainer


def _encrypted(exc: BaseException) -> bool:
    seen = {exc, *filter(None, (exc.__cause__, exc.__context__)), *(a for a in exc.args if isinstance(a, BaseException))}
    return any(isinstance(e, PDFPasswordIncorrect) or "Encrypt" in type(e).__name__ for e in seen)


def _inside(obj: dict, bbox: tuple[float, float, float, float]) -> bool:
    x = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
    y = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def box_of(obj) -> tuple[float, float, float, float]:
    """A box in PDF points (x0, top, x1, bottom), to a tenth of a point: the same digits on every build."""
    return tuple(round(float(v), 1) for v in obj)  # type: ignore[return-value]


def _grid(table, page_number: int = 0) -> Grid:
    """pdfplumber's table as a grid: a merged cell (one bounding box over several rows or columns of
    the table) is one cell with its spans; its text is read once. Each cell's origin is its page and box."""
    texts = table.extract()
    tops = sorted({row.bbox[1] for row in table.rows})
    lefts = sorted({cell[0] for row in table.rows for cell in row.cells if cell is not None})
    cells = []
    for r, (row, row_texts) in enumerate(zip(table.rows, texts)):
        for box, text in zip(row.cells, row_texts):
            if box is None:
                continue
            x0, top, x1, bottom = box
            col = lefts.index(x0)
            colspan = sum(1 for x in lefts if x0 <= x < x1 - 0.5)
            rowspan = sum(1 for y in tops if top <= y < bottom - 0.5)
            cells.append(Cell((text or "").strip(), r, col, max(rowspan, 1), max(colspan, 1),
                              origin=Origin(page=page_number or None, box=box_of(box))))
    return Grid(tuple(cells), len(table.rows), len(lefts))


def _garbage_share(text: str) -> float:
    bad = sum(len(m.group()) for m in _GARBAGE.finditer(text))
    return bad / max(len(text), 1)


def _page_blocks(page) -> list[tuple[float, Block]]:
    unique = page.dedupe_chars()
    ruled = any(unique.objects.get(kind) for kind in ("line", "rect", "curve"))  # table edges come from these
    tables = unique.find_tables() if ruled else []
    items: list[tuple[float, Block]] = []
    boxes = [table.bbox for table in tables]
    for table, box in zip(tables, boxes):
        items.append((box[1], Block("table", grid=_grid(table, page.page_number))))
    outside = unique.filter(lambda obj: not any(_inside(obj, box) for box in boxes)) if tables else unique
    margin = page.height * MARGIN
    for line in outside.extract_text_lines(keep_blank_chars=False):
        in_margin = line["top"] < margin or line["bottom"] > page.height - margin
        origin = Origin(page=page.page_number, box=box_of((line["x0"], line["top"], line["x1"], line["bottom"])))
        items.append((line["top"], Block("line", line["text"], level=1 if in_margin else 0, origin=origin)))
    items.sort(key=lambda item: item[0])
    return items


def _drop_running_lines(pages: list[list[Block]]) -> list[list[Block]]:
    """Remove running headers and footers: a line in the page margin that recurs on other pages.

    Digits are ignored when comparing ("第 3 页", "2023年报 - 4"), so a page number in a footer
    does not make it unique. (Block.level marks a margin line here, only inside this module.)
    """
    def key(b: Block) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", b.text))

    seen: dict[str, int] = {}
    for blocks in pages:
        for k in {key(b) for b in blocks if b.kind == "line" and b.level == 1 and b.text.strip()}:
            seen[k] = seen.get(k, 0) + 1
    running = {k for k, n in seen.items() if n >= 2}
    return [[b if b.kind != "line" else dataclasses.replace(b, level=0)
             for b in blocks if not (b.kind == "line" and b.level == 1 and key(b) in running)]
            for blocks in pages]


def _pdfium_lines(path: Path, index: int) -> list[Block]:
    """The page's text by a second engine (PDFium); [] if it cannot read the file either."""
    import pypdfium2

    try:
        doc = pypdfium2.PdfDocument(str(path))
    except pypdfium2.PdfiumError:
        return []
    try:
        text = doc[index].get_textpage().get_text_range()
    finally:
        doc.close()
    return [Block("line", line, origin=Origin(page=index + 1)) for line in text.replace("\r\n", "\n").split("\n")]


def _recognised(path: Path, index: int) -> list[Block]:
    """A scanned page, read by text recognition. Its packages (OpenCV, RapidOCR) are imported only here:
    reports with text need none of them, so an environment installed before they were added still
    reads every other report."""
    try:
        from builder.extract.formats import scan
    except ImportError as exc:
        raise UnreadableReport(path, f"page {index + 1} is a scan, and reading scans needs {exc.name}, "
                                     "which is not installed",
                               "install the project again (pip install -e .), which brings the OCR packages") from exc
    return scan.read_page(path, index)

def _scanned(page, text: str) -> bool:
    """A page of print as an image: hardly any text layer, and an image over most of the page."""
    if len(re.sub(r"\s+", "", text)) >= 20:
        return False
    area = float(page.width) * float(page.height)
    return any((img["x1"] - img["x0"]) * (img["bottom"] - img["top"]) >= 0.5 * area for img in page.images)


def read(path: Path) -> tuple[Block, ...]:
    try:
        pdf = pdfplumber.open(path)
        pages = pdf.pages
    except (PDFPasswordIncorrect, PDFSyntaxError, Exception) as exc:  # pdfminer has many error types
        if refused := _too_large(path, exc):
            raise refused from exc
        if _encrypted(exc):
            raise UnreadableReport(path, "the PDF is encrypted (password-protected)",
                                   "commit a copy without a password, or the report's text") from exc
        raise UnreadableReport(path, "not a readable PDF: damaged or truncated "
                                     f"({exc.__class__.__name__})",
                               "download the report again and commit the complete file") from exc
    per_page: list[list[Block]] = []
    han = 0
    with pdf:
        if not pages:
            raise UnreadableReport(path, "the PDF has no pages", "commit the complete file")
        notes: list[Block] = []
        if len(pages) > MAX_PAGES:
            notes.append(Block("note", f"PDF 共 {len(pages)} 页，远多于一份年报（通常 3–20 页）：只读取了前 "
                                       f"{MAX_PAGES} 页。请只提交年报本身。"))
        chars = 0
        scanned: list[int] = []  # 1-based numbers of the pages read by text recognition
        started, recognising = time.process_time(), 0.0
        for index, page in enumerate(pages[:MAX_PAGES]):
            if time.process_time() - started - recognising > TIME_BUDGET:
                notes.append(Block("note", f"读取 PDF 用时超过 {TIME_BUDGET} 秒（处理器时间），只读取了前 {index} 页（共 {len(pages)} 页）。"))
                break
            try:
                items = [b for _, b in _page_blocks(page)]
            except Exception as exc:  # noqa: BLE001 - one damaged page: say which
                if refused := _too_large(path, exc):
                    raise refused from exc
                raise UnreadableReport(path, f"page {index + 1} cannot be read ({exc.__class__.__name__})",
                                       "download the report again and commit the complete file") from exc
            text = "\n".join(b.text or "\t".join(c.text for c in b.grid.cells) for b in items)
            if _scanned(page, text):
                before = time.process_time()
                items = _recognised(path, index)
                recognising += time.process_time() - before
                text = "\n".join(b.text or "\t".join(c.text for c in b.grid.cells) for b in items)
                scanned.append(index + 1)
            elif _garbage_share(text) > 0.2:
                items = _pdfium_lines(path, index)
                text = "\n".join(b.text for b in items)
                if not text.strip() or _garbage_share(text) > 0.2:
                    raise UnreadableReport(path, f"page {index + 1}'s text layer decodes as garbage "
                                                 f"(fonts without a Unicode map)",
                                           "commit a PDF exported with embedded Unicode fonts, or the text")
            chars += len(text.strip())
            han += len(_HAN.findall(text))
            per_page.append(items)
    if chars < 20:
        if scanned:
            raise UnreadableReport(path, "the PDF has no text layer (a scan), and text recognition found no "
                                         "text on its pages (blank, or too faint or small to read)",
                                   "commit a clearer scan (150 dpi or more), a text PDF or the report's text")
        raise UnreadableReport(path, "the PDF has no text layer and no page image to read",
                               "commit a text PDF or the report's text")
    if han < 20:
        raise UnreadableReport(path, "the PDF's text layer has no Chinese text (fonts without a Unicode map)",
                               "commit a PDF exported with embedded Unicode fonts, or the report's text")
    if scanned and len(scanned) < len(per_page):  # a mixed PDF: say which pages were recognised
        notes.append(Block("note", f"第 {'、'.join(map(str, scanned))} 页是扫描图像（没有文字层），其文字由文字识别"
                                   f"（OCR）读出；其余各页取自文字层。"))
    return (*notes, *join_pages(_drop_running_lines(per_page)))  # a table continued on the next page: one grid
