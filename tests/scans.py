"""Scanned copies of text PDFs, as county offices publish them: every page an image of the printed paper.

Used by tests/make_scanned_fixtures.py (the committed fixtures), benchmarks/ocr_engines.py and
benchmarks/scale.py. A page is rendered (pypdfium2), turned by a small angle, given a paper tone, a
little blur and noise, and red seal overlays (a 骑缝章 half-seal on the right edge of every page, the
agency's seal over the signature on the last), then saved as a JPEG page of an image-only PDF
(Pillow). Everything is seeded: the same input and seed give the same pages.
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
    paper = np.asarray(img).astype(np.float32) * np.array([0.96, 0.95, 0.92])  # paper tone
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 4, paper.shape[:2])[..., None]
    img = Image.fromarray((paper + noise).clip(0, 255).astype(np.uint8))
    return img.filter(ImageFilter.GaussianBlur(0.5))


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
    """An image-only PDF: each page one JPEG, at ``dpi`` (so the page keeps its paper size)."""
    jpegs = []
    for p in pages:
        buf = io.BytesIO()
        p.save(buf, "JPEG", quality=quality, optimize=True)
        jpegs.append(Image.open(io.BytesIO(buf.getvalue())))
    out = io.BytesIO()
    jpegs[0].save(out, "PDF", save_all=True, append_images=jpegs[1:], resolution=float(dpi), title="scan",
                  creationDate=None, modDate=None)
    return out.getvalue()


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
    src = pypdfium2.PdfDocument(str(pdf))
    scans = pypdfium2.PdfDocument(images_to_pdf(list(images.values()), settings.dpi, settings.quality))
    out = pypdfium2.PdfDocument.new()
    keys = list(images)
    for i in range(len(src)):
        if i in images:
            out.import_pages(scans, [keys.index(i)])
        else:
            out.import_pages(src, [i])
    buf = io.BytesIO()
    out.save(buf)
    for d in (src, scans, out):
        d.close()
    return buf.getvalue()


# ---------------------------------------------------------------- scan kinds (issue #34)

def report_page(pdf: Path, dpi: int, title_share: float = 0.22, table_page: int = 2, skip: float = 0.06) -> Image.Image:
    """One page that holds a report's title and one of its tables: the top of its first page over the
    top of ``table_page`` (a report printed on one page, as agencies publish a page image)."""
    pages = render_pages(pdf, dpi)
    first, table = pages[0], pages[table_page]
    w, h = first.size
    cut = int(h * title_share)
    page = Image.new("RGB", (w, h), "white")
    page.paste(first.crop((0, 0, w, cut)), (0, 0))
    page.paste(table.crop((0, int(h * skip), w, int(h * skip) + h - cut)), (0, cut))
    return page


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert(img.mode)


def _turned(img: Image.Image, rng: random.Random, low: float, high: float) -> Image.Image:
    angle = rng.uniform(low, high) * rng.choice((-1, 1))
    return img.rotate(angle, resample=Image.BICUBIC, fillcolor=(255,) * len(img.getbands()))


def _lines_erased(img: Image.Image) -> Image.Image:
    """The table's ruling lines painted white: a table printed without lines."""
    import cv2

    gray = np.asarray(img.convert("L"))
    ink = (gray < 160).astype(np.uint8)
    w = img.size[0]
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (w // 12, 1))) | \
        cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, w // 30)))
    lines = cv2.dilate(lines, np.ones((3, 3), np.uint8))
    out = np.asarray(img.convert("RGB")).copy()
    out[lines > 0] = 255
    return Image.fromarray(out)


def _keystone(img: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo of the page: corners displaced 4–8% (perspective), a light gradient, about 1 px blur."""
    import cv2

    rgb = np.asarray(img.convert("RGB"))
    h, w = rgb.shape[:2]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    d = [rng.uniform(0.04, 0.08) for _ in range(4)]
    dst = np.float32([[w * d[0], h * d[0] / 2], [w * (1 - d[1]), h * d[1] / 3], [w * (1 - d[2] / 2), h],
                      [w * d[3] / 2, h * (1 - d[3] / 3)]])
    warped = cv2.warpPerspective(rgb, cv2.getPerspectiveTransform(src, dst), (w, h), flags=cv2.INTER_CUBIC,
                                 borderValue=(90, 80, 70))  # the desk around the sheet
    light = np.linspace(1.0, 0.78, w, dtype=np.float32)[None, :, None] * np.linspace(1.0, 0.9, h, dtype=np.float32)[:, None, None]
    lit = (warped.astype(np.float32) * light).clip(0, 255).astype(np.uint8)
    return Image.fromarray(lit).filter(ImageFilter.GaussianBlur(1.0))


def _sealed_and_signed(img: Image.Image, rng: random.Random, seal_text: str) -> Image.Image:
    """A red seal over the table's first rows of numbers and a signature stroke below the title."""
    page = img.convert("RGB")
    w, h = page.size
    d = int(w * 0.22)
    _stamp(page, seal(d, seal_text), int(w * 0.52), int(h * 0.60))
    draw = ImageDraw.Draw(page)
    x0, y0 = int(w * 0.62), int(h * 0.17)
    points = [(x0 + i * w * 0.012, y0 + math.sin(i * 0.9 + rng.random()) * h * 0.008) for i in range(16)]
    draw.line(points, fill=(20, 20, 40), width=max(w // 400, 2), joint="curve")
    return page


@dataclass(frozen=True)
class ScanKind:
    """How one kind of scan is made from a page rendered at ``dpi``, and the file it is saved as."""

    dpi: int
    suffix: str
    make: object  # (page image, rng) → scanned image
    quality: int | None = None  # JPEG


SCAN_KINDS = {
    "clean_150dpi": ScanKind(150, ".png", lambda p, r: p),  # the reference: what a perfect scan gives
    "grey_200dpi_jpeg": ScanKind(200, ".jpg", lambda p, r: _turned(p.convert("L"), r, 1, 2), quality=42),
    "one_bit_300dpi": ScanKind(300, ".png", lambda p, r: _speckled(_turned(p.convert("L"), r, 0.3, 0.8), r)),
    "mailed_100dpi": ScanKind(100, ".jpg", lambda p, r: p.convert("L"), quality=45),
    "phone_photo": ScanKind(150, ".jpg", lambda p, r: _keystone(p, r), quality=80),
    "seal_and_signature": ScanKind(150, ".jpg", lambda p, r: _sealed_and_signed(p, r, "淮安市洪泽区人民政府"), quality=70),
    "lineless_table": ScanKind(150, ".png", lambda p, r: _turned(_lines_erased(p), r, 0.2, 0.5)),
}


def _speckled(gray: Image.Image, rng: random.Random) -> Image.Image:
    """One bit after a threshold, with speckles (dust on the glass, toner)."""
    bits = np.asarray(gray) < 150
    noise = np.random.default_rng(rng.randrange(2**32)).random(bits.shape)
    bits = (bits & (noise > 0.002)) | (noise < 0.0015)
    return Image.fromarray(np.where(bits, 0, 255).astype(np.uint8)).convert("1")


def scan_kind_file(pdf: Path, kind: str, folder: Path, seed: int = 34) -> Path:
    """One page of ``pdf`` (title and table 三) scanned as ``kind``, saved as an image file in ``folder``."""
    spec = SCAN_KINDS[kind]
    rng = random.Random(f"{seed}-{kind}")
    img = spec.make(report_page(pdf, spec.dpi), rng)
    out = folder / f"{pdf.stem}-{kind}{spec.suffix}"
    if spec.quality is not None:
        img.convert("L" if img.mode in ("L", "1") else "RGB").save(out, "JPEG", quality=spec.quality)
    else:
        img.save(out)
    return out
