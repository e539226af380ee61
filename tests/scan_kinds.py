"""Scans as agencies make them: every scannable real fixture (a PDF with its hand-read tables) made
into a scan of each kind below, with fixed seeds (the same fixture, kind and seed give the same bytes).

- ``grey``: a greyscale office scan, 200 dpi, JPEG quality 30–55, turned by 1–2°;
- ``onebit``: a one-bit copy, 300 dpi, thresholded, with speckles (dust, toner);
- ``mailed``: a 100 dpi scan as mailed, JPEG quality 45;
- ``photo``: a phone photo of the page on a desk: corners displaced 4–8%, a light gradient across the
  page, a blur of about 1 px;
- ``seal``: the agency's red seal over a number cell of every table page, a signature stroke on the last;
- ``lineless``: the table printed with no ruling lines (the rules taken out of the rendered page).

``variants()`` gives each as a ``variants.Variant`` (class ``scan.<kind>``) for tests/variants.py's
scoring; ``one_page()`` gives a PDF with one page of a kind, the other pages keeping their text layer,
and the cells that page holds. Used by benchmarks/variants.py --scan-matrix and tests/test_scan_pages.py
(tests/scans.SCAN_KINDS, beside it, makes one page of a report into image files of such kinds).
"""
from __future__ import annotations

import io
import json
import random
import zlib
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pypdfium2
from PIL import Image, ImageDraw, ImageFilter

from scans import _stamp, images_to_pdf, render_pages, seal
from variants import REPORTS, Variant

KINDS = ("grey", "onebit", "mailed", "photo", "seal", "lineless")
SOURCES = ("pdf-from-word-libreoffice-2019-aimin", "pdf-from-word-libreoffice-2021-hongze",
           "pdf-table-split-across-pages-2021-one-other-row")
SEAL_TEXT = "人民政府信息公开专用章"


def _seed(stem: str, kind: str, seed: int) -> random.Random:
    return random.Random(zlib.crc32(f"{stem}/{kind}/{seed}".encode()))


def _paper(img: Image.Image, rng: random.Random, sigma: float = 4.0) -> Image.Image:
    """Paper tone and sensor noise (RGB or L)."""
    a = np.asarray(img).astype(np.float32)
    tone = np.array([0.96, 0.95, 0.92]) if a.ndim == 3 else 0.95
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, sigma, a.shape[:2])
    out = a * tone + (noise[..., None] if a.ndim == 3 else noise)
    return Image.fromarray(out.clip(0, 255).astype(np.uint8))


def _turn(img: Image.Image, angle: float) -> Image.Image:
    fill = 255 if img.mode == "L" else (255, 255, 255)
    return img.rotate(angle, resample=Image.BICUBIC, fillcolor=fill)


def _grey(page: Image.Image, index: int, rng: random.Random) -> Image.Image:
    angle = rng.uniform(1, 2) * rng.choice((-1, 1))
    return _paper(_turn(page.convert("L"), angle), rng).filter(ImageFilter.GaussianBlur(0.5))


def _onebit(page: Image.Image, index: int, rng: random.Random) -> Image.Image:
    grey = np.asarray(_paper(_turn(page.convert("L"), rng.uniform(-0.5, 0.5)), rng, 8).filter(
        ImageFilter.GaussianBlur(0.7)))
    bits = grey > 150
    nrng = np.random.default_rng(rng.randrange(2**32))
    h, w = bits.shape
    for _ in range(int(h * w / 4000)):  # speckles: 1–3 px specks of toner
        y, x, r = nrng.integers(0, h), nrng.integers(0, w), nrng.integers(1, 3)
        bits[max(0, y - r // 2):y + r, max(0, x - r // 2):x + r] = False
    return Image.fromarray(bits.astype(np.uint8) * 255).convert("1")


def _mailed(page: Image.Image, index: int, rng: random.Random) -> Image.Image:
    return _paper(_turn(page.convert("RGB"), rng.uniform(-0.6, 0.6)), rng).filter(ImageFilter.GaussianBlur(0.4))


def _photo(page: Image.Image, index: int, rng: random.Random) -> Image.Image:
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
    """The page as if printed without ruling lines: long thin strokes painted over with paper."""
    a = np.asarray(page.convert("RGB")).copy()
    ink = (a.min(axis=2) < 160).astype(np.uint8) * 255
    h, w = ink.shape
    lines = np.zeros_like(ink)
    for kernel in ((max(w // 30, 20), 1), (1, max(h // 60, 20))):
        lines |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
    lines = cv2.dilate(lines, np.ones((3, 3), np.uint8))
    a[lines > 0] = 255
    return Image.fromarray(a)


def _lineless(page: Image.Image, index: int, rng: random.Random) -> Image.Image:
    return _paper(_turn(_strip_rules(page), rng.uniform(-0.6, 0.6)), rng).filter(ImageFilter.GaussianBlur(0.5))


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


def seal_pages(pdf: Path, pages: list[Image.Image], dpi: int, rng: random.Random) -> list[Image.Image]:
    """A red seal over one number cell of every page that has them, a signature on the last page."""
    out = []
    for i, page in enumerate(pages):
        img = page.convert("RGB")
        numbers = _number_cells(pdf, i, dpi / 72)
        if numbers:
            cx, cy = rng.choice(numbers)
            d = int(img.width * 0.2)
            _stamp(img, seal(d, SEAL_TEXT), int(cx - d / 2), int(cy - d / 2))
        if i == len(pages) - 1:
            _signature(img, rng)
        out.append(_paper(_turn(img, rng.uniform(-0.6, 0.6)), rng).filter(ImageFilter.GaussianBlur(0.5)))
    return out


KIND_SETTINGS = {  # kind → (dpi, page function, JPEG quality or a range of them)
    "grey": (200, _grey, (30, 55)),
    "onebit": (300, _onebit, None),
    "mailed": (100, _mailed, 45),
    "photo": (150, _photo, 80),
    "seal": (150, None, 70),
    "lineless": (150, _lineless, 70),
}


def scan_images(pdf: Path, kind: str, seed: int = 0) -> tuple[list[Image.Image], int, int]:
    """Every page of ``pdf`` as scanned in ``kind``: the images, their dpi and JPEG quality."""
    rng = _seed(pdf.stem, kind, seed)
    dpi, change, quality = KIND_SETTINGS[kind]
    pages = render_pages(pdf, dpi)
    if kind == "seal":
        images = seal_pages(pdf, pages, dpi, rng)
    else:
        images = [change(p, i, rng) for i, p in enumerate(pages)]
    if isinstance(quality, tuple):
        quality = rng.randint(*quality)
    return images, dpi, quality or 0


def to_pdf(images: list[Image.Image], dpi: int, quality: int) -> bytes:
    """An image-only PDF; one-bit pages losslessly (as a copier sends them), the others as JPEG."""
    if images[0].mode != "1":
        return images_to_pdf(images, dpi, quality)
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi), title="scan",
                   creationDate=None, modDate=None)
    return out.getvalue()


def scan(pdf: Path, kind: str, seed: int = 0) -> bytes:
    return to_pdf(*scan_images(pdf, kind, seed))


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
    src = pypdfium2.PdfDocument(str(REPORTS / f"{stem}.pdf"))
    scanned = pypdfium2.PdfDocument(to_pdf([images[index]], dpi, quality))
    out = pypdfium2.PdfDocument.new()
    for i in range(len(src)):
        out.import_pages(scanned if i == index else src, [0 if i == index else i])
    buf = io.BytesIO()
    out.save(buf)
    for d in (src, scanned, out):
        d.close()
    return buf.getvalue()


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
