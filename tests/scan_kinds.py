"""Scans as agencies make them, each kind defined once here, with fixed seeds (the same source, kind
and seed give the same bytes):

- ``grey``: a greyscale office scan, 200 dpi, JPEG quality 30–55, turned by 1–2°;
- ``onebit``: a one-bit copy, 300 dpi, thresholded, with speckles (dust, toner);
- ``mailed``: a 100 dpi scan as mailed, JPEG quality 45;
- ``photo``: a phone photo of the page on a desk: corners displaced 4–8%, a light gradient across the
  page, a blur of about 1 px;
- ``seal``: the agency's red seal over a number cell of every table page, a signature stroke on the last;
- ``lineless``: the table printed with no ruling lines (the rules taken out of the rendered page);
- ``clean`` (not in ``KINDS``): the page as rendered, the reference a perfect scan gives.

Two forms. Every page of a scannable real fixture (a PDF with its hand-read tables) in a kind:
``variants()`` gives each as a ``variants.Variant`` (class ``scan.<kind>``) for tests/variants.py's
scoring, ``one_page()`` a PDF with one page of a kind, the other pages keeping their text layer, and
``page_variant()`` scores the cells that page holds (benchmarks/variants.py --scan-matrix,
tests/test_scan_pages.py). And one page of a report (its title over table 三) as an image file of a
kind: ``image_file()`` (tests/variants.scan_variant, tests/test_scan_kinds.py, benchmarks/variants.py
--scans). The rendering, seals, paper and page replacement are tests/scans.py's, which also keeps the
scan of whole reports the committed scanned fixtures were made with.
"""
from __future__ import annotations

import io
import json
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pypdfium2
from PIL import Image, ImageDraw, ImageFilter

from scans import _stamp, images_to_pdf, paper, render_pages, replace_pages, report_page, report_page_y, seal
from variants import REPORTS, Variant

KINDS = ("grey", "onebit", "mailed", "photo", "seal", "lineless")  # as agencies make them (KIND adds "clean")
SOURCES = ("pdf-from-word-libreoffice-2019-aimin", "pdf-from-word-libreoffice-2021-hongze",
           "pdf-table-split-across-pages-2021-one-other-row")
SEAL_TEXT = "人民政府信息公开专用章"


def _seed(stem: str, kind: str, seed: int) -> random.Random:
    return random.Random(zlib.crc32(f"{stem}/{kind}/{seed}".encode()))


def _turn(img: Image.Image, angle: float) -> Image.Image:
    fill = 255 if img.mode == "L" else (255, 255, 255)
    return img.rotate(angle, resample=Image.BICUBIC, fillcolor=fill)


@dataclass(frozen=True)
class Sheet:
    """What a kind may need to know of the page it scans besides its image."""

    numbers: list[tuple[float, float]]  # centres (pixels) of the numbers in its table cells
    last: bool  # the report's last page (the signature's)


def _grey(page: Image.Image, rng: random.Random, sheet: Sheet) -> Image.Image:
    angle = rng.uniform(1, 2) * rng.choice((-1, 1))
    return paper(_turn(page.convert("L"), angle), rng).filter(ImageFilter.GaussianBlur(0.5))


