"""OCR engines compared on scanned copies of real reports: RapidOCR (PP-OCR models in its wheel,
onnxruntime) and Tesseract (Debian's tesseract-ocr with chi_sim), on the same pages.

    nice .venv/bin/python benchmarks/ocr_engines.py [PDF ...]

Each text PDF (default: the real reports of tests/fixtures/reports) is scanned as
tests/scans.py does (150 dpi, turned by up to 0.6°, paper tone, seals), and the page images are
read by each engine. The truth is the PDF's own text layer, moved with the page's rotation:

- characters: the share of the text layer's characters each engine read (every recognised line
  aligned with the characters under it; characters under no line count as missed);
- numbers: of the numbers printed in the text layer (table cells mostly), how many were read exactly,
  how many wrongly, and how many wrongly with a confidence of 0.9 or more (the dangerous ones);
- seconds per page: wall clock (the engine using both cores; the machine may be shared) and CPU time.

Prints one Markdown table. Needs `tesseract` on PATH for the Tesseract rows
(`apt-get install tesseract-ocr tesseract-ocr-chi-sim`).
"""
from __future__ import annotations

import argparse
import csv
import difflib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))
from scans import ScanSettings, page_angle, rotate_point, scan_page, render_pages  # noqa: E402

DEFAULT = [ROOT / "tests/fixtures/reports/pdf-table-split-across-pages-2021-one-other-row.pdf",
           ROOT / "tests/fixtures/reports/pdf-from-word-libreoffice-2019-aimin.pdf"]
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@dataclass
class Line:
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in image pixels
    text: str
    score: float


def rapidocr_lines(engine, image) -> list[Line]:
    import numpy as np

    out = engine(np.asarray(image))
    if out.boxes is None:
        return []
    return [Line((min(p[0] for p in b), min(p[1] for p in b), max(p[0] for p in b), max(p[1] for p in b)),
                 t, float(s)) for b, t, s in zip(out.boxes, out.txts, out.scores)]


def tesseract_lines(image, psm: int = 3) -> list[Line]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.png"
        image.save(path)
        tsv = subprocess.run(["tesseract", str(path), "-", "-l", "chi_sim", "--psm", str(psm), "tsv"],
                             capture_output=True, text=True, check=True).stdout
    groups: dict[tuple, list[dict]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row["level"] == "5" and row["text"].strip():
            groups.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append(row)
    lines = []
    for words in groups.values():
        x0 = min(int(w["left"]) for w in words)
        top = min(int(w["top"]) for w in words)
        x1 = max(int(w["left"]) + int(w["width"]) for w in words)
        bottom = max(int(w["top"]) + int(w["height"]) for w in words)
        text = "".join(w["text"] for w in words)
        lines.append(Line((x0, top, x1, bottom), text, min(float(w["conf"]) for w in words) / 100))
    return lines


def truth_of(pdf: Path, settings: ScanSettings):
    """Per page: the text layer's characters and numbers, as (text, x, y) at their place in the scan."""
    scale = settings.dpi / 72
    pages = []
    with pdfplumber.open(pdf) as doc:
        for i, page in enumerate(doc.pages):
            size = (round(float(page.width) * scale), round(float(page.height) * scale))
            angle = page_angle(i, settings)

            def at(obj):
                return rotate_point((obj["x0"] + obj["x1"]) / 2 * scale, (obj["top"] + obj["bottom"]) / 2 * scale,
                                    size, angle)
            chars = [(c["text"], *at(c)) for c in page.dedupe_chars().chars if c["text"].strip()]
            numbers = [(w["text"], *at(w)) for w in page.dedupe_chars().extract_words()
                       if NUMBER.fullmatch(w["text"])]
            pages.append((chars, numbers))
    return pages


def _inside(x: float, y: float, box) -> bool:
    return box[0] - 2 <= x <= box[2] + 2 and box[1] - 2 <= y <= box[3] + 2


def score(lines: list[Line], chars, numbers) -> dict[str, int]:
    matched = 0
    claimed: set[int] = set()
    for line in lines:
        under = [(y, x, t, k) for k, (t, x, y) in enumerate(chars) if k not in claimed and _inside(x, y, line.box)]
        under.sort(key=lambda c: (round(c[0] / 12), c[1]))
        claimed.update(k for *_, k in under)
        truth = "".join(t for _, _, t, _ in under)
        got = re.sub(r"\s+", "", line.text)
        sm = difflib.SequenceMatcher(None, truth, got, autojunk=False)
        matched += sum(b.size for b in sm.get_matching_blocks())
    right = wrong = sure_wrong = 0
    for text, x, y in numbers:
        hits = [line for line in lines if _inside(x, y, line.box)]
        if any(text in NUMBER.findall(line.text) for line in hits):  # lenient: anywhere in the line
            right += 1
        else:
            wrong += 1
            sure_wrong += any(line.score >= 0.9 for line in hits)
    return {"chars": len(chars), "chars_read": matched, "numbers": len(numbers), "right": right,
            "wrong": wrong, "sure_wrong": sure_wrong}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (tesseract runs as one)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path, default=DEFAULT)
    args = parser.parse_args()
    settings = ScanSettings(seal_text="某某市某某区人民政府")
    import random

    pages = []
    for pdf in args.pdfs:
        rng = random.Random(15)
        upright = render_pages(pdf, settings.dpi)
        truth = truth_of(pdf, settings)
        for i, img in enumerate(upright):
            pages.append((scan_page(img, i, i == len(upright) - 1, settings, rng), *truth[i]))

    from rapidocr import RapidOCR

    from builder.extract.formats import ocr
    engines = {
        "RapidOCR 3 (PP-OCRv6 small), its defaults": RapidOCR(params={"Global.log_level": "error"}),
        "RapidOCR 3 (PP-OCRv6 small), our settings (ocr.SETTINGS)": ocr.engine(os.cpu_count() or 1),
    }
    runs = {name: (lambda img, e=e: rapidocr_lines(e, img)) for name, e in engines.items()}
    if shutil.which("tesseract"):
        runs["Tesseract 5 chi_sim (psm 3)"] = lambda img: tesseract_lines(img, 3)
        runs["Tesseract 5 chi_sim (psm 6)"] = lambda img: tesseract_lines(img, 6)
    print(f"{len(pages)} pages of {len(args.pdfs)} reports, scanned at {settings.dpi} dpi\n")
    print("| engine | s/page (wall) | CPU s/page | characters read | numbers right | numbers wrong | wrong at conf ≥ 0.9 |")
    print("|---|---|---|---|---|---|---|")
    for name, run in runs.items():
        total: dict[str, int] = {}
        started, cpu = time.perf_counter(), _cpu()
        for img, chars, numbers in pages:
            for k, v in score(run(img), chars, numbers).items():
                total[k] = total.get(k, 0) + v
        per_page = (time.perf_counter() - started) / len(pages)
        cpu_page = (_cpu() - cpu) / len(pages)
        print(f"| {name} | {per_page:.2f} | {cpu_page:.2f} | {total['chars_read'] / total['chars']:.1%} | "
              f"{total['right']}/{total['numbers']} | {total['wrong']} | {total['sure_wrong']} |", flush=True)


if __name__ == "__main__":
    main()
