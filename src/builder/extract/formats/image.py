"""A report published as an image file (.jpg, .png): read as a scan of one page (scan.py).

The image is decoded by OpenCV and scaled so that its long side is that of an A4 page at ``scan.DPI``
(a photo of 4000 pixels is brought down, a 100 dpi scan brought up), then read like a scanned PDF page
(its red channel, in which red seals fade and black print stays; red ink lifted for the text): deskewed,
recognised, ruled tables made into cells. Every number so read goes through the same cross-check
(extract/scanned.py).
"""
from __future__ import annotations

from pathlib import Path

from builder.errors import UnreadableReport
from builder.models import Block

A4_LONG_INCHES = 297 / 25.4
NOTE = "本报告是一张图片（扫描件或照片），其文字由文字识别（OCR）读出。"


def read(path: Path) -> tuple[Block, ...]:
    try:
        import cv2
        import numpy as np

        from builder.extract.formats import scan
    except ImportError as exc:
        raise UnreadableReport(path, f"the report is an image, and reading images needs {exc.name}, which is "
                                     "not installed",
                               "install the project again (pip install -e .), which brings the OCR packages") from exc
    image = cv2.imdecode(np.frombuffer(path.read_bytes(), np.uint8), cv2.IMREAD_COLOR)
    if image is None or min(image.shape[:2]) < 16:
        raise UnreadableReport(path, "not a readable image: damaged, truncated or not a JPEG/PNG",
                               "download the report again and commit the complete file, or a PDF of it")
    rgb = np.ascontiguousarray(image[..., ::-1])  # OpenCV's colour order is blue, green, red
    long_side = min(round(A4_LONG_INCHES * scan.DPI), scan.MAX_SIDE)
    scale = long_side / max(rgb.shape[:2])
    if abs(scale - 1) > 0.05:
        rgb = cv2.resize(rgb, None, fx=scale, fy=scale,
                         interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    blocks = scan.image_to_blocks(np.ascontiguousarray(rgb[..., 0]), text_image=scan.unsealed(rgb))
    if sum(len((b.text or "").strip()) + sum(len(c.text) for c in (b.grid.cells if b.grid else ())) for b in blocks) < 20:
        raise UnreadableReport(path, "text recognition found no text in the image (blank, or too faint or small "
                                     "to read)", "commit a clearer scan (150 dpi or more), a text PDF or the report's text")
    return (Block("note", NOTE), *blocks)
