"""OCR speed: CPU seconds per scanned page and per scanned report, and wall time on both cores.

    nice .venv/bin/python benchmarks/ocr_speed.py [--reports 8]

A 6-page scanned report is made as tests/scans.py scans (the real 洪泽区 2023 PDF's five pages and
the first page of 爱民区 2019, 150 dpi, turned, seals), each copy with a seed of its own so that no
two share a page image and the OCR cache never answers. Every figure is measured with an empty OCR
cache:

- per page: CPU seconds of reading one page (render, deskew, recognition, ruling lines, cells) and
  of the recognition alone, the engine on every core (``ocr.threads``), in this process;
- one report alone: ``portal extract`` in a process of its own: wall and CPU seconds (the engine
  on every core: the latency of one report);
- many reports on both cores: ``pipeline.parse_all`` over ``--reports`` copies with two worker
  processes, one engine thread each (as ``portal build`` runs them): wall seconds per report. The
  pool hands out reports four at a time (``pipeline.parse_all``), so at least 8 keep both cores busy.

CPU seconds hardly depend on what else runs on the machine; wall seconds do, so the load average
is printed beside them.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from scans import ScanSettings, scan_pdf  # noqa: E402

HONGZE = ROOT / "tests" / "fixtures" / "reports" / "pdf-from-word-libreoffice-2021-hongze.pdf"
AIMIN = ROOT / "tests" / "fixtures" / "reports" / "pdf-from-word-libreoffice-2019-aimin.pdf"


def six_pages(seed: int) -> bytes:
    """A 6-page scanned report: 洪泽区's five pages and 爱民区's first, as page images."""
    import pypdfium2

    out = pypdfium2.PdfDocument.new()
    for pdf, pages in ((HONGZE, None), (AIMIN, [0])):
        part = pypdfium2.PdfDocument(scan_pdf(pdf, ScanSettings(seal_text="淮安市洪泽区人民政府"), seed=seed))
        out.import_pages(part, pages)
    with tempfile.TemporaryFile() as f:
        out.save(f)
        f.seek(0)
        return f.read()


def per_page(path: Path) -> list[tuple[float, float]]:
    """(CPU s reading the page, CPU s of recognition alone) for every page, in this process."""
    from builder.extract.formats import ocr, scan

    spent = [0.0]
    recognise = scan.recognise

    def timed(image):
        start = time.process_time()
        try:
            return recognise(image)
        finally:
            spent[0] += time.process_time() - start

    scan.recognise = timed
    import pypdfium2
    pages = len(pypdfium2.PdfDocument(str(path)))
    out = []
    for index in range(pages):
        spent[0] = 0.0
        start = time.process_time()
        scan.read_page(path, index)
        out.append((time.process_time() - start, spent[0]))
    scan.recognise = recognise
    ocr.engine.cache_clear()
    return out


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=8, help="reports parsed on both cores (default 8, at least 8)")
    args = parser.parse_args()
    if args.reports < 8:
        parser.error("--reports: at least 8 (the pool hands out 4 reports at a time; fewer leave a core idle)")
    from builder.extract.formats import ocr
    from builder.pipeline import parse_all

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        paths = []
        for i in range(args.reports + 2):
            path = work / f"scan-{i}.pdf"
            path.write_bytes(six_pages(seed=100 + i))
            paths.append(path)
        load = os.getloadavg()[0]

        os.environ[ocr.CACHE_ENV] = str(work / "cache-pages")
        pages = per_page(paths[0])

        env = {**os.environ, ocr.CACHE_ENV: str(work / "cache-one")}
        before, start = children_cpu(), time.perf_counter()
        subprocess.run([sys.executable, "-m", "builder", "extract", str(paths[1])], env=env, check=True,
                       capture_output=True)
        one_wall, one_cpu = time.perf_counter() - start, children_cpu() - before

        os.environ[ocr.CACHE_ENV] = str(work / "cache-many")
        many = paths[2:]
        import builder.pipeline as pipeline
        pipeline.POOL_THRESHOLD = 2  # a pool for a few reports too, as for a province's many
        before, start = children_cpu(), time.perf_counter()
        parse_all(many, None, workers=2)
        many_wall, many_cpu = time.perf_counter() - start, children_cpu() - before
        load = max(load, os.getloadavg()[0])

    page_cpu = [p for p, _ in pages]
    ocr_cpu = [o for _, o in pages]
    print(f"load average (1 min) during the run: up to {load:.1f} on {os.cpu_count()} cores\n")
    print("| figure | value |\n|---|---|")
    print(f"| CPU s per page: reading (render, deskew, OCR, rulings, cells), mean of {len(pages)} | "
          f"{sum(page_cpu) / len(pages):.2f} (min {min(page_cpu):.2f}, max {max(page_cpu):.2f}) |")
    print(f"| CPU s per page: recognition alone | {sum(ocr_cpu) / len(pages):.2f} |")
    print(f"| 6-page report alone (`portal extract`, engine on {os.cpu_count()} threads): CPU s | {one_cpu:.1f} |")
    print(f"| 6-page report alone: wall s | {one_wall:.1f} |")
    print(f"| {len(many)} 6-page reports on 2 workers (one engine thread each): wall s per report | "
          f"{many_wall / len(many):.1f} |")
    print(f"| the same: CPU s per report | {many_cpu / len(many):.1f} |")


if __name__ == "__main__":
    main()
