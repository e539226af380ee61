"""Scanned copies of text PDFs, as county offices publish them: every page an image of the printed paper.

Used by tests/make_scan_and_doc_fixtures.py (the committed fixtures), benchmarks/ocr_engines.py,
benchmarks/ocr_speed.py and benchmarks/scale.py. A page is rendered (pypdfium2), turned by a small angle,
given a paper tone, a little blur and noise, and red seal overlays (a 骑缝章 half-seal on the right edge
of every page, the agency's seal over the signature on the last), then saved as a JPEG page of an
image-only PDF (Pillow). Everything is seeded: the same input and seed give the same pages.

The kinds of scan agencies make (grey, one-bit, mailed, photo, seal, lineless) are defined once, in
tests/scan_kinds.py, on top of this module's rendering, seals, paper and page replacement.
"""
from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONTS = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
SEAL_RED = (215, 35, 40)


@dataclass(frozen=True)
class ScanSettings:
    dpi: int = 150
    angle: float = 0.6  # degrees, alternating in sign page by page, at most this
    quality: int = 70  # JPEG
    seal_text: str = ""  # the agency's name around the seal; no seal when empty
    seam_seal: bool = True  # a half seal on every page's right edge, as 骑缝章


def _font(size: int):
    for path in FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None


def seal(diameter: int, text: str) -> Image.Image:
    """A round red seal (RGBA): ring, the name around the top, a star in the middle."""
    img = Image.new("RGBA", (diameter, diameter), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    ring = max(diameter // 28, 3)
    draw.ellipse((ring, ring, diameter - ring, diameter - ring), outline=SEAL_RED + (210,), width=ring)
    c, r = diameter / 2, diameter / 2
    star = [(c + (r * (0.26 if i % 2 == 0 else 0.1)) * math.sin(i * math.pi / 5),
             c - (r * (0.26 if i % 2 == 0 else 0.1)) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=SEAL_RED + (210,))
    font = _font(max(diameter // 9, 8))
    if font is not None and text:
        span = math.radians(250)
        for i, ch in enumerate(text):
            a = -span / 2 + span * (i + 0.5) / len(text)
            glyph = Image.new("RGBA", (diameter // 8, diameter // 8), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((diameter // 16, diameter // 16), ch, font=font, fill=SEAL_RED + (210,),
                                       anchor="mm")
            glyph = glyph.rotate(-math.degrees(a), resample=Image.BICUBIC)
            x = c + (r * 0.72) * math.sin(a) - glyph.width / 2
            y = c - (r * 0.72) * math.cos(a) - glyph.height / 2
            img.alpha_composite(glyph, (int(x), int(y)))
    return img


def _stamp(page: Image.Image, mark: Image.Image, x: int, y: int) -> None:
    """Seal ink over the page: darkens, as ink on paper does (multiply), where the seal has ink."""
    box = Image.new("RGBA", page.size, (255, 255, 255, 0))
    box.paste(mark, (x, y))  # clipped at the page's edge
    ink = np.asarray(box).astype(np.float32)
    alpha = ink[..., 3:4] / 255.0
    base = np.asarray(page).astype(np.float32)
    mixed = base * (1 - alpha) + (base * ink[..., :3] / 255.0) * alpha
    page.paste(Image.fromarray(mixed.clip(0, 255).astype(np.uint8)))


def rotate_point(x: float, y: float, size: tuple[int, int], angle: float) -> tuple[float, float]:
    """Where (x, y) of an upright page lands after ``Image.rotate(angle)`` (counter-clockwise, about the centre)."""
    cx, cy = size[0] / 2, size[1] / 2
    t = math.radians(angle)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(t) + dy * math.sin(t), cy - dx * math.sin(t) + dy * math.cos(t)


def page_angle(index: int, settings: ScanSettings) -> float:
    return settings.angle * (1 if index % 2 == 0 else -0.7)


def scan_page(page: Image.Image, index: int, last: bool, settings: ScanSettings, rng: random.Random) -> Image.Image:
    """One upright rendered page → how it looks scanned."""
    img = page.convert("RGB")
    w, h = img.size
    if settings.seam_seal and settings.seal_text:
        d = int(w * 0.2)
        _stamp(img, seal(d, settings.seal_text), w - d // 2, int(h * (0.35 + 0.1 * rng.random())))
    if last and settings.seal_text:
        d = int(w * 0.24)
        _stamp(img, seal(d, settings.seal_text), int(w * 0.58), int(h * 0.12 + rng.random() * h * 0.05))
    img = img.rotate(page_angle(index, settings), resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    return paper(img, rng).filter(ImageFilter.GaussianBlur(0.5))


def paper(img: Image.Image, rng: random.Random, sigma: float = 4.0) -> Image.Image:
    """Paper tone and sensor noise (RGB or L)."""
    a = np.asarray(img).astype(np.float32)
    tone = np.array([0.96, 0.95, 0.92]) if a.ndim == 3 else 0.95
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, sigma, a.shape[:2])
    out = a * tone + (noise[..., None] if a.ndim == 3 else noise)
    return Image.fromarray(out.clip(0, 255).astype(np.uint8))


def render_pages(pdf: Path, dpi: int) -> list[Image.Image]:
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return [doc[i].render(scale=dpi / 72).to_pil() for i in range(len(doc))]
    finally:
        doc.close()


def last_text_page(pdf: Path) -> int:
    """The last page carrying text (a report's signature page; a blank trailing page gets no seal)."""
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return max(i for i in range(len(doc)) if doc[i].get_textpage().get_text_range().strip())
    finally:
        doc.close()


def images_to_pdf(pages: list[Image.Image], dpi: int, quality: int) -> bytes:
    """An image-only PDF: each page one JPEG, at ``dpi`` (so the page keeps its paper size); one-bit pages
    losslessly, as a copier sends them."""
    kept = list(pages) if pages[0].mode == "1" else [_jpeg(p, quality) for p in pages]
    out = io.BytesIO()
    kept[0].save(out, "PDF", save_all=True, append_images=kept[1:], resolution=float(dpi), title="scan",
                 creationDate=None, modDate=None)
    return out.getvalue()


def _jpeg(page: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    page.save(buf, "JPEG", quality=quality, optimize=True)
    return Image.open(io.BytesIO(buf.getvalue()))


def scan_pdf(pdf: Path, settings: ScanSettings, seed: int = 15, only: set[int] | None = None) -> bytes:
    """The scanned copy of ``pdf``; with ``only``, just those pages (0-based) become images (a mixed PDF)."""
    rng = random.Random(seed)
    upright = render_pages(pdf, settings.dpi)
    last = last_text_page(pdf)
    scanned = [scan_page(p, i, i == last, settings, rng) for i, p in enumerate(upright)]
    if only is None:
        return images_to_pdf(scanned, settings.dpi, settings.quality)
    return _mix(pdf, {i: scanned[i] for i in only}, settings)


def _mix(pdf: Path, images: dict[int, Image.Image], settings: ScanSettings) -> bytes:
    """``pdf`` with the pages in ``images`` replaced by those images (each an image-only page)."""
    return replace_pages(pdf, images_to_pdf(list(images.values()), settings.dpi, settings.quality), list(images))


def replace_pages(pdf: Path, scanned: bytes, indexes: list[int]) -> bytes:
    """``pdf`` with its pages ``indexes`` (0-based) replaced by the pages of the PDF ``scanned``, in order."""
    src = pypdfium2.PdfDocument(str(pdf))
    scans = pypdfium2.PdfDocument(scanned)
    out = pypdfium2.PdfDocument.new()
    for i in range(len(src)):
        if i in indexes:
            out.import_pages(scans, [indexes.index(i)])
        else:
            out.import_pages(src, [i])
    buf = io.BytesIO()
    out.save(buf)
    for d in (src, scans, out):
        d.close()
    return buf.getvalue()


def report_page(pdf: Path, dpi: int, title_share: float = 0.22, table_page: int = 2, skip: float = 0.06) -> Image.Image:
    """One page that holds a report's title and one of its tables: the top of its first page over the
    top of ``table_page`` (a report printed on one page, as agencies publish a page image)."""
    pages = render_pages(pdf, dpi)
    first, table = pages[0], pages[table_page]
    w, h = first.size
    cut, top = int(h * title_share), int(h * skip)
    page = Image.new("RGB", (w, h), "white")
    page.paste(first.crop((0, 0, w, cut)), (0, 0))
    page.paste(table.crop((0, top, w, top + h - cut)), (0, cut))
    return page


def report_page_y(y: float, height: int, title_share: float = 0.22, skip: float = 0.06) -> float | None:
    """Where ``y`` (pixels) of the table page stands on ``report_page``'s page, None where it was cut off."""
    cut, top = int(height * title_share), int(height * skip)
    return y - top + cut if top <= y < top + height - cut else None
