"""Text recognition on page images: RapidOCR (PP-OCR detection and recognition models shipped in its
wheel, run by onnxruntime on the CPU, offline), with its results cached by content.

Chosen over Tesseract (Debian's chi_sim) by measurement on scans of real reports
(benchmarks/ocr_engines.py, docs/benchmarks.md): more of the text and the numbers read, and faster. The
engine uses every core for one page; a build on every core runs one report per core, each engine
on one thread (``THREADS``), so the cores are not oversubscribed.

A page's boxes are cached under ``<cache>/ocr/`` by the page image's SHA-256 and the engine's
settings, so a parser change (which re-parses every report) does not recognise the pages again.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from builder.files import write_whole

ENGINE = "rapidocr-3/PP-OCRv6-small/no-cls/det1280/rec96"  # in the cache key: change it with SETTINGS
SURE = 0.98  # RapidOCR's score from which a read is sure (below it a cell or line is marked uncertain)
CACHE_ENV = "PORTAL_CACHE_DIR"  # the build's cache folder (portal build --cache), set for its workers
DEFAULT_CACHE = Path(".cache/portal")


@dataclass(frozen=True)
class Box:
    """One recognised line of text: its box on the (deskewed) page image, in pixels, and its score (0–1)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


def threads() -> int:
    """onnxruntime threads for one page: every core, but one in a worker of the build's process pool
    (which runs one report per core)."""
    import multiprocessing

    return 1 if multiprocessing.parent_process() is not None else (os.cpu_count() or 1)


# Measured on scans of the fixtures (benchmarks/ocr_engines.py): as many numbers read as with
# RapidOCR's defaults in 60 % of the CPU time. Pages are upright (deskewed by scan.py), so no 180°
# classifier; the detector sees the page at most 1280 pixels high (at 960 it missed 6 of 424 numbers);
# a line is recognised at its own width, not padded to 320 pixels (a table page is mostly one-digit cells).
SETTINGS = {"Global.log_level": "error", "Global.use_cls": False,
            "Det.limit_type": "max", "Det.limit_side_len": 1280, "Rec.rec_img_shape": [3, 48, 96]}


@lru_cache(maxsize=2)
def engine(n_threads: int):
    from rapidocr import RapidOCR

    return RapidOCR(params={**SETTINGS, "EngineConfig.onnxruntime.intra_op_num_threads": n_threads,
                            "EngineConfig.onnxruntime.inter_op_num_threads": 1})


def _cache_file(image: np.ndarray) -> Path:
    digest = hashlib.sha256(ENGINE.encode() + str(image.shape).encode() + image.tobytes()).hexdigest()
    folder = Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE) / "ocr"
    return folder / f"{digest}.json"


def recognise(image: np.ndarray) -> list[Box]:
    """The text lines on an RGB page image (H×W×3, uint8), from the cache when it was read before."""
    path = _cache_file(image)
    try:
        return [Box(**b) for b in json.loads(path.read_text(encoding="utf-8"))]
    except (OSError, ValueError, TypeError):
        pass
    out = engine(threads())(image, use_det=True, use_cls=False, use_rec=True)  # as SETTINGS: reread changes them
    boxes = []
    if out.boxes is not None:
        for quad, text, score in zip(out.boxes, out.txts, out.scores):
            xs, ys = [float(p[0]) for p in quad], [float(p[1]) for p in quad]
            boxes.append(Box(str(text), min(xs), min(ys), max(xs), max(ys), round(float(score), 5)))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_whole(path, json.dumps([asdict(b) for b in boxes], ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # a read-only checkout still reads the report, only without the cache
    return boxes


def reread(crop: np.ndarray) -> tuple[str, float]:
    """Recognition alone, without detection, of one line of text cropped from a grey page image (a second
    look at a doubtful number: formats/second_look.py): its text and score ("", 0 if nothing is read)."""
    if min(crop.shape[:2]) < 4:
        return "", 0.0
    out = engine(threads())(np.dstack([crop] * 3), use_det=False, use_cls=False, use_rec=True)
    if not out.txts:
        return "", 0.0
    return str(out.txts[0]), round(float(out.scores[0]), 5)
