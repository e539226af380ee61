"""The variant harness's figures: per variant class, the share of cells read right.

    .venv/bin/python benchmarks/variants.py            # one line per class
    .venv/bin/python benchmarks/variants.py --details  # and one per variant, with its unknown cells

Every real report fixture of tests/fixtures/reports is changed in each of issue #12's ways
(tests/variants.py says which) in every format the change applies to; a cell is right when it is
the printed value (or null with a warning where the variant prints nothing), unknown when it is null
with a warning naming it, wrong otherwise. Wrong must be 0 everywhere; right should be ≥ 99%.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import variants  # noqa: E402  (tests/variants.py)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args()
    by_class: dict[str, list] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        for v in variants.all_variants():
            folder = Path(tmp) / v.name
            folder.mkdir()
            try:
                s = variants.score(v, folder)
            except FileNotFoundError:
                continue  # a PDF variant not generated (tests/make_variant_pdfs.py needs LibreOffice)
            by_class[v.cls].append((v, s))
            if args.details:
                print(f"{v.name}: right {s.right}/{s.total}, unknown {s.unknown}, wrong {len(s.wrong)}"
                      + (f" {s.wrong[:3]}" if s.wrong else ""))
    print("| class | variants (formats) | cells | right | unknown | wrong | right % |\n|---|---|---|---|---|---|---|")
    for cls in variants.CLASSES:
        rows = by_class.get(cls, [])
        right = sum(s.right for _, s in rows)
        unknown = sum(s.unknown for _, s in rows)
        wrong = sum(len(s.wrong) for _, s in rows)
        total = right + unknown + wrong
        formats = ", ".join(sorted({v.fmt for v, _ in rows}))
        print(f"| {cls} | {len(rows)} ({formats}) | {total} | {right} | {unknown} | {wrong} | "
              f"{100 * right / max(total, 1):.2f}% |")


if __name__ == "__main__":
    main()