def _onebit(page: Image.Image, rng: random.Random, sheet: Sheet) -> Image.Image:
    grey = np.asarray(paper(_turn(page.convert("L"), rng.uniform(-0.5, 0.5)), rng, 8).filter(
        ImageFilter.GaussianBlur(0.7)))
    bits = grey > 150
    nrng = np.random.default_rng(rng.randrange(2**32))
    h, w = bits.shape
    for _ in range(int(h * w / 4000)):  # speckles: 1–3 px specks of toner
        y, x, r = nrng.integers(0, h), nrng.integers(0, w), nrng.integers(1, 3)
        bits[max(0, y - r // 2):y + r, max(0, x - r // 2):x + r] = False
    return Image.fromarray(bits.astype(np.uint8) * 255).convert("1")


def _mailed(page: Image.Image, rng: random.Random, sheet: Sheet) -> Image.Image:
    return paper(_turn(page.convert("RGB"), rng.uniform(-0.6, 0.6)), rng).filter(ImageFilter.GaussianBlur(0.4))


def _photo(page: Image.Image, rng: random.Random, sheet: Sheet) -> Image.Image:
    """The page lying on a desk, photographed from above at a slant: a keystoned quadrilateral."""
    a = np.asarray(page.convert("RGB")).astype(np.float32)
    h, w = a.shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    light = 1.0 - 0.18 * (xs / w * rng.uniform(0.3, 1) + ys / h * rng.uniform(0.3, 1)) / 2  # a light gradient
    a = a * light[..., None]
    pad = int(0.1 * w)
    out_w, out_h = w + 2 * pad, h + 2 * pad
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = []
    for x, y in src:
        dx, dy = rng.uniform(0.04, 0.08) * w, rng.uniform(0.04, 0.08) * h
        dst.append([pad + x + (dx if x == 0 else -dx) * rng.choice((1, -0.5)),
                    pad + y + (dy if y == 0 else -dy) * rng.choice((1, -0.5))])
    m = cv2.getPerspectiveTransform(src, np.float32(dst))
    desk = (95, 85, 75)
    warped = cv2.warpPerspective(a, m, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                                 borderValue=desk)
    warped = cv2.GaussianBlur(warped, (0, 0), 1.0)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 3, warped.shape[:2])[..., None]
    return Image.fromarray((warped + noise).clip(0, 255).astype(np.uint8))


def _strip_rules(page: Image.Image) -> Image.Image:
    """The page as if printed without ruling lines: the long thin strokes that make up a table's rules
    (together a quarter of the page wide or an eighth high) painted over with paper; a large title's
    strokes, as long as a short rule but standing alone, are kept."""
    a = np.asarray(page.convert("RGB")).copy()
    ink = (a.min(axis=2) < 160).astype(np.uint8) * 255
    h, w = ink.shape
    lines = np.zeros_like(ink)
    for kernel in ((max(w // 30, 20), 1), (1, max(h // 60, 20))):
        lines |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
    lines = cv2.dilate(lines, np.ones((3, 3), np.uint8))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(lines)
    rules = (stats[:, cv2.CC_STAT_WIDTH] >= w // 4) | (stats[:, cv2.CC_STAT_HEIGHT] >= h // 8)
    rules[0] = False  # the background
    a[rules[labels]] = 255
    return Image.fromarray(a)


def _lineless(page: Image.Image, rng: random.Random, sheet: Sheet) -> Image.Image:
    return paper(_turn(_strip_rules(page), rng.uniform(-0.6, 0.6)), rng).filter(ImageFilter.GaussianBlur(0.5))


def _number_cells(pdf: Path, index: int, scale: float) -> list[tuple[float, float]]:
    """Centres (pixels at ``scale``) of the numbers standing in table cells on page ``index``."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[index]
        boxes = [t.bbox for t in page.find_tables()]
        return [((w["x0"] + w["x1"]) / 2 * scale, (w["top"] + w["bottom"]) / 2 * scale)
                for w in page.extract_words() if w["text"].isdigit()
                and any(b[0] <= w["x0"] <= b[2] and b[1] <= w["top"] <= b[3] for b in boxes)]


def _signature(img: Image.Image, rng: random.Random) -> None:
    """A signature in blue-black ink: a few connected loops near the foot of the page's text."""
    w, h = img.size
    draw = ImageDraw.Draw(img)
    x, y = w * rng.uniform(0.55, 0.65), h * rng.uniform(0.25, 0.35)
    pts = []
    for i in range(60):
        t = i / 59
        pts.append((x + t * w * 0.22 + 18 * np.sin(t * 19), y + 25 * np.sin(t * 11 + 1) - t * 20))
    draw.line(pts, fill=(30, 35, 90), width=max(w // 400, 2), joint="curve")


def _seal(page: Image.Image, rng: random.Random, sheet: Sheet) -> Image.Image:
    """A red seal over one number cell of a page that has them, a signature on the last page."""
    img = page.convert("RGB")
    if sheet.numbers:
        cx, cy = rng.choice(sheet.numbers)
        d = int(img.width * 0.2)
        _stamp(img, seal(d, SEAL_TEXT), int(cx - d / 2), int(cy - d / 2))
    if sheet.last:
        _signature(img, rng)
    return paper(_turn(img, rng.uniform(-0.6, 0.6)), rng).filter(ImageFilter.GaussianBlur(0.5))


@dataclass(frozen=True)
class Kind:
    """How one kind of scan is made from a page rendered at ``dpi``."""

    dpi: int
    make: Callable[[Image.Image, random.Random, Sheet], Image.Image]
    quality: int | tuple[int, int] | None  # JPEG (a range: one drawn per scan); None: lossless
    marks_numbers: bool = False  # needs the numbers' places (Sheet.numbers)


KIND = {
    "clean": Kind(150, lambda page, rng, sheet: page, None),
    "grey": Kind(200, _grey, (30, 55)),
    "onebit": Kind(300, _onebit, None),
    "mailed": Kind(100, _mailed, 45),
    "photo": Kind(150, _photo, 80),
    "seal": Kind(150, _seal, 70, marks_numbers=True),
    "lineless": Kind(150, _lineless, 70),
}


def _quality(kind: Kind, rng: random.Random) -> int:
    """The kind's JPEG quality (0: lossless), drawn after the pages where it is a range."""
    return rng.randint(*kind.quality) if isinstance(kind.quality, tuple) else kind.quality or 0


def scan_images(pdf: Path, kind: str, seed: int = 0) -> tuple[list[Image.Image], int, int]:
    """Every page of ``pdf`` as scanned in ``kind``: the images, their dpi and JPEG quality (0: lossless)."""
    rng = _seed(pdf.stem, kind, seed)
    k = KIND[kind]
    pages = render_pages(pdf, k.dpi)
    images = [k.make(p, rng, Sheet(_number_cells(pdf, i, k.dpi / 72) if k.marks_numbers else [], i == len(pages) - 1))
              for i, p in enumerate(pages)]
    return images, k.dpi, _quality(k, rng)


def image_file(pdf: Path, kind: str, folder: Path, seed: int = 0) -> Path:
    """One page of ``pdf`` (its title over table 三, scans.report_page) scanned in ``kind``, saved in
    ``folder`` as an image file: a JPEG where the kind is one, else a PNG."""
    rng = _seed(f"{pdf.stem}.page", kind, seed)
    k = KIND[kind]
    page = report_page(pdf, k.dpi)
    numbers = []
    if k.marks_numbers:
        numbers = [(x, y) for x, y0 in _number_cells(pdf, 2, k.dpi / 72)
                   if (y := report_page_y(y0, page.height)) is not None]
    img = k.make(page, rng, Sheet(numbers, True))
    quality = _quality(k, rng)
    out = folder / f"{pdf.stem}-{kind}{'.jpg' if quality else '.png'}"
    if quality:
        img.convert("L" if img.mode in ("L", "1") else "RGB").save(out, "JPEG", quality=quality)
    else:
        img.save(out)
    return out


def scan(pdf: Path, kind: str, seed: int = 0) -> bytes:
    return images_to_pdf(*scan_images(pdf, kind, seed))


def _tables(stem: str) -> dict:
    return json.loads((REPORTS / f"{stem}.expected.json").read_text(encoding="utf-8"))["tables"]


def variants(seed: int = 0) -> list[Variant]:
    """Every scannable fixture in every kind, as variants of class ``scan.<kind>``."""
    out = []
    for stem in SOURCES:
        for kind in KINDS:
            def make(folder: Path, stem=stem, kind=kind) -> Path:
                path = folder / f"{stem}.scan-{kind}.pdf"
                path.write_bytes(scan(REPORTS / f"{stem}.pdf", kind, seed))
                return path
            out.append(Variant(f"{stem}.scan-{kind}.pdf", f"scan.{kind}", "pdf", make, _tables(stem), exact=False))
    return out


def one_page(stem: str, kind: str, index: int, seed: int = 0) -> bytes:
    """``stem``'s PDF with page ``index`` scanned in ``kind``, its other pages keeping their text layer."""
    images, dpi, quality = scan_images(REPORTS / f"{stem}.pdf", kind, seed)
    return replace_pages(REPORTS / f"{stem}.pdf", images_to_pdf([images[index]], dpi, quality), [index])


def without_page(stem: str, index: int) -> bytes:
    """``stem``'s PDF with page ``index`` blank: what the text PDF loses without it are the page's cells."""
    src = pypdfium2.PdfDocument(str(REPORTS / f"{stem}.pdf"))
    out = pypdfium2.PdfDocument.new()
    for i in range(len(src)):
        if i == index:
            out.new_page(*src[i].get_size())
        else:
            out.import_pages(src, [i])
    buf = io.BytesIO()
    out.save(buf)
    for d in (src, out):
        d.close()
    return buf.getvalue()


def page_cells(stem: str, index: int, folder: Path) -> set[str]:
    """The cells page ``index`` of ``stem``'s PDF holds: those its text layer gives and the PDF without the
    page does not."""
    from builder.pipeline import parse
    from variants import _lookup, cells

    path = folder / f"{stem}.without-{index}.pdf"
    path.write_bytes(without_page(stem, index))
    full, rest = parse(REPORTS / f"{stem}.pdf"), parse(path)
    return {p for p, _ in cells(_tables(stem)) if _lookup(full.tables, p) != _lookup(rest.tables, p)}


def page_variant(stem: str, kind: str, index: int, folder: Path, seed: int = 0) -> Variant:
    """A variant with page ``index`` scanned in ``kind``, scored on the cells that page holds only."""
    held = page_cells(stem, index, folder)
    truth = {p: v for p, v in _flat(_tables(stem)) if p in held}

    def make(out: Path) -> Path:
        path = out / f"{stem}.page{index}-{kind}.pdf"
        path.write_bytes(one_page(stem, kind, index, seed))
        return path
    return Variant(f"{stem}.page{index}-{kind}.pdf", f"scan.{kind}", "pdf", make, _nest(truth), exact=False)


def _flat(tables: dict):
    from variants import cells
    return cells(tables)


def _nest(flat: dict) -> dict:
    out: dict = {}
    for path, value in flat.items():
        *parents, leaf = path.split(".")
        cur = out
        for p in parents:
            cur = cur.setdefault(p, {})
        cur[leaf] = value
    return out
