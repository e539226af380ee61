"""The variant harness's figures: per variant class, the share of cells read right.

    .venv/bin/python benchmarks/variants.py            # one line per class
    .venv/bin/python benchmarks/variants.py --details  # and one per variant, with its unknown cells
    .venv/bin/python benchmarks/variants.py --class table4_break --class table4_break_group  # only these classes
    .venv/bin/python benchmarks/variants.py --scans    # only the scan kinds (one OCR page each, minutes)
    .venv/bin/python benchmarks/variants.py --scan-matrix  # only the scan kinds, every page of every PDF fixture
    .venv/bin/python benchmarks/variants.py --scan-matrix --kind lineless  # one kind (--kind again for more)

Every real report fixture of tests/fixtures/reports is changed in each of issue #12's ways
(tests/variants.py says which) in every format the change applies to; a cell is right when it is
the printed value (or null with a warning where the variant prints nothing), unknown when it is null
with a warning naming it, wrong otherwise. Wrong must be 0 everywhere; right should be ≥ 99%.

With ``--scan-matrix``, every page of every scannable real PDF fixture is scanned in each of issue #34's
kinds (tests/scan_kinds.py: ``scan.grey``, ``scan.onebit``, ``scan.mailed``, ``scan.photo``, ``scan.seal``,
``scan.lineless``), every page recognised (OCR, with an empty cache: a few CPU seconds a page).
Wrong must be 0; right should be ≥ 95% for every kind but the photo and the lineless table. Its last
column says what share of the cells a perfect read of the pages could give: a number in a rule the printed
table itself breaks (爱民区 2019's 总计 of table 三, 洪泽区 2021's 行政复议 totals) is withheld from a scan
whatever its confidence (extract/scanned.py), so these fixtures' ceiling is 538 of 598 cells (90.0%).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from builder.extract.formats import ocr  # noqa: E402
import scan_kinds  # noqa: E402  (tests/scan_kinds.py)
import variants  # noqa: E402  (tests/variants.py)


def ceiling(v) -> int:
    """The cells of a scan variant a perfect read gives: every printed number recognised as printed, surely,
    and cross-checked as a scan's numbers are (extract/scanned.py); not printed cells count as right."""
    from builder.extract import scanned
    from builder.extract.templates import TEMPLATES
    from builder.pipeline import parse

    template = TEMPLATES[parse(variants.REPORTS / f"{v.name.split('.scan-')[0]}.pdf").template]
    read = {p: scanned.Recognised(str(x), 1.0) for p, x in variants.cells(v.tables) if isinstance(x, (int, float))}
    kept, _ = scanned.cross_check(template, v.tables, read)
    return sum(1 for p, x in variants.cells(v.tables) if x is None or variants._lookup(kept, p) is not None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--scans", action="store_true", help="score one page of a report as an image file of each kind of tests/scan_kinds.py instead")
    parser.add_argument("--scan-matrix", action="store_true",
                        help="score every page of every scannable PDF fixture in each kind of tests/scan_kinds.py instead")
    parser.add_argument("--class", dest="classes", action="append", metavar="CLASS", choices=variants.CLASSES,
                        help="score only this variant class (repeatable)")
    parser.add_argument("--kind", action="append", choices=list(scan_kinds.KIND), metavar="KIND",
                        help="with --scans or --scan-matrix: only this kind (again for more); "
                             f"one of {', '.join(scan_kinds.KIND)}")
    args = parser.parse_args()
    kinds = args.kind or list(scan_kinds.KIND)
    by_class: dict[str, list] = defaultdict(list)
    if args.scans:
        chosen = [variants.scan_variant(kind) for kind in kinds]
        classes = [v.cls for v in chosen]
    elif args.scan_matrix:
        chosen = [v for v in scan_kinds.variants() if v.cls.removeprefix("scan.") in kinds]
        classes = [f"scan.{kind}" for kind in scan_kinds.KINDS if kind in kinds]
    else:
        classes = args.classes or list(variants.CLASSES)
        chosen = [v for v in variants.all_variants() if v.cls in classes]
    with tempfile.TemporaryDirectory() as tmp:
        if args.scan_matrix:
            os.environ[ocr.CACHE_ENV] = str(Path(tmp) / "cache")  # every page recognised afresh
        for v in chosen:
            folder = Path(tmp) / v.name
            folder.mkdir()
            try:
                s = variants.score(v, folder)
            except FileNotFoundError:
                continue  # a PDF variant not generated (tests/make_variant_pdfs.py needs LibreOffice)
            by_class[v.cls].append((v, s))
            if args.details:
                print(f"{v.name}: right {s.right}/{s.total}, unknown {s.unknown}, wrong {len(s.wrong)}"
                      + (f" {s.wrong[:3]}" if s.wrong else ""), flush=True)
    reference = sum(s.right for _, s in by_class.get("scan:clean", []))  # what a perfect scan of the page gives
    extra = " right % of a clean scan |" if args.scans else " right % of what the rules allow |" if args.scan_matrix else ""
    print("| class | variants (formats) | cells | right | unknown | wrong | right % |" + extra
          + "\n|---|---|---|---|---|---|---|" + ("---|" if extra else ""))
    for cls in classes:
        rows = by_class.get(cls, [])
        right = sum(s.right for _, s in rows)
        unknown = sum(s.unknown for _, s in rows)
        wrong = sum(len(s.wrong) for _, s in rows)
        total = right + unknown + wrong
        formats = ", ".join(sorted({v.fmt for v, _ in rows}))
        best = sum(ceiling(v) for v, _ in rows) if args.scan_matrix else 0
        print(f"| {cls} | {len(rows)} ({formats}) | {total} | {right} | {unknown} | {wrong} | "
              f"{100 * right / max(total, 1):.2f}% |" + (f" {100 * right / max(reference, 1):.1f}% |" if args.scans else "")
              + (f" {100 * right / max(best, 1):.1f}% (of {best}) |" if args.scan_matrix else ""))


if __name__ == "__main__":
    main()
